"""Uploading one file into one slot of the application, checked by content."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Sum
from django.utils.translation import gettext as _
from dsfr.forms import DsfrBaseForm

from ..application_forms import form_of
from ..uploads import FileKind, InspectedFile, inspect_upload


class AttachmentForm(DsfrBaseForm):
    """One file for one slot of the application's form, of a kind and size the slot accepts."""

    slot = forms.ChoiceField()
    file = forms.FileField(label=_("Fichier"))

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.slots = form_of(application).slots_by_key
        self.fields["slot"].choices = [(key, slot.label) for key, slot in self.slots.items()]
        self.inspected: InspectedFile | None = None

    def clean(self) -> dict:
        cleaned = super().clean()
        slot_key, uploaded = cleaned.get("slot"), cleaned.get("file")
        if not slot_key or not uploaded:
            return cleaned
        slot = self.slots[slot_key]
        self.inspected = inspect_upload(
            uploaded,
            [FileKind(f) for f in slot.formats],
            min(slot.max_bytes or settings.ATTACHMENT_MAX_BYTES, settings.ATTACHMENT_MAX_BYTES),
        )
        used = self.application.attachments.aggregate(total=Sum("size"))["total"] or 0
        if used + self.inspected.size > settings.APPLICATION_MAX_BYTES:
            raise forms.ValidationError(
                _("Les pièces du dossier dépasseraient %(limit)s Mo au total.")
                % {"limit": settings.APPLICATION_MAX_BYTES // (1024 * 1024)}
            )
        if not slot.multiple and self.application.attachments.filter(slot=slot.key).exists():
            raise forms.ValidationError(
                _("Une pièce est déjà jointe pour « %(slot)s » : supprimez-la d'abord.")
                % {"slot": slot.label}
            )
        return cleaned
