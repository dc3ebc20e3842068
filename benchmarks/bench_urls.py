"""The site's URLs plus baselines for the benchmarks: a trivial view, a plain Django view
returning a small template, and the site's empty frame."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import engines
from django.urls import path

from ruche.urls import urlpatterns as site

SMALL = engines["django"].from_string(
    '<!DOCTYPE html><html lang="fr"><head><title>{{ title }}</title></head>'
    "<body><h1>{{ title }}</h1><ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}"
    "</ul></body></html>"
)


def plain(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def small_template(request: HttpRequest) -> HttpResponse:
    """What Django itself costs: the middleware, a view and a small template (no context
    processor, no query)."""
    return HttpResponse(SMALL.render({"title": "Ruche", "items": ["un", "deux", "trois"]}))


def base(request: HttpRequest) -> HttpResponse:
    """The site's frame alone (header, menu, footer): what every page pays."""
    return render(request, "base.html")


urlpatterns = [
    path("bench/plain/", plain),
    path("bench/template/", small_template),
    path("bench/base/", base),
    *site,
]
