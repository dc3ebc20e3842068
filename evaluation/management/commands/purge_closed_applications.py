"""Anonymise the rejected, ineligible and withdrawn applications past their operator's
retention period, and delete their files (evaluation.retention). Run weekly by the
``retention`` job; safe to run by hand and twice.

manage.py purge_closed_applications            # do it
manage.py purge_closed_applications --dry-run  # list what would be anonymised
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from evaluation.retention import due, purge_closed_applications
from grants.models import Application


class Command(BaseCommand):
    help = (
        "Anonymise rejected and withdrawn applications past their operator's retention period "
        "and delete their files (safe to run twice)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List the applications, change nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        if dry_run:
            ids = due(timezone.now())
            for application in Application.objects.filter(pk__in=ids).order_by("pk"):
                self.stdout.write(application.reference)
            self.stdout.write(f"{len(ids)} dossier(s) à anonymiser.")
            return
        report = purge_closed_applications()
        self.stdout.write(f"{report.count} dossier(s) clos anonymisé(s).")
