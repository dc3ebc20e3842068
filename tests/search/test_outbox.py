"""The outbox carries sheet changes to the engine; an engine outage only delays them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from search import publication
from search.backends.base import SearchBackend
from search.models import IndexOutbox, PublicProject
from search.outbox import process_outbox
from search.tasks import apply_index_outbox, schedule_outbox

pytestmark = pytest.mark.django_db


class RecordingBackend(SearchBackend):
    """Records index/remove calls; raises while ``failing`` is set."""

    def __init__(self):
        self.calls: list[tuple[str, list[int]]] = []
        self.failing = False

    def _record(self, action, ids):
        if self.failing:
            raise ConnectionError("moteur injoignable")
        self.calls.append((action, sorted(ids)))

    def index(self, project_ids):
        self._record("index", project_ids)

    def remove(self, project_ids):
        self._record("remove", project_ids)

    def rebuild(self, progress=None):
        raise NotImplementedError

    def search(self, query):
        raise NotImplementedError

    def suggest(self, prefix, limit=8):
        raise NotImplementedError


@pytest.fixture
def staff():
    return get_user_model().objects.create_user(username="instructeur", password="x")


def sheet(n: int) -> PublicProject:
    return PublicProject.objects.create(
        slug=f"projet-{n}",
        title=f"Projet {n}",
        summary="Télésurveillance des patients insuffisants cardiaques.",
        organisation_name="Cardio SAS",
        region="11",
        year=2025,
        amount_granted=Decimal("300000"),
    )


def pending():
    return IndexOutbox.objects.filter(processed_at__isnull=True)


def test_engine_failure_leaves_rows_pending_then_a_later_run_applies_them(staff):
    a, b = sheet(1), sheet(2)
    publication.publish(a, staff)
    publication.publish(b, staff)
    backend = RecordingBackend()
    backend.failing = True

    assert process_outbox(backend) == (0, 2)

    rows = list(pending())
    assert len(rows) == 2
    assert all(row.attempts == 1 for row in rows)
    assert all("moteur injoignable" in row.last_error for row in rows)
    assert backend.calls == []

    backend.failing = False
    assert process_outbox(backend) == (2, 0)
    assert backend.calls == [("index", [a.pk, b.pk])]
    assert not pending().exists()
    done = IndexOutbox.objects.get(project_id=a.pk)
    assert done.processed_at is not None and done.last_error == "" and done.attempts == 1


def test_duplicates_collapse_and_the_last_action_wins(staff):
    a, b = sheet(1), sheet(2)
    publication.publish(a, staff)
    publication.save_sheet(a)
    publication.save_sheet(a)
    publication.publish(b, staff)
    publication.unpublish(b, staff)
    backend = RecordingBackend()

    assert process_outbox(backend) == (5, 0)

    assert backend.calls == [("remove", [b.pk]), ("index", [a.pk])]
    assert not pending().exists()


def test_unpublish_is_applied_as_a_removal(staff):
    a = sheet(1)
    publication.publish(a, staff)
    backend = RecordingBackend()
    process_outbox(backend)
    publication.unpublish(a, staff)

    assert process_outbox(backend) == (1, 0)

    assert backend.calls == [("index", [a.pk]), ("remove", [a.pk])]


def test_batches_are_read_in_order_until_empty(staff):
    projects = [sheet(n) for n in range(5)]
    for project in projects:
        publication.publish(project, staff)
    backend = RecordingBackend()

    assert process_outbox(backend, batch=2) == (5, 0)

    assert [ids for _, ids in backend.calls] == [
        [projects[0].pk, projects[1].pk],
        [projects[2].pk, projects[3].pk],
        [projects[4].pk],
    ]


def test_nothing_pending_does_nothing():
    backend = RecordingBackend()
    assert process_outbox(backend) == (0, 0)
    assert backend.calls == []


def test_the_task_applies_the_outbox_after_the_commit(staff, settings, monkeypatch):
    backend = RecordingBackend()
    monkeypatch.setattr("search.outbox.get_backend", lambda: backend)
    a = sheet(1)
    publication.publish(a, staff)

    result = apply_index_outbox.enqueue()  # immediate backend in tests

    assert result.return_value == {"done": 1, "failed": 0}
    assert backend.calls == [("index", [a.pk])]


def test_schedule_outbox_runs_on_commit(staff, monkeypatch, django_capture_on_commit_callbacks):
    backend = RecordingBackend()
    monkeypatch.setattr("search.outbox.get_backend", lambda: backend)
    a = sheet(1)
    publication.publish(a, staff)

    with django_capture_on_commit_callbacks(execute=True):
        schedule_outbox()

    assert backend.calls == [("index", [a.pk])]


def test_a_renamed_theme_is_reindexed_in_its_published_sheets():
    """The engine indexes each sheet's theme names and slugs: renaming a theme must reach
    the published sheets filed under it (a draft is indexed when it is published)."""
    from cms.models import Theme

    theme = Theme.objects.create(name="Télésanté", slug="telesante")
    published, draft, other = sheet(1), sheet(2), sheet(3)
    for project in (published, other):
        project.status = PublicProject.Status.PUBLISHED
        project.save()
    published.themes.add(theme)
    draft.themes.add(theme)
    IndexOutbox.objects.all().delete()

    theme.save()  # saved unchanged: nothing to re-index
    assert not pending().exists()
    theme.name, theme.slug = "Télémédecine", "telemedecine"
    theme.save()
    backend = RecordingBackend()
    process_outbox(backend)
    assert backend.calls == [("index", [published.pk])]
