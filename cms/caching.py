"""What public pages compute once and keep: menus, footer links, breadcrumbs, the DSFR
configuration, rendered fragments of a page, and (cms.page_cache) whole pages for anonymous
visitors.

All of it lives in the "pages" cache, whose keys carry a *content generation*
(:func:`generation_key`, Django's ``KEY_FUNCTION`` hook): any change to what public pages show
(a page published, unpublished, moved or deleted; a snippet, document, site, DSFR setting or
catalogue sheet saved) bumps the generation, and every key of the previous one stops being
read. Nothing is flushed: old entries age out with their timeout, and other data sharing the
Redis server (sessions, throttling) is untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from wagtail.models import PageViewRestriction

ALIAS = "pages"
GENERATION_KEY = "ruche:content-generation"
# A fragment outlives many page-cache entries: the generation, not time, invalidates it.
FRAGMENT_SECONDS = 24 * 3600
_MISSING = object()
T = TypeVar("T")


def current_generation() -> int:
    # Kept in the default cache: one read per "pages" key, shared by every process.
    return caches["default"].get_or_set(GENERATION_KEY, 1, timeout=None)


def generation_key(key: str, key_prefix: str, version: int) -> str:
    """KEY_FUNCTION of the "pages" cache: Django's key with the content generation in it."""
    return f"{key_prefix}:{version}:g{current_generation()}:{key}"


def bump() -> None:
    """A new content generation: fragments and cached pages are computed afresh. Now, and
    again after the transaction commits: a request served in between may have cached the
    old content under the first new generation."""
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    default = caches["default"]
    try:
        default.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any value the readers have not seen
        default.set(GENERATION_KEY, current_generation() + 1, timeout=None)


def cached(key: str, compute: Callable[[], T], timeout: int = FRAGMENT_SECONDS) -> T:
    """``compute()`` once per content generation (None is a value like any other)."""
    store = caches[ALIAS]
    value = store.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        store.set(key, value, timeout)
    return value


def cached_set(key: str, value: object, timeout: int = FRAGMENT_SECONDS) -> None:
    caches[ALIAS].set(key, value, timeout)


def page_cache_seconds() -> int:
    return getattr(settings, "RUCHE_PAGE_CACHE_SECONDS", 0)


def restrictions_exist() -> bool:
    """Whether any page is private (Wagtail's view restrictions). Ruche has none by default:
    the per-page checks, two queries each, are then skipped."""
    return cached("view-restrictions", PageViewRestriction.objects.exists)
