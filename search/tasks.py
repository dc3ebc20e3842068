"""Background tasks of the search app (django-tasks)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .outbox import process_outbox

logger = logging.getLogger(__name__)

RETRY_DELAY = timedelta(minutes=2)


@task()
def apply_index_outbox() -> dict[str, int]:
    """Apply the pending outbox rows to the search engine.

    On a failure the rows stay pending and, when the task backend can defer (the database
    queue in production), the task re-enqueues itself a little later. Otherwise (the immediate
    backend of development and tests) the next schedule_outbox() or `manage.py
    apply_index_outbox` picks them up.
    """
    done, failed = process_outbox()
    if failed:
        if apply_index_outbox.get_backend().supports_defer:
            apply_index_outbox.using(run_after=timezone.now() + RETRY_DELAY).enqueue()
        else:
            logger.warning("Search outbox: %d row(s) left pending for a later run.", failed)
    return {"done": done, "failed": failed}


def schedule_outbox() -> None:
    """Enqueue apply_index_outbox once the current transaction commits.

    For publication code (publish, unpublish, save_sheet) to call after queueing its row;
    outside a transaction the task is enqueued at once.
    """
    transaction.on_commit(apply_index_outbox.enqueue)
