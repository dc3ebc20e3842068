"""Back office: the emails that could not be delivered after every retry, and retrying them.

Reads the task queue through ``core.mail`` (one failed ``send_email`` task per email): a
mail server that was down for hours leaves its emails here rather than lost.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.mail import failed_deliveries, retry_delivery
from core.roles import staff_only


def _summary(result) -> dict:
    args, kwargs = result.args_kwargs["args"], result.args_kwargs["kwargs"]
    message = kwargs.get("message", args[0] if args else {}) or {}
    error = (result.traceback or "").strip().splitlines()
    return {
        "id": result.pk,
        "subject": message.get("subject", ""),
        "recipients": ", ".join(message.get("to", []) + message.get("cc", [])),
        "attachments": [name for name, _content, _type in message.get("attachments", [])],
        "failed_at": result.finished_at,
        "error": error[-1] if error else result.exception_class_path,
    }


@staff_only
def failed_emails(request: HttpRequest) -> HttpResponse:
    page = Paginator(failed_deliveries(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluation/failed_emails.html",
        {
            "page_obj": page,
            "page_numbers": page.paginator.get_elided_page_range(page.number),
            "deliveries": [_summary(result) for result in page],
        },
    )


@staff_only
@require_POST
def retry_failed_emails(request: HttpRequest) -> HttpResponse:
    """Retry the ticked emails, or all of them (« Tout renvoyer »)."""
    if request.POST.get("all"):
        ids = list(failed_deliveries().values_list("pk", flat=True))
    else:
        ids = request.POST.getlist("ids")
    retried = 0
    for result_id in ids:
        try:
            retried += retry_delivery(result_id)
        except (ValueError, ValidationError):  # not a task id
            continue
    if retried:
        messages.success(
            request,
            ngettext(
                "%(count)d courriel est de nouveau en file d'envoi.",
                "%(count)d courriels sont de nouveau en file d'envoi.",
                retried,
            )
            % {"count": retried},
        )
    else:
        messages.info(request, _("Aucun courriel à renvoyer : la liste a changé entre-temps."))
    return redirect("evaluation:failed_emails")
