"""A framework that asks for no confirmation letter (Halton's) has no letter anywhere: not on
the documents page, and every letter URL answers 404, while DHSC's plan keeps its letter."""

import pytest
from django.test import Client

from winterplan.models import User

pytestmark = pytest.mark.django_db

LETTER_URLS = ["dhsc-letter/", "dhsc-letter.pdf", "dhsc-letter/edit/", "dhsc-letter/approve/",
               "dhsc-letter/sent/"]


def _manager(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_documents_page_of_a_plan_without_a_letter_does_not_offer_one():
    page = _manager("halton-manager").get("/plans/halton-2020/documents/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Letter to DHSC" not in body and "dhsc-letter" not in body
    dhsc = _manager("manager").get("/plans/cheshire-east-2020-21/documents/").content.decode()
    assert "Letter to DHSC" in dhsc and "/dhsc-letter/" in dhsc


@pytest.mark.parametrize("url", LETTER_URLS)
def test_every_letter_url_of_a_plan_without_a_letter_answers_404(url):
    manager = _manager("halton-manager")
    assert manager.get(f"/plans/halton-2020/documents/{url}").status_code == 404
    assert manager.post(f"/plans/halton-2020/documents/{url}", {"version": "1"}
                        ).status_code in (404, 405)
