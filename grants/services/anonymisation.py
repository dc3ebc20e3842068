"""Anonymising a closed application: what grants holds of it (evaluation.retention decides
which applications and when, and anonymises what the upper apps hold).

Kept: the reference, call, organisation (a legal person), status, dates, amount, title and the
receipt's fingerprint, for the programme's statistics and for the receipt to stay checkable.
Erased: the answers (team, contacts, budget lines), the frozen copy, the rejected input, the
text of the thread's messages, and every attachment and message file, deleted from the store
once the transaction commits. The messages' rows stay, empty and dated, so the thread's
length and dates match its audit entries (which chain each text's digest, never the text).
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from django.db import transaction

from ..models import Application, MessageFile


def _delete_files(storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


def delete_files_on_commit(files) -> None:
    """Delete stored files after the commit: a rolled-back purge leaves them in place."""
    files = [f for f in files if f and f.name]
    if files:
        transaction.on_commit(partial(_delete_files, files[0].storage, [f.name for f in files]))


def anonymise_application(application: Application, at: datetime) -> None:
    """Must run in the caller's transaction, with the application's row locked."""
    attachments = list(application.attachments.all())
    delete_files_on_commit([a.file for a in attachments])
    application.attachments.all().delete()
    message_files = MessageFile.objects.filter(message__application=application)
    delete_files_on_commit([f.file for f in message_files])
    message_files.delete()
    application.messages.update(body="", redacted_at=at)
    application.thread_reads.all().delete()
    application.answers = {}
    application.rejected_input = {}
    application.snapshot = {
        "reference": application.reference,
        "submitted_at": application.submitted_at.isoformat() if application.submitted_at else None,
        "anonymised_at": at.isoformat(),
    }
    application.anonymised_at = at
    application.save(
        update_fields=["answers", "rejected_input", "snapshot", "anonymised_at", "updated_at"]
    )
