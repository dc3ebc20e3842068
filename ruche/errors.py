"""Error pages in the site's design, each with a way back (Django's handler403/404/500)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


def _page(request: HttpRequest, status: int, title: str, lead: str, help_text: str):
    context = {
        "error_code": status,
        "error_title": title,
        "error_lead": lead,
        "error_help": help_text,
    }
    return render(request, "errors/error.html", context, status=status)


def forbidden(request: HttpRequest, exception=None) -> HttpResponse:
    return _page(
        request,
        403,
        _("Accès refusé"),
        _("Cette page n'est pas ouverte à votre compte."),
        _(
            "Elle est réservée à un autre rôle (équipe du programme, comité, experts) ou à une "
            "autre organisation. Si vous pensez y avoir droit, écrivez à l'équipe du programme."
        ),
    )


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return _page(
        request,
        404,
        _("Page non trouvée"),
        _("La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée."),
        _(
            "Si vous avez tapé l'adresse, vérifiez qu'elle est correcte. La page a peut-être été "
            "déplacée ou supprimée, ou vous n'y avez pas accès."
        ),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    # No database nor context processor here: they may be what failed.
    return HttpResponse(render_to_string("errors/500.html"), status=500)
