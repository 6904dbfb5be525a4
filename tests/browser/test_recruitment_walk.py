"""One person from application to conversion in a real browser, each step by the role that owns it:
the branch secretary, 组织部 staff, and the person (the conversion application). "Today" is fixed by the
PLAZA_TODAY setting so two years of procedure fit in one test."""

from __future__ import annotations

from datetime import date

import pytest

from plaza.accounts.models import PoliticalStatus
from plaza.recruitment.models import Pipeline
from plaza.testing.factories import PersonFactory, join

pytestmark = pytest.mark.django_db(transaction=True)

DATES = {
    1: "2024-03-01",
    2: "2024-03-20",
    3: "2024-04-01",
    4: "2024-04-05",
    5: "2024-04-05",
    6: "2024-10-01",
    7: "2025-04-01",
    8: "2025-04-05",
    9: "2025-04-05",
    10: "2025-04-10",
    11: "2025-04-20",
    12: "2025-05-01",
    13: "2025-05-10",
    14: "2025-05-15",
    15: "2025-06-01",
    16: "2025-06-10",
    17: "2025-07-01",
    18: "2025-07-05",
    19: "2025-07-05",
    20: "2025-07-10",
    21: "2025-07-20",
    22: "2026-05-10",
    23: "2026-06-01",
    24: "2026-07-01",
    25: "2026-07-10",
}
COMMITTEE = {4, 8, 13, 16, 17, 18, 24, 25}


def _record(page, pipeline_id: int, step: int, extra: dict[str, str]) -> None:  # noqa: ANN001
    page.goto(f"/recruitment/{pipeline_id}/step/{step}/")
    page.fill("input[name=done_on]", DATES[step])
    for name, value in extra.items():
        if name == "outcome":
            page.select_option("select[name=outcome]", value)
        elif name == "recommendation":
            page.check(f"input[name=recommendation][value={value}]")
        else:
            page.fill(f"[name={name}]", value)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/step/" not in page.url, page.locator("[data-testid=refusal]").all_inner_texts()


def test_application_to_conversion(phone, world, settings):
    settings.PLAZA_TODAY = "2026-12-31"
    applicant = PersonFactory(employee_no="A0200", name="吴新人", birth_date=date(1998, 5, 1))
    join(applicant, world.branch_a)
    second = PersonFactory(employee_no="A0201", name="郑老党员", political_status=PoliticalStatus.FULL_MEMBER)
    join(second, world.branch_a)

    _walk(phone(world.secretary_a), phone(world.staff), phone(applicant), applicant)


def _walk(secretary, staff, person, applicant) -> None:  # noqa: ANN001

    secretary.goto("/recruitment/new/")
    secretary.fill("input[name=employee_no]", "A0200")
    secretary.fill("input[name=applied_on]", DATES[1])
    secretary.click("button[type=submit]")
    secretary.wait_for_url("**/recruitment/*/")
    pipeline_id = Pipeline.objects.get(person=applicant).pk

    # A refusal says why and when: candidacy before a full year of cultivation.
    for step in range(2, 7):
        extra = {"people": "A0002"} if step == 5 else {}
        if step == 3:  # 党员推荐 by a full member; the branch committee's decision is prefilled
            extra = {"recommendation": "members", "recommended_on": "2024-03-25", "people": "A0201"}
        _record(staff if step in COMMITTEE else secretary, pipeline_id, step, extra)
    secretary.goto(f"/recruitment/{pipeline_id}/step/7/")
    secretary.fill("input[name=done_on]", "2025-03-01")
    secretary.click("button[type=submit]")
    assert "最早可于 2025年4月1日 列为发展对象" in secretary.locator("[data-testid=refusal]").inner_text()

    for step in range(7, 26):
        if step == 22:
            person.goto("/recruitment/mine/")
            person.locator("[data-testid=timeline] a", has_text="记录").click()
            person.fill("input[name=done_on]", DATES[22])
            person.click("button[type=submit]")
            person.wait_for_url("**/recruitment/mine/")
            continue
        extra: dict[str, str] = {}
        if step == 9:
            extra = {"people": "A0002, A0201"}
        if step == 11:
            extra = {"hours": "24"}
        if step == 15:  # the branch general meeting, from the board, voting each applicant separately
            secretary.goto("/recruitment/")
            secretary.locator("[data-testid=meetings] a", has_text="接收预备党员").click()
            secretary.fill("input[name=done_on]", DATES[15])
            secretary.fill("input[name=entitled]", "10")
            secretary.fill("input[name=present]", "8")
            secretary.check(f"input[name=include_{pipeline_id}]")
            secretary.fill(f"input[name=yes_{pipeline_id}]", "7")
            secretary.once("dialog", lambda dialog: dialog.accept())
            secretary.click("button[type=submit]")
            secretary.wait_for_url("**/recruitment/?branch=*")
            assert "逐个记录 1 人" in secretary.locator(".messages").inner_text()
            continue
        if step == 23:
            extra = {"entitled": "10", "present": "8", "yes": "7"}
        if step == 23:
            extra["outcome"] = "convert"
        _record(staff if step in COMMITTEE else secretary, pipeline_id, step, extra)

    applicant.refresh_from_db()
    assert applicant.political_status == PoliticalStatus.FULL_MEMBER
    person.goto("/recruitment/mine/")
    assert "已归档" in person.locator(".hero").inner_text()
    assert person.locator("[data-testid=timeline] .tag", has_text="已完成").count() == 25
