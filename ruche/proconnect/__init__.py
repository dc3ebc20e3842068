"""Sign-in with ProConnect, the State's identity federation for professionals.

An allauth social provider built on allauth's OpenID Connect provider, with what ProConnect
asks beyond plain OpenID Connect: a ``nonce`` (checked against the ID token) and a ``state`` of
at least 32 characters, no other authorisation parameter (so no PKCE), and user information
returned as a signed JWT. Configured from the environment (``ruche/settings/base.py``); off when
unset.
"""
