"""Production hashes passwords with Argon2id at OWASP's minimum (m=19 MiB, t=2, p=1), and a
user whose password was hashed with PBKDF2 (Django's default, as older installs have) still
signs in and is rehashed with Argon2id. (The rest of the suite uses a fast MD5 hasher.)"""

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from winterplan import settings as production
from winterplan.models import User

pytestmark = pytest.mark.django_db

ARGON2ID_PREFIX = "argon2$argon2id$v=19$m=19456,t=2,p=1$"


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    return settings


def test_new_passwords_are_argon2id_at_owasp_minimum(production_hashers):
    assert make_password("a long enough passphrase").startswith(ARGON2ID_PREFIX)


def test_a_pbkdf2_password_still_signs_in_and_is_rehashed_with_argon2id(production_hashers):
    user = User.objects.create(username="older-install", email="older@example.org")
    user.password = make_password("correct horse battery staple", hasher="pbkdf2_sha256")
    user.save()
    assert user.password.startswith("pbkdf2_sha256$")

    refused = Client().post("/login/", {"username": "older-install", "password": "wrong"})
    assert refused.status_code == 200
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")

    signed_in = Client().post("/login/", {"username": "older-install",
                                          "password": "correct horse battery staple"})
    assert signed_in.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith(ARGON2ID_PREFIX)
    assert user.check_password("correct horse battery staple")
