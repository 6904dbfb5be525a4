"""The one way query parameters and typed dates are read (issue 11 item 8): ASCII digits in range, real dates
in 1900–2100, else the default (a page) or the reason (a form)."""

from __future__ import annotations

from datetime import date

import pytest
from django import forms
from django.http import QueryDict

from plaza.lib import params
from plaza.lib.fields import DateField, DateTimeField

HOSTILE_INTS = ["²", "١٢", "99999999999999999999", "-1", "1e3", " ", "0x10", "1.0", "٣"]


@pytest.mark.parametrize("raw", HOSTILE_INTS)
def test_an_int_is_ascii_digits_in_range(raw):
    assert params.parse_int(raw) is None
    assert params.int_param(QueryDict(f"org={raw}"), "org", 7) == 7


def test_ints_in_range_are_read():
    assert params.parse_int("42") == 42
    assert params.parse_int(str(params.MAX_ID)) == params.MAX_ID
    assert params.parse_int(str(params.MAX_ID + 1)) is None
    assert params.year_param(QueryDict("year=2026")) == 2026
    assert params.year_param(QueryDict("year=1899"), default=2000) == 2000
    assert params.int_list(QueryDict("id=1&id=²&id=99999999999999999999&id=3"), "id") == [1, 3]


@pytest.mark.parametrize("raw", ["2026-02-30", "2026-13-45", "0001-01-01", "9999-12-31", "²⁰²⁶-01-01", "2026-1-1x"])
def test_a_date_is_a_real_one_in_range(raw):
    assert params.parse_date(raw) is None
    assert params.date_param(QueryDict(f"day={raw}"), "day", date(2026, 1, 1)) == date(2026, 1, 1)


def test_dates_and_months_in_range_are_read():
    assert params.parse_date("2026-03-01") == date(2026, 3, 1)
    assert params.parse_month("2026-03") == date(2026, 3, 1)
    assert params.parse_month("2026-13") is None
    assert params.month_param(QueryDict("month=0001-01"), default=None) is None


def test_a_choice_is_one_of_the_values():
    assert params.choice_param(QueryDict("kind=x"), "kind", ["a", "b"], "a") == "a"
    assert params.choice_param(QueryDict("kind=b"), "kind", ["a", "b"], "a") == "b"


def test_a_required_parameter_is_a_400_with_the_reason():
    with pytest.raises(params.BadParameter, match="参数 year 应为 1900 到 2100 之间的整数"):
        params.require_int(QueryDict("year=²"), "year", minimum=1900, maximum=2100)


@pytest.mark.parametrize("raw", ["0001-01-01", "9999-12-31", "1899-12-31"])
def test_a_form_refuses_a_date_no_one_means_with_the_reason(raw):
    class Form(forms.Form):
        on = DateField()
        at = DateTimeField()

    form = Form({"on": raw, "at": raw + "T09:00"})
    assert not form.is_valid()
    assert form.errors["on"] == ["日期应在 1900 年到 2100 年之间。"]
    assert form.errors["at"] == ["日期应在 1900 年到 2100 年之间。"]
    assert Form({"on": "2026-03-01", "at": "2026-03-01T09:00"}).is_valid()
