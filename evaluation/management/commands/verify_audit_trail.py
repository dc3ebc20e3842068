"""manage.py verify_audit_trail: exit 1 and name the first altered entry of every broken
chain (one chain per application), or the chains whose end was cut off."""

from django.core.management.base import BaseCommand, CommandError

from evaluation.audit import verify


class Command(BaseCommand):
    help = "Vérifie l'intégrité du journal des transitions (une chaîne HMAC par dossier)."

    def handle(self, *args, **options):
        report = verify()
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"Journal intègre : {report.checked} entrées."))
            return
        lines = []
        for problem in report.breaks:
            entry = problem.entry
            if entry is not None:
                lines.append(
                    f"Entrée n° {entry.pk} (candidature {entry.application_id}, {entry.source} → "
                    f"{entry.target}, {entry.at:%Y-%m-%d %H:%M:%S}) : {problem.reason}."
                )
            else:
                lines.append(f"Candidature {problem.application_id} : {problem.reason}.")
        raise CommandError("\n".join(lines))
