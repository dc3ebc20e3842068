"""The programme staff back office: who gets in, the queues and their filters, the exports,
batch transitions and the staff page of one application."""

import csv
import html
import io
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.roles import COMMITTEE_GROUP, PROGRAMME_WIDE_GROUP
from core.vocabulary import ApplicationStatus as S
from evaluation.models import StageOverride, TransitionLog
from evaluation.services import fire, submit_application
from grants.models import Application

from ..factories import make_call
from ..grants_factories import OrganisationFactory, UserFactory, complete_application

QUEUES = reverse("evaluation:queues")
BULK = reverse("evaluation:bulk")


def open_call(index, tracks=(), days_open=5, **fields):
    now = timezone.now()
    return make_call(
        index,
        opens_at=now - timedelta(days=days_open),
        cutoffs=[now + timedelta(days=5)],
        tracks=tracks,
        **fields,
    )


def submitted(call, title="TeleCardio", organisation_name=None, at=None):
    organisation = OrganisationFactory(
        **({"legal_name": organisation_name} if organisation_name else {})
    )
    application = complete_application(call, organisation=organisation)
    Application.objects.filter(pk=application.pk).update(project_title=title)
    application.refresh_from_db()
    return submit_application(application, application.created_by, now=at)


def page_url(application):
    return reverse("evaluation:application", args=[application.pk])


def status_of(application):
    return Application.objects.get(pk=application.pk).status


def text(response):
    return html.unescape(response.content.decode())


def message_texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def staff(db):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=PROGRAMME_WIDE_GROUP))
    return user


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


# -- Who gets in ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_programme_staff_enter_the_back_office(client, calls_index, staff):
    application = submitted(open_call(calls_index))
    applicant = application.created_by
    outsider = UserFactory()
    committee_member = UserFactory()
    committee_member.groups.add(Group.objects.get(name=COMMITTEE_GROUP))
    gets = [
        QUEUES,
        f"{QUEUES}?etat=eligibility",
        reverse("evaluation:export", args=["csv"]),
        reverse("evaluation:export", args=["xlsx"]),
        page_url(application),
        BULK,
    ]
    posts = {
        BULK: {
            "transition": "start_eligibility_check",
            "expected_status": "submitted",
            "dossiers": [application.pk],
            "comment": "Pris",
        },
        page_url(application): {
            "action": "transition",
            "transition": "start_eligibility_check",
            "expected_status": "submitted",
        },
    }

    for url in gets:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url
    for user in (applicant, outsider, committee_member):
        client.force_login(user)
        for url in gets:
            assert client.get(url).status_code == 403, (user, url)
        for url, data in posts.items():
            assert client.post(url, data).status_code == 403, (user, url)
    assert status_of(application) == S.SUBMITTED

    client.force_login(staff)
    assert client.get(QUEUES).status_code == 200
    assert client.get(page_url(application)).status_code == 200


@pytest.mark.django_db
def test_drafts_are_never_shown_to_staff(staff_client, calls_index):
    draft = complete_application(open_call(calls_index))
    assert staff_client.get(page_url(draft)).status_code == 404
    response = staff_client.get(QUEUES)
    assert draft.reference not in text(response)


# -- Queues and filters ---------------------------------------------------------------------


def references(response):
    return {row["application"].reference for row in response.context["rows"]}


@pytest.mark.django_db
def test_counts_per_state_and_the_default_queue(staff_client, calls_index, staff):
    call = open_call(calls_index)
    first, second, third = submitted(call), submitted(call), submitted(call)
    fire(third, "start_eligibility_check", staff)
    complete_application(call)  # a draft: counted nowhere

    response = staff_client.get(QUEUES)
    assert response.status_code == 200
    counts = {state["value"]: state["count"] for state in response.context["states"]}
    assert "draft" not in counts
    assert len(counts) == len(S) - 1
    assert counts["submitted"] == 2 and counts["eligibility"] == 1 and counts["committee"] == 0
    assert references(response) == {first.reference, second.reference}

    response = staff_client.get(QUEUES, {"etat": "eligibility"})
    assert references(response) == {third.reference}
    # An unknown state falls back to the default queue.
    assert references(staff_client.get(QUEUES, {"etat": "nimportequoi"})) == {
        first.reference,
        second.reference,
    }


