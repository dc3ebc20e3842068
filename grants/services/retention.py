"""Retention: drafts abandoned for years are deleted with their files.

A draft never submitted holds personal data (the team, the budget) for no purpose once its
authors have left it; ``RUCHE_DRAFT_RETENTION_DAYS`` says how long an untouched draft is
kept. Submitted applications are never touched here: they are the programme's records.
Idempotent and safe on two nodes: each draft is locked, checked again and deleted in its own
transaction; its files are deleted after the commit.
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import partial

from django.db import transaction
from django.db.models import ProtectedError

from core.vocabulary import ApplicationStatus

from ..models import Application

logger = logging.getLogger(__name__)


def _delete_files(storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


def purge_abandoned_drafts(untouched_since: datetime) -> int:
    """Delete the drafts last saved before ``untouched_since``; returns how many."""
    stale = Application.objects.filter(
        status=ApplicationStatus.DRAFT, updated_at__lt=untouched_since
    )
    deleted = 0
    for pk in stale.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            draft = (
                stale.select_for_update(skip_locked=True)
                .filter(pk=pk)
                .prefetch_related("attachments")
                .first()
            )
            if draft is None:  # saved meanwhile, submitted, or being purged by another node
                continue
            files = [attachment.file for attachment in draft.attachments.all()]
            try:
                draft.delete()
            except ProtectedError:
                logger.warning("Draft %s kept: other records refer to it.", pk)
                continue
            if files:
                transaction.on_commit(
                    partial(_delete_files, files[0].storage, [f.name for f in files])
                )
            deleted += 1
    return deleted
