"""Back office: requests for information (demandes de compléments), under /gestion/complements/.

Staff (``access.staff_only``) ask the applicant a question from the staff page of an
application, read every version of the answer and download its files. Anyone else gets a 403.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from dsfr.forms import DsfrBaseForm

from core.mfa import sensitive_action
from core.roles import staff_only
from grants.downloads import private_file_response
from grants.models import Application

from ..extensions import extend_information_request
from ..information import ask, is_editable
from ..models import InformationAnswerFile, InformationRequest
from ..workflow import INFORMATION_SOURCES, TransitionRefused


class InformationRequestForm(DsfrBaseForm):
    question = forms.CharField(
        label=gettext_lazy("Question posée au candidat"),
        help_text=gettext_lazy(
            "Elle est envoyée par courriel aux membres de l'organisation et figure dans "
            "l'historique du dossier."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": gettext_lazy("Écrivez la question posée au candidat.")},
    )
    due_on = forms.DateField(
        label=gettext_lazy("Réponse attendue au plus tard le (facultatif)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": gettext_lazy("Saisissez une date valide, par exemple 15/03/2026.")
        },
    )
    # The state the staff member saw: if it changed since, nothing is done.
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_question(self) -> str:
        question = self.cleaned_data["question"].strip()
        if not question:
            raise forms.ValidationError(gettext_lazy("Écrivez la question posée au candidat."))
        return question

    def clean_due_on(self):
        due_on = self.cleaned_data.get("due_on")
        if due_on and due_on < timezone.localdate():
            raise forms.ValidationError(
                gettext_lazy("La date limite de réponse ne peut pas être passée.")
            )
        return due_on


class ResponseExtensionForm(DsfrBaseForm):
    until = forms.DateField(
        label=gettext_lazy("Nouvelle date limite de réponse"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": gettext_lazy("Saisissez une date valide, par exemple 15/03/2026.")
        },
    )
    reason = forms.CharField(
        label=gettext_lazy("Motif de la prolongation"),
        help_text=gettext_lazy("Inscrit au journal du dossier."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": gettext_lazy("Le motif de la prolongation est obligatoire.")},
    )


def application_url(application_id: int) -> str:
    return reverse("evaluation:application", args=[application_id])


def ask_form_context(application: Application, form: InformationRequestForm | None = None):
    """What the include « evaluation/includes/information_ask_form.html » needs, for the staff
    page of an application: the form, or None when the current stage cannot ask."""
    if application.status not in INFORMATION_SOURCES:
        return {"information_form": None, "application": application}
    form = form or InformationRequestForm(initial={"expected_status": application.status})
    return {"information_form": form, "application": application}


@staff_only
def ask_information(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask the applicant a question. A valid POST redirects to the staff page of the
    application; an invalid one shows the form again with its errors (nothing is changed)."""
    application = get_object_or_404(
        Application.objects.handled_by(request.user).select_related("call", "organisation"),
        pk=pk,
    )
    form = InformationRequestForm(
        request.POST if request.method == "POST" else None,
        initial={"expected_status": application.status},
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                ask(
                    application,
                    request.user,
                    form.cleaned_data["question"],
                    form.cleaned_data["due_on"],
                    expected_status=form.cleaned_data["expected_status"] or application.status,
                )
            except TransitionRefused as refused:
                for message in refused.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    _(
                        "La demande de compléments est envoyée au candidat ; le dossier attend "
                        "sa réponse."
                    ),
                )
            return redirect(application_url(application.pk))
        messages.error(request, _("La demande n'a pas été envoyée : corrigez le formulaire."))
        form.set_autofocus_on_first_error()
    context = {
        **ask_form_context(application, form),
        "application_url": application_url(application.pk),
    }
    return render(request, "evaluation/information_ask.html", context)


@staff_only
@sensitive_action  # extends the applicant's time to answer
def information_request(request: HttpRequest, request_id: int) -> HttpResponse:
    """The question, its context and every version of the answer, newest first; while it
    waits, a justified extension of its due date."""
    info = get_object_or_404(
        InformationRequest.objects.select_related(
            "application__call", "application__organisation", "asked_by"
        ).filter(application__in=Application.objects.handled_by(request.user)),
        pk=request_id,
    )
    extension_form = ResponseExtensionForm(request.POST or None)
    if request.method == "POST" and extension_form.is_valid():
        try:
            extend_information_request(
                info,
                request.user,
                extension_form.cleaned_data["until"],
                extension_form.cleaned_data["reason"],
            )
        except TransitionRefused as refused:
            for message in refused.messages:
                extension_form.add_error(None, message)
        else:
            messages.success(request, _("Le délai de réponse est prolongé."))
            return redirect("evaluation:information_request", request_id=info.pk)
    answers = info.answers.select_related("answered_by").prefetch_related("files")
    return render(
        request,
        "evaluation/information_request.html",
        {
            "info": info,
            "application": info.application,
            "answers": answers,
            "open": is_editable(info),
            "overdue": info.is_overdue(),
            "extension_form": extension_form,
            "application_url": application_url(info.application_id),
        },
    )


@staff_only
@require_GET
def download_file(request: HttpRequest, request_id: int, file_id: int) -> FileResponse:
    stored = get_object_or_404(
        InformationAnswerFile.objects.filter(
            answer__request__application__in=Application.objects.handled_by(request.user)
        ),
        pk=file_id,
        answer__request_id=request_id,
    )
    return private_file_response(stored.file, stored.original_name, stored.content_type)
