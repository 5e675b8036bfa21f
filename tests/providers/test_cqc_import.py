"""CQC's file imported for one council: filtered to its own adult social care locations,
mapped to the register's types, updating the CQC location IDs it has, listing those not in
the file (never deleting them), previewed before anything is written, all-or-nothing."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from providers.cqc import synthetic
from providers.models import Provider
from providers.services.imports import ImportRefused, providers_import
from tests.providers.cqc_support import fixture

pytestmark = pytest.mark.django_db
NEW = {"1-920000001", "1-920000002", "1-920000003", "1-920000004"}
OTHER_FILE_ROWS = {"1-920000005", "1-920000006", "1-930000001", "1-930000002", "1-930000003",
                   "1-940000001", "1-940000002"}


def _import(council, name="hsca-active-locations.xlsx", content=None, **kwargs):
    return providers_import(council=council, filename=name,
                            content=content if content is not None else fixture(name),
                            **kwargs)


@pytest.mark.parametrize("name", ["hsca-active-locations.xlsx", "hsca-active-locations.ods"])
def test_the_hsca_workbook_adds_the_councils_new_locations_mapped_to_the_register(
        halton, name):
    before = Provider.objects.count()
    result = _import(halton, name)
    assert result.applied and len(result.created) == 4
    added = {p.cqc_location_id: p for p in Provider.objects.filter(cqc_location_id__in=NEW)}
    assert set(added) == NEW and {p.council for p in added.values()} == {halton}
    home_care, supported, extra_care, nursing = (added[f"1-92000000{n}"] for n in (1, 2, 3, 4))
    assert (home_care.provider_type, home_care.client_group) == ("care_at_home", "mixed")
    assert (supported.provider_type, supported.client_group) == ("supported_living",
                                                                  "specialist")
    assert (extra_care.provider_type, extra_care.client_group) == ("extra_care_housing",
                                                                    "older_people")
    assert (nursing.provider_type, nursing.registered_beds) == ("care_home_nursing", 60)
    assert nursing.client_group == "older_people" and home_care.registered_beds is None
    # Other councils' rows, the dormant, the dentist and the shared lives scheme: not added.
    assert not Provider.objects.filter(cqc_location_id__in=OTHER_FILE_ROWS).exists()
    assert Provider.objects.count() == before + 4


def test_an_existing_cqc_id_is_updated_and_the_councils_own_fields_are_kept(halton):
    holly = Provider.objects.get(council=halton, cqc_location_id="1-910000002")
    Provider.objects.filter(pk=holly.pk).update(risk_rating="red", prime_provider=True)
    oak = Provider.objects.get(council=halton, cqc_location_id="1-910000005")
    result = _import(halton)
    assert sorted(result.updated) == ["Holly Court Nursing Home", "Oak Hall"]
    holly.refresh_from_db()
    assert holly.name == "Holly Court Nursing Home" and holly.registered_beds == 50
    assert holly.risk_rating == "red" and holly.prime_provider and holly.council_run
    assert holly.version == 2 and holly.history.first().name == "Holly Court Nursing Home"
    oak.refresh_from_db()
    assert oak.provider_type == "care_home_nursing" and oak.registered_beds == 40


def test_the_councils_locations_not_in_the_file_are_listed_and_never_deleted(halton):
    register = set(Provider.objects.filter(council=halton)
                   .values_list("cqc_location_id", flat=True))
    result = _import(halton)
    missing = {m.cqc_location_id: m.reason for m in result.missing}
    in_file = {"1-910000001", "1-910000002", "1-910000005", "1-910000016"}
    assert set(missing) == register - in_file
    assert missing["1-910000003"] == "dormant in CQC's file"
    assert missing["1-910000004"] == "not in CQC's latest file"
    assert register <= set(Provider.objects.filter(council=halton)
                           .values_list("cqc_location_id", flat=True))
    assert Provider.objects.get(cqc_location_id="1-910000003").name == "Sycamore Gardens"


def test_the_preview_shows_new_changed_field_by_field_and_missing_and_writes_nothing(halton):
    before = list(Provider.objects.filter(council=halton).values())
    result = _import(halton, dry_run=True)
    assert not result.applied and len(result.created) == 4 and len(result.missing) == 21
    changes = {change.cqc_location_id: [(f.label, f.old, f.new) for f in change.fields]
               for change in result.changes}
    assert changes == {
        "1-910000002": [("name", "Holly Court", "Holly Court Nursing Home"),
                        ("registered beds", "47", "50")],
        "1-910000005": [("type", "Care home (residential)", "Care home (nursing)")],
    }
    assert sorted(result.unchanged) == ["Ash Lodge Intermediate Care Unit", "Sycamore Manor"]
    assert list(Provider.objects.filter(council=halton).values()) == before


def test_the_same_file_again_changes_nothing(halton):
    _import(halton)
    again = _import(halton)
    assert not again.created and not again.updated and not again.changes
    assert len(again.unchanged) == 8


def test_another_council_gets_only_its_own_rows_from_the_same_file(cheshire_east):
    result = _import(cheshire_east, "hsca-active-locations.ods")
    assert sorted(result.created) == ["Crewe Lodge", "Macclesfield Home Care"]
    assert result.source.left_out == {"dormant in CQC's file": 1}


def test_the_latin1_care_directory_imports_and_keeps_the_beds_it_does_not_give(halton):
    result = _import(halton, "cqc-directory.csv")
    cafe = Provider.objects.get(council=halton, cqc_location_id="1-920000001")
    assert cafe.name == "Café Lane Home Care" and cafe.provider_type == "care_at_home"
    assert Provider.objects.get(cqc_location_id="1-920000002").provider_type == \
        "supported_living"
    holly = Provider.objects.get(council=halton, cqc_location_id="1-910000002")
    assert holly.name == "Holly Court Nursing Home" and holly.registered_beds == 47
    assert result.source.layout == "directory"


def test_one_bad_row_of_the_council_refuses_the_whole_file_naming_cqcs_column(halton):
    rows = [
        synthetic.hsca_row(**{"Location ID": "1-920000101", "Location Name": "Good Home",
                              "Care home?": "Y", "Dormant (Y/N)": "N", "Care homes beds": "20",
                              "Location Inspection Directorate": "Adult social care",
                              "Location Local Authority": "Halton",
                              "Service type - Care home service without nursing": "Y"}),
        synthetic.hsca_row(**{"Location ID": "1-920000102", "Location Name": "Bad Beds",
                              "Care home?": "Y", "Dormant (Y/N)": "N", "Care homes beds": "many",
                              "Location Inspection Directorate": "Adult social care",
                              "Location Local Authority": "Halton",
                              "Service type - Care home service without nursing": "Y"}),
        # Another council's bad row is no error: it is not read further than its area.
        synthetic.hsca_row(**{"Location ID": "oops", "Location Local Authority": "Warrington",
                              "Location Inspection Directorate": "Adult social care"}),
    ]
    before = Provider.objects.count()
    with pytest.raises(ImportRefused) as refused:
        _import(halton, "hsca.xlsx", synthetic.hsca_xlsx(rows))
    assert [(e.row, e.field) for e in refused.value.result.errors] == [(3, "Care homes beds")]
    assert Provider.objects.count() == before


def test_queries_do_not_grow_with_the_councils_rows(halton):
    def rows(count):
        return [synthetic.hsca_row(**{
            "Location ID": f"1-97{number:07d}", "Location Name": f"Home {number}",
            "Care home?": "N", "Dormant (Y/N)": "N",
            "Location Inspection Directorate": "Adult social care",
            "Location Local Authority": "Halton",
            "Service type - Domiciliary care service": "Y"}) for number in range(count)]

    def queries(count):
        with CaptureQueriesContext(connection) as captured:
            _import(halton, "hsca.xlsx", synthetic.hsca_xlsx(rows(count)))
        Provider.objects.filter(cqc_location_id__startswith="1-97").delete()
        return len(captured)

    assert queries(3) == queries(40)


def test_the_command_imports_a_cqc_file_and_reports_what_it_kept(halton, capsys):
    path = "fixtures/providers/cqc/hsca-active-locations.ods"
    call_command("import_providers", "--council", "halton", "--dry-run", path)
    out = capsys.readouterr().out
    assert "16 locations read, 5 of other local authorities" in out
    assert "changed Oak Hall (1-910000005): type: Care home (residential) → Care home " \
        "(nursing)" in out
    assert "kept Sycamore Gardens (1-910000003): dormant in CQC's file" in out
    assert "4 added, 2 updated, 2 unchanged, 21 not in CQC's latest file (kept) (dry run" in out
    assert not Provider.objects.filter(cqc_location_id__in=NEW).exists()
    call_command("import_providers", "--council", "halton", path)
    assert Provider.objects.filter(cqc_location_id__in=NEW).count() == 4


def test_a_location_cqc_files_under_another_authority_is_kept_and_says_where(halton):
    Provider.objects.create(council=halton, name="Border House", cqc_location_id="1-940000001",
                            provider_type="care_home_nursing", registered_beds=35)
    result = _import(halton, dry_run=True)
    missing = {m.cqc_location_id: m.reason for m in result.missing}
    assert missing["1-940000001"] == \
        "in CQC's file under another local authority (Warrington)"
