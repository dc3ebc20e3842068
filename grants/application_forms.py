"""The form an application answers: its call's form, as ``Section``/``Question``/``AttachmentSlot``.

A draft follows the newest version of its call's form; a submitted application keeps the
version it was submitted on (``Application.form_version``), so the staff view, the receipt and
the reviewers read the questions it answered. A call without a form of its own asks the
reference catalogue (``grants.questions``). Sections and attachment slots that serve a review
track the call does not use are left out: they are neither shown nor required.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property

from django.utils import translation
from django.utils.translation import gettext_lazy

from cms.application_form_kinds import ATTACHMENTS, CHOICE, DECLARATION, QUESTIONS
from cms.application_form_rules import condition_value
from cms.models import ApplicationFormVersion, CallPage

from . import questions as q

# The attribute where an application keeps its form for the rest of the request.
CACHE_ATTRIBUTE = "_form_spec"


@dataclass(frozen=True)
class Declaration:
    """A declaration on honour of the form, signed at submission; its tick is stored in the
    answers of its section like any answer."""

    section: str
    key: str
    text: str
    required: bool = True


@dataclass(frozen=True)
class FormSpec:
    """A call's form at one version: the sections in order (the stepper's steps), the
    attachment slots and the declarations on honour."""

    sections: tuple[q.Section, ...]
    attachment_slots: tuple[q.AttachmentSlot, ...]
    declarations: tuple[Declaration, ...] = ()
    version_id: int | None = None
    version_number: int | None = None
    form_name: str = ""

    @cached_property
    def sections_by_slug(self) -> dict[str, q.Section]:
        return {section.slug: section for section in self.sections}

    @cached_property
    def slots_by_key(self) -> dict[str, q.AttachmentSlot]:
        return {slot.key: slot for slot in self.attachment_slots}

    @property
    def attachments_section(self) -> q.Section | None:
        return next((s for s in self.sections if s.kind == ATTACHMENTS), None)

    def question(self, section_slug: str, key: str) -> q.Question | None:
        section = self.sections_by_slug.get(section_slug)
        if section is None:
            return None
        return next((x for x in section.questions if x.key == key), None)


def _text(value: str):
    """A label as people read it: the reference form's French labels are the catalogue's
    own messages, so they are translated like the rest of the interface; staff's are shown
    as typed. (An empty string is not looked up: it names the catalogue's header.)"""
    return gettext_lazy(value) if value else ""


def _typed_condition(only_if, cited: dict[str, dict]):
    if not only_if:
        return None
    key, raw = only_if
    kind = cited.get(key, {}).get("kind", "")
    try:
        return key, condition_value(kind, raw)
    except ValueError:
        return key, raw


def _question(data: dict, cited: dict[str, dict]) -> q.Question:
    choices = tuple((value, _text(label)) for value, label in data.get("choices", []))
    return q.Question(
        key=data["key"],
        label=_text(data["label"]),
        kind=data["kind"],
        required=data.get("required", False),
        help=_text(data.get("help", "")),
        max_length=data.get("max_length"),
        choices=() if data.get("from_call_themes") else choices,
        min_value=data.get("min_value"),
        max_value=data.get("max_value"),
        only_if=_typed_condition(data.get("only_if"), cited),
        heading=_text(data.get("heading", "")),
        heading_help=_text(data.get("heading_help", "")),
    )


def _slot(data: dict, questions: dict[str, dict]) -> q.AttachmentSlot:
    required_if = None
    if data.get("only_if"):
        key, value = _typed_condition(data["only_if"], questions)
        required_if = (questions.get(key, {}).get("section", ""), key, value)
    max_mb = data.get("max_size_mb")
    return q.AttachmentSlot(
        key=data["key"],
        label=_text(data["label"]),
        formats=tuple(data.get("formats") or ("pdf",)),
        required=data.get("required", False),
        multiple=data.get("multiple", False),
        required_if=required_if,
        review_track=data.get("review_track") or None,
        max_bytes=max_mb * 1024 * 1024 if max_mb else None,
    )


def spec_from_definition(
    definition: dict, tracks: set[str] | None = None, version=None
) -> FormSpec:
    """The runtime form of a frozen definition, without what serves a review track outside
    ``tracks`` (None: keep everything)."""

    def used(track: str | None) -> bool:
        return tracks is None or not track or track in tracks

    questions = {
        data["key"]: {**data, "section": section["slug"]}
        for section in definition["sections"]
        for data in section["questions"]
    }
    sections, declarations = [], []
    for data in definition["sections"]:
        if not used(data.get("review_track")):
            continue
        asked = []
        for item in data["questions"]:
            if item["kind"] == DECLARATION:
                declarations.append(
                    Declaration(
                        data["slug"], item["key"], item["label"], item.get("required", True)
                    )
                )
            else:
                asked.append(_question(item, questions))
        if data["kind"] == QUESTIONS and not asked:
            continue  # declarations only: they are signed on the confirmation page
        sections.append(
            q.Section(
                slug=data["slug"],
                title=_text(data["title"]),
                questions=tuple(asked),
                kind=data["kind"],
                review_track=data.get("review_track") or None,
                help=_text(data.get("help", "")),
            )
        )
    slots = tuple(
        _slot(slot, questions)
        for slot in definition.get("attachments", [])
        if used(slot.get("review_track"))
    )
    return FormSpec(
        tuple(sections),
        slots,
        tuple(declarations),
        version_id=version.pk if version else None,
        version_number=version.number if version else None,
        form_name=version.form.name if version else "",
    )


# -- The reference catalogue as a definition -------------------------------------------------


def _condition_text(value) -> str:
    if value is True:
        return "oui"
    if value is False:
        return "non"
    return str(value)


def _question_definition(question: q.Question) -> dict:
    data = {
        "key": question.key,
        "kind": question.kind,
        "label": str(question.label),
        "help": str(question.help),
        "required": question.required,
        "only_if": [question.only_if[0], _condition_text(question.only_if[1])]
        if question.only_if
        else None,
    }
    for name in ("max_length", "min_value", "max_value"):
        if getattr(question, name) is not None:
            data[name] = getattr(question, name)
    if question.kind in (CHOICE, q.MULTI):
        data["choices"] = [[value, str(label)] for value, label in question.choices]
        data["from_call_themes"] = question.kind == CHOICE and not question.choices
    return data


@cache
def reference_definition() -> dict:
    """The catalogue of ``grants.questions`` as a form definition, in French (the labels are
    the catalogue's messages: other languages translate them when shown)."""
    with translation.override("fr"):
        sections = [
            {
                "slug": section.slug,
                "title": str(section.title),
                "help": str(section.help),
                "review_track": section.review_track,
                "kind": section.kind,
                "questions": [_question_definition(question) for question in section.questions],
            }
            for section in q.SECTIONS
        ]
        slots = [
            {
                "key": slot.key,
                "label": str(slot.label),
                "formats": list(slot.formats),
                "max_size_mb": None,
                "required": slot.required,
                "multiple": slot.multiple,
                "only_if": [slot.required_if[1], _condition_text(slot.required_if[2])]
                if slot.required_if
                else None,
                "review_track": slot.review_track,
                "section": "pieces",
            }
            for slot in q.ATTACHMENT_SLOTS
        ]
    return {"sections": sections, "attachments": slots}


# -- Which form ------------------------------------------------------------------------------


def newest_version(call: CallPage, stage: int = 1) -> ApplicationFormVersion | None:
    """The version a new or draft application of ``call`` answers; None: the reference."""
    form = call.form_for_stage(stage)
    return form.newest_version() if form is not None else None


def call_tracks(call: CallPage) -> set[str]:
    return {track.track for track in call.review_tracks.all()}


def form_for_call(call: CallPage, version=None) -> FormSpec:
    version = version or newest_version(call)
    definition = version.definition if version else reference_definition()
    return spec_from_definition(definition, call_tracks(call), version)


def form_of(application) -> FormSpec:
    """The form ``application`` answers (its frozen version once submitted), read once per
    instance: the section page, the stepper and completeness share it."""
    cached = application.__dict__.get(CACHE_ATTRIBUTE)
    if cached is not None:
        return cached
    if application.form_version_id:
        version = ApplicationFormVersion.objects.select_related("form").get(
            pk=application.form_version_id
        )
    else:
        version = (
            None
            if application.submitted_at
            else newest_version(application.call, application.stage)
        )
    spec = form_for_call(application.call, version) if version else _reference_for(application)
    application.__dict__[CACHE_ATTRIBUTE] = spec
    return spec


def reference_form() -> FormSpec:
    """The reference catalogue with every section (a call's tracks aside)."""
    return spec_from_definition(reference_definition())


def _reference_for(application) -> FormSpec:
    return spec_from_definition(reference_definition(), call_tracks(application.call))


def forget_form(application) -> None:
    """After the application changed version (at submission)."""
    application.__dict__.pop(CACHE_ATTRIBUTE, None)
