"""The demo enterprise as plain data: organisation trees, people, memberships, positions, histories.

``plan_enterprise`` is pure Python (no database): from a size and a seed it decides every row, so the
same seed always gives the same enterprise and the writer (``plaza.demo.services``) only has to copy
rows into the database in bulk. The enterprise is modelled on the 上汽通用汽车党委 article in the
project's shared documents: divisions (东岳动力总成, 北盛车身, 武汉北厂 …) each with a 党总支 of
branches, a few branches directly under the committee (党群工作部, 物流和采购 …), 2–4 Party groups
per branch, and union and youth-league trees that mirror the divisions.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from plaza.accounts.models import Education, Gender
from plaza.accounts.models import PoliticalStatus as S
from plaza.accounts.validators import id_card_check_digit
from plaza.orgs.models import Level, Organisation, Title

from .names import (
    ETHNICITIES,
    FEMALE_CHARS,
    MALE_CHARS,
    OTHER_AREA_CODES,
    PHONE_PREFIXES,
    SURNAMES,
    chinese_ordinal,
)

ENTERPRISE = "上汽通用汽车"
COMPANY_FOUNDED = date(1997, 6, 12)
FIRST_EMPLOYEE_NO = 10000001
#: People per branch below which officers and group leaders could not all be distinct.
MIN_PEOPLE_PER_BRANCH = 12
LEAGUE_AGE_LIMIT = 28  # 共青团员 are 14–28 years old (《团章》)


@dataclass(frozen=True)
class Division:
    """A base or business division: it gets a 党总支 (or several at scale), a 分工会 and a 团总支."""

    name: str
    area_codes: tuple[str, ...]  # where its people were mostly born (ID-card area codes)
    units: tuple[tuple[str, str], ...]  # (unit name, "shop" | "office"); one branch per unit


DIVISIONS: tuple[Division, ...] = (
    Division(
        "东岳动力总成",
        ("370602", "370611", "370612"),
        (
            ("装调车间", "shop"),
            ("机加车间", "shop"),
            ("铸造车间", "shop"),
            ("装调工匠创新工作室", "shop"),
            ("质量保证部", "office"),
            ("设备维修科", "shop"),
        ),
    ),
    Division(
        "北盛车身",
        ("210106", "210112", "210103"),
        (
            ("冲压车间", "shop"),
            ("车身车间", "shop"),
            ("涂装车间", "shop"),
            ("总装车间", "shop"),
            ("质量部", "office"),
        ),
    ),
    Division(
        "武汉北厂",
        ("420115", "420106", "420111"),
        (
            ("总装车间", "shop"),
            ("车身车间", "shop"),
            ("涂装车间", "shop"),
            ("Opex项目组", "office"),
            ("奥特能电动车生产准备科", "office"),
        ),
    ),
    Division(
        "金桥凯迪拉克工厂",
        ("310115", "310112"),
        (
            ("凯迪拉克总装车间", "shop"),
            ("车身车间", "shop"),
            ("涂装车间", "shop"),
            ("质量部", "office"),
        ),
    ),
    Division(
        "东岳汽车",
        ("370602", "370613"),
        (
            ("总装车间", "shop"),
            ("车身车间", "shop"),
            ("计划物流科", "office"),
        ),
    ),
    Division(
        "工程与研发",
        ("310115", "310104", "310110"),
        (
            ("奥特能系统项目管理", "office"),
            ("电驱系统开发", "office"),
            ("智能网联开发", "office"),
            ("整车验证", "office"),
            ("数字化转型办公室", "office"),
        ),
    ),
    Division(
        "市场营销",
        ("310104", "310106", "310101"),
        (
            ("市场部通星汇", "office"),
            ("凯迪拉克品牌", "office"),
            ("别克品牌", "office"),
            ("经销商发展", "office"),
            ("客户服务", "office"),
        ),
    ),
)

#: Branches directly under the committee (the first one houses the 党委组织部 / 党群工作部 staff).
HEADQUARTERS = Division(
    "机关",
    ("310115", "310104"),
    (
        ("党群工作部", "office"),
        ("物流和采购", "office"),
        ("财务部", "office"),
        ("人力资源部", "office"),
    ),
)

JOB_TITLES = {
    "shop": (("操作工", 55), ("技师", 12), ("高级技师", 3), ("班组长", 9), ("工程师", 12), ("主管", 6), ("经理", 3)),
    "office": (
        ("专员", 28),
        ("工程师", 26),
        ("高级工程师", 10),
        ("主管", 16),
        ("经理", 12),
        ("高级经理", 6),
        ("总监", 2),
    ),
}
OFFICER_JOB_TITLES = ("经理", "主管", "班组长", "工程师", "高级工程师")

#: Education by job title: (value, weight) pairs.
_EDU_SHOP_FLOOR = ((Education.JUNIOR, 6), (Education.SENIOR, 52), (Education.COLLEGE, 34), (Education.BACHELOR, 8))
_EDU_SKILLED = ((Education.SENIOR, 30), (Education.COLLEGE, 45), (Education.BACHELOR, 25))
_EDU_ENGINEER = ((Education.COLLEGE, 5), (Education.BACHELOR, 62), (Education.MASTER, 30), (Education.DOCTOR, 3))
_EDU_OFFICE = ((Education.COLLEGE, 15), (Education.BACHELOR, 65), (Education.MASTER, 20))
EDUCATION_BY_JOB = {
    "操作工": _EDU_SHOP_FLOOR,
    "技师": _EDU_SKILLED,
    "高级技师": _EDU_SKILLED,
    "班组长": _EDU_SKILLED,
    "工程师": _EDU_ENGINEER,
    "高级工程师": _EDU_ENGINEER,
    "专员": _EDU_OFFICE,
    "主管": _EDU_OFFICE,
    "经理": _EDU_OFFICE,
    "高级经理": _EDU_OFFICE,
    "总监": _EDU_OFFICE,
}

#: Political status by age band: young employees are mostly 共青团员, older ones mostly 群众.
YOUNG_STATUSES = (
    (S.LEAGUE_MEMBER, 62),
    (S.APPLICANT, 10),
    (S.ACTIVIST, 8),
    (S.CANDIDATE, 4),
    (S.PROBATIONARY, 8),
    (S.FULL_MEMBER, 8),
)
OLDER_STATUSES = (
    (S.MASSES, 66),
    (S.APPLICANT, 2),
    (S.ACTIVIST, 2),
    (S.CANDIDATE, 1),
    (S.PROBATIONARY, 1.5),
    (S.FULL_MEMBER, 27.5),
)

#: The recruitment path, in order, with the reason written on each history row.
PIPELINE: tuple[tuple[str, str], ...] = (
    (S.APPLICANT, "递交入党申请书"),
    (S.ACTIVIST, "支委会确定为入党积极分子"),
    (S.CANDIDATE, "支委会列为发展对象，上级党委备案"),
    (S.PROBATIONARY, "支部大会讨论接收为预备党员，上级党委审批"),
    (S.FULL_MEMBER, "预备期满，支部大会讨论按期转为正式党员"),
)
_PIPELINE_RANK = {status: rank for rank, (status, _) in enumerate(PIPELINE)}


# --------------------------------------------------------------------------------------------------- plan rows


@dataclass(slots=True)
class OrgRow:
    name: str
    code: str
    level: str
    path: str
    depth: int
    established_on: date
    numchild: int = 0


@dataclass(slots=True)
class PersonRow:
    employee_no: str
    name: str
    gender: str = ""
    birth_date: date | None = None
    ethnicity: str = "汉族"
    education: str = ""
    department: str = ""
    job_title: str = ""
    phone: str = ""
    id_card: str = ""
    political_status: str = S.MASSES
    is_staff: bool = False
    is_superuser: bool = False
    #: (organisation index, since)
    memberships: list[tuple[int, date]] = field(default_factory=list)
    #: (from status, to status, effective on, reason)
    changes: list[tuple[str, str, date, str]] = field(default_factory=list)


@dataclass(slots=True)
class PositionRow:
    person: int  # index into Enterprise.people
    organisation: int  # index into Enterprise.organisations
    title: str
    since: date


@dataclass
class Enterprise:
    organisations: list[OrgRow]
    people: list[PersonRow]
    positions: list[PositionRow]
    #: indexes of the well-known organisations, for messages and tests
    party_root: int
    union_root: int
    league_root: int
    first_branch: int


@dataclass
class _Unit:
    """One branch's worth of employees: its Party branch and groups, union group and league branch."""

    division: Division
    unit_name: str
    kind: str
    branch: int
    groups: list[int]
    union_group: int
    league_branch: int
    general_branch: int | None
    sub_union: int | None
    league_general: int | None
    #: the demo logins' branch (the very first one)
    first: bool = False
    #: forced slots: (tag, status or None for "by age", youngest birth year, oldest birth year)
    slots: list[tuple[str, str | None, int, int]] = field(default_factory=list)
    size: int = 0


