"""Factories for provider data (sample councils come from the sample data)."""

import datetime

import factory

from providers.models import DailyReturn, Provider
from winterplan.models import Council


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council

    name = factory.Sequence(lambda n: f"Testshire {n} Council")
    slug = factory.Sequence(lambda n: f"testshire-{n}")
    address = "1 Test Street\nTestshire"
    dass_name = "A. Director"


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Test Home {n:04d}")
    provider_type = "care_home_residential"
    cqc_location_id = factory.Sequence(lambda n: f"1-{800000000 + n}")
    registered_beds = 30


class DailyReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DailyReturn

    provider = factory.SubFactory(ProviderFactory)
    date = datetime.date(2020, 7, 15)
    ppe_face_masks_days = 7
    ppe_eye_protection_days = 7
    ppe_aprons_days = 7
    ppe_gloves_days = 7
    ppe_hand_sanitiser_days = 7
    ppe_hand_wash_days = 7


def homes(council, count: int, **values) -> list[Provider]:
    """`count` care homes for the council, created in one query."""
    start = Provider.objects.count()
    kind = values.get("provider_type", "care_home_residential")
    beds = values.get("registered_beds", 20 if kind.startswith("care_home") else None)
    return Provider.objects.bulk_create(
        Provider(
            council=council, name=f"Bulk {kind} {start + n:05d}", provider_type=kind,
            cqc_location_id=f"1-{700000000 + start + n}", registered_beds=beds,
            people_supported=values.get("people_supported"),
        )
        for n in range(count)
    )
