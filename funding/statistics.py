"""The programme's figures, computed from the data, never typed: applications per stage and
per relève, selection rates, time spent in each stage from the audit trail, overdue reviews,
and the money (requested, granted, committed, paid) against the envelopes.

Each figure is one grouped query, whatever the number of applications and calls: the
dashboards' query count does not grow with the data (tests/funding/test_dashboards.py).

Stage times: an application's stay in a stage runs from the audit entry that moved it there
to the entry that moved it out; stays still running are not counted. The median is the
middle stay (the mean of the two middle ones for an even count); the 90th percentile is the
nearest-rank one: the stay at rank ⌈0.9 n⌉ of the n stays sorted.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from cms.locales import default_language, localized_titles
from cms.models import CallCutoff, CallPage, Theme
from core.vocabulary import PIPELINE, UNDER_INSTRUCTION, ApplicationStatus, Region
from ethics.models import Review, ReviewAssignment
from evaluation.models import CommitteeDecision, TransitionLog
from grants.models import Application

from .models import COMMITTED_STATES, Ledger

S = ApplicationStatus
DAY = 86400

# The stages whose times are shown, in the order of the procedure: the workflow's, then the
# convention's (from its audit entries: generated → sent → signed → countersigned → in force).
CONVENTION_STAGES = {
    "convention.generate": ("convention_preparation", _("Préparation de la convention")),
    "convention.send": ("convention_signature", _("Signature par le bénéficiaire")),
    "convention.sign": ("convention_countersignature", _("Contresignature")),
    "convention.countersign": ("convention_notification", _("Notification")),
}
CONVENTION_END = {
    "convention.send",
    "convention.withdraw",
    "convention.sign",
    "convention.countersign",
    "convention.bring_into_force",
    "convention.terminate",
}
SELECTED_STATES = (S.SELECTED, S.FUNDED)
DECIDED_STATES = (S.SELECTED, S.FUNDED, S.REJECTED)


@dataclass(frozen=True)
class StageTime:
    stage: str
    label: str
    count: int
    median_days: float | None
    p90_days: float | None


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def p90(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


def stays(entries: Iterable[tuple]) -> dict[str, list[float]]:
    """Days spent per stage, from (application id, transition, source, target, at) rows
    ordered by application then position in its chain."""
    durations: dict[str, list[float]] = defaultdict(list)
    current, entered, convention_stage, convention_since = None, {}, None, None
    for application_id, transition, source, target, at in entries:
        if application_id != current:
            current, entered, convention_stage, convention_since = application_id, {}, None, None
        if transition.startswith("convention."):
            if convention_stage and transition in CONVENTION_END:
                durations[convention_stage].append((at - convention_since).total_seconds() / DAY)
                convention_stage = None
            if transition in CONVENTION_STAGES:
                convention_stage, convention_since = CONVENTION_STAGES[transition][0], at
            continue
        if source == target:  # an override or another app's entry: no change of stage
            continue
        if source in entered:
            durations[source].append((at - entered.pop(source)).total_seconds() / DAY)
        entered[target] = at
    return durations


def stage_times(call_ids: list[int] | None = None) -> list[StageTime]:
    logs = TransitionLog.objects.order_by("application_id", "seq")
    if call_ids is not None:
        logs = logs.filter(application__call_id__in=call_ids)
    durations = stays(logs.values_list("application_id", "transition", "source", "target", "at"))
    stages = [(s, S(s).label) for s in [S.SUBMITTED, *PIPELINE, S.INFO_REQUESTED, S.SELECTED]]
    stages += [(key, label) for key, label in CONVENTION_STAGES.values()]
    return [
        StageTime(
            key,
            str(label),
            len(durations.get(key, [])),
            median(durations.get(key, [])),
            p90(durations.get(key, [])),
        )
        for key, label in stages
        if durations.get(key)
    ]


def _submitted(call_ids):
    applications = Application.objects.submitted()
    return applications if call_ids is None else applications.filter(call_id__in=call_ids)


def per_stage(call_ids=None) -> dict[str, int]:
    rows = _submitted(call_ids).values_list("status").annotate(n=Count("pk"))
    return {status: n for status, n in rows}


def per_cutoff(calls: list[CallPage]) -> dict[int, list[dict]]:
    """Applications collected at each relève of each call: filed before it, after the one
    before. Two queries."""
    ids = [c.pk for c in calls]
    cutoffs = defaultdict(list)
    for cutoff in CallCutoff.objects.filter(call_id__in=ids, stage=1).order_by("closes_at"):
        cutoffs[cutoff.call_id].append(cutoff.closes_at)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    filed = _submitted(ids).exclude(submitted_at=None).values_list("call_id", "submitted_at")
    for call_id, submitted_at in filed:
        index = next((i for i, at in enumerate(cutoffs[call_id]) if submitted_at <= at), None)
        if index is not None:
            counts[(call_id, index)] += 1
    return {
        call_id: [{"closes_at": at, "count": counts[(call_id, i)]} for i, at in enumerate(ats)]
        for call_id, ats in cutoffs.items()
    }


def selection(counts: dict[str, int]) -> dict:
    received = sum(counts.values())
    decided = sum(counts.get(s, 0) for s in DECIDED_STATES)
    chosen = sum(counts.get(s, 0) for s in SELECTED_STATES)
    return {
        "received": received,
        "decided": decided,
        "selected": chosen,
        "rate_of_decided": round(100 * chosen / decided, 1) if decided else None,
        "rate_of_received": round(100 * chosen / received, 1) if received else None,
    }


def overdue_reviews(call_ids=None, today=None) -> list[dict]:
    """Reviews past their due date and not submitted, per expert."""
    today = today or timezone.localdate()
    submitted = Review.objects.filter(assignment=OuterRef("pk"), status=Review.Status.SUBMITTED)
    rows = (
        ReviewAssignment.objects.exclude(conflict=ReviewAssignment.Conflict.CONFLICTED)
        .filter(due_on__lt=today, application__status__in=UNDER_INSTRUCTION)
        .exclude(Exists(submitted))
    )
    if call_ids is not None:
        rows = rows.filter(application__call_id__in=call_ids)
    grouped = (
        rows.values("reviewer_id", "reviewer__first_name", "reviewer__last_name", "reviewer__email")
        .annotate(n=Count("pk"))
        .order_by("-n", "reviewer__last_name")
    )
    return [
        {
            "name": f"{r['reviewer__first_name']} {r['reviewer__last_name']}".strip()
            or r["reviewer__email"],
            "count": r["n"],
        }
        for r in grouped
    ]


def money_per_call(call_ids=None) -> dict[int, dict[str, int]]:
    """Per call, in cents: requested, granted (the committee's amounts of selected
    projects), committed (signed conventions), paid."""
    result: dict[int, dict[str, int]] = defaultdict(
        lambda: {"requested": 0, "granted": 0, "committed": 0, "paid": 0}
    )
    requested = _submitted(call_ids).values_list("call_id").annotate(t=Sum("amount_requested"))
    for call_id, total in requested:
        result[call_id]["requested"] = round((total or 0) * 100)
    decisions = CommitteeDecision.objects.filter(
        outcome=CommitteeDecision.Outcome.SELECTED, application__status__in=SELECTED_STATES
    )
    if call_ids is not None:
        decisions = decisions.filter(application__call_id__in=call_ids)
    for call_id, total in decisions.values_list("application__call_id").annotate(
        t=Sum("amount_granted")
    ):
        result[call_id]["granted"] = round((total or 0) * 100)
    ledgers = Ledger.objects.all()
    if call_ids is not None:
        ledgers = ledgers.filter(convention__application__call_id__in=call_ids)
    rows = ledgers.values_list("convention__application__call_id").annotate(
        committed=Sum(
            F("grant_cents") + F("advance_cents"),
            filter=Q(convention__status__in=COMMITTED_STATES),
        ),
        paid=Sum(F("paid_grant_cents") + F("paid_advance_cents")),
    )
    for call_id, committed, paid in rows:
        result[call_id]["committed"] = committed or 0
        result[call_id]["paid"] = paid or 0
    return result


def committed_by(dimension: str) -> list[dict]:
    """Committed and paid cents of signed conventions, grouped by ``dimension``: call,
    region, theme or year. One query (and one for the names)."""
    field = {
        "call": "convention__application__call_id",
        "region": "convention__application__organisation__region",
        "theme": "convention__application__answers__projet__theme",
        "year": "year",
    }[dimension]
    ledgers = Ledger.objects.filter(convention__status__in=COMMITTED_STATES).annotate(
        year=ExtractYear("convention__in_force_at")
    )
    rows = (
        ledgers.values(field)
        .annotate(
            projects=Count("pk"),
            committed=Sum(F("grant_cents") + F("advance_cents")),
            paid=Sum(F("paid_grant_cents") + F("paid_advance_cents")),
        )
        .order_by(field)
    )
    names = _names(dimension, [r[field] for r in rows])
    out = [
        {
            "key": str(r[field] if r[field] is not None else ""),
            "label": names.get(r[field], str(r[field] or "—")),
            "projects": r["projects"],
            "committed": r["committed"] or 0,
            "paid": r["paid"] or 0,
        }
        for r in rows
    ]
    return sorted(out, key=lambda r: (-r["committed"], r["label"]))


def _names(dimension: str, keys: list) -> dict:
    if dimension == "call":
        return localized_titles(CallPage.objects.filter(pk__in=keys))
    if dimension == "region":
        return {code: str(label) for code, label in Region.choices}
    if dimension == "theme":
        return dict(
            Theme.objects.filter(slug__in=[k for k in keys if k]).values_list("slug", "name")
        )
    return {}


def programme_calls():
    """The calls of the programme: French pages, the reference (English ones translate them)."""
    return CallPage.objects.filter(locale__language_code=default_language()).order_by(
        "-first_published_at", "pk"
    )


def days_label(days: float | None) -> str:
    if days is None:
        return "—"
    return formats.number_format(round(days, 1), 1, use_l10n=True)
