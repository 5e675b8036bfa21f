"""The OpenID provider's endpoints: from the settings, or discovered from the issuer."""

import requests
from django.conf import settings
from django.core.cache import cache

ENDPOINT_SETTINGS = {
    "authorization_endpoint": "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "token_endpoint": "OIDC_OP_TOKEN_ENDPOINT",
    "userinfo_endpoint": "OIDC_OP_USER_ENDPOINT",
    "jwks_uri": "OIDC_OP_JWKS_ENDPOINT",
}
DISCOVERY_CACHE_SECONDS = 60 * 60


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read."""


def endpoints() -> dict[str, str]:
    """The four endpoints and the issuer: each explicit setting wins over the issuer's
    discovery document, which is read once an hour (cached, so every process shares it)."""
    explicit = {key: getattr(settings, name, None) for key, name in ENDPOINT_SETTINGS.items()}
    issuer = settings.OIDC_OP_ISSUER
    if all(explicit.values()) or not issuer:
        return {**explicit, "issuer": issuer}
    key = f"signin:oidc-discovery:{issuer}"
    document = cache.get(key)
    if document is None:
        url = issuer.rstrip("/") + "/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as error:
            raise ProviderUnavailable(f"{url}: {error}") from error
        cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    found = {key: explicit[key] or document.get(key) for key in ENDPOINT_SETTINGS}
    return {**found, "issuer": document.get("issuer", issuer)}
