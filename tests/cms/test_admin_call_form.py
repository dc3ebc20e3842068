"""A programme officer publishes a call through the Wagtail admin; the form refuses
inconsistent schedules, weights and tracks with a clear message."""

import html
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import CallPage

from ..factories import OperatorFactory


@pytest.fixture
def officer(db):
    return get_user_model().objects.create_superuser("chargee", "chargee@example.org", "x" * 12)


def call_form(operator, **overrides) -> dict:
    data = {
        "title": "Santé mentale et numérique",
        "slug": "sante-mentale",
        "summary": "Soutenir les solutions numériques en santé mentale.",
        "operator": str(operator.pk),
        "budget_envelope": "12000000",
        "max_amount_per_project": "600000",
        "aid_rate_percent": "50",
        # Typed in Paris time, as an officer reads the call's calendar.
        "opens_at": "2026-02-02 09:00",
        "closed_early_at": "",
        "early_closure_reason": "",
        "cutoffs": inline_formset(
            [
                {"stage": "1", "closes_at": "2026-03-12 12:00", "label": "1re relève"},
                {"stage": "1", "closes_at": "2026-06-30 12:00", "label": "Relève finale"},
            ]
        ),
        "body": streamfield([]),
        "eligibility": rich_text("<p>PME françaises.</p>"),
        "criteria": inline_formset(
            [
                {"label": "Innovation", "weight": "70", "description": ""},
                {"label": "Impact", "weight": "30", "description": ""},
            ]
        ),
        "review_tracks": inline_formset(
            [{"track": "ethics", "weight": "1"}, {"track": "security", "weight": "1"}]
        ),
        "documents": inline_formset([]),
        "questions": inline_formset([]),
        "contact_name": "",
        "contact_email": "sante-mentale@example.org",
        "action-publish": "publish",
    }
    data.update(overrides)
    return nested_form_data(data)


def post_new_call(client, index, data):
    url = reverse("wagtailadmin_pages:add", args=("cms", "callpage", index.pk))
    return client.post(url, data)


@pytest.mark.django_db
def test_officer_publishes_a_call_with_paris_times(client, officer, calls_index):
    client.force_login(officer)
    response = post_new_call(client, calls_index, call_form(OperatorFactory()))
    assert response.status_code == 302, response.context["form"].errors

    call = CallPage.objects.get(slug="sante-mentale")
    assert call.live
    # 12 March 2026 at noon in Paris (winter time, UTC+1) and 30 June (summer time, UTC+2).
    assert [c.closes_at.astimezone(UTC) for c in call.sorted_cutoffs()] == [
        datetime(2026, 3, 12, 11, tzinfo=UTC),
        datetime(2026, 6, 30, 10, tzinfo=UTC),
    ]
    assert [t.track for t in call.review_tracks.all()] == ["ethics", "security"]
    assert client.get(call.url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"cutoffs": inline_formset([{"stage": "1", "closes_at": "2026-01-10 12:00"}])},
            "Une relève précède l'ouverture de l'appel.",
        ),
        (
            {"cutoffs": inline_formset([{"stage": "2", "closes_at": "2026-05-10 12:00"}])},
            "Indiquez au moins une relève de dépôt.",
        ),
        (
            {"criteria": inline_formset([{"label": "Innovation", "weight": "70"}])},
            "Les pondérations des critères totalisent 70 % au lieu de 100 %.",
        ),
        (
            {
                "review_tracks": inline_formset(
                    [{"track": "ethics", "weight": "1"}, {"track": "ethics", "weight": "2"}]
                )
            },
            "Chaque expertise ne peut figurer qu'une fois.",
        ),
        (
            {"max_amount_per_project": "20000000"},
            "Le montant maximal par projet dépasse l'enveloppe de l'appel.",
        ),
        (
            {"closed_early_at": "2026-03-01 12:00", "early_closure_reason": ""},
            "Indiquez le motif de la clôture anticipée.",
        ),
    ],
)
def test_inconsistent_call_is_refused_with_a_clear_message(
    client, officer, calls_index, overrides, message
):
    client.force_login(officer)
    operator = OperatorFactory()
    base = call_form(operator)
    # Replace whole inline formsets rather than merging their keys.
    for prefix in ("cutoffs", "criteria", "review_tracks"):
        if prefix in overrides:
            base = {k: v for k, v in base.items() if not k.startswith(prefix + "-")}
    response = post_new_call(client, calls_index, {**base, **call_form(operator, **overrides)})
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert not CallPage.objects.filter(slug="sante-mentale").exists()
