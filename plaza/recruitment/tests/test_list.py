"""党员发展名单 (issue 14): the people in the procedure as a staff table — narrowed to an organisation's subtree, a
stage, a deadline and a name, sorted by the next deadline (htmx swaps only the table) — and a reminder to the
ticked people's 培养联系人 and 入党介绍人, confirmed on a page that names them and says why any cannot be told."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plaza.audit.models import AuditEntry
from plaza.notify.models import Delivery
from plaza.recruitment import queries, services
from plaza.recruitment.tests.test_recruitment import TODAY, walk
from plaza.testing.factories import PersonFactory, join

URL = "/recruitment/list/"
DAY = date(2024, 6, 1)


@pytest.fixture(autouse=True)
def fixed_today(settings):  # noqa: ANN001, ANN201
    settings.PLAZA_TODAY = DAY.isoformat()


def _open(world, name: str, number: str, branch, actor):  # noqa: ANN001, ANN202
    person = PersonFactory(employee_no=number, name=name, birth_date=date(1998, 5, 1))
    join(person, branch)
    return services.open_pipeline(actor, person, branch, applied_on=date(2024, 3, 1), today=TODAY)


@pytest.fixture
def pipelines(world, applicant, full_members):  # noqa: ANN001, ANN201
    walked = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    walk(world, walked, 5, full_members)  # an activist with a 培养联系人 (张建国)
    fresh = _open(world, "钱申请", "A0102", world.branch_a, world.secretary_a)  # the talk (step 2) is overdue
    other = _open(world, "吴申请", "B0100", world.branch_b, world.secretary_b)
    return walked, fresh, other


def _names(page: str) -> list[str]:
    table = page.split('data-testid="people"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<a href="/recruitment/\d+/">([^<]+)</a>', table)


def test_the_list_narrows_by_organisation_stage_deadline_and_name_and_sorts(world, login, pipelines):  # noqa: ANN001
    client = login(world.staff)
    everyone = _names(client.get(URL).content.decode())
    assert sorted(everyone) == ["吴申请", "孙申请", "钱申请"]
    assert everyone[-1] == "孙申请"  # by the next deadline: the activist's next step falls due last
    assert _names(client.get(URL, {"org": world.branch_b.pk}).content.decode()) == ["吴申请"]
    assert sorted(_names(client.get(URL, {"org": world.general_branch.pk}).content.decode())) == ["孙申请", "钱申请"]
    assert sorted(_names(client.get(URL, {"stage": 0}).content.decode())) == ["吴申请", "钱申请"]
    assert _names(client.get(URL, {"stage": 1}).content.decode()) == ["孙申请"]
    assert _names(client.get(URL, {"q": "钱"}).content.decode()) == ["钱申请"]
    assert _names(client.get(URL, {"q": "物流"}).content.decode()) == ["吴申请"]  # a branch's name
    assert "钱申请" in _names(client.get(URL, {"due": "overdue"}).content.decode())
    by_name = _names(client.get(URL, {"sort": "name"}).content.decode())
    assert _names(client.get(URL, {"sort": "-name"}).content.decode()) == by_name[::-1]
    odd = client.get(URL, {"sort": "person__id_card", "stage": "9", "due": "x", "org": "0"})
    assert odd.status_code == 200 and _names(odd.content.decode()) == everyone
    part = client.get(URL, {"q": "申请", "stage": 0}, HTTP_HX_REQUEST="true").content.decode()
    assert part.startswith('<section class="card" id="people-list">') and "<html" not in part
    assert sorted(_names(part)) == ["吴申请", "钱申请"] and 'id="people-sort" hx-swap-oob="true"' in part


def test_reminding_mentors_asks_first_names_refusals_then_tells_them_and_audits(world, login, pipelines):  # noqa: ANN001
    walked, fresh, other = pipelines
    client = login(world.secretary_a)
    assert sorted(_names(client.get(URL).content.decode())) == ["孙申请", "钱申请"]  # their branch only
    form = {"action": "remind", "pick": [walked.pk, fresh.pk, other.pk]}
    page = client.post(URL, form).content.decode()
    assert 'data-testid="bulk-confirm"' in page and "提醒 1 人的培养联系人和入党介绍人" in page
    ready = page.split('data-testid="bulk-confirm"', 1)[1].split("</ul>", 1)[0]
    assert "孙申请" in ready and "张建国" in ready
    refused = page.split('data-testid="bulk-refused"', 1)[1].split("</ul>", 1)[0]
    assert "钱申请" in refused and "尚未确定培养联系人" in refused
    assert "吴申请" not in page  # another branch's person is not even named
    assert not Delivery.objects.filter(reminder__title__contains="入党培养").exists()
    done = client.post(URL, {**form, "confirm": "1"})
    assert done.status_code == 302
    after = client.get(done["Location"]).content.decode()
    assert "已提醒 1 人的培养联系人和入党介绍人" in after and "钱申请 未提醒" in after
    told = Delivery.objects.select_related("reminder").get(reminder__title__contains="入党培养")
    assert told.recipient_id == world.member_a.pk and "孙申请" in told.reminder.title
    assert "下一步：第" in told.reminder.body
    assert list(AuditEntry.objects.filter(action="recruitment.remind").values_list("object_id", flat=True)) == [
        str(walked.pk)
    ]


def test_the_service_refuses_what_the_actor_does_not_keep(world, pipelines):  # noqa: ANN001
    walked, _fresh, _other = pipelines
    rows, _more = queries.list_rows(world.staff, DAY, ids=[walked.pk])
    done, refused = services.remind_mentors(world.secretary_b, rows, DAY)
    assert done == [] and "不在您管理的范围内" in refused[walked.pk]


def test_only_recruiters_open_the_list(world, login, pipelines):  # noqa: ANN001
    assert login(world.member_a).get(URL).status_code == 403
    assert (
        login(world.member_a).post(URL, {"action": "remind", "pick": [pipelines[0].pk], "confirm": "1"}).status_code
        == 403
    )


def test_the_list_costs_the_same_queries_for_more_people(world, login, pipelines):  # noqa: ANN001
    client = login(world.staff)
    client.get(URL)

    def count() -> int:
        with CaptureQueriesContext(connection) as seen:
            page = client.get(URL, {"sort": "due"})
        assert page.status_code == 200
        return len(seen)

    three = count()
    for n in range(4):
        _open(world, f"新申请{n}", f"A02{n:02d}", world.branch_a, world.secretary_a)
    assert count() == three <= 16
