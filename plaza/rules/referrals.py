"""通星汇 attribution: whose lead a prospect's phone number is, and the 留资率 (rulebook section 10).

A lead is the prospect's own phone number, entered by the prospect on the landing page with consent (never typed
by the employee). Phones are compared normalised (:func:`normalise_phone`). Leads are taken in time order, then
by id; a lead is credited to its ambassador unless a credited lead for the same phone lies within the protection
window before it (90 days by default, a setting), whoever shared it — then it is a duplicate of that lead and
credits nobody. A lead whose phone is the ambassador's own is self-referral: refused, credits nobody, and never
blocks a later genuine lead. Passing a lead to a dealer needs the prospect's separate consent naming that dealer
(PIPL art. 23); that is the app's concern, not computed here.

The window is read as the rulebook reads "within" elsewhere ("within N working days of D" ends on the N-th
working day after D, D itself not counted, section 8; "Dates": a bound of N includes N itself): it runs by
calendar day in China Standard Time (UTC+8, which has no daylight saving), from the credited lead's own day
through the 90th day after it. A lead on that 90th day is a duplicate; on the 91st it is credited again. The
window always counts from the *credited* lead: duplicates do not extend it.

>>> normalise_phone("+86 138-0013-8000"), normalise_phone("0086 13800138000"), normalise_phone("8613800138000")
('13800138000', '13800138000', '13800138000')
>>> from datetime import datetime
>>> from types import SimpleNamespace as L
>>> day = lambda d: datetime.fromisoformat(f"{d}T10:00+08:00")
>>> leads = [
...     L(id=1, phone="13800138000", ambassador_phone="13900000001", at=day("2026-01-01")),
...     L(id=2, phone="+86 138 0013 8000", ambassador_phone="13900000002", at=day("2026-04-01")),
...     L(id=3, phone="13800138000", ambassador_phone="13900000002", at=day("2026-04-02")),
...     L(id=4, phone="13900000002", ambassador_phone="13900000002", at=day("2026-04-03")),
... ]
>>> {lead_id: (a.status, a.credited_lead) for lead_id, a in attribute(leads).items()}
{1: ('credited', 1), 2: ('duplicate', 1), 3: ('credited', 3), 4: ('self', None)}
>>> retention_rate(3, 40), retention_rate(0, 0)
(Decimal('0.0750'), None)
"""

from __future__ import annotations

import unicodedata
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, Protocol

from . import workdays
from .sources import LOCAL

__all__ = [
    "CHINA",
    "PROTECT_DAYS",
    "SOURCE",
    "STATUSES",
    "WINDOW_SOURCE",
    "Attribution",
    "Lead",
    "FIRST_CONTACT_HOURS",
    "FREEZE_DAYS",
    "WORKING_HOURS",
    "attribute",
    "deal_credit_day",
    "first_contact_due",
    "local_day",
    "normalise_phone",
    "retention_rate",
]

#: The source of every rule here: the rulebook's section on 通星汇 attribution.
SOURCE = "规则手册第10节（通星汇归属规则）"
#: The protection window is a setting of the organisation with this default.
WINDOW_SOURCE = f"{SOURCE}；{LOCAL}"
#: Days a credited lead protects its phone against later leads (a setting, rulebook section 10).
PROTECT_DAYS = 90
#: China Standard Time, in which the window's days are counted (UTC+8 all year: no daylight saving since 1991).
CHINA = timezone(timedelta(hours=8), "CST")

Status = Literal["credited", "duplicate", "self"]
#: An attribution's possible statuses.
STATUSES: tuple[str, ...] = ("credited", "duplicate", "self")

#: Country-code prefixes removed from a phone: 0086 (international dialling from China) and 86 (after "+").
_PREFIXES = ("0086", "86")


class Lead(Protocol):
    """What :func:`attribute` reads from a lead: any object with these attributes (a model row will do)."""

    @property
    def id(self) -> Hashable: ...

    @property
    def phone(self) -> str: ...

    @property
    def ambassador_phone(self) -> str: ...

    @property
    def at(self) -> datetime: ...


