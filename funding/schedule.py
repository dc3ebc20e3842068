"""The default schedule of a convention, from its call's terms: pure functions, no database.

Reports: ``progress_reports`` progress reports evenly spaced over the project, then the final
report ``final_report_months`` after its end. Payments: the advance at signature, one
intermediate payment per progress report (released when it is accepted), the balance after
the final report. Every tranche pays grant and advance in the award's proportion; the last
tranche takes the cents left by rounding, so the tranches add up to the award exactly.
The advance, if any, is repaid in yearly instalments after the project's end.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from .amounts import share, split


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day (31 January + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class PlannedMilestone:
    number: int
    kind: str  # "progress" or "final"
    due_on: date


@dataclass(frozen=True)
class PlannedTranche:
    order: int
    kind: str  # "advance", "intermediate", "balance"
    milestone_number: int | None
    grant_cents: int
    advance_cents: int


@dataclass(frozen=True)
class PlannedInstalment:
    number: int
    due_on: date
    cents: int


@dataclass(frozen=True)
class Schedule:
    milestones: list[PlannedMilestone]
    tranches: list[PlannedTranche]
    instalments: list[PlannedInstalment]
    start: date


def plan(
    *,
    grant_cents: int,
    advance_cents: int,
    start: date,
    duration_months: int,
    progress_reports: int,
    final_report_months: int,
    advance_payment_percent: int,
    balance_percent: int,
    repayment_instalments: int,
    repayment_starts_months: int,
) -> Schedule:
    end = add_months(start, duration_months)
    milestones = [
        PlannedMilestone(
            i, "progress", add_months(start, duration_months * i // (progress_reports + 1))
        )
        for i in range(1, progress_reports + 1)
    ]
    final = PlannedMilestone(progress_reports + 1, "final", add_months(end, final_report_months))
    milestones.append(final)

    total = grant_cents + advance_cents
    first = share(total, advance_payment_percent)
    last_share = share(total, balance_percent)
    middle = total - first - last_share
    # Equal intermediate payments (none without progress reports); left-overs to the balance.
    amounts = (
        [first] + [middle // progress_reports] * progress_reports if progress_reports else [first]
    )
    amounts.append(total - sum(amounts))

    tranches, grant_left, advance_left = [], grant_cents, advance_cents
    kinds = ["advance"] + ["intermediate"] * progress_reports + ["balance"]
    numbers = [None] + [m.number for m in milestones]
    for order, (kind, number, amount) in enumerate(zip(kinds, numbers, amounts, strict=True), 1):
        if order == len(kinds):
            grant_part, advance_part = grant_left, advance_left
        else:
            grant_part, _advance = split(amount, grant_cents, advance_cents)
            # Rounding never takes a part beyond what is left of it.
            grant_part = min(max(grant_part, amount - advance_left), grant_left)
            advance_part = amount - grant_part
        grant_left -= grant_part
        advance_left -= advance_part
        tranches.append(PlannedTranche(order, kind, number, grant_part, advance_part))

    instalments = []
    if advance_cents > 0 and repayment_instalments > 0:
        each = advance_cents // repayment_instalments
        for n in range(1, repayment_instalments + 1):
            cents = each if n < repayment_instalments else advance_cents - each * (n - 1)
            due = add_months(end, repayment_starts_months + 12 * (n - 1))
            instalments.append(PlannedInstalment(n, due, cents))
    return Schedule(milestones, tranches, instalments, start)
