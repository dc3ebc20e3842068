"""The selection committee: sessions, ranked applications, decisions through the pages,
decision letters (PDF, motive first when rejected) emailed after the commit, who sees what."""

import re
from datetime import date, timedelta
from decimal import Decimal
from html import unescape
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from cms.models import CallReviewTrack
from core.roles import COMMITTEE_GROUP, PROGRAMME_WIDE_GROUP
from core.vocabulary import ApplicationStatus as S
from evaluation import ranking
from evaluation.committee import decide
from evaluation.conditions import latest_committee_decision
from evaluation.letters import decision_letter_html
from evaluation.models import (
    CommitteeDecision,
    CommitteeSession,
    ConflictDeclaration,
    TransitionLog,
)
from evaluation.services import fire, submit_application
from evaluation.workflow import TransitionRefused
from grants.models import Application

from ..factories import make_call
from ..grants_factories import (
    OrganisationFactory,
    UserFactory,
    add_member,
    complete_application,
    pdf_is_tagged,
)

MOTIVE = "Le modèle économique ne démontre pas la soutenabilité du service après la subvention."


def open_call(index, tracks=(), **fields):
    now = timezone.now()
    return make_call(
        index,
        opens_at=now - timedelta(days=5),
        cutoffs=[now + timedelta(days=5)],
        tracks=tracks,
        **fields,
    )


def submitted(call, at=None):
    application = complete_application(call)
    return submit_application(application, application.created_by, now=at)


def in_committee(application, staff):
    application = fire(application, "start_eligibility_check", staff)
    return fire(application, "send_to_committee", staff, comment="Éligible")


def in_group(name):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def staff(db):
    return in_group(PROGRAMME_WIDE_GROUP)


@pytest.fixture
def member(db):
    return in_group(COMMITTEE_GROUP)


@pytest.fixture
def call(calls_index):
    return open_call(calls_index, budget_envelope=400_000, max_amount_per_project=300_000)


@pytest.fixture
def session(call, member):
    session = CommitteeSession.objects.create(call=call, title="Comité n° 1", held_on=date.today())
    session.members.add(member)
    return session


@pytest.fixture
def pair(call, staff, session, member):
    """Two applications of the call waiting for the committee, submitted one after the other;
    the session's member has declared no conflict with either."""
    now = timezone.now()
    first = in_committee(submitted(call, now - timedelta(hours=2)), staff)
    second = in_committee(submitted(call, now - timedelta(hours=1)), staff)
    for application in (first, second):
        ConflictDeclaration.objects.create(
            session=session, application=application, member=member, conflicted=False
        )
    return first, second


def session_url(session):
    return reverse("evaluation:committee_session", args=[session.pk])


def decision_post(application, outcome, motivation, amount=""):
    prefix = f"decision-{application.pk}"
    return {
        "action": "decide",
        "application": application.pk,
        f"{prefix}-outcome": outcome,
        f"{prefix}-motivation": motivation,
        f"{prefix}-amount": amount,
    }


def decision_emails(mailoutbox):
    return [m for m in mailoutbox if "Décision du comité de sélection" in m.subject]


def body_text(html: str) -> str:
    """The letter's body (after the header and the object line) as plain text."""
    body = re.search(r'<main id="corps"[^>]*>(.*)</main>', html, re.S).group(1)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.mark.django_db
def test_member_selects_and_rejects_and_each_organisation_gets_its_letter(
    client, member, session, pair, mailoutbox, django_capture_on_commit_callbacks
):
    first, second = pair
    client.force_login(member)
    page = client.get(session_url(session))
    assert page.status_code == 200
    content = page.content.decode()
    assert first.reference in content and second.reference in content
    assert content.count("Enregistrer la décision") == 2
    # The amount is pre-filled with the amount requested.
    assert 'value="250000,00"' in content

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            session_url(session),
            decision_post(first, "selected", "Projet solide, équipe expérimentée.", "250 000"),
        )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(session_url(session), decision_post(second, "rejected", MOTIVE))
    assert response.status_code == 302

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.SELECTED, S.REJECTED)
    assert latest_committee_decision(first).amount_granted == Decimal("250000")
    assert latest_committee_decision(second).amount_granted is None
    rejection = TransitionLog.objects.get(application=second, transition="reject")
    assert rejection.comment == MOTIVE and rejection.actor == member
    assert TransitionLog.objects.get(application=first, transition="select").comment.startswith(
        "Projet solide"
    )

    emails = decision_emails(mailoutbox)
    assert len(emails) == 2
    for email, application in zip(emails, (first, second), strict=True):
        assert application.reference in email.subject
        assert email.to == [application.created_by.email]
        [(name, pdf, mimetype)] = email.attachments
        assert name == f"decision-{application.reference}.pdf"
        assert mimetype == "application/pdf" and pdf.startswith(b"%PDF-")
        assert pdf_is_tagged(pdf)
    assert "retenu" in emails[0].body and "250\u202f000,00" in emails[0].body.replace(
        "\xa0", "\u202f"
    )
    assert MOTIVE in emails[1].body

    # The session page now shows both decisions, the total granted and what is left.
    content = client.get(session_url(session)).content.decode()
    assert "Enregistrer la décision" not in content
    assert "Non retenu" in content and "Retenu" in content
    left = re.search(r'id="left"><strong>([^<]+)<', content).group(1)
    assert left.replace("\xa0", " ").replace("\u202f", " ") == "150 000 €"


