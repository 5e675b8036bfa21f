"""Create the provider's users (PROVIDER_USERS) and our app's confidential client."""

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from oauth2_provider.models import Application

from tests.oidc_provider.validators import provider_users


class Command(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--client-secret", required=True)
        parser.add_argument("--redirect-uri", required=True)

    def handle(self, *args, client_id, client_secret, redirect_uri, **options):
        for username, entry in provider_users().items():
            User.objects.create_user(username, password=entry["password"])
        Application.objects.create(
            name="Winter Plan Tracker", client_id=client_id, client_secret=client_secret,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=redirect_uri, algorithm=Application.RS256_ALGORITHM,
            skip_authorization=True,
        )
