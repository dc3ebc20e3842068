"""Public pages drawn from kept fragments (cms.caching) stay right as time passes: a call's
status, its next relève and every countdown's wording, for anonymous visitors; signed-in
visitors and visitors with a message get their own page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.formatting import countdown

from ..factories import make_call
from ..grants_factories import UserFactory


@pytest.fixture
def moment():
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def call(calls_index, moment):
    return make_call(
        calls_index,
        title="Télésurveillance en ville",
        opens_at=moment - timedelta(days=10),
        cutoffs=[moment + timedelta(days=3, hours=5), moment + timedelta(days=40)],
    )


def later(monkeypatch, instant):
    """The clock reads ``instant`` from now on (nothing in the content changes)."""
    monkeypatch.setattr(timezone, "now", lambda: instant)


def countdown_of(page: str, instant) -> bool:
    return f'data-countdown="{timezone.localtime(instant).isoformat()}"' in page


def test_an_anonymous_call_page_follows_the_clock(client, call, moment, monkeypatch):
    first, second = (cutoff.closes_at for cutoff in call.sorted_cutoffs())
    page = client.get(call.url).content.decode()
    assert countdown_of(page, first) and countdown(first, moment) in page

    # A day later the wording changes; past the first relève, the second one is next.
    later(monkeypatch, moment + timedelta(days=1))
    page = client.get(call.url).content.decode()
    assert countdown(first, moment + timedelta(days=1)) in page
    later(monkeypatch, first + timedelta(minutes=1))
    page = client.get(call.url).content.decode()
    assert countdown_of(page, second) and not countdown_of(page, first)
    assert "ruche-past" in page


def test_a_closed_call_shows_no_way_to_apply(client, call, moment, monkeypatch):
    assert "Déposer un dossier" in client.get(call.url).content.decode()
    last = call.sorted_cutoffs()[-1].closes_at
    later(monkeypatch, last + timedelta(minutes=1))
    page = client.get(call.url).content.decode()
    assert "Déposer un dossier" not in page
    assert not countdown_of(page, last)


def test_a_signed_in_visitor_gets_their_own_call_page(client, call):
    client.get(call.url)  # the anonymous page is kept
    client.force_login(UserFactory(email="dora@example.org"))
    page = client.get(call.url).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    assert f'name="next" value="{call.url}"' not in page


def test_lists_of_calls_follow_the_clock(client, calls_index, call, moment, monkeypatch):
    first = call.sorted_cutoffs()[0].closes_at
    for url in ("/", calls_index.url):
        assert countdown(first, moment) in client.get(url).content.decode()
    later(monkeypatch, moment + timedelta(days=2))
    for url in ("/", calls_index.url):
        page = client.get(url).content.decode()
        assert countdown(first, moment + timedelta(days=2)) in page
        assert countdown(first, moment) not in page
