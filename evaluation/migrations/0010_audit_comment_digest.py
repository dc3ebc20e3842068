"""Comments enter the audit chain through their own keyed digest, not in clear.

An anonymised application's comments (GDPR) must be erasable without breaking its chain. Each
chain that verifies under the former formula (comment hashed in clear) is chained again under
the new one (the comment's HMAC instead), its seal updated. A chain that does not verify is
left exactly as it is: ``verify_audit_trail`` keeps reporting it, as evidence.

The formulas are written out here, as they were at this migration: later changes to
evaluation.audit must not change what this migration does.
"""

import hashlib
import hmac
import json
from itertools import groupby

from django.conf import settings
from django.db import migrations, models

GENESIS = "0" * 64


def _mac(content: dict) -> str:
    key = (
        settings.RUCHE_AUDIT_KEY.encode()
        if settings.RUCHE_AUDIT_KEY
        else hmac.new(settings.SECRET_KEY.encode(), b"ruche-audit-trail", hashlib.sha256).digest()
    )
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def _content(entry) -> dict:
    return {
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


def _old_digest(entry) -> str:
    return _mac({**_content(entry), "comment": entry.comment})


def _new_digest(entry) -> str:
    return _mac({**_content(entry), "comment_digest": entry.comment_digest})


def _seal(application_id: int, seq: int, last_hash: str) -> str:
    return _mac({"seal": application_id, "seq": seq, "last": last_hash})


def _intact(entries: list, seal) -> bool:
    previous = GENESIS
    for position, entry in enumerate(entries, start=1):
        if (entry.seq, entry.previous_hash) != (position, previous):
            return False
        if _old_digest(entry) != entry.entry_hash:
            return False
        previous = entry.entry_hash
    return (
        seal is not None
        and seal.seal == _seal(seal.application_id, seal.seq, seal.last_hash)
        and (seal.seq, seal.last_hash) == (len(entries), previous)
    )


def digest_comments(apps, schema_editor):
    TransitionLog = apps.get_model("evaluation", "TransitionLog")
    AuditSeal = apps.get_model("evaluation", "AuditSeal")
    seals = {s.application_id: s for s in AuditSeal.objects.all()}
    entries = TransitionLog.objects.order_by("application_id", "seq")
    for application_id, chain in groupby(entries.iterator(), key=lambda e: e.application_id):
        chain = list(chain)
        seal = seals.get(application_id)
        if not _intact(chain, seal):
            continue
        previous = GENESIS
        for entry in chain:
            entry.comment_digest = _mac({"comment": entry.comment})
            entry.previous_hash = previous
            entry.entry_hash = _new_digest(entry)
            previous = entry.entry_hash
            # Queryset update: TransitionLog.save refuses to change an entry.
            TransitionLog.objects.filter(pk=entry.pk).update(
                comment_digest=entry.comment_digest,
                previous_hash=entry.previous_hash,
                entry_hash=entry.entry_hash,
            )
        AuditSeal.objects.filter(pk=seal.pk).update(
            last_hash=previous, seal=_seal(application_id, seal.seq, previous)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0009_session_cutoff"),
    ]

    operations = [
        migrations.AddField(
            model_name="transitionlog",
            name="comment_digest",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="transitionlog",
            name="comment_redacted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="commentaire effacé le"),
        ),
        migrations.RunPython(digest_comments, migrations.RunPython.noop),
    ]
