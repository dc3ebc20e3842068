"""Who may see an application and its files. Views ask here; a "no" is always a 404."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from .models import Application


def visible_applications(user):
    """Applications the user may open: their organisations' ones and, for programme staff,
    the submitted ones of the calls they run. Reviewers and committee members read files
    through their own pages (ethics, evaluation.committee)."""
    if not user.is_authenticated:
        return Application.objects.none()
    own = Application.objects.of_user(user)
    return (own | Application.objects.handled_by(user)).distinct()


def member_application(request: HttpRequest, pk: int) -> Application:
    """The application ``pk`` if the user's organisation holds it; a 404 otherwise, so that a
    URL says nothing about another organisation's applications."""
    queryset = Application.objects.of_user(request.user).select_related("call", "organisation")
    return get_object_or_404(queryset, pk=pk)
