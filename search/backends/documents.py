"""What the search engine holds and is asked, written with elasticsearch-dsl: the sheet's
mapping with its French analysis, and the search body. Both are plain JSON, the same for
Elasticsearch 8/9 and OpenSearch 2/3 (engine.py sends them).

French analysis: elisions (« l'hôpital »), case and accents folded, stop words, the light
French stemmer. Hyphenated compounds are indexed both as their parts and joined
(« télé-expertise » → télé, expertise, téléexpertise) and queried joined, so that
« télé-expertise » and « téléexpertise » find each other.
"""

from __future__ import annotations

from elasticsearch.dsl import (
    Date,
    Document,
    Double,
    Integer,
    Keyword,
    Q,
    Search,
    SearchAsYouType,
    Text,
    analyzer,
    token_filter,
)

from .base import (
    FACETS,
    ORDERING,
    CatalogueQuery,
    amount_band,
)

elision = token_filter(
    "ruche_elision",
    type="elision",
    articles_case=True,
    articles=["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"],
)
stop = token_filter("ruche_stop", type="stop", stopwords="_french_")
stemmer = token_filter("ruche_stemmer", type="stemmer", language="light_french")
COMPOUNDS = {
    "type": "word_delimiter_graph",
    "catenate_words": True,
    "split_on_numerics": False,
    "stem_english_possessive": False,
}
# Index: the parts of a compound and the parts joined (« CardioVeille » → cardio, veille,
# cardioveille). Query: joined only, so that every query word must be found.
parts_and_joined = token_filter("ruche_compounds", **COMPOUNDS)
joined = token_filter(
    "ruche_joined", **COMPOUNDS, generate_word_parts=False, split_on_case_change=False
)
# Whitespace tokenizer: the compound filter sees « télé-expertise » whole.
french_index = analyzer(
    "ruche_french",
    tokenizer="whitespace",
    filter=[elision, parts_and_joined, "lowercase", "asciifolding", stop, stemmer],
)
french_query = analyzer(
    "ruche_french_query",
    tokenizer="whitespace",
    filter=[elision, joined, "lowercase", "asciifolding", stop, stemmer],
)
# Suggestions: folded and elided, not stemmed (prefixes of stems surprise visitors).
folding = analyzer(
    "ruche_folding", tokenizer="standard", filter=[elision, "lowercase", "asciifolding"]
)


def french_text(*, scored: bool = True) -> Text:
    """A French text field; a field not ``scored`` on its own is only copied into
    ``context`` (scored as one) and ``all_text``."""
    if not scored:
        return Text(index=False, copy_to=["context", "all_text"])
    return Text(analyzer=french_index, search_analyzer=french_query, copy_to="all_text")


class ProjectDocument(Document):
    """One published sheet, public fields only; facet values are the contract's strings."""

    title = french_text()
    title_suggest = SearchAsYouType(analyzer=folding)
    summary = french_text()
    organisation = french_text()
    # The sheet's context, weighing least, scored as one field: each field scored apart
    # cost a third of a wide search's time for the same ranking on the judged set.
    description = french_text(scored=False)
    call_title = french_text(scored=False)
    theme_names = french_text(scored=False)
    partners = french_text(scored=False)
    context = Text(analyzer=french_index, search_analyzer=french_query)
    # Every text field, for matching (each query word somewhere in the sheet).
    all_text = Text(analyzer=french_index, search_analyzer=french_query)
    theme = Keyword()
    region = Keyword()
    call = Keyword()
    year = Keyword()
    trl = Keyword()
    amount_band = Keyword()
    # A double, not a scaled_float: OpenSearch 2.19 sorts a page of scaled_floats wrongly
    # when it may skip documents (no aggregation in the request); euros with cents fit.
    amount = Double()
    published_at = Date()
    project_id = Integer()

    class Index:
        settings = {"number_of_shards": 1, "number_of_replicas": 0}


def index_body() -> dict:
    """Settings (analysis) and mappings of a new index version."""
    return ProjectDocument._index.to_dict()


def source(project) -> dict:
    """The engine's document of a PublicProject (themes prefetched)."""
    themes = list(project.themes.all())
    return ProjectDocument(
        project_id=project.pk,
        title=project.title,
        title_suggest=project.title,
        summary=project.summary,
        description=project.description,
        organisation=project.organisation_name,
        call_title=project.call_title,
        theme_names=[t.name for t in themes],
        partners=project.partners,
        theme=[t.slug for t in themes],
        region=project.region,
        call=str(project.call_id) if project.call_id else None,
        year=str(project.year),
        trl=str(project.trl) if project.trl is not None else None,
        amount_band=amount_band(project.amount_granted),
        amount=float(project.amount_granted),
        published_at=project.published_at,
    ).to_dict()


