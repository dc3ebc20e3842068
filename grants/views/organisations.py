"""Organisation views: create one, see and edit it, invite colleagues, accept an invitation.
Changing members and roles is in members.py.

Only members see an organisation: every lookup goes through a queryset filtered on the
user's memberships, so a stranger gets the same 404 whether the organisation exists or not;
a member who is not an owner gets a 403 on what only owners do (grants.permissions).
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import directory
from ..forms.organisation import (
    DUPLICATE_SIREN,
    InvitationForm,
    OrganisationForm,
    SubmissionPolicyForm,
)
from ..models import Invitation, Membership, Organisation
from ..models.organisations import pending_invitations
from ..permissions import may_manage_organisation, membership_of
from ..services import company_lookup, membership

# The « Rechercher » button of the organisation form: fill it from the SIRET, save nothing.
LOOKUP_BUTTON = "directory_lookup"


def member_organisation(request: HttpRequest, pk: int) -> Organisation:
    return get_object_or_404(Organisation.objects.filter(memberships__user=request.user), pk=pk)


def owned_organisation(request: HttpRequest, pk: int) -> Organisation:
    """The organisation if the user is one of its owners: 404 for strangers, 403 for members."""
    organisation = member_organisation(request, pk)
    if not may_manage_organisation(request.user, organisation):
        raise PermissionDenied
    return organisation


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _render_detail(
    request: HttpRequest, organisation: Organisation, invite_form: InvitationForm
) -> HttpResponse:
    memberships = list(organisation.memberships.select_related("user").order_by("joined_at"))
    mine = membership_of(request.user, organisation)
    owners = sum(1 for m in memberships if m.is_owner)
    return render(
        request,
        "grants/organisation_detail.html",
        {
            "organisation": organisation,
            "mine": mine,
            "is_owner": mine.is_owner,
            "rows": [_member_row(m, mine, owners, len(memberships)) for m in memberships],
            "invitations": pending_invitations(organisation)
            .select_related("invited_by")
            .order_by("created_at"),
            "invite_form": invite_form,
            # The organisation's record of membership changes: owners answer for it.
            "events": organisation.membership_events.select_related(
                "actor", "member", "invitation"
            )[:30]
            if mine.is_owner
            else [],
            "policy_form": SubmissionPolicyForm(
                initial={"members_may_submit": organisation.members_may_submit}
            ),
        },
    )


def _member_row(membership: Membership, mine: Membership, owners: int, members: int) -> dict:
    """One member and what the viewer may do about them: the page offers exactly what the
    services accept."""
    last_owner = membership.is_owner and owners == 1
    itself = membership.pk == mine.pk
    manage = mine.is_owner and not itself
    return {
        "membership": membership,
        "itself": itself,
        "may_remove": manage and not last_owner,
        "may_promote": manage and not membership.is_owner,
        "may_demote": manage and membership.is_owner and not last_owner,
        "may_transfer": manage and not membership.is_owner,
        # The last owner of an organisation with other members hands over before leaving.
        "may_leave": itself and not (last_owner and members > 1),
    }


def _form_from_directory(
    request: HttpRequest, organisation: Organisation | None
) -> tuple[OrganisationForm, company_lookup.Lookup]:
    """The form as typed, its blanks filled from the directory; unbound, so that fields not
    typed yet show no error before the applicant saves."""
    lookup = company_lookup.look_up(request.POST.get("siret", ""))
    values = company_lookup.fill_empty(request.POST, lookup)
    if organisation:
        values.pop("siren", None)  # fixed once created: the stored one is shown
    return OrganisationForm(initial=values, instance=organisation), lookup


def _render_form(
    request: HttpRequest,
    form: OrganisationForm,
    organisation: Organisation | None,
    lookup: company_lookup.Lookup | None = None,
) -> HttpResponse:
    return render(
        request,
        "grants/organisation_form.html",
        {
            "form": form,
            "organisation": organisation,
            "next": "" if organisation else _safe_next(request) or "",
            "lookup": lookup,
            "directory_enabled": directory.is_enabled(),
        },
    )


@login_required
@require_GET
def company_lookup_json(request: HttpRequest) -> JsonResponse:
    """The directory's answer for a SIRET, for the organisation form's script. Public data,
    asked for by any signed-in user about to declare or edit an organisation."""
    lookup = company_lookup.look_up(request.GET.get("siret", ""))
    return JsonResponse(
        {
            "outcome": lookup.outcome,
            "level": lookup.level,
            "message": lookup.message,
            "values": lookup.values,
        }
    )


@login_required
def create_organisation(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and LOOKUP_BUTTON in request.POST:
        form, lookup = _form_from_directory(request, None)
        return _render_form(request, form, None, lookup)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                organisation = form.save()
                Membership.objects.create(
                    user=request.user, organisation=organisation, role=Membership.Role.OWNER
                )
        except IntegrityError:
            # Same SIREN registered by someone else between the check and the insert.
            form.add_error("siren", DUPLICATE_SIREN)
        else:
            messages.success(
                request,
                _("L'organisation « %(name)s » est créée : vous en êtes responsable.")
                % {"name": organisation.legal_name},
            )
            return redirect(_safe_next(request) or "grants:dashboard")
    return _render_form(request, form, None)


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = member_organisation(request, pk)
    return _render_detail(request, organisation, InvitationForm(organisation=organisation))


@login_required
def edit_organisation(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = owned_organisation(request, pk)
    if request.method == "POST" and LOOKUP_BUTTON in request.POST:
        form, lookup = _form_from_directory(request, organisation)
        return _render_form(request, form, organisation, lookup)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Les informations de l'organisation sont enregistrées."))
        return redirect("grants:organisation_detail", pk=organisation.pk)
    # The bound form may hold invalid values: name the page after the stored organisation.
    organisation.refresh_from_db()
    return _render_form(request, form, organisation)


@login_required
@require_POST
def invite_member(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = owned_organisation(request, pk)
    form = InvitationForm(request.POST, organisation=organisation)
    if not form.is_valid():
        return _render_detail(request, organisation, form)
    invitation = membership.invite(organisation, request.user, form.cleaned_data["email"])
    messages.success(request, _("Invitation envoyée à %(email)s.") % {"email": invitation.email})
    return redirect("grants:organisation_detail", pk=organisation.pk)


@login_required
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(
        Invitation.objects.select_related("organisation", "invited_by"), token=token
    )
    organisation = invitation.organisation
    if invitation.accepted_at and organisation.memberships.filter(user=request.user).exists():
        messages.info(request, _("Vous êtes déjà membre de cette organisation."))
        return redirect("grants:organisation_detail", pk=organisation.pk)

    refusal = None
    if invitation.revoked_at is not None:
        refusal = _(
            "Cette invitation a été révoquée par un responsable de l'organisation. Demandez-lui "
            "de vous inviter à nouveau si besoin."
        )
    elif not invitation.is_usable:
        refusal = _(
            "Cette invitation n'est plus valable : elle a déjà été utilisée ou date de plus de "
            "14 jours. Demandez à un responsable de l'organisation de vous inviter à nouveau."
        )
    elif not EmailAddress.objects.filter(
        user=request.user, verified=True, email__iexact=invitation.email
    ).exists():
        refusal = _(
            "Cette invitation a été envoyée à une adresse électronique qui n'est pas une adresse "
            "vérifiée de votre compte. Connectez-vous avec le compte de l'adresse invitée, ou "
            "ajoutez et vérifiez cette adresse dans votre compte."
        )
    if refusal:
        return render(
            request,
            "grants/invitation_accept.html",
            {"invitation": invitation, "organisation": organisation, "refusal": refusal},
            status=403,
        )

    if request.method == "POST":
        accepted = membership.accept_invitation(invitation, request.user)
        if not accepted:
            # Accepted meanwhile (a second click, another tab): the GET explains what happened.
            return redirect("grants:invitation_accept", token=token)
        messages.success(
            request,
            _("Vous avez rejoint l'organisation « %(name)s ».") % {"name": organisation.legal_name},
        )
        return redirect("grants:organisation_detail", pk=organisation.pk)

    return render(
        request,
        "grants/invitation_accept.html",
        {"invitation": invitation, "organisation": organisation, "refusal": None},
    )
