"""Who may open the back office's staff pages: programme staff (``evaluation.manage_workflow``).

Anonymous visitors are sent to the login page; anyone else gets a 403 before any lookup, so a
URL says nothing about which objects exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def is_programme_staff(user) -> bool:
    # rules.has_perm, not user.has_perm: the latter needs rules' authentication backend,
    # which the settings do not list.
    return rules.has_perm("evaluation.manage_workflow", user)


def staff_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_programme_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
