"""ProConnect's claims and signed user information, on django-oauth-toolkit's validator."""

from __future__ import annotations

import json

from jwcrypto import jwt
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.settings import oauth2_settings

SIRET = "13002526500013"  # the agent's establishment, a claim ProConnect always sends


class ProConnectLikeValidator(OAuth2Validator):
    # Which scope releases which claim: ProConnect's scopes are named after its claims.
    oidc_claim_scope = {
        "sub": "openid",
        "idp_id": "openid",
        "email": "email",
        "given_name": "given_name",
        "usual_name": "usual_name",
        "uid": "uid",
        "siret": "siret",
    }

    def get_additional_claims(self, request) -> dict:
        user = request.user
        return {
            "idp_id": "annuaire-de-test",
            "email": user.username,
            "given_name": user.first_name,
            "usual_name": user.last_name,
            "uid": str(user.pk),
            "siret": SIRET,
        }

    def get_userinfo_claims(self, request) -> str:
        """A JWT signed like the ID token, as ProConnect answers (a str: oauthlib then sends
        it as application/jwt)."""
        claims = super().get_userinfo_claims(request)
        claims.update(iss=oauth2_settings.oidc_issuer(request), aud=request.client.client_id)
        key = request.client.jwk_key
        header = {"typ": "JWT", "alg": request.client.algorithm, "kid": key.thumbprint()}
        token = jwt.JWT(header=json.dumps(header), claims=json.dumps(claims))
        token.make_signed_token(key)
        return token.serialize()
