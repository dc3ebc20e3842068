"""The public catalogue of funded projects: search with facets, the project pages,
suggestions as the visitor types, and the open data files."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from cms import caching
from cms.locales import localized_titles
from cms.models import CallPage, Theme
from cms.page_cache import cache_anonymous
from core.vocabulary import Region
from funding.publication import approved_status

from .. import opendata
from ..backends import get_backend
from ..backends.base import (
    FACETS,
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    SORTS,
    CatalogueResults,
)
from ..forms import AMOUNT_BAND_LABELS, SORT_LABELS
from ..models import PublicProject
from ..params import PER_PAGE, TEXT_MAX, parse

FACET_TITLES = {
    "theme": _("Thématique"),
    "region": _("Région"),
    "call": _("Appel à projets"),
    "year": _("Année"),
    "trl": _("Maturité (TRL)"),
    "amount_band": _("Montant accordé"),
}


def highlight(fragment: str) -> SafeString:
    """Escape first, then turn the backend's markers into <mark>: nothing else becomes HTML."""
    escaped = str(escape(fragment))
    opened = False
    out = []
    for char in escaped:
        if char == HIGHLIGHT_START and not opened:
            out.append("<mark>")
            opened = True
        elif char == HIGHLIGHT_END and opened:
            out.append("</mark>")
            opened = False
        elif char not in (HIGHLIGHT_START, HIGHLIGHT_END):
            out.append(char)
    if opened:
        out.append("</mark>")
    return mark_safe("".join(out))  # noqa: S308 - escaped above, only <mark> added


def strip_markers(fragment: str) -> str:
    return fragment.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "")


def published_in_order(ids: list[int]) -> list[PublicProject]:
    """The published sheets among ``ids``, in that order (one query, themes prefetched)."""
    by_id = opendata.published().in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def cards(ids: list[int]) -> dict[int, PublicProject]:
    """The published sheets among ``ids``, with what a result card shows: not the call, a
    Wagtail page whose join cost more than the rest of the query."""
    return (
        PublicProject.objects.filter(status=PublicProject.Status.PUBLISHED)
        .only("slug", "title", "summary", "organisation_name", "region", "year")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
        .in_bulk(ids)
    )


def facet_labels(results: CatalogueResults) -> dict[str, dict[str, str]]:
    """The labels of the facet values shown, from every label in the visitor's language,
    worked out once per content generation (a theme or a call renamed starts a new one)."""
    every = caching.cached(f"facet-labels:{get_language()}", every_facet_label)
    return {
        name: {v.value: every[name][v.value] for v in results.facets.get(name, [])
               if v.value in every[name]}
        for name in every
    }  # fmt: skip


def every_facet_label() -> dict[str, dict[str, str]]:
    return {
        "theme": dict(Theme.objects.values_list("slug", "name")),
        "region": {code: str(label) for code, label in Region.choices},
        # Each call titled in the visitor's language (its translation's title, if live).
        "call": {str(pk): title for pk, title in localized_titles(CallPage.objects.all()).items()},
        "amount_band": {key: str(label) for key, label in AMOUNT_BAND_LABELS.items()},
    }


# Years and maturity levels read in their own order (newest year first, TRL 1 to 9), not by
# how many projects they hold.
NATURAL_ORDER = {
    "year": lambda option: -int(option["value"]),
    "trl": lambda option: int(option["value"]),
}


RESULTS_TEMPLATE = "search/includes/catalogue_form.html"


@require_GET
@cache_anonymous(unfiltered_only=True)
def catalogue(request: HttpRequest) -> HttpResponse:
    if request.GET:
        context = catalogue_context(request)
        context["results"] = render_to_string(RESULTS_TEMPLATE, context, request)
    else:
        # The first page without filters, which most visitors see, is drawn once per
        # content generation (a sheet published or indexed renews it).
        key = f"catalogue-first-page:{get_language()}"
        results = caching.cached(
            key, lambda: render_to_string(RESULTS_TEMPLATE, catalogue_context(request), request)
        )
        context = {"results": results}
    return render(request, "search/catalogue.html", context)


