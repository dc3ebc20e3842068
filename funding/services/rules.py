"""What every follow-up service shares: the refusal it raises, the call's funding terms, the
convention locked for the transaction, one transition fired, and who may act for the operator."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_fsm import can_proceed

from core.refusals import Refused
from core.roles import is_programme_staff

from ..models import Convention, FundingTerms


class FundingRefused(Refused):
    """A rule of the follow-up refused the action; ``messages`` say why."""


def terms_of(call) -> FundingTerms:
    """The call's funding terms, or the defaults (unsaved) when staff set none."""
    return FundingTerms.objects.filter(call=call).first() or FundingTerms(call=call)


def locked(convention: Convention) -> Convention:
    return (
        Convention.objects.select_for_update(of=("self",))
        .select_related("application__call", "application__organisation")
        .get(pk=convention.pk)
    )


def fire(convention: Convention, name: str) -> None:
    method = getattr(convention, name)
    if not can_proceed(method):
        raise FundingRefused([_("Cette action n'est pas possible dans l'état de la convention.")])
    method()
    convention.save()


def require_staff(user, convention: Convention | None = None) -> None:
    """Programme staff, and of the convention's call when there is one: officers of other
    operators' calls may not act (``CallPage.is_run_by``)."""
    if not is_programme_staff(user) or (
        convention is not None and not convention.application.call.is_run_by(user)
    ):
        raise FundingRefused([_("Seuls les chargés de mission de l'appel peuvent faire cela.")])
