"""Signing in: passwords (turned off per council) and single sign-on with OpenID Connect.

SSO is mozilla-django-oidc's authorization-code flow (with PKCE) and its authentication
backend, subclassed in `backends.py` for our rules: a user is found by a *verified* e-mail
among existing active users (nobody is ever created), their council is their record's, and
their role stays as managed here unless `OIDC_ROLE_CLAIM` and `OIDC_ROLE_MAP` say the token's
groups decide it. A refusal is a page saying whom to ask, never a redirect loop.
"""
