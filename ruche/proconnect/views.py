"""The OAuth2 adapter and views of the ProConnect provider."""

from __future__ import annotations

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.providers.oauth2.client import OAuth2Client, OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import build_absolute_uri, get_request_param
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from jwt import PyJWTError
from jwt import decode as decode_jwt

PROVIDER_ID = "proconnect"


def nonce_for(state: str) -> str:
    """The nonce sent with an authorisation request, derived from its state: the callback
    recomputes it from the state it received (which must be one stashed in this session)
    instead of storing one more value. 64 characters; ProConnect asks at least 32."""
    return salted_hmac("ruche.proconnect.nonce", state, algorithm="sha256").hexdigest()


class ProConnectClient(OAuth2Client):
    def get_redirect_url(self, authorization_url, scope, extra_params) -> str:
        params = {**extra_params, "nonce": nonce_for(self.state)}
        return super().get_redirect_url(authorization_url, scope, params)


class ProConnectAdapter(OpenIDConnectOAuth2Adapter):
    client_class = ProConnectClient

    def __init__(self, request) -> None:
        super().__init__(request, PROVIDER_ID)

    def get_callback_url(self, request, app) -> str:
        # One redirect URI to register with ProConnect, whatever the page's language.
        with translation.override("fr"):
            path = reverse(f"{PROVIDER_ID}_callback")
        return build_absolute_uri(request, path, self.redirect_uri_protocol)

    def complete_login(self, request, app, token, **kwargs):
        id_token = kwargs["response"].get("id_token")
        if not id_token:
            raise OAuth2Error("ProConnect sent no ID token")
        claims = self._decode_id_token(app, id_token)
        expected = nonce_for(get_request_param(request, "state") or "")
        if not constant_time_compare(claims.get("nonce") or "", expected):
            raise OAuth2Error("The ID token's nonce is not this sign-in's")
        userinfo = self._fetch_user_info(token.token)
        # OpenID Connect: the user information must be about the ID token's subject.
        if userinfo.get("sub") != claims.get("sub"):
            raise OAuth2Error("The user information is not about the ID token's subject")
        data = {"id_token": claims, "userinfo": userinfo}
        return self.get_provider().sociallogin_from_response(request, data)

    def _fetch_user_info(self, access_token: str) -> dict:
        """ProConnect answers a JWT signed with its keys (plain OpenID Connect servers may
        answer JSON). Its signature is checked, and its issuer and audience, which OpenID
        Connect says a signed answer should carry, when it carries them."""
        with get_adapter().get_requests_session() as session:
            response = session.get(
                self.profile_url, headers={"Authorization": f"Bearer {access_token}"}
            )
            response.raise_for_status()
        if not response.headers.get("Content-Type", "").startswith("application/jwt"):
            return response.json()
        signed = response.text.strip()
        try:
            unverified = decode_jwt(signed, options={"verify_signature": False})
            algorithm, key = jwtkit.fetch_key(
                signed, self.openid_config["jwks_uri"], jwtkit.lookup_kid_jwk
            )
            return decode_jwt(
                signed,
                key=key,
                algorithms=[algorithm],
                issuer=self.openid_config["issuer"] if "iss" in unverified else None,
                audience=self.get_provider().app.client_id if "aud" in unverified else None,
                options={"require": ["sub"]},
            )
        except (PyJWTError, KeyError) as error:
            raise OAuth2Error("Invalid ProConnect user information") from error


oauth2_login = OAuth2LoginView.adapter_view(ProConnectAdapter)
oauth2_callback = OAuth2CallbackView.adapter_view(ProConnectAdapter)
