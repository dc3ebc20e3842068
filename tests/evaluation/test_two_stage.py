"""Two-stage calls: pre-proposals shortlisted with a reason each (one by one or in bulk), the
shortlisted teams invited to a full application pre-filled from their pre-proposal and due by
the next second-stage relève, the others sent a letter stating the reason."""

from datetime import timedelta
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from cms.models import Operator
from core.formatting import paris_instant
from core.refusals import Refused
from core.roles import PROGRAMME_STAFF_GROUP
from core.vocabulary import ApplicationStatus as S
from evaluation.models import ShortlistDecision, TransitionLog
from evaluation.services import fire, submit_application
from evaluation.shortlist_letters import letter_html
from grants.models import Application
from grants.services.drafts import open_full_application

from ..factories import make_call
from ..grants_factories import UserFactory, complete_application, pdf_is_tagged

REASON_YES = "Équipe solide, besoin clinique bien documenté."
REASON_NO = "Le projet ne relève pas du périmètre de l'appel (pas de dispositif médical)."


@pytest.fixture
def call(calls_index):
    now = timezone.now()
    return make_call(
        calls_index,
        title="Dispositifs médicaux numériques",
        operator=Operator.objects.create(name="Opérateur deux étapes"),
        opens_at=now - timedelta(days=30),
        cutoffs=[now + timedelta(days=1), now + timedelta(days=90)],
        second_stage=[now + timedelta(days=30), now + timedelta(days=120)],
        tracks=("ethics",),
    )


@pytest.fixture
def officer(call):
    user = UserFactory(first_name="Sophie", last_name="Chargée")
    user.groups.add(Group.objects.get(name=PROGRAMME_STAFF_GROUP))
    call.operator.staff.add(user)
    return user


def under_check(call, officer, n=1):
    """``n`` pre-proposals submitted and taken up for the eligibility check."""
    pre_proposals = []
    for _ in range(n):
        application = complete_application(call)
        submit_application(application, application.created_by)
        fire(application, "start_eligibility_check", officer)
        pre_proposals.append(Application.objects.get(pk=application.pk))
    return pre_proposals


def url(call):
    return reverse("evaluation:shortlist", args=[call.pk])


