"""Review tracks, staff side: assigning experts (one application or a batch), the workload,
the staff application page's scores, leaving the stage, and the evaluation report."""

import html
import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML

from core.roles import COMMITTEE_GROUP, PROGRAMME_WIDE_GROUP, REVIEWERS_GROUP
from core.vocabulary import ApplicationStatus as S
from ethics.models import CallGrid, Criterion, ReviewAssignment, ReviewerProfile, ReviewGrid
from ethics.report import render_report, report_html
from ethics.services import assign, declare, open_review, save_ratings, submit
from evaluation.models import CommitteeSession
from evaluation.services import fire, override_stage, record_committee_decision, submit_application
from evaluation.workflow import TransitionRefused

from ..factories import make_call
from ..grants_factories import UserFactory, add_member, complete_application, pdf_is_tagged

_numbers = itertools.count(1)
WORKLOAD = reverse("ethics:workload")
BULK = reverse("ethics:bulk_assign")


def assign_url(application):
    return reverse("ethics:assign", args=[application.pk])


def report_url(application, anonymised=False):
    name = "ethics:report_anonymised" if anonymised else "ethics:report"
    return reverse(name, args=[application.pk])


def text(response):
    return html.unescape(response.content.decode())


def message_texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def expert(track="ethics", email=None, first_name="Claire", last_name=None):
    """An expert of the pool, each with a mail domain of their own unless told."""
    n = next(_numbers)
    user = UserFactory(
        email=email or f"expert{n}@cabinet-{n}.example",
        first_name=first_name,
        last_name=last_name or f"Expertise{n}",
    )
    user.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    ReviewerProfile.objects.create(user=user, tracks=[track] if isinstance(track, str) else track)
    return user


@pytest.fixture
def staff(db):
    user = UserFactory(first_name="Sophie", last_name="Chargée")
    user.groups.add(Group.objects.get(name=PROGRAMME_WIDE_GROUP))
    return user


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def ethics_call(calls_index, tracks=("ethics", "security"), per_application=2, threshold=25):
    now = timezone.now()
    call = make_call(
        calls_index,
        opens_at=now - timedelta(days=5),
        cutoffs=[now + timedelta(days=5)],
        tracks=tracks,
    )
    grid = ReviewGrid.objects.create(name=f"Éthique test {next(_numbers)}", track="ethics")
    Criterion.objects.create(grid=grid, code="E1", label="Bénéfice", weight=3, order=1)
    Criterion.objects.create(
        grid=grid, code="E3", label="Données", weight=3, scale="compliance", blocking=True, order=2
    )
    Criterion.objects.create(
        grid=grid, code="E5", label="IA", weight=2, allows_not_applicable=True, order=3
    )
    CallGrid.objects.create(
        call=call,
        grid=grid,
        reviewers_per_application=per_application,
        disagreement_threshold=threshold,
    )
    return call


def submitted(call):
    application = complete_application(call)
    return submit_application(application, application.created_by)


def in_ethics_review(call, staff):
    application = fire(submitted(call), "start_eligibility_check", staff)
    return fire(application, "start_ethics_review", staff, comment="Éligible")


def review(application, reviewer, e1, e3, e5, recommendation="favourable"):
    """The reviewer declares no conflict, rates the three criteria and submits."""
    assignment = ReviewAssignment.objects.get(
        application=application, reviewer=reviewer, track="ethics"
    )
    declare(assignment, reviewer, conflicted=False)
    draft = open_review(assignment)
    ids = {r.criterion.code: r.criterion_id for r in draft.ratings.select_related("criterion")}
    save_ratings(
        draft,
        {
            ids["E1"]: {"value": e1, "comment": f"Bénéfice noté {e1}"},
            ids["E3"]: {"value": e3, "comment": "Pas de revente de données"},
            ids["E5"]: {"value": e5, "comment": ""},
        },
        recommendation,
        f"Synthèse : avis {recommendation}",
    )
    return submit(draft)


