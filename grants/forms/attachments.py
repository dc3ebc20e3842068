"""Uploading one file into one slot of the application, checked by content."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Sum
from django.utils.translation import gettext as _
from dsfr.forms import DsfrBaseForm

from ..questions import ATTACHMENT_SLOTS, ATTACHMENT_SLOTS_BY_KEY
from ..uploads import FileKind, InspectedFile, inspect_upload


class AttachmentForm(DsfrBaseForm):
    slot = forms.ChoiceField(choices=[(s.key, s.label) for s in ATTACHMENT_SLOTS])
    file = forms.FileField(label=_("Fichier"))

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.inspected: InspectedFile | None = None

    def clean(self) -> dict:
        cleaned = super().clean()
        slot_key, uploaded = cleaned.get("slot"), cleaned.get("file")
        if not slot_key or not uploaded:
            return cleaned
        slot = ATTACHMENT_SLOTS_BY_KEY[slot_key]
        self.inspected = inspect_upload(
            uploaded, [FileKind(f) for f in slot.formats], settings.ATTACHMENT_MAX_BYTES
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