def catalogue_context(request: HttpRequest) -> dict:
    # Invalid parameters are left out: a mangled URL still gives a clean page.
    query = parse(request.GET, per_page=PER_PAGE).query
    results = get_backend().search(query)
    projects = cards([hit.project_id for hit in results.hits])
    items = []
    for hit in results.hits:
        project = projects.get(hit.project_id)
        if project is None:  # unpublished since the index was last updated
            continue
        items.append(
            {
                "project": project,
                "title": highlight(hit.highlights["title"])
                if hit.highlights.get("title")
                else project.title,
                "summary": highlight(hit.highlights["summary"])
                if hit.highlights.get("summary")
                else project.summary,
            }
        )
    labels = facet_labels(results)
    facets = []
    for name in FACETS:
        selected = set(query.filters.get(name, ()))
        options = [
            {
                "value": value.value,
                "label": labels.get(name, {}).get(value.value, value.value),
                "count": value.count,
                "checked": value.value in selected,
            }
            for value in results.facets.get(name, [])
        ]
        if name in NATURAL_ORDER:
            options.sort(key=NATURAL_ORDER[name])
        if options:
            facets.append({"name": name, "title": FACET_TITLES[name], "options": options})

    paginator = Paginator(range(results.total), query.per_page)
    page_obj = paginator.get_page(query.page)
    active = [(name, value) for name, values in query.filters.items() for value in values]
    return {
        "query": query,
        "total": results.total,
        "items": items,
        "facets": facets,
        "sorts": [(key, SORT_LABELS[key]) for key in SORTS],
        "page_obj": page_obj,
        "page_numbers": list(paginator.get_elided_page_range(page_obj.number, on_ends=1)),
        "has_filters": bool(active or query.text),
        "api_query": request.GET.urlencode(),
    }


@require_GET
@cache_anonymous
def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # The sheet is drawn once per content generation and language: publishing a sheet or a
    # progress report renews it. An unknown address is not kept.
    key = f"project-sheet:{get_language()}:{slug}"
    sheet = caching.lookup(key)
    if sheet is None:
        sheet = draw_project_sheet(slug)
        caching.cached_set(key, sheet)
    return render(request, "search/project.html", {"sheet": sheet})


def draw_project_sheet(slug: str) -> dict[str, str]:
    """The published sheet's title, breadcrumb and body, as HTML."""
    project = get_object_or_404(
        opendata.published().select_related("application__convention__public_progress"),
        slug=slug,
    )
    application = project.application
    convention = getattr(application, "convention", None) if application else None
    breadcrumb = {
        "links": [{"url": reverse("search:catalogue"), "title": _("Catalogue")}],
        "current": project.title,
        # The home of the visitor's language (/en/ in English), not always the French one.
        "root_dir": reverse("wagtail_serve", args=[""]),
    }
    progress = approved_status(convention)
    context = {"project": project, "breadcrumb": breadcrumb, "progress": progress}
    return {
        "title": project.title,
        "breadcrumb": render_to_string("search/includes/project_breadcrumb.html", context),
        "body": render_to_string("search/includes/project_sheet.html", context),
    }


@require_GET
def suggestions(request: HttpRequest) -> JsonResponse:
    prefix = request.GET.get("q", "").replace("\x00", "").strip()[:TEXT_MAX]
    titles = get_backend().suggest(prefix, limit=8) if len(prefix) >= 2 else []
    return JsonResponse({"query": prefix, "suggestions": [strip_markers(t) for t in titles]})


def _download(content: str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def projects_csv(request: HttpRequest) -> HttpResponse:
    return _download(opendata.projects_csv(request), "text/csv; charset=utf-8", "projets.csv")


@require_GET
def projects_json(request: HttpRequest) -> JsonResponse:
    data = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(),
        "projects": [opendata.project_data(p, request) for p in opendata.published()],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="projets.json"'
    return response


@require_GET
def scdl_csv(request: HttpRequest) -> HttpResponse:
    return _download(opendata.scdl_csv(), "text/csv; charset=utf-8", "subventions-scdl.csv")
