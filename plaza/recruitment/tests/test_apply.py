"""Issue 12 item 2: an employee outside the Party applies to join — the application is step 1 of 党员发展 and
most applicants are in no Party organisation. They choose the branch (their workplace's suggested), the branch's
officers get the to-do and a message, and a refused form always says why, the letter kept."""

from __future__ import annotations

from datetime import date

from plaza.notify.models import Delivery, Task
from plaza.recruitment import services
from plaza.recruitment.models import Pipeline
from plaza.testing.factories import PersonFactory

LETTER = "敬爱的党组织：我志愿加入中国共产党……"


def _outsider(world, department="装调车间"):  # noqa: ANN001, ANN202
    """赵群众: a union member, in no Party organisation; his department's Party members are in branch A."""
    world.employee.department = department
    world.employee.birth_date = date(1990, 3, 1)
    world.employee.save()
    for colleague in (world.member_a, world.secretary_a):
        colleague.department = "装调车间"
        colleague.save()
    return world.employee


def test_the_workplace_branch_is_where_most_party_members_of_the_department_are(world):
    employee = _outsider(world)
    assert services.own_branch_for_application(employee) is None
    assert services.workplace_branch(employee) == world.branch_a
    assert services.branch_for_application(employee) == world.branch_a
    employee.department = "无人部门"
    assert services.workplace_branch(employee) is None


def test_an_employee_outside_the_party_applies_to_the_branch_of_their_workplace(world, login):
    employee = _outsider(world)
    client = login(employee)
    page = client.get("/recruitment/apply/").content.decode()
    assert "您尚未编入党组织" in page and "请选择" in page
    assert f'<option value="{world.branch_a.pk}" selected>' in page  # suggested by the department
    assert "已按您所在部门推荐：装调车间党支部" in page

    response = client.post("/recruitment/apply/", {"branch": world.branch_a.pk, "letter": LETTER})
    assert response.status_code == 302
    pipeline = Pipeline.objects.get(person=employee)
    assert pipeline.branch == world.branch_a and pipeline.steps.get(step=1).note == LETTER
    # The branch receives it: the secretary gets the to-do for the talk and a message now.
    assert Task.objects.filter(assignee=world.secretary_a, source_type="recruitment", done_at__isnull=True).exists()
    assert Delivery.objects.filter(recipient=world.secretary_a, reminder__title__contains="收到入党申请书").exists()


def test_another_branch_may_be_chosen(world, login):
    employee = _outsider(world)
    response = login(employee).post("/recruitment/apply/", {"branch": world.branch_b.pk, "letter": LETTER})
    assert response.status_code == 302
    assert Pipeline.objects.get(person=employee).branch == world.branch_b


def test_without_a_branch_chosen_the_form_says_why_and_keeps_the_letter(world, login):
    employee = _outsider(world, department="")
    client = login(employee)
    page = client.get("/recruitment/apply/").content.decode()
    assert "已按您所在部门推荐" not in page
    response = client.post("/recruitment/apply/", {"letter": LETTER})
    body = response.content.decode()
    assert response.status_code == 200 and "请选择要递交入党申请书的党支部" in body and LETTER in body
    assert not Pipeline.objects.filter(person=employee).exists()


def test_a_refusal_of_the_service_is_shown_on_the_form(world, login):
    young = PersonFactory(
        employee_no="E0400", name="钱少年", birth_date=date.today().replace(year=date.today().year - 16)
    )
    response = login(young).post("/recruitment/apply/", {"branch": world.branch_a.pk, "letter": LETTER})
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="refusal"' in body and LETTER in body
    assert not Pipeline.objects.filter(person=young).exists()


def test_someone_in_a_branch_applies_to_it_and_chooses_nothing(world, login):
    client = login(world.activist_a)  # in branch A already
    page = client.get("/recruitment/apply/").content.decode()
    assert 'name="branch"' not in page and "您的申请将递交：装调车间党支部" in page
    assert client.post("/recruitment/apply/", {"letter": LETTER}).status_code == 302
    assert Pipeline.objects.get(person=world.activist_a).branch == world.branch_a


def test_someone_in_a_branch_cannot_send_it_elsewhere(world):
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="应递交本支部"):
        services.apply(world.activist_a, world.branch_b, letter=LETTER)


def test_a_party_member_is_told_why_there_is_nothing_to_apply_for(world, login):
    response = login(world.member_a).get("/recruitment/apply/", follow=True)
    assert response.status_code == 200 and "您已经是党员" in response.content.decode()
