"""Strong authentication where it matters: the people who read other companies' health-sector
files (programme staff, the committee, experts, administrators) sign in with a second factor,
and confirm who they are again before a decision, a stage change or a role change.

Both rules follow ``settings.RUCHE_REQUIRE_MFA`` (on in production, off in development and
tests unless turned on). The second factor itself is django-allauth's (``allauth.mfa``):
authenticator app (TOTP), security keys and passkeys (WebAuthn), recovery codes.
"""

from __future__ import annotations

from collections.abc import Callable

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.decorators import reauthentication_required
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .roles import COMMITTEE_GROUP, PROGRAMME_STAFF_GROUP, PROGRAMME_WIDE_GROUP, REVIEWERS_GROUP

SENSITIVE_GROUPS = (PROGRAMME_STAFF_GROUP, PROGRAMME_WIDE_GROUP, COMMITTEE_GROUP, REVIEWERS_GROUP)
# Pages a person without a second factor may still open: setting one up (allauth's mfa_*
# pages, and the password confirmation they ask for first), signing out, the language switch
# and the load balancers' health endpoint.
OPEN_URL_NAMES = frozenset({"account_logout", "account_reauthenticate", "set_language", "health"})


def mfa_required() -> bool:
    return bool(getattr(settings, "RUCHE_REQUIRE_MFA", False))


def needs_second_factor(user) -> bool:
    """Staff, committee members, experts (grouped, or holding a reviewer profile) and
    administrators; applicants choose for themselves."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    if hasattr(user, "reviewer_profile"):
        return True
    return user.groups.filter(name__in=SENSITIVE_GROUPS).exists()


def _is_open(request: HttpRequest) -> bool:
    if request.path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
        return True
    match = request.resolver_match
    name = (match.url_name or "") if match else ""
    return name.startswith("mfa_") or name in OPEN_URL_NAMES


class RequireMFAMiddleware:
    """Sends a person who must use a second factor and has none to the page where they add
    one, from every other page, with the reason. After allauth's AccountMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if not mfa_required():
            return None
        user = request.user
        if not needs_second_factor(user):
            return None
        if is_mfa_enabled(user):
            return self._second_factor_instead_of_password(request)
        if _is_open(request):
            return None
        messages.warning(
            request,
            _(
                "Votre rôle donne accès aux dossiers d'autres entreprises : activez la double "
                "authentification (application d'authentification ou clé de sécurité) pour "
                "continuer."
            ),
            fail_silently=True,
        )
        return redirect("mfa_index")

    @staticmethod
    def _second_factor_instead_of_password(request: HttpRequest) -> HttpResponse | None:
        """allauth's password confirmation page answers whoever opens it: a person with a
        second factor is sent to its confirmation instead (the adapter offers only that)."""
        match = request.resolver_match
        if not match or match.url_name != "account_reauthenticate":
            return None
        methods = get_account_adapter(request).get_reauthentication_methods(request.user)
        if not methods or methods[0]["id"] == "reauthenticate":
            return None
        query = request.META.get("QUERY_STRING", "")
        return redirect(f"{methods[0]['url']}?{query}" if query else methods[0]["url"])


def _reauthentication_on(request: HttpRequest) -> bool:
    return mfa_required()


def sensitive_action(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view whose POSTs decide something (a decision, a stage change, a role): when MFA is
    required, they need a confirmation of identity from the last few minutes (the second
    factor for those who have one). allauth suspends the POST, asks, then replays it; GETs
    pass."""
    return reauthentication_required(view, allow_get=True, enabled=_reauthentication_on)


def _confirmed(request: HttpRequest) -> None:
    return None


def confirm_identity(request: HttpRequest) -> None:
    """The same rule inside a view that is not ours (the CMS admin's hooks): raises allauth's
    ReauthenticationRequired, which its middleware turns into the confirmation page."""
    sensitive_action(_confirmed)(request)


def confirm_identity_on_post(request: HttpRequest) -> None:
    """``confirm_identity`` for a POST (the change itself); a GET shows the form freely."""
    if request.method == "POST":
        confirm_identity(request)
