"""Demo data for 组织生活, 党费 and 组织关系转接, so every page has a believable year behind it.

Every branch held most of its required meetings this year (one in ten left out, so the compliance board has
red cells); the demo secretary's branch (sj001, 装调车间党支部) has full records — attendance, minutes, a
fixed monthly 主题党日, a 巴士党课 running today with its QR sign-in, make-up study for an absentee. Every Party
member has a dues base and most paid every month; two are in arrears. One member has asked to move to the
demo branch, and one letter of introduction is out.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from plaza.accounts.models import Person, PoliticalStatus
from plaza.dues.models import Category, DuesBase, DuesPayment, Method
from plaza.elections import services as elections
from plaza.elections.models import Term
from plaza.lib import clock
from plaza.localrules import services as local_rules
from plaza.meetings import services as meetings
from plaza.meetings.models import Attendance, AttendanceState, Format, Kind, Meeting, Minutes
from plaza.orgs.models import Level, Membership, Organisation, Position, Title, Tree
from plaza.rules import dues as dues_rules
from plaza.rules import elections as election_rules
from plaza.rules.dates import add_months
from plaza.transfers import services as transfers

TOPICS = {  # the kind is shown before the topic: "主题党日：学习贯彻……"
    Kind.THEME_DAY: "学习贯彻党的二十届四中全会精神",
    Kind.COMMITTEE: "研究本月党建重点工作",
    Kind.GENERAL_MEETING: "通报支部工作，讨论发展党员",
    Kind.LECTURE: "为用户提供未来智慧出行的美好生活",
    Kind.GROUP: "岗位建功交流",
    Kind.LIFE_MEETING: "年度组织生活会暨民主评议党员",
}
PLAN = ((Kind.COMMITTEE, 1, 5), (Kind.THEME_DAY, 1, 15), (Kind.GENERAL_MEETING, 3, 20), (Kind.LECTURE, 3, 25))
#: 团支部 "三会两制一课" (issue 18): the League's required meetings, for the compliance page to have something to
#: show — most branches keep them, a few miss some (one in twelve left out).
LEAGUE_TOPICS = {
    Kind.LEAGUE_COMMITTEE: "研究本月团的工作",
    Kind.LEAGUE_MEETING: "通报团支部工作，推荐优秀团员",
    Kind.LEAGUE_LECTURE: "青年员工岗位成才",
}
LEAGUE_PLAN = ((Kind.LEAGUE_COMMITTEE, 1, 8), (Kind.LEAGUE_MEETING, 3, 18), (Kind.LEAGUE_LECTURE, 3, 26))


def seed_demo_branch_life(today: date | None = None, seed: int = 1) -> dict[str, int]:
    today = today or clock.today()
    rng = random.Random(seed)
    admin = Person.objects.filter(is_superuser=True).order_by("pk").first()
    secretary = Person.objects.filter(employee_no="sj001").first()
    home = (
        Position.objects.current()
        .filter(person=secretary, title=Title.SECRETARY)
        .select_related("organisation")
        .first()
        if secretary
        else None
    )
    home_branch = home.organisation if home else None
    counts = {"meetings": _meetings(today, rng, admin, home_branch)}
    counts["league_meetings"] = _league_meetings(today, random.Random(seed + 18), admin)
    if home_branch is not None:
        counts["home"] = _home_branch(today, rng, secretary, home_branch)
        counts["league_day"] = _league_day(today, rng, home_branch)
    counts["dues"] = _dues(today, rng, admin)
    if home_branch is not None:
        counts["transfers"] = _transfers(today, secretary, home_branch)
    return counts


def _at(day: date, hour: int = 14, minute: int = 30) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _meetings(today: date, rng: random.Random, admin: Person, home: Organisation | None) -> int:
    """This year's required meetings of every branch and group up to last week, one in ten left out."""
    rows = []
    branches = (
        Organisation.objects.filter(level=Level.BRANCH, tree=Tree.PARTY)
        .exclude(pk=getattr(home, "pk", None))
        .values_list("pk", flat=True)
    )
    groups = Organisation.objects.filter(level=Level.GROUP, tree=Tree.PARTY).values_list("pk", flat=True)
    last = today - timedelta(days=7)

    def add(org_id: int, kind: str, day: date) -> None:
        if day <= last and rng.random() > 0.1:
            starts_at = _at(day)
            rows.append(
                Meeting(
                    organisation_id=org_id,
                    kind=kind,
                    topic=TOPICS[kind],
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(minutes=90),
                    place="党员活动室",
                    planned_by=admin,
                )
            )

    for month in range(1, 13):
        for kind, every, day in PLAN:
            if (month - 1) % every == 0:
                for org_id in branches:
                    add(org_id, kind, date(today.year, month, day))
        for org_id in groups:
            add(org_id, Kind.GROUP, date(today.year, month, 10))
    Meeting.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _league_meetings(today: date, rng: random.Random, admin: Person) -> int:
    """This year's 团支部 meetings up to last week: most branches keep 三会两制一课; one in twelve is missing."""
    branches = list(Organisation.objects.filter(level=Level.LEAGUE_BRANCH).values_list("pk", flat=True))
    last = today - timedelta(days=7)
    rows = []
    for month in range(1, 13):
        for kind, every, day in LEAGUE_PLAN:
            on = date(today.year, month, day)
            if (month - 1) % every or on > last:
                continue
            for org_id in branches:
                if rng.random() < 1 / 12:
                    continue
                starts_at = _at(on, 12, 30)
                rows.append(
                    Meeting(
                        organisation_id=org_id,
                        kind=kind,
                        topic=LEAGUE_TOPICS[kind],
                        starts_at=starts_at,
                        ends_at=starts_at + timedelta(minutes=60),
                        place="团员活动室",
                        planned_by=admin,
                    )
                )
    Meeting.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _home_branch(today: date, rng: random.Random, secretary: Person, branch: Organisation) -> int:
    """Full records for the demo branch: every month's meetings with attendance and approved minutes."""
    members = list(meetings.audience(branch, Kind.THEME_DAY))
    makeup_days = local_rules.value(branch, "meetings.makeup_days")
    made = 0
    for month in range(1, today.month + 1):
        for kind, every, day in PLAN:
            on = date(today.year, month, day)
            if (month - 1) % every or on > today - timedelta(days=2):
                continue
            meeting = Meeting.objects.create(
                organisation=branch,
                kind=kind,
                topic=TOPICS[kind],
                starts_at=_at(on),
                place="装调车间党员活动室",
                ends_at=_at(on) + timedelta(minutes=90),
                planned_by=secretary,
                format=Format.BUS if kind == Kind.LECTURE and month == 4 else Format.ONSITE,
                route="中共一大纪念馆—凯迪拉克纯电IQ空间—别克新能源空间" if kind == Kind.LECTURE and month == 4 else "",
            )
            rows = []
            for person in members if kind != Kind.COMMITTEE else [secretary]:
                roll = rng.random()
                state = (
                    AttendanceState.PRESENT
                    if roll < 0.86 or kind == Kind.COMMITTEE  # the committee meets with its quorum
                    else AttendanceState.LEAVE
                    if roll < 0.95
                    else AttendanceState.ABSENT
                )
                rows.append(
                    Attendance(
                        meeting=meeting,
                        person=person,
                        state=state,
                        signed_in_at=meeting.starts_at + timedelta(minutes=rng.randrange(-10, 5))
                        if state == AttendanceState.PRESENT
                        else None,
                        signed_in_by=person if state == AttendanceState.PRESENT else None,
                        leave_reason="当班生产" if state == AttendanceState.LEAVE else "",
                        makeup_due_on=on + timedelta(days=makeup_days) if state != AttendanceState.PRESENT else None,
                        makeup_done_on=on + timedelta(days=7)
                        if state != AttendanceState.PRESENT and on < today - timedelta(days=40)
                        else None,
                        makeup_note="已观看会议录像并学习会议材料，结合岗位谈了体会。"
                        if state != AttendanceState.PRESENT and on < today - timedelta(days=40)
                        else "",
                    )
                )
            Attendance.objects.bulk_create(rows)
            Minutes.objects.create(
                meeting=meeting,
                topics=meeting.topic,
                speakers=secretary.name,
                content=f"{secretary.name}主持会议。党员结合“爱心车间”“党员先锋岗”岗位实践交流发言，"
                "大家表示要在新能源车型上量中当好排头兵。",
                decisions="按会议部署抓好落实",
                written_by=secretary,
                approved_by=secretary,
                approved_at=meeting.ends_at + timedelta(days=1),
            )
            made += 1
    meetings.create_series(
        secretary,
        branch,
        kind=Kind.THEME_DAY,
        topic="每月固定主题党日",
        day_of_month=15,
        start_time=time(14, 30),
        place="装调车间党员活动室",
        today=today,
    )
    # A 巴士党课 running for the next twelve hours, so the QR sign-in can be tried as soon as the demo starts.
    starts_at = timezone.localtime().replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    meetings.plan_meeting(
        secretary,
        branch,
        kind=Kind.LECTURE,
        format=Format.BUS,
        topic="红色资源与新能源空间",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=12),
        place="厂区大巴",
        route="中共一大纪念馆—凯迪拉克纯电IQ空间—别克新能源空间",
    )
    return made


