"""The demo enterprise: complete, consistent, loadable once, and the same for the same seed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from plaza.accounts.models import Person, PoliticalStatus, StatusChange
from plaza.accounts.validators import id_card_problem, phone_problem
from plaza.demo.accounts import DEMO_LOGINS, DEMO_PASSWORD
from plaza.demo.enterprise import LEAGUE_AGE_LIMIT, plan_enterprise
from plaza.lib import dates
from plaza.lib.crypto import blind_index
from plaza.orgs.models import LEVEL_TREE, Level, Membership, Organisation, Position, Title, Tree
from plaza.rules.dates import add_years

SIZE = {"people": 300, "branches": 8, "seed": 1}


@pytest.fixture(scope="module")
def _seeded_once(django_db_setup, django_db_blocker) -> Iterator[str]:  # noqa: ANN001
    """The 300-person enterprise, seeded once for the module (it takes most of a minute) inside a transaction
    that is rolled back when the module ends. Each test runs in a savepoint within it, so none sees another's
    changes; the tests that need an empty database run before these (plaza/demo/tests/conftest.py)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        out = StringIO()
        call_command("seed_demo", **SIZE, stdout=out)
    yield out.getvalue()
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def seeded(_seeded_once: str, db) -> str:  # noqa: ANN001
    return _seeded_once


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def test_the_command_reports_the_logins_and_their_password(seeded: str) -> None:
    assert DEMO_PASSWORD in seeded
    for employee_no, _role, _description in DEMO_LOGINS:
        assert employee_no in seeded


def _employees():  # noqa: ANN202
    """The enterprise's own people: not the administrator, nor the dealers' sales staff the 通星汇 demo adds
    (logins of partner companies, with no ID card, organisation or political status of ours)."""
    return Person.objects.exclude(employee_no="admin").exclude(dealer_staff__isnull=False)


def test_every_political_status_is_present(seeded: str) -> None:
    present = set(Person.objects.values_list("political_status", flat=True))
    assert present == set(PoliticalStatus.values)
    assert _employees().count() == SIZE["people"]


def test_the_trees_are_intact_and_still_grow_with_treebeard(seeded: str) -> None:
    assert all(problems == [] for problems in Organisation.objects.find_problems())
    assert {o.tree for o in Organisation.objects.all()} == set(Tree.values)
    assert all(o.tree == LEVEL_TREE[o.level] for o in Organisation.objects.all())
    roots = Organisation.objects.get_root_nodes()
    assert [r.level for r in roots] == [Level.COMMITTEE, Level.UNION, Level.LEAGUE_COMMITTEE]
    assert Organisation.objects.filter(level=Level.BRANCH).count() == SIZE["branches"]
    # numchild and paths are right: treebeard adds the next child after the seeded ones
    branch = Organisation.objects.get(name="装调车间党支部")
    before = Organisation.objects.get_children_count(branch)
    Organisation.objects.add_child(branch, {"name": "新党小组", "code": "PX001", "level": Level.GROUP})
    assert Organisation.objects.get_children_count(Organisation.objects.get(pk=branch.pk)) == before + 1
    assert all(problems == [] for problems in Organisation.objects.find_problems())


def test_branches_have_full_member_officers_and_groups_have_leaders(seeded: str) -> None:
    current = Membership.objects.current().select_related("organisation")
    party_org_of = {m.person_id: m.organisation for m in current.filter(tree=Tree.PARTY)}
    for branch in Organisation.objects.filter(level=Level.BRANCH):
        groups = list(Organisation.objects.get_children(branch))
        assert 2 <= len(groups) <= 4
        titles = defaultdict(list)
        for position in Position.objects.current().filter(organisation=branch).select_related("person"):
            titles[position.title].append(position.person)
        for title in (Title.SECRETARY, Title.ORGANISATION_MEMBER, Title.PROPAGANDA_MEMBER, Title.DISCIPLINE_MEMBER):
            (officer,) = titles[title]
            assert officer.political_status == PoliticalStatus.FULL_MEMBER
            assert party_org_of[officer.pk].path.startswith(branch.path)
        for group in groups:
            (leader,) = [p.person for p in Position.objects.filter(organisation=group, title=Title.GROUP_LEADER)]
            assert party_org_of[leader.pk] == group
    for general in Organisation.objects.filter(level__in=[Level.COMMITTEE, Level.GENERAL_BRANCH]):
        assert Position.objects.filter(organisation=general, title=Title.SECRETARY).count() == 1
        assert Position.objects.filter(organisation=general, title=Title.DEPUTY_SECRETARY).exists()


