"""What the follow-up lets the public catalogue show (``search`` reads it, sitting above):
the payment dates of the SCDL export and the project's status approved for its sheet."""

from __future__ import annotations

from datetime import date

from .models import Convention, ReportVersion
from .services.reports import indicators_of


def payment_dates(convention: Convention | None) -> list[date]:
    """The days money was paid, cancelled payments left out, in order. Reads the
    convention's prefetched ``payments`` when there are."""
    if convention is None:
        return []
    payments = list(convention.payments.all())
    cancelled = {p.reverses_id for p in payments if p.reverses_id} | {
        p.pk for p in payments if p.reverses_id
    }
    return sorted({p.paid_on for p in payments if p.pk not in cancelled})


def scdl_dates(convention: Convention | None) -> str:
    """SCDL ``datesPeriodeVersement``: ISO dates separated by « _ »."""
    return "_".join(day.isoformat() for day in payment_dates(convention))


def approved_status(convention: Convention | None) -> dict | None:
    """The status and results staff approved for the public sheet, or None."""
    progress = getattr(convention, "public_progress", None) if convention else None
    if progress is None:
        return None
    status = convention.project_status if progress.show_status else None
    if status is None and not progress.results and not progress.show_indicators:
        return None
    return {
        "status": status,
        "label": convention.get_project_status_display() if status else "",
        "results": progress.results,
        "indicators": published_indicators(convention) if progress.show_indicators else [],
    }


def published_indicators(convention: Convention) -> list[dict]:
    """The values of the latest accepted report, per indicator of the call."""
    latest = (
        ReportVersion.objects.filter(
            milestone__convention=convention, decision=ReportVersion.Decision.ACCEPTED
        )
        .order_by("-decided_at", "-pk")
        .first()
    )
    if latest is None:
        return []
    return [
        {"name": i.name, "unit": i.unit, "value": latest.values[str(i.pk)], "target": i.target}
        for i in indicators_of(convention)
        if latest.values.get(str(i.pk))
    ]
