"""The blocks programme staff build an application form from, in the Wagtail admin.

A form is a list of sections; a section holds questions (short text, long text with a length
limit, single and multiple choice, yes/no, number, date, amount), declarations on honour,
headings with help, or one of the special parts: the team table, the budget table, attachment
slots. Every question has a stable ``key`` (cited by review grids as ``section.key``), a
``required`` flag and an optional « only if » condition on another answer of its section.

``cms.application_form_definition`` turns the edited body into the plain JSON frozen in a
version, and back.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from core.vocabulary import ReviewTrack

from .application_form_kinds import (
    AMOUNT,
    CHECK,
    CHOICE,
    DATE,
    FILE_KINDS,
    INTEGER,
    MULTI,
    SHORT_TEXT_FORMATS,
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
