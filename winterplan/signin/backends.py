"""Authentication backends: passwords (off per council, never for admins) and OpenID Connect."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from winterplan.people import selectors as people_selectors
from winterplan.people import services as people_services
from winterplan.permissions import ADMIN, role_of
from winterplan.signin import provider
from winterplan.signin.services import user_role_set_from_claims

#: Why a council sign-in was refused (`templates/signin/refused.html` says what to do).
UNVERIFIED, UNKNOWN, DUPLICATE, INACTIVE, NO_ROLE = (
    "unverified", "unknown", "duplicate", "inactive", "no-role")


def local_sign_in_allowed(user) -> bool:
    """A password signs in an admin always, anyone else unless their council turned it off."""
    if role_of(user) == ADMIN or user.council_id is None:
        return True
    return user.council.local_sign_in_allowed


class PasswordBackend(ModelBackend):
    """Django's username and password; a correct password of a council that signs in only with
    its council accounts is refused, and the request says so for the sign-in form's message."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and not local_sign_in_allowed(user):
            if request is not None:
                request.local_sign_in_refused = user.council
            return None
        return user


def email_is_verified(claims: dict) -> bool:
    """The provider vouches for the address: `email_verified` true, or Entra ID's `xms_edov`
    (the domain's owner verified it); with neither claim only when
    OIDC_TRUST_EMAIL_VERIFIED_MISSING says this provider issues only its own domain's
    addresses. An explicit `email_verified: false` is always refused."""
    verified = claims.get("email_verified")
    if isinstance(verified, str):  # some providers send "true"
        verified = verified.lower() == "true"
    if verified is not None:
        return verified is True
    if "xms_edov" in claims:
        return claims["xms_edov"] in (True, "true", "1", 1)
    return settings.OIDC_TRUST_EMAIL_VERIFIED_MISSING


class CouncilOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's code flow; the user is an existing active user with the verified
    e-mail (case-insensitive), never a new one; the role follows the token's groups only when
    OIDC_ROLE_CLAIM and OIDC_ROLE_MAP are set."""

    def __init__(self, *args, **kwargs):
        # Django builds a backend for every request's get_user: read the provider only when a
        # sign-in comes back (authenticate), not here as the library does.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if not settings.OIDC_ENABLED or request is None or "nonce" not in kwargs:
            return None  # a password sign-in, or SSO not configured
        found = provider.endpoints()
        self.OIDC_OP_TOKEN_ENDPOINT = found["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = found["userinfo_endpoint"]
        self.OIDC_OP_JWKS_ENDPOINT = found["jwks_uri"]
        self.issuer = found["issuer"]
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    def get_user(self, user_id):
        return ModelBackend.get_user(self, user_id)  # inactive users are signed out

    def verify_token(self, token, **kwargs):
        """The library checks the signature, expiry and nonce; the token must also be issued
        to this client by the configured issuer."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was not issued to this client.")
        if self.issuer and payload.get("iss") != self.issuer:
            raise SuspiciousOperation("The ID token comes from another issuer.")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The userinfo endpoint's claims under the ID token's (signed, and where Entra ID puts
        `groups` and `xms_edov`); userinfo about another subject is refused."""
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if str(userinfo.get("sub")) != str(payload.get("sub")):
            raise SuspiciousOperation("The userinfo endpoint answered about another subject.")
        return {**userinfo, **payload}

    def get_or_create_user(self, access_token, id_token, payload):
        """The one active user with the verified e-mail, or None with the reason left on the
        request for the refusal page."""
        claims = self.get_userinfo(access_token, id_token, payload)
        email = str(claims.get("email") or "").strip()
        refusal = self.request.sso_refusal = {"email": email, "user": None}
        if not email or not email_is_verified(claims):
            refusal["reason"] = UNVERIFIED
            return None
        users = list(self.UserModel.objects.filter(email__iexact=email)
                     .select_related("council")[:2])
        if not users:
            invitation = people_selectors.pending_invitation_for_email(email)
            if invitation is None:
                refusal["reason"] = UNKNOWN
                return None
            users = [people_services.invitation_accept_by_sign_in(
                invitation=invitation, first_name=str(claims.get("given_name") or "")[:150],
                last_name=str(claims.get("family_name") or "")[:150])]
        if len(users) > 1:
            refusal["reason"] = DUPLICATE
            return None
        user = refusal["user"] = users[0]
        if not user.is_active:
            refusal["reason"] = INACTIVE
            return None
        if not user_role_set_from_claims(user=user, claims=claims):
            refusal["reason"] = NO_ROLE
            return None
        del self.request.sso_refusal
        return user

