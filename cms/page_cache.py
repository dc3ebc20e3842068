"""Public pages for anonymous visitors, from the shared "pages" cache (wagtail-cache).

- Views decorated with :func:`cache_anonymous` say their page may be shared; the
  :class:`AnonymousPageCacheMiddleware`, near the top of the middleware stack, serves and
  stores it. A copy is stored with the headers the inner middleware add (security policy,
  language, frame options), so a hit skips the rest of the stack, URL routing included.
- Only GET/HEAD requests without a session or messages cookie are served from it or stored in
  it: such a visitor is anonymous and has no message waiting (« Vous êtes déconnecté »). Every
  other visitor gets a fresh page, and a page that used something of the visitor's (a CSRF
  token, the session, their messages) is not stored.
- Entries are keyed by the content generation (cms.caching): publishing, unpublishing,
  moving a page, publishing a catalogue sheet… start a new one. A call's page, the calls
  index and the home expire at the next opening or relève (cms.models.serving).
- Browsers are told not to reuse a page without asking (``no-cache``): after signing in,
  going back to a page must show the signed-in header, which our cache never serves.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from wagtailcache.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware
from wagtailcache.settings import wagtailcache_settings

from . import caching

View = Callable[..., HttpResponse]
# Set on a response by cache_anonymous: True, it may be stored; False, it is a public page
# computed for this request only (a filtered catalogue page).
SHAREABLE = "ruche_shareable"


def invalidate() -> None:
    """Every cached page and fragment is recomputed (e.g. after a catalogue publication)."""
    caching.bump()


def used_visitor_data(request: HttpRequest) -> bool:
    """Whether rendering the page used what belongs to this visitor."""
    messages = getattr(request, "_messages", None)
    session = getattr(request, "session", None)
    return bool(
        request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or (messages is not None and messages.used)
        or (session is not None and session.modified)
    )


def cache_anonymous(view: View | None = None, *, unfiltered_only: bool = False):
    """Mark ``view``'s pages as shareable between anonymous visitors (the middleware keeps
    them). ``unfiltered_only``: only the address without a query string is kept (the
    catalogue's first page)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def serve(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            response = view(request, *args, **kwargs)
            # Rendered here, so that what the page used is known before it is stored.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            if used_visitor_data(request):
                patch_cache_control(response, private=True)
            setattr(response, SHAREABLE, not (unfiltered_only and request.GET))
            return response

        return serve

    return decorator(view) if view is not None else decorator


def is_anonymous_visit(request: HttpRequest) -> bool:
    """Without a session there is no signed-in user, and without one nor a messages cookie,
    no message waiting: the page every anonymous visitor gets."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


class AnonymousPageCacheMiddleware:
    """Serve anonymous visitors' public pages from the page cache before the rest of the
    stack runs, and store them after it ran (wagtail-cache's fetch and update steps)."""

    def __init__(self, get_response: View) -> None:
        self.get_response = get_response
        self.fetch = FetchFromCacheMiddleware(get_response)
        self.update = UpdateCacheMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not wagtailcache_settings.WAGTAIL_CACHE:
            response = self.get_response(request)
            if getattr(response, SHAREABLE, None) is not None:
                for_browsers(request, response)
            return response
        anonymous = is_anonymous_visit(request)
        if anonymous:
            # wagtail-cache's lookup drops tracking parameters and foreign cookies from the
            # request to key it; on a miss the rest of the stack gets the request as sent.
            sent = (request.GET, request.COOKIES, dict(request.META))
            hit = self.fetch.process_request(request)
            if hit is not None:
                response = self.update.process_response(request, hit)
                for_browsers(request, response)
                return response
            request.GET, request.COOKIES, request.META = sent
        response = self.get_response(request)
        shareable = getattr(response, SHAREABLE, None)
        if shareable is None:  # not a public page
            return response
        if anonymous and shareable:
            response = self.update.process_response(request, response)
        elif shareable:
            response[wagtailcache_settings.WAGTAIL_CACHE_HEADER] = "skip"
        for_browsers(request, response)
        return response


def for_browsers(request: HttpRequest, response: HttpResponse) -> None:
    """What the browser may keep: nothing it would show again without asking us."""
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    response["Cache-Control"] = "private, no-cache" if signed_in else "no-cache"
    if "Expires" in response:
        del response["Expires"]
