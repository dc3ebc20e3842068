"""Apply the pending outbox rows to the search engine (for cron, or after an outage)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from search.outbox import pending_count, process_outbox


class Command(BaseCommand):
    help = "Apply the pending search-index changes (the outbox)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, **options):
        done, failed = process_outbox(batch=options["batch"])
        self.stdout.write(f"{done} appliquée(s), {failed} en échec, {pending_count()} en attente.")
        if failed:
            raise SystemExit(1)
