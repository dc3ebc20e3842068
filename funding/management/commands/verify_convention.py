"""Verify a convention's PDF (as generated, or a party's signed copy) by its fingerprint.

manage.py verify_convention convention-CONV-2026-000042-v1.pdf
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from funding.fingerprints import verify_bytes


class Command(BaseCommand):
    help = "Vérifie l'empreinte SHA-256 d'une convention ou de sa copie signée."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="le fichier PDF à vérifier")

    def handle(self, *args, path: str, **options) -> None:
        result = verify_bytes(Path(path).read_bytes())
        if not result.ok:
            raise CommandError("Empreinte NON vérifiée : " + " ; ".join(result.problems))
        version = result.version
        kind = "document" if result.matched == "document" else "copie signée"
        self.stdout.write(
            self.style.SUCCESS(
                f"{version.convention.reference} v{version.number} ({kind}) — "
                f"empreinte {version.sha256}"
            )
        )
        for signature in result.signatures:
            when = timezone.localtime(signature.signed_at).strftime("%d/%m/%Y %H:%M")
            self.stdout.write(
                f"- {signature.get_party_display()} : {signature.signer_name} "
                f"({signature.signer_role}), {when}, {signature.get_method_display()}"
            )
