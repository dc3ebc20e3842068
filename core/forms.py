"""Form fields shared by the staff pages of several apps."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class IdListField(forms.Field):
    """The ids of the ticked checkboxes, as a sorted list of distinct integers."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Cochez au moins un dossier."),
        "invalid": _("Sélection invalide."),
    }

    def to_python(self, value) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        try:
            return sorted({int(v) for v in values})
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
