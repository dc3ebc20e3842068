"""Remind beneficiaries of the reports due soon or overdue (daily; safe to run twice)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from funding.reminders import send_report_reminders


class Command(BaseCommand):
    help = "Send the reminders of reports due soon or overdue (at most two per milestone)."

    def handle(self, *args, **options):
        sent = send_report_reminders()
        self.stdout.write(f"{sent} rappel(s) de rapport envoyé(s).")
