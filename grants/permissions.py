"""Who may see an application and its files. Views ask here; a "no" is always a 404."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from .models import Application


def visible_applications(user):
    """Applications the user may open: their organisations' ones; for programme staff
    (permission grants.view_application), every submitted one. Reviewers come with the
    review tracks."""
    if not user.is_authenticated:
        return Application.objects.none()
    own = Application.objects.of_user(user)
    if user.has_perm("grants.view_application"):
        return (own | Application.objects.exclude(status="draft")).distinct()
    return own


def member_application(request: HttpRequest, pk: int) -> Application:
    """The application ``pk`` if the user's organisation holds it; a 404 otherwise, so that a
    URL says nothing about another organisation's applications."""
    queryset = Application.objects.of_user(request.user).select_related("call", "organisation")
    return get_object_or_404(queryset, pk=pk)
