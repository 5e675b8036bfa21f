"""Pages that grow with a council's providers stay bounded: the risk log shows fifty rows a
page (its exports every row), and the "Not reported today" panel names the first homes and
says how many more there are, while the reminder to all still reaches every one of them."""

import csv
import io

import pytest
from django.utils import timezone

from providers.models import Provider
from providers.return_links.selectors import NOT_REPORTED_LISTED
from tests.providers.factories import ProviderFactory
from winterplan.models import Council

pytestmark = pytest.mark.django_db

RISK_LOG = "/councils/halton/providers/risk-log/"


def test_the_risk_log_pages_fifty_rows_and_exports_every_row(halton_officer_client):
    halton = Council.objects.get(slug="halton")
    ProviderFactory.create_batch(60, council=halton, risk_rating="red",
                                 provider_type="domiciliary_care", registered_beds=None)
    red_or_amber = 60 + Provider.objects.filter(
        council=halton, risk_rating__in=["red", "amber"]).exclude(
        name__startswith="Test Home").count()

    first = halton_officer_client.get(RISK_LOG)
    assert first.status_code == 200
    assert len(first.context["table"].page.object_list) == 50
    assert first.context["table"].paginator.count >= red_or_amber
    assert "page=2" in first.content.decode()
    second = halton_officer_client.get(RISK_LOG + "?page=2")
    shown = {row.record.pk for row in first.context["table"].page.object_list} | {
        row.record.pk for row in second.context["table"].page.object_list}
    assert len(shown) == min(first.context["table"].paginator.count, 100)

    exported = halton_officer_client.get(RISK_LOG + "?_export=csv")
    rows = list(csv.reader(io.StringIO(exported.getvalue().decode())))
    assert len(rows) - 1 == first.context["table"].paginator.count


def test_not_reported_names_the_first_homes_and_counts_the_rest(halton_officer_client,
                                                                mailbox):
    halton = Council.objects.get(slug="halton")
    for home in ProviderFactory.create_batch(40, council=halton):
        home.contact_email = f"manager@{home.cqc_location_id}.example.org"
        home.save()
    total = Provider.objects.filter(
        council=halton, provider_type__startswith="care_home").exclude(
        daily_returns__date=timezone.localdate()).count()
    assert total > NOT_REPORTED_LISTED

    for url in (RISK_LOG, "/councils/halton/providers/returns/"):
        response = halton_officer_client.get(url)
        body = response.content.decode()
        assert len(response.context["not_reported"]) == NOT_REPORTED_LISTED
        assert f"{total} care homes have not sent today's return" in body
        assert f"And {total - NOT_REPORTED_LISTED} more." in body
        assert "missing=on" in body
        assert f"Send a reminder to all {total}" in body

    with_email = Provider.objects.filter(
        council=halton, provider_type__startswith="care_home").exclude(
        daily_returns__date=timezone.localdate()).exclude(contact_email="").count()
    halton_officer_client.post("/councils/halton/providers/returns/reminders/",
                               {"all": "on", "back": "risk-log"})
    assert len(mailbox.messages) == with_email
