"""Run one periodic job (ruche/jobs.py) unless another node is running it."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from core.locks import single_run
from ruche.jobs import jobs


class Command(BaseCommand):
    help = "Run a periodic job: search-outbox, reminders, prune, retention (or --list)."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?")
        parser.add_argument("--list", action="store_true", help="List the jobs and schedules.")

    def handle(self, *args, name=None, list=False, **options):
        every = jobs()
        if list or not name:
            for job_name, job in every.items():
                self.stdout.write(f"{job_name:15} {job.schedule:18} {job.description}")
            return
        if name not in every:
            raise CommandError(f"Unknown job {name!r}: {', '.join(every)}")
        with single_run(f"job:{name}") as held:
            if not held:
                self.stdout.write(f"{name}: already running on another node, skipped.")
                return
            for command, *arguments in every[name].commands:
                call_command(command, *arguments, stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(f"{name}: done.")
