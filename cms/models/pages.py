"""Public pages around the calls: the home page, the calls index and plain content pages."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.formatting import countdown

from .. import caching
from ..blocks import BodyBlock
from .calls import CallPage, CallStatus
from .schedule import next_schedule_change
from .serving import ServedPageMixin
from .snippets import Operator


def next_deadlines(calls: list[CallPage], now: datetime) -> list[datetime | None]:
    """Each call's next relève still ahead (None once closed), as its card counts down to."""
    return [cutoff.closes_at if (cutoff := call.next_cutoff(now)) else None for call in calls]


def listing_clock(deadlines: list[datetime | None], until: datetime | None) -> str:
    """What a list of call cards shows that changes by itself: the statuses (until the next
    opening or relève of any call, ``until``) and each card's countdown wording. A list drawn
    for the same clock is the same."""
    now = timezone.now()
    wordings = (str(countdown(at, now)) if at else "" for at in deadlines)
    return f"{until.isoformat() if until else ''}|{'|'.join(wordings)}"


class HomePage(ServedPageMixin, Page):
    hero_title = models.CharField(_("accroche"), max_length=200)
    hero_text = models.TextField(_("texte d'introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("body"),
    ]
    # One home page per language: Wagtail puts the translation of a site's root page beside it.
    max_count = len(settings.LANGUAGES)
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.CallIndexPage", "cms.ContentPage", "cms.PersonalDataPage"]
    template = "cms/home_page.html"

    class Meta:
        verbose_name = _("page d'accueil")

    def changes_at(self, now: datetime) -> datetime | None:
        return next_schedule_change(now)

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        # Which calls are open changes when content does (the fragment cache's generation)
        # or at the next opening or closing: read once until then, and the cards themselves
        # only when the list is drawn (its fragment is kept per clock).
        now = timezone.now()
        until = next_schedule_change(now)
        stamp = until.isoformat() if until else ""
        lists = SimpleLazyObject(
            lambda: caching.cached(f"home-lists:{self.pk}:{stamp}", self.call_lists)
        )
        deadlines = caching.cached(
            f"home-deadlines:{self.pk}:{stamp}",
            lambda: next_deadlines(lists["open_calls"], now),
        )
        context["lists"] = lists
        context["listing_clock"] = listing_clock(deadlines, until)
        return context

    def call_lists(self) -> dict:
        # The cards read status and next relève from the cut-offs: prefetched, not per call.
        # Only this home's language: a call and its translation are two pages.
        calls = (
            CallPage.objects.live()
            .public()
            .filter(locale_id=self.locale_id)
            .select_related("operator")
            .prefetch_related("cutoffs")
        )
        return {
            "open_calls": list(calls.open().order_by("closing_instant")[:6]),
            "calls_index": CallIndexPage.objects.live().filter(locale_id=self.locale_id).first(),
        }


class CallIndexPage(ServedPageMixin, Page):
    """Lists calls, filtered by status: open (default), upcoming or closed."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.CallPage"]
    template = "cms/call_index_page.html"

    class Meta:
        verbose_name = _("liste des appels à projets")

    STATUS_PARAM = "statut"

    def changes_at(self, now: datetime) -> datetime | None:
        return next_schedule_change(now)

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        requested = request.GET.get(self.STATUS_PARAM, CallStatus.OPEN)
        status = requested if requested in CallStatus.values else CallStatus.OPEN
        # Which calls have which status changes when content does or at the next opening or
        # relève: worked out once until then (ids and deadlines, small to keep), the cards'
        # calls read only when the list is drawn (its fragment is kept per clock).
        now = timezone.now()
        until = next_schedule_change(now)
        stamp = until.isoformat() if until else ""
        listing = caching.cached(f"index-listing:{self.pk}:{stamp}", lambda: self.listing(now))
        ids = [pk for pk, _deadline in listing[status]]
        context["calls"] = SimpleLazyObject(lambda: self.listed_calls(ids))
        context["listing_clock"] = listing_clock([d for _pk, d in listing[status]], until)
        context["status"] = status
        context["status_tabs"] = [
            {"value": choice.value, "label": choice.label, "count": len(listing[choice])}
            for choice in (CallStatus.OPEN, CallStatus.UPCOMING, CallStatus.CLOSED)
        ]
        return context

    def listing(self, now: datetime) -> dict[str, list[tuple[int, datetime | None]]]:
        """Status -> its calls in the listed order, as (id, next relève). Every call of the
        index in one query (cut-offs in a second), each status judged at the same instant."""
        by_status: dict[str, list[CallPage]] = {choice: [] for choice in CallStatus.values}
        for call in self.indexed_calls():
            by_status[call.status(now)].append(call)
        far = now + timedelta(days=365 * 1000)
        listing = {}
        for status, calls in by_status.items():
            calls.sort(key=lambda call: call.closing_at or far)
            if status == CallStatus.CLOSED:
                calls.reverse()
            listing[status] = list(
                zip((c.pk for c in calls), next_deadlines(calls, now), strict=True)
            )
        return listing

    def listed_calls(self, ids: list[int]) -> list[CallPage]:
        by_id = {call.pk: call for call in self.indexed_calls()}
        return [by_id[pk] for pk in ids if pk in by_id]

    def indexed_calls(self) -> list[CallPage]:
        return caching.cached(f"index-calls:{self.pk}", self.all_calls)

    def all_calls(self) -> list[CallPage]:
        return list(
            CallPage.objects.child_of(self)
            .live()
            .public()
            .select_related("operator")
            .prefetch_related("cutoffs")
        )


class ContentPage(ServedPageMixin, Page):
    """A standard editorial page (about, legal notice, accessibility statement…)."""

    intro = models.TextField(_("chapô"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["cms.HomePage", "cms.ContentPage"]
    template = "cms/content_page.html"

    class Meta:
        verbose_name = _("page de contenu")


# The parts of the personal-data notice the GDPR (art. 13 and 14) requires, each edited in the
# CMS. Retention periods per operator are added from the operators themselves, so the page
# always says what the purge job does.
RICH_TEXT = ["h3", "bold", "italic", "link", "ol", "ul"]


class PersonalDataPage(Page):
    """« Données personnelles »: purposes, legal basis, recipients, retention, rights and the
    data protection officer's contact; signed-in users find their export and account closing
    here."""

    intro = models.TextField(_("chapô"), blank=True)
    controller = RichTextField(_("responsable du traitement"), features=RICH_TEXT)
    purposes = RichTextField(_("finalités"), features=RICH_TEXT)
    legal_basis = RichTextField(_("base légale"), features=RICH_TEXT)
    recipients = RichTextField(_("destinataires"), features=RICH_TEXT, blank=True)
    retention = RichTextField(_("durées de conservation"), features=RICH_TEXT)
    rights = RichTextField(_("vos droits"), features=RICH_TEXT)
    dpo_contact = RichTextField(_("délégué à la protection des données"), features=RICH_TEXT)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("controller"),
        FieldPanel("purposes"),
        FieldPanel("legal_basis"),
        FieldPanel("recipients"),
        FieldPanel("retention"),
        FieldPanel("rights"),
        FieldPanel("dpo_contact"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    max_count = len(settings.LANGUAGES)
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    template = "cms/personal_data_page.html"

    class Meta:
        verbose_name = _("page données personnelles")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["operators"] = Operator.objects.order_by("name")
        return context
