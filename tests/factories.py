"""Builders for test data: the page tree and calls with their cut-offs."""

from __future__ import annotations

import itertools
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
from django.conf import settings
from django.utils.text import slugify
from wagtail.models import Collection, Locale, Page, Site

from cms.models import (
    CallCriterion,
    CallCutoff,
    CallIndexPage,
    CallPage,
    CallReviewTrack,
    HomePage,
    Operator,
    Theme,
)

PARIS = ZoneInfo("Europe/Paris")
_slugs = itertools.count(1)


def paris(*args: int) -> datetime:
    """paris(2026, 3, 12, 12) is 12 March 2026 at 12:00, Paris wall-clock time."""
    return datetime(*args, tzinfo=PARIS)


class OperatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operator
        django_get_or_create = ("name",)

    name = "Bpifrance"
    acronym = "Bpifrance"


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Thème {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


def ensure_wagtail_root() -> None:
    """A transactional test's flush also removes the locale, root page and root collection
    that Wagtail's migrations create: put them back (no-op when they are there)."""
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    Locale.objects.get_or_create(language_code="en")
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def build_site() -> CallIndexPage:
    """Home page as the default site's root, with the calls index under it."""
    ensure_wagtail_root()
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Accueil", slug="accueil", hero_title="Ruche"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Ruche"},
    )
    return home.add_child(
        instance=CallIndexPage(
            title="Appels à projets", slug="appels-a-projets", show_in_menus=True
        )
    )


def translate(page: Page, slug: str, **fields) -> Page:
    """The page's English translation, made as the admin's « Traduire » makes it (a copy under
    the parent's translation), given its English slug and text, and published."""
    english = Locale.objects.get_or_create(language_code="en")[0]
    translation = page.specific.copy_for_translation(english).specific
    translation.slug = slug
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return type(translation).objects.get(pk=translation.pk)


def make_call(
    index: CallIndexPage,
    *,
    title: str = "Appel de test",
    opens_at: datetime,
    cutoffs: list[datetime],
    second_stage: list[datetime] = (),
    closed_early_at: datetime | None = None,
    early_closure_reason: str = "",
    tracks: tuple[str, ...] = ("ethics", "security", "interoperability"),
    **fields,
) -> CallPage:
    call = CallPage(
        title=title,
        slug=fields.pop("slug", None) or f"{slugify(title)}-{next(_slugs)}",
        summary=fields.pop("summary", "Un appel pour les tests."),
        operator=fields.pop("operator", None) or OperatorFactory(),
        budget_envelope=Decimal(fields.pop("budget_envelope", 10_000_000)),
        max_amount_per_project=Decimal(fields.pop("max_amount_per_project", 500_000)),
        opens_at=opens_at,
        closed_early_at=closed_early_at,
        early_closure_reason=early_closure_reason,
        eligibility="<p>Entreprises immatriculées en France.</p>",
        contact_email="appels@example.org",
        cutoffs=[CallCutoff(stage=1, closes_at=at) for at in cutoffs]
        + [CallCutoff(stage=2, closes_at=at) for at in second_stage],
        criteria=[
            CallCriterion(label="Innovation", weight=60),
            CallCriterion(label="Impact", weight=40),
        ],
        review_tracks=[CallReviewTrack(track=t) for t in tracks],
        **fields,
    )
    index.add_child(instance=call)
    call.save_revision().publish()
    return CallPage.objects.get(pk=call.pk)