def _league_day(today: date, rng: random.Random, branch: Organisation) -> int:
    """The demo branch's 团支部 held last week's 主题团日, recorded by the nearest League secretary (its 团支部书记,
    or the 团总支/团委 above): attendance and minutes."""
    league = Organisation.objects.filter(
        level=Level.LEAGUE_BRANCH, name=branch.name.replace("党支部", "团支部")
    ).first()
    holder = (
        Position.objects.current()
        .filter(organisation__path__in=Organisation.paths_above(league.path), title=Title.LEAGUE_SECRETARY)
        .order_by("-organisation__depth")
        .first()
        if league
        else None
    )
    if holder is None:
        return 0
    on = today - timedelta(days=7)
    meeting = meetings.plan_meeting(  # held already: a record, nobody is told
        holder.person,
        league,
        kind=Kind.LEAGUE_DAY,
        topic="青春建功新能源，争当岗位排头兵",
        starts_at=_at(on),
        ends_at=_at(on) + timedelta(minutes=90),
        place="装调车间团员活动室",
    )
    rows = list(meeting.attendance.all())
    for row in rows:
        if rng.random() < 0.85 or row.person_id == holder.person_id:
            row.state, row.signed_in_by = AttendanceState.PRESENT, row.person
            row.signed_in_at = meeting.starts_at + timedelta(minutes=rng.randrange(-10, 5))
        else:
            row.state, row.leave_reason = AttendanceState.LEAVE, "当班生产"
            row.makeup_due_on = on + timedelta(days=local_rules.value(league, "meetings.makeup_days"))
    Attendance.objects.bulk_update(rows, ["state", "signed_in_by", "signed_in_at", "leave_reason", "makeup_due_on"])
    Minutes.objects.create(
        meeting=meeting,
        topics=meeting.topic,
        speakers=holder.person.name,
        content=f"{holder.person.name}主持主题团日。团员交流在新能源车型上量中的岗位实践，青年突击队汇报攻关进展。",
        decisions="组建新能源车型青年突击队，争创青年文明号",
        written_by=holder.person,
        approved_by=holder.person,
        approved_at=meeting.ends_at + timedelta(days=1),
    )
    return len(rows)


