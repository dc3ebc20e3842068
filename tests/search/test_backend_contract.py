"""The behaviour every catalogue backend owes (search/backends/base.py), one suite for all:
the database (SQLite or PostgreSQL, as the test database) and the search engine."""

from __future__ import annotations

import pytest

from cms.models import Theme
from core.vocabulary import Region
from search.backends.base import HIGHLIGHT_END, HIGHLIGHT_START, CatalogueQuery
from search.models import PublicProject
from search.outbox import process_outbox
from search.publication import save_sheet

from .sheets import sheet


@pytest.fixture
def backend(any_backend):
    return any_backend


@pytest.fixture
def themes(db):
    return {
        "telesurveillance": Theme.objects.get_or_create(
            slug="telesurveillance", defaults={"name": "Télésurveillance"}
        )[0],
        "sante-mentale": Theme.objects.get_or_create(
            slug="sante-mentale", defaults={"name": "Santé mentale"}
        )[0],
    }


def ids(results):
    return [hit.project_id for hit in results.hits]


def search(backend, text="", **kwargs):
    return backend.search(CatalogueQuery(text=text, **kwargs))


@pytest.fixture
def catalogue(backend, themes):
    projects = {
        "tele": sheet(
            "Télésurveillance médicale",
            "Suivi à domicile des patients insuffisants cardiaques.",
            themes=[themes["telesurveillance"]],
            region=Region.BRETAGNE,
            amount=300_000,
            days_ago=3,
        ),
        "dispositif": sheet(
            "Dispositif médical numérique",
            "Une application de rééducation prescrite par le kinésithérapeute.",
            themes=[themes["telesurveillance"]],
            region=Region.ILE_DE_FRANCE,
            amount=1_200_000,
            days_ago=2,
        ),
        "mental": sheet(
            "Écoute et santé mentale des étudiants",
            "Une plateforme d'écoute anonyme, avec un suivi par des psychologues.",
            themes=[themes["sante-mentale"]],
            region=Region.ILE_DE_FRANCE,
            amount=80_000,
            days_ago=1,
        ),
    }
    backend.index([p.pk for p in projects.values()])
    return projects


@pytest.mark.parametrize("text", ["télésurveillance", "telesurveillance", "TELESURVEILLANCE"])
def test_accents_and_case_do_not_matter(backend, catalogue, text):
    results = search(backend, text)
    assert ids(results)[0] == catalogue["tele"].pk
    assert catalogue["mental"].pk not in ids(results)


def test_plural_finds_singular(backend, catalogue):
    results = search(backend, "dispositifs médicaux")
    assert ids(results) == [catalogue["dispositif"].pk]


def test_a_one_letter_typo_still_finds_the_project(backend, catalogue):
    assert catalogue["tele"].pk in ids(search(backend, "telesurvelance"))
    assert catalogue["tele"].pk in ids(search(backend, "télésurveilance médicale"))


def test_the_word_a_typo_found_is_marked(backend, catalogue):
    hit = search(backend, "telesurvelance").hits[0]
    assert hit.project_id == catalogue["tele"].pk
    assert hit.highlights["title"].startswith(f"{HIGHLIGHT_START}Télésurveillance{HIGHLIGHT_END}")


def test_the_last_word_is_found_as_typed_so_far(backend, catalogue):
    assert ids(search(backend, "rééducation kiné")) == [catalogue["dispositif"].pk]
    assert ids(search(backend, "écoute psy")) == [catalogue["mental"].pk]
    # Typed in full, the same word finds the same sheet (no prefix left to widen it).
    assert ids(search(backend, "psychologues")) == [catalogue["mental"].pk]


def test_highlights_wrap_the_matched_words(backend, catalogue):
    (hit,) = search(backend, "médicaux numériques").hits
    assert hit.highlights["title"] == (
        f"Dispositif {HIGHLIGHT_START}médical{HIGHLIGHT_END} "
        f"{HIGHLIGHT_START}numérique{HIGHLIGHT_END}"
    )
    hit = search(backend, "suivi patients").hits[0]
    assert f"{HIGHLIGHT_START}patients{HIGHLIGHT_END}" in hit.highlights["summary"]


def test_no_text_lists_everything_newest_first(backend, catalogue):
    results = search(backend)
    assert results.total == 3
    assert ids(results) == [catalogue[k].pk for k in ("mental", "dispositif", "tele")]
    assert all(
        hit.highlights == {} or HIGHLIGHT_START not in str(hit.highlights) for hit in results.hits
    )


def test_facets_count_and_combine_with_text(backend, catalogue):
    results = search(backend)
    facets = {name: {v.value: v.count for v in values} for name, values in results.facets.items()}
    assert facets["theme"] == {"telesurveillance": 2, "sante-mentale": 1}
    assert facets["region"] == {Region.ILE_DE_FRANCE: 2, Region.BRETAGNE: 1}
    assert facets["amount_band"] == {"lt-250k": 1, "250k-500k": 1, "500k-1m": 0, "1m-plus": 1}

    # the text narrows results and counts
    results = search(backend, "suivi")
    assert set(ids(results)) == {catalogue["tele"].pk, catalogue["mental"].pk}
    facets = {name: {v.value: v.count for v in values} for name, values in results.facets.items()}
    assert facets["theme"] == {"telesurveillance": 1, "sante-mentale": 1}

    # a region filter: the region facet still counts every region, the others narrow
    results = search(backend, "suivi", filters={"region": (Region.ILE_DE_FRANCE,)})
    assert ids(results) == [catalogue["mental"].pk]
    facets = {name: {v.value: v.count for v in values} for name, values in results.facets.items()}
    assert facets["region"] == {Region.ILE_DE_FRANCE: 1, Region.BRETAGNE: 1}
    assert facets["theme"] == {"sante-mentale": 1}


