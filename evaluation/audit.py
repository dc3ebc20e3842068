"""Appending to and verifying the audit trail: one keyed hash chain per application.

What is hashed: ids, states and dates, and the comment through its own keyed digest
(``comment_digest``), never a name or free text in clear. Erasing a comment when an
application is anonymised (``redact_comments``) therefore leaves the chain verifiable: the
entry's HMAC still covers the digest, and the erasure is dated on the entry.

Why per application: one global chain needs one global lock, and every transition of the
platform waited on it (a deadline burst, a committee's bulk decision). Why keyed: with plain
SHA-256, someone with database access could delete the newest entries and rewrite the head;
an HMAC whose key is not in the database cannot be recomputed by them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from django.conf import settings
from django.db import transaction

from .models import AuditSeal, TransitionLog

GENESIS = "0" * 64
CUT_OFF = "les dernières entrées du journal de ce dossier ont été supprimées"


@cache
def _key(setting: str, secret: str) -> bytes:
    if setting:
        return setting.encode()
    # No dedicated key: one derived from SECRET_KEY, for this purpose only.
    return hmac.new(secret.encode(), b"ruche-audit-trail", hashlib.sha256).digest()


def _mac(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    key = _key(settings.RUCHE_AUDIT_KEY, settings.SECRET_KEY)
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def comment_digest(comment: str) -> str:
    return _mac({"comment": comment})


def entry_digest(entry: TransitionLog) -> str:
    """HMAC over the entry's content, its position and its predecessor's HMAC."""
    content = {
        "application": entry.application_id,
        "seq": entry.seq,
        "transition": entry.transition,
        "source": entry.source,
        "target": entry.target,
        "actor": entry.actor_id,
        "at": entry.at.isoformat(timespec="microseconds"),
        "visible_to_applicant": entry.visible_to_applicant,
        "previous": entry.previous_hash,
    }
    if entry.comment_digest:
        content["comment_digest"] = entry.comment_digest
    else:  # chained before comments had their own digest (a chain that migration 0010 kept)
        content["comment"] = entry.comment
    return _mac(content)


def _comment_problem(entry: TransitionLog) -> str:
    """An erased comment must be empty and dated; any other must match its digest. A thread
    message's entry keeps no text: only its digest is chained."""
    if not entry.comment_digest:
        return ""
    if entry.transition == TransitionLog.MESSAGE:
        return "" if entry.comment == "" else "un texte a été ajouté à l'entrée d'un message"
    if entry.comment_redacted_at is not None:
        return "" if entry.comment == "" else "le commentaire effacé a été réécrit"
    if comment_digest(entry.comment) != entry.comment_digest:
        return "le commentaire ne correspond plus à son empreinte"
    return ""


def seal_digest(application_id: int, seq: int, last_hash: str) -> str:
    return _mac({"seal": application_id, "seq": seq, "last": last_hash})


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
    keep_comment: bool = True,
) -> TransitionLog:
    """Record a transition (or a stage override) at the end of the application's chain.
    Must run inside the transaction that changes the state; locks this application's seal.
    ``keep_comment=False``: chain the comment's digest only (a text kept elsewhere)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.append must run inside the transition's transaction")
    if not keep_comment and transition != TransitionLog.MESSAGE:
        raise ValueError("only a thread message's entry chains a text it does not keep")
    seal = AuditSeal.objects.select_for_update().filter(application=application).first()
    if seal is None:
        seal = AuditSeal.objects.create(application=application, last_hash=GENESIS)
    entry = TransitionLog(
        application=application,
        seq=seal.seq + 1,
        transition=transition,
        source=source,
        target=target,
        actor=actor,
        at=at,
        comment=comment if keep_comment else "",
        comment_digest=comment_digest(comment),
        visible_to_applicant=visible_to_applicant,
        previous_hash=seal.last_hash,
    )
    entry.entry_hash = entry_digest(entry)
    entry.save()
    seal.seq, seal.last_hash = entry.seq, entry.entry_hash
    seal.seal = seal_digest(application.pk, seal.seq, seal.last_hash)
    seal.save(update_fields=["seq", "last_hash", "seal"])
    return entry


def note(
    application,
    code: str,
    by,
    at: datetime,
    comment: str = "",
    *,
    visible_to_applicant: bool = False,
) -> TransitionLog:
    """An entry that does not change the state (an extension, a hearing booking, a step of
    the follow-up, the retention purge): ``append`` with the current status on both sides."""
    return append(
        application=application,
        transition=code,
        source=application.status,
        target=application.status,
        actor=by,
        at=at,
        comment=comment,
        visible_to_applicant=visible_to_applicant,
    )


def redact_comments(application_id: int, at: datetime) -> int:
    """Erase the comments of an application's entries (anonymisation); the chain still
    verifies, as it covers each comment's digest, not the comment. Returns how many."""
    return (
        TransitionLog.objects.filter(application_id=application_id)
        .exclude(comment_digest="")
        .exclude(comment="")
        .update(comment="", comment_redacted_at=at)
    )


