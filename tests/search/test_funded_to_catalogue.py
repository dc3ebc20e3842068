"""From funding to the public catalogue, end to end.

A project is submitted, taken up by a programme officer, reviewed by an ethics expert, sent to
the committee, selected with an amount by a committee member, marked funded, then prepared and
published by staff. An anonymous visitor finds it with a French query with a typo, narrows the
results with the facets, opens its page and downloads the open data (CSV, JSON, SCDL
« subventions ») and the API: the project is there with the committee's amount, and nothing
private from the application is. Unpublished, it is gone from search, pages, API and exports.

Everything goes through the pages people use (back office, expert pages, committee session,
publication), each with the right user; the search index is fed by the publication outbox,
applied after the commit as in production.
"""

from __future__ import annotations

import copy
import csv
import html
import io
import json
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.roles import COMMITTEE_GROUP, PROGRAMME_WIDE_GROUP, REVIEWERS_GROUP
from core.vocabulary import ApplicationStatus as S
from ethics.models import CallGrid, Criterion, ReviewerProfile, ReviewGrid
from evaluation.models import CommitteeDecision, CommitteeSession
from evaluation.services import fire, record_committee_decision, submit_application
from grants.models import Application
from search.models import PublicProject
from search.opendata import PROJECT_COLUMNS, SCDL_COLUMNS
from search.outbox import pending_count

from ..factories import OperatorFactory, ThemeFactory, make_call
from ..grants_factories import (
    COMPLETE_ANSWERS,
    OrganisationFactory,
    UserFactory,
    complete_application,
    luhn_complete,
)

pytestmark = pytest.mark.django_db

TITLE = "Télésurveillance cardiaque à domicile"
ORGANISATION = "Cardio Domicile SAS"
AMOUNT_REQUESTED = Decimal("287500")
AMOUNT_GRANTED = Decimal("240000")  # the committee grants less than requested
ATTRIBUTING_SIRET = luhn_complete("5075236780001")  # the operator's, from the settings

# What the application holds and the public must never see.
PRIVATE_PROBLEM = "Taux de réhospitalisation interne de 27 % au CHU pilote"
PRIVATE_BUDGET_LINE = "Masse salariale confidentielle R&D"
PRIVATE_BUDGET_AMOUNT = "412345"
PRIVATE_COFUNDING = "Prêt d'honneur confidentiel"
PRIVATE_LEAD_EMAIL = "camille@cardio-domicile.example"
PRIVATE_MEMBER = "Inès Diallo"
PRIVATE_BUSINESS_MODEL = "aucune revente de données"
PRIVATE_REVIEW = "Avis confidentiel de l'expert éthique"
PRIVATE_MOTIVATION = "Motivation interne du comité : dossier prioritaire"
PRIVATE_TEXTS = (
    PRIVATE_PROBLEM,
    PRIVATE_BUDGET_LINE,
    PRIVATE_BUDGET_AMOUNT,
    PRIVATE_COFUNDING,
    PRIVATE_LEAD_EMAIL,
    PRIVATE_MEMBER,
    PRIVATE_BUSINESS_MODEL,
    PRIVATE_REVIEW,
    PRIVATE_MOTIVATION,
    str(AMOUNT_REQUESTED),  # the amount requested is the applicant's, not public
    "287 500",
)


@pytest.fixture(autouse=True)
def search_backend(settings):
    """The real embedded backend (the default without Elasticsearch)."""
    settings.RUCHE_SEARCH_BACKEND = "search.backends.database.DatabaseBackend"
    settings.RUCHE_ATTRIBUTING_SIRET = ATTRIBUTING_SIRET


# -- People -------------------------------------------------------------------------------


def in_group(name: str, **fields):
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name=name))
    return user


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    """The page as a reader sees it: entities decoded, non-breaking spaces as spaces."""
    decoded = html.unescape(response.content.decode())
    return decoded.replace("\xa0", " ").replace("\u202f", " ")


# -- Applications -------------------------------------------------------------------------


