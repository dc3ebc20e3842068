"""Jury hearings (auditions), at HTTP level: staff schedule sessions, slots and invitations on
the calls they run; the applicant is emailed, confirms or asks for another slot; a slot is
never taken twice; the jury declares conflicts, records the team's attendance and scores on
the hearing grid; the committee sees the hearing's results in its ranking and file page. An
application withdrawn or found ineligible before its hearing frees its slot."""

import html
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.roles import COMMITTEE_GROUP, JURY_GROUP, PROGRAMME_STAFF_GROUP
from core.vocabulary import ApplicationStatus as S
from ethics.models import CallGrid, Criterion, ReviewAssignment, ReviewGrid
from evaluation import hearings
from evaluation.models import (
    CommitteeSession,
    HearingInvitation,
    HearingSession,
    HearingSlot,
    TransitionLog,
)
from evaluation.services import fire, submit_application

from ..factories import OperatorFactory, make_call
from ..grants_factories import OrganisationFactory, UserFactory, add_member, complete_application

SESSIONS = reverse("evaluation:hearing_sessions")
JURY = reverse("evaluation:hearing_jury")


def text(response) -> str:
    return html.unescape(response.content.decode())


def session_url(session) -> str:
    return reverse("evaluation:hearing_session", args=[session.pk])


def answer_url(application) -> str:
    return reverse("evaluation:hearing_answer", args=[application.pk])


def in_group(name, **fields):
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def operator(db):
    return OperatorFactory(name="Opérateur des auditions", acronym="OPA")


@pytest.fixture
def staff(operator):
    user = in_group(PROGRAMME_STAFF_GROUP, first_name="Sophie", last_name="Chargée")
    operator.staff.add(user)
    return user


@pytest.fixture
def call(calls_index, operator):
    now = timezone.now()
    call = make_call(
        calls_index,
        title="Appel avec auditions",
        opens_at=now - timedelta(days=5),
        cutoffs=[now + timedelta(days=5)],
        tracks=("hearing",),
        operator=operator,
    )
    grid = ReviewGrid.objects.create(name="Audition de test", track="hearing")
    Criterion.objects.create(grid=grid, code="A1", label="Équipe", weight=3, order=1)
    Criterion.objects.create(grid=grid, code="A2", label="Réponses", weight=1, order=2)
    CallGrid.objects.create(call=call, grid=grid)
    return call


@pytest.fixture
def jury(db):
    return [
        in_group(JURY_GROUP, first_name=name, email=f"{name.lower()}@jury-{n}.example")
        for n, name in enumerate(["Alice", "Bruno", "Chloé"])
    ]


def applicant_of(call, name="TéléCardio"):
    """An application in the hearing stage, and its organisation's owner."""
    organisation = OrganisationFactory()
    owner = add_member(organisation)
    application = complete_application(call, organisation, owner)
    application.project_title = name
    application.save(update_fields=["project_title"])
    application = submit_application(application, owner)
    officer = in_group(PROGRAMME_STAFF_GROUP)
    call.operator.staff.add(officer)
    application = fire(application, "start_eligibility_check", officer)
    application = fire(application, "start_hearing", officer, comment="Présélectionné")
    assert application.status == S.HEARING
    return application, owner


def session_with_slots(call, staff, jury, count=3, start_in=timedelta(days=7)):
    session = hearings.create_session(
        call,
        staff,
        jury=jury,
        title="Auditions de janvier",
        held_on=date.today() + start_in,
        place="Salle 4",
        video_link="",
    )
    hearings.add_slots(
        session,
        staff,
        first_start=timezone.now() + start_in,
        duration=30,
        count=count,
        gap=0,
    )
    return session


def mails_to(mailoutbox, email):
    return [m for m in mailoutbox if email in m.to]


