"""The frozen copy of an application at submission and its SHA-256 fingerprint.

The fingerprint covers the answers and, through their own SHA-256, the attachments: anyone can
re-verify a receipt later from the stored data (``verify_fingerprint``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime


def build_snapshot(application, at: datetime, signature: dict | None = None) -> dict:
    """``signature``: the declarations on honour signed at submission (who, role, when, the
    exact texts), frozen and fingerprinted with the answers."""
    organisation = application.organisation
    version = application.form_version
    snapshot = {
        "reference": application.reference,
        "submitted_at": at.isoformat(),
        "call": {"id": application.call_id, "title": application.call.title},
        "project_title": application.project_title,
        "organisation": {
            "legal_name": organisation.legal_name,
            "siren": organisation.siren,
            "siret": organisation.siret,
            "legal_form": organisation.legal_form,
            "size": organisation.size,
            "region": organisation.region,
        },
        "answers": application.answers,
        "amount_requested": str(application.amount_requested),
        "total_cost": str(application.budget_totals()["total_cost"]),
        "attachments": [
            {
                "id": a.pk,
                "slot": a.slot,
                "name": a.original_name,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
            }
            for a in application.attachments.order_by("pk")
        ],
    }
    if version is not None:
        snapshot["form"] = {"name": version.form.name, "version": version.number}
    if signature:
        snapshot["declarations"] = signature
    return snapshot


def fingerprint(snapshot: dict) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def file_sha256(field_file) -> str:
    digest = hashlib.sha256()
    with field_file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class FingerprintCheck:
    ok: bool
    problems: list[str]


def verify_fingerprint(application) -> FingerprintCheck:
    """Recompute the fingerprint from the stored snapshot and re-hash every stored file."""
    problems = []
    if application.anonymised_at is not None:
        # Purged under the retention period: the receipt still matches the recorded
        # fingerprint (services.receipts), the content it covered no longer exists.
        return FingerprintCheck(False, ["contenu anonymisé (durée de conservation écoulée)"])
    if not application.snapshot or not application.fingerprint:
        return FingerprintCheck(False, ["aucun dépôt enregistré"])
    if fingerprint(application.snapshot) != application.fingerprint:
        problems.append("les réponses figées ne correspondent plus à l'empreinte")
    stored = {a.pk: a for a in application.attachments.all()}
    for frozen in application.snapshot["attachments"]:
        attachment = stored.get(frozen["id"])
        if attachment is None:
            problems.append(f"pièce manquante : {frozen['name']}")
        elif file_sha256(attachment.file) != frozen["sha256"]:
            problems.append(f"pièce modifiée : {frozen['name']}")
    return FingerprintCheck(not problems, problems)
