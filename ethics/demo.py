"""Demo review tracks: the reference grids on every demo call and three experts (assigned to
the demo applications by the workflow's demo, evaluation/demo.py). Idempotent."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from cms import demo_data
from cms.models import CallPage
from core.roles import REVIEWERS_GROUP
from core.vocabulary import ReviewTrack

from .models import CallGrid, ReviewerProfile
from .reference_grids import load_reference_grids

# (username, email, tracks, organisation). Their addresses are at their own domain: an expert
# sharing an applicant's domain is refused as an obvious conflict of interest.
DEMO_EXPERTS = [
    (
        "expert.ethique",
        "expert.ethique@expertise.example",
        [ReviewTrack.ETHICS, ReviewTrack.INNOVATION],
        "Espace éthique",
    ),
    ("expert.securite", "expert.securite@expertise.example", [ReviewTrack.SECURITY], "CERT Santé"),
    (
        "expert.interop",
        "expert.interop@expertise.example",
        [ReviewTrack.INTEROPERABILITY],
        "Cabinet d'interopérabilité",
    ),
]


def demo_expert_for(track: str):
    """The demo expert who reviews ``track`` (None if the demo has none)."""
    username = next((e[0] for e in DEMO_EXPERTS if track in e[2]), None)
    return get_user_model().objects.filter(username=username).first() if username else None


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


@transaction.atomic
def load_demo_experts(password: str) -> list[str]:
    grids = {grid.track: grid for grid in load_reference_grids()}
    _attach_grids(grids)
    experts = [
        _expert(username, email, password, tracks, organisation)
        for username, email, tracks, organisation in DEMO_EXPERTS
    ]
    return [expert.email for expert in experts]
