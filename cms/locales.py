"""Pages in two languages: a French original and its English translation (Wagtail's
translations share a ``translation_key``). French is the default locale and the reference:
applications belong to the French call, whichever language's page the applicant read."""

from __future__ import annotations

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page


def default_language() -> str:
    """The language code of the default locale (French), the reference of the programme."""
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def active_language() -> str:
    try:
        return get_supported_content_language_variant(get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        return default_language()


def language_urls(request: HttpRequest, page: Page | None) -> dict[str, str]:
    """The address of what the visitor reads, in each language: for a Wagtail page its
    translation (English slugs differ from the French ones), else the nearest translated
    ancestor; for any other view the same view under the other language's prefix."""
    here = request.get_full_path()
    if page is None or page.pk is None:
        return {code: translate_url(here, code) for code, _name in settings.LANGUAGES}
    # Nearest first: the page, then its ancestors up to (not including) the tree's root.
    lineage = [page, *reversed(page.get_ancestors().filter(depth__gt=1))]
    translations: dict[tuple[str, str], Page] = {
        (str(p.translation_key), p.locale.language_code): p
        for p in Page.objects.live()
        .filter(translation_key__in=[p.translation_key for p in lineage])
        .select_related("locale")
    }
    query = request.META.get("QUERY_STRING", "")
    urls = {}
    for code, _name in settings.LANGUAGES:
        urls[code] = translate_url(here, code)
        for depth, ancestor in enumerate(lineage):
            target = translations.get((str(ancestor.translation_key), code))
            if target is not None:
                url = target.get_url(request) or urls[code]
                # Filters such as ?statut=closed apply to the same page in the other language.
                urls[code] = f"{url}?{query}" if depth == 0 and query else url
                break
    return urls


def localized_titles(pages: QuerySet) -> dict[int, str]:
    """Each page's title in the active language (its live translation's, else its own), keyed
    by the page's id: one query for a whole list."""
    translated = (
        Page.objects.live()
        .filter(
            translation_key=OuterRef("translation_key"), locale__language_code=active_language()
        )
        .values("title")[:1]
    )
    return dict(
        pages.annotate(localized_title=Coalesce(Subquery(translated), "title")).values_list(
            "pk", "localized_title"
        )
    )