@pytest.mark.django_db
def test_filters_by_call_track_and_search_combine(staff_client, calls_index):
    ethics_call = open_call(calls_index, ("ethics",), title="Appel éthique")
    security_call = open_call(calls_index, ("security",), title="Appel sécurité")
    cardio = submitted(ethics_call, "TeleCardio", "Cardio Santé SAS")
    dermato = submitted(ethics_call, "DermaScan", "Peau Neuve SAS")
    secure = submitted(security_call, "SecuDossier", "Coffre Fort SAS")

    assert references(staff_client.get(QUEUES, {"appel": ethics_call.pk})) == {
        cardio.reference,
        dermato.reference,
    }
    assert references(staff_client.get(QUEUES, {"expertise": "security"})) == {secure.reference}
    assert references(staff_client.get(QUEUES, {"expertise": "interoperability"})) == set()
    assert references(staff_client.get(QUEUES, {"recherche": "derma"})) == {dermato.reference}
    assert references(staff_client.get(QUEUES, {"recherche": "coffre fort"})) == {secure.reference}
    assert references(staff_client.get(QUEUES, {"recherche": cardio.reference})) == {
        cardio.reference
    }
    both = staff_client.get(QUEUES, {"appel": ethics_call.pk, "recherche": "SAS"})
    assert references(both) == {cardio.reference, dermato.reference}
    none = staff_client.get(QUEUES, {"appel": security_call.pk, "recherche": "derma"})
    assert references(none) == set()
    # The counts follow the other filters.
    counts = {s["value"]: s["count"] for s in both.context["states"]}
    assert counts["submitted"] == 2


@pytest.mark.django_db
def test_overdue_means_longer_than_n_days_in_the_same_state(
    staff_client, calls_index, staff, settings
):
    call = open_call(calls_index, days_open=40)
    old = submitted(call, "Ancien", at=timezone.now() - timedelta(days=20))
    recent = submitted(call, "Récent")
    # Moved yesterday: it left "submitted" twenty days after submission, so it is not late.
    moved = submitted(call, "Déplacé", at=timezone.now() - timedelta(days=20))
    fire(moved, "start_eligibility_check", staff)

    response = staff_client.get(QUEUES, {"en_retard": "1"})
    assert references(response) == {old.reference}
    row = response.context["rows"][0]
    assert row["days"] == 20 and row["overdue"]
    assert references(staff_client.get(QUEUES)) == {old.reference, recent.reference}
    assert references(staff_client.get(QUEUES, {"etat": "eligibility", "en_retard": "1"})) == set()

    settings.RUCHE_OVERDUE_DAYS = 30
    assert references(staff_client.get(QUEUES, {"en_retard": "1"})) == set()


@pytest.mark.django_db
def test_the_queue_page_makes_a_bounded_number_of_queries(
    staff_client, calls_index, django_assert_max_num_queries
):
    calls = [open_call(calls_index, ("ethics",)), open_call(calls_index, ("security",))]
    submitted(calls[0], "Projet 0")
    staff_client.get(QUEUES)  # warm the caches (site, settings)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(QUEUES, {"recherche": "Projet"})
    for index in range(1, 30):
        submitted(calls[index % 2], f"Projet {index}")

    # Session, user and groups, the calls and relèves of the filters, count, rows, counts per
    # state, and the site's chrome: the same number of queries for 1 row as for 30.
    assert len(few) <= 21
    with django_assert_max_num_queries(len(few)):
        response = staff_client.get(QUEUES, {"recherche": "Projet"})
    assert len(response.context["rows"]) == 30
    assert text(response).count('name="dossiers"') == 30


