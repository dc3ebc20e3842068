"""Staff edit each call's funding terms in the Wagtail admin (menu « Conditions de
financement »): the convention's template with its placeholders, the payment schedule, the
share paid as a repayable advance and the indicators beneficiaries report on."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import FundingTerms
from .placeholders import PLACEHOLDERS

PLACEHOLDER_HELP = format_html(
    "<p>{}</p><ul>{}</ul>",
    _("Champs disponibles dans le modèle de convention :"),
    format_html_join(
        "", "<li><code>{{{{ {} }}}}</code> : {}</li>", ((k, v) for k, v in PLACEHOLDERS.items())
    ),
)


class FundingTermsViewSet(SnippetViewSet):
    model = FundingTerms
    icon = "doc-full"
    menu_label = _("Conditions de financement")
    menu_name = "funding_terms"
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["call", "grant_percent", "progress_reports"]
    edit_handler = ObjectList(
        [
            FieldPanel("call"),
            HelpPanel(content=PLACEHOLDER_HELP),
            FieldPanel("agreement_template"),
            FieldRowPanel(
                [
                    FieldPanel("grant_percent"),
                    FieldPanel("advance_payment_percent"),
                    FieldPanel("balance_percent"),
                ]
            ),
            FieldRowPanel(
                [
                    FieldPanel("progress_reports"),
                    FieldPanel("final_report_months"),
                    FieldPanel("reminder_days"),
                ]
            ),
            FieldRowPanel(
                [FieldPanel("repayment_instalments"), FieldPanel("repayment_starts_months")]
            ),
            InlinePanel("indicators", label=_("Indicateur")),
        ]
    )


register_snippet(FundingTermsViewSet)
