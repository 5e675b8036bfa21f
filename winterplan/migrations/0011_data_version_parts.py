"""A data version per part of a council's data (plan, providers) instead of one counter.

Both new counters start at the old one, so nothing cached under an old key is found under a
new one by accident; going back, the one counter is the sum of the parts (it only rises)."""

from django.db import migrations, models


def split(apps, schema_editor):
    DataVersion = apps.get_model("winterplan", "DataVersion")
    DataVersion.objects.update(plan_version=models.F("version"),
                               providers_version=models.F("version"))


def join(apps, schema_editor):
    DataVersion = apps.get_model("winterplan", "DataVersion")
    DataVersion.objects.update(version=models.F("plan_version") + models.F("providers_version"))


class Migration(migrations.Migration):

    dependencies = [
        ('winterplan', '0010_data_version'),
    ]

    operations = [
        migrations.AddField(
            model_name='dataversion',
            name='plan_version',
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='dataversion',
            name='providers_version',
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.RunPython(split, join),
        migrations.RemoveField(
            model_name='dataversion',
            name='version',
        ),
    ]
