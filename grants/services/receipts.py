"""Checking a receipt: does this reference and fingerprint match a submitted application, and
does the stored data still give that fingerprint? Used by the public page and the command."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from ..models import Application
from .snapshot import verify_fingerprint

REFERENCE = re.compile(r"^\s*RUCHE-(?P<year>\d{4})-(?P<pk>\d{1,12})\s*$", re.IGNORECASE)
FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")


def find_submitted(reference: str) -> Application | None:
    """The submitted application whose receipt bears ``reference`` (the year included)."""
    match = REFERENCE.match(reference or "")
    if not match:
        return None
    application = (
        Application.objects.submitted().filter(pk=int(match["pk"])).exclude(fingerprint="").first()
    )
    if application is None or application.reference.upper() != reference.strip().upper():
        return None
    return application


@dataclass(frozen=True)
class ReceiptCheck:
    """``matches``: the pair is a real receipt. ``intact``: the stored answers and files still
    give the fingerprint. Nothing else about the application is told."""

    matches: bool
    intact: bool = False
    submitted_at: datetime | None = None
    # The content was purged at the end of its retention period: the pair is still genuine.
    anonymised: bool = False


def check_receipt(reference: str, fingerprint: str) -> ReceiptCheck:
    fingerprint = (fingerprint or "").strip().lower()
    application = find_submitted(reference)
    if application is None or not FINGERPRINT.match(fingerprint):
        return ReceiptCheck(False)
    if application.fingerprint != fingerprint:
        return ReceiptCheck(False)
    return ReceiptCheck(
        True,
        verify_fingerprint(application).ok,
        application.submitted_at,
        anonymised=application.anonymised_at is not None,
    )
