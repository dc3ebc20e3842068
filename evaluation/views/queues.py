"""Programme staff back office: the work queues, their exports and batch transitions.

Every view is for programme staff (``access.staff_only``). Drafts are never shown.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.mfa import sensitive_action
from core.roles import staff_only
from grants.models import Application

from .. import exports, queries
from ..forms import (
    BulkTransitionForm,
    QueueFilterForm,
    staff_transitions_from,
)
from ..services import (
    TRANSITION_LABELS,
    fire,
)
from ..workflow import TransitionRefused
from .queue_cells import queue_cells

PAGE_SIZE = 50
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _filters(request: HttpRequest) -> tuple[QueueFilterForm, queries.QueueFilters]:
    form = QueueFilterForm(request.GET, user=request.user, overdue_days=queries.overdue_days())
    return form, form.filters()


def _column(key: str, sort: str) -> dict:
    """A queue column's heading: clicking it sorts by it, clicking again reverses."""
    return {
        "key": key,
        "label": queries.COLUMNS[key][0],
        "sort": f"-{key}" if sort == key else key,
        "aria_sort": {key: "ascending", f"-{key}": "descending"}.get(sort, ""),
    }


@staff_only
def queues(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    now = timezone.now()
    # The rows show a few columns: not the answers, snapshots and the call's page content.
    listed = queries.queue(filters, request.user, now=now).defer(*queries.QUEUE_UNSHOWN)
    paginator = Paginator(listed, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    threshold = queries.overdue_threshold(now)
    columns = [_column(key, filters.sort) for key in form.columns()]
    keys = [column["key"] for column in columns]
    rows = []
    for application in page:
        days = queries.days_in_state(application, now)
        overdue = application.state_since < threshold
        cells = queue_cells(application, keys, days, overdue)
        rows.append({"application": application, "days": days, "overdue": overdue, "cells": cells})
    states = queries.counts_per_state(filters, request.user, now=now)
    current = next(state for state in states if state["value"] == filters.status)
    return render(
        request,
        "evaluation/queues.html",
        {
            "filter_form": form,
            "filters": filters,
            "states": states,
            "current_state": current,
            "page_obj": page,
            "page_numbers": list(paginator.get_elided_page_range(page.number, on_ends=1)),
            "rows": rows,
            "columns": columns,
            "bulk_form": BulkTransitionForm(
                status=filters.status, initial={"expected_status": filters.status}
            ),
            "can_bulk": bool(staff_transitions_from(filters.status)),
        },
    )


@staff_only
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_TYPES:
        raise Http404
    _form, filters = _filters(request)
    applications = queries.queue(filters, request.user).iterator(chunk_size=1000)
    content = exports.to_csv(applications) if fmt == "csv" else exports.to_xlsx(applications)
    response = HttpResponse(content, content_type=EXPORT_TYPES[fmt])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = (
        f'attachment; filename="dossiers-{filters.status}-{stamp}.{fmt}"'
    )
    return response


def _back_to_queue(request: HttpRequest, status: str) -> str:
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return f"{reverse('evaluation:queues')}?etat={status}"


@staff_only
@require_POST
@sensitive_action
def bulk(request: HttpRequest) -> HttpResponse:
    """Fire one transition on each ticked application, each in its own transaction: some may
    move and others be refused, but no application is ever half-moved."""
    status = request.POST.get("expected_status", "")
    form = BulkTransitionForm(request.POST, status=status)
    back = _back_to_queue(request, status)
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else None
            for error in errors:
                messages.error(request, f"{label} : {error}" if label else error)
        return redirect(back)

    name, comment = form.cleaned_data["transition"], form.cleaned_data["comment"]
    ids = form.cleaned_data["dossiers"]
    found = Application.objects.handled_by(request.user).in_bulk(ids)
    moved, refused = [], []
    for pk in ids:
        application = found.get(pk)
        if application is None:
            refused.append((_("n° %(pk)s") % {"pk": pk}, _("Dossier introuvable.")))
            continue
        try:
            fire(application, name, request.user, expected_status=status, comment=comment)
        except TransitionRefused as refusal:
            refused.append((application.reference, " ".join(str(m) for m in refusal.messages)))
        else:
            moved.append(application.reference)

    label = TRANSITION_LABELS.get(name, name)
    if moved:
        messages.success(
            request,
            ngettext(
                "« %(action)s » appliqué à %(count)s dossier : %(references)s.",
                "« %(action)s » appliqué à %(count)s dossiers : %(references)s.",
                len(moved),
            )
            % {"action": label, "count": len(moved), "references": ", ".join(moved)},
        )
    for reference, reason in refused:
        messages.error(
            request,
            _("%(reference)s n'a pas été modifié : %(reason)s")
            % {"reference": reference, "reason": reason},
        )
    return redirect(back)


# -- One application ------------------------------------------------------------------------
