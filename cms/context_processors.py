"""The DSFR's site configuration, read once per content generation rather than twice per
page (django-dsfr's own context processor queries the language's row, then the first one)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import get_language
from dsfr.models import DsfrConfig

from . import caching


def _config(language: str) -> DsfrConfig | None:
    return DsfrConfig.objects.filter(language=language).first() or DsfrConfig.objects.first()


def site_config(request: HttpRequest) -> dict:
    language = get_language()
    return {"SITE_CONFIG": caching.cached(f"dsfr-config:{language}", lambda: _config(language))}
