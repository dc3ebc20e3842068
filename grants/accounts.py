"""django-allauth adapted to Ruche: emails through the task queue, links built from the one
configured site address, throttling that a stranger cannot turn against the account's owner,
confirmation of identity by the second factor for those who have one."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.forms import AddWebAuthnForm, EditWebAuthnForm
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.mail import absolute_url, deliver
from core.mfa import mfa_required, needs_second_factor


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Rendered now, in the visitor's language; sent by the worker. A mail server that is
        down delays the verification email, it does not fail the sign-up."""
        request = allauth_context.request
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        # The database queue's row is written in the request's transaction, if any.
        deliver([self.render_mail(template_prefix, email, context)])

    def get_email_confirmation_url(self, request: HttpRequest | None, emailconfirmation) -> str:
        """The verification link on the site's configured address (RUCHE_BASE_URL), like every
        other email's, whatever host the request came through."""
        return absolute_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", quote(key)))

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """Failed logins count per account *and* client address (``login_failed``'s ``key``),
        besides per address (its ``ip``): someone who only knows an email address cannot lock
        its owner out from elsewhere. A password reset clears the count, as allauth does."""
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{self.get_client_ip(request)}"

    def get_reauthentication_methods(self, user) -> list[dict]:
        """Before a sensitive action, a person with a second factor confirms with it: when MFA
        is required, a password (which a phishing page may have taken) is not offered."""
        methods = super().get_reauthentication_methods(user)
        second_factor = [m for m in methods if m["id"] != "reauthenticate"]
        if second_factor and mfa_required():
            return second_factor
        return methods


# allauth leaves the key's name field unlabelled (Django then shows « Name », untranslated).
KEY_NAME_LABEL = _("Nom de la clé")


class AddKeyForm(AddWebAuthnForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = KEY_NAME_LABEL


class EditKeyForm(EditWebAuthnForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = KEY_NAME_LABEL


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Votre rôle exige la double authentification : ajoutez une clé de sécurité avant "
            "de désactiver l'application."
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Someone held to a second factor keeps one: the app goes once a key is there."""
        user = authenticator.user
        if not (mfa_required() and needs_second_factor(user)):
            return True
        others = Authenticator.objects.filter(user=user).exclude(pk=authenticator.pk)
        return others.exclude(type=Authenticator.Type.RECOVERY_CODES).exists()
