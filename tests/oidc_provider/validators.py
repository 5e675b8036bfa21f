"""Claims of the loopback provider's users, read from PROVIDER_USERS (a JSON file)."""

import json
import os
from pathlib import Path

from oauth2_provider.oauth2_validators import OAuth2Validator


def provider_users() -> dict:
    """{username: {"password": ..., "claims": {...}}} as the fixture wrote them."""
    return json.loads(Path(os.environ["PROVIDER_USERS"]).read_text())


class ClaimsFromFile(OAuth2Validator):
    """Every claim the file gives the user, in the ID token and from the userinfo endpoint."""

    oidc_claim_scope = None

    def get_additional_claims(self, request):
        return provider_users()[request.user.username]["claims"]
