"""疗休养: quota, eligibility (service years, not in the last N years), lottery reproducibility, the waiting list,
scoping of the office pages, leave note and feedback."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from plaza.notify.models import Notification as Notice
from plaza.retreats import queries, services
from plaza.retreats.models import Allocation, SignUpStatus
from plaza.retreats.tests.helpers import union_member
from plaza.rules import retreats as rules
from plaza.testing.factories import Level, PersonFactory, Title, add_org, appoint

TODAY = date(2026, 3, 2)


@pytest.fixture
def trip(world):
    """The enterprise union (chair 郑主席) with a quota of 3, a route to 千岛湖 and a batch of 2 places; five members
    hired in 2015, one hired in 2024, one who went in 2024."""
    chair = PersonFactory(employee_no="U0001", name="郑主席")
    union_member(chair, world.union, date(2010, 1, 1))
    appoint(chair, world.union, Title.UNION_CHAIR)
    sub = add_org(world.union, "物流分工会", "U0200", Level.SUB_UNION)
    members = [PersonFactory(employee_no=f"M{n:04d}", name=f"会员{n}") for n in range(1, 6)]
    for person in members:
        union_member(person, world.union, date(2015, 7, 1))
    newcomer = PersonFactory(employee_no="M0100", name="新员工")
    union_member(newcomer, sub, date(2024, 7, 1))
    services.set_quota(chair, world.union, 2026, 3)
    route = services.create_route(chair, world.union, year=2026, name="千岛湖疗休养", destination="杭州淳安", days=5)
    batch = services.add_batch(
        chair,
        route,
        starts_on=date(2026, 5, 11),
        ends_on=date(2026, 5, 15),
        places=2,
        signup_closes_on=date(2026, 4, 20),
    )
    return chair, route, batch, members, newcomer


def test_quota_caps_the_batches(trip):
    chair, route, _batch, _m, _n = trip
    with pytest.raises(ValidationError, match="超出年度名额"):
        services.add_batch(
            chair,
            route,
            starts_on=date(2026, 9, 7),
            ends_on=date(2026, 9, 11),
            places=2,
            signup_closes_on=date(2026, 8, 20),
        )
    services.add_batch(
        chair,
        route,
        starts_on=date(2026, 9, 7),
        ends_on=date(2026, 9, 11),
        places=1,
        signup_closes_on=date(2026, 8, 20),
    )


def test_eligibility_service_years_and_last_retreat(trip, world):
    _chair, _route, batch, members, newcomer = trip
    problems = services.eligibility_problems(newcomer, batch, TODAY)
    assert any("工龄满 5 年" in p and "本单位规定" in p for p in problems)
    assert services.eligibility_problems(members[0], batch, TODAY) == []
    assert any("工会会员" in p for p in services.eligibility_problems(world.member_b, batch, TODAY))
    with pytest.raises(ValidationError):
        services.sign_up(newcomer, batch, today=TODAY)
    assert rules.eligibility_problems(service_years=9, last_year=2024, year=2026, min_years=5, gap_years=3)[0].code == (
        "recent"
    )


def test_lottery_is_reproducible_and_the_waiting_list_moves_up(trip, committed):
    chair, _route, batch, members, _n = trip
    for person in members:
        services.sign_up(person, batch, today=TODAY)
    ids = sorted(p.pk for p in members)
    with committed():
        allocation = services.allocate(chair, batch, method="lottery", seed="2026-千岛湖", today=date(2026, 4, 21))
    assert allocation.candidates == ids and len(allocation.winners) == 2 and len(allocation.waiting) == 3
    assert (allocation.winners, allocation.waiting) == rules.draw(ids, "2026-千岛湖", 2)  # the same seed, the same
    assert services.reproduce(allocation)
    batch.refresh_from_db()
    assert batch.taken == 2
    with pytest.raises(ValidationError, match="已经分配"):
        services.allocate(chair, batch, method="lottery")
    winner = next(p for p in members if p.pk == allocation.winners[0])
    first_waiting = next(p for p in members if p.pk == allocation.waiting[0])
    assert Notice.objects.filter(recipient=winner, title__contains="入选").exists()
    signup = queries.my_signups(winner).get()
    with committed():
        services.withdraw(winner, signup, today=date(2026, 5, 1))
    promoted = queries.my_signups(first_waiting).get()
    assert promoted.status == SignUpStatus.WON and promoted.waiting_rank is None
    batch.refresh_from_db()
    assert batch.taken == 2
    assert Notice.objects.filter(recipient=first_waiting, title__contains="候补递补").exists()


def test_priority_allocation_prefers_who_never_went(trip):
    chair, _route, batch, members, _n = trip
    for person in members[:3]:
        services.sign_up(person, batch, today=TODAY)
    allocation = services.allocate(chair, batch, method="priority")
    assert allocation.seed == "" and allocation.winners == [members[0].pk, members[1].pk]  # signed up first
    assert Allocation.objects.count() == 1


def test_officer_scope_and_member_pages(trip, world, login, settings):
    chair, _route, batch, members, _n = trip
    settings.PLAZA_ORG_DEPT_SEES_MASS_TREES = True
    settings.PLAZA_TODAY = TODAY
    assert queries.office_batch(world.staff, batch.pk) == batch  # 组织部 reads the union's 疗休养
    assert not services.may_allocate(world.staff, batch)
    with pytest.raises(PermissionDenied):
        services.allocate(world.staff, batch, method="lottery")
    assert queries.office_batch(world.secretary_a, batch.pk) is None
    client = login(members[0])
    assert client.get("/retreats/").status_code == 200
    assert client.post(f"/retreats/batch/{batch.pk}/").status_code == 302
    assert client.get("/retreats/office/").status_code == 403
    client = login(chair)
    assert client.get("/retreats/office/").status_code == 200
    page = client.get(f"/retreats/office/batch/{batch.pk}/")
    assert page.status_code == 200 and "会员1" in page.content.decode()
    response = client.post(f"/retreats/office/batch/{batch.pk}/", {"method": "lottery", "seed": "abc"})
    assert response.status_code == 302
    assert "abc" in client.get(f"/retreats/office/batch/{batch.pk}/").content.decode()
    assert client.get(f"/retreats/office/batch/{batch.pk}/list.xlsx").status_code == 200
    settings.PLAZA_TODAY = date(2026, 5, 4)
    client = login(members[0])
    signup = queries.my_signups(members[0]).get()
    assert signup.status == SignUpStatus.WON  # the only candidate
    response = client.get(f"/retreats/signup/{signup.pk}/leave-note.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert login(members[1]).get(f"/retreats/signup/{signup.pk}/leave-note.pdf").status_code == 404


def test_feedback_after_the_trip_only_once(trip):
    chair, _route, batch, members, _n = trip
    signup = services.sign_up(members[0], batch, today=TODAY)
    services.allocate(chair, batch, method="priority")
    signup.refresh_from_db()
    with pytest.raises(ValidationError, match="结束"):
        services.give_feedback(members[0], signup, rating=5, today=date(2026, 5, 14))
    services.give_feedback(members[0], signup, rating=5, comment="安排周到", today=date(2026, 5, 15))
    with pytest.raises(ValidationError, match="已经评价"):
        services.give_feedback(members[0], signup, rating=4, today=date(2026, 5, 16))


def test_api_routes_sign_up_and_mine(trip, world, client, settings):
    _chair, _route, batch, members, newcomer = trip
    settings.PLAZA_TODAY = TODAY
    client.force_login(members[0])
    routes = client.get("/api/v1/retreats/routes").json()
    assert routes[0]["id"] == batch.pk and routes[0]["problems"] == []
    response = client.post(f"/api/v1/retreats/batches/{batch.pk}/sign-up", content_type="application/json")
    assert response.status_code == 201 and response.json()["status_label"] == "已报名"
    assert client.get("/api/v1/retreats/mine").json()[0]["batch"] == batch.pk
    client.force_login(newcomer)
    response = client.post(f"/api/v1/retreats/batches/{batch.pk}/sign-up", content_type="application/json")
    assert response.status_code == 400 and "工龄" in response.json()["detail"]
    client.force_login(world.member_b)  # not a union member: the batch is not theirs
    assert client.post(f"/api/v1/retreats/batches/{batch.pk}/sign-up").status_code == 404


def test_office_pages_stay_within_their_query_bounds(trip, login, django_assert_max_num_queries, settings):
    chair, route, batch, members, _n = trip
    settings.PLAZA_TODAY = TODAY
    for person in members:
        services.sign_up(person, batch, today=TODAY)
    services.add_batch(
        chair, route, starts_on=date(2026, 9, 7), ends_on=date(2026, 9, 11), places=1, signup_closes_on=date(2026, 8, 1)
    )
    client = login(chair)
    client.get("/retreats/office/")
    with django_assert_max_num_queries(25):
        assert client.get("/retreats/office/").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(f"/retreats/office/batch/{batch.pk}/").status_code == 200
