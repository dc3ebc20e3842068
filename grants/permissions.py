"""Who may see and do what on an organisation and its applications. Views, services and the
workflow's roles (evaluation.roles) ask here; a stranger's "no" is always a 404, a member's
"no" a 403.

Owners (the legal representative or their delegates) act for the organisation: its legal
details, invitations, members and roles, the submission policy, withdrawing an application.
Members prepare applications, answer requests for information, and submit when the owners
allow it (``Organisation.members_may_submit``). Anyone may leave, except the last owner.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from .models import Application, Membership, Organisation


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


# -- Roles -----------------------------------------------------------------------------------


def membership_of(user, organisation: Organisation) -> Membership | None:
    if not (user and user.is_authenticated and user.is_active):
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()


def is_member(user, organisation: Organisation) -> bool:
    return membership_of(user, organisation) is not None


def is_owner(user, organisation: Organisation) -> bool:
    membership = membership_of(user, organisation)
    return membership is not None and membership.is_owner


def may_manage_organisation(user, organisation: Organisation) -> bool:
    """Edit the legal details, invite, revoke invitations, remove members, change roles,
    transfer ownership, set the submission policy: the owners."""
    return is_owner(user, organisation)


def may_edit_draft(user, application: Application) -> bool:
    return is_member(user, application.organisation)


def may_submit(user, application: Application) -> bool:
    """Owners; members too when the owners allow it."""
    membership = membership_of(user, application.organisation)
    if membership is None:
        return False
    return membership.is_owner or application.organisation.members_may_submit


def may_withdraw(user, application: Application) -> bool:
    """Withdrawing gives up the organisation's application: its owners only."""
    return is_owner(user, application.organisation)


def may_answer_information(user, application: Application) -> bool:
    return is_member(user, application.organisation)
