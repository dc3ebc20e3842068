"""Programme staff build application forms in the Wagtail admin (menu « Formulaires de
candidature »): sections of questions, tables, attachment slots and declarations on honour.
Saving a form used by a submitted application makes a new version (ApplicationForm.publish)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_forms import ApplicationFormAdminForm
from .models import ApplicationForm


class ApplicationFormViewSet(SnippetViewSet):
    model = ApplicationForm
    icon = "form"
    menu_label = _("Formulaires de candidature")
    menu_order = 240
    add_to_admin_menu = True
    list_display = [
        "name",
        Column("version_count", label=_("versions")),
        BooleanColumn("is_reference", label=_("référence")),
        "updated_at",
    ]
    edit_handler = ObjectList(
        [FieldPanel("name"), FieldPanel("description"), FieldPanel("body")],
        base_form_class=ApplicationFormAdminForm,
    )


register_snippet(ApplicationFormViewSet)