def _dues(today: date, rng: random.Random, admin: Person) -> int:
    """A base for every Party member since January; payments up to last month, two members in arrears."""

    january = date(today.year, 1, 1)
    members = list(
        Person.objects.filter(political_status__in=PoliticalStatus.party_members(), is_active=True).order_by(
            "employee_no"
        )
    )
    bases, payments = [], []
    behind = {p.pk for p in members if p.employee_no not in ("sj001", "dy001")}
    late = set(rng.sample(sorted(behind), min(2, len(behind))))
    this_month = today.replace(day=1)
    for person in members:
        category = Category.RETIRED if rng.random() < 0.05 else Category.IN_SERVICE
        base = Decimal(rng.randrange(4200, 16000, 50))
        bases.append(DuesBase(person=person, category=category, base=base, effective_from=january, recorded_by=admin))
        due = dues_rules.monthly_dues(base, category)
        unpaid_from = add_months(this_month, -4) if person.pk in late else this_month
        month = january
        while month < unpaid_from:
            payments.append(
                DuesPayment(
                    person=person,
                    month=month,
                    amount=due,
                    method=Method.ONLINE,
                    reference=f"WX{month:%Y%m}{person.pk:06d}",
                    paid_on=month + timedelta(days=9),
                    recorded_by=admin,
                )
            )
            month = add_months(month, 1)
    DuesBase.objects.bulk_create(bases, batch_size=2000)
    DuesPayment.objects.bulk_create(payments, batch_size=2000)
    return len(payments)


