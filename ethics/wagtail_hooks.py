"""Staff manage review grids in the Wagtail admin (menu « Expertise »): grids with their
criteria inline, and the grid each call uses per track with the call's own settings.

A grid used by a submitted review cannot be edited (admin_forms.ReviewGridForm); the action
« Créer une nouvelle version » copies it (``ReviewGrid.new_version``) and opens the copy.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views.generic.base import BaseOperationView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.log_actions import log
from wagtail.snippets.action_menu import ActionMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, SnippetViewSet, SnippetViewSetGroup

from .admin_forms import GRID_IN_USE, CallGridForm, ReviewGridForm
from .form_checks import call_form_problems
from .models import CallGrid, ReviewGrid


class ReviewGridEditView(EditView):
    def get(self, request, *args, **kwargs):
        if self.object.is_in_use:
            messages.warning(request, GRID_IN_USE)
        return super().get(request, *args, **kwargs)


class NewVersionView(PermissionCheckedMixin, BaseOperationView):
    """POST: copy the grid with its criteria, repoint the calls, open the copy."""

    permission_required = "add"
    edit_url_name = None

    def post(self, request, *args, **kwargs):
        grid = self.object
        successor = ReviewGrid.objects.filter(previous=grid).first()
        if successor is not None:
            messages.warning(
                request,
                _("La version %(version)s de cette grille existe déjà : modifiez-la.")
                % {"version": successor.version},
            )
            return redirect(self.edit_url_name, successor.pk)
        copy = grid.new_version()
        log(instance=copy, action="wagtail.create", user=request.user)
        messages.success(
            request,
            _(
                "Version %(version)s créée : les appels qui utilisaient la version précédente "
                "utilisent désormais celle-ci. Les avis déjà rendus gardent leur version."
            )
            % {"version": copy.version},
        )
        return redirect(self.edit_url_name, copy.pk)


class ReviewGridViewSet(SnippetViewSet):
    model = ReviewGrid
    icon = "list-ul"
    menu_label = _("Grilles d'évaluation")
    list_display = [
        "name",
        "track",
        "version",
        BooleanColumn("is_reference", label=_("référence")),
        BooleanColumn("is_in_use", label=_("utilisée par un avis rendu")),
    ]
    list_filter = ["track", "is_reference"]
    edit_view_class = ReviewGridEditView
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("track"),
            FieldPanel("description"),
            InlinePanel(
                "criteria",
                label=_("Critère"),
                panels=[
                    FieldRowPanel([FieldPanel("code"), FieldPanel("label")]),
                    FieldPanel("guidance"),
                    FieldPanel("evidence"),
                    FieldPanel(
                        "evidence_keys",
                        help_text=_(
                            "Liste JSON de réponses et de pièces citées, par exemple "
                            '["securite.host_name", "piece:hds_certificate"].'
                        ),
                    ),
                    FieldRowPanel(
                        [
                            FieldPanel("weight"),
                            FieldPanel("scale"),
                            FieldPanel("allows_not_applicable"),
                            FieldPanel("blocking"),
                        ]
                    ),
                ],
            ),
        ],
        base_form_class=ReviewGridForm,
    )

    @property
    def new_version_view(self):
        return self.construct_view(NewVersionView, edit_url_name=self.get_url_name("edit"))

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("new-version/<int:pk>/", self.new_version_view, name="new_version")
        ]


class CallGridViewSet(SnippetViewSet):
    model = CallGrid
    icon = "table"
    menu_label = _("Grilles des appels")
    list_display = ["call", "grid", "reviewers_per_application", BooleanColumn("blind")]
    edit_handler = ObjectList(
        [
            FieldPanel("call"),
            FieldPanel("grid"),
            FieldPanel(
                "weights",
                help_text=_(
                    'Pondérations propres à l\'appel, par code de critère : {"E1": 2, "S3": 3}. '
                    "Laissez {} pour garder celles de la grille."
                ),
            ),
            FieldRowPanel(
                [FieldPanel("reviewers_per_application"), FieldPanel("disagreement_threshold")]
            ),
            FieldRowPanel([FieldPanel("blind"), FieldPanel("show_other_reviews")]),
        ],
        base_form_class=CallGridForm,
    )


class ReviewViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Expertise")
    menu_icon = "list-ul"
    menu_order = 250
    items = (ReviewGridViewSet, CallGridViewSet)


register_snippet(ReviewViewSetGroup)


class NewVersionMenuItem(ActionMenuItem):
    """Posts the edit form to the new-version view: a button, not a link (it creates)."""

    name = "action-new-version"
    label = _("Créer une nouvelle version")
    icon_name = "copy"

    def is_shown(self, context):
        grid = context.get("instance")
        return (
            context.get("view") == "edit"
            and isinstance(grid, ReviewGrid)
            and context["request"].user.has_perm("ethics.add_reviewgrid")
            and not ReviewGrid.objects.filter(previous=grid).exists()
        )

    def render_html(self, parent_context):
        url_name = ReviewGrid.snippet_viewset.get_url_name("new_version")
        url = reverse(url_name, args=[parent_context["instance"].pk])
        return format_html(
            '<button type="submit" class="button" formaction="{}" formnovalidate>{}</button>',
            url,
            self.label,
        )


@hooks.register("register_snippet_action_menu_item")
def new_version_menu_item(model):
    return NewVersionMenuItem(order=50) if model is ReviewGrid else None


@hooks.register("construct_snippet_action_menu")
def new_version_first_when_in_use(menu_items, request, context):
    """A grid in use cannot be saved: creating a new version becomes the main action."""
    grid = context.get("instance")
    if not isinstance(grid, ReviewGrid) or not grid.is_in_use:
        return
    for item in list(menu_items):
        if isinstance(item, NewVersionMenuItem):
            menu_items.remove(item)
            menu_items.insert(0, item)


# The grids a call uses cite answers of its form: the cms asks before a form or a call's
# choice of form changes (cms.admin_forms.CHECK_HOOK).
hooks.register("check_application_form", call_form_problems)