def two_reviews(application, staff, second=("2", "partial", "na")):
    """Two experts: 100 and, by default, (3×2/5 + 3×0.5) / 6 × 100 = 45 (E5 n/a)."""
    first_expert = expert(first_name="Alice", last_name="Martin")
    second_expert = expert(first_name="Bruno", last_name="Durand")
    for reviewer in (first_expert, second_expert):
        assign(application, "ethics", reviewer, staff)
    review(application, first_expert, "5", "compliant", "5")
    review(application, second_expert, *second, recommendation="reservations")
    return first_expert, second_expert


# -- Who gets in ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_staff_view_is_refused_to_anyone_else(client, calls_index, staff):
    application = in_ethics_review(ethics_call(calls_index), staff)
    reviewer = expert()
    committee_member = UserFactory()
    committee_member.groups.add(Group.objects.get(name=COMMITTEE_GROUP))
    outsider = UserFactory()
    gets = [
        assign_url(application),
        BULK,
        f"{BULK}?expertise=ethics",
        WORKLOAD,
        report_url(application),
        report_url(application, anonymised=True),
    ]
    posts = {
        assign_url(application): {
            "action": "assign",
            "track": "ethics",
            "reviewers": [reviewer.pk],
        },
        BULK: {"track": "ethics", "dossiers": [application.pk]},
    }

    for url in gets:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url
    for user in (reviewer, committee_member, outsider, application.created_by):
        client.force_login(user)
        for url in gets:
            expected = 404 if user == application.created_by and "anonymise" in url else 403
            assert client.get(url).status_code == expected, (user, url)
        for url, data in posts.items():
            assert client.post(url, data).status_code == 403, (user, url)
    assert not ReviewAssignment.objects.exists()

    client.force_login(staff)
    for url in gets:
        assert client.get(url).status_code == 200, url


# -- Assigning experts to one application ---------------------------------------------------


@pytest.mark.django_db
def test_assigning_two_experts_emails_them_and_shows_the_progress(
    staff_client, calls_index, staff, django_capture_on_commit_callbacks, mailoutbox
):
    application = in_ethics_review(ethics_call(calls_index), staff)
    first, second = expert(last_name="Martin"), expert(last_name="Durand")
    busy = expert(last_name="Occupé")
    other = in_ethics_review(ethics_call(calls_index), staff)
    assign(other, "ethics", busy, staff)
    expert(track="security", last_name="Sécurité")

    page = text(staff_client.get(assign_url(application)))
    assert "0 invités / 0 rendus" in page and "il manque 2 experts" in page
    assert f"Claire Occupé ({busy.email}) — charge en cours : 1" in page
    # The security expert is offered for security only (no grid there: no form at all).
    assert "Sécurité (" not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            assign_url(application),
            {
                "action": "assign",
                "track": "ethics",
                "reviewers": [first.pk, second.pk],
                "due_on": (timezone.localdate() + timedelta(days=15)).isoformat(),
            },
        )
    assert response.status_code == 302
    assert response["Location"].endswith("#expertise-ethics")
    assert set(
        ReviewAssignment.objects.filter(application=application).values_list("reviewer", flat=True)
    ) == {first.pk, second.pk}
    assert sorted(m.to[0] for m in mailoutbox) == sorted([first.email, second.email])
    assert all("Expertise « Éthique » à réaliser" in m.subject for m in mailoutbox)
    assert any("affecté(e)s et prévenu(e)s" in m for m in message_texts(response))

    page = text(staff_client.get(assign_url(application)))
    assert "2 invités / 0 rendus" in page and "il manque" not in page.split("Sécurité")[0]
    assert "Déclaration attendue" in page


