"""Issue 11, item 14 (part): employees who are only union or League members are served like everyone else —
their 转人工 reaches the enterprise 组织部's queue (orgs.permissions.ENTERPRISE_SERVICE_CAPS) and staff can award
them points. Party work stays within the Party tree."""

from plaza.assistant import services
from plaza.assistant.models import Question, Status
from plaza.notify.models import Notification
from plaza.orgs import queries as org_queries
from plaza.points.models import Entry
from plaza.testing.factories import PersonFactory, join


def test_a_union_only_employees_hand_off_reaches_the_staff_queue(client, world, knowledge, committed):
    client.force_login(world.employee)  # 赵群众: in the union, in no Party organisation
    client.post("/assistant/", {"text": "单位食堂几点开门"})
    asked = Question.objects.get(person=world.employee)
    with committed():
        assert client.post(f"/assistant/question/{asked.pk}/hand-off/").status_code == 302
    asked.refresh_from_db()
    assert asked.status == Status.HANDED_OFF
    told = Notification.objects.filter(kind="assistant", url="/assistant/office/queue/")
    assert list(told.values_list("recipient", flat=True)) == [world.staff.pk]
    client.force_login(world.staff)
    assert "单位食堂几点开门" in client.get("/assistant/office/queue/").content.decode()
    response = client.post(f"/assistant/office/question/{asked.pk}/", {"text": "早上 6 点半开门。"})
    assert response.status_code in (200, 302)
    asked.refresh_from_db()
    assert asked.status == Status.STAFF_ANSWERED
    # a branch secretary still has no say over a union member's question
    client.force_login(world.secretary_a)
    assert client.get(f"/assistant/office/question/{asked.pk}/").status_code == 403


def test_staff_award_points_to_union_and_league_only_people(client, world):
    youth = PersonFactory(employee_no="Y0001", name="钱团员")
    join(youth, world.league)
    client.force_login(world.staff)
    for person in (world.employee, youth):
        response = client.post(
            "/points/office/award/",
            {"employee_no": person.employee_no, "kind": "award", "amount": 20, "reason": "志愿服务"},
        )
        assert response.status_code == 302, response.content.decode()
        assert Entry.objects.get(person=person).amount == 20
    # the Party's own lists do not grow: 组织部 staff see union-only people only for these services
    assert not org_queries.visible_people(world.staff).filter(pk=world.employee.pk).exists()
    # a branch secretary cannot award points to anyone, union members included
    client.force_login(world.secretary_a)
    assert (
        client.post(
            "/points/office/award/",
            {"employee_no": "E0001", "kind": "award", "amount": 20, "reason": "x"},
        ).status_code
        == 403
    )


def test_the_staff_answer_of_a_union_member_is_in_scope_of_the_service(world, knowledge):
    asked = services.ask(world.employee, "工会会费怎么交")
    services.hand_off(world.employee, asked)
    answered = services.answer_question(world.staff, asked, "按工资的 0.5% 按月代扣。")
    assert answered.answered_by == world.staff
