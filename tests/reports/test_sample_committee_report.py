"""The sample committee report (fixtures/reports/) is loaded as data, and loads idempotently."""

import pytest

from actions.services.plan_files import read_yaml
from reports.models import CommitteeReport
from reports.services import committee_report_import
from winterplan.sample_data import FIXTURES

pytestmark = pytest.mark.django_db


def test_the_sample_report_has_the_seed_sections_and_appendix_one():
    report = CommitteeReport.objects.get(local_plan__slug="cheshire-east-2020-21")
    top = list(report.sections.filter(parent=None).values_list("number", "heading"))
    assert [number for number, _ in top] == [str(n) for n in range(1, 11)]
    assert top[0] == ("1", "Report Summary") and top[-1] == ("10", "Contact Information")
    implications = report.sections.get(key="implications")
    assert [s.number for s in implications.subsections.order_by("position")] == [
        f"6.{n}" for n in range(1, 11)]
    assert report.contact_name == "Alex Jones"
    assert report.appendix_one_title.startswith("ADASS letter received 19/09/2020")
    assert report.appendix_one_body.startswith("Dear Mark,")
    assert report.appendix_links.count() == 7


@pytest.mark.parametrize("update", [False, True])
def test_loading_the_file_again_writes_nothing(update):
    data = read_yaml(FIXTURES / "reports" / "cheshire-east-2020-21.yaml")
    _, written = committee_report_import(data, update=update)
    assert written == 0
