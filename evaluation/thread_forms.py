"""The form of a new message in an application's thread (evaluation.thread checks the files
by content and stores the message)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm

from grants.uploads import accepted_formats_label

from .forms import MultipleFileField
from .thread import MAX_FILES_PER_MESSAGE, MAX_MESSAGE_CHARS, MESSAGE_FORMATS


class MessageForm(DsfrBaseForm):
    text = forms.CharField(
        label=gettext_lazy("Votre message"),
        max_length=MAX_MESSAGE_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": gettext_lazy("Écrivez votre message avant de l'envoyer.")},
    )
    files = MultipleFileField(label=gettext_lazy("Joindre des fichiers"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "message")
        super().__init__(*args, **kwargs)
        widget = self.fields["files"].widget
        widget.attrs.update(
            {"class": "fr-upload", "accept": ",".join(f".{k.value}" for k in MESSAGE_FORMATS)}
        )
        widget.group_class = "fr-upload-group"
        self.fields["files"].help_text = _(
            "Formats acceptés : %(formats)s. Taille maximale : %(size)s Mo par fichier, "
            "%(count)d fichiers au plus."
        ) % {
            "formats": accepted_formats_label(MESSAGE_FORMATS),
            "size": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
            "count": MAX_FILES_PER_MESSAGE,
        }
        # DsfrBaseForm built the bound fields before the changes above: build them again.
        self._bound_fields_cache.clear()