@pytest.mark.django_db
def test_obvious_conflicts_and_unqualified_experts_are_refused_in_french(
    staff_client, calls_index, staff, django_capture_on_commit_callbacks, mailoutbox
):
    application = in_ethics_review(ethics_call(calls_index), staff)
    member = application.organisation.memberships.first().user
    member.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    ReviewerProfile.objects.create(user=member, tracks=["ethics"])
    domain = member.email.rsplit("@", 1)[1]
    colleague = expert(email=f"voisin@{domain}")
    security_only = expert(track="security")

    page = text(staff_client.get(assign_url(application)))
    assert "conflit probable : L'expert est membre de l'organisation candidate." in page

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            assign_url(application),
            {
                "action": "assign",
                "track": "ethics",
                "reviewers": [member.pk, colleague.pk, security_only.pk],
            },
        )
    assert response.status_code == 302
    texts = " ".join(message_texts(response))
    assert "L'expert est membre de l'organisation candidate." in texts
    assert f"L'expert partage le domaine de messagerie ({domain}) d'un candidat." in texts
    assert "Cette personne n'est pas experte de ce domaine." in texts
    assert not ReviewAssignment.objects.exists()
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_conflicted_expert_is_removed_and_replaced_but_not_one_who_reviewed(
    staff_client, calls_index, staff
):
    application = in_ethics_review(ethics_call(calls_index, per_application=1), staff)
    conflicted, replacement = expert(), expert()
    assignment = assign(application, "ethics", conflicted, staff)
    declare(assignment, conflicted, conflicted=True, reason="Ancien associé du fondateur")
    assert "il manque 1 expert" in text(staff_client.get(assign_url(application)))

    response = staff_client.post(
        assign_url(application), {"action": "remove", "assignment": assignment.pk}
    )
    assert response.status_code == 302
    assert not ReviewAssignment.objects.filter(pk=assignment.pk).exists()

    staff_client.post(
        assign_url(application),
        {"action": "assign", "track": "ethics", "reviewers": [replacement.pk]},
    )
    review(application, replacement, "4", "compliant", "na")
    done = ReviewAssignment.objects.get(reviewer=replacement)
    response = staff_client.post(
        assign_url(application), {"action": "remove", "assignment": done.pk}
    )
    assert ReviewAssignment.objects.filter(pk=done.pk).exists()
    assert any("ne peut pas être retiré" in m for m in message_texts(response))