@pytest.mark.django_db
def test_shortlisted_team_gets_a_prefilled_full_application_the_other_a_letter(
    client, call, officer, mailoutbox, django_capture_on_commit_callbacks
):
    kept, declined = under_check(call, officer, 2)
    client.force_login(officer)
    page = unescape(client.get(url(call)).content.decode())
    assert kept.reference in page and declined.reference in page
    # The application's page sends staff there: no generic button skips the decision's record.
    staff_page = unescape(
        client.get(reverse("evaluation:application", args=[kept.pk])).content.decode()
    )
    assert url(call) in staff_page and "Présélectionner (invite" not in staff_page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(call),
            {
                f"outcome-{kept.pk}": "shortlisted",
                f"reason-{kept.pk}": REASON_YES,
                f"outcome-{declined.pk}": "not_shortlisted",
                f"reason-{declined.pk}": REASON_NO,
            },
        )
    assert response.status_code == 302
    kept.refresh_from_db()
    declined.refresh_from_db()
    assert (kept.status, declined.status) == (S.SHORTLISTED, S.NOT_SHORTLISTED)

    full = Application.objects.get(pre_proposal=kept)
    assert (full.stage, full.status, full.organisation) == (2, S.DRAFT, kept.organisation)
    assert full.answers == kept.snapshot["answers"]  # pre-filled from the pre-proposal
    assert sorted(full.attachments.values_list("slot", "sha256")) == sorted(
        kept.attachments.values_list("slot", "sha256")
    )
    assert full.cutoff == call.sorted_cutoffs(2)[0]  # the next second-stage relève
    assert not Application.objects.filter(pre_proposal=declined).exists()
    logs = TransitionLog.objects.filter(transition__in=["shortlist", "decline_shortlist"])
    assert {(log.application_id, log.comment) for log in logs} == {
        (kept.pk, REASON_YES),
        (declined.pk, REASON_NO),
    }

    letters = [m for m in mailoutbox if "présélection" in m.subject]
    assert len(letters) == 2
    by_reference = {m.subject.rsplit(" ", 1)[-1]: m for m in letters}
    assert REASON_NO in by_reference[declined.reference].body
    invitation = by_reference[kept.reference].body
    assert "présélectionné" in invitation and f"/espace/candidatures/{full.pk}/" in invitation
    for message in letters:
        [(_name, pdf, mimetype)] = message.attachments
        assert mimetype == "application/pdf" and pdf_is_tagged(pdf)

    # The refusal's letter states the reason before anything else.
    decision = ShortlistDecision.objects.get(application=declined)
    letter = unescape(letter_html(decision))
    assert letter.index(REASON_NO) < letter.index("Madame, Monsieur")
    # The applicant downloads it; the staff page lists both decisions.
    client.force_login(declined.created_by)
    response = client.get(reverse("evaluation:shortlist_letter", args=[decision.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    client.force_login(kept.created_by)
    assert client.get(reverse("evaluation:shortlist_letter", args=[decision.pk])).status_code == 404
    # The shortlisted team finds its full application on its dashboard, with its due date.
    dashboard = unescape(client.get(reverse("grants:dashboard")).content.decode())
    assert "Dossier complet (2e étape)" in dashboard
    assert paris_instant(full.cutoff.closes_at) in dashboard


@pytest.mark.django_db
def test_bulk_decision_applies_one_outcome_and_reason_to_ticked_rows(client, call, officer):
    first, second, untouched = under_check(call, officer, 3)
    client.force_login(officer)
    response = client.post(
        url(call),
        {
            "selected": [first.pk, second.pk],
            "bulk_outcome": "not_shortlisted",
            "bulk_reason": REASON_NO,
        },
    )
    assert response.status_code == 302
    statuses = dict(Application.objects.filter(stage=1).values_list("pk", "status"))
    assert statuses[first.pk] == statuses[second.pk] == S.NOT_SHORTLISTED
    assert statuses[untouched.pk] == S.ELIGIBILITY


@pytest.mark.django_db
def test_a_decision_without_reason_is_refused_and_changes_nothing(client, call, officer):
    [pre_proposal] = under_check(call, officer)
    client.force_login(officer)
    response = client.post(url(call), {f"outcome-{pre_proposal.pk}": "shortlisted"})
    assert response.status_code == 200
    assert "Le motif de chaque décision est obligatoire." in unescape(response.content.decode())
    pre_proposal.refresh_from_db()
    assert pre_proposal.status == S.ELIGIBILITY
    assert not ShortlistDecision.objects.exists()
    assert not Application.objects.filter(stage=2).exists()


@pytest.mark.django_db
def test_only_the_calls_staff_shortlist(client, call, officer):
    [pre_proposal] = under_check(call, officer)
    other_officer = UserFactory()
    other_officer.groups.add(Group.objects.get(name=PROGRAMME_STAFF_GROUP))
    Operator.objects.create(name="Autre opérateur").staff.add(other_officer)
    post = {f"outcome-{pre_proposal.pk}": "shortlisted", f"reason-{pre_proposal.pk}": REASON_YES}
    client.force_login(other_officer)
    assert client.get(url(call)).status_code == 404
    assert client.post(url(call), post).status_code == 404
    client.force_login(pre_proposal.created_by)
    assert client.post(url(call), post).status_code == 403
    pre_proposal.refresh_from_db()
    assert pre_proposal.status == S.ELIGIBILITY


@pytest.mark.django_db
def test_a_pre_proposal_is_never_sent_to_review(call, officer):
    [pre_proposal] = under_check(call, officer)
    with pytest.raises(Refused):
        fire(pre_proposal, "start_ethics_review", officer, comment="Essai")
    pre_proposal.refresh_from_db()
    assert pre_proposal.status == S.ELIGIBILITY


@pytest.mark.django_db
def test_a_full_application_of_a_team_not_shortlisted_is_refused(call, officer):
    [pre_proposal] = under_check(call, officer)
    fire(pre_proposal, "decline_shortlist", officer, comment=REASON_NO)
    # A full application that should not exist (forged, or opened before a change of mind).
    forged = open_full_application(pre_proposal, call.sorted_cutoffs(2)[0])
    with pytest.raises(Refused):
        submit_application(forged, pre_proposal.created_by)
    forged.refresh_from_db()
    assert forged.status == S.DRAFT


@pytest.mark.django_db
def test_the_full_application_is_due_by_its_second_stage_relève(client, call, officer):
    kept, late = under_check(call, officer, 2)
    client.force_login(officer)
    client.post(
        url(call),
        {
            "selected": [kept.pk, late.pk],
            "bulk_outcome": "shortlisted",
            "bulk_reason": REASON_YES,
        },
    )
    on_time = Application.objects.get(pre_proposal=kept)
    overdue = Application.objects.get(pre_proposal=late)
    due = on_time.cutoff.closes_at
    with pytest.raises(Refused, match="dossier complet était attendu"):
        submit_application(overdue, late.created_by, now=due + timedelta(seconds=1))
    submitted = submit_application(on_time, kept.created_by, now=due - timedelta(minutes=1))
    assert submitted.status == S.SUBMITTED
    assert submitted.cutoff == call.sorted_cutoffs(2)[0]  # kept: not a first-stage relève
    overdue.refresh_from_db()
    assert overdue.status == S.DRAFT


@pytest.mark.django_db
def test_one_refused_row_leaves_the_others_decided_and_keeps_what_was_typed(client, call, officer):
    decided, refused = under_check(call, officer, 2)
    client.force_login(officer)
    response = client.post(
        url(call),
        {
            f"outcome-{decided.pk}": "not_shortlisted",
            f"reason-{decided.pk}": REASON_NO,
            f"outcome-{refused.pk}": "shortlisted",
            f"reason-{refused.pk}": "   ",
        },
    )
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert "Le motif de chaque décision est obligatoire." in page
    assert "1 décision enregistrée" in page
    # The decided row moved to the decisions taken; the refused one is still to decide.
    assert page.index(REASON_NO) > page.index("Décisions prises")
    assert f'id="preproposition-{refused.pk}"' in page
    assert f'id="preproposition-{decided.pk}"' not in page
    refused.refresh_from_db()
    assert refused.status == S.ELIGIBILITY
