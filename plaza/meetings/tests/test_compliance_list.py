"""The committee's compliance board as a staff list (issue 14): narrowed to a subtree, by name and by state,
sorted (htmx swaps only the table), and a reminder to the officers of the ticked branches, confirmed on a page
that names them and what they have not held, and says why any branch is not reminded."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from plaza.audit.models import AuditEntry
from plaza.meetings import queries, services
from plaza.meetings.models import Meeting
from plaza.notify.models import Delivery
from plaza.orgs.models import Level
from plaza.testing.factories import add_org

URL = "/meetings/compliance/"
MONTH = "2026-01"  # over by the fixed day: its monthly meetings are missing everywhere


@pytest.fixture(autouse=True)
def fixed_today(settings):  # noqa: ANN001, ANN201
    settings.PLAZA_TODAY = "2026-03-10"


def _branches(page: str) -> list[str]:
    table = page.split('data-testid="compliance"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<a href="/meetings/org/\d+/">([^<]+)</a>', table)


def test_the_board_narrows_to_a_subtree_a_name_and_a_state_and_sorts(world, login):  # noqa: ANN001
    client = login(world.staff)
    everyone = _branches(client.get(URL, {"month": MONTH}).content.decode())
    assert everyone == ["装调车间党支部", "物流和采购党支部"]  # the tree's order
    under = client.get(URL, {"month": MONTH, "org": world.general_branch.pk}).content.decode()
    assert _branches(under) == ["装调车间党支部"] and "1 个党支部" in under
    assert _branches(client.get(URL, {"month": MONTH, "q": "物流"}).content.decode()) == ["物流和采购党支部"]
    assert _branches(client.get(URL, {"month": MONTH, "state": "missing"}).content.decode()) == everyone
    assert "没有需要显示的党支部" in client.get(URL, {"month": MONTH, "state": "done"}).content.decode()
    assert _branches(client.get(URL, {"month": MONTH, "sort": "-name"}).content.decode()) == sorted(everyone)[::-1]
    odd = client.get(URL, {"month": MONTH, "sort": "path; drop", "state": "x", "org": world.branch_b.pk})
    assert odd.status_code == 200 and _branches(odd.content.decode()) == everyone  # a branch is no subtree here
    part = client.get(URL, {"month": MONTH, "q": "装调"}, HTTP_HX_REQUEST="true").content.decode()
    assert part.startswith('<div id="compliance-list">') and "<html" not in part
    assert _branches(part) == ["装调车间党支部"] and 'id="compliance-sort" hx-swap-oob="true"' in part


def test_reminding_asks_first_names_refusals_then_tells_the_officers_and_audits(world, login, committed):  # noqa: ANN001
    leaderless = add_org(world.committee, "研发党支部", "P0300", Level.BRANCH)
    client = login(world.staff)
    picks = [world.branch_a.pk, world.branch_b.pk, leaderless.pk]
    form = {"month": MONTH, "action": "remind", "pick": picks}
    page = client.post(URL, form).content.decode()
    assert 'data-testid="bulk-confirm"' in page and "提醒 2 个党支部的书记和组织委员" in page
    assert "主题党日（期满未召开）" in page
    refused = page.split('data-testid="bulk-refused"', 1)[1].split("</ul>", 1)[0]
    assert "研发党支部" in refused and "无人可提醒" in refused and "装调" not in refused
    assert not Delivery.objects.exists()  # nothing before the confirmation
    with committed():
        done = client.post(URL, {**form, "confirm": "1"})
    assert done.status_code == 302
    after = client.get(done["Location"]).content.decode()
    assert "已提醒 2 个党支部" in after and "研发党支部 未提醒" in after
    told = Delivery.objects.filter(recipient=world.secretary_a).select_related("reminder").get()
    assert "装调车间党支部" in told.reminder.title and "主题党日" in told.reminder.body
    assert told.reminder.url == f"/meetings/org/{world.branch_a.pk}/"
    assert Delivery.objects.filter(recipient=world.secretary_b).count() == 1
    entries = AuditEntry.objects.filter(action="meetings.remind")
    reminded = sorted(entries.values_list("object_id", flat=True))
    assert reminded == sorted([str(world.branch_a.pk), str(world.branch_b.pk)])


def test_a_branch_secretary_reminds_only_their_branch(world, login):  # noqa: ANN001
    client = login(world.secretary_a)
    assert _branches(client.get(URL, {"month": MONTH}).content.decode()) == ["装调车间党支部"]
    form = {"month": MONTH, "action": "remind", "pick": [world.branch_b.pk], "confirm": "1"}
    page = client.post(URL, form, follow=True).content.decode()
    assert "请先勾选要提醒的党支部" in page and not Delivery.objects.exists()
    # the service refuses a branch outside the actor's keeping, and one with nothing due, with the reason
    cells = queries.compliance_on([world.branch_b], date(2026, 1, 1))[world.branch_b.pk]
    held = [queries.Cell(c.kind, c.first, c.last, "held") for c in cells]
    done, refused = services.remind_branches(
        world.secretary_a, [(world.branch_b, cells), (world.branch_a, held)], date(2026, 1, 1)
    )
    assert done == [] and "不在您管理的范围内" in refused[world.branch_b.pk]
    assert "无需提醒" in refused[world.branch_a.pk] and not AuditEntry.objects.filter(action="meetings.remind").exists()
    assert client.get(URL).status_code == 200
    assert login(world.member_a).get(URL).status_code == 403


def test_the_board_costs_the_same_queries_for_more_branches(world, login):  # noqa: ANN001
    client = login(world.staff)
    client.get(URL, {"month": MONTH})

    def count() -> int:
        with CaptureQueriesContext(connection) as seen:
            page = client.get(URL, {"month": MONTH, "sort": "-gaps"})
        assert page.status_code == 200
        return len(seen)

    two = count()
    for n in range(3):
        add_org(world.general_branch, f"新建党支部{n}", f"P01{n + 10}", Level.BRANCH)
    assert count() == two <= 20


def _meeting(world, topic: str, day: date, kind: str = "theme_day", **extra):  # noqa: ANN001, ANN202
    starts_at = timezone.make_aware(datetime.combine(day, time(14)))
    return Meeting.objects.create(
        organisation=extra.pop("organisation", world.branch_a),
        kind=kind,
        topic=topic,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        planned_by=world.secretary_a,
        **extra,
    )


def _topics(page: str) -> list[str]:
    table = page.split('data-testid="meetings"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<a href="/meetings/\d+/">([^<]+)</a>', table)


def test_a_branch_s_meetings_filter_by_state_kind_and_topic_and_sort(world, login):  # noqa: ANN001
    _meeting(world, "一月主题党日", date(2026, 1, 15))
    _meeting(world, "二月主题党日", date(2026, 2, 15), status="cancelled")
    _meeting(world, "党课：学习党章", date(2026, 2, 20), kind="lecture")
    _meeting(world, "四月主题党日", date(2026, 4, 15))
    _meeting(world, "党小组学习", date(2026, 1, 20), kind="group", organisation=world.group_a1)
    url = f"/meetings/org/{world.branch_a.pk}/"
    client = login(world.secretary_a)
    everyone = _topics(client.get(url, {"year": 2026}).content.decode())
    assert everyone == ["四月主题党日", "党课：学习党章", "二月主题党日", "党小组学习", "一月主题党日"]  # newest first
    assert _topics(client.get(url, {"year": 2026, "state": "coming"}).content.decode()) == ["四月主题党日"]
    assert _topics(client.get(url, {"year": 2026, "state": "cancelled"}).content.decode()) == ["二月主题党日"]
    no_minutes = _topics(client.get(url, {"year": 2026, "state": "no_minutes"}).content.decode())
    assert no_minutes == ["党课：学习党章", "党小组学习", "一月主题党日"]
    assert _topics(client.get(url, {"year": 2026, "kind": "lecture"}).content.decode()) == ["党课：学习党章"]
    assert _topics(client.get(url, {"year": 2026, "q": "党章"}).content.decode()) == ["党课：学习党章"]
    assert _topics(client.get(url, {"year": 2026, "sort": "date"}).content.decode()) == everyone[::-1]
    part = client.get(url, {"year": 2026, "q": "四月"}, HTTP_HX_REQUEST="true").content.decode()
    assert part.startswith('<section class="card" id="meeting-list">') and _topics(part) == ["四月主题党日"]
    assert login(world.secretary_b).get(url).status_code == 404  # another branch's secretary