def test_memberships_follow_status_and_age(seeded: str) -> None:
    today = timezone.localdate()
    trees = defaultdict(dict)
    for m in Membership.objects.current().select_related("organisation"):
        trees[m.person_id][m.tree] = m.organisation
    at_group = at_branch = 0
    for person in _employees():
        mine = trees[person.pk]
        assert Tree.UNION in mine
        assert (Tree.LEAGUE in mine) == (_age(person.birth_date, today) < LEAGUE_AGE_LIMIT)
        if person.political_status in (PoliticalStatus.MASSES, PoliticalStatus.LEAGUE_MEMBER):
            assert Tree.PARTY not in mine
        elif person.political_status in PoliticalStatus.party_members():
            assert mine[Tree.PARTY].level in (Level.BRANCH, Level.GROUP)
            at_group += mine[Tree.PARTY].level == Level.GROUP
            at_branch += mine[Tree.PARTY].level == Level.BRANCH
        else:  # applicants, activists and candidates belong to the branch itself — or, when they applied through
            # Plaza (the League's 推优 in the demo), are routed to it by their recruitment file, not a membership
            assert Tree.PARTY not in mine or mine[Tree.PARTY].level == Level.BRANCH
        if person.political_status == PoliticalStatus.LEAGUE_MEMBER:
            assert _age(person.birth_date, today) < LEAGUE_AGE_LIMIT
    assert at_group > at_branch  # most members sit in a Party group


def test_personal_data_is_valid_and_consistent(seeded: str) -> None:
    people = list(_employees())
    assert len({p.id_card for p in people}) == len(people)
    assert len({p.phone for p in people}) == len(people)
    for person in people:
        assert id_card_problem(person.id_card) is None, person.id_card
        assert person.id_card[6:14] == person.birth_date.strftime("%Y%m%d")
        assert int(person.id_card[16]) % 2 == (1 if person.gender == "M" else 0)
        assert person.id_card_index == blind_index(person.id_card)
        assert phone_problem(person.phone) is None
        assert 1965 <= person.birth_date.year <= 2004
        assert person.name and person.department and person.job_title and person.education
    assert Person.objects.filter(id_card_index=blind_index(people[0].id_card)).get() == people[0]


def test_status_histories_tell_the_recruitment_story_in_order(seeded: str) -> None:
    pipeline = [
        PoliticalStatus.APPLICANT,
        PoliticalStatus.ACTIVIST,
        PoliticalStatus.CANDIDATE,
        PoliticalStatus.PROBATIONARY,
        PoliticalStatus.FULL_MEMBER,
    ]
    histories = defaultdict(list)
    for change in StatusChange.objects.order_by("effective_on", "id"):
        histories[change.person_id].append(change)
    today = timezone.localdate()
    for person in Person.objects.all():
        history = histories[person.pk]
        if person.political_status not in pipeline:
            assert history == []
            continue
        assert [c.to_status for c in history] == pipeline[: pipeline.index(person.political_status) + 1]
        assert history[0].from_status in (PoliticalStatus.MASSES, PoliticalStatus.LEAGUE_MEMBER)
        assert all(a.to_status == b.from_status for a, b in zip(history, history[1:], strict=False))
        assert all(a.effective_on < b.effective_on for a, b in zip(history, history[1:], strict=False))
        assert _age(person.birth_date, history[0].effective_on) >= 18
        assert history[-1].effective_on <= today
        if person.political_status == PoliticalStatus.FULL_MEMBER:  # one year on probation
            assert history[4].effective_on.replace(year=history[3].effective_on.year) == history[3].effective_on
        if len(history) > 2:  # a 发展对象 after at least a year as an activist (《细则》, rulebook §1 step 7)
            assert history[2].effective_on >= add_years(history[1].effective_on, 1)


