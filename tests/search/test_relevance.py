"""Relevance on every backend: the judged set (64 sheets, 58 French queries) must keep its
figures, and the rules a visitor notices hold: an exact acronym before a longer word that
starts with it, hyphenated and joined compounds finding each other."""

from __future__ import annotations

import pytest

from search.backends.base import CatalogueQuery

from .relevance import judge, load_corpus, means

# Lowest figures accepted on every backend (measured ones are printed by
# benchmarks/relevance.py): a change that makes the catalogue find worse fails here.
MINIMUM = {"P@5": 0.37, "R@10": 0.95, "MRR": 0.98}


@pytest.fixture
def corpus(any_backend):
    ids = load_corpus()
    any_backend.rebuild()
    return ids


def keys(backend, ids, text, n=10):
    by_pk = {pk: key for key, pk in ids.items()}
    hits = backend.search(CatalogueQuery(text=text, per_page=n)).hits
    return [by_pk[h.project_id] for h in hits]


def test_the_judged_set_keeps_its_figures(any_backend, corpus):
    judged = judge(any_backend, corpus)
    figures = means(judged)
    print(type(any_backend).__name__, {k: round(v, 3) for k, v in figures.items()})
    for j in judged:
        if j.reciprocal_rank < 1 or j.recall_at_10 < 1:
            print(
                f"  {j.query!r}: RR {j.reciprocal_rank:.2f} R@10 {j.recall_at_10:.2f} {j.found[:6]}"
            )
    for name, minimum in MINIMUM.items():
        assert figures[name] >= minimum, (name, figures)


def test_an_exact_acronym_ranks_before_words_it_begins(any_backend, corpus):
    found = keys(any_backend, corpus, "INS")
    assert set(found[:2]) == {"ins-qualification", "ins-ehpad"}, found


@pytest.mark.parametrize(
    ("joined", "hyphenated"),
    [("téléexpertise", "télé-expertise"), ("identitovigilance", "identito-vigilance")],
)
def test_hyphenated_and_joined_compounds_find_each_other(any_backend, corpus, joined, hyphenated):
    by_joined, by_hyphenated = (
        keys(any_backend, corpus, joined),
        keys(any_backend, corpus, hyphenated),
    )
    assert set(by_joined) == set(by_hyphenated)
    both = {"téléexpertise": {"teleexpertise-derm", "tele-expertise-plaies"},
            "identitovigilance": {"identito-hopital", "identito-photo"}}[joined]  # fmt: skip
    assert both <= set(by_joined)