class _Tree:
    """Builds treebeard materialised paths directly (steplen 4, alphabet 0-9A-Z), in creation order."""

    def __init__(self, rows: list[OrgRow]) -> None:
        self.rows = rows
        self.roots = 0
        self.codes: dict[str, itertools.count] = {}

    def add(self, parent: int | None, name: str, prefix: str, level: str, established_on: date) -> int:
        if parent is None:
            self.roots += 1
            path, depth = Organisation._get_path(None, 1, self.roots), 1
        else:
            up = self.rows[parent]
            up.numchild += 1
            path, depth = Organisation._get_path(up.path, up.depth + 1, up.numchild), up.depth + 1
        counter = self.codes.setdefault(prefix, itertools.count(1))
        self.rows.append(OrgRow(name, f"{prefix}{next(counter):04d}", level, path, depth, established_on))
        return len(self.rows) - 1


class _Chooser:
    """Weighted choice with the cumulative weights computed once (``random.choices`` redoes it per call)."""

    def __init__(self, pairs) -> None:  # noqa: ANN001
        self.values = [value for value, _ in pairs]
        self.cum = list(itertools.accumulate(weight for _, weight in pairs))

    def __call__(self, rng: random.Random):  # noqa: ANN204
        return self.values[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]


_SURNAME = _Chooser(SURNAMES)
_ETHNICITY = _Chooser(ETHNICITIES)
_JOB = {kind: _Chooser(pairs) for kind, pairs in JOB_TITLES.items()}
_EDUCATION = {job: _Chooser(pairs) for job, pairs in EDUCATION_BY_JOB.items()}
_YOUNG = _Chooser(YOUNG_STATUSES)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _random_day(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def plan_enterprise(*, people: int, branches: int, seed: int, today: date) -> Enterprise:
    """Decide the whole enterprise. Raises ValueError when the sizes cannot make a sensible one."""
    if branches < 2:
        raise ValueError("branches")
    if people < branches * MIN_PEOPLE_PER_BRANCH:
        raise ValueError("people")
    rng = random.Random(seed)
    orgs: list[OrgRow] = []
    tree = _Tree(orgs)
    party_root = tree.add(None, f"{ENTERPRISE}党委", "P", Level.COMMITTEE, COMPANY_FOUNDED)
    union_root = tree.add(None, f"{ENTERPRISE}工会", "U", Level.UNION, COMPANY_FOUNDED)
    league_root = tree.add(None, f"{ENTERPRISE}团委", "L", Level.LEAGUE_COMMITTEE, COMPANY_FOUNDED)

    units = _plan_units(rng, tree, branches, party_root, union_root, league_root)
    forced = _size_units(rng, units, people, today)
    # Officers are all full members; draw the others so that about 27 % of all are full members in the end.
    forced_share = forced / people
    full_share = min(0.275, max(0.03, (0.27 - forced_share) / (1 - forced_share)))
    planner = _PeoplePlanner(rng, today, full_share)
    person_rows: list[PersonRow] = [
        PersonRow(
            employee_no="admin",
            name="系统管理员",
            is_staff=True,
            is_superuser=True,
        )
    ]
    positions: list[PositionRow] = []
    tagged: dict[str, int] = {}
    next_no = itertools.count(FIRST_EMPLOYEE_NO)
    for unit in units:
        for index in range(unit.size):
            slot = unit.slots[index] if index < len(unit.slots) else None
            row = planner.person(unit, slot, next_no)
            person_rows.append(row)
            if slot is not None:
                tagged[f"{unit.branch}:{slot[0]}"] = len(person_rows) - 1
    _plan_positions(rng, today, units, tagged, positions, party_root, union_root, league_root)
    return Enterprise(orgs, person_rows, positions, party_root, union_root, league_root, units[0].branch)


def _plan_units(
    rng: random.Random,
    tree: _Tree,
    branches: int,
    party_root: int,
    union_root: int,
    league_root: int,
) -> list[_Unit]:
    """The organisation trees, general branches first (so the first branch is 东岳动力总成 装调车间)."""
    direct = max(1, min(len(HEADQUARTERS.units), branches // 12))
    under_general = branches - direct
    # Every division gets a 党总支 once there are enough branches (about three each); at scale a 党总支
    # holds about twelve branches, so big enterprises get several per division.
    general_count = max(min(len(DIVISIONS), math.ceil(under_general / 3)), math.ceil(under_general / 12))
    per_general = [
        under_general // general_count + (1 if i < under_general % general_count else 0) for i in range(general_count)
    ]
    seen_division: dict[str, int] = {}
    seen_unit: dict[tuple[str, str], int] = {}
    next_unit: dict[str, int] = {}
    units: list[_Unit] = []

    def ordinal_name(base: str, count: int, suffix: str) -> str:
        return f"{base}{suffix}" if count == 1 else f"{base}第{chinese_ordinal(count)}{suffix}"

    def add_unit(division: Division, parents: tuple[int, int, int], general: bool) -> None:
        party_parent, union_parent, league_parent = parents
        offset = next_unit.get(division.name, 0)
        next_unit[division.name] = offset + 1
        unit_name, kind = division.units[offset % len(division.units)]
        seen_unit[(division.name, unit_name)] = count = seen_unit.get((division.name, unit_name), 0) + 1
        founded = _random_day(rng, date(1998, 1, 1), date(2020, 12, 31))
        branch = tree.add(party_parent, ordinal_name(unit_name, count, "党支部"), "P", Level.BRANCH, founded)
        groups = [
            tree.add(branch, f"{unit_name}第{chinese_ordinal(g + 1)}党小组", "P", Level.GROUP, founded)
            for g in range(rng.randint(2, 4))
        ]
        union_group = tree.add(
            union_parent, ordinal_name(unit_name, count, "工会小组"), "U", Level.UNION_GROUP, founded
        )
        league_branch = tree.add(
            league_parent, ordinal_name(unit_name, count, "团支部"), "L", Level.LEAGUE_BRANCH, founded
        )
        units.append(
            _Unit(
                division,
                unit_name,
                kind,
                branch,
                groups,
                union_group,
                league_branch,
                general_branch=party_parent if general else None,
                sub_union=union_parent if general else None,
                league_general=league_parent if general else None,
                first=not units,
            )
        )

    for number, count in enumerate(per_general):
        division = DIVISIONS[number % len(DIVISIONS)]
        seen_division[division.name] = nth = seen_division.get(division.name, 0) + 1
        founded = _random_day(rng, COMPANY_FOUNDED, date(2005, 12, 31))
        general = tree.add(party_root, ordinal_name(division.name, nth, "党总支"), "P", Level.GENERAL_BRANCH, founded)
        sub_union = tree.add(union_root, ordinal_name(division.name, nth, "分工会"), "U", Level.SUB_UNION, founded)
        league_general = tree.add(
            league_root, ordinal_name(division.name, nth, "团总支"), "L", Level.LEAGUE_GENERAL_BRANCH, founded
        )
        for _ in range(count):
            add_unit(division, (general, sub_union, league_general), True)
    for _ in range(direct):
        add_unit(HEADQUARTERS, (party_root, union_root, league_root), False)
    return units


def _size_units(rng: random.Random, units: list[_Unit], people: int, today: date) -> int:
    """Forced slots (officers, group leaders, demo logins) first, then the rest spread unevenly."""
    this_year = today.year
    officer_years = (1965, min(1992, this_year - 30))
    young_years = (max(1965, this_year - LEAGUE_AGE_LIMIT + 1), 2004)
    first_in_general: set[int | None] = set()
    for unit in units:
        unit.slots = [
            ("secretary", S.FULL_MEMBER, *officer_years),
            ("organisation_member", S.FULL_MEMBER, *officer_years),
            ("propaganda_member", S.FULL_MEMBER, 1965, 1995),
            ("discipline_member", S.FULL_MEMBER, *officer_years),
        ]
        # 党小组长: the three committee members lead the first groups; a fourth group gets its own leader.
        unit.slots += [(f"group_leader:{g}", S.FULL_MEMBER, 1965, 1996) for g in range(3, len(unit.groups))]
        if unit.general_branch is not None and unit.general_branch not in first_in_general:
            first_in_general.add(unit.general_branch)
            unit.slots += [
                ("general_secretary", S.FULL_MEMBER, *officer_years),
                ("general_deputy", S.FULL_MEMBER, *officer_years),
                ("sub_union_chair", S.FULL_MEMBER, *officer_years),
                ("league_general_secretary", None, *young_years),
            ]
        if unit.first:  # the demo logins' branch: 东岳动力总成 装调车间党支部
            unit.slots += [
                ("dy001", S.FULL_MEMBER, 1975, 1995),
                ("jj001", S.ACTIVIST, 1990, 2000),
                ("yg001", S.MASSES, 1970, 1995),
            ]
        if unit.general_branch is None and unit.unit_name == "党群工作部":
            unit.slots += [
                ("zzb001", S.FULL_MEMBER, 1975, 1992),
                *[(f"org_staff:{k}", S.FULL_MEMBER, 1970, 1996) for k in range(3)],
                ("committee_secretary", S.FULL_MEMBER, 1965, 1975),
                *[(f"committee_deputy:{k}", S.FULL_MEMBER, 1965, 1980) for k in range(2)],
                ("union_chair", S.FULL_MEMBER, 1965, 1980),
                ("league_secretary", S.FULL_MEMBER, max(1965, this_year - 35), min(1996, this_year - 24)),
            ]
    forced = sum(len(unit.slots) for unit in units)
    if people < forced:
        raise ValueError("people")
    weights = [rng.uniform(0.6, 1.4) for _ in units]
    spare = people - forced
    total_weight = sum(weights)
    shares = [spare * w / total_weight for w in weights]
    extra = [int(share) for share in shares]
    for index in sorted(range(len(units)), key=lambda i: shares[i] - extra[i], reverse=True)[: spare - sum(extra)]:
        extra[index] += 1
    for unit, more in zip(units, extra, strict=True):
        unit.size = len(unit.slots) + more
    return forced


#: Which branch officer leads (and so belongs to) which Party group.
_LEADS_GROUP = {"organisation_member": 0, "propaganda_member": 1, "discipline_member": 2}
_GROUP_LEADER_TAGS = ("organisation_member", "propaganda_member", "discipline_member", "group_leader:3")


class _PeoplePlanner:
    """Draws one person at a time; keeps ID-card and phone numbers unique across the enterprise."""

    def __init__(self, rng: random.Random, today: date, full_share: float) -> None:
        self.rng = rng
        self.today = today
        older = dict(OLDER_STATUSES)
        older[S.MASSES] += older[S.FULL_MEMBER] - full_share * 100
        older[S.FULL_MEMBER] = full_share * 100
        self.older = _Chooser(older.items())
        self.id_cards: set[str] = set()
        self.phones: set[str] = set()

    def person(self, unit: _Unit, slot: tuple[str, str | None, int, int] | None, numbers: itertools.count) -> PersonRow:
        rng, today = self.rng, self.today
        tag = slot[0] if slot else ""
        male = rng.random() < (0.8 if unit.kind == "shop" else 0.55)
        gender = Gender.MALE if male else Gender.FEMALE
        if slot is not None:
            year = rng.randint(slot[2], slot[3])
        else:
            year = min(2004, max(1965, int(rng.triangular(1965, 2005, 1994))))
        birth = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        age = _age(birth, today)
        status = slot[1] if slot is not None and slot[1] is not None else None
        if status is None:
            status = (_YOUNG if age < LEAGUE_AGE_LIMIT else self.older)(rng)
            if slot is not None and status == S.MASSES:
                status = S.LEAGUE_MEMBER
        hired = self._hire_date(birth)
        status, changes = self._history(birth, status)

        if tag in (
            "secretary",
            "organisation_member",
            "discipline_member",
            "general_secretary",
            "general_deputy",
            "committee_secretary",
        ) or tag.startswith("committee_deputy"):
            job = rng.choice(OFFICER_JOB_TITLES)
        elif tag.startswith("group_leader") and unit.kind == "shop":
            job = "班组长"
        else:
            job = _JOB[unit.kind](rng)
        employee_no = ""
        if unit.first and tag in ("secretary", "dy001", "jj001", "yg001"):
            employee_no = {"secretary": "sj001"}.get(tag, tag)
        elif tag in ("zzb001", "union_chair", "league_secretary"):
            employee_no = {"union_chair": "gh001", "league_secretary": "tw001"}.get(tag, tag)
        row = PersonRow(
            employee_no=employee_no or str(next(numbers)),
            name=self._name(male),
            gender=gender,
            birth_date=birth,
            ethnicity=_ETHNICITY(rng),
            education=_EDUCATION[job](rng),
            department=unit.division.name + unit.unit_name,
            job_title=job,
            phone=self._phone(),
            id_card=self._id_card(unit, birth, male),
            political_status=status,
            is_staff=tag == "zzb001" or tag.startswith("org_staff"),
            changes=changes,
        )
        if employee_no == "sj001":
            row.name, row.gender, row.job_title = "刘昭涛", Gender.MALE, "班组长"
            row.id_card = self._id_card(unit, birth, True)
        row.memberships = self._memberships(unit, tag, row, hired, age)
        return row

    # -- drawing single fields

    def _name(self, male: bool) -> str:
        chars = MALE_CHARS if male else FEMALE_CHARS
        given = self.rng.choice(chars)
        if self.rng.random() < 0.75:
            given += self.rng.choice(chars)
        return _SURNAME(self.rng) + given

    def _phone(self) -> str:
        while True:
            phone = self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def _id_card(self, unit: _Unit, birth: date, male: bool) -> str:
        """GB 11643: area, birth date, sequence (odd for men, even for women), check digit."""
        for _ in range(1000):
            codes = unit.division.area_codes if self.rng.random() < 0.6 else OTHER_AREA_CODES
            sequence = self.rng.randrange(500) * 2 + (1 if male else 0)
            first17 = f"{self.rng.choice(codes)}{birth:%Y%m%d}{sequence:03d}"
            number = first17 + id_card_check_digit(first17)
            if number not in self.id_cards:
                self.id_cards.add(number)
                return number
        raise RuntimeError("ran out of ID numbers")  # pragma: no cover - 60 areas × 500 a day is plenty

    def _hire_date(self, birth: date) -> date:
        start = max(_add_years(birth, self.rng.randint(18, 25)), COMPANY_FOUNDED)
        return min(_random_day(self.rng, start, _add_years(start, 3)), self.today - timedelta(days=30))

    def _history(self, birth: date, status: str) -> tuple[str, list[tuple[str, str, date, str]]]:
        """Dated steps applied → activist → candidate → probationary → full, working back from now.

        A status the person is too young to have reached drops to the one before it.
        """
        rng, today = self.rng, self.today
        while status in _PIPELINE_RANK:
            rank = _PIPELINE_RANK[status]
            eighteen = _add_years(birth, 18)
            dates: list[date] = [today] * (rank + 1)
            if status == S.FULL_MEMBER:
                earliest = max(_add_years(birth, 23), date(1985, 1, 1))
                dates[4] = _random_day(rng, earliest, today - timedelta(days=1))
                dates[3] = _add_years(dates[4], -1)
            elif status == S.PROBATIONARY:
                dates[3] = today - timedelta(days=rng.randint(1, 330))
            else:
                dates[rank] = today - timedelta(days=rng.randint(1, 300))
            gaps = ((30, 300), (365, 540), (90, 200))  # applied→activist, activist→candidate, candidate→prob.
            for step in range(min(rank, 3) - 1, -1, -1):
                dates[step] = dates[step + 1] - timedelta(days=rng.randint(*gaps[step]))
                if step == 1:  # a 发展对象 after a year as an activist at least: 365 days fall short across Feb 29
                    dates[1] = min(dates[1], _add_years(dates[2], -1))
            if dates[0] >= eighteen and dates[-1] <= today:
                first = S.LEAGUE_MEMBER if _age(birth, dates[0]) < LEAGUE_AGE_LIMIT else S.MASSES
                changes = []
                previous = first
                for step in range(rank + 1):
                    to_status, reason = PIPELINE[step]
                    changes.append((previous, to_status, dates[step], reason))
                    previous = to_status
                return status, changes
            status = PIPELINE[rank - 1][0] if rank else S.MASSES
        if status == S.MASSES and _age(birth, today) < LEAGUE_AGE_LIMIT:
            status = S.LEAGUE_MEMBER
        return status, []

    def _memberships(self, unit: _Unit, tag: str, row: PersonRow, hired: date, age: int) -> list[tuple[int, date]]:
        out: list[tuple[int, date]] = [(unit.union_group, hired)]
        if row.political_status in _PIPELINE_RANK:
            joined = row.changes[3][2] if row.political_status in S.party_members() else row.changes[0][2]
            since = max(joined, hired)
            group = _LEADS_GROUP.get(tag, int(tag.split(":")[1]) if tag.startswith("group_leader:") else None)
            if group is not None and group < len(unit.groups):
                organisation = unit.groups[group]
            elif tag == "dy001":
                organisation = unit.groups[0]
            elif row.political_status in S.party_members() and not tag and self.rng.random() < 0.85:
                organisation = self.rng.choice(unit.groups)
            else:
                organisation = unit.branch
            out.append((organisation, since))
        if age < LEAGUE_AGE_LIMIT:
            out.append((unit.league_branch, hired))
        return out


def _plan_positions(
    rng: random.Random,
    today: date,
    units: list[_Unit],
    tagged: dict[str, int],
    positions: list[PositionRow],
    party_root: int,
    union_root: int,
    league_root: int,
) -> None:
    def term_start(first_year: int) -> date:
        return min(_random_day(rng, date(first_year, 1, 1), date(first_year + 2, 12, 31)), today)

    branch_titles = {
        "secretary": Title.SECRETARY,
        "organisation_member": Title.ORGANISATION_MEMBER,
        "propaganda_member": Title.PROPAGANDA_MEMBER,
        "discipline_member": Title.DISCIPLINE_MEMBER,
    }
    for unit in units:
        since = term_start(max(2021, today.year - 4))
        for tag, title in branch_titles.items():
            positions.append(PositionRow(tagged[f"{unit.branch}:{tag}"], unit.branch, title, since))
        for group, tag in zip(unit.groups, _GROUP_LEADER_TAGS, strict=False):
            positions.append(PositionRow(tagged[f"{unit.branch}:{tag}"], group, Title.GROUP_LEADER, since))
        key = f"{unit.branch}:general_secretary"
        if key in tagged:
            since = term_start(max(2021, today.year - 4))
            positions.append(PositionRow(tagged[key], unit.general_branch, Title.SECRETARY, since))
            positions.append(
                PositionRow(tagged[f"{unit.branch}:general_deputy"], unit.general_branch, Title.DEPUTY_SECRETARY, since)
            )
            positions.append(
                PositionRow(tagged[f"{unit.branch}:sub_union_chair"], unit.sub_union, Title.UNION_CHAIR, since)
            )
            positions.append(
                PositionRow(
                    tagged[f"{unit.branch}:league_general_secretary"],
                    unit.league_general,
                    Title.LEAGUE_SECRETARY,
                    since,
                )
            )
        if f"{unit.branch}:zzb001" in tagged:
            since = term_start(max(2020, today.year - 5))
            for tag in ("zzb001", "org_staff:0", "org_staff:1", "org_staff:2"):
                positions.append(PositionRow(tagged[f"{unit.branch}:{tag}"], party_root, Title.ORG_DEPT_STAFF, since))
            positions.append(
                PositionRow(tagged[f"{unit.branch}:committee_secretary"], party_root, Title.SECRETARY, since)
            )
            for k in range(2):
                positions.append(
                    PositionRow(
                        tagged[f"{unit.branch}:committee_deputy:{k}"], party_root, Title.DEPUTY_SECRETARY, since
                    )
                )
            positions.append(PositionRow(tagged[f"{unit.branch}:union_chair"], union_root, Title.UNION_CHAIR, since))
            positions.append(
                PositionRow(tagged[f"{unit.branch}:league_secretary"], league_root, Title.LEAGUE_SECRETARY, since)
            )
