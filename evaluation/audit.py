"""Appending to and verifying the hash-chained audit trail."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from .models import AuditChainHead, TransitionLog

GENESIS = "0" * 64


def entry_digest(entry: TransitionLog) -> str:
    """SHA-256 over the entry's content and its predecessor's hash, in a stable form."""
    content = {
        "application": entry.application_id,
        "transition": entry.transition,
        "source": entry.source,
        "target": entry.target,
        "actor": entry.actor_id,
        "at": entry.at.isoformat(timespec="microseconds"),
        "comment": entry.comment,
        "visible_to_applicant": entry.visible_to_applicant,
        "previous": entry.previous_hash,
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def append(
    *,
    application,
    transition: str,
    source: str,
    target: str,
    actor,
    at: datetime,
    comment: str = "",
    visible_to_applicant: bool = True,
) -> TransitionLog:
    """Record a transition. Must run inside the transaction that changes the state."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.append must run inside the transition's transaction")
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    entry = TransitionLog(
        application=application,
        transition=transition,
        source=source,
        target=target,
        actor=actor,
        at=at,
        comment=comment,
        visible_to_applicant=visible_to_applicant,
        previous_hash=head.last_hash,
    )
    entry.entry_hash = entry_digest(entry)
    entry.save()
    head.last_hash = entry.entry_hash
    head.save(update_fields=["last_hash"])
    return entry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken: TransitionLog | None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.first_broken is None and not self.reason


def verify() -> ChainReport:
    """Walk the chain in order; name the first entry whose hash or link does not match."""
    previous = GENESIS
    checked = 0
    for entry in TransitionLog.objects.order_by("pk").iterator(chunk_size=2000):
        if entry.previous_hash != previous:
            return ChainReport(checked, entry, "le lien vers l'entrée précédente est rompu")
        if entry_digest(entry) != entry.entry_hash:
            return ChainReport(checked, entry, "le contenu ne correspond plus à son empreinte")
        previous = entry.entry_hash
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head and head.last_hash != previous:
        # The head remembers the newest hash: entries removed from the end are noticed too.
        return ChainReport(checked, None, "les dernières entrées du journal ont été supprimées")
    return ChainReport(checked, None)
