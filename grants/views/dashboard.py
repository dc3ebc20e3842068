"""The applicant's home: their organisations' applications and what is expected of them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms.locales import default_language, localized_titles
from cms.models import CallIndexPage, CallPage
from core.vocabulary import ApplicationStatus

from ..hooks import dashboard_notices
from ..models import Application
from ..models.thread import unread_messages
from ..services.completeness import missing_items


def expected_action(application: Application) -> str:
    """What the applicant should do next, in plain words ("" when nothing)."""
    if application.status == ApplicationStatus.DRAFT:
        if not application.deadline_open():
            return _("L'appel est clos : ce brouillon ne peut plus être déposé.")
        missing = len(missing_items(application))
        if missing:
            return ngettext(
                "Complétez le dossier (%(n)d élément manquant) puis déposez-le.",
                "Complétez le dossier (%(n)d éléments manquants) puis déposez-le.",
                missing,
            ) % {"n": missing}
        return _("Le dossier est complet : déposez-le avant la clôture.")
    if application.status == ApplicationStatus.INFO_REQUESTED:
        return _("Répondez à la demande de compléments.")
    unread = getattr(application, "unread_messages", 0)
    if unread:
        return ngettext(
            "Lisez le nouveau message de l'équipe du programme.",
            "Lisez les %(n)d nouveaux messages du dossier.",
            unread,
        ) % {"n": unread}
    return ""


def _calls_index() -> CallIndexPage | None:
    """The calls index in the applicant's language (the French one if not translated)."""
    index = CallIndexPage.objects.live().filter(locale__language_code=default_language()).first()
    return index.localized if index else None


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    applications = (
        Application.objects.of_user(request.user)
        .select_related("call", "organisation", "cutoff")
        .prefetch_related("attachments", "call__cutoffs")
        .annotate(unread_messages=unread_messages(request.user))
        .order_by("-updated_at")
    )
    now = timezone.now()
    call_titles = localized_titles(
        CallPage.objects.filter(pk__in={a.call_id for a in applications})
    )
    rows = [
        {
            "application": a,
            "call_title": call_titles[a.call_id],
            "action": expected_action(a),
            "deadline": a.next_deadline(now),
        }
        for a in applications
    ]
    deadlines = [row for row in rows if row["deadline"]]
    # What the apps above say of these applications (a hearing to confirm, for one).
    notices = dashboard_notices(request.user, [row["application"] for row in rows])
    return render(
        request,
        "grants/dashboard.html",
        {
            "rows": rows,
            "organisations": request.user.organisations.all(),
            "memberships": request.user.memberships.select_related("organisation").order_by(
                "organisation__legal_name"
            ),
            "to_do": [row for row in rows if row["action"]],
            "notices_to_do": [n for n in notices if n.to_do],
            "news": [n for n in notices if not n.to_do],
            "next_deadline": min(deadlines, key=lambda r: r["deadline"].closes_at, default=None),
            "unread_total": sum(a.unread_messages for a in applications),
            "calls_url": getattr(_calls_index(), "url", "/"),
        },
    )
