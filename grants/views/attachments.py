"""Attachments: uploaded one at a time when chosen, stored privately, served after a check."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..application_forms import form_of
from ..downloads import private_file_response
from ..forms.attachments import AttachmentForm
from ..models import Attachment
from ..permissions import member_application, visible_applications
from ..services.completeness import required_slots
from .applications import stepper_context


@login_required
def attachments(request: HttpRequest, pk: int) -> HttpResponse:
    application = member_application(request, pk)
    form = AttachmentForm(application=application)
    if request.method == "POST":
        if not application.is_editable:
            messages.error(request, _("Ce dossier a été déposé : il ne peut plus être modifié."))
            return redirect("evaluation:followup", application.pk)
        form = AttachmentForm(request.POST, request.FILES, application=application)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            attachment = Attachment.objects.create(
                application=application,
                slot=form.cleaned_data["slot"],
                file=upload,
                original_name=upload.name[:255],
                content_type=form.inspected.content_type,
                size=form.inspected.size,
                sha256=form.inspected.sha256,
                uploaded_by=request.user,
            )
            if request.headers.get("X-Requested-With") == "fetch":
                return JsonResponse({"id": attachment.pk, "name": attachment.original_name})
            messages.success(
                request,
                _("« %(name)s » est joint au dossier.") % {"name": attachment.original_name},
            )
            return redirect("grants:attachments", application.pk)
        if request.headers.get("X-Requested-With") == "fetch":
            return JsonResponse({"errors": [str(e) for e in form.errors.values()]}, status=400)

    spec = form_of(application)
    uploaded = list(application.attachments.all())
    required = {slot.key for slot in required_slots(application)}
    slots = [
        {
            "slot": slot,
            "required": slot.key in required,
            "max_mb": (slot.max_bytes or settings.ATTACHMENT_MAX_BYTES) // (1024 * 1024),
            "files": [a for a in uploaded if a.slot == slot.key],
        }
        for slot in spec.attachment_slots
    ]
    section = spec.attachments_section
    if section is None:
        raise Http404
    context = {
        **stepper_context(application, section.slug),
        "section": section,
        "slots": slots,
        "form": form,
        "max_file_mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
        "max_total_mb": settings.APPLICATION_MAX_BYTES // (1024 * 1024),
    }
    return render(request, "grants/sections/attachments.html", context)


def _member_attachment(request: HttpRequest, pk: int, attachment_id: int) -> Attachment:
    application = member_application(request, pk)
    return get_object_or_404(application.attachments, pk=attachment_id)


@login_required
def download_attachment(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    # Members of the organisation, and staff allowed to see submitted applications.
    application = get_object_or_404(visible_applications(request.user), pk=pk)
    attachment = get_object_or_404(application.attachments, pk=attachment_id)
    return private_file_response(attachment.file, attachment.original_name, attachment.content_type)


@login_required
@require_POST
def delete_attachment(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    attachment = _member_attachment(request, pk, attachment_id)
    if not attachment.application.is_editable:
        messages.error(request, _("Les pièces d'un dossier déposé ne peuvent être supprimées."))
    else:
        name = attachment.original_name
        attachment.file.delete(save=False)
        attachment.delete()
        messages.success(request, _("« %(name)s » a été retiré du dossier.") % {"name": name})
    return redirect("grants:attachments", attachment.application_id)
