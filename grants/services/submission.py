"""Preparing an application for submission: the deadline, completeness, the automatic
eligibility checks and the frozen copy with its fingerprint.

The state change itself (draft → submitted) is the workflow's: ``evaluation.services``
locks the row, calls ``prepare_submission`` and fires the transition in one transaction.
"""

from __future__ import annotations

from datetime import datetime

from core.refusals import Refused

from ..application_forms import forget_form, newest_version
from ..models import Application
from .completeness import missing_items
from .declarations import Signatory, sign_declarations
from .eligibility import run_checks
from .snapshot import build_snapshot, fingerprint


def prepare_submission(
    locked: Application, at: datetime, user=None, signatory: Signatory | None = None
) -> None:
    """Check and freeze ``locked`` (a row locked by the caller) as submitted at ``at`` by
    ``user``, on the newest version of its call's form, which is frozen from then on.
    Raises ``Refused`` after the deadline, while something required is missing or while a
    required declaration on honour is not ticked."""
    locked.check_deadline(at)
    locked.form_version = newest_version(locked.call, locked.stage)
    forget_form(locked)
    missing = missing_items(locked)
    if missing:
        raise Refused([item.message for item in missing])
    signature = sign_declarations(locked, user or locked.created_by, at, signatory)
    if not locked.is_full_application:  # a full application keeps the relève it was invited to
        locked.cutoff = locked.call.cutoff_for(at)
    locked.eligibility_checks = run_checks(locked, at)
    locked.snapshot = build_snapshot(locked, at, signature)
    locked.fingerprint = fingerprint(locked.snapshot)
    if locked.form_version is not None:
        locked.form_version.freeze()
