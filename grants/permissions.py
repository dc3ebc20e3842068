"""Who may see an application and its files. Views ask here; a "no" is always a 404."""

from __future__ import annotations

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
