"""The Content-Security-Policy, with one exception for the staff's CMS admin."""

from __future__ import annotations

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponseBase

# Wagtail's date pickers write inline scripts without a nonce.
INLINE_SCRIPT_PREFIXES = ("/admin/", "/django-admin/")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy (settings.CONTENT_SECURITY_POLICY) on every page; in the admin,
    inline scripts are allowed, scripts from another origin still are not."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith(INLINE_SCRIPT_PREFIXES):
            # A nonce in the policy would make browsers ignore 'unsafe-inline'.
            parts.replace = {**(parts.replace or {}), "script-src": [SELF, "'unsafe-inline'"]}
            parts.nonce = None
        return parts