@pytest.mark.django_db
def test_rejection_letter_states_the_motive_before_anything_else(member, session, pair):
    first, second = pair
    rejection = decide(second, session, member, "rejected", MOTIVE)
    text = body_text(decision_letter_html(rejection))
    assert text.startswith("Motif de la décision : projet non retenu " + MOTIVE)
    assert text.index(MOTIVE) < text.index("Madame, Monsieur")
    assert "retour détaillé" in text and "autres appels" in text
    assert "Le comité de sélection" in decision_letter_html(rejection)

    selection = decide(first, session, member, "selected", "Très bon dossier.", Decimal(200_000))
    html = decision_letter_html(selection)
    text = body_text(html)
    assert text.startswith("Madame, Monsieur")
    assert "félicitations" in text.lower()
    assert "200 000,00 €" in text.replace("\xa0", " ").replace("\u202f", " ")
    assert "convention" in text and "tranches" in text
    # Header: the operator as sender, the organisation's address, the object, the reference.
    assert selection.application.call.operator.name in html
    assert "12 rue de la Santé" in html and "75013 Paris" in html
    assert "décision du comité de sélection" in html and selection.application.reference in html


@pytest.mark.django_db
def test_missing_motivation_or_envelope_overrun_is_refused_in_french_and_changes_nothing(
    client, member, session, pair, mailoutbox, django_capture_on_commit_callbacks
):
    first, second = pair
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(session_url(session), decision_post(first, "rejected", "   "))
    assert response.status_code == 200
    assert "La motivation de la décision est obligatoire." in response.content.decode()
    first.refresh_from_db()
    assert first.status == S.COMMITTEE and not first.committee_decisions.exists()

    decide(first, session, member, "selected", "Excellent.", Decimal(250_000))
    # 250 000 + 200 000 > 400 000: the envelope would be overrun.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            session_url(session), decision_post(second, "selected", "Très prometteur.", "200000")
        )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Ce montant dépasserait l&#x27;enveloppe de l&#x27;appel" in content
    assert "Très prometteur." in content  # the input is kept
    assert 'value="200000"' in content
    second.refresh_from_db()
    assert second.status == S.COMMITTEE
    assert not CommitteeDecision.objects.filter(application=second).exists()
    assert not TransitionLog.objects.filter(application=second, transition="select").exists()
    assert decision_emails(mailoutbox) == []

    # Selected without an amount: refused by the form, nothing recorded.
    response = client.post(session_url(session), decision_post(second, "selected", "Bien.", ""))
    assert "Indiquez le montant accordé" in response.content.decode()
    assert not CommitteeDecision.objects.filter(application=second).exists()


@pytest.mark.django_db
def test_only_members_see_the_session_and_decide(client, staff, session, pair):
    first, _ = pair
    outsider = in_group(COMMITTEE_GROUP)  # on the committee, not in this session
    client.force_login(outsider)
    assert client.get(session_url(session)).status_code == 403
    response = client.post(session_url(session), decision_post(first, "rejected", MOTIVE))
    assert response.status_code == 403
    with pytest.raises(TransitionRefused):
        decide(first, session, outsider, "rejected", MOTIVE)
    first.refresh_from_db()
    assert first.status == S.COMMITTEE and not first.committee_decisions.exists()

    # Staff see the session but, not sitting on it, get no decision form.
    client.force_login(staff)
    content = client.get(session_url(session)).content.decode()
    assert first.reference in content and "Enregistrer la décision" not in content

    client.logout()
    response = client.get(session_url(session))
    assert response.status_code == 302 and "/compte/" in response["Location"]


@pytest.mark.django_db
def test_session_list_and_creation(client, staff, member, session, call):
    applicant = UserFactory()
    client.force_login(applicant)
    assert client.get(reverse("evaluation:committee_sessions")).status_code == 403

    other_call_session = CommitteeSession.objects.create(
        call=call, title="Comité sans moi", held_on=date.today()
    )
    client.force_login(member)
    content = client.get(reverse("evaluation:committee_sessions")).content.decode()
    assert "Comité n° 1" in content and "Comité sans moi" not in content
    assert "Nouvelle séance" not in content

    client.force_login(staff)
    content = client.get(reverse("evaluation:committee_sessions")).content.decode()
    assert "Comité sans moi" in content and "Nouvelle séance" in content
    other = in_group(COMMITTEE_GROUP)
    response = client.post(
        reverse("evaluation:committee_sessions"),
        {
            "call": call.pk,
            "title": "Comité de printemps",
            "held_on": "2026-04-02",
            "members": [member.pk, other.pk],
        },
    )
    created = CommitteeSession.objects.get(title="Comité de printemps")
    assert response.status_code == 302 and response["Location"] == session_url(created)
    assert set(created.members.all()) == {member, other} and created.closed_at is None
    # Members are chosen among the committee group only.
    response = client.post(
        reverse("evaluation:committee_sessions"),
        {
            "call": call.pk,
            "title": "Comité bis",
            "held_on": "2026-04-03",
            "members": [applicant.pk],
        },
    )
    assert response.status_code == 200 and not CommitteeSession.objects.filter(title="Comité bis")
    assert other_call_session.pk


