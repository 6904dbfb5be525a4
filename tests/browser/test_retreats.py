"""Issue 18 (疗休养) in a real browser at 360 × 740: a union member signs up for a route, the union chair runs the
lottery with a seed (the page shows it and that drawing again gives the same result), and the member sees that
they have a place and can print the leave note for their manager. The clock is fixed on 2026-03-02."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from plaza.retreats import services
from plaza.retreats.models import Allocation
from plaza.retreats.tests.helpers import union_member
from plaza.testing.factories import PersonFactory, Title, appoint


def test_sign_up_lottery_and_result(phone, world, settings):
    settings.PLAZA_TODAY = "2026-03-02"
    reverse("retreats:index")  # the URLconf loaded before the first page (slow on a busy machine)
    chair = PersonFactory(employee_no="U0001", name="郑主席")
    union_member(chair, world.union, date(2010, 1, 1))
    appoint(chair, world.union, Title.UNION_CHAIR)
    member = PersonFactory(employee_no="M0001", name="徐会员")
    union_member(member, world.union, date(2015, 7, 1))
    other = PersonFactory(employee_no="M0002", name="褚会员")
    union_member(other, world.union, date(2012, 7, 1))
    services.set_quota(chair, world.union, 2026, 10)
    route = services.create_route(
        chair, world.union, year=2026, name="千岛湖职工疗休养", destination="杭州淳安", days=5
    )
    batch = services.add_batch(
        chair,
        route,
        starts_on=date(2026, 5, 11),
        ends_on=date(2026, 5, 15),
        places=1,
        signup_closes_on=date(2026, 4, 20),
    )
    services.sign_up(other, batch, today=date(2026, 3, 2))

    page = phone(member)
    page.goto("/retreats/")
    page.click("[data-testid=open-batches] a:has-text('千岛湖职工疗休养')")
    page.click("[data-testid=sign-up]")
    page.wait_for_selector("text=已报名，分配结果将通知您")
    assert page.locator("[data-testid=my-retreats] [data-testid=status]").inner_text() == "已报名"

    office = phone(chair)
    office.goto("/retreats/office/")
    office.click(f"a[href='/retreats/office/batch/{batch.pk}/']")
    office.check("input[name=method][value=lottery]")
    office.fill("#id_seed", "2026-千岛湖-第1批")
    office.once("dialog", lambda dialog: dialog.accept())
    office.click("[data-testid=allocate]")
    office.wait_for_selector("[data-testid=allocation]")
    assert office.locator("[data-testid=seed]").inner_text() == "2026-千岛湖-第1批"
    assert "结果一致" in office.locator("[data-testid=allocation]").inner_text()

    allocation = Allocation.objects.get(batch=batch)
    won = member.pk in allocation.winners
    page.reload()
    status = page.locator("[data-testid=my-retreats] [data-testid=status]").inner_text()
    assert status == ("已入选" if won else "候补")
    if won:
        assert page.locator("a:has-text('请假单')").count() == 1
    else:
        assert "候补第 1 位" in page.locator("[data-testid=my-retreats]").inner_text()
