"""Back office: what the committee reads before deciding, per application of a session.

A member first declares whether they have a conflict of interest with the application; with
none declared the file opens: the application as frozen at submission, its attachments, the
experts' reviews (experts numbered, not named, when the call's review is blind), the hearing
when there was one (its slot, the team's attendance, each jury member's notes and scores on
the hearing grid) and the evaluation report. A conflicted member reads nothing of it. Staff of
the call read every file of the session without declaring. To anyone else the session and its
files do not exist.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm

from core.vocabulary import ReviewTrack
from ethics.report import render_report, report_context
from grants.downloads import private_file_response
from grants.services.presentation import recap_of, signed_declarations

from ..committee import (
    declare_interests,
    file_access,
    held_applications,
    may_read_file,
    reviews_are_blind,
    runs_session,
    sits_on,
)
from ..models import CommitteeSession, HearingInvitation
from ..workflow import TransitionRefused


class InterestsForm(DsfrBaseForm):
    """A member's declaration of interests on one application."""

    conflicted = forms.TypedChoiceField(
        label=gettext_lazy("Avez-vous un lien d'intérêts avec ce dossier ?"),
        choices=[
            ("no", gettext_lazy("Non, je n'ai aucun lien avec le porteur ni avec le projet")),
            ("yes", gettext_lazy("Oui, j'ai un lien : je ne prends pas part à la décision")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Nature du lien (si oui)"),
        help_text=gettext_lazy(
            "Par exemple : ancien employeur, participation au capital, parent au sein de "
            "l'équipe, concurrent direct."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


def _session_and_application(request: HttpRequest, pk: int, application_pk: int):
    session = get_object_or_404(CommitteeSession.objects.select_related("call"), pk=pk)
    if not (runs_session(session, request.user) or sits_on(session, request.user)):
        raise PermissionDenied
    application = get_object_or_404(
        held_applications(session).select_related("call", "organisation"), pk=application_pk
    )
    return session, application


def _readable(request: HttpRequest, pk: int, application_pk: int):
    session, application = _session_and_application(request, pk, application_pk)
    if not may_read_file(session, application, request.user):
        raise PermissionDenied
    return session, application


@login_required
def committee_file(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    session, application = _session_and_application(request, pk, application_pk)
    user = request.user
    here = reverse("evaluation:committee_file", args=[session.pk, application.pk])
    form = None
    if request.method == "POST":
        form = InterestsForm(request.POST)
        if form.is_valid():
            try:
                declared = declare_interests(
                    session,
                    application,
                    user,
                    form.cleaned_data["conflicted"],
                    form.cleaned_data["reason"],
                )
            except TransitionRefused as refused:
                for message in refused.messages:
                    form.add_error(None, message)
            else:
                if declared.conflicted:
                    messages.info(
                        request,
                        _(
                            "Conflit d'intérêts enregistré : vous ne prenez pas part à la "
                            "décision sur le dossier %(reference)s."
                        )
                        % {"reference": application.reference},
                    )
                    return redirect("evaluation:committee_session", session.pk)
                return redirect(here)

    readable, declared = file_access(session, application, user)
    if not readable:
        conflicted = declared is not None and declared.conflicted
        return render(
            request,
            "evaluation/committee_declaration.html",
            {
                "session": session,
                "application": application,
                "declared": declared,
                "form": None if conflicted else form or InterestsForm(),
            },
            status=403 if conflicted else 200,
        )

    blind = reviews_are_blind(application)
    report = report_context(application, anonymised=blind)
    # The hearing has its own section; the experts' tracks stay under « Expertises ».
    hearing = [t for t in report["tracks"] if t.summary.track == ReviewTrack.HEARING]
    return render(
        request,
        "evaluation/committee_file.html",
        {
            "session": session,
            "application": application,
            "declared": declared,
            "recap": recap_of(application),
            "signature": signed_declarations(application),
            "attachments": list(application.attachments.all()),
            "report": report,
            "review_tracks": [t for t in report["tracks"] if t not in hearing],
            "hearing_tracks": hearing,
            "hearing": HearingInvitation.objects.filter(application=application)
            .select_related("slot__session")
            .first(),
            "blind": blind,
            "decisions": session.decisions.filter(application=application)
            .select_related("decided_by")
            .prefetch_related("excluded_members"),
        },
    )


@login_required
def committee_attachment(
    request: HttpRequest, pk: int, application_pk: int, attachment_pk: int
) -> FileResponse:
    _session, application = _readable(request, pk, application_pk)
    attachment = get_object_or_404(application.attachments, pk=attachment_pk)
    return private_file_response(attachment.file, attachment.original_name, attachment.content_type)


@login_required
def committee_report(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    _session, application = _readable(request, pk, application_pk)
    blind = reviews_are_blind(application)
    response = HttpResponse(render_report(application, blind), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="rapport-expertise-{application.reference}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
