"""When is a call open? Boundaries at the second, across daylight-saving changes, relèves,
early closure and two-stage calls. The queryset filters must agree with ``CallPage.status``."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from cms.models import CallPage
from cms.models.calls import CallStatus

from ..factories import make_call, paris

SECOND = timedelta(seconds=1)


def statuses_agree(call: CallPage, now: datetime) -> CallStatus:
    """The status from the page, checked against the one the list filters compute."""
    status = call.status(now)
    found = [
        s for s in CallStatus if CallPage.objects.with_status(s, now).filter(pk=call.pk).exists()
    ]
    assert found == [status], f"at {now}: status() says {status}, querysets say {found}"
    return status


@pytest.mark.django_db
def test_open_from_opening_until_the_last_cutoff_to_the_second(calls_index):
    opens, closes = paris(2026, 1, 15, 9), paris(2026, 3, 12, 12)
    call = make_call(calls_index, opens_at=opens, cutoffs=[closes])

    assert statuses_agree(call, opens - SECOND) == CallStatus.UPCOMING
    assert statuses_agree(call, opens) == CallStatus.OPEN
    assert statuses_agree(call, closes - SECOND) == CallStatus.OPEN
    # At 12:00:00 sharp the call is closed: "avant 12h00" means strictly before.
    assert statuses_agree(call, closes) == CallStatus.CLOSED
    assert statuses_agree(call, closes + SECOND) == CallStatus.CLOSED


@pytest.mark.django_db
def test_noon_in_paris_is_the_same_wall_clock_on_both_sides_of_dst(calls_index):
    # 2026-03-29: France moves from UTC+1 to UTC+2. Both cut-offs are at noon, Paris time.
    winter, summer = paris(2026, 3, 27, 12), paris(2026, 3, 31, 12)
    call = make_call(calls_index, opens_at=paris(2026, 1, 5, 9), cutoffs=[winter, summer])

    stored = sorted(c.closes_at.astimezone(UTC) for c in call.cutoffs.all())
    assert stored == [datetime(2026, 3, 27, 11, tzinfo=UTC), datetime(2026, 3, 31, 10, tzinfo=UTC)]
    noon_utc_plus_2 = datetime(2026, 3, 31, 10, tzinfo=UTC)
    assert statuses_agree(call, noon_utc_plus_2 - SECOND) == CallStatus.OPEN
    assert statuses_agree(call, noon_utc_plus_2) == CallStatus.CLOSED
    # An hour later in UTC terms would be wrong by the DST offset: still closed, not reopened.
    assert statuses_agree(call, noon_utc_plus_2 + timedelta(hours=1)) == CallStatus.CLOSED


@pytest.mark.django_db
def test_autumn_dst_change_between_opening_and_closing(calls_index):
    # 2026-10-25: back from UTC+2 to UTC+1. Closing at noon on the 26th is 11:00 UTC.
    call = make_call(calls_index, opens_at=paris(2026, 10, 1, 9), cutoffs=[paris(2026, 10, 26, 12)])
    closing_utc = datetime(2026, 10, 26, 11, tzinfo=UTC)
    assert call.closing_at == closing_utc
    assert statuses_agree(call, closing_utc - SECOND) == CallStatus.OPEN
    assert statuses_agree(call, closing_utc) == CallStatus.CLOSED


@pytest.mark.django_db
def test_next_cutoff_moves_from_relève_to_relève(calls_index):
    relèves = [paris(2026, 11, 5, 12), paris(2026, 12, 10, 12), paris(2027, 1, 15, 12)]
    call = make_call(calls_index, opens_at=paris(2026, 9, 1, 9), cutoffs=list(reversed(relèves)))

    assert call.next_cutoff(paris(2026, 10, 1)).closes_at == relèves[0]
    assert call.next_cutoff(relèves[0] - SECOND).closes_at == relèves[0]
    assert call.next_cutoff(relèves[0]).closes_at == relèves[1]
    assert call.next_cutoff(relèves[2] - SECOND).closes_at == relèves[2]
    assert call.next_cutoff(relèves[2]) is None
    # Between relèves the call stays open: applications wait for the next collection.
    assert statuses_agree(call, relèves[0] + SECOND) == CallStatus.OPEN


@pytest.mark.django_db
def test_early_closure_closes_before_the_last_relève(calls_index):
    early = paris(2026, 3, 13, 12)
    call = make_call(
        calls_index,
        opens_at=paris(2025, 11, 1, 9),
        cutoffs=[paris(2026, 1, 30, 12), paris(2026, 3, 31, 12)],
        closed_early_at=early,
        early_closure_reason="Enveloppe consommée.",
    )
    assert call.is_closed_early
    assert call.closing_at == early
    assert statuses_agree(call, early - SECOND) == CallStatus.OPEN
    assert statuses_agree(call, early) == CallStatus.CLOSED
    assert call.next_cutoff(early + SECOND) is None


@pytest.mark.django_db
def test_close_early_requires_a_reason(calls_index):
    call = make_call(calls_index, opens_at=paris(2026, 1, 1, 9), cutoffs=[paris(2026, 6, 1, 12)])
    with pytest.raises(ValidationError):
        call.close_early("   ", at=paris(2026, 3, 1, 12))
    assert call.closed_early_at is None

    call.close_early("Enveloppe consommée.", at=paris(2026, 3, 1, 12))
    call.save()
    call.refresh_from_db()
    assert statuses_agree(call, paris(2026, 3, 1, 12)) == CallStatus.CLOSED
    assert call.early_closure_reason == "Enveloppe consommée."


@pytest.mark.django_db
def test_second_stage_deadlines_do_not_extend_the_submission_window(calls_index):
    last_first_stage = paris(2027, 2, 26, 12)
    call = make_call(
        calls_index,
        opens_at=paris(2026, 10, 1, 9),
        cutoffs=[paris(2026, 12, 11, 12), last_first_stage],
        second_stage=[paris(2027, 4, 30, 12)],
    )
    assert call.is_two_stage
    assert call.closing_at == last_first_stage
    assert statuses_agree(call, last_first_stage) == CallStatus.CLOSED