def test_demo_recruitment_files_obey_the_rules_and_offer_only_what_can_be_done(seeded: str) -> None:
    """Every demo file could have been recorded through ``record_step`` with no override: replayed in date order,
    each step passes ``plaza.rules.recruitment.check`` on its day (step 7 a year after step 3, step 23 once
    probation is over, …). And the demo's to-do lists offer only steps that may be done today (a to-do for a step the
    rules refuse until a later day cannot be closed by doing it)."""
    from plaza.notify.models import Task
    from plaza.recruitment.models import Pipeline
    from plaza.recruitment.services import birth_date_of, done_dates, ready_steps, review_years, task_key
    from plaza.rules import recruitment

    pipelines = list(Pipeline.objects.select_related("person", "branch").prefetch_related("steps"))
    assert pipelines
    today = timezone.localdate()
    open_keys = set(
        Task.objects.filter(source_type="recruitment", done_at__isnull=True).values_list("source_id", flat=True)
    )
    assert open_keys
    for pipeline in pipelines:
        done = done_dates(pipeline, pipeline.steps.all())
        so_far: dict[int, date] = {}
        for step, on in sorted(done.items(), key=lambda item: (item[1], item[0])):
            problems = recruitment.check(
                step, on, so_far, birth_date_of(pipeline), political_review_years=review_years(pipeline.branch, on=on)
            )
            assert problems == [], (pipeline.person.name, step, on, [v.message for v in problems])
            so_far[step] = on
        assert pipeline.last_step == max(done)
        ready = set(ready_steps(pipeline, done, today))
        offered = {n for n in recruitment.open_steps(done) if task_key(pipeline, n) in open_keys}
        assert offered <= ready, (pipeline.person.name, offered - ready)


def test_demo_logins_exist_and_sign_in_with_the_demo_password(seeded: str, client) -> None:  # noqa: ANN001
    people = {p.employee_no: p for p in Person.objects.filter(employee_no__in=[e for e, *_ in DEMO_LOGINS])}
    assert set(people) == {e for e, *_ in DEMO_LOGINS}
    assert people["admin"].is_superuser
    assert people["zzb001"].is_staff
    root = Organisation.objects.get(code="P0001")
    assert Position.objects.filter(person=people["zzb001"], organisation=root, title=Title.ORG_DEPT_STAFF).exists()
    branch = Position.objects.get(person=people["sj001"], title=Title.SECRETARY).organisation
    assert (branch.name, Organisation.objects.get_parent(branch).name) == ("装调车间党支部", "东岳动力总成党总支")
    assert people["dy001"].political_status == PoliticalStatus.FULL_MEMBER
    assert people["jj001"].political_status == PoliticalStatus.ACTIVIST
    assert Position.objects.filter(person=people["gh001"], title=Title.UNION_CHAIR, organisation__depth=1).exists()
    assert Position.objects.filter(person=people["tw001"], title=Title.LEAGUE_SECRETARY, organisation__depth=1).exists()
    assert people["yg001"].political_status == PoliticalStatus.MASSES
    for employee_no in ("dy001", "jj001"):
        party = Membership.objects.current().get(person=people[employee_no], tree=Tree.PARTY).organisation
        assert party.path.startswith(branch.path)
    assert [m.tree for m in Membership.objects.filter(person=people["yg001"])] == [Tree.UNION]
    for employee_no in people:
        client.logout()
        response = client.post(reverse("accounts:login"), {"username": employee_no, "password": DEMO_PASSWORD})
        assert response.status_code == 302, employee_no
        assert client.get(reverse("core:home")).status_code == 200


