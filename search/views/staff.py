"""Programme staff: prepare, edit, publish and unpublish the public sheets of funded projects.

Staff only (``staff_only``): anonymous visitors go to the login page, anyone else gets a 403
before any lookup."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from evaluation.states import ApplicationStatus
from evaluation.views.backoffice import staff_only
from grants.models import Application

from ..forms import PublicProjectForm
from ..models import PublicProject
from ..publication import PublicationRefused, prepare_sheet, publish, save_sheet, unpublish

PAGE_SIZE = 50


@staff_only
def publication_list(request: HttpRequest) -> HttpResponse:
    applications = (
        Application.objects.filter(status=ApplicationStatus.FUNDED)
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
    application = get_object_or_404(
        Application.objects.select_related("organisation", "call"), pk=application_pk
    )
    try:
        sheet = prepare_sheet(application)
    except PublicationRefused as refused:
        messages.error(request, refused.message)
        return redirect("search:publication_list")

    form = PublicProjectForm(request.POST or None, instance=sheet)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if form.is_valid():
            sheet = form.save(commit=False)
            try:
                if action == "publish":
                    save_sheet(sheet)
                    form.save_m2m()
                    publish(sheet, request.user)
                    messages.success(request, _("La fiche est publiée au catalogue."))
                elif action == "unpublish":
                    save_sheet(sheet)
                    form.save_m2m()
                    unpublish(sheet, request.user)
                    messages.success(request, _("La fiche est retirée du catalogue."))
                else:
                    save_sheet(sheet)
                    form.save_m2m()
                    messages.success(request, _("La fiche est enregistrée."))
            except PublicationRefused as refused:
                messages.error(request, refused.message)
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
            "log": sheet.log.select_related("by").order_by("-at")[:10],
        },
    )
