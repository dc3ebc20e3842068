"""Remind experts of the reviews due soon or overdue (daily; safe to run twice)."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Send the reminders of reviews due soon or overdue (at most two per assignment)."

    def handle(self, *args, **options):
        from ethics.reminders import send_review_reminders

        sent = send_review_reminders()
        self.stdout.write(f"{sent} rappel(s) d'expertise envoyé(s).")
