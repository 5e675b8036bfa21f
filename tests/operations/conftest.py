import pytest

from winterplan.sample_data import sample_data_load


@pytest.fixture
def sample_data_after_flush(django_db_blocker):
    """For a transactional test (request it before `transactional_db`): its teardown runs
    after the flush, and loads the sample data again for the tests after it."""
    yield
    with django_db_blocker.unblock():
        sample_data_load(demo_users=True, second_winter=False)
