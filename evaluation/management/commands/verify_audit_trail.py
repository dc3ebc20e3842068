"""manage.py verify_audit_trail: exit 1 and name the first broken entry if the chain fails."""

from django.core.management.base import BaseCommand, CommandError

from evaluation.audit import verify


class Command(BaseCommand):
    help = "Vérifie l'intégrité du journal des transitions (chaîne d'empreintes SHA-256)."

    def handle(self, *args, **options):
        report = verify()
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"Journal intègre : {report.checked} entrées."))
            return
        if report.first_broken is not None:
            entry = report.first_broken
            raise CommandError(
                f"Entrée n° {entry.pk} (candidature {entry.application_id}, {entry.source} → "
                f"{entry.target}, {entry.at:%Y-%m-%d %H:%M:%S}) : {report.reason}."
            )
        raise CommandError(f"Journal altéré après {report.checked} entrées : {report.reason}.")
