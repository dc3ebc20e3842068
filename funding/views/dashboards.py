"""The dashboards: staff's, per call or for the whole programme, with its CSV; the public
one at /chiffres/, with its open data (CSV and JSON). Charts are server-drawn SVG bars, each
followed by its data table (the accessible alternative)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cms.locales import localized_titles
from core.roles import is_programme_wide, staff_only
from core.spreadsheets import csv_text
from core.vocabulary import ApplicationStatus

from .. import statistics as stats
from ..amounts import cents_label, euros


def bars(rows: list[tuple[str, float, str]]) -> list[dict]:
    """(label, value, text shown) → rows with their bar's width in % of the largest."""
    top = max((value for _label, value, _text in rows), default=0) or 1
    return [
        {"label": label, "value": value, "text": text, "width": round(100 * value / top, 1)}
        for label, value, text in rows
    ]


def _call_filter(request: HttpRequest, calls: dict[int, str]) -> int | None:
    raw = request.GET.get("appel", "")
    return int(raw) if raw.isdigit() and int(raw) in calls else None


def staff_figures(call_id: int | None, user) -> dict:
    """The figures of one call, or of every call ``user`` runs (the whole programme for the
    programme-wide role)."""
    calls_qs = stats.programme_calls().run_by(user)
    calls = localized_titles(calls_qs)
    call_ids = [call_id] if call_id else (None if is_programme_wide(user) else list(calls))
    counts = stats.per_stage(call_ids)
    money = stats.money_per_call(call_ids)
    envelopes = dict(calls_qs.values_list("pk", "budget_envelope"))
    shown = [call_id] if call_id else list(calls)
    per_call = [
        {
            "title": calls[pk],
            "envelope": round((envelopes.get(pk) or 0) * 100),
            **money.get(pk, {"requested": 0, "granted": 0, "committed": 0, "paid": 0}),
        }
        for pk in shown
    ]
    totals = {
        key: sum(row[key] for row in per_call)
        for key in ("envelope", "requested", "granted", "committed", "paid")
    }
    cutoffs = stats.per_cutoff(list(calls_qs.filter(pk__in=shown)))
    times = stats.stage_times(call_ids)
    return {
        "calls": calls,
        "call_id": call_id,
        "call_title": calls.get(call_id, ""),
        "selection": stats.selection(counts),
        "stages": bars(
            [
                (str(label), counts.get(value, 0), str(counts.get(value, 0)))
                for value, label in ApplicationStatus.choices
                if value != ApplicationStatus.DRAFT and counts.get(value)
            ]
        ),
        "cutoffs": [
            {"title": calls[pk], "cutoffs": cutoffs.get(pk, [])} for pk in shown if cutoffs.get(pk)
        ],
        "times": times,
        "time_bars": bars(
            [(t.label, t.median_days or 0, stats.days_label(t.median_days)) for t in times]
        ),
        "per_call": per_call,
        "totals": totals,
        "money_bars": bars(
            [
                (str(label), totals[key], cents_label(totals[key]))
                for key, label in (
                    ("envelope", _("Enveloppe")),
                    ("requested", _("Demandé")),
                    ("granted", _("Accordé")),
                    ("committed", _("Engagé")),
                    ("paid", _("Versé")),
                )
            ]
        ),
        "overdue": stats.overdue_reviews(call_ids),
    }


@staff_only
@require_GET
def staff_dashboard(request: HttpRequest) -> HttpResponse:
    calls = localized_titles(stats.programme_calls().run_by(request.user))
    figures = staff_figures(_call_filter(request, calls), request.user)
    return render(request, "funding/staff_dashboard.html", {**figures, "days": stats.days_label})


def _euros_cell(cents: int) -> str:
    return f"{euros(cents):.2f}"


