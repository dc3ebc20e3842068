"""Writing in an application's thread (the applicant's side and staff's) and downloading its
files. The thread itself shows on each side's application page (``thread_panel``).

An applicant reaches only their organisation's applications, staff only the calls they run:
anything else is a 404, as on every page of an application. A refused message (empty, a file
whose content is not what it claims) shows the page again with the error and the text typed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.refusals import Refused
from core.roles import staff_only
from grants.downloads import private_file_response
from grants.models import MessageFile
from grants.permissions import member_application, visible_applications

from ..thread import Side, post_message
from ..thread_forms import MessageForm
from .applicant import render_followup
from .backoffice import render_application, staff_application


def _post(request: HttpRequest, application, side: str) -> MessageForm | None:
    """Post the form's message; the bound form with its errors when refused, else None."""
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            post_message(
                application,
                request.user,
                side,
                form.cleaned_data["text"],
                form.cleaned_data["files"],
            )
        except ValidationError as error:
            form.add_error("files", error)
        except Refused as refused:
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Votre message est envoyé."))
            return None
    first = next((name for name in form.errors if name in form.fields), None)
    if first:  # DSFR's own helper stops at a non-field error
        form.fields[first].widget.attrs["autofocus"] = ""
    return form


@login_required
@require_POST
def applicant_message(request: HttpRequest, pk: int) -> HttpResponse:
    application = member_application(request, pk)
    if application.is_editable:
        messages.error(
            request,
            _("Les messages s'échangent une fois le dossier déposé, avec l'équipe du programme."),
        )
        return redirect("grants:review", application.pk)
    refused = _post(request, application, Side.APPLICANT)
    if refused is not None:
        return render_followup(request, application, message_form=refused, status=400)
    return redirect(reverse("evaluation:followup", args=[application.pk]) + "#messages")


@staff_only
@require_POST
def staff_message(request: HttpRequest, pk: int) -> HttpResponse:
    application = staff_application(request, pk)
    refused = _post(request, application, Side.STAFF)
    if refused is not None:
        return render_application(request, application, message_form=refused)
    url = reverse("evaluation:application", args=[application.pk])
    return redirect(f"{url}?onglet=messages#messages")


@login_required
@require_GET
def message_file(request: HttpRequest, pk: int, file_id: int) -> FileResponse:
    # The organisation's members and the staff of the call: who may read the thread.
    application = get_object_or_404(visible_applications(request.user), pk=pk)
    stored = get_object_or_404(MessageFile, pk=file_id, message__application=application)
    return private_file_response(stored.file, stored.original_name, stored.content_type)
