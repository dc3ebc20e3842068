"""The applicant's hearing: the invitation (date, place or video link), to confirm or to ask
for another slot with a reason. Reached through ``member_application``: another
organisation's application is a 404, whatever the URL; so is an application not invited."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from grants.permissions import member_application

from .. import hearings
from ..hearing_forms import AnswerForm
from ..models import HearingInvitation
from ..workflow import TransitionRefused


@login_required
def hearing_answer(request: HttpRequest, pk: int) -> HttpResponse:
    application = member_application(request, pk)
    invitation = (
        HearingInvitation.objects.select_related("slot__session")
        .filter(application=application)
        .first()
    )
    if invitation is None:
        raise Http404
    invitation.application = application
    form = AnswerForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                hearings.confirm(invitation, request.user)
                messages.success(request, _("Votre présence à l'audition est confirmée. Merci !"))
                return redirect("evaluation:hearing_answer", application.pk)
            if action == "change":
                form = AnswerForm(request.POST)
                if form.is_valid():
                    hearings.request_change(invitation, request.user, form.cleaned_data["reason"])
                    messages.success(
                        request,
                        _("Votre demande est transmise : un autre créneau vous sera proposé."),
                    )
                    return redirect("evaluation:hearing_answer", application.pk)
        except TransitionRefused as refused:
            for message in refused.messages:
                form.add_error(None, message)
    return render(
        request,
        "evaluation/applicant/hearing.html",
        {
            "application": application,
            "invitation": invitation,
            "slot": invitation.slot,
            "session": invitation.slot.session,
            "open": invitation.slot.starts_at > timezone.now(),
            "form": form,
        },
        status=400 if form.errors else 200,
    )
