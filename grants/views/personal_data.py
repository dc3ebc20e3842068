"""« Mes données personnelles »: download one's data, close one's account. Rules and content
are in services.personal_data; the public notice is the CMS's PersonalDataPage."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.refusals import Refused

from ..services import personal_data as services


@login_required
@require_GET
def personal_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "grants/personal_data.html",
        {"closing": services.closing_check(request.user)},
    )


@login_required
@require_GET
def download(request: HttpRequest) -> FileResponse:
    name = f"ruche-mes-donnees-{timezone.localdate().isoformat()}.zip"
    response = FileResponse(
        services.export_zip(request.user),
        as_attachment=True,
        filename=name,
        content_type="application/zip",
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def close_account(request: HttpRequest) -> HttpResponse:
    closing = services.closing_check(request.user)
    error = ""
    if request.method == "POST" and closing.ok:
        if request.POST.get("confirm") != "yes":
            error = _("Cochez la case pour confirmer la fermeture de votre compte.")
        else:
            try:
                services.close_account(request.user)
            except Refused as refused:
                for message in refused.messages:
                    messages.error(request, message)
                return redirect("grants:close_account")
            logout(request)
            messages.success(request, _("Votre compte est fermé. Au revoir."))
            return redirect("/")
    return render(
        request,
        "grants/close_account.html",
        {"closing": closing, "confirm_error": error},
        status=400 if error else 200,
    )
