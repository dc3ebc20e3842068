"""The catalogue's facet labels cost the same whatever the number of published sheets: the
call facet is labelled from the calls, not by reading every sheet."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from search.backends import get_backend
from search.params import parse
from search.views.public import facet_labels

from ..factories import make_call
from .sheets import sheet

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def search_backend(settings):
    settings.RUCHE_SEARCH_BACKEND = "search.backends.database.DatabaseBackend"


def test_call_labels_read_the_calls_not_the_sheets(calls_index, rf):
    now = timezone.now()
    calls = [
        make_call(calls_index, title=f"Appel {n}", opens_at=now, cutoffs=[now]) for n in (1, 2)
    ]
    for n in range(12):
        project = sheet(f"Projet {n}")
        project.call, project.call_title = calls[n % 2], calls[n % 2].title
        project.save()
    get_backend().rebuild()

    results = get_backend().search(parse(rf.get(reverse("search:catalogue")).GET).query)
    with CaptureQueriesContext(connection) as captured:
        labels = facet_labels(results)
    assert labels["call"] == {str(c.pk): c.title for c in calls}
    reading_sheets = [q["sql"] for q in captured if "search_publicproject" in q["sql"]]
    assert reading_sheets == []
    assert len(captured) <= 2  # themes, calls


def test_years_and_maturity_read_in_their_own_order(client, calls_index):
    for year, trl in ((2023, 6), (2023, 6), (2023, 6), (2026, 2)):
        sheet(f"Projet {year} {trl}", year=year, trl=trl)
    get_backend().rebuild()
    facets = {f["name"]: f for f in client.get(reverse("search:catalogue")).context["facets"]}
    assert [o["value"] for o in facets["year"]["options"]] == ["2026", "2023"]
    assert [o["value"] for o in facets["trl"]["options"]] == ["2", "6"]
