"""ADASS regions as rows; a council's free-text region becomes one of them (names matched
without regard to case, "East of England" read as Eastern); a council's ONS code and the days
it began and ended; a regional reader's region."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

REGIONS = [
    ("north-east", "North East"),
    ("north-west", "North West"),
    ("yorkshire-and-the-humber", "Yorkshire and the Humber"),
    ("east-midlands", "East Midlands"),
    ("west-midlands", "West Midlands"),
    ("eastern", "Eastern"),
    ("london", "London"),
    ("south-east", "South East"),
    ("south-west", "South West"),
]
ALIASES = {"east of england": "eastern", "yorkshire and humber": "yorkshire-and-the-humber"}


def regions_from_text(apps, schema_editor):
    Region = apps.get_model("winterplan", "Region")
    by_name = {}
    for slug, name in REGIONS:
        region, _ = Region.objects.get_or_create(slug=slug, defaults={"name": name})
        by_name[name.lower()] = region
        by_name[slug] = region
    by_name.update({alias: by_name[slug] for alias, slug in ALIASES.items()})
    for model in ("Council", "HistoricalCouncil"):
        rows = apps.get_model("winterplan", model).objects.exclude(region_text="")
        for row in rows:
            region = by_name.get(row.region_text.strip().lower())
            if region is not None:
                row.region_new = region
                row.save(update_fields=["region_new"])


def regions_to_text(apps, schema_editor):
    for model in ("Council", "HistoricalCouncil"):
        for row in apps.get_model("winterplan", model).objects.filter(region_new__isnull=False):
            row.region_text = row.region_new.name
            row.save(update_fields=["region_text"])


class Migration(migrations.Migration):

    dependencies = [
        ('winterplan', '0006_user_reminders_enabled'),
    ]

    operations = [
        migrations.CreateModel(
            name='Region',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=40, unique=True)),
                ('name', models.CharField(max_length=80, unique=True)),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.AddField(
            model_name='council',
            name='ended_on',
            field=models.DateField(blank=True, help_text='The last day it existed; blank: still running.', null=True),
        ),
        migrations.AddField(
            model_name='council',
            name='gss_code',
            field=models.CharField(blank=True, help_text='E06…, E08…, E09… or E10…', max_length=9, null=True, unique=True, validators=[django.core.validators.RegexValidator('^E(06|08|09|10)\\d{6}$', 'An English county, unitary, metropolitan or London borough code, e.g. E06000049.')], verbose_name='ONS (GSS) code'),
        ),
        migrations.AddField(
            model_name='council',
            name='started_on',
            field=models.DateField(blank=True, help_text='Blank: existed before the data starts.', null=True),
        ),
        migrations.AddField(
            model_name='historicalcouncil',
            name='ended_on',
            field=models.DateField(blank=True, help_text='The last day it existed; blank: still running.', null=True),
        ),
        migrations.AddField(
            model_name='historicalcouncil',
            name='gss_code',
            field=models.CharField(blank=True, db_index=True, help_text='E06…, E08…, E09… or E10…', max_length=9, null=True, validators=[django.core.validators.RegexValidator('^E(06|08|09|10)\\d{6}$', 'An English county, unitary, metropolitan or London borough code, e.g. E06000049.')], verbose_name='ONS (GSS) code'),
        ),
        migrations.AddField(
            model_name='historicalcouncil',
            name='started_on',
            field=models.DateField(blank=True, help_text='Blank: existed before the data starts.', null=True),
        ),
        migrations.AlterField(
            model_name='council',
            name='address',
            field=models.TextField(blank=True, help_text='Postal address block for letters, one line per line.'),
        ),
        migrations.AlterField(
            model_name='council',
            name='dass_name',
            field=models.CharField(blank=True, max_length=200, verbose_name='Director of Adult Social Services'),
        ),
        migrations.AlterField(
            model_name='historicalcouncil',
            name='address',
            field=models.TextField(blank=True, help_text='Postal address block for letters, one line per line.'),
        ),
        migrations.AlterField(
            model_name='historicalcouncil',
            name='dass_name',
            field=models.CharField(blank=True, max_length=200, verbose_name='Director of Adult Social Services'),
        ),
        migrations.AddField(
            model_name='historicaluser',
            name='region',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='Regional readers only: the ADASS region whose councils they read.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='winterplan.region'),
        ),
        migrations.AddField(
            model_name='user',
            name='region',
            field=models.ForeignKey(blank=True, help_text='Regional readers only: the ADASS region whose councils they read.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='users', to='winterplan.region'),
        ),
        # The free-text region becomes a foreign key, keeping what each council had.
        migrations.RenameField(model_name='council', old_name='region', new_name='region_text'),
        migrations.RenameField(
            model_name='historicalcouncil', old_name='region', new_name='region_text'),
        migrations.AddField(
            model_name='council',
            name='region_new',
            field=models.ForeignKey(blank=True, help_text='ADASS region.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='councils', to='winterplan.region'),
        ),
        migrations.AddField(
            model_name='historicalcouncil',
            name='region_new',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='ADASS region.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='winterplan.region'),
        ),
        migrations.RunPython(regions_from_text, regions_to_text),
        migrations.RemoveField(model_name='council', name='region_text'),
        migrations.RemoveField(model_name='historicalcouncil', name='region_text'),
        migrations.RenameField(model_name='council', old_name='region_new', new_name='region'),
        migrations.RenameField(
            model_name='historicalcouncil', old_name='region_new', new_name='region'),
        migrations.AddConstraint(
            model_name='council',
            constraint=models.CheckConstraint(condition=models.Q(('started_on__isnull', True), ('ended_on__isnull', True), ('ended_on__gte', models.F('started_on')), _connector='OR'), name='council_ends_after_it_starts'),
        ),
    ]
