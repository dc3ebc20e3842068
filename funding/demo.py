"""Demo follow-up: funded projects at every stage after the decision, so that each persona has
something to do. The demo applicant (« candidat ») has a convention to sign and a progress
report to write; the officer (« instructeur ») a draft to send, a signature to countersign,
a report to judge and payments to record; the public figures and the catalogue show a
completed and a stopped project. Loaded after the workflow demo (same call, committee and
experts). Idempotent: a project whose organisation exists is left as it is."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cms.models import CallPage
from evaluation.demo import DEMO_PROJECTS, load_demo_project
from evaluation.models import CommitteeSession
from evaluation.services import fire, record_committee_decision
from grants.models import Application

from .models import Convention, FundingTerms, Indicator, Signature
from .services import conventions, money, reports, signatures

PIPELINE = DEMO_PROJECTS[-1][5]  # the transitions that take a project to the committee

# (legal name, SIREN without its key, region, project, amount, how far the follow-up goes,
#  owned by the demo applicant)
FUNDED_PROJECTS = [
    ("AlerteCardio SAS", "90612345", "84", "AlerteCardio", 280_000, "draft", False),
    ("Démo Santé Connectée SAS", "", "53", "TéléRééduc", 240_000, "sent", True),
    ("DiabéConnect SAS", "90623456", "44", "DiabéConnect", 320_000, "signed", False),
    ("Démo Santé Connectée SAS", "", "53", "PharmaVeille", 200_000, "advance_paid", True),
    ("MaterniSuivi SAS", "90634567", "11", "MaterniSuivi", 350_000, "report_submitted", False),
    ("GériaTrack SAS", "90645678", "76", "GériaTrack", 260_000, "second_payment", False),
    ("NéphroLink SAS", "90656789", "75", "NéphroLink", 300_000, "closed", False),
    ("SommeilPlus SAS", "90667891", "32", "SommeilPlus", 220_000, "terminated", False),
]
STEPS = [
    "draft",
    "sent",
    "signed",
    "advance_paid",
    "report_submitted",
    "second_payment",
    "closed",
]


def _terms(call: CallPage) -> FundingTerms:
    terms, created = FundingTerms.objects.get_or_create(
        call=call, defaults={"grant_percent": 60, "progress_reports": 1}
    )
    if created:
        for order, (name, unit, target) in enumerate(
            [
                ("Patients suivis", "patients", 500),
                ("Établissements équipés", "sites", 10),
                ("Certifications d'interopérabilité obtenues", "certifications", 1),
            ]
        ):
            Indicator.objects.create(
                terms=terms, sort_order=order, name=name, unit=unit, target=target
            )
    return terms


def load_demo_funding(password: str) -> list[str]:
    """The funded demo projects; returns what each shows, for the closing message."""
    User = get_user_model()
    officer = User.objects.filter(username="instructeur").first()
    member = User.objects.filter(username="comite").first()
    candidate = User.objects.filter(username="candidat").first()
    open_calls = [c for c in CallPage.objects.references().live().order_by("pk") if c.is_open()]
    if officer is None or member is None or not open_calls:
        return []
    # The demo applicant keeps a draft on the first open call (one draft per call): their
    # funded projects are on another open call, if any.
    calls = {False: open_calls[0], True: open_calls[1] if len(open_calls) > 1 else None}
    shown = []
    for name, siren, region, project, amount, stage, by_candidate in FUNDED_PROJECTS:
        call = calls[by_candidate]
        if call is None or Application.objects.filter(project_title=project).exists():
            continue
        _terms(call)
        _runs(officer, call)
        session, _created = CommitteeSession.objects.get_or_create(
            call=call,
            title="Comité de sélection — démonstration",
            defaults={"held_on": timezone.localdate()},
        )
        session.members.add(member)
        member_of = None
        if by_candidate:
            organisation = candidate.organisations.first() if candidate else None
            if organisation is None:
                continue
            member_of = (candidate, organisation)
        application = load_demo_project(
            call, officer, name, siren, region, project, amount, PIPELINE, member_of
        )
        if application is None or application.status != "committee":
            continue  # a review the demo experts could not write: it waits there
        with transaction.atomic():
            amount = min(amount, int(call.max_amount_per_project))
            record_committee_decision(
                application, session, member, "selected", "Projet retenu (démonstration).", amount
            )
            application = fire(application, "mark_funded", officer, comment="Démonstration")
            convention = Convention.objects.get(application=application)
            owner = application.organisation.memberships.filter(role="owner").first().user
            _carry(convention, stage, officer, owner)
        shown.append(f"{project} ({stage})")
    return shown


def _runs(officer, call: CallPage) -> None:
    """The demo officer works on the call: its operator's staff (or assigned to it)."""
    if call.is_run_by(officer):
        return
    if call.operator_id:
        call.operator.staff.add(officer)
    else:
        call.officers.add(officer)
        call.save()


def _sign(convention, party, user, name, role) -> None:
    signatures.sign_online(
        convention,
        party,
        user,
        name=name,
        role=role,
        seen_sha256=convention.latest_version().sha256,
        confirmed_with="password",
    )


def _carry(convention: Convention, stage: str, officer, owner) -> None:
    """Move the demo convention up to ``stage`` through the services."""
    target = STEPS.index(stage) if stage in STEPS else STEPS.index("signed")
    today = timezone.localdate()
    if target >= 1:
        conventions.send(convention, officer)
    if target >= 2:
        _sign(
            convention,
            Signature.Party.BENEFICIARY,
            owner,
            owner.get_full_name() or "Représentant",
            "Président",
        )
    if stage == "terminated":
        conventions.terminate(convention, officer, "Le bénéficiaire a renoncé au projet.")
        reports.publish_progress(convention, officer, show_status=True)
        return
    if target < 3:
        return
    _sign(
        convention,
        Signature.Party.OPERATOR,
        officer,
        "Instructeur de démonstration",
        "Chargé de mission",
    )
    start = today - timedelta(days=400 if target >= 5 else 60)
    conventions.bring_into_force(convention, officer, start)
    _pay(convention, officer, "advance", start + timedelta(days=15))
    if target < 4:
        return
    progress = convention.milestones.get(kind="progress")
    _report(progress, owner, "Les premiers établissements sont équipés ; 180 patients suivis.")
    if target < 5:
        return
    reports.decide_report(progress, officer, accept=True, comment="Rapport complet.")
    _pay(convention, officer, "intermediate", start + timedelta(days=200))
    if target < 6:
        return
    final = convention.milestones.get(kind="final")
    _report(final, owner, "Déploiement achevé dans 12 établissements ; 640 patients suivis.")
    reports.decide_report(final, officer, accept=True, comment="Objectifs atteints.")
    _pay(convention, officer, "balance", start + timedelta(days=380))
    conventions.close(convention, officer, "Projet mené à terme.")
    reports.publish_progress(
        convention, officer, show_status=True, results="640 patients suivis dans 12 établissements."
    )


def _pay(convention, officer, kind: str, day: date) -> None:
    tranche = convention.tranches.get(kind=kind)
    money.record_payment(
        convention,
        tranche,
        officer,
        cents=tranche.planned_cents,
        paid_on=min(day, timezone.localdate()),
        reference=f"DEMO-{convention.pk}-{tranche.order}",
    )


def _report(milestone, owner, narrative: str) -> None:
    values = {str(i.pk): "120" for i in reports.indicators_of(milestone.convention)}
    reports.save_report(milestone, owner, narrative=narrative, values=values)
    reports.submit_report(milestone, owner)
