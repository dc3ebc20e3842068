"""Queries per page do not grow with the data (issue 14): public pages with 10x the calls,
relèves and sheets, applicant and staff pages with 10x the applications. Fragments are warm,
as in the steady state (a change of content recomputes them once)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.models import CallCutoff, ContentPage
from core.roles import PROGRAMME_STAFF_GROUP
from grants.models import Application, Organisation
from search.models import PublicProject

from .factories import make_call
from .grants_factories import (
    COMPLETE_ANSWERS,
    OrganisationFactory,
    UserFactory,
    add_member,
    complete_application,
)
from .search.sheets import sheet

pytestmark = pytest.mark.django_db
PUBLIC_MAX_QUERIES = 10


def warm_queries(client, url: str) -> int:
    """Queries of the second request: the first fills the fragment cache."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_calls(index, count: int, cutoffs_each: int) -> None:
    now = timezone.now()
    for n in range(count):
        make_call(
            index,
            title=f"Appel {n} {now.timestamp()}",
            opens_at=now - timedelta(days=5),
            cutoffs=[now + timedelta(days=7 * (k + 1)) for k in range(cutoffs_each)],
        )


def add_sheets(count: int) -> None:
    for n in range(count):
        sheet(f"Projet financé {n}", summary="Télésurveillance à domicile.")


def submit(call, count: int, user) -> None:
    organisations = Organisation.objects.bulk_create(
        OrganisationFactory.build() for _ in range(count)
    )
    now = timezone.now()
    Application.objects.bulk_create(
        Application(
            call=call,
            organisation=organisation,
            created_by=user,
            submitted_by=user,
            status="submitted",
            submitted_at=now - timedelta(minutes=n),
            answers=COMPLETE_ANSWERS,
            project_title=f"Projet {n}",
            amount_requested=250_000,
        )
        for n, organisation in enumerate(organisations)
    )


@pytest.fixture
def public_site(calls_index):
    home = calls_index.get_parent()
    about = home.add_child(
        instance=ContentPage(title="Le programme", slug="le-programme", show_in_menus=True)
    )
    add_calls(calls_index, 3, cutoffs_each=3)
    add_sheets(3)
    call = calls_index.get_children().live().last().specific
    return {"index": calls_index, "call": call, "about": about}


def public_urls(site) -> dict[str, str]:
    first = PublicProject.objects.order_by("pk").first()
    return {
        "home": "/",
        "calls index": site["index"].url,
        "call page": site["call"].url,
        "content page": site["about"].url,
        "catalogue": "/catalogue/",
        "project sheet": f"/catalogue/projets/{first.slug}/",
    }


def test_public_pages_query_the_same_with_ten_times_the_data(client, public_site):
    urls = public_urls(public_site)
    small = {name: warm_queries(client, url) for name, url in urls.items()}
    add_calls(public_site["index"], 27, cutoffs_each=3)
    add_sheets(27)
    call = public_site["call"]
    last = max(c.closes_at for c in call.cutoffs.all())
    CallCutoff.objects.bulk_create(
        CallCutoff(call=call, closes_at=last + timedelta(days=n + 1)) for n in range(27)
    )
    large = {name: warm_queries(client, url) for name, url in urls.items()}
    assert large == small
    assert max(small.values()) <= PUBLIC_MAX_QUERIES, small


def test_applicant_and_staff_pages_query_the_same_with_ten_times_the_data(client, calls_index):
    now = timezone.now()
    call = make_call(
        calls_index, opens_at=now - timedelta(days=5), cutoffs=[now + timedelta(days=30)]
    )
    applicant = UserFactory()
    organisation = OrganisationFactory()
    add_member(organisation, applicant)
    draft = complete_application(call, organisation, applicant)
    staff = UserFactory()
    staff.groups.add(Group.objects.get(name=PROGRAMME_STAFF_GROUP))
    pages = {
        "dashboard": (applicant, "/espace/"),
        "form section": (applicant, f"/espace/candidatures/{draft.pk}/sections/projet/"),
        "staff queue": (staff, "/gestion/"),
    }

    def counts() -> dict[str, int]:
        found = {}
        for name, (user, url) in pages.items():
            client.force_login(user)
            found[name] = warm_queries(client, url)
        return found

    submit(call, 60, applicant)
    small = counts()
    submit(call, 540, applicant)
    assert counts() == small
