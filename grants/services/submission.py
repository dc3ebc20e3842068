"""Preparing an application for submission: the deadline, completeness, the automatic
eligibility checks and the frozen copy with its fingerprint.

The state change itself (draft → submitted) is the workflow's: ``evaluation.services``
locks the row, calls ``prepare_submission`` and fires the transition in one transaction.
"""

from __future__ import annotations

from datetime import datetime

from core.refusals import Refused

from ..models import Application
from .completeness import missing_items
from .eligibility import run_checks
from .snapshot import build_snapshot, fingerprint


def prepare_submission(locked: Application, at: datetime) -> None:
    """Check and freeze ``locked`` (a row locked by the caller) as submitted at ``at``.
    Raises ``Refused`` after the deadline or while something required is missing."""
    locked.check_deadline(at)
    missing = missing_items(locked)
    if missing:
        raise Refused([item.message for item in missing])
    if not locked.is_full_application:  # a full application keeps the relève it was invited to
        locked.cutoff = locked.call.cutoff_for(at)
    locked.eligibility_checks = run_checks(locked, at)
    locked.snapshot = build_snapshot(locked, at)
    locked.fingerprint = fingerprint(locked.snapshot)