def _transfers(today: date, secretary: Person, home: Organisation) -> int:
    """One member of another branch asks to move to the demo branch; one letter goes out of Plaza."""

    movers = (
        Membership.objects.current()
        .filter(
            tree=Tree.PARTY,
            organisation__level=Level.BRANCH,
            person__political_status=PoliticalStatus.FULL_MEMBER,
        )
        .exclude(organisation=home)
        .select_related("person")
        .order_by("person__employee_no")
    )
    mover = movers.first()
    made = 0
    if mover is not None:
        transfers.start_transfer(mover.person, mover.person, home, reason="调入装调车间工作", today=today)
        made += 1
    leaving = (
        Membership.objects.current()
        .filter(organisation=home, person__political_status=PoliticalStatus.FULL_MEMBER)
        .exclude(person=secretary)
        .exclude(person__employee_no="dy001")
        .select_related("person")
        .first()
    )
    if leaving is not None:
        transfers.issue_letter(
            secretary,
            leaving.person,
            to_name="上汽通用汽车（武汉）有限公司党委",
            reason="工作调动至武汉基地",
            today=today,
        )
        made += 1
    return made


def seed_demo_terms(today: date | None = None, seed: int = 1) -> int:
    """Every Party committee, general branch and branch has a current term, started over the last years;
    the demo branch's ends within two months (its election is being prepared: a draft with candidates)."""

    today = today or clock.today()
    rng = random.Random(seed)
    secretary = Person.objects.filter(employee_no="sj001").first()
    home = (
        Position.objects.current()
        .filter(person=secretary, title=Title.SECRETARY)
        .values_list("organisation_id", flat=True)
        .first()
        if secretary
        else None
    )
    terms = []
    for org in Organisation.objects.filter(tree=Tree.PARTY, level__in=list(elections.TERM_YEARS)):
        years = elections.TERM_YEARS[org.level]
        if org.pk == home:  # its term ends about 45 days from today
            started = date(today.year - years, today.month, 1) + timedelta(days=45)
        else:
            started = today - timedelta(days=rng.randrange(30, 365 * years + 60))
        terms.append(
            Term(organisation=org, started_on=started, years=years, ends_on=election_rules.term_end(started, years))
        )
    Term.objects.bulk_create(terms)
    if home is not None:
        branch = Organisation.objects.get(pk=home)
        election = elections.create_election(secretary, branch, seats=5, planned_on=today + timedelta(days=40))
        for person in elections.eligible(election).exclude(pk=secretary.pk).order_by("employee_no")[:5]:
            elections.nominate(secretary, election, person, note="推荐人选")
        elections.nominate(secretary, election, secretary, note="现任书记")
    return len(terms)
