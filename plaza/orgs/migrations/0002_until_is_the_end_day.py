"""``until`` of memberships and positions becomes the day they end (the first day no longer held) instead of
the last day held: ending a position today must take its rights away today, not at midnight (issue 11, item 7).
Dates already stored meant "the last day held", so each moves one day later and keeps its meaning."""

from datetime import timedelta

from django.db import migrations, models
from django.db.models import F


def last_day_to_end_day(apps, schema_editor):  # noqa: ANN001, ANN201
    for name in ("Membership", "Position"):
        apps.get_model("orgs", name).objects.filter(until__isnull=False).update(until=F("until") + timedelta(days=1))


def end_day_to_last_day(apps, schema_editor):  # noqa: ANN001, ANN201
    for name in ("Membership", "Position"):
        model = apps.get_model("orgs", name)
        # An interval that ended on the day it began held nothing; the old meaning cannot say so: keep since.
        model.objects.filter(until__isnull=False, until__gt=F("since")).update(until=F("until") - timedelta(days=1))


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="membership",
            name="until",
            field=models.DateField(
                blank=True, help_text="自该日起不再属于该组织。", null=True, verbose_name="结束日期"
            ),
        ),
        migrations.AlterField(
            model_name="position",
            name="until",
            field=models.DateField(
                blank=True,
                help_text="自该日起不再担任该职务，也不再有相应权限。",
                null=True,
                verbose_name="任期届满/免职日期",
            ),
        ),
        migrations.RunPython(last_day_to_end_day, end_day_to_last_day),
    ]
