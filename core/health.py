"""The generic parts of the health endpoint: each check is a function that returns a short
detail or raises, timed and reported by ``run``. The project lists its checks
(``ruche/health.py``), the apps add their own (the search engine)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import timedelta

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.db import connection
from django.utils import timezone


class Unhealthy(Exception):
    """The service answers but is not fit to serve (e.g. the queue is late)."""


def run(checks: dict[str, Callable[[], str]]) -> tuple[bool, dict[str, dict]]:
    """Run every check; ok only when all pass. Errors are named by their class, never with a
    message that could reveal a password or a host."""
    results: dict[str, dict] = {}
    for name, check in checks.items():
        start = time.perf_counter()
        try:
            detail, ok = check(), True
        except Unhealthy as error:
            detail, ok = str(error), False
        except Exception as error:
            detail, ok = type(error).__name__, False
        results[name] = {
            "ok": ok,
            "detail": detail,
            "ms": round((time.perf_counter() - start) * 1000, 1),
        }
    return all(result["ok"] for result in results.values()), results


def database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def cache_roundtrip() -> str:
    """Write then read a key: a shared cache that lost its server fails here."""
    key, value = f"health:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    try:
        if cache.get(key) != value:
            raise Unhealthy("cache did not return what was written")
    finally:
        cache.delete(key)
    return type(caches[DEFAULT_CACHE_ALIAS]).__name__


def queue_lag(max_seconds: int) -> str:
    """How long the oldest task due has waited for a worker (database queue only): a stopped
    worker makes emails and receipts late, which the load balancer's probe should see."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult, get_date_max

    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return "tasks run in the request (no queue)"
    now = timezone.now()
    due = DBTaskResult.objects.ready()
    # A task waits from its enqueueing, or from its run_after when it was deferred.
    undeferred = due.filter(run_after=get_date_max()).order_by("enqueued_at")
    deferred = due.exclude(run_after=get_date_max()).order_by("run_after")
    starts = [
        *undeferred.values_list("enqueued_at", flat=True)[:1],
        *deferred.values_list("run_after", flat=True)[:1],
    ]
    lag = now - min(starts) if starts else timedelta(0)
    if lag > timedelta(seconds=max_seconds):
        raise Unhealthy(f"oldest task waiting {int(lag.total_seconds())} s")
    return f"{int(lag.total_seconds())} s, {due.count()} due"
