"""The dues roll as a staff list (issue 14): a filter bar, sortable columns, and 登记已交 for many members at once,
confirmed on a page that names them and the total before anything is recorded."""

from __future__ import annotations

import re

import pytest

from plaza.dues.models import DuesPayment

from .conftest import TODAY


@pytest.fixture(autouse=True)
def fixed_today(settings):  # noqa: ANN001, ANN201
    settings.PLAZA_TODAY = TODAY


def _names(page: str) -> list[str]:
    table = page.split('data-testid="roll"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<a href="/dues/person/\d+/">([^<]+)</a>', table)


def test_the_roll_filters_by_status_and_name_and_sorts(based, login):  # noqa: ANN001
    client = login(based.secretary_a)
    url = f"/dues/org/{based.branch_a.pk}/"
    everyone = _names(client.get(url, {"month": "2025-06"}).content.decode())
    assert {"张建国", "刘昭涛"} <= set(everyone)
    assert _names(client.get(url, {"month": "2025-06", "q": "张建"}).content.decode()) == ["张建国"]
    assert _names(client.get(url, {"month": "2025-06", "q": "A0001"}).content.decode()) == ["刘昭涛"]
    unpaid = _names(client.get(url, {"month": "2025-06", "status": "unpaid"}).content.decode())
    assert set(unpaid) == {"张建国", "刘昭涛"}
    by_name = _names(client.get(url, {"month": "2025-06", "sort": "name"}).content.decode())
    assert by_name == sorted(by_name)
    assert _names(client.get(url, {"month": "2025-06", "sort": "-name"}).content.decode()) == by_name[::-1]
    # an unknown status or order is the whole roll in its default order, not an error
    odd = client.get(url, {"month": "2025-06", "status": "x", "sort": "person__pk"})
    assert odd.status_code == 200 and _names(odd.content.decode()) == everyone


def test_bulk_paid_asks_first_then_records_each_ticked_member(based, login):  # noqa: ANN001
    client = login(based.secretary_a)
    url = f"/dues/org/{based.branch_a.pk}/"
    picks = [based.member_a.pk, based.secretary_a.pk]
    page = client.post(url, {"month": "2025-06", "action": "paid", "pick": picks}).content.decode()
    assert 'data-testid="bulk-confirm"' in page and "确认登记 2 名党员 2025年6月 的党费已交" in page
    assert "240.00" in page  # 120.00 each
    assert not DuesPayment.objects.exists()  # nothing before the confirmation
    done = client.post(url, {"month": "2025-06", "action": "paid", "pick": picks, "confirm": "1"})
    assert done.status_code == 302
    assert set(DuesPayment.objects.values_list("person_id", flat=True)) == set(picks)
    assert "已登记 2 名党员本月党费已交" in client.get(done["Location"]).content.decode()


def test_bulk_paid_ignores_rows_that_are_not_unpaid_members_of_the_roll(based, login):  # noqa: ANN001
    client = login(based.secretary_a)
    url = f"/dues/org/{based.branch_a.pk}/"
    # member_b is in branch B (not this roll), the employee is no Party member, "x" is no id
    form = {"month": "2025-06", "action": "paid", "pick": [based.member_b.pk, based.employee.pk, "x"], "confirm": "1"}
    page = client.post(url, form, follow=True).content.decode()
    assert "请先勾选要登记的未缴党员" in page and not DuesPayment.objects.exists()
    # a month outside the payable window is refused with the reason
    late = client.post(url, {"month": "2024-01", "pick": [based.member_a.pk], "confirm": "1"}).content.decode()
    assert "不在可交纳期限内" in late and not DuesPayment.objects.exists()
