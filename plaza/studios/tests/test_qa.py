"""Regressions found by trying the apps as their users would (QA of issue 19)."""

from datetime import date

from plaza.orgs.models import Level as L
from plaza.orgs.models import Title as T
from plaza.studios import queries, services
from plaza.testing.factories import PersonFactory, add_org, appoint, join


def test_the_union_chair_runs_a_union_studio_and_the_org_dept_reads_it(world, login):
    sub_union = add_org(world.union, "东岳动力总成分工会", "U0100", L.SUB_UNION)
    chair = PersonFactory(employee_no="U0002", name="工会主席")
    join(chair, sub_union)
    appoint(chair, sub_union, T.UNION_CHAIR)
    join(world.activist_a, sub_union)
    assert sub_union in queries.organisations_for(chair)  # the new-studio form offers the union organisation
    studio = services.create_studio(
        chair,
        sub_union,
        services.StudioData("东岳动力总成装调工匠创新(孵化)工作室", "craftsman", "发动机装调", "", date(2016, 4, 26)),
        leader=world.secretary_a,
    )
    assert services.may_manage(chair, studio)
    services.add_member(chair, studio, world.member_a, role="骨干")
    pair = services.create_pair(
        chair,
        studio,
        mentor=world.member_a,
        apprentice=world.activist_a,
        starts_on=date(2026, 1, 5),
        ends_on=date(2026, 12, 31),
        goals="掌握缸盖装配和拧紧工艺",
        skills=[("缸盖装配", date(2026, 4, 30))],
    )
    assert list(queries.pairs(chair)) == [pair]
    # the 组织部 reads the union's studio work (its pairs and statistics), though it does not keep it
    assert list(queries.pairs(world.staff)) == [pair]
    assert queries.pair_for(world.staff, pair.pk) == pair
    assert not services.may_manage(world.staff, studio)
    # a branch secretary who is not the leader sees no one else's pairs
    assert list(queries.pairs(world.secretary_b)) == []
    assert login(chair).get(f"/studios/{studio.pk}/").status_code == 200


def test_statistics_are_for_studio_keepers_and_count_the_union_studio_for_the_org_dept(world, login):
    from plaza.studios.models import Achievement, AchievementKind

    sub_union = add_org(world.union, "东岳动力总成分工会", "U0100", L.SUB_UNION)
    chair = PersonFactory(employee_no="U0002", name="工会主席")
    join(chair, sub_union)
    appoint(chair, sub_union, T.UNION_CHAIR)
    studio = services.create_studio(
        chair,
        sub_union,
        services.StudioData("东岳动力总成装调工匠创新(孵化)工作室", "craftsman", "发动机装调", "", date(2016, 4, 26)),
        leader=world.secretary_a,
    )
    Achievement.objects.create(
        studio=studio,
        kind=AchievementKind.PROJECT,
        title="缸盖拧紧防错改造",
        achieved_on=date(2020, 3, 1),
        created_by=chair,
    )
    # an employee who keeps no studio is refused with the reason, not shown an empty page and an export
    refused = login(world.employee).get("/studios/pairs/stats/")
    assert refused.status_code == 403 and "工作室统计供工作室领办人" in refused.content.decode()
    assert list(queries.reported_studios(world.staff)) == [studio]  # the 组织部 counts the union's studio
    assert login(world.staff).get("/studios/pairs/stats/").status_code == 200
    assert login(world.secretary_a).get("/studios/pairs/stats/").status_code == 200  # its leader
