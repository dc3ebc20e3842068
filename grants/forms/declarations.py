"""The declarations on honour ticked on the confirmation page, and the signatory's role."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from ..services.declarations import Signatory, declaration_id


def field_name(declaration) -> str:
    return f"declaration__{declaration.section}__{declaration.key}"


class DeclarationsForm(DsfrBaseForm):
    role = forms.CharField(
        label=_("Votre fonction dans l'organisation"),
        max_length=120,
        help_text=_("Par exemple : présidente, directeur général. Elle figure sur le récépissé."),
        error_messages={"required": _("Indiquez votre fonction dans l'organisation.")},
    )

    def __init__(self, declarations, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.declarations = declarations
        if not declarations:
            del self.fields["role"]  # nothing to sign: the confirmation box alone
        for declaration in declarations:
            self.fields[field_name(declaration)] = forms.BooleanField(
                label=declaration.text,
                required=declaration.required,
                error_messages={"required": _("Cochez cette déclaration pour déposer.")},
            )

    def signatory(self) -> Signatory:
        ticked = frozenset(
            declaration_id(d) for d in self.declarations if self.cleaned_data.get(field_name(d))
        )
        return Signatory(role=self.cleaned_data.get("role", ""), ticked=ticked)
