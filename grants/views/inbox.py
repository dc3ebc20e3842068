"""« Mes messages »: what Ruche emailed the signed-in person, newest first, read or unread."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ..models import Notification


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    mine = Notification.objects.filter(user=request.user)
    page = Paginator(mine, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "grants/inbox.html",
        {"page_obj": page, "unread": mine.unread().count()},
    )


@login_required
def message(request: HttpRequest, pk: int) -> HttpResponse:
    # Someone else's message is a 404, like every object of another person.
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return render(request, "grants/inbox_message.html", {"notification": notification})


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    Notification.objects.filter(user=request.user).unread().update(read_at=timezone.now())
    return redirect("grants:inbox")


def unread_messages(request: HttpRequest) -> dict:
    """Context processor: the count shown beside « Mes messages » in the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_messages": Notification.objects.filter(user=user).unread().count()}
