"""Public pages for anonymous visitors, from the shared "pages" cache (wagtail-cache).

- Only anonymous GET/HEAD requests are served from it or stored in it (wagtail-cache's rule);
  a visitor with a message to read (« Vous êtes déconnecté ») gets a fresh page, and a page
  that used something of the visitor's (a CSRF token, the session, their messages) is not
  stored.
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
from django.contrib.messages.storage.session import SessionStorage
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from wagtailcache.cache import cache_page

from . import caching

View = Callable[..., HttpResponse]


def invalidate() -> None:
    """Every cached page and fragment is recomputed (e.g. after a catalogue publication)."""
    caching.bump()


def has_pending_messages(request: HttpRequest) -> bool:
    """Messages waiting for the visitor (cookie or session storage): the next page shows them."""
    if request.COOKIES.get(CookieStorage.cookie_name):
        return True
    session = getattr(request, "session", None)
    has_session = settings.SESSION_COOKIE_NAME in request.COOKIES
    return bool(has_session and session is not None and session.get(SessionStorage.session_key))


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
    """Serve ``view`` to anonymous visitors from the page cache. ``unfiltered_only``: only
    the address without a query string is cached (the catalogue's first page)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def rendered(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            response = view(request, *args, **kwargs)
            # Rendered here, so that what the page used is known before it is stored.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            if used_visitor_data(request):
                patch_cache_control(response, private=True)
            return response

        cached = cache_page(rendered)

        @wraps(view)
        def serve(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if (unfiltered_only and request.GET) or has_pending_messages(request):
                response = rendered(request, *args, **kwargs)
            else:
                response = cached(request, *args, **kwargs)
            for_browsers(request, response)
            return response

        return serve

    return decorator(view) if view is not None else decorator


def for_browsers(request: HttpRequest, response: HttpResponse) -> None:
    """What the browser may keep: nothing it would show again without asking us."""
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    response["Cache-Control"] = "private, no-cache" if signed_in else "no-cache"
    if "Expires" in response:
        del response["Expires"]