@pytest.mark.django_db
def test_a_past_due_date_is_refused(staff_client, calls_index, staff):
    application = in_ethics_review(ethics_call(calls_index), staff)
    reviewer = expert()
    response = staff_client.post(
        assign_url(application),
        {
            "action": "assign",
            "track": "ethics",
            "reviewers": [reviewer.pk],
            "due_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "La date de rendu ne peut pas être passée." in text(response)
    assert not ReviewAssignment.objects.exists()


# -- A batch of applications, the workload -------------------------------------------------


@pytest.mark.django_db
def test_bulk_assignment_balances_the_load_and_skips_conflicts(
    staff_client, calls_index, staff, django_capture_on_commit_callbacks, mailoutbox
):
    call = ethics_call(calls_index, per_application=1)
    first, second, third = (submitted(call) for _ in range(3))
    a = expert(last_name="Alpha")
    b = expert(last_name="Bravo")
    add_member(first.organisation, user=a, role="member")  # a cannot review the first

    listing = text(staff_client.get(BULK, {"expertise": "ethics"}))
    assert all(x.reference in listing for x in (first, second, third))

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            BULK, {"track": "ethics", "dossiers": [first.pk, second.pk, third.pk]}
        )
    assert response.status_code == 200
    reviewer_of = {
        x.pk: list(
            ReviewAssignment.objects.filter(application=x).values_list("reviewer", flat=True)
        )
        for x in (first, second, third)
    }
    assert reviewer_of[first.pk] == [b.pk]
    assert all(len(reviewers) == 1 for reviewers in reviewer_of.values())
    loads = sorted(ReviewAssignment.objects.filter(reviewer=r).count() for r in (a, b))
    assert loads == [1, 2]
    assert len(mailoutbox) == 3
    results = response.context["results"]
    assert [r.application.pk for r in results] == [first.pk, second.pk, third.pk]
    assert results[0].skipped == [
        (f"Claire Alpha ({a.email})", "L'expert est membre de l'organisation candidate.")
    ]
    assert "L'expert est membre de l'organisation candidate." in text(response)

    # Posting again fills no gap: nobody is assigned twice.
    again = staff_client.post(BULK, {"track": "ethics", "dossiers": [first.pk, second.pk]})
    assert ReviewAssignment.objects.count() == 3
    assert "Déjà pourvu" in text(again)

    workload = staff_client.get(WORKLOAD)
    rows = {row["expert"]: row["counts"] for row in workload.context["rows"]}
    assert rows[f"Claire Alpha ({a.email})"].pending == 2
    assert rows[f"Claire Bravo ({b.email})"].assigned == 1
    assert workload.context["totals"].assigned == 3


@pytest.mark.django_db
def test_workload_counts_declarations_submissions_and_overdue(staff_client, calls_index, staff):
    application = in_ethics_review(ethics_call(calls_index), staff)
    late, done = expert(last_name="Retard"), expert(last_name="Rendu")
    ReviewAssignment.objects.create(
        application=application,
        track="ethics",
        reviewer=late,
        assigned_by=staff,
        due_on=date.today() - timedelta(days=3),
    )
    assign(application, "ethics", done, staff)
    review(application, done, "4", "compliant", "4")
    rows = {r["expert"]: r["counts"] for r in staff_client.get(WORKLOAD).context["rows"]}
    late_row, done_row = rows[f"Claire Retard ({late.email})"], rows[f"Claire Rendu ({done.email})"]
    assert (late_row.assigned, late_row.declared, late_row.pending, late_row.overdue) == (
        1,
        0,
        1,
        1,
    )
    assert (done_row.declared, done_row.submitted, done_row.pending) == (1, 1, 0)


# -- Scores on the staff page, leaving the stage --------------------------------------------


@pytest.mark.django_db
def test_staff_page_shows_the_aggregate_and_the_divergence_then_the_stage_is_left(
    staff_client, calls_index, staff
):
    application = in_ethics_review(ethics_call(calls_index, tracks=("ethics",)), staff)
    two_reviews(application, staff)

    page = text(staff_client.get(reverse("evaluation:application", args=[application.pk])))
    section = page.split('id="notes-expertises"')[1]
    assert "72,5" in section  # (100 + 45) / 2
    assert "55" in section  # the spread, above the threshold of 25
    assert "Divergence" in section
    assert "2 invités / 2 rendus" in section
    assert "72,5 / 100" in section  # the only track: the overall score

    CallGrid.objects.update(disagreement_threshold=60)
    page = text(staff_client.get(reverse("evaluation:application", args=[application.pk])))
    assert "Divergence" not in page.split('id="notes-expertises"')[1]

    moved = fire(application, "send_to_committee", staff, comment="Expertise éthique faite")
    assert moved.status == S.COMMITTEE


@pytest.mark.django_db
def test_a_blocking_failure_keeps_the_stage_until_an_override(staff_client, calls_index, staff):
    application = in_ethics_review(ethics_call(calls_index), staff)
    two_reviews(application, staff, second=("3", "non_compliant", "3"))

    section = text(
        staff_client.get(reverse("evaluation:application", args=[application.pk]))
    ).split('id="notes-expertises"')[1]
    assert "Bloquant" in section
    assert "pas encore calculable" in section  # security has no score yet
    with pytest.raises(TransitionRefused):
        fire(application, "start_security_review", staff, comment="Suite")
    override_stage(application, staff, "Hébergeur certifié depuis : attestation reçue.")
    page = text(staff_client.get(reverse("evaluation:application", args=[application.pk])))
    assert "Dérogation accordée" in page.split('id="notes-expertises"')[1]
    moved = fire(application, "start_security_review", staff, comment="Dérogation")
    assert moved.status == S.SECURITY_REVIEW


# -- The evaluation report ------------------------------------------------------------------


@pytest.mark.django_db
def test_report_names_experts_and_the_anonymised_one_does_not(staff_client, calls_index, staff):
    application = in_ethics_review(ethics_call(calls_index, tracks=("ethics",)), staff)
    withdrawn = expert(first_name="Zoé", last_name="Conflictuelle")
    declare(
        assign(application, "ethics", withdrawn, staff),
        withdrawn,
        conflicted=True,
        reason="Ancienne salariée du candidat",
    )
    alice, bruno = two_reviews(application, staff)

    full = report_html(application, anonymised=False)
    for expected in ("100", "45", "72,5", "55", "Alice Martin", alice.email, "Bruno Durand"):
        assert expected in full, expected
    assert "Ancienne salariée du candidat" in full  # internal note
    assert "Bénéfice noté 5" in full and "Synthèse : avis reservations" in full
    assert "Divergence" in full

    anonymised = report_html(application, anonymised=True)
    for expected in ("Expert 1", "Expert 2", "72,5", "45", "Bénéfice noté 2", "E3", "Données"):
        assert expected in anonymised, expected
    for hidden in (alice, bruno, withdrawn, staff):
        for value in (hidden.first_name, hidden.last_name, hidden.email, hidden.username):
            assert value not in anonymised, value
    assert "Ancienne salariée" not in anonymised

    pdf = render_report(application, anonymised=True)
    assert pdf.startswith(b"%PDF-") and pdf_is_tagged(pdf)
    response = staff_client.get(report_url(application))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert f"rapport-expertise-{application.reference}.pdf" in response["Content-Disposition"]


@pytest.mark.django_db
def test_the_applicant_gets_the_anonymised_report_once_the_committee_decided(
    client, calls_index, staff
):
    call = ethics_call(calls_index, tracks=("ethics",))
    application = in_ethics_review(call, staff)
    two_reviews(application, staff)
    applicant = application.created_by
    client.force_login(applicant)
    assert client.get(report_url(application, anonymised=True)).status_code == 404
    assert client.get(report_url(application)).status_code == 403

    application = fire(application, "send_to_committee", staff, comment="Expertises faites")
    member = UserFactory()
    member.groups.add(Group.objects.get(name=COMMITTEE_GROUP))
    session = CommitteeSession.objects.create(call=call, title="Comité", held_on=date.today())
    session.members.add(member)
    assert client.get(report_url(application, anonymised=True)).status_code == 404
    record_committee_decision(application, session, member, "selected", "Bon", Decimal(100000))

    response = client.get(report_url(application, anonymised=True))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert client.get(report_url(application)).status_code == 403
    # Another organisation's member: refused, as for any application.
    client.force_login(UserFactory())
    assert client.get(report_url(application, anonymised=True)).status_code == 403


@pytest.mark.django_db
def test_reports_and_the_staff_page_do_not_query_per_expert(staff_client, calls_index, staff):
    """The report, the track outcome and the experts page cost the same number of queries
    with two experts as with four (the reviews and their ratings are loaded per track)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ethics.outcomes import track_outcome

    application = in_ethics_review(ethics_call(calls_index, tracks=("ethics",)), staff)
    two_reviews(application, staff)

    def cost():
        with CaptureQueriesContext(connection) as queries:
            report_html(application, anonymised=False)
            outcome = track_outcome(application, "ethics")
            assert staff_client.get(assign_url(application)).status_code == 200
        return len(queries), outcome

    cost()  # warm the caches (site, content types) once
    before, outcome = cost()
    assert (outcome.submitted_reviews, outcome.score) == (2, Decimal("72.50"))
    for _ in range(2):
        reviewer = expert()
        assign(application, "ethics", reviewer, staff)
        review(application, reviewer, "4", "compliant", "na")
    after, outcome = cost()
    assert (outcome.submitted_reviews, outcome.assigned_reviews, outcome.complete) == (4, 4, True)
    assert after == before


def _overflowing_boxes(html: str) -> list[str]:
    """The boxes of a rendered PDF that run past the page's right edge, by their text."""
    document = HTML(string=html).render()
    overflowing = []
    for page in document.pages:
        right = page.width
        for box in page._page_box.descendants():
            end = getattr(box, "position_x", 0) + (getattr(box, "width", 0) or 0)
            if end > right + 0.5 and getattr(box, "text", None):
                overflowing.append(box.text)
    return overflowing


@pytest.mark.django_db
def test_the_report_tables_fit_the_page(calls_index, staff):
    application = in_ethics_review(ethics_call(calls_index, tracks=("ethics",)), staff)
    two_reviews(application, staff)
    for anonymised in (False, True):
        assert _overflowing_boxes(report_html(application, anonymised=anonymised)) == []
