from __future__ import annotations

import secrets

from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider
from allauth.socialaccount.providers.openid_connect.provider import (
    OpenIDConnectProvider,
    OpenIDConnectProviderAccount,
)

from .views import ProConnectAdapter


class ProConnectAccount(OpenIDConnectProviderAccount):
    def to_str(self) -> str:
        data = self.get_user_data() or {}
        return data.get("email") or super().to_str()


class ProConnectProvider(OpenIDConnectProvider):
    id = "proconnect"
    name = "ProConnect"
    account_class = ProConnectAccount
    oauth2_adapter_class = ProConnectAdapter

    # One ProConnect per site: its URLs are /proconnect/login/ and /proconnect/login/callback/,
    # not the OpenID Connect provider's per-server ones.
    get_login_url = OAuth2Provider.get_login_url
    get_callback_url = OAuth2Provider.get_callback_url

    def get_oauth2_adapter(self, request):
        return self.oauth2_adapter_class(request)

    def get_default_scope(self) -> list[str]:
        # ProConnect's scopes are claims: no « profile ».
        return ["openid", "email", "given_name", "usual_name"]

    def get_pkce_params(self) -> dict:
        # ProConnect refuses any authorisation parameter it does not list, PKCE's included.
        return {}

    def stash_redirect_state(
        self, request, process, next_url=None, data=None, state_id=None, **kwargs
    ):
        # ProConnect refuses a state shorter than 32 characters (allauth's are 16).
        return super().stash_redirect_state(
            request,
            process,
            next_url,
            data,
            state_id=state_id or secrets.token_urlsafe(32),
            **kwargs,
        )

    def extract_common_fields(self, data: dict) -> dict:
        fields = super().extract_common_fields(data)
        userinfo = data.get("userinfo") or {}
        fields.update(
            first_name=userinfo.get("given_name") or fields.get("first_name"),
            last_name=userinfo.get("usual_name") or fields.get("last_name"),
        )
        return fields


provider_classes = [ProConnectProvider]
