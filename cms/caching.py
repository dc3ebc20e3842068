"""What public pages compute once and keep: menus, footer links, breadcrumbs, the DSFR
configuration, rendered fragments of a page, and (cms.page_cache) whole pages for anonymous
visitors.

Every key of the "fragments" cache (each process's memory) and of the "pages" cache (shared:
Redis in production) carries a *content generation* (:func:`generation_key`, Django's
``KEY_FUNCTION`` hook): any change to what public pages show (a page published, unpublished,
moved or deleted; a snippet, document, site, DSFR setting or catalogue sheet saved) bumps the
generation, kept in the default (shared) cache, and every key of the previous one stops being
read. Nothing is flushed: old entries age out with their timeout, and other data sharing the
Redis server (sessions, throttling) is untouched.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from wagtail.models import PageViewRestriction

FRAGMENTS = "fragments"
GENERATION_KEY = "ruche:content-generation"
# A fragment outlives many page-cache entries: the generation, not time, invalidates it.
FRAGMENT_SECONDS = 24 * 3600
_MISSING = object()
T = TypeVar("T")
# Each process reads the shared counter at most once per GENERATION_TTL seconds: a change
# made in another process is seen within that time, one made here at once.
GENERATION_TTL = 1.0
_memo: tuple[int, float] = (0, 0.0)  # (generation, monotonic instant it expires)


def _first_generation() -> int:
    # Should the counter be evicted, it restarts above any value it had: milliseconds.
    return int(time.time() * 1000)


def current_generation() -> int:
    global _memo
    generation, expires = _memo
    now = time.monotonic()
    if now < expires:
        return generation
    generation = caches["default"].get_or_set(GENERATION_KEY, _first_generation, timeout=None)
    _memo = (generation, now + GENERATION_TTL)
    return generation


def generation_key(key: str, key_prefix: str, version: int) -> str:
    """KEY_FUNCTION of the "fragments" and "pages" caches: Django's key with the content
    generation in it."""
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
        generation = default.incr(GENERATION_KEY)
    except ValueError:  # not set yet, or evicted
        generation = _first_generation()
        default.set(GENERATION_KEY, generation, timeout=None)
    global _memo
    _memo = (generation, time.monotonic() + GENERATION_TTL)


def cached(key: str, compute: Callable[[], T], timeout: int = FRAGMENT_SECONDS) -> T:
    """``compute()`` once per content generation (None is a value like any other)."""
    store = caches[FRAGMENTS]
    value = store.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        store.set(key, value, timeout)
    return value


def lookup(key: str) -> object | None:
    """The fragment kept under ``key`` in this content generation, else None."""
    return caches[FRAGMENTS].get(key)


def cached_set(key: str, value: object, timeout: int = FRAGMENT_SECONDS) -> None:
    caches[FRAGMENTS].set(key, value, timeout)


def page_cache_seconds() -> int:
    return getattr(settings, "RUCHE_PAGE_CACHE_SECONDS", 0)


def restrictions_exist() -> bool:
    """Whether any page is private (Wagtail's view restrictions). Ruche has none by default:
    the per-page checks, two queries each, are then skipped."""
    return cached("view-restrictions", PageViewRestriction.objects.exists)
