"""Fixtures for return links: a Halton care home with a contact address, a link issued to it
by Halton's officer (the token in clear, as the officer saw it once), and the form's data."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from providers.models import Provider
from providers.return_links.services import return_link_issue
from winterplan.models import User


@pytest.fixture(autouse=True)
def _fresh_counters():
    """Rate-limit counters live in the shared cache: each test starts from none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home(db):
    home = Provider.objects.get(council__slug="halton", name="Lime Gardens")
    home.contact_email = "manager@lime-gardens.example"
    home.save()
    return home


@pytest.fixture
def other_home(db):
    return Provider.objects.get(council__slug="halton", name="Alder View")


@pytest.fixture
def halton_officer(db):
    return User.objects.get(username="halton-officer")


def link_path(token: str) -> str:
    return reverse("return-links:provider-return", args=[token])


@pytest.fixture
def issued(home, halton_officer):
    return return_link_issue(provider=home, user=halton_officer,
                             link_for=lambda token: "http://testserver" + link_path(token))


@pytest.fixture
def token(issued):
    return issued.token


def return_data(**values) -> dict:
    """A complete, valid return as the form posts it (unticked boxes are absent)."""
    data = {
        "day": "today", "resident_cases": "0", "staff_cases": "0", "vacant_beds": "2",
        "ppe_face_masks_days": "10", "ppe_eye_protection_days": "10", "ppe_aprons_days": "10",
        "ppe_gloves_days": "10", "ppe_hand_sanitiser_days": "10", "ppe_hand_wash_days": "10",
        "capacity_tracker_updated": "on", "nhsmail_working": "on", "issues": "",
        "overview": "",
    }
    data.update(values)
    return {name: value for name, value in data.items() if value is not None}
