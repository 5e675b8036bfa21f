"""History in the admin is read-only for every model that has it: no history model is
registered (so none can be edited or deleted there), and a past version's page shows it but
neither reverts to it nor saves a POST."""

import pytest
from django.contrib import admin
from django.urls import reverse
from simple_history.models import HistoricalChanges

from winterplan.admin import ReadOnlyHistoryAdmin

pytestmark = pytest.mark.django_db

WITH_HISTORY = sorted(
    (model for model in admin.site._registry if hasattr(model, "history")),
    key=lambda model: model._meta.label,
)


def test_no_historical_model_is_in_the_admin():
    assert not [model for model in admin.site._registry if issubclass(model, HistoricalChanges)]


@pytest.mark.parametrize("model", WITH_HISTORY, ids=lambda model: model._meta.label)
def test_every_model_with_history_is_administered_read_only_for_its_history(model):
    assert isinstance(admin.site._registry[model], ReadOnlyHistoryAdmin)


@pytest.mark.parametrize("model", WITH_HISTORY, ids=lambda model: model._meta.label)
def test_a_past_version_can_be_read_but_not_reverted_or_saved(admin_client, model):
    record = model.history.order_by("history_id").first()
    if record is None:
        pytest.skip(f"no {model._meta.verbose_name} history in the sample data")
    current = model._default_manager.filter(pk=record.id).first()
    if current is None:
        pytest.skip("the object is gone")
    info = model._meta.app_label, model._meta.model_name
    url = reverse(f"admin:{info[0]}_{info[1]}_simple_history", args=[record.id,
                                                                     record.history_id])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content and b"Revert" not in page.content
    count = model.history.count()
    assert admin_client.post(url, {"_save": "Save"}).status_code == 403
    assert model.history.count() == count
