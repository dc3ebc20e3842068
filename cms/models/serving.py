"""How Ruche's pages are served: fewer queries per request than Wagtail's defaults, the same
answers."""

from __future__ import annotations

import math
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.cache import patch_cache_control
from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet

from .. import caching


class PublicQuerySetMixin:
    def public(self) -> PageQuerySet:
        # Wagtail reads every view restriction to build the filter: none exist, nothing to do.
        if not caching.restrictions_exist():
            return self
        return super().public()


class ServedPageMixin:
    """For Ruche's page models (before ``Page`` in the bases): routed in one step from the
    home, view restrictions read only when some page has one."""

    def get_context(self, request, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        # How long a fragment drawn for this page is kept: previews show unsaved content,
        # never kept.
        preview = getattr(request, "is_preview", False)
        context["fragment_seconds"] = 0 if preview else caching.FRAGMENT_SECONDS
        return context

    def get_view_restrictions(self) -> QuerySet[PageViewRestriction]:
        if not caching.restrictions_exist():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def route(self, request, path_components: list[str]):
        # Wagtail walks down one level at a time, two queries each; the page a path names is
        # found by its url_path in two. A path that names no page (a sub-route, a 404) takes
        # Wagtail's way.
        if len(path_components) > 1:
            url_path = f"{self.url_path}{'/'.join(path_components)}/"
            found = Page.objects.descendant_of(self).filter(url_path=url_path).specific().first()
            if found is not None:
                return found.route(request, [])
        return super().route(request, path_components)

    def changes_at(self, now: datetime) -> datetime | None:
        """The next instant this page's content changes by itself (a call opening, a relève
        passing): its cached copy must not outlive it. None: only an edit changes it."""
        return None

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # How long the page cache (cms.page_cache) may keep it; browsers are told otherwise.
        seconds = caching.page_cache_seconds()
        now = timezone.now()
        until = self.changes_at(now)
        if until is not None:
            seconds = min(seconds, max(1, math.ceil((until - now).total_seconds())))
        if seconds > 0:
            patch_cache_control(response, max_age=seconds)
        return response
