"""Requirement.ref, backfilled deterministically: plans by slug, key areas in their order
(theme, position), each key area's prefix from its slug's initials (distinct in the plan),
then PREFIX-position. The rule is frozen here (a copy of actions.models.ref_prefix)."""

import django.core.validators
from django.db import migrations, models

STOPWORDS = {"a", "an", "and", "for", "in", "of", "on", "or", "the", "to", "with"}


def _prefix(slug):
    words = [word for word in slug.split("-") if word]
    kept = [word for word in words if word not in STOPWORDS] or words or ["req"]
    if len(kept) == 1:
        return kept[0][:3].upper()
    return "".join(word[0] for word in kept[:4]).upper()


def backfill_refs(apps, schema_editor):
    NationalPlan = apps.get_model("actions", "NationalPlan")
    KeyArea = apps.get_model("actions", "KeyArea")
    Requirement = apps.get_model("actions", "Requirement")
    HistoricalRequirement = apps.get_model("actions", "HistoricalRequirement")
    for plan in NationalPlan.objects.order_by("slug"):
        taken, used = set(), set()
        areas = KeyArea.objects.filter(national_plan=plan).order_by(
            "theme__position", "position", "pk")
        for area in areas:
            base = _prefix(area.slug)
            prefix, number = base, 1
            while prefix in taken:
                number += 1
                prefix = f"{base}{number}"
            taken.add(prefix)
            for requirement in Requirement.objects.filter(key_area=area).order_by("position"):
                number = requirement.position
                while f"{prefix}-{number}" in used:
                    number += 1
                ref = f"{prefix}-{number}"
                used.add(ref)
                Requirement.objects.filter(pk=requirement.pk).update(ref=ref)
                HistoricalRequirement.objects.filter(id=requirement.pk).update(ref=ref)


class Migration(migrations.Migration):

    dependencies = [
        ('actions', '0008_historical_national_plan_column_headings'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalrequirement',
            name='ref',
            field=models.CharField(blank=True, help_text='Stable reference, unique in the national plan (e.g. “SFV-1”): given by the plan file or made from the key area and position when it is first imported, and never changed by a re-import. Requirements are matched from one import (or winter) to the next by it.', max_length=40, validators=[django.core.validators.RegexValidator('^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$', 'Letters, digits, “.”, “-” or “_”, at most 40.')], verbose_name='reference'),
        ),
        migrations.AddField(
            model_name='requirement',
            name='ref',
            field=models.CharField(blank=True, help_text='Stable reference, unique in the national plan (e.g. “SFV-1”): given by the plan file or made from the key area and position when it is first imported, and never changed by a re-import. Requirements are matched from one import (or winter) to the next by it.', max_length=40, validators=[django.core.validators.RegexValidator('^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$', 'Letters, digits, “.”, “-” or “_”, at most 40.')], verbose_name='reference'),
        ),
        migrations.RunPython(backfill_refs, migrations.RunPython.noop),
    ]