@dataclass(frozen=True)
class Break:
    application_id: int
    reason: str
    entry: TransitionLog | None = None


@dataclass
class ChainReport:
    checked: int = 0
    breaks: list[Break] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaks

    @property
    def first_broken(self) -> TransitionLog | None:
        """The oldest altered entry of all chains, if an entry is to blame."""
        entries = [b.entry for b in self.breaks if b.entry is not None]
        return min(entries, key=lambda e: e.pk) if entries else None

    @property
    def reason(self) -> str:
        first = self.first_broken
        if first is not None:
            return next(b.reason for b in self.breaks if b.entry is first)
        return self.breaks[0].reason if self.breaks else ""


def verify() -> ChainReport:
    """Walk every application's chain in order; report, per application, the first entry
    whose HMAC, position or link does not match, and chains whose end was cut off."""
    report = ChainReport()
    seals = {s.application_id: s for s in AuditSeal.objects.all()}
    entries = TransitionLog.objects.order_by("application_id", "seq", "pk")
    current, previous, expected, broken = None, GENESIS, 1, False
    for entry in entries.iterator(chunk_size=2000):
        if entry.application_id != current:
            _check_end(report, current, expected - 1, previous, seals, broken)
            current, previous, expected, broken = entry.application_id, GENESIS, 1, False
        if broken:
            continue
        reason = ""
        if entry.seq != expected:
            reason = "une entrée manque avant celle-ci dans la chaîne du dossier"
        elif entry.previous_hash != previous:
            reason = "le lien vers l'entrée précédente est rompu"
        elif entry_digest(entry) != entry.entry_hash:
            reason = "le contenu ne correspond plus à son empreinte"
        else:
            reason = _comment_problem(entry)
        if reason:
            report.breaks.append(Break(entry.application_id, reason, entry))
            broken = True
            continue
        previous, expected = entry.entry_hash, expected + 1
        report.checked += 1
    _check_end(report, current, expected - 1, previous, seals, broken)
    for application_id in seals.keys() - set(
        TransitionLog.objects.values_list("application_id", flat=True).distinct()
    ):
        report.breaks.append(
            Break(application_id, "toutes les entrées du journal de ce dossier ont été supprimées")
        )
    return report


def _check_end(report, application_id, seq, last_hash, seals, broken) -> None:
    """The chain's end must be the one its seal remembers: entries cut off the end show."""
    if application_id is None or broken:
        return
    seal = seals.get(application_id)
    if seal is None or seal.seal != seal_digest(application_id, seal.seq, seal.last_hash):
        report.breaks.append(Break(application_id, "le sceau de la chaîne du dossier est altéré"))
    elif (seal.seq, seal.last_hash) != (seq, last_hash):
        report.breaks.append(Break(application_id, CUT_OFF))