# -- Staff schedule ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_schedule_a_session_and_invite_an_application(
    client, call, staff, jury, mailoutbox, django_capture_on_commit_callbacks
):
    application, owner = applicant_of(call)
    client.force_login(staff)
    page = text(client.get(SESSIONS))
    assert "Appel avec auditions" in page  # offered in the form

    response = client.post(
        SESSIONS,
        {
            "call": call.pk,
            "title": "Auditions de janvier",
            "held_on": (date.today() + timedelta(days=7)).isoformat(),
            "place": "",
            "video_link": "https://visio.example/jury",
            "jury": [member.pk for member in jury],
        },
    )
    session = HearingSession.objects.get()
    assert response.status_code == 302 and response.url == session_url(session)

    start = timezone.localtime(timezone.now() + timedelta(days=7)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    response = client.post(
        session_url(session),
        {
            "action": "slots",
            "first_start": start.strftime("%Y-%m-%dT%H:%M"),
            "duration": 40,
            "gap": 10,
            "count": 3,
        },
    )
    assert response.status_code == 302
    slots = list(session.slots.all())
    assert [s.starts_at for s in slots] == [start + timedelta(minutes=50 * i) for i in range(3)]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            session_url(session),
            {"action": "invite", "application": application.pk, "slot": slots[1].pk},
        )
    assert response.status_code == 302
    invitation = HearingInvitation.objects.get(application=application)
    assert invitation.slot == slots[1] and invitation.answer == "pending"
    # The jury is seated on the hearing track, each member told by email.
    seated = ReviewAssignment.objects.filter(application=application, track="hearing")
    assert {a.reviewer_id for a in seated} == {m.pk for m in jury}
    (email,) = mails_to(mailoutbox, owner.email)
    assert "Convocation à l'audition" in email.subject
    assert "https://visio.example/jury" in email.body
    assert answer_url(application) in email.body
    assert TransitionLog.objects.filter(application=application, transition="hearing_invited")

    page = text(client.get(session_url(session)))
    assert application.reference in page and "En attente de confirmation" in page
    # The staff application page links to the hearing.
    page = text(client.get(reverse("evaluation:application", args=[application.pk])))
    assert "Auditions de janvier" in page and "En attente de confirmation" in page


