"""manage.py load_reference_form: the shipped application form, safe to run again."""

from django.core.management.base import BaseCommand

from grants.services.reference_form import load_pre_proposal_form, load_reference_form


class Command(BaseCommand):
    help = (
        "Charge le formulaire de candidature de référence et le formulaire court de "
        "pré-proposition (ou les met à jour). Idempotent."
    )

    def handle(self, *args, **options):
        for form in (load_reference_form(), load_pre_proposal_form()):
            version = form.newest_version()
            self.stdout.write(
                self.style.SUCCESS(f"Formulaire « {form.name} » : version {version.number}.")
            )
