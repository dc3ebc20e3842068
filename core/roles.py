"""The people who run a programme, by group, and the check that opens staff pages.

Groups: « Chargés de mission » (programme staff, each on the calls of their operators and the
calls assigned to them), « Direction du programme » (staff of every call), « Comité de
sélection », « Experts », « Jurys d'audition ». The
apps decide what each may do on an object (evaluation's workflow roles, ethics' assignments);
this module only says who belongs where.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

PROGRAMME_STAFF_GROUP = "Chargés de mission"
# Staff who see every call of the programme; the others see the calls of their operators and
# the calls they are assigned to (cms: Operator.staff, CallPage.officers).
PROGRAMME_WIDE_GROUP = "Direction du programme"
COMMITTEE_GROUP = "Comité de sélection"
REVIEWERS_GROUP = "Experts"
# People who sit on hearing juries without being staff, experts or committee members (a
# ministry's representative, an outside expert of the operator).
JURY_GROUP = "Jurys d'audition"

is_programme_wide_user = rules.is_superuser | rules.is_group_member(PROGRAMME_WIDE_GROUP)
is_programme_staff_user = is_programme_wide_user | rules.is_group_member(PROGRAMME_STAFF_GROUP)
is_committee_user = rules.is_group_member(COMMITTEE_GROUP)
is_jury_user = rules.is_group_member(JURY_GROUP)


def is_programme_staff(user) -> bool:
    return bool(is_programme_staff_user(user))


def is_programme_wide(user) -> bool:
    return bool(is_programme_wide_user(user))


def staff_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Programme staff only. Anonymous visitors are sent to the login page; anyone else gets
    a 403 before any lookup, so a URL says nothing about which objects exist."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_programme_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