# Where a word weighs most; all_text only gates and catches typos and prefixes.
SCORED_FIELDS = ["title^3", "organisation^2", "summary^1.5", "context"]
ENGINE_START, ENGINE_END = "\ue000", "\ue001"
FACET_SIZE = 500  # every value of a facet (regions, calls, years… are far fewer)
FUZZINESS = "AUTO:4,8"  # no typo under 4 letters (« INS »), one up to 7, two beyond
# Marks allow one typo at most: two cost the highlighter 3 to 4 ms more a page at 100,000
# sheets. A word found only with two typos (of its stem) is found, but not marked.
MARKING_FUZZINESS = "AUTO:4,1000"
SORT_KEYS = {
    "score desc": "_score",
    "published_at desc": {"published_at": {"order": "desc", "missing": "_last"}},
    "id desc": {"project_id": "desc"},
    "amount desc": {"amount": "desc"},
}


def text_query(text: str, fuzziness: str = FUZZINESS) -> Q:
    """Every word in the sheet (a typo allowed, the last word as a prefix being typed),
    scored by exact words per field: an exact « INS » outranks « insuline », its prefix.

    The gate scores lightly too (a typo or a prefix counts a little), rather than sitting in
    a filter beside the same typo and prefix clauses among the scored ones: each clause is
    then evaluated once per matching sheet, not twice."""
    gate = Q(
        "bool",
        should=[
            Q("match", all_text={"query": text, "operator": "and", "fuzziness": fuzziness,
                                 "prefix_length": 1, "boost": 0.2}),
            Q("match_bool_prefix", all_text={"query": text, "operator": "and", "boost": 0.1}),
        ],
        minimum_should_match=1,
    )  # fmt: skip
    return Q(
        "bool",
        must=[gate],
        should=[
            Q("multi_match", query=text, fields=SCORED_FIELDS, type="best_fields"),
            Q("match_phrase", title={"query": text, "boost": 2}),
        ],
    )


def _matching(query: CatalogueQuery) -> tuple[Search, dict[str, Q]]:
    """The text's query and a post_filter holding every selected facet; the facet -> filter
    map, for the counts."""
    text = query.text.strip()
    s = Search()
    if text:
        s = s.query(text_query(text))
    filters = {
        facet: Q("terms", **{facet: [str(v) for v in values]})
        for facet, values in query.filters.items()
        if facet in FACETS and values
    }
    if filters:
        s = s.post_filter(Q("bool", filter=list(filters.values())))
    return s, filters


def counts_body(query: CatalogueQuery) -> dict:
    """The total and each facet's counts, under a filter holding every OTHER facet's
    selection. No hit, no score: the engine keeps the answer in its request cache until
    the index next changes, so paging and sorting a search count nothing again."""
    s, filters = _matching(query)
    for facet in FACETS:
        others = [f for name, f in filters.items() if name != facet]
        values = {"field": facet, "size": FACET_SIZE}
        if others:
            s.aggs.bucket(facet, "filter", filter=Q("bool", filter=others)).bucket(
                "values", "terms", **values
            )
        else:  # no filter to wrap it in: the engine counts a top-level terms faster
            s.aggs.bucket(facet, "terms", **values)
    return s.extra(track_total_hits=True, size=0).to_dict()


def hits_body(query: CatalogueQuery) -> dict:
    """The page of hits, highlighted. It counts nothing (counts_body does), so the engine
    may skip the sheets that cannot reach the page."""
    s, _filters = _matching(query)
    s = s.extra(track_total_hits=False)
    s = s.sort(*(SORT_KEYS[key] for key in ORDERING[query.ordering]))
    s = s.source(False)
    if query.text.strip():
        # The unified highlighter (the plain one took 150 ms a page) trims its passages, and
        # with them a closing control character at the very end: it marks with private-use
        # characters, which engine.py turns into the contract's markers.
        s = s.highlight_options(
            type="unified",
            pre_tags=[ENGINE_START],
            post_tags=[ENGINE_END],
            require_field_match=False,
            highlight_query=text_query(query.text.strip(), MARKING_FUZZINESS).to_dict(),
        )
        s = s.highlight("title", number_of_fragments=0).highlight(
            "summary", fragment_size=200, number_of_fragments=1
        )
    start = (query.page - 1) * query.per_page
    return s[start : start + query.per_page].to_dict()


def suggest_body(prefix: str, limit: int) -> dict:
    s = Search().query(
        "multi_match",
        query=prefix,
        type="bool_prefix",
        fields=["title_suggest", "title_suggest._2gram", "title_suggest._3gram"],
    )
    return s.source(["title"])[: limit * 2].to_dict()
