"""Programme staff back office: the staff view of one application with its actions
(transitions, stage overrides, the lead officer). The queues are in ``queues``.

Every view is for programme staff (``access.staff_only``). Drafts are never shown (404).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.mfa import sensitive_action
from core.roles import staff_only
from core.vocabulary import TRACK_OF_STAGE
from core.vocabulary import ApplicationStatus as S
from ethics.outcomes import track_outcome
from grants.models import Application
from grants.services.presentation import recap_of, signed_declarations

from .. import hooks, queries
from ..forms import (
    DEDICATED_FLOWS,
    LeadOfficerForm,
    StageOverrideForm,
    TransitionForm,
)
from ..lead_officers import assign_lead_officer
from ..models import HearingInvitation
from ..services import (
    LOG_ENTRY_LABELS,
    TRANSITION_LABELS,
    ConcurrentChange,
    available_transitions,
    fire,
    override_stage,
)
from ..thread import Side
from ..thread_forms import MessageForm
from ..workflow import TransitionRefused
from .information import ask_form_context
from .thread_panel import thread_context

STATUS_BADGES = {
    S.SELECTED: "success",
    S.FUNDED: "success",
    S.INELIGIBLE: "error",
    S.REJECTED: "error",
    S.INFO_REQUESTED: "warning",
    S.WITHDRAWN: "",
}


def _status_label(value: str) -> str:
    try:
        return str(S(value).label)
    except ValueError:
        return value


# -- Queues ---------------------------------------------------------------------------------


def staff_application(request: HttpRequest, pk: int) -> Application:
    """A submitted application of a call the user runs; a 404 for any other."""
    queryset = Application.objects.handled_by(request.user).select_related(
        "call", "organisation", "lead_officer"
    )
    return get_object_or_404(queryset, pk=pk)


def _page_context(application: Application, user) -> dict:
    history = [
        {
            "entry": entry,
            "action": LOG_ENTRY_LABELS.get(entry.transition)
            or hooks.entry_label(entry.transition)
            or entry.transition,
            "source": _status_label(entry.source),
            "target": _status_label(entry.target),
        }
        for entry in application.transition_logs.select_related("actor").order_by("at", "pk")
    ]
    overrides = [
        {"override": o, "stage": _status_label(o.stage)}
        for o in application.stage_overrides.select_related("by").order_by("at", "pk")
    ]
    tracks = [
        {
            "label": required.get_track_display(),
            "outcome": track_outcome(application, required.track),
        }
        for required in application.call.review_tracks.all()
    ]
    checks = application.eligibility_checks or []
    passed, total = queries.eligibility_score(application)
    transitions = available_transitions(application, user)
    can_ask = any(t.name == "request_information" for t in transitions)
    return {
        "application": application,
        "status_badge": STATUS_BADGES.get(application.status, "info"),
        "recap": recap_of(application),
        "signature": signed_declarations(application),
        "attachments": list(application.attachments.all()),
        "checks": checks,
        "checks_passed": passed,
        "checks_total": total,
        "tracks": tracks,
        "overrides": overrides,
        "decisions": application.committee_decisions.select_related(
            "session", "decided_by"
        ).order_by("decided_at", "pk"),
        "history": history,
        # Pages of the apps above the workflow about this application (its convention).
        "extra_links": hooks.staff_links(application, user),
        "information_requests": application.information_requests.select_related("asked_by"),
        "hearing": HearingInvitation.objects.filter(application=application)
        .select_related("slot__session")
        .first(),
        "in_review_stage": application.status in TRACK_OF_STAGE,
        "transitions": [t for t in transitions if t.name not in DEDICATED_FLOWS],
        # A pre-proposal is shortlisted on its call's page (evaluation.views.shortlisting).
        "shortlist_url": reverse("evaluation:shortlist", args=[application.call_id])
        if any(t.name == "shortlist" for t in transitions)
        else "",
        # Asking for information has its own form (evaluation.views.information).
        "information_form": ask_form_context(application)["information_form"] if can_ask else None,
    }


def _fire_from_page(request: HttpRequest, application: Application):
    """Returns a redirect on success, else (application, transition form, refusal)."""
    form = TransitionForm(
        request.POST, transitions=available_transitions(application, request.user)
    )
    if not form.is_valid():
        return application, form, []
    name, comment = form.cleaned_data["transition"], form.cleaned_data["comment"]
    try:
        moved = fire(
            application,
            name,
            request.user,
            expected_status=form.cleaned_data["expected_status"] or None,
            comment=comment,
        )
    except ConcurrentChange as change:
        # Show the application as it is now, with what may be done now; keep the comment.
        fresh = staff_application(request, application.pk)
        form = TransitionForm(
            initial={"comment": comment, "expected_status": fresh.status},
            transitions=available_transitions(fresh, request.user),
        )
        return fresh, form, change.messages
    except TransitionRefused as refusal:
        return application, form, refusal.messages
    messages.success(
        request,
        _("« %(action)s » : le dossier est maintenant « %(status)s ».")
        % {"action": TRANSITION_LABELS.get(name, name), "status": moved.get_status_display()},
    )
    return redirect("evaluation:application", application.pk)


def _override_from_page(request: HttpRequest, application: Application):
    """Returns a redirect on success, else the bound form with its errors."""
    form = StageOverrideForm(request.POST)
    if not form.is_valid():
        return form
    expected = form.cleaned_data["expected_status"]
    if expected and expected != application.status:
        form.add_error(
            None, _("Ce dossier vient d'être modifié par quelqu'un d'autre : rien n'a été fait.")
        )
    elif application.status not in TRACK_OF_STAGE:
        form.add_error(None, _("Une dérogation ne s'accorde qu'à une étape d'expertise."))
    else:
        try:
            override_stage(application, request.user, form.cleaned_data["justification"])
        except TransitionRefused as refusal:
            for message in refusal.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Dérogation enregistrée : le dossier peut quitter l'étape « %(stage)s ».")
                % {"stage": application.get_status_display()},
            )
            return redirect("evaluation:application", application.pk)
    return form


def _lead_from_page(request: HttpRequest, application: Application):
    """Returns a redirect on success, else the bound form with its errors."""
    form = LeadOfficerForm(request.POST, application=application)
    if not form.is_valid():
        return form
    officer = form.cleaned_data["officer"]
    try:
        assign_lead_officer(application, officer, request.user)
    except TransitionRefused as refusal:
        for message in refusal.messages:
            form.add_error(None, message)
        return form
    if officer is None:
        messages.success(request, _("Le dossier n'a plus de chargé de mission référent."))
    else:
        messages.success(
            request,
            _("%(officer)s est le chargé de mission référent du dossier.")
            % {"officer": form.fields["officer"].label_from_instance(officer)},
        )
    return redirect("evaluation:application", application.pk)


@staff_only
@sensitive_action  # transitions, stage overrides, the lead officer
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = staff_application(request, pk)
    transition_form = override_form = lead_form = None
    refusal: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "transition":
            result = _fire_from_page(request, application)
            if isinstance(result, HttpResponse):
                return result
            application, transition_form, refusal = result
        elif action == "override":
            result = _override_from_page(request, application)
            if isinstance(result, HttpResponse):
                return result
            override_form = result
        elif action == "lead":
            result = _lead_from_page(request, application)
            if isinstance(result, HttpResponse):
                return result
            lead_form = result
        else:
            return redirect("evaluation:application", application.pk)

    return render_application(
        request,
        application,
        transition_form=transition_form,
        override_form=override_form,
        lead_form=lead_form,
        refusal=refusal,
    )


def render_application(
    request: HttpRequest,
    application: Application,
    *,
    transition_form: TransitionForm | None = None,
    override_form: StageOverrideForm | None = None,
    lead_form: LeadOfficerForm | None = None,
    message_form: MessageForm | None = None,
    refusal: list[str] | None = None,
) -> HttpResponse:
    """The staff page of the application; the bound forms given show their errors."""
    refusal = refusal or []
    context = _page_context(application, request.user)
    context.update(thread_context(application, request.user, Side.STAFF, message_form))
    context.update(
        transition_form=transition_form
        or TransitionForm(
            initial={"expected_status": application.status}, transitions=context["transitions"]
        ),
        override_form=override_form
        or StageOverrideForm(initial={"expected_status": application.status}),
        lead_form=lead_form or LeadOfficerForm(application=application),
        refusal=refusal,
        has_errors=bool(
            refusal
            or any(form is not None and form.errors for form in (transition_form, override_form))
            or (lead_form is not None and lead_form.errors)
            or (message_form is not None and message_form.errors)
        ),
    )
    tab = "messages" if message_form is not None else request.GET.get("onglet", "")
    context.update(tabs=TABS, active_tab=_tab(tab))
    return render(
        request,
        "evaluation/application.html",
        context,
        status=400 if message_form is not None and message_form.errors else 200,
    )


# The tabs of an application's page; ?onglet= opens one (a link from elsewhere).
TABS = [
    {"key": "dossier", "label": gettext_lazy("Dossier")},
    {"key": "controles", "label": gettext_lazy("Contrôles")},
    {"key": "expertises", "label": gettext_lazy("Expertises et décision")},
    {"key": "historique", "label": gettext_lazy("Historique")},
    {"key": "echanges", "label": gettext_lazy("Compléments")},
    {"key": "messages", "label": gettext_lazy("Messages")},
]


def _tab(requested: str) -> str:
    return requested if any(tab["key"] == requested for tab in TABS) else TABS[0]["key"]
