"""The applicant's side of the workflow: submitting a draft, following the application
through review, withdrawing it. Drafting is grants' (grants.views.applications).

Every view reaches the application through ``member_application``: another organisation's
application is a 404, whatever the URL.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.refusals import Refused
from grants.application_forms import form_of
from grants.forms.declarations import DeclarationsForm
from grants.permissions import may_submit, may_withdraw, member_application
from grants.services.presentation import recap_of, signed_declarations

from .. import hooks
from ..models import HearingInvitation
from ..services import (
    AlreadySubmitted,
    available_transitions,
    submit_application,
    withdraw_application,
)
from ..thread import Side
from ..thread_forms import MessageForm
from .thread_panel import thread_context


@login_required
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """« Déposer le dossier »: a last page says what will be sent and to which relève; the
    person submitting ticks the call's declarations on honour, states their role and confirms
    (all checked here, on the server: a missing tick answers 400 and keeps what was typed)."""
    application = member_application(request, pk)
    if not application.is_editable:
        return redirect("evaluation:followup", application.pk)
    # The organisation's owners decide who submits (grants.permissions): a member they did not
    # allow gets a 403, as the workflow would refuse the transition anyway.
    if not may_submit(request.user, application):
        raise PermissionDenied
    confirm_error = ""
    declarations = DeclarationsForm(
        form_of(application).declarations, request.POST if request.method == "POST" else None
    )
    if request.method == "POST":
        signed = declarations.is_valid()
        if request.POST.get("confirm") != "yes":
            confirm_error = _("Cochez la case pour confirmer le dépôt.")
        elif signed:
            return _submit(request, application, declarations)
    return render(
        request,
        "evaluation/applicant/confirm_submission.html",
        {
            "application": application,
            "next_cutoff": application.call.next_cutoff(),
            "attachments": application.attachments.all(),
            "declarations_form": declarations,
            "confirm_error": confirm_error,
        },
        status=400 if confirm_error or declarations.errors else 200,
    )


def _submit(request: HttpRequest, application, declarations: DeclarationsForm) -> HttpResponse:
    try:
        submit_application(application, request.user, signatory=declarations.signatory())
    except AlreadySubmitted:
        messages.info(request, _("Ce dossier a déjà été déposé."))
    except Refused as refused:
        for message in refused.messages:
            messages.error(request, message)
        return redirect("grants:review", application.pk)
    else:
        messages.success(
            request, _("Votre dossier est déposé. Le récépissé vous a été envoyé par courriel.")
        )
    return redirect("evaluation:followup", application.pk)


@login_required
def followup(request: HttpRequest, pk: int) -> HttpResponse:
    """The submitted application as its applicant follows it: state, history, requests for
    information, messages, receipt; a draft goes to its last page instead."""
    application = member_application(request, pk)
    if application.is_editable:
        return redirect("grants:review", application.pk)
    return render_followup(request, application)


def render_followup(
    request: HttpRequest, application, message_form: MessageForm | None = None, status: int = 200
) -> HttpResponse:
    """The follow-up page; with ``message_form``, the message just refused and its errors."""
    history = application.transition_logs.filter(visible_to_applicant=True).order_by("at")
    return render(
        request,
        "evaluation/applicant/application.html",
        {
            "application": application,
            "history": history,
            "recap": recap_of(application),
            "signature": signed_declarations(application),
            "can_withdraw": any(
                t.name == "withdraw" for t in available_transitions(application, request.user)
            ),
            "decided": application.committee_decisions.exists(),
            "extra_links": hooks.applicant_links(application, request.user),
            "hearing": HearingInvitation.objects.filter(application=application)
            .select_related("slot__session")
            .first(),
            **thread_context(application, request.user, Side.APPLICANT, message_form),
        },
        status=status,
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = member_application(request, pk)
    if not may_withdraw(request.user, application):  # owners only (grants.permissions)
        raise PermissionDenied
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Cochez la case de confirmation pour retirer le dossier."))
        return redirect("evaluation:followup", application.pk)
    try:
        withdraw_application(application, request.user, request.POST.get("comment", "")[:2000])
    except Refused:
        messages.error(request, _("Ce dossier ne peut plus être retiré."))
    else:
        messages.success(request, _("Votre dossier a été retiré."))
    return redirect("evaluation:followup", application.pk)
