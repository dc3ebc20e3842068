"""Loads the demo site in French and its English translation. Idempotent: pages, snippets and
documents are matched by slug or name (a translation by its original) and updated in place,
so running it twice leaves one copy of everything."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from wagtail.documents.models import Document
from wagtail.models import Locale, Page, Site

from . import demo_data, demo_data_en
from .models import (
    ApplicationForm,
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
    PersonalDataPage,
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
    # Migrations create the English locale; a test database flushed since has none.
    english = Locale.objects.get_or_create(language_code="en")[0]
    home = _load_home()
    _load_home_translation(home, english)
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
    _upsert_translation(index, english, **demo_data_en.CALLS_INDEX)
    for data in demo_data.CALLS:
        call = _load_call(index, data, operators, themes)
        _load_call_translation(call, english, data, operators, themes)
    for data in demo_data.CONTENT_PAGES:
        page = _upsert_child(
            home,
            ContentPage,
            data["slug"],
            title=data["title"],
            show_in_menus=data["show_in_menus"],
            intro=data["intro"],
            body=_paragraphs(data["paragraphs"]),
        )
        text = demo_data_en.CONTENT_PAGES[data["slug"]]
        _upsert_translation(
            page,
            english,
            slug=text["slug"],
            title=text["title"],
            intro=text["intro"],
            body=_paragraphs(text["paragraphs"]),
        )
    notice = dict(demo_data.PERSONAL_DATA)
    page = _upsert_child(home, PersonalDataPage, notice.pop("slug"), **notice)
    _upsert_translation(page, english, **demo_data_en.PERSONAL_DATA)
    return {
        "calls": CallPage.objects.references().count(),
        "operators": Operator.objects.count(),
        "themes": Theme.objects.count(),
    }


def _upsert_translation(original: Page, locale: Locale, slug: str, **fields) -> Page:
    """Create the translation of ``original`` as the admin's « Traduire » does (a copy, with
    its lists and their data, under the parent's translation) or update it; then publish it."""
    page = original.get_translation_or_none(locale)
    if page is None:
        page = original.copy_for_translation(locale)
    page = page.specific
    page.slug = slug
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


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


def _load_home_translation(home: HomePage, locale: Locale) -> HomePage:
    """The English home: beside the French one under the root, served at /en/."""
    text = demo_data_en.HOME
    figures = [{"figure": f, "caption": c} for f, c in text["key_figures"]]
    return _upsert_translation(
        home,
        locale,
        slug=text["slug"],
        title=text["title"],
        hero_title=text["hero_title"],
        hero_text=text["hero_text"],
        body=[("heading", text["figures_heading"]), ("key_figures", figures)],
    )


def _data_fields(data: dict, operators: dict, themes: dict) -> dict:
    """What a call and its translation share: dates, amounts, tracks, operator, themes. Fresh
    objects on each call: a page owns the rows of its lists."""
    closed_early = data.get("closed_early")
    return {
        "operator": operators[_operator_name(data["operator"])],
        "themes": [themes[name] for name in data["themes"]],
        "budget_envelope": Decimal(data["budget_envelope"]),
        "max_amount_per_project": Decimal(data["max_amount_per_project"]),
        "aid_rate_percent": data["aid_rate_percent"],
        "opens_at": paris(data["opens_at"]),
        "closed_early_at": paris(closed_early[0]) if closed_early else None,
        "contact_email": "appels@ruche.local",
        "review_tracks": [CallReviewTrack(track=t, weight=w) for t, w in data["tracks"]],
        # The shipped forms (manage.py load_reference_form, run by load_demo first): a
        # two-stage call takes the short pre-proposal form first, then the reference form.
        **(
            {
                "application_form": ApplicationForm.objects.pre_proposal(),
                "second_stage_form": ApplicationForm.objects.reference(),
            }
            if any(stage == 2 for stage, _at, _label in data["cutoffs"])
            else {"application_form": ApplicationForm.objects.reference()}
        ),
    }


def _load_call(index: CallIndexPage, data: dict, operators: dict, themes: dict) -> CallPage:
    closed_early = data.get("closed_early")
    fields = {
        **_data_fields(data, operators, themes),
        "title": data["title"],
        "summary": data["summary"],
        "early_closure_reason": closed_early[1] if closed_early else "",
        "eligibility": demo_data.ELIGIBILITY,
        "contact_name": "Équipe du programme",
        "body": _paragraphs([data["body"]]),
        "cutoffs": [
            CallCutoff(stage=stage, closes_at=paris(at), label=label)
            for stage, at, label in data["cutoffs"]
        ],
        "criteria": [
            CallCriterion(label=label, weight=weight, description=description)
            for label, weight, description in demo_data.STANDARD_CRITERIA
        ],
        "questions": [CallQuestion(question=q, answer=a) for q, a in demo_data.STANDARD_FAQ],
    }
    document = _specification_document(CallPage(slug=data["slug"], **fields))
    fields["documents"] = [CallDocument(document=document)]
    return _upsert_child(index, CallPage, data["slug"], **fields)


def _load_call_translation(
    call: CallPage, locale: Locale, data: dict, operators: dict, themes: dict
) -> CallPage:
    """The English call: the French call's data, English text, the French specification."""
    text = demo_data_en.CALLS[data["slug"]]
    labels = dict(zip([at for _stage, at, _label in data["cutoffs"]], text["cutoffs"], strict=True))
    return _upsert_translation(
        call,
        locale,
        **_data_fields(data, operators, themes),
        slug=text["slug"],
        title=text["title"],
        summary=text["summary"],
        early_closure_reason=text.get("early_closure_reason", ""),
        eligibility=demo_data_en.ELIGIBILITY,
        contact_name=demo_data_en.CONTACT_NAME,
        body=_paragraphs([text["body"]]),
        cutoffs=[
            CallCutoff(stage=stage, closes_at=paris(at), label=labels[at])
            for stage, at, _label in data["cutoffs"]
        ],
        criteria=[
            CallCriterion(label=label, weight=weight, description=description)
            for (label, description), (_fr, weight, _desc) in zip(
                demo_data_en.STANDARD_CRITERIA, demo_data.STANDARD_CRITERIA, strict=True
            )
        ],
        questions=[CallQuestion(question=q, answer=a) for q, a in demo_data_en.STANDARD_FAQ],
        documents=[
            CallDocument(document=d.document, title=demo_data_en.SPECIFICATION_TITLE)
            for d in call.documents.all()
        ],
    )


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