@dataclass(frozen=True)
class Attribution:
    """What became of one lead.

    ``status`` is ``"credited"`` (counts for its ambassador), ``"duplicate"`` (merged into an earlier credited
    lead, credits nobody) or ``"self"`` (self-referral: refused, credits nobody). ``credited_lead`` is the id of
    the credited lead it counts under: its own id when credited, the earlier lead's when duplicate, ``None``
    when self.
    """

    status: Status
    credited_lead: Hashable | None

    @property
    def credits(self) -> bool:
        """Whether the lead counts for its ambassador."""
        return self.status == "credited"


def normalise_phone(raw: str) -> str:
    """A phone number as compared for attribution (rulebook section 10): digits only, a leading 86 / +86 /
    0086 removed, so "+86 138-0013-8000" equals "13800138000".

    Any Unicode decimal digit counts (full-width "１３８…" typed with a Chinese input method is "138…");
    everything else (spaces, "-", "+", brackets) is dropped. The country code is removed only when what follows
    it is a mainland mobile number — 11 digits starting with 1 — since a mobile number itself never starts with
    86: "8613800138000" becomes "13800138000", while an 11-digit "86…" or any other number keeps all its
    digits. Only the forms the rulebook names are removed: "086…" is no dialling form of the country code (0 is
    the domestic trunk prefix), so it stays as it is and does not equal the plain number. Numbers other than
    mobiles (landlines) keep their digits as given.
    """
    if not isinstance(raw, str):
        raise ValueError(f"a phone number must be text, got {raw!r}")
    digits = "".join(str(unicodedata.decimal(ch)) for ch in raw if ch.isdecimal())
    for prefix in _PREFIXES:
        rest = digits[len(prefix) :]
        if digits.startswith(prefix) and len(rest) == 11 and rest.startswith("1"):
            return rest
    return digits


def local_day(moment: datetime) -> date:
    """The calendar day of an aware moment in China Standard Time; ValueError for a naive datetime."""
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"a lead's time must be an aware datetime, got {moment!r}")
    return moment.astimezone(CHINA).date()


def attribute(leads: Iterable[Lead], *, protect_days: int = PROTECT_DAYS) -> dict[Hashable, Attribution]:
    """Each lead's :class:`Attribution`, by lead id (rulebook section 10).

    Leads are taken in time order, then by id (ids must be comparable with each other). A lead whose phone
    equals its ambassador's own (both normalised) is ``"self"``: it credits nobody and blocks nobody. Otherwise
    a lead is ``"duplicate"`` of the credited lead for the same phone whose window it falls in — on any day
    from that lead's own day through ``protect_days`` days after it, whoever shared either — and else
    ``"credited"``. Two leads at the same moment: the lower id comes first.

    ValueError for a naive datetime, a lead without any digit in its phone, the same id twice, or a negative
    ``protect_days`` (0 protects only the credited lead's own day).
    """
    if isinstance(protect_days, bool) or not isinstance(protect_days, int) or protect_days < 0:
        raise ValueError(f"protect_days must be a whole number of at least 0, got {protect_days!r}")
    window = timedelta(days=protect_days)
    rows: list[tuple[datetime, Hashable, date, str, str]] = []
    seen: set[Hashable] = set()
    for lead in leads:
        if lead.id in seen:
            raise ValueError(f"lead {lead.id!r} is given twice")
        seen.add(lead.id)
        phone = normalise_phone(lead.phone)
        if not phone:
            raise ValueError(f"lead {lead.id!r} has no phone number")
        rows.append((lead.at, lead.id, local_day(lead.at), phone, normalise_phone(lead.ambassador_phone)))
    rows.sort(key=lambda row: (row[0], row[1]))  # ids are comparable (documented)

    result: dict[Hashable, Attribution] = {}
    #: phone → (id, local day) of the latest credited lead for it; at most one can cover a later lead, since
    #: credited leads for one phone lie more than the window apart.
    credited: dict[str, tuple[Hashable, date]] = {}
    for _at, lead_id, day, phone, ambassador in rows:
        if phone == ambassador:
            result[lead_id] = Attribution("self", None)
            continue
        earlier = credited.get(phone)
        if earlier is not None and day - earlier[1] <= window:
            result[lead_id] = Attribution("duplicate", earlier[0])
        else:
            credited[phone] = (lead_id, day)
            result[lead_id] = Attribution("credited", lead_id)
    return result


