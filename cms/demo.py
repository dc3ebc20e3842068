"""Loads the demo site. Idempotent: pages, snippets and documents are matched by slug or name
and updated in place, so running it twice leaves one copy of everything."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from wagtail.documents.models import Document
from wagtail.models import Page, Site

from . import demo_data
from .models import (
    CallCriterion,
    CallCutoff,
    CallDocument,
    CallIndexPage,
    CallPage,
    CallQuestion,
    CallReviewTrack,
    ContentPage,
    HomePage,
    Operator,
    Theme,
)
from .specification import render_call_specification

PARIS = ZoneInfo("Europe/Paris")


def paris(value: str) -> datetime:
    """'2027-01-15 12:00' read as Paris wall-clock time."""
    return datetime.strptime(value, "%Y-%m-%d %H:%M").replace(tzinfo=PARIS)


def _paragraphs(texts: list[str]) -> list[tuple[str, str]]:
    return [("paragraph", f"<p>{text}</p>") for text in texts]


def _upsert_child(parent: Page, model: type[Page], slug: str, **fields) -> Page:
    """Create the page under ``parent`` or update the existing one, then publish it."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
    else:
        for name, value in fields.items():
            setattr(page, name, value)
    page.save_revision().publish()
    return page


@transaction.atomic
def load_demo() -> dict[str, int]:
    home = _load_home()
    operators = {
        data["name"]: Operator.objects.update_or_create(name=data["name"], defaults=data)[0]
        for data in demo_data.OPERATORS
    }
    themes = {
        name: Theme.objects.update_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in demo_data.THEMES
    }
    index = _upsert_child(
        home,
        CallIndexPage,
        "appels-a-projets",
        title="Appels à projets",
        show_in_menus=True,
        intro="Les appels à projets et à manifestation d'intérêt de la santé numérique : "
        "ouverts, à venir et clos.",
    )
    for data in demo_data.CALLS:
        _load_call(index, data, operators, themes)
    for data in demo_data.CONTENT_PAGES:
        _upsert_child(
            home,
            ContentPage,
            data["slug"],
            title=data["title"],
            show_in_menus=data["show_in_menus"],
            intro=data["intro"],
            body=_paragraphs(data["paragraphs"]),
        )
    return {
        "calls": CallPage.objects.count(),
        "operators": Operator.objects.count(),
        "themes": Theme.objects.count(),
    }


def _load_home() -> HomePage:
    root = Page.get_first_root_node()
    fields = {
        "title": "Accueil",
        "hero_title": "Les appels à projets de la santé numérique",
        "hero_text": "Déposez votre projet, suivez son instruction et découvrez les innovations "
        "financées par la stratégie d'accélération « Santé numérique » de France 2030 et le "
        "Ségur du numérique en santé.",
        "body": [
            ("heading", "Le programme en chiffres"),
            (
                "key_figures",
                [
                    {
                        "figure": "plus de 700 M€",
                        "caption": "pour la santé numérique (France 2030)",
                    },
                    {"figure": "2 Md€", "caption": "pour le Ségur du numérique en santé"},
                    {"figure": "3 expertises", "caption": "éthique, sécurité, interopérabilité"},
                ],
            ),
        ],
    }
    home = _upsert_child(root, HomePage, "accueil", **fields)
    site = Site.objects.filter(is_default_site=True).first()
    old_root = site.root_page if site else None
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Ruche"
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "Ruche"
        site.save()
    # Wagtail's installation ships a placeholder "Welcome" page; the demo replaces it.
    if old_root and old_root.pk != home.pk and not isinstance(old_root.specific, HomePage):
        old_root.delete()
    return home


def _load_call(index: CallIndexPage, data: dict, operators: dict, themes: dict) -> CallPage:
    closed_early = data.get("closed_early")
    fields = {
        "title": data["title"],
        "summary": data["summary"],
        "operator": operators[_operator_name(data["operator"])],
        "budget_envelope": Decimal(data["budget_envelope"]),
        "max_amount_per_project": Decimal(data["max_amount_per_project"]),
        "aid_rate_percent": data["aid_rate_percent"],
        "opens_at": paris(data["opens_at"]),
        "closed_early_at": paris(closed_early[0]) if closed_early else None,
        "early_closure_reason": closed_early[1] if closed_early else "",
        "eligibility": demo_data.ELIGIBILITY,
        "contact_name": "Équipe du programme",
        "contact_email": "appels@ruche.local",
        "body": _paragraphs([data["body"]]),
        "cutoffs": [
            CallCutoff(stage=stage, closes_at=paris(at), label=label)
            for stage, at, label in data["cutoffs"]
        ],
        "criteria": [
            CallCriterion(label=label, weight=weight, description=description)
            for label, weight, description in demo_data.STANDARD_CRITERIA
        ],
        "review_tracks": [CallReviewTrack(track=t, weight=w) for t, w in data["tracks"]],
        "questions": [CallQuestion(question=q, answer=a) for q, a in demo_data.STANDARD_FAQ],
    }
    fields["themes"] = [themes[name] for name in data["themes"]]
    document = _specification_document(CallPage(slug=data["slug"], **fields))
    fields["documents"] = [CallDocument(document=document)]
    return _upsert_child(index, CallPage, data["slug"], **fields)


def _operator_name(name: str) -> str:
    for data in demo_data.OPERATORS:
        if name in (data["name"], data["acronym"]):
            return data["name"]
    raise KeyError(name)


def _specification_document(call: CallPage) -> Document:
    title = f"Cahier des charges — {call.title}"
    document = Document.objects.filter(title=title).first()
    if document is None:
        pdf = render_call_specification(call)
        document = Document(title=title)
        document.file.save(f"cahier-des-charges-{call.slug}.pdf", ContentFile(pdf), save=False)
        document.save()
    return document
