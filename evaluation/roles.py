"""Who may fire which transition on which application (django-rules predicates).

Roles: applicant (a member of the application's organisation; what owners and members each
may do is grants' rule, grants.permissions), programme staff of the call
(« Chargés de mission » of its operator or assigned to it, or « Direction du programme »),
committee member (a member of an open session that holds the
application), reviewer (per track, with the review grids), administrator (superuser).
"""

from __future__ import annotations

import rules

from core.roles import COMMITTEE_GROUP, is_programme_staff_user
from grants import permissions as organisation_rules


@rules.predicate
def is_member_of_organisation(user, application) -> bool:
    return organisation_rules.is_member(user, application.organisation)


@rules.predicate
def sits_on_an_open_session_of_the_call(user, application) -> bool:
    return bool(
        user
        and user.is_authenticated
        and application.call.committee_sessions.filter(
            members=user, closed_at__isnull=True
        ).exists()
    )


# django-fsm calls permission checks as (instance, user); rules predicates take (user, obj).
def is_applicant(application, user) -> bool:
    return is_member_of_organisation(user, application)


# -- The organisation's roles (owner, member) decide for it: grants.permissions ------------------


def may_submit(application, user) -> bool:
    """Owners, and members when the owners allow it."""
    return organisation_rules.may_submit(user, application)


def may_withdraw(application, user) -> bool:
    """Owners only."""
    return organisation_rules.may_withdraw(user, application)


def is_programme_staff(application, user) -> bool:
    """Staff who run the application's call: officers of other operators' calls may not act."""
    return is_programme_staff_user(user) and application.call.is_run_by(user)


def is_committee_member(application, user) -> bool:
    return bool(user and user.is_superuser) or sits_on_an_open_session_of_the_call(
        user, application
    )


rules.add_perm("evaluation.manage_workflow", is_programme_staff_user)
rules.add_perm(
    "evaluation.access_backoffice",
    is_programme_staff_user | rules.is_group_member(COMMITTEE_GROUP),
)
rules.add_perm("grants.view_submitted_application", is_programme_staff_user)
