"""The daily 师带徒 pass: a mentor or apprentice who has not written last month's check-in once the month is
over by the days the organisation allows (本单位规定 ``studios.check_in_grace_days``) gets a to-do and a
reminder. Idempotent: both are keyed by pair, month and person, and writing the check-in closes the to-do.
Takes the day explicitly."""

from __future__ import annotations

from datetime import date, datetime, time

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from plaza.lib import dates
from plaza.localrules import services as localrules
from plaza.notify import services as notify
from plaza.rules import vanguard as rules

from .models import CheckIn, Pair, PairStatus
from .services import CHECK_IN_SOURCE


def check_in_sweep(today: date) -> dict[str, int]:
    month = rules.previous_month(today)
    pairs = list(
        Pair.objects.filter(
            status=PairStatus.ACTIVE, starts_on__lt=rules.month_start(today), ends_on__gte=month
        ).select_related("studio__organisation", "mentor", "apprentice")
    )
    written = set(CheckIn.objects.filter(pair__in=pairs, month=month).values_list("pair_id", "author_id"))
    grace: dict[int, int] = {}
    specs = []
    for pair in pairs:
        org = pair.studio.organisation
        if org.pk not in grace:
            grace[org.pk] = int(localrules.value(org, "studios.check_in_grace_days", on=today))
        if not rules.missed_check_in_month(month, today, grace_days=grace[org.pk]):
            continue
        url = reverse("studios:pair", args=[pair.pk])
        for person in (pair.mentor, pair.apprentice):
            if (pair.pk, person.pk) in written:
                continue
            key = f"{pair.pk}:{month:%Y-%m}:{person.pk}"
            title = _("请补记 %(m)s 的师带徒月度交流（%(a)s 与 %(b)s）") % {
                "m": dates.month(month),
                "a": pair.mentor.name,
                "b": pair.apprentice.name,
            }
            notify.add_task(person, title, source_type=CHECK_IN_SOURCE, source_id=key, url=url, due_on=today)
            specs.append(
                notify.ReminderSpec(
                    subject_type=CHECK_IN_SOURCE,
                    subject_id=key,
                    kind="reminder",
                    title=title,
                    due_at=timezone.make_aware(datetime.combine(today, time(9, 0))),
                    recipient_ids=(person.pk,),
                    dedupe_key=f"studios:check_in:{key}",
                    url=url,
                )
            )
    return {"reminded": notify.schedule_new_reminders(specs)}
