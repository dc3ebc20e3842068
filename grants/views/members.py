"""Members of an organisation: remove one, change a role, hand the organisation over, leave,
revoke an invitation, set who may submit. Rules and locks are in services.membership.

A GET shows what is about to happen and a button; the POST does it. A stranger gets a 404
(the organisation, the membership or the invitation belongs to another organisation or does
not exist), a member who is not an owner a 403, before anything changes. Changing who holds
a role (removing a member, changing a role, handing the organisation over) asks for a fresh
confirmation of identity, like staff's sensitive actions (core.mfa.sensitive_action).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.mfa import sensitive_action
from core.refusals import Refused

from ..forms.organisation import SubmissionPolicyForm
from ..models import Membership, Organisation
from ..permissions import membership_of
from ..services import membership as services
from .organisations import member_organisation, owned_organisation


def owners_first(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A stranger's 404 and a member's 403 come before any request to confirm identity: the
    confirmation is asked of owners only, who may then act."""

    @wraps(view)
    def wrapper(request: HttpRequest, pk: int, *args, **kwargs) -> HttpResponse:
        owned_organisation(request, pk)
        return view(request, pk, *args, **kwargs)

    return wrapper


def _refusals(request: HttpRequest, refused: Refused, organisation: Organisation) -> HttpResponse:
    for message in refused.messages:
        messages.error(request, message)
    return redirect("grants:organisation_detail", pk=organisation.pk)


def _confirm(
    request: HttpRequest,
    organisation: Organisation,
    *,
    title: str,
    explanation: str,
    button: str,
    act: Callable[[], str],
) -> HttpResponse:
    """A confirmation page on GET; on POST, ``act`` runs and its message is shown."""
    if request.method == "POST":
        try:
            done = act()
        except Refused as refused:
            return _refusals(request, refused, organisation)
        messages.success(request, done)
        if membership_of(request.user, organisation) is None:
            return redirect("grants:dashboard")
        return redirect("grants:organisation_detail", pk=organisation.pk)
    return render(
        request,
        "grants/membership_confirm.html",
        {
            "organisation": organisation,
            "title": title,
            "explanation": explanation,
            "button": button,
        },
    )


def _done(_result: object, message: str) -> str:
    """The success message of an action that ran (its result is not needed)."""
    return message


def _member(organisation: Organisation, membership_id: int) -> Membership:
    return get_object_or_404(organisation.memberships.select_related("user"), pk=membership_id)


def _name(membership: Membership) -> str:
    return membership.user.get_full_name() or membership.user.email


@login_required
@owners_first
@sensitive_action  # the POST removes; the GET only asks
def remove_member(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    organisation = owned_organisation(request, pk)
    target = _member(organisation, membership_id)
    name = _name(target)
    return _confirm(
        request,
        organisation,
        title=_("Retirer %(name)s de l'organisation") % {"name": name},
        explanation=_(
            "%(name)s n'aura plus accès aux dossiers de « %(organisation)s ». Ses contributions "
            "restent dans les dossiers. Un courriel l'en informe."
        )
        % {"name": name, "organisation": organisation.legal_name},
        button=_("Retirer de l'organisation"),
        act=lambda: _done(
            services.remove_member(organisation, request.user, target.pk),
            _("%(name)s ne fait plus partie de l'organisation.") % {"name": name},
        ),
    )


@login_required
@require_POST
@owners_first
@sensitive_action
def change_role(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    organisation = owned_organisation(request, pk)
    target = _member(organisation, membership_id)
    try:
        changed = services.change_role(
            organisation, request.user, target.pk, request.POST.get("role", "")
        )
    except Refused as refused:
        return _refusals(request, refused, organisation)
    messages.success(
        request,
        _("%(name)s est maintenant : %(role)s.")
        % {"name": _name(changed), "role": changed.get_role_display()},
    )
    if membership_of(request.user, organisation) is None:
        return redirect("grants:dashboard")
    return redirect("grants:organisation_detail", pk=organisation.pk)


@login_required
@owners_first
@sensitive_action
def transfer_ownership(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    organisation = owned_organisation(request, pk)
    target = _member(organisation, membership_id)
    name = _name(target)
    return _confirm(
        request,
        organisation,
        title=_("Transmettre la responsabilité à %(name)s") % {"name": name},
        explanation=_(
            "%(name)s devient responsable de « %(organisation)s » et vous devenez co-candidat : "
            "vous ne pourrez plus modifier les informations de l'organisation, gérer ses "
            "membres ni retirer ses dossiers."
        )
        % {"name": name, "organisation": organisation.legal_name},
        button=_("Transmettre la responsabilité"),
        act=lambda: _done(
            services.transfer_ownership(organisation, request.user, target.pk),
            _("%(name)s est maintenant responsable de l'organisation.") % {"name": name},
        ),
    )


@login_required
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = member_organisation(request, pk)

    return _confirm(
        request,
        organisation,
        title=_("Quitter l'organisation « %(name)s »") % {"name": organisation.legal_name},
        explanation=_(
            "Vous n'aurez plus accès à ses dossiers. Vos contributions y restent. Pour revenir, "
            "un responsable devra vous inviter à nouveau."
        ),
        button=_("Quitter l'organisation"),
        act=lambda: _done(
            services.leave(organisation, request.user),
            _("Vous avez quitté l'organisation « %(name)s ».") % {"name": organisation.legal_name},
        ),
    )


@login_required
@require_POST
def revoke_invitation(request: HttpRequest, pk: int, invitation_id: int) -> HttpResponse:
    organisation = owned_organisation(request, pk)
    invitation = get_object_or_404(organisation.invitations, pk=invitation_id)
    try:
        services.revoke_invitation(organisation, request.user, invitation.pk)
    except Refused as refused:
        return _refusals(request, refused, organisation)
    messages.success(
        request,
        _("L'invitation de %(email)s est révoquée : son lien ne fonctionne plus.")
        % {"email": invitation.email},
    )
    return redirect("grants:organisation_detail", pk=organisation.pk)


@login_required
@require_POST
def submission_policy(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = owned_organisation(request, pk)
    form = SubmissionPolicyForm(request.POST)
    form.is_valid()  # a single optional box: always valid
    allowed = form.cleaned_data.get("members_may_submit", False)
    services.set_submission_policy(organisation, request.user, allowed)
    messages.success(
        request,
        _("Les co-candidats peuvent maintenant déposer les dossiers.")
        if allowed
        else _("Seuls les responsables peuvent maintenant déposer les dossiers."),
    )
    return redirect("grants:organisation_detail", pk=organisation.pk)
