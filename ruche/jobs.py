"""The periodic jobs of a deployment, each a list of management commands.

The deployment's timers (deploy/systemd/*.timer, or any cron) run ``manage.py run_job NAME``
on every node; ``run_job`` lets one node at a time run a job (``core.locks.single_run``), and
every command is idempotent, so an overlap or a repeat changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Job:
    schedule: str  # systemd OnCalendar expression, as deploy/systemd's timers set it
    commands: tuple[tuple[str, ...], ...]
    description: str


def jobs() -> dict[str, Job]:
    return {
        "search-outbox": Job(
            "*:0/5",
            (("apply_index_outbox",),),
            "Apply the catalogue's pending index changes (replays them after an outage).",
        ),
        "reminders": Job(
            "*-*-* 08:00",
            (("send_review_reminders",), ("send_report_reminders",)),
            "Remind experts of reviews, and beneficiaries of reports, due soon or overdue.",
        ),
        "prune": Job(
            "*-*-* 03:30",
            (
                (
                    "prune_db_task_results",
                    "--min-age-days",
                    str(settings.RUCHE_TASK_RESULT_DAYS),
                    "--failed-min-age-days",
                    str(settings.RUCHE_FAILED_TASK_DAYS),
                ),
                ("clearsessions",),
            ),
            "Delete old task results and expired sessions.",
        ),
        "retention": Job(
            "Sun *-*-* 04:00",
            (("purge_abandoned_drafts",), ("purge_closed_applications",)),
            "Delete drafts untouched for RUCHE_DRAFT_RETENTION_DAYS, with their files; "
            "anonymise rejected and withdrawn applications past their operator's retention.",
        ),
    }