@pytest.mark.django_db
def test_bad_input_is_refused_with_its_reason_and_nothing_is_stored(client, call, staff, jury):
    application, _owner = applicant_of(call)
    client.force_login(staff)
    # Neither a place nor a video link.
    response = client.post(
        SESSIONS,
        {
            "call": call.pk,
            "title": "Sans lieu",
            "held_on": date.today().isoformat(),
            "jury": [jury[0].pk],
        },
    )
    assert response.status_code == 200
    assert "Indiquez le lieu ou le lien de visioconférence." in text(response)
    assert not HearingSession.objects.exists()

    session = session_with_slots(call, staff, jury, count=2)
    first = session.slots.first()
    # A slot overlapping an existing one: nothing added.
    response = client.post(
        session_url(session),
        {
            "action": "slots",
            "first_start": timezone.localtime(first.starts_at + timedelta(minutes=10)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "duration": 30,
            "gap": 0,
            "count": 2,
        },
        follow=True,
    )
    assert "chevauche un créneau existant" in text(response)
    assert session.slots.count() == 2
    # Zero slots, a missing date: the form says what is wrong.
    response = client.post(session_url(session), {"action": "slots", "count": 0, "duration": 30})
    assert response.status_code == 400
    assert session.slots.count() == 2
    # A slot already begun cannot be booked.
    HearingSlot.objects.filter(pk=first.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    response = client.post(
        session_url(session),
        {"action": "invite", "application": application.pk, "slot": first.pk},
        follow=True,
    )
    assert "Ce créneau est passé" in text(response)
    assert not HearingInvitation.objects.exists()


@pytest.mark.django_db
def test_a_slot_taken_twice_is_refused(client, call, staff, jury):
    first, _ = applicant_of(call, "Premier")
    second, _ = applicant_of(call, "Second")
    session = session_with_slots(call, staff, jury, count=2)
    slot, other = session.slots.all()
    client.force_login(staff)
    client.post(
        session_url(session), {"action": "invite", "application": first.pk, "slot": slot.pk}
    )

    response = client.post(
        session_url(session),
        {"action": "invite", "application": second.pk, "slot": slot.pk},
        follow=True,
    )
    assert "Ce créneau vient d'être attribué à un autre dossier" in text(response)
    assert HearingInvitation.objects.get(slot=slot).application == first
    assert not HearingInvitation.objects.filter(application=second).exists()
    # Nor can an application hold two slots.
    with pytest.raises(hearings.TransitionRefused, match="déjà un créneau"):
        hearings.invite(other, first, staff)
    # The race itself is the database's: two bookings of one slot cannot both be stored.
    with pytest.raises(IntegrityError), transaction.atomic():
        HearingInvitation.objects.create(
            slot=slot, application=second, invited_by=staff, invited_at=timezone.now()
        )


@pytest.mark.django_db
def test_staff_of_another_operator_and_outsiders_see_nothing(client, call, staff, jury):
    application, owner = applicant_of(call)
    session = session_with_slots(call, staff, jury)
    other_operator = OperatorFactory(name="Autre opérateur", acronym="AO")
    stranger = in_group(PROGRAMME_STAFF_GROUP)
    other_operator.staff.add(stranger)
    client.force_login(stranger)
    assert client.get(session_url(session)).status_code == 404
    slot = session.slots.first()
    response = client.post(
        session_url(session), {"action": "invite", "application": application.pk, "slot": slot.pk}
    )
    assert response.status_code == 404
    sessions = client.get(SESSIONS)
    assert sessions.status_code == 200 and "Auditions de janvier" not in text(sessions)
    assert not HearingInvitation.objects.exists()
    # Neither applicants nor jury members open the staff pages.
    client.force_login(owner)
    assert client.get(SESSIONS).status_code == 403
    client.force_login(jury[0])
    assert client.get(session_url(session)).status_code == 403


# -- The applicant's answer ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_applicant_confirms_or_asks_for_another_slot(
    client, call, staff, jury, mailoutbox, django_capture_on_commit_callbacks
):
    application, owner = applicant_of(call)
    session = session_with_slots(call, staff, jury)
    invitation = hearings.invite(session.slots.first(), application, staff)
    client.force_login(owner)

    dashboard = text(client.get(reverse("grants:dashboard")))
    assert "Convocation à l'audition du" in dashboard and answer_url(application) in dashboard
    followup = text(client.get(reverse("evaluation:followup", args=[application.pk])))
    assert "Audition devant le jury" in followup and "En attente de confirmation" in followup

    # Asking for another slot without a reason: refused, nothing changed.
    response = client.post(answer_url(application), {"action": "change", "reason": "  "})
    assert response.status_code == 400
    assert "Expliquez pourquoi ce créneau ne vous convient pas." in text(response)
    invitation.refresh_from_db()
    assert invitation.answer == "pending"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            answer_url(application),
            {"action": "change", "reason": "Notre CTO est au congrès HIMSS ce jour-là."},
        )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.answer == "change_requested" and invitation.answered_by == owner
    (email,) = mails_to(mailoutbox, staff.email)
    assert "Autre créneau d'audition demandé" in email.subject and "HIMSS" in email.body

    # Staff see the request and move the application to another free slot: a new invitation.
    client.force_login(staff)
    assert "Notre CTO est au congrès HIMSS" in text(client.get(session_url(session)))
    new_slot = session.slots.last()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            session_url(session),
            {"action": "move", "invitation": invitation.pk, "slot": new_slot.pk},
        )
    invitation.refresh_from_db()
    assert (invitation.slot, invitation.answer) == (new_slot, "pending")
    assert len(mails_to(mailoutbox, owner.email)) == 1  # the new slot's invitation

    client.force_login(owner)
    response = client.post(answer_url(application), {"action": "confirm"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.answer == "confirmed"
    assert "Audition confirmée le" in text(client.get(reverse("grants:dashboard")))
    logged = set(
        TransitionLog.objects.filter(application=application).values_list("transition", flat=True)
    )
    assert {"hearing_invited", "hearing_change_requested", "hearing_moved"} <= logged
    assert "hearing_confirmed" in logged


@pytest.mark.django_db
def test_another_organisation_cannot_see_nor_answer_the_invitation(client, call, staff, jury):
    application, _owner = applicant_of(call)
    session = session_with_slots(call, staff, jury)
    invitation = hearings.invite(session.slots.first(), application, staff)
    _other_application, other_owner = applicant_of(call, "Concurrent")
    client.force_login(other_owner)
    assert client.get(answer_url(application)).status_code == 404
    assert client.post(answer_url(application), {"action": "confirm"}).status_code == 404
    invitation.refresh_from_db()
    assert invitation.answer == "pending"
    # Not invited: no hearing page either.
    assert client.get(answer_url(_other_application)).status_code == 404


# -- The jury -----------------------------------------------------------------------------------


def begin(invitation):
    """The hearing's slot has begun (time passed since it was booked)."""
    HearingSlot.objects.filter(pk=invitation.slot_id).update(
        starts_at=timezone.now() - timedelta(minutes=5)
    )


def seat(application, member):
    return ReviewAssignment.objects.get(application=application, reviewer=member, track="hearing")


@pytest.mark.django_db
def test_a_conflicted_jury_member_neither_reads_nor_scores(client, call, staff, jury):
    application, _owner = applicant_of(call)
    session = session_with_slots(call, staff, jury)
    invitation = hearings.invite(session.slots.first(), application, staff)
    begin(invitation)
    member = jury[0]
    assignment = seat(application, member)
    client.force_login(member)
    page = text(client.get(JURY))
    assert "TéléCardio" in page and "Déclarer mes liens d'intérêts" in page
    # Attendance before declaring: refused.
    response = client.post(
        JURY, {"invitation": invitation.pk, "attendance": "present"}, follow=True
    )
    assert "Seuls le jury (sans conflit d'intérêts)" in text(response)

    client.post(
        reverse("ethics:declaration", args=[assignment.pk]),
        {"conflict": "conflicted", "reason": "Ancien associé du fondateur"},
    )
    assert client.get(reverse("ethics:review", args=[assignment.pk])).status_code == 403
    client.post(JURY, {"invitation": invitation.pk, "attendance": "present"})
    invitation.refresh_from_db()
    assert invitation.attendance == ""
    # A member of another session's jury sees nothing of it.
    outsider = in_group(JURY_GROUP)
    client.force_login(outsider)
    jury_page = client.get(JURY)
    assert jury_page.status_code == 200 and "TéléCardio" not in text(jury_page)
    response = client.post(JURY, {"invitation": invitation.pk, "attendance": "present"})
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_jury_records_attendance_then_scores_and_the_committee_sees_it(
    client, call, staff, jury
):
    application, _owner = applicant_of(call)
    session = session_with_slots(call, staff, jury)
    invitation = hearings.invite(session.slots.first(), application, staff)
    member = jury[0]
    assignment = seat(application, member)
    client.force_login(member)
    client.post(reverse("ethics:declaration", args=[assignment.pk]), {"conflict": "none"})
    review_url = reverse("ethics:review", args=[assignment.pk])
    # Before the hearing: no attendance, no grid.
    response = client.post(
        JURY, {"invitation": invitation.pk, "attendance": "present"}, follow=True
    )
    assert "L'audition n'a pas encore commencé." in text(response)
    assert "La grille s'ouvre une fois la présence" in text(client.get(review_url))

    begin(invitation)
    client.post(JURY, {"invitation": invitation.pk, "attendance": "present"})
    invitation.refresh_from_db()
    assert invitation.attendance == "present"
    criteria = {c.code: c.pk for c in Criterion.objects.filter(grid__track="hearing")}
    response = client.post(
        review_url,
        {
            f"c{criteria['A1']}_value": "4",
            f"c{criteria['A1']}_comment": "Équipe complète, CTO convaincant",
            f"c{criteria['A2']}_value": "2",
            f"c{criteria['A2']}_comment": "Réponses floues sur le remboursement",
            "recommendation": "reservations",
            "summary": "Notes d'audition : bonne équipe, modèle économique à préciser.",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    # The other members did not attend the jury: staff take them off, the hearing is complete.
    hearings.change_jury(session, staff, [member])
    application = fire(application, "send_to_committee", staff, comment="Audition faite")

    committee = in_group(COMMITTEE_GROUP)
    meeting = CommitteeSession.objects.create(call=call, title="Comité", held_on=date.today())
    meeting.members.add(committee)
    client.force_login(committee)
    ranking = text(client.get(reverse("evaluation:committee_session", args=[meeting.pk])))
    # (3 × 4/5 + 1 × 2/5) / 4 = 70/100, the team present.
    assert "70,0/100" in ranking and "équipe présent" in ranking
    file_url = reverse("evaluation:committee_file", args=[meeting.pk, application.pk])
    client.post(file_url, {"conflicted": "no"})
    page = text(client.get(file_url))
    assert "Notes et appréciations du jury" in page
    assert "bonne équipe, modèle économique à préciser" in page
    assert "Réponses floues sur le remboursement" in page
    assert "Présence de l'équipe" in page and "Présent" in page


# -- Query counts -------------------------------------------------------------------------------


def _booked_session(call, staff, jury, count):
    session = session_with_slots(call, staff, jury, count=count)
    for n, slot in enumerate(session.slots.all()):
        if n % 2 == 0:  # half booked, half free
            application, _owner = applicant_of(call, f"Projet {count}-{n}")
            hearings.invite(slot, application, staff)
    return session


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_the_pages_cost_the_same_queries_for_3_or_30_slots(client, call, staff, jury):
    small = _booked_session(call, staff, jury, 3)
    large = _booked_session(call, staff, jury, 30)
    client.force_login(staff)
    _queries(client, session_url(small))  # warms per-process caches
    assert _queries(client, session_url(small)) == _queries(client, session_url(large))
    # The jury's page: every hearing of both sessions, as few queries as for one.
    client.force_login(jury[0])
    _queries(client, JURY)
    few = _queries(client, JURY)
    _booked_session(call, staff, jury, 30)
    assert _queries(client, JURY) == few


# -- An application that will not be heard frees its slot ------------------------------------


def withdraw(client, owner, application):
    client.force_login(owner)
    return client.post(
        reverse("evaluation:withdraw", args=[application.pk]),
        {"confirm": "yes", "comment": "Nous arrêtons le projet."},
    )


@pytest.mark.django_db
def test_a_withdrawn_application_frees_its_slot_for_another_team(client, call, staff, jury):
    application, owner = applicant_of(call)
    other, _other_owner = applicant_of(call, "PneumoLien")
    session = session_with_slots(call, staff, jury, count=1)
    slot = session.slots.get()
    invitation = hearings.invite(slot, application, staff)
    hearings.confirm(invitation, owner)

    response = withdraw(client, owner, application)
    assert response.status_code == 302

    assert not HearingInvitation.objects.filter(application=application).exists()
    assert not ReviewAssignment.objects.filter(application=application, track="hearing")
    entry = TransitionLog.objects.filter(application=application).latest("seq")
    assert entry.transition == hearings.CANCELLED and entry.actor == owner
    assert "Créneau libéré, le dossier est « Retiré »" in entry.comment

    # Staff see the slot free, and the cancellation in the application's history.
    client.force_login(staff)
    page = text(client.get(session_url(session)))
    assert "Libre" in page and application.reference not in page
    history = text(client.get(reverse("evaluation:application", args=[application.pk])))
    assert "Annuler l'audition" in history and "Créneau libéré" in history

    # Another team is booked on it.
    response = client.post(
        session_url(session), {"action": "invite", "application": other.pk, "slot": slot.pk}
    )
    assert response.status_code == 302
    assert HearingInvitation.objects.get(slot=slot).application_id == other.pk


@pytest.mark.django_db
def test_an_ineligible_application_frees_its_slot_too(call, staff, jury):
    draft = complete_application(call)
    application = submit_application(draft, draft.created_by)
    application = fire(application, "start_eligibility_check", staff)
    session = session_with_slots(call, staff, jury, count=1)
    hearings.invite(session.slots.get(), application, staff)

    fire(application, "declare_ineligible", staff, comment="Pièces manquantes.")

    assert not HearingInvitation.objects.filter(application=application).exists()
    assert TransitionLog.objects.filter(
        application=application, transition=hearings.CANCELLED
    ).exists()


@pytest.mark.django_db
def test_a_hearing_already_held_stays_on_withdrawal(client, call, staff, jury):
    application, owner = applicant_of(call)
    session = session_with_slots(call, staff, jury, count=1)
    invitation = hearings.invite(session.slots.get(), application, staff)
    session.slots.update(starts_at=timezone.now() - timedelta(hours=1))
    invitation.refresh_from_db()
    hearings.record_attendance(invitation, staff, "present")

    withdraw(client, owner, application)

    invitation.refresh_from_db()
    assert invitation.attendance == "present"
    assert not TransitionLog.objects.filter(
        application=application, transition=hearings.CANCELLED
    ).exists()
