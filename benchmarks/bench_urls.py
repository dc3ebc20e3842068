"""The site's URLs plus two baselines for benchmarks/catalogue_search.py: a trivial view, and
the site's empty frame."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from ruche.urls import urlpatterns as site


def plain(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def base(request: HttpRequest) -> HttpResponse:
    """The site's frame alone (header, menu, footer): what every page pays."""
    return render(request, "base.html")


urlpatterns = [path("bench/plain/", plain), path("bench/base/", base), *site]
