"""Back office: justified extensions of the submission deadline, one draft at a time.

Drafts are never listed to staff; an applicant asks for an extension, staff type the draft's
reference (shown on the applicant's pages), the new deadline and the reason.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm

from cms.models import CallPage
from core.formatting import paris_instant
from core.mfa import sensitive_action
from core.roles import staff_only
from grants.models import Application

from ..extensions import extendable_by, grant_extension
from ..models import TransitionLog
from ..workflow import TransitionRefused

REFERENCE = re.compile(r"^\s*(?:RUCHE-\d{4}-)?0*(\d{1,9})\s*$", re.IGNORECASE)


class ExtensionForm(DsfrBaseForm):
    reference = forms.CharField(
        label=gettext_lazy("Référence du brouillon"),
        help_text=gettext_lazy("Par exemple RUCHE-2026-000042, telle que le candidat la voit."),
        max_length=30,
    )
    until = forms.DateTimeField(
        label=gettext_lazy("Nouvelle échéance (heure de Paris)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = forms.CharField(
        label=gettext_lazy("Motif de la prolongation"),
        help_text=gettext_lazy("Inscrit au journal du dossier et visible du candidat."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_reference(self) -> Application:
        match = REFERENCE.match(self.cleaned_data["reference"])
        application = (
            extendable_by(self.user).filter(pk=int(match[1])).select_related("call").first()
            if match
            else None
        )
        if application is None:
            raise forms.ValidationError(
                _("Aucun brouillon des appels que vous suivez n'a cette référence.")
            )
        return application


@staff_only
@sensitive_action  # grants a deadline extension
def extensions(request: HttpRequest) -> HttpResponse:
    form = ExtensionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        application = form.cleaned_data["reference"]
        try:
            grant_extension(
                application, request.user, form.cleaned_data["until"], form.cleaned_data["reason"]
            )
        except TransitionRefused as refused:
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Le brouillon %(reference)s peut être déposé jusqu'au %(until)s.")
                % {
                    "reference": application.reference,
                    "until": paris_instant(form.cleaned_data["until"]),
                },
            )
            return redirect("evaluation:extensions")
    extended = (
        Application.objects.filter(
            extended_until__isnull=False,
            call__in=CallPage.objects.run_by(request.user).values("pk"),
        )
        .select_related("call", "organisation")
        .order_by("-extended_until")
    )
    reasons = {
        log.application_id: log
        for log in TransitionLog.objects.filter(
            application__in=extended, transition=TransitionLog.DEADLINE_EXTENSION
        )
        .select_related("actor")
        .order_by("seq")
    }
    rows = [{"application": a, "log": reasons.get(a.pk)} for a in extended]
    return render(
        request,
        "evaluation/extensions.html",
        {"form": form, "rows": rows, "has_errors": bool(form.errors)},
    )
