"""通星汇 attribution (rulebook section 10): phones, the protection window, self-referral, 留资率."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from plaza.rules.referrals import Attribution, attribute, local_day, normalise_phone, retention_rate

PROSPECT = "13800138000"
AMBASSADOR_A = "13900000001"
AMBASSADOR_B = "13900000002"


@dataclass(frozen=True)
class Lead:
    id: int
    phone: str
    ambassador_phone: str
    at: datetime


def at(day: str, time: str = "10:00", offset: str = "+08:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{time}{offset}")


def statuses(leads, **kwargs):
    return {lead_id: (a.status, a.credited_lead) for lead_id, a in attribute(leads, **kwargs).items()}


class TestNormalisePhone:
    @pytest.mark.parametrize(
        "raw",
        [
            "13800138000",
            "+86 138-0013-8000",
            "+8613800138000",
            "8613800138000",
            "0086 138 0013 8000",
            "(+86) 138 0013 8000",
            "１３８００１３８０００",  # full-width digits, as a Chinese input method types them
            " 138\u00a00013\u00a08000 ",
        ],
    )
    def test_the_forms_of_one_mobile_number_are_equal(self, raw):
        assert normalise_phone(raw) == "13800138000"

    def test_an_eleven_digit_number_starting_86_is_kept(self):
        # not a mobile number after a country code (only 9 digits would remain): nothing is removed
        assert normalise_phone("86138001380") == "86138001380"

    def test_the_country_code_is_removed_only_before_a_mobile_number(self):
        assert normalise_phone("+86 10 6512 3456") == "861065123456"  # a Beijing landline keeps its digits
        assert normalise_phone("8623800138000") == "8623800138000"  # what follows does not start with 1

    def test_086_is_not_a_form_of_the_country_code(self):
        assert normalise_phone("086 138 0013 8000") == "08613800138000"
        assert normalise_phone("086 138 0013 8000") != normalise_phone("13800138000")

    def test_only_one_prefix_is_removed(self):
        assert normalise_phone("0086 86 138 0013 8000") == "00868613800138000"

    def test_no_digits_is_empty(self):
        assert normalise_phone("") == ""
        assert normalise_phone("+ - ()") == ""

    def test_not_text_is_a_value_error(self):
        with pytest.raises(ValueError):
            normalise_phone(13800138000)  # type: ignore[arg-type]


class TestAttribute:
    def test_a_first_lead_is_credited_to_its_ambassador(self):
        assert statuses([Lead(1, PROSPECT, AMBASSADOR_A, at("2026-01-01"))]) == {1: ("credited", 1)}

    def test_a_lead_on_the_90th_day_is_a_duplicate_whoever_shared_it(self):
        leads = [
            Lead(1, PROSPECT, AMBASSADOR_A, at("2026-01-01", "09:00")),
            Lead(2, "+86 138 0013 8000", AMBASSADOR_B, at("2026-04-01", "23:59")),  # Jan 1 + 90 days
        ]
        assert statuses(leads) == {1: ("credited", 1), 2: ("duplicate", 1)}

    def test_a_lead_one_day_past_the_window_is_credited_again(self):
        leads = [
            Lead(1, PROSPECT, AMBASSADOR_A, at("2026-01-01", "23:59")),
            Lead(2, PROSPECT, AMBASSADOR_B, at("2026-04-02", "00:00")),  # Jan 1 + 91 days
        ]
        assert statuses(leads) == {1: ("credited", 1), 2: ("credited", 2)}

    def test_days_are_counted_in_china_standard_time(self):
        # 2026-04-01 17:00 UTC is 2026-04-02 01:00 in Beijing: the 91st day, so credited again
        leads = [
            Lead(1, PROSPECT, AMBASSADOR_A, at("2026-01-01")),
            Lead(2, PROSPECT, AMBASSADOR_B, datetime(2026, 4, 1, 17, 0, tzinfo=UTC)),
        ]
        assert statuses(leads)[2] == ("credited", 2)
        assert local_day(datetime(2026, 4, 1, 15, 59, tzinfo=UTC)).isoformat() == "2026-04-01"

    def test_the_same_ambassador_sharing_again_is_also_a_duplicate(self):
        leads = [Lead(1, PROSPECT, AMBASSADOR_A, at("2026-01-01")), Lead(2, PROSPECT, AMBASSADOR_A, at("2026-01-02"))]
        assert statuses(leads)[2] == ("duplicate", 1)

    def test_duplicates_do_not_extend_the_window(self):
        leads = [
            Lead(1, PROSPECT, AMBASSADOR_A, at("2026-01-01")),
            Lead(2, PROSPECT, AMBASSADOR_B, at("2026-03-01")),
            Lead(3, PROSPECT, AMBASSADOR_B, at("2026-04-02")),
            Lead(4, PROSPECT, AMBASSADOR_A, at("2026-07-01")),  # Apr 2 + 90 days = Jul 1
            Lead(5, PROSPECT, AMBASSADOR_A, at("2026-07-02")),
        ]
        assert statuses(leads) == {
            1: ("credited", 1),
            2: ("duplicate", 1),
            3: ("credited", 3),
            4: ("duplicate", 3),
            5: ("credited", 5),
        }

    def test_leads_are_taken_in_time_order_whatever_order_they_come_in(self):
        leads = [
            Lead(1, PROSPECT, AMBASSADOR_A, at("2026-02-01")),
            Lead(2, PROSPECT, AMBASSADOR_B, at("2026-01-15")),
        ]
        assert statuses(leads) == {2: ("credited", 2), 1: ("duplicate", 2)}

    def test_at_the_same_moment_the_lower_id_comes_first(self):
        moment = at("2026-01-01")
        leads = [Lead(7, PROSPECT, AMBASSADOR_A, moment), Lead(3, PROSPECT, AMBASSADOR_B, moment)]
        assert statuses(leads) == {3: ("credited", 3), 7: ("duplicate", 3)}

    def test_different_phones_do_not_touch(self):
        leads = [
            Lead(1, PROSPECT, AMBASSADOR_A, at("2026-01-01")),
            Lead(2, "13700137000", AMBASSADOR_A, at("2026-01-01")),
        ]
        assert statuses(leads) == {1: ("credited", 1), 2: ("credited", 2)}

    def test_self_referral_credits_nobody(self):
        leads = [Lead(1, "+86 139 0000 0001", AMBASSADOR_A, at("2026-01-01"))]
        result = attribute(leads)
        assert result[1] == Attribution("self", None)
        assert not result[1].credits

    def test_self_referral_never_blocks_a_later_genuine_lead(self):
        leads = [
            Lead(1, AMBASSADOR_A, AMBASSADOR_A, at("2026-01-01")),
            Lead(2, AMBASSADOR_A, AMBASSADOR_B, at("2026-01-02")),  # B shares with A: genuine
            Lead(3, AMBASSADOR_A, AMBASSADOR_A, at("2026-01-03")),  # A again, within B's lead's window: still self
        ]
        assert statuses(leads) == {1: ("self", None), 2: ("credited", 2), 3: ("self", None)}
        assert attribute(leads)[2].credits

    def test_a_protection_window_set_by_the_organisation(self):
        leads = [
            Lead(1, PROSPECT, AMBASSADOR_A, at("2026-01-01")),
            Lead(2, PROSPECT, AMBASSADOR_B, at("2026-01-31")),
            Lead(3, PROSPECT, AMBASSADOR_B, at("2026-02-01")),
        ]
        assert statuses(leads, protect_days=30) == {1: ("credited", 1), 2: ("duplicate", 1), 3: ("credited", 3)}
        # 0 protects only the credited lead's own day
        assert statuses(leads[:1] + [Lead(4, PROSPECT, AMBASSADOR_B, at("2026-01-01", "23:00"))], protect_days=0)[
            4
        ] == (
            "duplicate",
            1,
        )
        assert statuses(leads[:2], protect_days=0)[2] == ("credited", 2)

    def test_no_leads_no_attributions(self):
        assert attribute([]) == {}

    def test_accepts_any_iterable_once(self):
        leads = (Lead(n, f"1380013800{n}", AMBASSADOR_A, at("2026-01-01") + timedelta(hours=n)) for n in range(3))
        assert len(attribute(leads)) == 3

    @pytest.mark.parametrize(
        ("leads", "kwargs"),
        [
            ([Lead(1, PROSPECT, AMBASSADOR_A, datetime(2026, 1, 1, 10, 0))], {}),  # naive
            ([Lead(1, "+ (-)", AMBASSADOR_A, at("2026-01-01"))], {}),  # no phone
            (
                [Lead(1, PROSPECT, AMBASSADOR_A, at("2026-01-01")), Lead(1, PROSPECT, AMBASSADOR_B, at("2026-01-02"))],
                {},
            ),
            ([], {"protect_days": -1}),
            ([], {"protect_days": 1.5}),
        ],
    )
    def test_bad_input_is_a_value_error(self, leads, kwargs):
        with pytest.raises(ValueError):
            attribute(leads, **kwargs)


class TestRetentionRate:
    def test_credited_leads_over_distinct_visitors(self):
        assert retention_rate(3, 40) == Decimal("0.0750")
        assert retention_rate(1, 3) == Decimal("0.3333")
        assert retention_rate(2, 3) == Decimal("0.6667")
        assert retention_rate(0, 10) == Decimal("0.0000")

    def test_half_up_at_the_fourth_decimal(self):
        assert retention_rate(1, 16) == Decimal("0.0625")
        assert retention_rate(1, 32) == Decimal("0.0313")  # 0.03125 → 0.0313

    def test_no_visitors_is_no_rate(self):
        assert retention_rate(0, 0) is None
        assert retention_rate(2, 0) is None

    def test_not_capped_at_one(self):
        assert retention_rate(5, 4) == Decimal("1.2500")

    @pytest.mark.parametrize(("leads", "visitors"), [(-1, 3), (1, -3), (True, 3)])
    def test_bad_input_is_a_value_error(self, leads, visitors):
        with pytest.raises(ValueError):
            retention_rate(leads, visitors)