def answers(title: str, summary: str, theme: str, amount: Decimal, private: bool = False):
    data = copy.deepcopy(COMPLETE_ANSWERS)
    data["projet"].update({"title": title, "summary": summary, "theme": theme})
    data["budget"]["amount_requested"] = str(amount)
    if private:
        data["projet"]["problem"] = PRIVATE_PROBLEM
        data["equipe"]["lead"]["email"] = PRIVATE_LEAD_EMAIL
        data["budget"]["lines"] = [
            {"category": "staff", "description": PRIVATE_BUDGET_LINE, "amount": "412345"},
            {"category": "clinical_study", "description": "Étude", "amount": "200000"},
        ]
        data["budget"]["cofunding"] = [{"source": PRIVATE_COFUNDING, "amount": "300000"}]
    return data


def submitted(call, organisation, title, summary, theme, amount, private=False) -> Application:
    """A complete draft of ``organisation``, submitted by its member (the applicant's path)."""
    application = complete_application(call, organisation=organisation, amount=amount)
    Application.objects.filter(pk=application.pk).update(
        answers=answers(title, summary, theme, amount, private), project_title=title
    )
    application.refresh_from_db()
    application = submit_application(application, application.created_by)
    assert application.status == S.SUBMITTED
    return application


def status_of(application) -> str:
    return Application.objects.values_list("status", flat=True).get(pk=application.pk)


def fire_from_page(client, application, transition, expected, comment=""):
    """A programme officer fires a transition from the staff page of the application."""
    response = client.post(
        reverse("evaluation:application", args=[application.pk]),
        {
            "action": "transition",
            "transition": transition,
            "expected_status": expected,
            "comment": comment,
        },
    )
    assert response.status_code == 302, text(response)[:3000]


def offered(client, application) -> set[str]:
    response = client.get(reverse("evaluation:application", args=[application.pk]))
    assert response.status_code == 200
    return {value for value, _ in response.context["transition_form"].fields["transition"].choices}


def fund_quickly(call, organisation, title, summary, theme, amount, staff, session, member):
    """Another project of a call without review tracks, through the service layer."""
    application = submitted(call, organisation, title, summary, theme, amount + 10_000)
    application = fire(application, "start_eligibility_check", staff)
    application = fire(application, "send_to_committee", staff, comment="Éligible")
    record_committee_decision(application, session, member, "selected", "Retenu.", amount)
    return fire(Application.objects.get(pk=application.pk), "mark_funded", staff)


# -- Publication --------------------------------------------------------------------------


def edit_url(application) -> str:
    return reverse("search:publication_edit", args=[application.pk])


