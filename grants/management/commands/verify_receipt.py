"""Re-verify a submitted application against the fingerprint printed on its receipt.

manage.py verify_receipt RUCHE-2026-000042
manage.py verify_receipt 42
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from grants.models import Application
from grants.services.receipts import find_submitted
from grants.services.snapshot import verify_fingerprint


def find_application(reference_or_id: str) -> Application:
    """The submitted application named by its reference (as printed on the receipt) or id."""
    text = reference_or_id.strip()
    application = (
        Application.objects.submitted().filter(pk=int(text)).first()
        if text.isdigit()
        else find_submitted(text)
    )
    if application is None:
        raise CommandError(_("Aucune candidature ne porte la référence %(ref)s.") % {"ref": text})
    return application


class Command(BaseCommand):
    help = "Vérifie l'empreinte SHA-256 d'une candidature déposée (réponses figées et pièces)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", help="RUCHE-2026-000042 ou 42")

    def handle(self, *args, reference: str, **options) -> None:
        application = find_application(reference)
        check = verify_fingerprint(application)
        if not check.ok:
            raise CommandError(
                _("Empreinte NON vérifiée pour %(ref)s :") % {"ref": application.reference}
                + "".join(f"\n- {problem}" for problem in check.problems)
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Empreinte vérifiée : %(fingerprint)s") % {"fingerprint": application.fingerprint}
            )
        )
