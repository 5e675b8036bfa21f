"""The sign-in form."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

LOCAL_SIGN_IN_OFF = (
    "{council} signs in with council accounts, not passwords: use “Sign in with your council "
    "account”."
)


class SignInForm(AuthenticationForm):
    """Username and password; a council with passwords turned off is told to use SSO (said
    only after a correct password, so it reveals nothing to a guesser)."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            council = getattr(self.request, "local_sign_in_refused", None)
            if council is not None:
                raise ValidationError(
                    LOCAL_SIGN_IN_OFF.format(council=council), code="local_sign_in_off"
                ) from None
            raise
