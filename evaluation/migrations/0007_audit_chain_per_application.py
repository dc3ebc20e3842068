"""One keyed audit chain per application instead of one SHA-256 chain for the platform.

Existing entries are chained again, application by application, with the HMAC key of the
settings (RUCHE_AUDIT_KEY, else derived from SECRET_KEY), and each chain gets its seal.
"""

import django.db.models.deletion
from django.db import migrations, models

from evaluation.audit import GENESIS, entry_digest, seal_digest


def chain_per_application(apps, schema_editor):
    TransitionLog = apps.get_model("evaluation", "TransitionLog")
    AuditSeal = apps.get_model("evaluation", "AuditSeal")
    current, previous, seq = None, GENESIS, 0
    entries = list(TransitionLog.objects.order_by("application_id", "pk"))
    for entry in entries:
        if entry.application_id != current:
            if current is not None:
                AuditSeal.objects.create(
                    application_id=current,
                    seq=seq,
                    last_hash=previous,
                    seal=seal_digest(current, seq, previous),
                )
            current, previous, seq = entry.application_id, GENESIS, 0
        seq += 1
        entry.seq, entry.previous_hash = seq, previous
        # Unique hashes: a temporary value first, so that no new hash meets an old one.
        entry.entry_hash = f"rechain-{entry.pk}"
        entry.save(update_fields=["seq", "previous_hash", "entry_hash"])
        entry.entry_hash = entry_digest(entry)
        previous = entry.entry_hash
    for entry in entries:
        entry.save(update_fields=["entry_hash"])
    if current is not None:
        AuditSeal.objects.create(
            application_id=current, seq=seq, last_hash=previous, seal=seal_digest(current, seq, previous)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0006_transition_index"),
        ("grants", "0003_application_rejected_input"),
    ]

    operations = [
        migrations.CreateModel(
            name="ApplicationWorkflow",
            fields=[],
            options={
                "verbose_name": "candidature (instruction)",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("grants.application",),
        ),
        migrations.CreateModel(
            name="AuditSeal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.PositiveIntegerField(default=0)),
                ("last_hash", models.CharField(max_length=64)),
                ("seal", models.CharField(max_length=64)),
                (
                    "application",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="audit_seal",
                        to="grants.application",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="transitionlog",
            name="seq",
            field=models.PositiveIntegerField(default=0, verbose_name="position dans la chaîne du dossier"),
            preserve_default=False,
        ),
        migrations.RunPython(chain_per_application, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="transitionlog",
            constraint=models.UniqueConstraint(fields=("application", "seq"), name="one_entry_per_position"),
        ),
        migrations.DeleteModel(name="AuditChainHead"),
    ]
