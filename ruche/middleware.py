"""The Content-Security-Policy, with one exception for the staff's CMS admin."""

from __future__ import annotations

from urllib.parse import urlsplit

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

# Wagtail's date pickers write inline scripts without a nonce.
INLINE_SCRIPT_PREFIXES = ("/admin/", "/django-admin/")


def sign_in_origins() -> list[str]:
    """ProConnect's origin when it is configured: its sign-in button posts to Ruche, which
    redirects there, and browsers check that redirect against form-action."""
    apps = settings.SOCIALACCOUNT_PROVIDERS.get("proconnect", {}).get("APPS", [])
    urls = (urlsplit(app["settings"]["server_url"]) for app in apps)
    return sorted({f"{url.scheme}://{url.netloc}" for url in urls})


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy (settings.CONTENT_SECURITY_POLICY) on every page; in the admin,
    inline scripts are allowed, scripts from another origin still are not; forms may lead to
    ProConnect's sign-in when it is configured."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        origins = sign_in_origins()
        if origins:
            parts.update = {**(parts.update or {}), "form-action": origins}
        if request.path.startswith(INLINE_SCRIPT_PREFIXES):
            # A nonce in the policy would make browsers ignore 'unsafe-inline'.
            parts.replace = {**(parts.replace or {}), "script-src": [SELF, "'unsafe-inline'"]}
            parts.nonce = None
        return parts