def test_if_empty_is_a_no_op_and_a_second_load_is_refused(seeded: str) -> None:
    counts = (Organisation.objects.count(), Person.objects.count(), Membership.objects.count())
    out = StringIO()
    call_command("seed_demo", **SIZE, if_empty=True, stdout=out)
    assert "跳过" in out.getvalue()
    assert (Organisation.objects.count(), Person.objects.count(), Membership.objects.count()) == counts
    with pytest.raises(CommandError):
        call_command("seed_demo", **SIZE, stdout=StringIO())


def test_the_same_seed_gives_the_same_enterprise(seeded: str) -> None:
    today = timezone.localdate()
    plan = plan_enterprise(people=SIZE["people"], branches=SIZE["branches"], seed=SIZE["seed"], today=today)
    assert plan == plan_enterprise(people=SIZE["people"], branches=SIZE["branches"], seed=SIZE["seed"], today=today)
    other = plan_enterprise(people=SIZE["people"], branches=SIZE["branches"], seed=2, today=today)
    assert [p.name for p in other.people] != [p.name for p in plan.people]
    # and what the command wrote is exactly that plan
    # (identity only: the apps' demo stories then move some people on — a 推优 makes an applicant an activist,
    # the 通星汇 champion is renamed — as the procedures would)
    stored = {p.employee_no: (p.id_card, p.phone, p.birth_date) for p in _employees()} | {
        "admin": next((p.id_card, p.phone, p.birth_date) for p in plan.people if p.employee_no == "admin")
    }
    assert stored == {p.employee_no: (p.id_card, p.phone, p.birth_date) for p in plan.people}
    assert sorted(Organisation.objects.values_list("path", "code", "name")) == sorted(
        (o.path, o.code, o.name) for o in plan.organisations
    )


def test_too_few_people_for_even_two_branches_is_a_clear_error(db) -> None:  # noqa: ANN001
    with pytest.raises(CommandError, match="人数太少"):
        call_command("seed_demo", people=20, branches=8, stdout=StringIO())
    assert not Organisation.objects.exists()


def test_a_small_demo_has_fewer_branches_instead_of_a_refusal(db) -> None:  # noqa: ANN001
    """Issue 20: ``seed_demo --people 300`` was refused (60 branches need 720 people); now it scales down."""
    out = StringIO()
    call_command("seed_demo", people=300, stdout=out)
    assert "300 人只够 25 个党支部" in out.getvalue()
    assert Organisation.objects.filter(level="branch").count() == 25


def test_demo_todos_and_reminders_come_from_the_procedures_that_close_them(seeded: str) -> None:
    """Issue 12 items 9 and 10: the demo wrote its own to-dos (jj001's 提交本季度思想汇报 stayed after the report
    was handed in) and a reminder of a 主题党日 with a place and time no meeting had. Now every to-do and
    reminder is made by the services users call, and the event each waits for closes it."""
    from plaza.meetings.models import Meeting
    from plaza.notify.models import Delivery, Reminder, Task
    from plaza.recruitment.models import Pipeline
    from plaza.recruitment.services import submit_report

    assert not Task.objects.filter(source_type__in=["", "demo"]).exists()
    assert not Task.objects.filter(source_id="").exists()
    assert not Reminder.objects.filter(subject_type="demo").exists()

    secretary = Person.objects.get(employee_no="sj001")
    activist = Person.objects.get(employee_no="jj001")
    # Sent as every notice is: through the outbox, delivered by the worker (the scheduler in the demo).
    assert Delivery.objects.filter(recipient=secretary, reminder__title="欢迎使用党群服务广场").exists()
    assert Task.objects.filter(assignee=secretary, source_type="recruitment", done_at__isnull=True).exists()
    assert Task.objects.filter(assignee=secretary, source_type="recruitment-read", done_at__isnull=True).exists()

    # jj001 has this period's thought report to hand in, once; handing it in clears it.
    open_reports = Task.objects.filter(assignee=activist, title__contains="思想汇报", done_at__isnull=True)
    assert open_reports.count() == 1
    pipeline = Pipeline.objects.get(person=activist, status="active")
    submit_report(activist, pipeline, title="本季度思想汇报", content="认真学习党的理论，立足岗位做好本职工作。" * 2)
    assert not open_reports.exists()

    # Every meeting reminder belongs to a meeting that exists and names its time.
    for reminder in Reminder.objects.filter(subject_type="meeting", cancelled_at__isnull=True):
        meeting = Meeting.objects.get(pk=int(reminder.subject_id))
        assert dates.short_moment(timezone.localtime(meeting.starts_at)) in reminder.title
        assert meeting.topic in reminder.title


