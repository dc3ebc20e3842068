"""The blocks programme staff build an application form from, in the Wagtail admin.

A form is a list of sections; a section holds questions (short text, long text with a length
limit, single and multiple choice, yes/no, number, date, amount), declarations on honour,
headings with help, or one of the special parts: the team table, the budget table, attachment
slots. Every question has a stable ``key`` (cited by review grids as ``section.key``), a
``required`` flag and an optional « only if » condition on another answer of its section.

``definition_from_body`` turns the edited body into the plain JSON frozen in a version
(``ApplicationFormVersion.definition``); ``body_from_definition`` goes back, to load the shipped
reference form.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from core.vocabulary import ReviewTrack

from .application_form_kinds import (
    AMOUNT,
    ATTACHMENTS,
    BUDGET,
    CHECK,
    CHOICE,
    DATE,
    DECLARATION,
    FILE_KINDS,
    INTEGER,
    MULTI,
    QUESTIONS,
    SHORT_TEXT_FORMATS,
    TEAM,
    TEXT,
    TEXTAREA,
    YESNO,
)

KEY_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
KEY_HELP = _("Identifiant stable (minuscules, chiffres, _), cité par les grilles d'évaluation.")
KEY_ERROR = _("Lettres minuscules non accentuées, chiffres et _, en commençant par une lettre.")


def _key_block(label=None) -> blocks.RegexBlock:
    return blocks.RegexBlock(
        regex=KEY_PATTERN,
        label=label or _("clé"),
        help_text=KEY_HELP,
        error_messages={"invalid": KEY_ERROR},
    )


class QuestionBlock(blocks.StructBlock):
    """What every question has; the kinds below add their own settings."""

    key = _key_block()
    label = blocks.CharBlock(label=_("intitulé"), max_length=500)
    help = blocks.TextBlock(label=_("aide"), required=False)
    required = blocks.BooleanBlock(label=_("obligatoire pour le dépôt"), required=False)
    only_if_key = blocks.CharBlock(
        label=_("seulement si la réponse à (clé)"),
        required=False,
        max_length=40,
        help_text=_("Clé d'une autre question de la même section."),
    )
    only_if_value = blocks.CharBlock(
        label=_("vaut"),
        required=False,
        max_length=100,
        help_text=_("« oui » ou « non » pour une question oui/non ; la valeur d'un choix."),
    )

    class Meta:
        icon = "form"


class ShortTextBlock(QuestionBlock):
    format = blocks.ChoiceBlock(
        choices=SHORT_TEXT_FORMATS, default=TEXT, label=_("format"), required=False
    )
    max_length = blocks.IntegerBlock(
        label=_("nombre maximal de caractères"), required=False, min_value=1, max_value=1000
    )

    class Meta:
        label = _("texte court")


class LongTextBlock(QuestionBlock):
    max_length = blocks.IntegerBlock(
        label=_("nombre maximal de caractères"), min_value=1, max_value=50000, default=3000
    )

    class Meta:
        label = _("texte long")
        icon = "doc-full"


class ChoiceItemBlock(blocks.StructBlock):
    value = _key_block(_("valeur"))
    label = blocks.CharBlock(label=_("libellé"), max_length=200)


class SingleChoiceBlock(QuestionBlock):
    choices = blocks.ListBlock(ChoiceItemBlock(), label=_("choix"), min_num=0)
    from_call_themes = blocks.BooleanBlock(
        label=_("choisir parmi les thématiques de l'appel"), required=False
    )

    class Meta:
        label = _("choix unique")
        icon = "list-ul"


class MultipleChoiceBlock(QuestionBlock):
    choices = blocks.ListBlock(ChoiceItemBlock(), label=_("choix"), min_num=0)

    class Meta:
        label = _("choix multiple")
        icon = "list-ul"


class YesNoBlock(QuestionBlock):
    class Meta:
        label = _("oui / non")
        icon = "tick"


class CheckboxBlock(QuestionBlock):
    class Meta:
        label = _("case à cocher")
        icon = "tick-inverse"


class NumberBlock(QuestionBlock):
    min_value = blocks.IntegerBlock(label=_("minimum"), required=False)
    max_value = blocks.IntegerBlock(label=_("maximum"), required=False)

    class Meta:
        label = _("nombre entier")
        icon = "order"


class DateQuestionBlock(QuestionBlock):
    class Meta:
        label = _("date")
        icon = "date"


class AmountBlock(QuestionBlock):
    class Meta:
        label = _("montant (€)")
        icon = "order"


class DeclarationBlock(blocks.StructBlock):
    """A declaration on honour: a box to tick at submission, with the exact text signed."""

    key = _key_block()
    text = blocks.TextBlock(label=_("texte de la déclaration"))
    required = blocks.BooleanBlock(label=_("obligatoire"), required=False, default=True)

    class Meta:
        label = _("déclaration sur l'honneur")
        icon = "openquote"


class HeadingBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("intertitre"), max_length=200)
    help = blocks.TextBlock(label=_("aide"), required=False)

    class Meta:
        label = _("intertitre et aide")
        icon = "title"


class TableBlock(blocks.StructBlock):
    help = blocks.TextBlock(label=_("aide"), required=False)


class BudgetTableBlock(TableBlock):
    class Meta:
        label = _("tableau du budget (dépenses, cofinancements, aide demandée)")
        icon = "table"


class TeamTableBlock(TableBlock):
    class Meta:
        label = _("tableau de l'équipe (contact, membres, partenaires)")
        icon = "group"


TRACK_CHOICES = [("", "—"), *ReviewTrack.choices]


class AttachmentSlotBlock(blocks.StructBlock):
    key = _key_block()
    label = blocks.CharBlock(label=_("intitulé"), max_length=200)
    formats = blocks.MultipleChoiceBlock(
        choices=FILE_KINDS, default=["pdf"], label=_("types de fichiers acceptés")
    )
    max_size_mb = blocks.IntegerBlock(
        label=_("taille maximale (Mo)"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_("Vide : la limite de la plateforme."),
    )
    required = blocks.BooleanBlock(label=_("obligatoire"), required=False)
    multiple = blocks.BooleanBlock(label=_("plusieurs fichiers"), required=False)
    only_if_key = blocks.CharBlock(
        label=_("obligatoire seulement si la réponse à (clé)"),
        required=False,
        max_length=40,
        help_text=_("Clé d'une question du formulaire."),
    )
    only_if_value = blocks.CharBlock(label=_("vaut"), required=False, max_length=100)
    review_track = blocks.ChoiceBlock(
        choices=TRACK_CHOICES, required=False, label=_("pour l'expertise")
    )

    class Meta:
        label = _("pièce jointe")
        icon = "doc-empty"


# Block name → question kind, for the blocks that are plain questions.
QUESTION_BLOCKS = {
    "short_text": (ShortTextBlock, TEXT),
    "long_text": (LongTextBlock, TEXTAREA),
    "single_choice": (SingleChoiceBlock, CHOICE),
    "multiple_choice": (MultipleChoiceBlock, MULTI),
    "yes_no": (YesNoBlock, YESNO),
    "checkbox": (CheckboxBlock, CHECK),
    "number": (NumberBlock, INTEGER),
    "date": (DateQuestionBlock, DATE),
    "amount": (AmountBlock, AMOUNT),
}
KIND_BLOCKS = {kind: name for name, (_block, kind) in QUESTION_BLOCKS.items()}


class SectionContentBlock(blocks.StreamBlock):
    short_text = ShortTextBlock()
    long_text = LongTextBlock()
    single_choice = SingleChoiceBlock()
    multiple_choice = MultipleChoiceBlock()
    yes_no = YesNoBlock()
    checkbox = CheckboxBlock()
    number = NumberBlock()
    date = DateQuestionBlock()
    amount = AmountBlock()
    declaration = DeclarationBlock()
    heading = HeadingBlock()
    team_table = TeamTableBlock()
    budget_table = BudgetTableBlock()
    attachment = AttachmentSlotBlock()


class SectionBlock(blocks.StructBlock):
    slug = _key_block(_("identifiant de la section"))
    title = blocks.CharBlock(label=_("titre"), max_length=200)
    help = blocks.TextBlock(label=_("aide"), required=False)
    review_track = blocks.ChoiceBlock(
        choices=TRACK_CHOICES,
        required=False,
        label=_("pour l'expertise"),
        help_text=_("Section facultative (et masquée) si l'appel ne prévoit pas cette expertise."),
    )
    content = SectionContentBlock(label=_("contenu"))

    class Meta:
        label = _("section")
        icon = "folder-open-inverse"


class ApplicationFormBody(blocks.StreamBlock):
    section = SectionBlock()


# -- Body ↔ definition ---------------------------------------------------------------------


def _condition(key: str, raw_value: str) -> list | None:
    key = (key or "").strip()
    return [key, (raw_value or "").strip()] if key else None


def _question(kind: str, value) -> dict:
    question = {
        "key": value["key"],
        "kind": kind,
        "label": value["label"],
        "help": value.get("help") or "",
        "required": bool(value.get("required")),
        "only_if": _condition(value.get("only_if_key"), value.get("only_if_value")),
    }
    if kind == TEXT and value.get("format"):
        question["kind"] = value["format"]
    if value.get("max_length"):
        question["max_length"] = value["max_length"]
    if kind in (CHOICE, MULTI):
        question["choices"] = [[item["value"], item["label"]] for item in value["choices"]]
        question["from_call_themes"] = bool(value.get("from_call_themes"))
    for bound in ("min_value", "max_value"):
        if value.get(bound) is not None:
            question[bound] = value[bound]
    return question


def _section(value) -> tuple[dict, list[dict]]:
    section = {
        "slug": value["slug"],
        "title": value["title"],
        "help": value.get("help") or "",
        "review_track": value.get("review_track") or None,
        "kinds": [],
        "questions": [],
    }
    slots, heading = [], None
    for child in value["content"]:
        name, item = child.block_type, child.value
        section["kinds"].append(name)
        if name == "heading":
            heading = {"heading": item["title"], "heading_help": item.get("help") or ""}
        elif name == "declaration":
            section["questions"].append(
                {
                    "key": item["key"],
                    "kind": DECLARATION,
                    "label": item["text"],
                    "required": bool(item.get("required")),
                }
            )
        elif name in QUESTION_BLOCKS:
            section["questions"].append(
                {**_question(QUESTION_BLOCKS[name][1], item), **(heading or {})}
            )
            heading = None
        elif name in ("team_table", "budget_table"):
            section["help"] = section["help"] or item.get("help") or ""
        elif name == "attachment":
            slots.append(
                {
                    "key": item["key"],
                    "label": item["label"],
                    "formats": list(item["formats"]),
                    "max_size_mb": item.get("max_size_mb"),
                    "required": bool(item.get("required")),
                    "multiple": bool(item.get("multiple")),
                    "only_if": _condition(item.get("only_if_key"), item.get("only_if_value")),
                    "review_track": item.get("review_track") or None,
                    "section": value["slug"],
                }
            )
    section["kind"] = section_kind(section["kinds"])
    return section, slots


def section_kind(block_names: list[str]) -> str:
    if "budget_table" in block_names:
        return BUDGET
    if "team_table" in block_names:
        return TEAM
    if "attachment" in block_names:
        return ATTACHMENTS
    return QUESTIONS


def definition_from_body(body) -> dict:
    """The form as plain JSON: sections with their questions, and the attachment slots."""
    sections, slots = [], []
    for child in body:
        section, section_slots = _section(child.value)
        sections.append(section)
        slots += section_slots
    return {"sections": sections, "attachments": slots}


def _raw_question(question: dict) -> tuple[str, dict]:
    kind = question["kind"]
    only_if = question.get("only_if") or ["", ""]
    if kind == DECLARATION:
        return "declaration", {
            "key": question["key"],
            "text": question["label"],
            "required": question.get("required", True),
        }
    value = {
        "key": question["key"],
        "label": question["label"],
        "help": question.get("help", ""),
        "required": question.get("required", False),
        "only_if_key": only_if[0],
        "only_if_value": only_if[1],
    }
    name = KIND_BLOCKS.get(kind, "short_text")
    if name == "short_text":
        value["format"] = kind if kind in dict(SHORT_TEXT_FORMATS) else TEXT
    for field in ("max_length", "min_value", "max_value"):
        if question.get(field) is not None:
            value[field] = question[field]
    if kind in (CHOICE, MULTI):
        value["choices"] = [{"value": v, "label": label} for v, label in question["choices"]]
    if kind == CHOICE:
        value["from_call_themes"] = question.get("from_call_themes", False)
    return name, value


def body_from_definition(definition: dict) -> list[dict]:
    """The body's raw stream data for a definition (the reverse of ``definition_from_body``)."""
    body = []
    for section in definition["sections"]:
        content = []
        if section["kind"] == TEAM:
            content.append({"type": "team_table", "value": {"help": section.get("help", "")}})
        elif section["kind"] == BUDGET:
            content.append({"type": "budget_table", "value": {"help": section.get("help", "")}})
        for question in section["questions"]:
            if question.get("heading"):
                content.append(
                    {
                        "type": "heading",
                        "value": {
                            "title": question["heading"],
                            "help": question.get("heading_help", ""),
                        },
                    }
                )
            name, value = _raw_question(question)
            content.append({"type": name, "value": value})
        for slot in definition["attachments"]:
            if slot["section"] == section["slug"]:
                only_if = slot.get("only_if") or ["", ""]
                value = {
                    **{k: v for k, v in slot.items() if k not in ("section", "only_if")},
                    "only_if_key": only_if[0],
                    "only_if_value": only_if[1],
                    "review_track": slot.get("review_track") or "",
                }
                content.append({"type": "attachment", "value": value})
        body.append(
            {
                "type": "section",
                "value": {
                    "slug": section["slug"],
                    "title": section["title"],
                    "help": "" if section["kind"] in (TEAM, BUDGET) else section.get("help", ""),
                    "review_track": section.get("review_track") or "",
                    "content": content,
                },
            }
        )
    return body
