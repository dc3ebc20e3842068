"""The evaluation report as a PDF: in full for staff, anonymised for the applicant's feedback
(downloadable by the applicant organisation's members once the committee has decided)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from core.roles import is_programme_staff, staff_only
from core.vocabulary import ApplicationStatus as S
from grants.models import Application

from ..report import render_report
from .staff import staff_application


def _pdf(application: Application, anonymised: bool) -> HttpResponse:
    response = HttpResponse(render_report(application, anonymised), content_type="application/pdf")
    name = "rapport-expertise-anonymise" if anonymised else "rapport-expertise"
    response["Content-Disposition"] = f'attachment; filename="{name}-{application.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_only
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The full report, naming the experts, with staff's notes: staff only."""
    return _pdf(staff_application(request.user, pk), anonymised=False)


def anonymised_report_application(user, pk: int) -> Application:
    """The application whose anonymised report ``user`` may download. Staff: the submitted
    applications of the calls they run. A member of the applicant organisation: their own,
    once the committee has decided (404 before). Anyone else: 403, whether the application
    exists or not."""
    if is_programme_staff(user):
        return staff_application(user, pk)
    application = (
        Application.objects.of_user(user)
        .exclude(status=S.DRAFT)
        .select_related("call", "organisation")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise PermissionDenied
    if application.status not in (S.SELECTED, S.FUNDED, S.REJECTED):
        raise Http404
    return application


@login_required
def report_anonymised(request: HttpRequest, pk: int) -> HttpResponse:
    return _pdf(anonymised_report_application(request.user, pk), anonymised=True)
