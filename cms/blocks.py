"""StreamField blocks for editorial content, rendered with DSFR components."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titre"), required=False)
    text = blocks.RichTextBlock(label=_("texte"), features=["bold", "italic", "link"])

    class Meta:
        icon = "pick"
        label = _("mise en avant")
        template = "cms/blocks/callout.html"


class KeyFigureBlock(blocks.StructBlock):
    figure = blocks.CharBlock(label=_("chiffre"), max_length=30)
    caption = blocks.CharBlock(label=_("légende"), max_length=200)

    class Meta:
        icon = "pick"
        label = _("chiffre clé")


class KeyFiguresBlock(blocks.ListBlock):
    def __init__(self, **kwargs):
        super().__init__(KeyFigureBlock(), **kwargs)

    class Meta:
        icon = "list-ul"
        label = _("chiffres clés")
        template = "cms/blocks/key_figures.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("intertitre"), template="cms/blocks/heading.html", form_classname="title"
    )
    paragraph = blocks.RichTextBlock(
        label=_("paragraphe"),
        features=["h3", "h4", "bold", "italic", "link", "document-link", "ol", "ul"],
        template="cms/blocks/paragraph.html",
    )
    callout = CalloutBlock()
    key_figures = KeyFiguresBlock()
