"""A real OpenID Connect provider for the tests: django-oauth-toolkit in its own process.

`tests/winterplan/test_sso.py` starts it on a free loopback port with its own SQLite file and
an RS256 key made for the run; its users and their claims come from a JSON file
(`PROVIDER_USERS`), so a test decides what the token says (e-mail, `email_verified`, groups).
"""