@pytest.mark.django_db
def test_after_closing_the_session_no_decision_is_taken(client, staff, member, session, pair):
    first, _ = pair
    client.force_login(member)
    response = client.post(session_url(session), {"action": "close"})
    assert response.status_code == 403  # members do not close sessions

    client.force_login(staff)
    client.post(session_url(session), {"action": "close"})
    session.refresh_from_db()
    assert session.closed_at is not None

    client.force_login(member)
    content = client.get(session_url(session)).content.decode()
    assert "Enregistrer la décision" not in content and "Séance close" in content
    response = client.post(
        session_url(session), decision_post(first, "rejected", MOTIVE), follow=True
    )
    assert "Cette séance est close" in response.content.decode()
    with pytest.raises(TransitionRefused, match="close"):
        decide(first, session, member, "rejected", MOTIVE)
    first.refresh_from_db()
    assert first.status == S.COMMITTEE and not first.committee_decisions.exists()


@pytest.mark.django_db
def test_decision_letter_is_for_the_applicant_the_committee_and_staff(
    client, staff, member, session, pair
):
    first, _ = pair
    decision = decide(first, session, member, "rejected", MOTIVE)
    url = reverse("evaluation:decision_letter", args=[decision.pk])

    for allowed in (first.created_by, member, staff):
        client.force_login(allowed)
        response = client.get(url)
        assert response.status_code == 200, allowed
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")

    stranger = add_member(OrganisationFactory())
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.force_login(in_group(COMMITTEE_GROUP))  # not in this session
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.django_db
def test_ranking_puts_scored_applications_first_then_keeps_submission_order(
    calls_index, monkeypatch
):
    call = open_call(calls_index, tracks=("ethics", "security"))
    CallReviewTrack.objects.filter(call=call, track="ethics").update(weight=3)
    now = timezone.now()
    early, middle, late, latest = (submitted(call, now - timedelta(hours=h)) for h in (4, 3, 2, 1))
    shuffled = Application.objects.filter(pk__in=[late.pk, early.pk, latest.pk, middle.pk])

    # Today no grid exists: no score, the order of submission.
    ranked = ranking.rank(shuffled)
    assert [r.application.pk for r in ranked] == [early.pk, middle.pk, late.pk, latest.pk]
    assert all(r.score is None for r in ranked)
    assert list(ranked[0].track_results) == ["ethics", "security"]

    # With the grids' scores (ethics weighs 3, security 1): latest 70, middle 70, early has
    # only one track scored (no overall score), late none.
    scores = {
        latest.pk: {"ethics": 80, "security": 40},
        middle.pk: {"ethics": 60, "security": 100},
        early.pk: {"ethics": 95, "security": None},
    }

    def fake_outcome(application, track):
        score = scores.get(application.pk, {}).get(track)
        return SimpleNamespace(complete=score is not None, blocking_failures=0, score=score)

    monkeypatch.setattr(ranking, "track_outcome", fake_outcome)
    ranked = ranking.rank(shuffled)
    assert [r.application.pk for r in ranked] == [middle.pk, latest.pk, early.pk, late.pk]
    assert [r.score for r in ranked] == [Decimal("70.00"), Decimal("70.00"), None, None]
    assert ranked[0].track_results["ethics"].score == Decimal(60)


@pytest.mark.django_db
def test_a_committee_member_is_shown_no_link_they_cannot_open(client, calls_index):
    """Every link of the committee's pages opens for a committee member (no 403)."""
    call = open_call(calls_index)
    application = submitted(call)
    member = UserFactory()
    member.groups.add(Group.objects.get(name=COMMITTEE_GROUP))
    session = CommitteeSession.objects.create(call=call, title="Comité", held_on=date.today())
    session.members.add(member)
    client.force_login(member)
    pages = [reverse("evaluation:committee_sessions"), session_url(session)]
    links = set()
    for url in pages:
        content = client.get(url).content.decode()
        links |= {
            href for href in re.findall(r'href="(/[^"#]*)', content) if "/static/" not in href
        }
    assert links
    refused = [href for href in links if client.get(href).status_code == 403]
    assert refused == []
    assert application.pk