@staff_only
@require_GET
def staff_dashboard_csv(request: HttpRequest) -> HttpResponse:
    calls = localized_titles(stats.programme_calls().run_by(request.user))
    figures = staff_figures(_call_filter(request, calls), request.user)
    headers = [
        _("Appel"),
        _("Enveloppe (€)"),
        _("Demandé (€)"),
        _("Accordé (€)"),
        _("Engagé (€)"),
        _("Versé (€)"),
    ]
    rows = [
        [row["title"]]
        + [
            _euros_cell(row[k]).replace(".", ",")
            for k in ("envelope", "requested", "granted", "committed", "paid")
        ]
        for row in figures["per_call"]
    ]
    rows.append([])
    rows.append([_("Étape"), _("Séjours terminés"), _("Médiane (jours)"), _("9e décile (jours)")])
    rows += [
        [t.label, t.count, stats.days_label(t.median_days), stats.days_label(t.p90_days)]
        for t in figures["times"]
    ]
    response = HttpResponse(
        csv_text(headers, rows, delimiter=";").encode("utf-8-sig"),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="tableau-de-bord.csv"'
    return response


# -- Public -------------------------------------------------------------------------------

DIMENSIONS = ("call", "region", "theme", "year")


def public_figures() -> dict:
    counts = stats.per_stage()
    selection = stats.selection(counts)
    by = {dimension: stats.committed_by(dimension) for dimension in DIMENSIONS}
    committed = sum(row["committed"] for row in by["call"])
    paid = sum(row["paid"] for row in by["call"])
    public_stages = {s.value for s in ApplicationStatus} - {ApplicationStatus.DRAFT}
    times = [t for t in stats.stage_times() if t.stage in public_stages]
    return {
        "received": selection["received"],
        "selected": selection["selected"],
        "committed": committed,
        "paid": paid,
        "by": by,
        "times": times,
    }


@require_GET
def public_dashboard(request: HttpRequest) -> HttpResponse:
    figures = public_figures()
    titles = {
        "call": _("Par appel à projets"),
        "region": _("Par région"),
        "theme": _("Par thématique"),
        "year": _("Par année d'engagement"),
    }
    sections = [
        {
            "key": dimension,
            "title": titles[dimension],
            "rows": figures["by"][dimension],
            "bars": bars(
                [
                    (r["label"], r["committed"], cents_label(r["committed"]))
                    for r in figures["by"][dimension]
                ]
            ),
        }
        for dimension in DIMENSIONS
    ]
    return render(
        request,
        "funding/public_dashboard.html",
        {
            **figures,
            "committed_label": cents_label(figures["committed"]),
            "paid_label": cents_label(figures["paid"]),
            "sections": sections,
            "time_bars": bars(
                [
                    (t.label, t.median_days or 0, stats.days_label(t.median_days))
                    for t in figures["times"]
                ]
            ),
            "days": stats.days_label,
        },
    )


def open_data() -> dict:
    figures = public_figures()

    def rows(dimension: str) -> list[dict]:
        return [
            {
                "key": r["key"],
                "label": r["label"],
                "projects": r["projects"],
                "committed_eur": _euros_cell(r["committed"]),
                "paid_eur": _euros_cell(r["paid"]),
            }
            for r in figures["by"][dimension]
        ]

    return {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(),
        "applications_received": figures["received"],
        "applications_selected": figures["selected"],
        "committed_eur": _euros_cell(figures["committed"]),
        "paid_eur": _euros_cell(figures["paid"]),
        "by_call": rows("call"),
        "by_region": rows("region"),
        "by_theme": rows("theme"),
        "by_year": rows("year"),
        "processing_days": [
            {
                "stage": t.stage,
                "label": t.label,
                "stays": t.count,
                "median": round(t.median_days, 2) if t.median_days is not None else None,
                "p90": round(t.p90_days, 2) if t.p90_days is not None else None,
            }
            for t in figures["times"]
        ],
    }


@require_GET
def public_json(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(open_data(), json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="chiffres-ruche.json"'
    return response


@require_GET
def public_csv(request: HttpRequest) -> HttpResponse:
    """One row per figure, the same as the JSON: comma-separated UTF-8 with decimal points,
    for machines. ``count`` is projects, stays or applications as the dimension says."""
    data = open_data()
    rows = []
    for dimension in DIMENSIONS:
        for r in data[f"by_{dimension}"]:
            rows.append(
                [dimension, r["key"], r["label"], r["projects"], r["committed_eur"], r["paid_eur"]]
                + ["", ""]
            )
    for t in data["processing_days"]:
        rows.append(
            ["processing_days", t["stage"], t["label"], t["stays"], "", "", t["median"], t["p90"]]
        )
    for key in ("received", "selected"):
        rows.append(["applications", key, "", data[f"applications_{key}"], "", "", "", ""])
    headers = [
        "dimension",
        "key",
        "label",
        "count",
        "committed_eur",
        "paid_eur",
        "median_days",
        "p90_days",
    ]
    response = HttpResponse(
        csv_text(headers, rows, delimiter=","), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="chiffres-ruche.csv"'
    return response