# -- Exports --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_csv_export_is_for_french_excel_and_holds_the_filtered_rows(staff_client, calls_index):
    call, other_call = open_call(calls_index), open_call(calls_index)
    kept = submitted(call, "TeleCardio")
    formula = submitted(call, '=HYPERLINK("http://evil.example")')
    submitted(other_call, "Autre appel")

    response = staff_client.get(reverse("evaluation:export", args=["csv"]), {"appel": call.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["Référence", "Projet", "Organisation", "Appel"]
    assert "État" in header
    by_reference = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    assert set(by_reference) == {kept.reference, formula.reference}
    row = by_reference[kept.reference]
    assert row["Montant demandé (€)"] == "250000,00"
    assert row["État"] == "Déposé"
    assert row["Contrôles d'éligibilité au total"] == str(len(kept.eligibility_checks))
    # A title a spreadsheet would run as a formula is neutralised.
    assert by_reference[formula.reference]["Projet"].startswith("'=")


@pytest.mark.django_db
def test_xlsx_export_opens_with_a_header_row_and_one_row_per_application(
    staff_client, calls_index, staff
):
    call = open_call(calls_index)
    first, second = submitted(call, "TeleCardio"), submitted(call, "=1+1")
    fire(submitted(call), "start_eligibility_check", staff)  # another queue: not exported

    response = staff_client.get(reverse("evaluation:export", args=["xlsx"]))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "Référence" and len(rows) == 3
    assert {row[0] for row in rows[1:]} == {first.reference, second.reference}
    formula_cell = next(
        row for row in workbook.active.iter_rows(min_row=2) if row[0].value == second.reference
    )[1]
    assert formula_cell.data_type == "s" and formula_cell.value == "=1+1"
    assert staff_client.get(reverse("evaluation:export", args=["pdf"])).status_code == 404


# -- Batch transitions ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_batch_moves_what_it_can_and_reports_each_refusal(staff_client, calls_index, staff):
    call = open_call(calls_index)
    first, second, moved_meanwhile = submitted(call), submitted(call), submitted(call)
    fire(moved_meanwhile, "start_eligibility_check", staff)
    logs_before = TransitionLog.objects.filter(application=moved_meanwhile).count()

    back = f"{QUEUES}?etat=submitted&recherche=Tele"
    response = staff_client.post(
        BULK,
        {
            "transition": "start_eligibility_check",
            "expected_status": "submitted",
            "comment": "Prise en charge groupée",
            "dossiers": [first.pk, second.pk, moved_meanwhile.pk],
            "next": back,
        },
    )
    assert response.status_code == 302 and response["Location"] == back
    assert status_of(first) == status_of(second) == S.ELIGIBILITY
    assert status_of(moved_meanwhile) == S.ELIGIBILITY
    assert TransitionLog.objects.filter(application=moved_meanwhile).count() == logs_before
    assert (
        TransitionLog.objects.filter(application=first).latest("pk").comment
        == "Prise en charge groupée"
    )

    texts = message_texts(response)
    successes = [t for t in texts if "appliqué à 2 dossiers" in t]
    assert len(successes) == 1
    assert first.reference in successes[0] and second.reference in successes[0]
    refusals = [t for t in texts if moved_meanwhile.reference in t and t not in successes]
    assert len(refusals) == 1 and "modifié par quelqu'un d'autre" in refusals[0]


@pytest.mark.django_db
def test_a_batch_reports_each_workflow_refusal(staff_client, calls_index, staff):
    call = open_call(calls_index)
    applications = [fire(submitted(call), "start_eligibility_check", staff) for _ in range(2)]
    response = staff_client.post(
        BULK,
        {
            "transition": "declare_ineligible",
            "expected_status": "eligibility",
            "comment": "",
            "dossiers": [a.pk for a in applications],
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == f"{QUEUES}?etat=eligibility"
    assert all(status_of(a) == S.ELIGIBILITY for a in applications)
    texts = message_texts(response)
    assert len(texts) == 2 and all("Motivez la décision" in t for t in texts)

    response = staff_client.post(
        BULK, {"transition": "start_eligibility_check", "expected_status": "submitted"}
    )
    assert any("Cochez au moins un dossier" in t for t in message_texts(response))


# -- One application ------------------------------------------------------------------------


def radio_values(response):
    return {
        value for value, _label in response.context["transition_form"].fields["transition"].choices
    }


@pytest.mark.django_db
def test_the_page_offers_only_the_transitions_the_user_may_fire(staff_client, calls_index, staff):
    application = submitted(open_call(calls_index))
    response = staff_client.get(page_url(application))
    page = text(response)
    assert radio_values(response) == {"start_eligibility_check"}
    assert 'value="withdraw"' not in page
    assert application.reference in page and "SIRET" in page
    # Frozen answers, attachments and the automatic checks are shown.
    assert "Télésurveillance des insuffisants cardiaques" in page
    for attachment in application.attachments.all():
        assert reverse("grants:attachment_download", args=[application.pk, attachment.pk]) in page
    assert "SIRET valide" in page and "fr-badge--success" in page

    application = fire(application, "start_eligibility_check", staff)
    response = staff_client.get(page_url(application))
    assert radio_values(response) == {"declare_ineligible", "send_to_committee"}
    # Asking for information has its own form.
    assert response.context["information_form"] is not None


@pytest.mark.django_db
def test_firing_a_transition_moves_the_application_and_logs_the_comment(
    staff_client, calls_index, staff
):
    application = fire(submitted(open_call(calls_index)), "start_eligibility_check", staff)
    response = staff_client.post(
        page_url(application),
        {
            "action": "transition",
            "transition": "send_to_committee",
            "expected_status": "eligibility",
            "comment": "Éligible, dossier solide",
        },
    )
    assert response.status_code == 302
    assert status_of(application) == S.COMMITTEE
    entry = TransitionLog.objects.filter(application=application).latest("pk")
    assert (entry.transition, entry.comment, entry.actor) == (
        "send_to_committee",
        "Éligible, dossier solide",
        staff,
    )
    page = text(staff_client.get(response["Location"]))
    assert "Éligible, dossier solide" in page and "le dossier est maintenant" in page


@pytest.mark.django_db
def test_a_refused_transition_shows_why_and_keeps_the_comment(staff_client, calls_index, staff):
    application = fire(submitted(open_call(calls_index)), "start_eligibility_check", staff)
    response = staff_client.post(
        page_url(application),
        {
            "action": "transition",
            "transition": "declare_ineligible",
            "expected_status": "eligibility",
            "comment": "",
        },
    )
    assert response.status_code == 200
    assert "Motivez la décision d'irrecevabilité." in text(response)
    assert status_of(application) == S.ELIGIBILITY

    # A transition the call's conditions refuse: the typed comment stays in the textarea.
    response = staff_client.post(
        page_url(application),
        {
            "action": "transition",
            "transition": "start_ethics_review",
            "expected_status": "eligibility",
            "comment": "Mon commentaire détaillé",
        },
    )
    page = text(response)
    assert response.context["refusal"]
    assert all(str(message) in page for message in response.context["refusal"])
    assert "Mon commentaire détaillé</textarea>" in page
    assert status_of(application) == S.ELIGIBILITY


@pytest.mark.django_db
def test_a_stale_page_says_someone_else_moved_it_and_changes_nothing(
    staff_client, calls_index, staff
):
    application = submitted(open_call(calls_index))
    other = UserFactory()
    other.groups.add(Group.objects.get(name=PROGRAMME_WIDE_GROUP))
    fire(application, "start_eligibility_check", other)
    logs = TransitionLog.objects.filter(application=application).count()

    response = staff_client.post(
        page_url(application),
        {
            "action": "transition",
            "transition": "start_eligibility_check",
            "expected_status": "submitted",
            "comment": "Je le prends",
        },
    )
    page = text(response)
    assert response.status_code == 200
    assert "modifié par quelqu'un d'autre" in page
    assert "Je le prends</textarea>" in page
    assert status_of(application) == S.ELIGIBILITY
    assert TransitionLog.objects.filter(application=application).count() == logs
    # The form now offers what may be done in the new state.
    assert radio_values(response) == {"declare_ineligible", "send_to_committee"}
    assert response.context["transition_form"]["expected_status"].value() == "eligibility"


@pytest.mark.django_db
def test_a_stage_override_is_offered_in_review_stages_only(staff_client, calls_index, staff):
    application = fire(
        submitted(open_call(calls_index, ("ethics",))), "start_eligibility_check", staff
    )
    assert not staff_client.get(page_url(application)).context["in_review_stage"]
    application = fire(application, "start_ethics_review", staff, comment="Éligible")
    response = staff_client.get(page_url(application))
    assert response.context["in_review_stage"]
    assert radio_values(response) == set()
    assert "Non terminée" in text(response)

    data = {"action": "override", "expected_status": "ethics_review", "justification": "  "}
    response = staff_client.post(page_url(application), data)
    assert response.status_code == 200 and not StageOverride.objects.exists()
    data["justification"] = "Expert indisponible, avis écrit reçu par courrier."
    response = staff_client.post(page_url(application), data)
    assert response.status_code == 302
    assert StageOverride.objects.get().stage == S.ETHICS_REVIEW
    response = staff_client.get(page_url(application))
    assert radio_values(response) == {"send_to_committee"}
    assert "Expert indisponible" in text(response)


@pytest.mark.django_db
def test_the_queue_is_paginated_and_keeps_its_filters(staff_client, calls_index, monkeypatch):
    from evaluation.views import queues

    monkeypatch.setattr(queues, "PAGE_SIZE", 2)
    call = open_call(calls_index)
    applications = [submitted(call, f"Projet {n}") for n in range(3)]
    response = staff_client.get(QUEUES, {"recherche": "Projet", "page": 2})
    assert references(response) == {applications[2].reference}
    page = text(response)
    assert 'class="fr-pagination' in page
    assert "?recherche=Projet&page=1" in page


@pytest.mark.django_db
def test_a_queue_sorts_by_any_column_and_shows_the_chosen_columns(staff_client, calls_index):
    call = open_call(calls_index)
    small = submitted(call, "Petit projet")
    Application.objects.filter(pk=small.pk).update(amount_requested=Decimal(10_000))
    large = submitted(call, "Grand projet")
    Application.objects.filter(pk=large.pk).update(amount_requested=Decimal(400_000))

    response = staff_client.get(QUEUES, {"etat": "submitted", "tri": "-montant"})
    assert [row["application"].pk for row in response.context["rows"]] == [large.pk, small.pk]
    assert 'aria-sort="descending"' in text(response)
    response = staff_client.get(QUEUES, {"etat": "submitted", "tri": "montant"})
    assert [row["application"].pk for row in response.context["rows"]] == [small.pk, large.pk]
    # An unknown sort falls back to the oldest in the state first, without an error.
    assert staff_client.get(QUEUES, {"tri": "'; DROP TABLE"}).status_code == 200

    response = staff_client.get(QUEUES, {"etat": "submitted", "colonnes": ["projet", "montant"]})
    headings = [column["key"] for column in response.context["columns"]]
    assert headings == ["reference", "projet", "montant"]
    assert "Organisation</a></th>" not in text(response)
