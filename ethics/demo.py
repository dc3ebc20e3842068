"""Demo reviews: the reference grids on every demo call, three experts, and the application
waiting for its ethics review assigned to the ethics expert. Idempotent."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from cms import demo_data
from cms.models import CallPage
from evaluation.demo import DEMO_PROJECTS
from evaluation.roles import REVIEWERS_GROUP
from evaluation.states import ApplicationStatus
from grants.models import Application

from .models import CallGrid, ReviewAssignment, ReviewerProfile
from .reference_grids import load_reference_grids
from .services import assign
from .tracks import ReviewTrack

# (username, email, tracks, organisation)
DEMO_EXPERTS = [
    ("expert.ethique", "expert.ethique@ruche.local", [ReviewTrack.ETHICS], "Espace éthique"),
    ("expert.securite", "expert.securite@ruche.local", [ReviewTrack.SECURITY], "CERT Santé"),
    (
        "expert.interop",
        "expert.interop@ruche.local",
        [ReviewTrack.INTEROPERABILITY],
        "Cabinet d'interopérabilité",
    ),
]


def _expert(username: str, email: str, password: str, tracks: list[str], organisation: str):
    user, _ = get_user_model().objects.get_or_create(username=username, defaults={"email": email})
    user.email = email
    user.set_password(password)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    user.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    ReviewerProfile.objects.update_or_create(
        user=user,
        defaults={"tracks": [str(t) for t in tracks], "organisation_name": organisation},
    )
    return user


def _attach_grids(grids: dict[str, object]) -> None:
    """Each demo call gets the reference grid of every track it requires, unless staff already
    chose a grid for that track."""
    calls = CallPage.objects.filter(slug__in=[call["slug"] for call in demo_data.CALLS])
    for call in calls:
        for track in {t.track for t in call.review_tracks.all()}:
            grid = grids.get(track)
            if grid and not CallGrid.objects.filter(call=call, grid__track=track).exists():
                CallGrid.objects.create(call=call, grid=grid)


def _assign_ethics_review(expert, officer) -> None:
    projects = [project[3] for project in DEMO_PROJECTS if "start_ethics_review" in project[5]]
    applications = Application.objects.filter(
        status=ApplicationStatus.ETHICS_REVIEW, project_title__in=projects
    )
    for application in applications:
        if not ReviewAssignment.objects.filter(
            application=application, track=ReviewTrack.ETHICS, reviewer=expert
        ).exists():
            assign(application, ReviewTrack.ETHICS, expert, by=officer)


@transaction.atomic
def load_demo_reviews(password: str) -> list[str]:
    grids = {grid.track: grid for grid in load_reference_grids()}
    _attach_grids(grids)
    experts = {
        tracks[0]: _expert(username, email, password, tracks, organisation)
        for username, email, tracks, organisation in DEMO_EXPERTS
    }
    officer = get_user_model().objects.filter(username="instructeur").first()
    if officer is not None:  # made by evaluation.demo.load_demo_workflow
        _assign_ethics_review(experts[ReviewTrack.ETHICS], officer)
    return [expert.email for expert in experts.values()]
