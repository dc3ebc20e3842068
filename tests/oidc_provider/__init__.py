"""A real OpenID Connect provider for the ProConnect sign-in tests, built with
django-oauth-toolkit and installed by the test settings only (``ruche/settings/test.py``).

It behaves as ProConnect does where Ruche depends on it: ProConnect's scopes and claims
(``email``, ``given_name``, ``usual_name``, ``uid``, ``siret``), the nonce echoed in the ID
token, no PKCE, and the user information answered as a JWT signed with the provider's RSA key.

Its people are the provider's own accounts: rows of the user table whose username is the
professional email address and whose ``email`` stays empty, so that Ruche, which looks people
up by email, never mistakes one for a Ruche account. They sign in on the provider's own page
(``/fournisseur-oidc/connexion/``), not on Ruche's.
"""
