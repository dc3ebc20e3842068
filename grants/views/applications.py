"""The applicant's draft: start or resume, edit each section, reread before submitting, and
the receipt. Submitting and what follows are the workflow's (evaluation.views.applicant).

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
from core.refusals import Refused

from .. import questions as q
from ..application_forms import FormSpec, form_of
from ..forms.editors import editor_for, rejected_input
from ..models import Application
from ..permissions import may_submit, member_application
from ..receipts import render_receipt
from ..services.completeness import missing_items, progress
from ..services.drafts import carry_self_check, save_section, start_or_resume
from ..services.presentation import answers_for_display


def section_url(application: Application, slug: str) -> str:
    section = form_of(application).sections_by_slug.get(slug)
    if section is not None and section.kind == "attachments":
        return reverse("grants:attachments", args=[application.pk])
    return reverse("grants:section", args=[application.pk, slug])


def _step_index(form: FormSpec, current: str) -> int:
    """Position of a page among the steps; the final "check and submit" page comes last."""
    slugs = [s.slug for s in form.sections]
    if current == "pieces" and form.attachments_section is not None:
        current = form.attachments_section.slug
    return slugs.index(current) if current in slugs else len(slugs)


def _next_section(form: FormSpec, current: str) -> q.Section | None:
    index = _step_index(form, current) + 1
    return form.sections[index] if index < len(form.sections) else None


def stepper_context(application: Application, current: str, missing: list | None = None) -> dict:
    """The stepper's context; ``missing`` spares recomputing ``missing_items`` if known."""
    form = form_of(application)
    following = _next_section(form, current)
    if missing is None:
        missing = missing_items(application)
    sections = progress(missing, form)
    done = sum(1 for s in sections if s.complete)
    return {
        "application": application,
        "sections": [
            {
                "slug": s.slug,
                "title": s.title,
                "url": section_url(application, s.slug),
                "missing": s.missing,
            }
            for s in sections
        ],
        "sections_done": done,
        "percent_done": round(100 * done / len(sections)) if sections else 100,
        "step_number": _step_index(form, current) + 1,
        # The sections plus the final "check and submit" step.
        "step_count": len(form.sections) + 1,
        "current_slug": current,
        "next_section": following,
        # After the last section: « Vérification et dépôt ».
        "next_url": section_url(application, following.slug)
        if following
        else reverse("grants:review", args=[application.pk]),
        "missing_count": len(missing),
    }


@login_required
@require_POST
def start_application(request: HttpRequest, call_id: int) -> HttpResponse:
    # The page the applicant read, in either language; the draft goes to the French call.
    page = get_object_or_404(CallPage.objects.live(), pk=call_id)
    organisations = list(request.user.organisations.all())
    if not organisations:
        messages.info(request, _("Déclarez d'abord l'organisation qui porte le projet."))
        return redirect(f"{reverse('grants:organisation_create')}?next={page.url}")
    chosen = request.POST.get("organisation")
    organisation = next((o for o in organisations if str(o.pk) == chosen), organisations[0])
    try:
        application, created = start_or_resume(page, organisation, request.user)
    except Refused as refused:
        for message in refused.messages:
            messages.error(request, message)
        return redirect(page.url)
    if not created:
        messages.info(request, _("Vous reprenez le brouillon de votre organisation."))
    elif carry_self_check(application, request.POST):
        messages.info(
            request, _("Les réponses de votre auto-évaluation sont reprises dans le brouillon.")
        )
    return redirect(section_url(application, form_of(application).sections[0].slug))


@login_required
def edit_section(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    application = member_application(request, pk)
    section = form_of(application).sections_by_slug.get(slug)
    if section is None:
        raise Http404
    if section.kind == "attachments":
        return redirect("grants:attachments", application.pk)
    if not application.is_editable:
        messages.info(request, _("Ce dossier a été déposé : il ne peut plus être modifié."))
        return redirect("evaluation:followup", application.pk)

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
    except Refused as refused:
        if autosave:
            return JsonResponse({"error": refused.messages[0]}, status=409)
        messages.error(request, refused.messages[0])
        return redirect("evaluation:followup", application.pk)
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
        following = _next_section(form_of(application), slug)
        if following is None:
            return redirect("grants:review", application.pk)
        return redirect(section_url(application, following.slug))
    return redirect(here)


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft's last page: what is missing, the relève, the whole draft to reread, and
    « Déposer le dossier » (which posts to the workflow: evaluation:submit)."""
    application = member_application(request, pk)
    if not application.is_editable:
        return redirect("evaluation:followup", application.pk)
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
        "may_submit": may_submit(request.user, application),
        "recap": answers_for_display(application.answers, form_of(application)),
    }
    return render(request, "grants/application_review.html", context)


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