def test_filters_or_within_a_facet_and_across_facets(backend, catalogue):
    both = search(backend, filters={"region": (Region.BRETAGNE, Region.ILE_DE_FRANCE)})
    assert both.total == 3
    narrowed = search(
        backend,
        filters={"region": (Region.ILE_DE_FRANCE,), "theme": ("telesurveillance",)},
    )
    assert ids(narrowed) == [catalogue["dispositif"].pk]
    bands = search(backend, filters={"amount_band": ("lt-250k", "1m-plus")})
    assert set(ids(bands)) == {catalogue["mental"].pk, catalogue["dispositif"].pk}
    assert search(backend, filters={"year": ("2025",)}).total == 0


def test_each_facet_counts_with_every_other_filter(backend, catalogue, themes):
    """Two filters: a sheet failing one of them counts in that facet only; one failing both
    counts nowhere."""
    elsewhere = sheet("Soins de support", themes=[themes["sante-mentale"]], amount=90_000)
    backend.index([elsewhere.pk])  # Bretagne, santé mentale: fails both filters below
    results = search(
        backend, filters={"region": (Region.ILE_DE_FRANCE,), "theme": ("telesurveillance",)}
    )
    assert ids(results) == [catalogue["dispositif"].pk]
    facets = {name: {v.value: v.count for v in values} for name, values in results.facets.items()}
    assert facets["region"] == {Region.ILE_DE_FRANCE: 1, Region.BRETAGNE: 1}
    assert facets["theme"] == {"telesurveillance": 1, "sante-mentale": 1}
    assert facets["amount_band"] == {"lt-250k": 0, "250k-500k": 0, "500k-1m": 0, "1m-plus": 1}


def test_sort_by_amount(backend, catalogue):
    results = search(backend, sort="amount")
    assert ids(results) == [catalogue[k].pk for k in ("dispositif", "tele", "mental")]


def test_pagination(backend, catalogue):
    first = search(backend, per_page=2)
    second = search(backend, per_page=2, page=2)
    assert first.total == second.total == 3
    assert len(first.hits) == 2 and len(second.hits) == 1
    assert set(ids(first)).isdisjoint(ids(second))


def test_unpublished_and_removed_sheets_disappear(backend, catalogue):
    draft = sheet("Télésurveillance en brouillon", published=False)
    backend.index([draft.pk])
    assert draft.pk not in ids(search(backend, "télésurveillance"))

    tele = catalogue["tele"]
    tele.status = PublicProject.Status.DRAFT
    tele.save()
    backend.index([tele.pk])  # re-indexing an unpublished sheet takes it out
    assert tele.pk not in ids(search(backend, "télésurveillance"))

    dispositif = catalogue["dispositif"]
    backend.remove([dispositif.pk])
    assert dispositif.pk not in ids(search(backend, "dispositif"))
    assert search(backend).total == 1


def test_reindex_picks_up_edits_and_rebuild_counts(backend, catalogue):
    mental = catalogue["mental"]
    mental.title = "Prévention du burn-out"
    mental.save()
    backend.index([mental.pk])
    assert ids(search(backend, "burn-out")) == [mental.pk]
    assert backend.rebuild() == 3
    assert ids(search(backend, "prévention")) == [mental.pk]


def test_suggest_is_accent_insensitive(backend, catalogue):
    assert backend.suggest("tele") == ["Télésurveillance médicale"]
    assert backend.suggest("ecoute") == ["Écoute et santé mentale des étudiants"]
    assert backend.suggest("médical") == [
        "Télésurveillance médicale",
        "Dispositif médical numérique",
    ] or set(backend.suggest("médical")) == {
        "Télésurveillance médicale",
        "Dispositif médical numérique",
    }
    assert backend.suggest("zzz") == []


def test_an_edit_indexed_while_the_index_is_rebuilt_is_kept(backend, catalogue):
    """The staff edit is saved with its outbox row while the rebuild runs, and the outbox
    worker applies it at once (to the old index version, on an engine)."""
    mental = catalogue["mental"]

    def edit_after_the_sheets_were_read(done, total):
        if done == total and mental.title != "Prévention du burn-out":
            mental.title = "Prévention du burn-out"
            save_sheet(mental)
            assert process_outbox(backend) == (1, 0)

    assert backend.rebuild(progress=edit_after_the_sheets_were_read) == 3
    assert ids(search(backend, "burn-out")) == [mental.pk]
    assert search(backend, "étudiants").total == 0
    assert search(backend).total == 3


def test_the_counts_follow_every_write(backend, catalogue):
    """A search's counts may be cached, whatever its sort or page: never past a write."""
    assert search(backend, "suivi").total == 2
    assert search(backend, "suivi", sort="newest", per_page=1, page=2).total == 2
    assert search(backend).total == 3
    assert search(backend, sort="amount", per_page=2, page=2).total == 3
    added = sheet("Nouvelle fiche publiée", region=Region.BRETAGNE, amount=2_000_000)
    backend.index([added.pk])
    assert ids(search(backend))[0] == added.pk
    by_amount = search(backend, sort="amount", per_page=2, page=1)
    assert by_amount.total == 4 and ids(by_amount)[0] == added.pk
    regions = {v.value: v.count for v in search(backend, page=2, per_page=2).facets["region"]}
    assert regions == {Region.ILE_DE_FRANCE: 2, Region.BRETAGNE: 2}
    backend.remove([added.pk, catalogue["tele"].pk])
    left = sorted([catalogue["mental"].pk, catalogue["dispositif"].pk])
    assert sorted(ids(search(backend))) == left
    assert search(backend, sort="amount", page=2, per_page=1).total == 2
    assert search(backend, "suivi", sort="newest", per_page=1, page=2).total == 1
