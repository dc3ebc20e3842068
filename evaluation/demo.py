"""Demo back office: a programme officer, a committee member, a hearing jury member, and
applications at several stages of an open call, so that every persona of the demo has
something to do: the officer checks eligibility and shortlists the pre-proposals of the open
two-stage call, the ethics expert (ethics/demo.py, loaded before) reviews an application
assigned to them, the committee member decides on an application whose reviews are all in.
On the open call that hears its applicants, the jury member records a team's attendance and
scores its hearing, and the demo applicant has an invitation to confirm (demo_hearings.py).
Idempotent."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from stdnum import luhn
from weasyprint import HTML

from cms.models import CallPage
from core.roles import COMMITTEE_GROUP, JURY_GROUP, PROGRAMME_STAFF_GROUP, PROGRAMME_WIDE_GROUP
from core.vocabulary import TRACK_OF_STAGE, ApplicationStatus, ReviewTrack
from ethics.aggregation import COMPLIANCE
from ethics.demo import demo_expert_for
from ethics.models import Review
from ethics.services import assign, declare, open_review, save_ratings
from ethics.services import submit as submit_review
from grants.models import Application, Attachment, Membership, Organisation

from .conditions import is_pre_proposal
from .demo_hearings import book_past, hear, invite_upcoming
from .models import CommitteeSession
from .services import fire, submit_application
from .shortlisting import decide
from .workflow import TransitionRefused

# (legal name, SIREN without its key, region, project, amount requested,
#  transitions fired after the submission). Before leaving a review stage, its reviews are
#  written by the demo experts.
DEMO_PROJECTS = [
    ("NeuroVeille SAS", "90234567", "84", "NeuroVeille", 300_000, []),
    ("Domicare SAS", "90345678", "76", "Domicare", 450_000, ["start_eligibility_check"]),
    (
        "OncoLien SAS",
        "90456789",
        "75",
        "OncoLien",
        600_000,
        ["start_eligibility_check", "start_ethics_review"],
    ),
    (
        "PneumoSuivi SAS",
        "90567891",
        "53",
        "PneumoSuivi",
        400_000,
        [
            "start_eligibility_check",
            "start_ethics_review",
            "start_security_review",
            "start_interoperability_review",
            # Only on a call that hears its applicants (skipped on the others).
            "start_hearing",
            "send_to_committee",
        ],
    ),
]
# The track a transition leads to, when a call may not use it: skipped on the calls that don't.
TRACK_OF_TRANSITION = {"start_hearing": ReviewTrack.HEARING}
# On the call that hears its applicants: (legal name, SIREN base, region, project, amount),
# taken to the hearing. The first is the demo applicant's, invited to the upcoming session;
# the second was heard yesterday, its team's attendance and grids left to the jury persona.
HEARING_PROJECTS = [
    ("Démo Santé Connectée SAS", "", "53", "OrthoSuivi", 350_000),
    ("NéoDerm SAS", "90678912", "84", "NéoDerm", 420_000),
]
TO_HEARING = DEMO_PROJECTS[-1][5][: DEMO_PROJECTS[-1][5].index("start_hearing") + 1]


# Pre-proposals of the open two-stage call, waiting for the officer's shortlisting.
DEMO_PRE_PROPOSALS = [
    ("CardioPatch SAS", "90789012", "84", "CardioPatch", 350_000),
    ("GlycoSense SAS", "90790123", "76", "GlycoSense", 250_000),
]


def _user(username: str, email: str, password: str, group: str | None = None):
    user, _ = get_user_model().objects.get_or_create(username=username, defaults={"email": email})
    user.email = email
    user.set_password(password)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def _pdf(text: str) -> bytes:
    return HTML(string=f"<h1>{text}</h1><p>Document de démonstration.</p>").write_pdf()


def _attach(application: Application, slot: str, user, text: str) -> None:
    content = _pdf(text)
    Attachment.objects.create(
        application=application,
        slot=slot,
        file=ContentFile(content, name=f"{slot}.pdf"),
        original_name=f"{slot}.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=user,
    )


@transaction.atomic
def load_demo_workflow(password: str) -> list[str]:
    officer = _user("instructeur", "instructeur@ruche.local", password, PROGRAMME_STAFF_GROUP)
    director = _user("direction", "direction@ruche.local", password, PROGRAMME_WIDE_GROUP)
    member = _user("comite", "comite@ruche.local", password, COMMITTEE_GROUP)
    jury = _user("jury", "jury@ruche.local", password, JURY_GROUP)
    people = [officer.email, director.email, member.email, jury.email]
    calls = CallPage.objects.references().live().order_by("pk")
    call = next((c for c in calls if c.is_open()), None)
    if call is None:
        return people
    # The officer works for the open call's operator: they see its calls, not the others'.
    _runs(officer, call)
    session, _ = CommitteeSession.objects.get_or_create(
        call=call, title="Comité de sélection — démonstration", defaults={"held_on": date.today()}
    )
    session.members.add(member)
    for name, siren, region, project, amount, transitions in DEMO_PROJECTS:
        load_demo_project(call, officer, name, siren, region, project, amount, transitions)
    two_stage = next((c for c in calls if c.is_open() and c.is_two_stage), None)
    if two_stage is not None:
        _runs(officer, two_stage)
        for name, siren, region, project, amount in DEMO_PRE_PROPOSALS:
            load_demo_project(
                two_stage,
                officer,
                name,
                siren,
                region,
                project,
                amount,
                ["start_eligibility_check"],
            )
    _load_hearings(calls, officer)
    return people


def _runs(officer, call) -> None:
    if call.operator_id:
        call.operator.staff.add(officer)
    else:
        call.officers.add(officer)


def _load_hearings(calls, officer) -> None:
    """The demo applicant's invitation and the jury persona's hearing, on the first open call
    that hears its applicants (its operator's officer runs it)."""
    call = next((c for c in calls if c.is_open() and c.requires_track(ReviewTrack.HEARING)), None)
    candidate = get_user_model().objects.filter(username="candidat").first()
    if call is None or not call.is_run_by(officer):
        return
    for name, siren, region, project, amount in HEARING_PROJECTS:
        if Application.objects.filter(call=call, project_title=project).exists():
            continue
        member_of = None
        if not siren:
            organisation = candidate.organisations.first() if candidate else None
            if organisation is None:
                continue
            member_of = (candidate, organisation)
        application = load_demo_project(
            call, officer, name, siren, region, project, amount, TO_HEARING, member_of
        )
        if application is None or application.status != ApplicationStatus.HEARING:
            continue
        if member_of:
            invite_upcoming(application, officer)
        else:
            book_past(application, officer, attended=False)


def load_demo_project(
    call, officer, name, siren_base, region, project, amount, transitions, member_of=None
) -> Application | None:
    """One demo application moved by ``transitions`` (its reviews written by the demo experts
    on the way); None when its organisation was loaded before. The apps above (funding's
    demo) carry it further. ``member_of``: (user, organisation) who apply instead of a new
    organisation (the demo applicant's)."""
    if member_of is not None:
        user, organisation = member_of
        return _apply(call, officer, organisation, user, project, amount, transitions)
    siren = _with_luhn_key(siren_base)
    organisation, created = Organisation.objects.get_or_create(
        siren=siren,
        defaults={
            "legal_name": name,
            # A SIRET is the SIREN, a 4-digit establishment number and a Luhn key: 14 digits.
            "siret": _with_luhn_key(siren + "0000"),
            "legal_form": "sas",
            "size": "startup",
            "creation_date": date(2020, 6, 1),
            "region": region,
            "address": "1 place de l'Innovation",
            "postcode": "75001",
            "city": "Paris",
        },
    )
    if not created:
        return None  # already loaded: the demo never duplicates applications
    slug = project.lower()
    user = _user(slug, f"{slug}@demo.ruche.local", "demo-" + siren)
    Membership.objects.create(user=user, organisation=organisation, role=Membership.Role.OWNER)
    return _apply(call, officer, organisation, user, project, amount, transitions)


def _apply(call, officer, organisation, user, project, amount, transitions) -> Application:
    application = Application.objects.create(
        call=call,
        organisation=organisation,
        created_by=user,
        project_title=project,
        amount_requested=Decimal(amount),
        answers=_answers(project, amount, call),
    )
    _attach(application, "pitch_deck", user, f"{project} — présentation")
    _attach(application, "kbis", user, f"{organisation.legal_name} — extrait Kbis")
    application = submit_application(application, user)
    if is_pre_proposal(application) and len(transitions) > 1:
        # A two-stage call: the pre-proposal shortlisted, its full application (pre-filled
        # from it) filed, and that one runs the rest.
        pre_proposal = fire(
            application, "start_eligibility_check", officer, comment="Démonstration"
        )
        decide(
            pre_proposal, officer, "shortlisted", "Pré-proposition convaincante (démonstration)."
        )
        application = submit_application(Application.objects.get(pre_proposal=pre_proposal), user)
    for transition in transitions:
        track = TRACK_OF_TRANSITION.get(transition)
        if track and not call.requires_track(track):
            continue
        if application.status == ApplicationStatus.HEARING:
            hear(application, officer)  # heard yesterday, the jury's grids returned
        elif TRACK_OF_STAGE.get(application.status):
            _review(application, officer)
        try:
            application = fire(application, transition, officer, comment="Démonstration")
        except TransitionRefused:
            break  # no demo expert or grid for a required review: it waits at this stage
    if TRACK_OF_STAGE.get(application.status) and application.status != ApplicationStatus.HEARING:
        # Left in a review stage: assigned to the demo expert, who has it to review.
        track = TRACK_OF_STAGE[application.status]
        expert = demo_expert_for(track)
        if expert is not None:
            assign(application, track, expert, by=officer)
    return application


def _review(application, officer) -> None:
    """The demo experts review the current stage's track (and the general innovation track
    during the ethics stage): every criterion rated, a favourable opinion, submitted."""
    tracks = [TRACK_OF_STAGE[application.status]]
    if application.status == ApplicationStatus.ETHICS_REVIEW:
        tracks.append(ReviewTrack.INNOVATION)
    for track in tracks:
        expert = demo_expert_for(track)
        if expert is None or not application.call.requires_track(track):
            continue
        assignment = assign(application, track, expert, by=officer)
        declare(assignment, expert, conflicted=False)
        review = open_review(assignment)
        ratings = {
            rating.criterion_id: {
                "value": "compliant" if rating.criterion.scale == COMPLIANCE else "4",
                "evidence_checked": True,
            }
            for rating in review.ratings.select_related("criterion")
        }
        save_ratings(review, ratings, Review.Recommendation.FAVOURABLE, "Avis de démonstration.")
        submit_review(review)


def _with_luhn_key(digits: str) -> str:
    return digits + luhn.calc_check_digit(digits)


def _answers(project: str, amount: int, call) -> dict:
    theme = call.themes.first()
    # Total cost: twice the aid, or enough for the call's aid rate when it is below 50 %.
    rate = call.aid_rate_percent or 50
    cost = amount * 2 if rate >= 50 else -(-amount * 100 // rate)
    return {
        "projet": {
            "title": project,
            "summary": f"{project} : un service numérique de santé pour la démonstration.",
            "problem": "Un besoin de coordination entre professionnels.",
            "innovation": "Une plateforme interopérable (FHIR, INS, MSSanté).",
            "target_users": ["patients", "professionals"],
            "theme": theme.slug if theme else "",
            "trl": "6",
            "outcomes": "Réduction des délais de prise en charge.",
            "duration_months": 24,
        },
        "equipe": {
            "lead": {"name": "Équipe projet", "email": f"{project.lower()}@demo.ruche.local"}
        },
        "budget": {
            "lines": [{"category": "staff", "description": "Équipe", "amount": str(cost)}],
            "amount_requested": str(amount),
        },
        "ethique": {
            "processes_health_data": True,
            "business_model": "Abonnement des établissements, aucune revente de données.",
            "uses_ai": False,
        },
        "securite": {"hosts_health_data": False},
        "interoperabilite": {"identifies_patients": True, "uses_ins": True},
        "declarations": {
            "accuracy": True,
            "rules": True,
            "publication": True,
            "not_in_difficulty": True,
            "no_double_funding": True,
            "do_no_significant_harm": True,
            "not_started": True,
        },
    }
