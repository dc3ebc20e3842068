"""The applicant answers a request for information (demande de compléments).

The answer is written and corrected as often as needed while the request is open: every save
is a new version (text and files), the earlier ones are kept. « Envoyer ma réponse » saves and
sends: the instruction resumes at the stage that asked. Another organisation's request is a
404, as everywhere in the applicant's space.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from grants.downloads import private_file_response
from grants.permissions import member_application

from ..forms import AnswerForm
from ..information import is_editable, save_answer, send_answer
from ..models import InformationAnswerFile, InformationRequest
from ..workflow import TransitionRefused


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
    here = redirect("evaluation:information_answer", application.pk, info.pk)
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
                    return redirect("evaluation:followup", application.pk)
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
        "evaluation/applicant/information_answer.html",
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
