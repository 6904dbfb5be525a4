"""Validators for Chinese identity data, shared by forms, imports and the API."""

from __future__ import annotations

import re
from datetime import date

from django.utils.translation import gettext as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_PHONE = re.compile(r"^1[3-9]\d{9}$")


def id_card_problem(value: str) -> str | None:
    """Why ``value`` is not a valid 18-digit resident ID number (GB 11643-1999), or None."""
    value = value.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return _("身份证号应为 18 位，前 17 位为数字，最后一位为数字或 X")
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return _("身份证号中的出生日期无效")
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != value[17]:
        return _("身份证号校验位不正确")
    return None


def id_card_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def phone_problem(value: str) -> str | None:
    if not _PHONE.match(value.strip()):
        return _("手机号应为 11 位数字，以 1 开头")
    return None
