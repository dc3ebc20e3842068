"""Programme staff: prepare, edit, publish and unpublish the public sheets of funded projects.

Staff only (``staff_only``): anonymous visitors go to the login page, anyone else gets a 403
before any lookup."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.roles import staff_only
from core.vocabulary import ApplicationStatus
from grants.models import Application

from ..forms import PublicProjectForm
from ..models import PublicProject
from ..publication import (
    PublicationRefused,
    prepare_sheet,
    publish,
    save_sheet,
    sheet_for,
    unpublish,
)

PAGE_SIZE = 50


@staff_only
def publication_list(request: HttpRequest) -> HttpResponse:
    applications = (
        Application.objects.handled_by(request.user)
        .filter(status=ApplicationStatus.FUNDED)
        .select_related("organisation", "call", "public_project")
        .order_by("-submitted_at", "pk")
    )
    paginator = Paginator(applications, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = []
    for application in page:
        sheet = getattr(application, "public_project", None)
        rows.append({"application": application, "sheet": sheet})
    return render(
        request,
        "search/staff/publication_list.html",
        {
            "rows": rows,
            "page_obj": page,
            "page_numbers": list(paginator.get_elided_page_range(page.number, on_ends=1)),
        },
    )


@staff_only
def publication_edit(request: HttpRequest, application_pk: int) -> HttpResponse:
    """Opening the page changes nothing: an application without a sheet shows the draft it
    would get, saved by the first POST."""
    application = get_object_or_404(
        Application.objects.handled_by(request.user).select_related("organisation", "call"),
        pk=application_pk,
    )
    try:
        if request.method == "POST":
            sheet, themes = prepare_sheet(application), []
        else:
            sheet, themes = sheet_for(application)
    except PublicationRefused as refused:
        messages.error(request, refused.message)
        return redirect("search:publication_list")

    initial = {} if sheet.pk else {"themes": themes}
    form = PublicProjectForm(request.POST or None, instance=sheet, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            _save(request, form, request.POST.get("action", "save"))
            return redirect("search:publication_edit", application_pk=application.pk)
        messages.error(request, _("La fiche n'a pas été enregistrée : corrigez les erreurs."))
    return render(
        request,
        "search/staff/publication_edit.html",
        {
            "application": application,
            "sheet": sheet,
            "form": form,
            "is_published": sheet.status == PublicProject.Status.PUBLISHED,
            "log": sheet.log.select_related("by").order_by("-at")[:10] if sheet.pk else [],
        },
    )


def _save(request: HttpRequest, form: PublicProjectForm, action: str) -> None:
    """Save the edits, then publish or unpublish; one transaction, so that the index update
    (queued for after the commit) sees the themes too."""
    try:
        with transaction.atomic():
            sheet = form.save(commit=False)
            form.save_m2m()
            if action == "publish":
                publish(sheet, request.user)  # saves the edits
                message = _("La fiche est publiée au catalogue.")
            elif action == "unpublish":
                unpublish(sheet, request.user)
                message = _("La fiche est retirée du catalogue.")
            else:
                save_sheet(sheet)
                message = _("La fiche est enregistrée.")
    except PublicationRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, message)
