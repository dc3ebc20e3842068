"""django-allauth adapted to Ruche: emails through the task queue, throttling that a stranger
cannot turn against the account's owner."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest

from core.mail import deliver


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

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """Failed logins count per account *and* client address (``login_failed``'s ``key``),
        besides per address (its ``ip``): someone who only knows an email address cannot lock
        its owner out from elsewhere. A password reset clears the count, as allauth does."""
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{self.get_client_ip(request)}"
