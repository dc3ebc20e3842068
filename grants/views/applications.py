"""The applicant's application: start or resume, edit each section, submit, receipt, withdraw.

Every view reaches the application through ``member_application``: another organisation's
application is a 404, whatever the URL.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.models import CallPage
from evaluation.workflow import TransitionRefused

from .. import questions as q
from ..forms.editors import editor_for, rejected_input
from ..models import Application
from ..receipts import render_receipt
from ..services.completeness import missing_items
from ..services.drafts import save_section, start_or_resume
from ..services.presentation import answers_for_display
from ..services.submission import AlreadySubmitted, submit_application, withdraw_application


def member_application(request: HttpRequest, pk: int) -> Application:
    queryset = Application.objects.of_user(request.user).select_related("call", "organisation")
    return get_object_or_404(queryset, pk=pk)


def section_url(application: Application, slug: str) -> str:
    if q.SECTIONS_BY_SLUG[slug].kind == "attachments":
        return reverse("grants:attachments", args=[application.pk])
    return reverse("grants:section", args=[application.pk, slug])


def _step_index(current: str) -> int:
    """Position of a page among the steps; the final "check and submit" page comes last."""
    slugs = [s.slug for s in q.SECTIONS]
    return slugs.index(current) if current in slugs else len(slugs)


def _next_section(current: str) -> q.Section | None:
    index = _step_index(current) + 1
    return q.SECTIONS[index] if index < len(q.SECTIONS) else None


def stepper_context(application: Application, current: str, missing: list | None = None) -> dict:
    """The stepper's context; ``missing`` spares recomputing ``missing_items`` if known."""
    following = _next_section(current)
    if missing is None:
        missing = missing_items(application)
    return {
        "application": application,
        "sections": [
            {"slug": s.slug, "title": s.title, "url": section_url(application, s.slug)}
            for s in q.SECTIONS
        ],
        "step_number": _step_index(current) + 1,
        # The sections plus the final "check and submit" step.
        "step_count": len(q.SECTIONS) + 1,
        "current_slug": current,
        "next_section": following,
        "next_url": section_url(application, following.slug) if following else None,
        "missing_count": len(missing),
    }


@login_required
@require_POST
def start_application(request: HttpRequest, call_id: int) -> HttpResponse:
    call = get_object_or_404(CallPage.objects.live(), pk=call_id)
    organisations = list(request.user.organisations.all())
    if not organisations:
        messages.info(request, _("Déclarez d'abord l'organisation qui porte le projet."))
        return redirect(f"{reverse('grants:organisation_create')}?next={call.url}")
    chosen = request.POST.get("organisation")
    organisation = next((o for o in organisations if str(o.pk) == chosen), organisations[0])
    try:
        application, created = start_or_resume(call, organisation, request.user)
    except TransitionRefused as refused:
        for message in refused.messages:
            messages.error(request, message)
        return redirect(call.url)
    if not created:
        messages.info(request, _("Vous reprenez le brouillon de votre organisation."))
    return redirect("grants:section", application.pk, q.SECTIONS[0].slug)


@login_required
def edit_section(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    application = member_application(request, pk)
    section = q.SECTIONS_BY_SLUG.get(slug)
    if section is None:
        raise Http404
    if section.kind == "attachments":
        return redirect("grants:attachments", application.pk)
    if not application.is_editable:
        messages.info(request, _("Ce dossier a été déposé : il ne peut plus être modifié."))
        return redirect("grants:application", application.pk)

    autosave = request.headers.get("X-Autosave") == "1"
    if request.method != "POST":
        editor = editor_for(section, application, add_row=request.GET.get("ajouter", ""))
        context = {**stepper_context(application, slug), **editor.context(), "section": section}
        return render(request, editor.template, context)

    editor = editor_for(section, application, request.POST)
    errors = editor.errors()
    try:
        application = save_section(
            application,
            slug,
            editor.answers(),
            rejected=rejected_input(request.POST) if errors else None,
        )
    except TransitionRefused as refused:
        if autosave:
            return JsonResponse({"error": refused.messages[0]}, status=409)
        messages.error(request, refused.messages[0])
        return redirect("grants:application", application.pk)
    if autosave:
        return JsonResponse(
            {
                "saved_at": timezone.localtime(application.updated_at).isoformat(),
                "errors": {k: [str(m) for m in v] for k, v in errors.items()},
            }
        )
    here = reverse("grants:section", args=[application.pk, slug])
    if "add_row" in request.POST:
        # Without JavaScript, « Ajouter une ligne » saves, then shows one more empty row.
        prefix = request.POST["add_row"]
        return redirect(f"{here}?{urlencode({'ajouter': prefix})}#{prefix}")
    if errors:
        messages.warning(
            request, _("Brouillon enregistré, sauf les champs signalés en erreur : corrigez-les.")
        )
        return redirect(here)
    messages.success(request, _("Brouillon enregistré."))
    if "continue" in request.POST:
        following = _next_section(slug)
        if following is None:
            return redirect("grants:submit", application.pk)
        return redirect(section_url(application, following.slug))
    return redirect(here)


@login_required
def review_and_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = member_application(request, pk)
    if not application.is_editable:
        return redirect("grants:application", application.pk)
    if request.method == "POST":
        try:
            submit_application(application, request.user)
        except AlreadySubmitted:
            messages.info(request, _("Ce dossier a déjà été déposé."))
        except TransitionRefused as refused:
            for message in refused.messages:
                messages.error(request, message)
            return redirect("grants:submit", application.pk)
        else:
            messages.success(
                request, _("Votre dossier est déposé. Le récépissé vous a été envoyé par courriel.")
            )
        return redirect("grants:application", application.pk)

    missing = missing_items(application)
    context = {
        **stepper_context(application, "review", missing),
        "missing": [
            {
                "message": item.message,
                "url": f"{section_url(application, item.section)}#{item.anchor}",
            }
            for item in missing
        ],
        "call_open": application.call.is_open(),
        "recap": answers_for_display(application.answers),
    }
    return render(request, "grants/application_review.html", context)


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = member_application(request, pk)
    if application.is_editable:
        return redirect("grants:submit", application.pk)
    history = application.transition_logs.filter(visible_to_applicant=True).order_by("at")
    return render(
        request,
        "grants/application_detail.html",
        {
            "application": application,
            "history": history,
            "recap": answers_for_display(application.snapshot["answers"]),
            "can_withdraw": any(
                t.name == "withdraw" for t in application.get_available_status_transitions()
            ),
        },
    )


@login_required
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    application = member_application(request, pk)
    if not application.snapshot:
        raise Http404
    response = HttpResponse(render_receipt(application), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="recepisse-{application.reference}.pdf"'
    )
    return response


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = member_application(request, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Cochez la case de confirmation pour retirer le dossier."))
        return redirect("grants:application", application.pk)
    try:
        withdraw_application(application, request.user, request.POST.get("comment", "")[:2000])
    except TransitionRefused:
        messages.error(request, _("Ce dossier ne peut plus être retiré."))
    else:
        messages.success(request, _("Votre dossier a été retiré."))
    return redirect("grants:application", application.pk)