def test_branch_life_has_a_year_behind_it(seeded: str, client) -> None:  # noqa: ANN001
    from plaza.dues.models import DuesBase
    from plaza.meetings.models import AttendanceState, Meeting
    from plaza.transfers.models import Transfer

    secretary = Person.objects.get(employee_no="sj001")
    branch = Position.objects.get(person=secretary, title=Title.SECRETARY).organisation
    running = Meeting.objects.get(organisation=branch, format="bus", ends_at__gte=timezone.now())
    assert running.starts_at <= timezone.now() <= running.ends_at  # the QR sign-in can be tried at once
    held = Meeting.objects.filter(organisation=branch, minutes__approved_at__isnull=False)
    assert held.exists() and not held.filter(attendance__isnull=True).exists()
    assert held.filter(attendance__state=AttendanceState.PRESENT).exists()
    members = Person.objects.filter(political_status__in=PoliticalStatus.party_members())
    assert DuesBase.objects.values("person").distinct().count() == members.count()
    assert Transfer.objects.filter(to_org=branch, state="pending").count() == 1
    # the 党委's 本单位规定 (15 days to make up) reached the demo branch's records
    makeups = held.filter(attendance__makeup_due_on__isnull=False).values_list("starts_at", "attendance__makeup_due_on")
    assert makeups and all((due - timezone.localtime(start).date()).days == 15 for start, due in makeups)
    client.force_login(secretary)
    assert "15 天" in client.get("/local-rules/").content.decode()
    assert client.get("/meetings/compliance/").status_code == 200
    assert "红色资源与新能源空间" in client.get(f"/meetings/org/{branch.pk}/").content.decode()


def test_every_committee_has_a_term_and_the_demo_branch_prepares_its_election(seeded: str) -> None:
    from plaza.elections.models import Election, Term

    party = Organisation.objects.filter(
        tree=Tree.PARTY, level__in=[Level.COMMITTEE, Level.GENERAL_BRANCH, Level.BRANCH]
    )
    assert Term.objects.filter(ended_on__isnull=True).count() == party.count()
    secretary = Person.objects.get(employee_no="sj001")
    branch = Position.objects.get(person=secretary, title=Title.SECRETARY).organisation
    term = Term.objects.get(organisation=branch)
    assert 0 < (term.ends_on - timezone.localdate()).days < 90
    election = Election.objects.get(organisation=branch)
    assert election.candidates.count() == 6 and election.state == "draft"


def test_learning_points_and_booking_have_something_to_show(seeded: str, client) -> None:  # noqa: ANN001
    from plaza.booking.models import Service
    from plaza.demo.learn_and_serve import ITEMS
    from plaza.learning.models import Article
    from plaza.points.models import Balance, Item

    assert Article.objects.filter(required=True).count() == 1
    assert Item.objects.filter(stock__gt=0).count() == len(ITEMS)
    assert Balance.objects.filter(amount__gt=0).count() >= 100
    assert Service.objects.count() == 5
    client.force_login(Person.objects.get(employee_no="dy001"))
    assert "党建引领" in client.get("/learning/").content.decode()
    assert "党员身份证明" in client.get("/booking/").content.decode()
