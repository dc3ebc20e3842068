"""The applicant answers a request for information (demande de compléments).

The answer is written and corrected as often as needed while the request is open: every save
is a new version (text and files), the earlier ones are kept. « Envoyer ma réponse » saves and
sends: the instruction resumes at the stage that asked. Another organisation's request is a
404, as everywhere in the applicant's space.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from dsfr.forms import DsfrBaseForm

from evaluation.information import (
    ANSWER_FORMATS,
    MAX_FILES_PER_ANSWER,
    is_editable,
    save_answer,
    send_answer,
)
from evaluation.models import InformationAnswerFile, InformationRequest
from evaluation.workflow import TransitionRefused

from ..downloads import private_file_response
from ..uploads import accepted_formats_label, inspect_upload
from .applications import member_application


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none was chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class AnswerForm(DsfrBaseForm):
    text = forms.CharField(
        label=gettext_lazy("Votre réponse"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    keep = forms.MultipleChoiceField(
        label=gettext_lazy("Fichiers déjà joints, conservés dans la nouvelle version"),
        help_text=gettext_lazy("Décochez un fichier pour le retirer de votre réponse."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    files = MultipleFileField(label=gettext_lazy("Ajouter des fichiers"), required=False)
    # The version the applicant saw: another member's save in between is not overwritten.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, latest=None, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("version", latest.version if latest else 0)
        if latest is not None:
            kwargs["initial"].setdefault("text", latest.text)
        super().__init__(*args, **kwargs)
        previous = list(latest.files.all()) if latest else []
        if previous:
            self.fields["keep"].choices = [
                (str(f.pk), f"{f.original_name} ({filesizeformat(f.size)})") for f in previous
            ]
            self.initial.setdefault("keep", [str(f.pk) for f in previous])
        else:
            del self.fields["keep"]
        widget = self.fields["files"].widget
        widget.attrs.update(
            {
                "class": "fr-upload",
                "accept": ",".join(f".{kind.value}" for kind in ANSWER_FORMATS),
            }
        )
        widget.group_class = "fr-upload-group"
        self.fields["files"].help_text = _(
            "Formats acceptés : %(formats)s. Taille maximale : %(size)s Mo par fichier, "
            "%(count)d fichiers au plus. Vous pouvez en choisir plusieurs à la fois."
        ) % {
            "formats": accepted_formats_label(ANSWER_FORMATS),
            "size": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
            "count": MAX_FILES_PER_ANSWER,
        }
        # DsfrBaseForm built the bound fields before the changes above: build them again.
        self._bound_fields_cache.clear()

    def clean_files(self) -> list:
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_FILES_PER_ANSWER:
            raise ValidationError(
                _("Joignez au plus %(n)d fichiers à une réponse.") % {"n": MAX_FILES_PER_ANSWER}
            )
        errors = []
        for upload in files:
            try:
                inspect_upload(upload, ANSWER_FORMATS, settings.ATTACHMENT_MAX_BYTES)
            except ValidationError as error:
                for message in error.messages:
                    errors.append(
                        ValidationError(
                            _("« %(name)s » : %(message)s")
                            % {"name": upload.name, "message": message}
                        )
                    )
        if errors:
            raise ValidationError(errors)
        return files


def _member_request(request: HttpRequest, pk: int, request_id: int) -> InformationRequest:
    application = member_application(request, pk)
    info = get_object_or_404(application.information_requests, pk=request_id)
    info.application = application
    return info


@login_required
def answer_information(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    info = _member_request(request, pk, request_id)
    application = info.application
    editable = is_editable(info)
    latest = info.latest_answer()
    here = redirect("grants:information_answer", application.pk, info.pk)
    form = AnswerForm(latest=latest)
    if request.method == "POST":
        if not editable:
            messages.error(
                request,
                _(
                    "Cette demande de compléments est close : la réponse ne peut plus être "
                    "modifiée."
                ),
            )
            return here
        sending = "send" in request.POST
        form = AnswerForm(request.POST, request.FILES, latest=latest)
        if form.is_valid():
            data = form.cleaned_data
            try:
                answer = save_answer(
                    info,
                    request.user,
                    data["text"],
                    data["files"],
                    keep_file_ids=data.get("keep", []),
                    expected_version=data["version"],
                )
                if sending:
                    send_answer(info, request.user)
            except ValidationError as error:
                form.add_error("files", error)
            except TransitionRefused as refused:
                # Shown with the page as it is now; the text typed is kept, not lost.
                for message in refused.messages:
                    messages.error(request, message)
                info = _member_request(request, pk, request_id)
                application, editable = info.application, is_editable(info)
                if not editable:
                    return here
                form = AnswerForm(latest=info.latest_answer(), initial={"text": data["text"]})
            else:
                if sending:
                    messages.success(
                        request,
                        _("Votre réponse a été envoyée. L'instruction de votre dossier reprend."),
                    )
                    return redirect("grants:application", application.pk)
                messages.success(
                    request,
                    _(
                        "Réponse enregistrée (version %(version)d). Elle n'est pas encore "
                        "envoyée : cliquez sur « Envoyer ma réponse » quand elle est complète."
                    )
                    % {"version": answer.version},
                )
                return here
        if form.is_bound:
            form.set_autofocus_on_first_error()

    return render(
        request,
        "grants/information_answer.html",
        {
            "application": application,
            "info": info,
            "editable": editable,
            "form": form,
            "answers": info.answers.select_related("answered_by").prefetch_related("files"),
        },
    )


@login_required
@require_GET
def download_answer_file(
    request: HttpRequest, pk: int, request_id: int, file_id: int
) -> FileResponse:
    info = _member_request(request, pk, request_id)
    stored = get_object_or_404(InformationAnswerFile, pk=file_id, answer__request=info)
    return private_file_response(stored.file, stored.original_name, stored.content_type)
