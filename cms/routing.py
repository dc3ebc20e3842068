"""Wagtail's page view with the site and the page found in one query.

Wagtail finds the site (one query), the home in the visitor's language (two), then walks
down the tree, two queries a level. The answer only changes when pages do: the site and,
per address, which page it names, and the published page itself are kept in the fragment
cache (cms.caching, renewed by any page change). Addresses that name no page
exactly (a 404, a sub-route) take Wagtail's way every time.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from . import caching


def find_site(request: HttpRequest) -> Site | None:
    """``Site.find_for_request``, answered from the fragment cache after the first time, with
    the sites' root paths every page URL needs (else read from the shared cache)."""
    if not hasattr(request, "_wagtail_site"):
        key = f"site:{request.get_host()}:{request.get_port()}"
        request._wagtail_site = caching.cached(key, lambda: Site.find_for_request(request))
    if not hasattr(request, "_wagtail_cached_site_root_paths"):
        paths = caching.cached("site-root-paths", Site.get_site_root_paths)
        request._wagtail_cached_site_root_paths = paths
    return request._wagtail_site


def _load(content_type_id: int, pk: int) -> Page | None:
    """The live page, with what its view reads of related rows (``serve_prefetch``)."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    page = model.objects.filter(pk=pk, live=True).first()
    if page is not None:
        prefetch_related_objects([page], *getattr(model, "serve_prefetch", ()))
    return page


def _page_named(request: HttpRequest, path: str) -> tuple[int, int] | None:
    """(content type, id) of the live page at ``path``, found Wagtail's way."""
    result = Page.route_for_request(request, path)
    if result is None:
        return None
    page, args, kwargs = result
    if args or kwargs:  # a sub-route of a page, not the page itself
        return None
    return page.content_type_id, page.pk


def serve(request: HttpRequest, path: str) -> HttpResponse:
    find_site(request)
    key = f"route:{request.get_host()}:{translation.get_language()}:{path}"
    named = caching.cached(key, lambda: _page_named(request, path))
    if named is not None:
        # The page itself, as published: a copy per request, from the fragment cache.
        page = caching.cached(f"page:{named[1]}", lambda: _load(*named))
        # Gone since (the generation renews soon after): Wagtail's way answers.
        if page is not None:
            request._wagtail_route_for_request = RouteResult(page)
    return wagtail_views.serve(request, path)