def retention_rate(credited_leads: int, distinct_visitors: int) -> Decimal | None:
    """留资率 = credited leads ÷ distinct landing-page visitors in the same period (rulebook section 10).

    A fraction of 1 to four decimals, half up (``Decimal('0.0750')`` is 7.50 %). ``None`` when there were no
    visitors: the rate is undefined (show "—"), not 0 %. Not capped at 1: visitors are counted by the landing
    page and may miss some (a blocked cookie), so a rate over 1 is shown as it is rather than hidden.
    ValueError for negative counts.
    """
    for name, value in (("credited_leads", credited_leads), ("distinct_visitors", distinct_visitors)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be a whole number of at least 0, got {value!r}")
    if distinct_visitors == 0:
        return None
    rate = Decimal(credited_leads) / Decimal(distinct_visitors)
    return rate.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


#: Working hours a dealer has to make the first contact with a new lead (a setting; Plaza's default, issue 17).
FIRST_CONTACT_HOURS = 2
#: Days a delivered car stays frozen before the deal is credited, so a returned car never pays out (a setting).
FREEZE_DAYS = 30
#: The dealer's working hours on a working day (Plaza's interpretation: the service level counts only these).
WORKING_HOURS = (time(9), time(18))


def first_contact_due(at: datetime, hours: int = FIRST_CONTACT_HOURS) -> datetime:
    """When the first contact with a lead received at ``at`` is due: ``hours`` working hours later, counting
    only 09:00–18:00 (China Standard Time) on working days (:func:`plaza.rules.workdays.is_working_day`, 调休
    included). A lead left in the evening is due ``hours`` into the next working morning.

    >>> first_contact_due(datetime(2026, 3, 2, 10, 0, tzinfo=CHINA)).isoformat()  # a Monday
    '2026-03-02T12:00:00+08:00'
    >>> first_contact_due(datetime(2026, 3, 6, 17, 0, tzinfo=CHINA)).isoformat()  # Friday 17:00 → Monday 10:00
    '2026-03-09T10:00:00+08:00'

    ValueError for a naive datetime or hours < 1.
    """
    local_day(at)
    if isinstance(hours, bool) or not isinstance(hours, int) or hours < 1:
        raise ValueError(f"hours must be a whole number of at least 1, got {hours!r}")
    opens, closes = WORKING_HOURS
    moment = at.astimezone(CHINA)
    left = timedelta(hours=hours)
    while True:
        day = moment.date()
        start = datetime.combine(day, opens, CHINA)
        end = datetime.combine(day, closes, CHINA)
        if workdays.is_working_day(day) and moment < end:
            moment = max(moment, start)
            if moment + left <= end:
                return moment + left
            left -= end - moment
        moment = datetime.combine(day + timedelta(days=1), time(0), CHINA)


def deal_credit_day(delivered_at: datetime, freeze_days: int = FREEZE_DAYS) -> date:
    """The first day a deal delivered at ``delivered_at`` may be credited: ``freeze_days`` calendar days after
    the delivery day (China Standard Time), so a car returned within the freeze period never pays out.

    >>> deal_credit_day(datetime(2026, 3, 2, 15, 0, tzinfo=CHINA))
    datetime.date(2026, 4, 1)
    """
    if isinstance(freeze_days, bool) or not isinstance(freeze_days, int) or freeze_days < 0:
        raise ValueError(f"freeze_days must be a whole number of at least 0, got {freeze_days!r}")
    return local_day(delivered_at) + timedelta(days=freeze_days)
