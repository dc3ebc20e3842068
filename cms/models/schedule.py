"""When the lists of calls change by themselves: at the next opening, early closure or
first-stage relève of any live call."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Min, Q

from .. import caching
from .calls import CallCutoff, CallPage, CallStage


def next_schedule_change(now: datetime) -> datetime | None:
    """The next instant any live call opens, closes early or passes a first-stage relève:
    lists of calls (home, index) show statuses and next relèves that change then. Kept in
    the fragment cache until that instant."""
    at = caching.cached("next-schedule-change", lambda: _next_schedule_change(now))
    if at is not None and at <= now:
        at = _next_schedule_change(now)
        caching.cached_set("next-schedule-change", at)
    return at


def _next_schedule_change(now: datetime) -> datetime | None:
    calls = CallPage.objects.live().aggregate(
        opens=Min("opens_at", filter=Q(opens_at__gt=now)),
        early=Min("closed_early_at", filter=Q(closed_early_at__gt=now)),
    )
    cutoff = CallCutoff.objects.filter(
        call__live=True, stage=CallStage.FIRST, closes_at__gt=now
    ).aggregate(cutoff=Min("closes_at"))
    values = [calls["opens"], calls["early"], cutoff["cutoff"]]
    return min((v for v in values if v is not None), default=None)