def form_data(form, **edits) -> dict:
    """What the publication form holds (as the browser would post it back), with edits."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            value = ""
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    data.update(edits)
    return data


def publish_from_page(staff_client, application, capture, **edits) -> PublicProject:
    """Staff open the sheet (prepared from the application), edit it and publish it; the
    outbox row is applied to the index after the commit."""
    page = staff_client.get(edit_url(application))
    assert page.status_code == 200
    with capture(execute=True):
        response = staff_client.post(
            edit_url(application), {**form_data(page.context["form"], **edits), "action": "publish"}
        )
    assert response.status_code == 302, text(response)[:3000]
    assert pending_count() == 0  # the index is up to date
    sheet = PublicProject.objects.get(application=application)
    assert sheet.status == PublicProject.Status.PUBLISHED
    return sheet


# -- What the visitor sees ----------------------------------------------------------------


def search(client, **params):
    response = client.get(reverse("search:catalogue"), params)
    assert response.status_code == 200
    return response


def listed(response) -> list[str]:
    return [item["project"].slug for item in response.context["items"]]


def facet(response, name: str) -> dict[str, int]:
    """The options shown for a facet, value → count."""
    for shown in response.context["facets"]:
        if shown["name"] == name:
            return {o["value"]: o["count"] for o in shown["options"] if o["count"]}
    return {}


def checked(response, name: str) -> set[str]:
    for shown in response.context["facets"]:
        if shown["name"] == name:
            return {o["value"] for o in shown["options"] if o["checked"]}
    return set()


def download(client, name: str, **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return response


def csv_rows(response, delimiter: str) -> list[dict]:
    content = response.content.decode("utf-8")
    return list(csv.DictReader(io.StringIO(content), delimiter=delimiter))


def contains(content: str, private: str) -> bool:
    """Numbers as whole numbers only (not inside a timestamp's microseconds)."""
    if private.replace(" ", "").isdigit():
        return re.search(rf"(?<![\d.]){re.escape(private)}(?!\d)", content) is not None
    return private in content


def assert_nothing_private(content: str, siret: str | None, where: str) -> None:
    for private in PRIVATE_TEXTS:
        assert not contains(content, private), (where, private)
    if siret:
        assert not contains(content, siret), where


# -- The journey ---------------------------------------------------------------------------


@pytest.fixture
def people(db):
    return SimpleNamespace(
        staff=in_group(PROGRAMME_WIDE_GROUP, first_name="Sophie", last_name="Instructrice"),
        member=in_group(COMMITTEE_GROUP, first_name="Paul", last_name="Comité"),
        expert=in_group(
            REVIEWERS_GROUP,
            email="claire@cabinet-ethique.example",
            first_name="Claire",
            last_name="Experte",
        ),
    )


@pytest.fixture
def themes(db):
    return SimpleNamespace(
        telesurveillance=ThemeFactory(
            slug="telesurveillance-medicale", name="Télésurveillance médicale"
        ),
        prevention=ThemeFactory(slug="prevention", name="Prévention"),
    )


@pytest.fixture
def calls(calls_index):
    now = timezone.now()
    operator = OperatorFactory(name="Bpifrance")
    ethics_call = make_call(
        calls_index,
        title="Parcours de soins numériques 2026",
        opens_at=now - timedelta(days=5),
        cutoffs=[now + timedelta(days=5)],
        tracks=("ethics",),
        operator=operator,
        budget_envelope=1_000_000,
        max_amount_per_project=300_000,
    )
    grid = ReviewGrid.objects.create(name="Éthique (test)", track="ethics")
    criteria = {
        "E1": Criterion.objects.create(grid=grid, code="E1", label="Bénéfice", weight=3, order=1),
        "E3": Criterion.objects.create(
            grid=grid, code="E3", label="Données", weight=3, scale="compliance", blocking=True
        ),
    }
    CallGrid.objects.create(call=ethics_call, grid=grid, reviewers_per_application=1)
    other_call = make_call(
        calls_index,
        title="Autonomie à domicile 2026",
        opens_at=now - timedelta(days=5),
        cutoffs=[now + timedelta(days=5)],
        tracks=(),
        operator=operator,
    )
    return SimpleNamespace(ethics=ethics_call, other=other_call, criteria=criteria)


def fund_through_the_workflow(calls, people, themes):
    """submitted → eligibility → ethics review → committee → selected → funded, each step
    by the person whose job it is, from their pages."""
    staff = logged_in(people.staff)
    organisation = OrganisationFactory(legal_name=ORGANISATION, region="32")
    application = submitted(
        calls.ethics,
        organisation,
        TITLE,
        "Suivi à distance des insuffisants cardiaques, avec des alertes précoces.",
        themes.telesurveillance.slug,
        AMOUNT_REQUESTED,
        private=True,
    )

    # The programme officer takes it up, checks eligibility, sends it to the ethics review.
    assert offered(staff, application) == {"start_eligibility_check"}
    fire_from_page(staff, application, "start_eligibility_check", "submitted")
    assert status_of(application) == S.ELIGIBILITY
    # The call requires an ethics review: the committee cannot be reached without it.
    assert "send_to_committee" not in offered(staff, application)
    fire_from_page(staff, application, "start_ethics_review", "eligibility", "Éligible.")
    assert status_of(application) == S.ETHICS_REVIEW
    assert "send_to_committee" not in offered(staff, application)

    # The officer assigns the expert, who declares no conflict and submits the review.
    ReviewerProfile.objects.create(user=people.expert, tracks=["ethics"])
    response = staff.post(
        reverse("ethics:assign", args=[application.pk]),
        {"action": "assign", "track": "ethics", "reviewers": [people.expert.pk]},
    )
    assert response.status_code == 302
    assignment = application.review_assignments.get(reviewer=people.expert)
    expert = logged_in(people.expert)
    response = expert.post(
        reverse("ethics:declaration", args=[assignment.pk]), {"conflict": "none"}
    )
    assert response.status_code == 302
    data = {"action": "submit", "recommendation": "favourable", "summary": PRIVATE_REVIEW}
    for criterion, value in (("E1", "4"), ("E3", "compliant")):
        pk = calls.criteria[criterion].pk
        data |= {f"c{pk}_value": value, f"c{pk}_comment": f"{PRIVATE_REVIEW} ({criterion})"}
    response = expert.post(reverse("ethics:review", args=[assignment.pk]), data)
    assert response.status_code == 302, text(response)[:3000]

    # The track is complete: the officer presents the application to the committee.
    assert "send_to_committee" in offered(staff, application)
    fire_from_page(staff, application, "send_to_committee", "ethics_review", "Expertise faite.")
    assert status_of(application) == S.COMMITTEE

    # Staff open a committee session; its member selects the project with an amount.
    response = staff.post(
        reverse("evaluation:committee_sessions"),
        {
            "call": calls.ethics.pk,
            "title": "Comité de sélection n° 1",
            "held_on": date.today().isoformat(),
            "members": [people.member.pk],
        },
    )
    assert response.status_code == 302
    session = CommitteeSession.objects.get(title="Comité de sélection n° 1")
    assert session.closed_at is None
    member = logged_in(people.member)
    declared = member.post(
        reverse("evaluation:committee_file", args=[session.pk, application.pk]),
        {"conflicted": "no"},
    )
    assert declared.status_code == 302
    prefix = f"decision-{application.pk}"
    response = member.post(
        reverse("evaluation:committee_session", args=[session.pk]),
        {
            "action": "decide",
            "application": application.pk,
            f"{prefix}-outcome": "selected",
            f"{prefix}-motivation": PRIVATE_MOTIVATION,
            f"{prefix}-amount": "240 000",
        },
    )
    assert response.status_code == 302, text(response)[:3000]
    assert status_of(application) == S.SELECTED
    decision = CommitteeDecision.objects.get(application=application)
    assert decision.amount_granted == AMOUNT_GRANTED

    # Not yet funded: nothing to publish.
    assert staff.get(edit_url(application)).status_code == 302

    # The grant agreement is signed: the officer marks it funded.
    assert offered(staff, application) == {"mark_funded"}
    fire_from_page(staff, application, "mark_funded", "selected", "Convention signée.")
    assert status_of(application) == S.FUNDED
    application = Application.objects.get(pk=application.pk)

    # The private texts the exports must not show are really in the application's records.
    frozen = json.dumps(application.snapshot, ensure_ascii=False)
    for private in (PRIVATE_PROBLEM, PRIVATE_BUDGET_LINE, PRIVATE_BUDGET_AMOUNT):
        assert private in frozen, private
    for private in (PRIVATE_COFUNDING, PRIVATE_LEAD_EMAIL, PRIVATE_MEMBER):
        assert private in frozen, private
    assert PRIVATE_BUSINESS_MODEL in frozen and str(AMOUNT_REQUESTED) in frozen
    assert application.amount_requested == AMOUNT_REQUESTED
    assert decision.motivation == PRIVATE_MOTIVATION
    assert assignment.current_review().summary == PRIVATE_REVIEW
    return application, decision


def test_a_project_funded_through_the_workflow_is_found_filtered_and_exported(
    calls, people, themes, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    application, decision = fund_through_the_workflow(calls, people, themes)
    staff = logged_in(people.staff)
    siret = application.organisation.siret

    # Two other funded projects: one on the same theme elsewhere, one in the same region on
    # another theme.
    session = CommitteeSession.objects.create(
        call=calls.other, title="Comité Autonomie", held_on=date.today()
    )
    session.members.add(people.member)
    diabetes = fund_quickly(
        calls.other,
        OrganisationFactory(legal_name="Gluco Suivi SAS", region="53"),
        "Télésurveillance des patients diabétiques",
        "Le suivi glycémique transmis chaque jour à l'équipe soignante.",
        themes.telesurveillance.slug,
        Decimal("150000"),
        people.staff,
        session,
        people.member,
    )
    falls = fund_quickly(
        calls.other,
        OrganisationFactory(legal_name="Chute Zéro SAS", region="32"),
        "Prévention des chutes des personnes âgées",
        "Des capteurs discrets détectent les chutes au domicile.",
        themes.prevention.slug,
        Decimal("90000"),
        people.staff,
        session,
        people.member,
    )

    # -- Staff prepare and publish the sheets --------------------------------------------
    listing = staff.get(reverse("search:publication_list"))
    assert listing.status_code == 200
    assert TITLE in text(listing) and "À préparer" in text(listing)

    page = staff.get(edit_url(application))
    form = page.context["form"]
    # Prepared from the application's public answers and the committee's decision.
    assert form["title"].value() == TITLE
    assert form["organisation_name"].value() == ORGANISATION
    assert form["region"].value() == "32"
    assert Decimal(str(form["amount_granted"].value())) == AMOUNT_GRANTED
    assert form["themes"].value() == [themes.telesurveillance.pk]
    assert PRIVATE_PROBLEM not in text(page)

    sheet = publish_from_page(
        staff,
        application,
        capture,
        description="Des alertes précoces pour éviter les hospitalisations évitables.",
        partners="CHU de Lille\nInstitut Cœur Poumon",
        website="https://cardio-domicile.example",
    )
    assert sheet.amount_granted == AMOUNT_GRANTED
    assert sheet.title == TITLE and sheet.slug == "telesurveillance-cardiaque-a-domicile"
    diabetes_sheet = publish_from_page(staff, diabetes, capture)
    falls_sheet = publish_from_page(staff, falls, capture)
    assert (diabetes_sheet.amount_granted, falls_sheet.amount_granted) == (150000, 90000)
    every = {sheet.slug, diabetes_sheet.slug, falls_sheet.slug}

    # -- An anonymous visitor searches --------------------------------------------------
    visitor = Client()
    everything = search(visitor)
    assert set(listed(everything)) == every and everything.context["total"] == 3
    assert facet(everything, "theme") == {"telesurveillance-medicale": 2, "prevention": 1}
    assert facet(everything, "region") == {"32": 2, "53": 1}

    # French queries with a typo, without accents, in the plural, in capitals.
    for query in ("telesurveilance", "télésurveillence", "TELESURVEILLANCE"):
        found = search(visitor, q=query)
        assert set(listed(found)) == {sheet.slug, diabetes_sheet.slug}, query
        assert found.context["total"] == 2
        assert "<mark>" in found.content.decode(), query
    found = search(visitor, q="télésurveillances cardiaques")
    assert listed(found) == [sheet.slug]
    found = search(visitor, q="telesurveilance")
    assert facet(found, "region") == {"32": 1, "53": 1}
    assert facet(found, "theme") == {"telesurveillance-medicale": 2}

    # The region facet keeps the project and drops the diabetes one; the counts follow.
    narrowed = search(visitor, q="telesurveilance", region="32")
    assert listed(narrowed) == [sheet.slug] and narrowed.context["total"] == 1
    assert checked(narrowed, "region") == {"32"}
    # A facet's own counts ignore its own filter (to offer the alternatives)…
    assert facet(narrowed, "region") == {"32": 1, "53": 1}
    # …and the others' follow it.
    assert facet(narrowed, "theme") == {"telesurveillance-medicale": 1}
    body = text(narrowed)
    assert "Hauts-de-France (1)" in body and "Bretagne (1)" in body
    assert "Télésurveillance médicale (1)" in body
    assert "1 projet" in body and TITLE in re.sub(r"</?mark>", "", body)
    assert "Gluco Suivi SAS" not in body and "Chute Zéro SAS" not in body

    # Region and theme without text: the falls project (same region) goes too.
    both = search(visitor, region="32", theme=themes.telesurveillance.slug)
    assert listed(both) == [sheet.slug]
    assert checked(both, "region") == {"32"} and checked(both, "theme") == {
        "telesurveillance-medicale"
    }
    assert facet(both, "region") == {"32": 1, "53": 1}  # under the theme filter
    assert facet(both, "theme") == {"telesurveillance-medicale": 1, "prevention": 1}  # region
    body = text(both)
    assert "Hauts-de-France (1)" in body and "Prévention (1)" in body
    assert ORGANISATION in body and "Chute Zéro SAS" not in body
    assert_nothing_private(body, siret, "catalogue")
    # A region with nothing: nothing.
    assert search(visitor, q="telesurveilance", region="84").context["total"] == 0

    # -- The project page ---------------------------------------------------------------
    response = visitor.get(reverse("search:project", args=[sheet.slug]))
    assert response.status_code == 200
    body = text(response)
    for shown in (
        TITLE,
        ORGANISATION,
        "Hauts-de-France",
        "Parcours de soins numériques 2026",
        "240 000 €",
        "CHU de Lille",
        "Des alertes précoces",
        "Télésurveillance médicale",
    ):
        assert shown in body, shown
    assert_nothing_private(body, siret, "project page")

    # -- Open data ----------------------------------------------------------------------
    response = download(visitor, "search:projects_csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert_nothing_private(response.content.decode("utf-8"), siret, "projets.csv")
    rows = {row["slug"]: row for row in csv_rows(response, ";")}
    assert set(rows) == every
    assert tuple(next(iter(rows.values())).keys()) == PROJECT_COLUMNS
    row = rows[sheet.slug]
    assert row["titre"] == TITLE
    assert row["organisation"] == ORGANISATION
    assert (row["region_code"], row["region"]) == ("32", "Hauts-de-France")
    assert row["thematiques"] == "Télésurveillance médicale"
    assert row["appel"] == "Parcours de soins numériques 2026"
    assert row["montant_accorde"] == "240000.00"
    assert row["trl"] == "6"
    assert row["partenaires"] == "CHU de Lille|Institut Cœur Poumon"
    assert row["url"].endswith(reverse("search:project", args=[sheet.slug]))

    response = download(visitor, "search:projects_json")
    exported = response.content.decode("utf-8")
    assert_nothing_private(exported, siret, "projets.json")
    projects = {p["slug"]: p for p in json.loads(exported)["projects"]}
    assert set(projects) == every
    record = projects[sheet.slug]
    assert record["title"] == TITLE and record["organisation"] == ORGANISATION
    assert record["amount_granted"] == "240000.00"
    assert record["region"] == {"code": "32", "name": "Hauts-de-France"}
    assert record["themes"] == [
        {"slug": "telesurveillance-medicale", "name": themes.telesurveillance.name}
    ]
    assert record["call"] == {"id": calls.ethics.pk, "title": "Parcours de soins numériques 2026"}
    assert record["partners"] == ["CHU de Lille", "Institut Cœur Poumon"]

    response = download(visitor, "search:scdl_csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    scdl = csv_rows(response, ",")
    assert tuple(scdl[0].keys()) == SCDL_COLUMNS
    assert len(scdl) == 3
    row = next(r for r in scdl if r["objet"] == TITLE)
    decision.refresh_from_db()
    assert row == {
        "nomAttribuant": "Bpifrance",
        "idAttribuant": ATTRIBUTING_SIRET,
        "dateConvention": timezone.localdate(decision.decided_at).isoformat(),
        "referenceDecision": f"Comité de sélection n° 1 — {decision.pk}",
        "nomBeneficiaire": ORGANISATION,
        "idBeneficiaire": siret,  # a company's SIRET is public (répertoire SIRENE)
        "objet": TITLE,
        "montant": "240000.00",
        "nature": "aide en numéraire",
        "conditionsVersement": "échelonné",
        "datesPeriodeVersement": "",
        "idRAE": "",
        "notificationUE": "non",
        "pourcentageSubvention": "1",
    }
    assert re.fullmatch(r"\d{14}", row["idAttribuant"]) and re.fullmatch(r"\d{14}", siret)
    date.fromisoformat(row["dateConvention"])
    for other in scdl:
        for column in ("nomAttribuant", "idAttribuant", "dateConvention", "nomBeneficiaire"):
            assert other[column], (other["objet"], column)
        for column in ("idBeneficiaire", "objet", "montant", "nature", "conditionsVersement"):
            assert other[column], (other["objet"], column)
    assert {r["montant"] for r in scdl} == {"240000.00", "150000.00", "90000.00"}
    # The SCDL file holds the beneficiary's SIRET but nothing else private.
    assert_nothing_private(response.content.decode("utf-8"), None, "subventions-scdl.csv")

    # -- The API ------------------------------------------------------------------------
    response = download(
        visitor,
        "search:api_projects",
        q="telesurveilance",
        region="32",
        theme="telesurveillance-medicale",
    )
    assert_nothing_private(response.content.decode("utf-8"), siret, "API list")
    data = json.loads(response.content)
    assert data["count"] == 1 and [p["slug"] for p in data["results"]] == [sheet.slug]
    assert data["results"][0]["amount_granted"] == "240000.00"
    response = visitor.get(reverse("search:api_project", args=[sheet.slug]))
    assert response.status_code == 200
    assert_nothing_private(response.content.decode("utf-8"), siret, "API detail")
    assert json.loads(response.content)["organisation"] == ORGANISATION

    # -- Staff unpublish: gone everywhere ------------------------------------------------
    page = staff.get(edit_url(application))
    with capture(execute=True):
        response = staff.post(
            edit_url(application), {**form_data(page.context["form"]), "action": "unpublish"}
        )
    assert response.status_code == 302
    assert pending_count() == 0
    sheet.refresh_from_db()
    assert sheet.status == PublicProject.Status.DRAFT

    for query in ("telesurveilance", "télésurveillances cardiaques"):
        found = search(visitor, q=query)
        assert sheet.slug not in listed(found), query
    assert listed(search(visitor, q="telesurveilance")) == [diabetes_sheet.slug]
    assert search(visitor, q="telesurveilance", region="32").context["total"] == 0
    everything = search(visitor)
    assert set(listed(everything)) == {diabetes_sheet.slug, falls_sheet.slug}
    assert facet(everything, "region") == {"32": 1, "53": 1}
    assert facet(everything, "theme") == {"telesurveillance-medicale": 1, "prevention": 1}
    assert TITLE not in text(everything)
    assert visitor.get(reverse("search:project", args=[sheet.slug])).status_code == 404
    assert visitor.get(reverse("search:api_project", args=[sheet.slug])).status_code == 404
    data = json.loads(download(visitor, "search:api_projects", q="telesurveilance").content)
    assert [p["slug"] for p in data["results"]] == [diabetes_sheet.slug]
    suggestions = json.loads(download(visitor, "search:suggestions", q="Télésurv").content)
    assert TITLE not in suggestions["suggestions"]
    for name in ("search:projects_csv", "search:projects_json", "search:scdl_csv"):
        content = download(visitor, name).content.decode("utf-8")
        assert TITLE not in content and ORGANISATION not in content, name
        assert sheet.slug not in content and not contains(content, siret), name
        assert "Gluco Suivi SAS" in content, name  # the others stay


def test_the_scdl_convention_date_is_the_paris_date_of_the_decision(
    calls, people, themes, client, django_capture_on_commit_callbacks
):
    """A decision taken at 00:30 in Paris on 13 March is dated 13 March, not 12 (UTC)."""
    session = CommitteeSession.objects.create(
        call=calls.other, title="Comité de nuit", held_on=date(2026, 3, 12)
    )
    session.members.add(people.member)
    application = fund_quickly(
        calls.other,
        OrganisationFactory(legal_name="Nuit Blanche SAS", region="11"),
        "Téléconsultation de nuit",
        "Des médecins de garde joignables la nuit.",
        themes.telesurveillance.slug,
        Decimal("100000"),
        people.staff,
        session,
        people.member,
    )
    CommitteeDecision.objects.filter(application=application).update(
        decided_at=datetime(2026, 3, 12, 23, 30, tzinfo=UTC)
    )
    publish_from_page(logged_in(people.staff), application, django_capture_on_commit_callbacks)

    [row] = csv_rows(download(client, "search:scdl_csv"), ",")
    assert row["dateConvention"] == "2026-03-13"
