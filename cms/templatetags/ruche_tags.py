"""Template helpers for public pages: Paris-time instants, countdowns, amounts, breadcrumbs."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from cms import caching
from cms.locales import default_language, language_urls
from cms.models import CallIndexPage
from core.formatting import countdown, euros_label, paris_instant, score_label

register = template.Library()


register.filter("paris_instant", paris_instant)


@register.simple_tag
def colon() -> str:
    """A label's colon as each language writes it: « Objet : » in French (a space before),
    "Subject: " in English."""
    return " : " if (translation.get_language() or "fr").startswith("fr") else ": "


@register.filter
def percent(value: int | Decimal | None) -> str:
    """'25 %' in French, '25%' in English."""
    if value is None:
        return ""
    return f"{value} %" if (translation.get_language() or "fr").startswith("fr") else f"{value}%"


register.filter("amount", euros_label)
register.filter("countdown", countdown)
register.filter("score", score_label)


@register.filter
def euros(value: Decimal | int | None) -> str:
    """Amounts as programmes state them: 45 M€, 800 k€, 12 500 €."""
    if value is None:
        return ""
    amount = Decimal(value)
    for threshold, unit in ((Decimal(1_000_000), "M€"), (Decimal(1_000), "k€")):
        if amount >= threshold and amount % (threshold / 10) == 0:
            scaled = (amount / threshold).normalize()
            return f"{formats.number_format(scaled, use_l10n=True)}\u00a0{unit}"
    return f"{formats.number_format(amount.quantize(Decimal(1)), force_grouping=True)}\u00a0€"


def _cache_scope(request) -> str | None:
    """What a cached fragment of the page frame depends on besides the content generation:
    the site (links are relative to it) and the language. None for previews, which show
    unpublished content."""
    if request is None or getattr(request, "is_preview", False):
        return None
    # The host names the site (ALLOWED_HOSTS bounds them): no query to find it.
    return f"{request.get_host()}:{translation.get_language()}"


def _frame_cached(request, key: str, compute):
    scope = _cache_scope(request)
    return compute() if scope is None else caching.cached(f"{key}:{scope}", compute)


@register.simple_tag(takes_context=True)
def page_breadcrumb(context, page: Page) -> dict:
    """The data django-dsfr's breadcrumb expects: the home of the page's language (its tree's
    top, /en/ for an English page), then the page's ancestors below it."""
    request = context.get("request")

    def compute() -> dict:
        home, *ancestors = [*page.get_ancestors().live().filter(depth__gt=1), page]
        return {
            "root_dir": home.get_url(request) or "/",
            "links": [{"url": p.get_url(request), "title": p.title} for p in ancestors[:-1]],
            "current": page.title,
        }

    if page.pk is None:
        return compute()
    return _frame_cached(request, f"breadcrumb:{page.pk}", compute)


def _menu_entries(request) -> list[dict]:
    """The main menu's entries, without what depends on the page shown."""
    site = Site.find_for_request(request)
    if site is None:
        return []
    # The site's root is the French home; its translation is the English visitors' home.
    home = site.root_page.localized
    entries = [{"title": _("Accueil"), "url": home.get_url(request), "pk": home.pk}]
    for child in home.get_children().live().in_menu().specific():
        entries.append({"title": child.title, "url": child.get_url(request), "path": child.path})
        if isinstance(child, CallIndexPage):
            # The catalogue of funded projects comes right after the calls.
            catalogue = reverse("search:catalogue")
            entries.append({"title": _("Projets financés"), "url": catalogue, "prefix": catalogue})
    return entries


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[dict]:
    """The home page then its children marked "show in menus", the current section flagged."""
    request = context.get("request")
    if request is None:
        return []
    current = context.get("page")
    items = []
    for entry in _frame_cached(request, "menu", lambda: _menu_entries(request)):
        if "pk" in entry:
            active = bool(current and current.pk == entry["pk"])
        elif "path" in entry:
            active = bool(current and getattr(current, "path", "").startswith(entry["path"]))
        else:
            active = request.path.startswith(entry["prefix"])
        items.append({"title": entry["title"], "url": entry["url"], "active": active})
    return items


@register.simple_tag(takes_context=True)
def page_urls_by_slug(context, *slugs: str) -> dict[str, str]:
    """URLs of live pages by their slugs, in one query ("" for a missing one): the footer's
    links on every page."""
    pages = Page.objects.live().filter(slug__in=slugs, locale__language_code=default_language())
    found = {page.slug: page for page in pages}
    request = context.get("request")
    return {
        slug.replace("-", "_"): (found[slug].localized.get_url(request) or "")
        if slug in found
        else ""
        for slug in slugs
    }


@register.simple_tag(takes_context=True)
def page_url_by_slug(context, slug: str) -> str:
    """URL of a live page by its slug, or "" if the site has none (footer links)."""
    request = context.get("request")

    def compute() -> str:
        page = Page.objects.live().filter(slug=slug, locale__language_code=default_language())
        page = page.first()
        # The slug is the French page's; English visitors are sent to its translation.
        return "" if page is None else page.localized.get_url(request) or ""

    return _frame_cached(request, f"slug-url:{slug}", compute)


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The language selector's entries: each language with the address of this very page in
    it (a page's translation, not the other language's home)."""
    request = context.get("request")
    if request is None:
        return []
    page = context.get("page")
    page = page if isinstance(page, Page) else None
    if page is not None and page.pk is not None and not request.META.get("QUERY_STRING"):
        urls = _frame_cached(
            request, f"language-urls:{page.pk}", lambda: language_urls(request, page)
        )
    else:
        urls = language_urls(request, page)
    current = translation.get_language()
    return [
        {"code": code, "name": name, "url": urls[code], "current": code == current}
        for code, name in settings.LANGUAGES
    ]
