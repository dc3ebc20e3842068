"""Admin form of application forms: the definition's rules and the checks other apps hook in.

Apps above cms (review grids cite question keys) check a definition against what they hold
through the ``check_application_form`` Wagtail hook: ``fn(call, definition) -> [messages]``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm

from .application_form_definition import definition_from_body
from .application_form_rules import definition_problems

CHECK_HOOK = "check_application_form"


def hooked_problems(call, definition: dict) -> list[str]:
    """What the apps above say about ``call`` answering ``definition`` (e.g. a review grid
    citing a question the form no longer has)."""
    problems = []
    for check in hooks.get_hooks(CHECK_HOOK):
        problems += check(call, definition)
    return problems


class ApplicationFormAdminForm(WagtailAdminModelForm):
    def clean(self) -> dict:
        cleaned = super().clean()
        body = cleaned.get("body")
        if body is None:
            return cleaned
        definition = definition_from_body(body)
        problems = definition_problems(definition)
        if not problems and self.instance.pk:
            for call in self.instance.calls.all():
                problems += [
                    _("Appel « %(call)s » : %(problem)s") % {"call": call.title, "problem": p}
                    for p in hooked_problems(call, definition)
                ]
        for problem in problems:
            self.add_error(None, problem)
        return cleaned
