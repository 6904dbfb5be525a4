"""Demo data of 工会 (called by ``seed_demo`` after the enterprise, its branches and the knowledge base).

The care and help settings state exactly the figures of the demo knowledge base's 办法 documents
(plaza/assistant/knowledge/huiyuan_fuli.md, shengyu_weiwen.md, kunnan_buzhu.md), citing their sections. Most
employees are union members (yg001 among them, as the demo logins say); a few have not joined and two have
applied. Two months of dues are deducted from the payroll; care payments of several kinds, a pending 生育慰问
application with its certificate photo, hardship files (two with the yearly review due) and help applications.
"""

from __future__ import annotations

import io
import random
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from plaza.accounts.models import Person
from plaza.lib import clock
from plaza.lib.crypto import blind_index
from plaza.orgs.models import Membership, Organisation, Position, Title, Tree
from plaza.rules import union as rules
from plaza.rules.dates import add_months, month_start

from . import services
from .models import (
    Area,
    CareCase,
    CaseOrigin,
    CaseStatus,
    DuesMethod,
    DuesPayment,
    HardshipFile,
    HelpApplication,
    HelpStatus,
    Kind,
    Member,
    MemberStatus,
    Payment,
    Provision,
    Wage,
    WageSource,
)

FULI = "《工会会员福利待遇》"
SHENGYU = "《工会会员生育慰问办法》"
KUNNAN = "《困难职工帮扶补助办法》"
SIX_MONTHS = 184  # "6 个月内": never more than 184 days
TWELVE_MONTHS = 366  # "延长至 12 个月"
#: 《工会会员生育慰问办法》二: 一次生育双胞胎或多胞胎的，每多一个孩子增加 300 元.
EXTRA_PER_CHILD = Decimal("300")
#: (kind, amount, goods, per year, apply within days, 办法, section) — the knowledge base's figures.
PROVISIONS = [
    (Kind.BIRTHDAY, "200", "生日蛋糕卡", 1, None, FULI, "三、生日慰问"),
    (Kind.MARRIAGE, "500", "", None, SIX_MONTHS, FULI, "四、结婚慰问"),
    (Kind.HOSPITAL, "500", "", 2, None, FULI, "五、住院慰问"),
    (Kind.BEREAVEMENT, "500", "", None, None, FULI, "六、丧事慰问"),
    (Kind.DEATH, "2000", "", None, None, FULI, "六、丧事慰问"),
    (Kind.RETIREMENT, "0", "退休纪念品（价值 1000 元以内）", None, None, FULI, "七、退休慰问"),
    (Kind.CHILDBIRTH, "800", "母婴用品礼包（价值约 200 元）", None, SIX_MONTHS, SHENGYU, "二、慰问标准"),
    (Kind.CHILDBIRTH_SPOUSE, "500", "母婴用品礼包（价值约 200 元）", None, SIX_MONTHS, SHENGYU, "二、慰问标准"),
    (Kind.DAILY, "3000", "", 2, None, KUNNAN, "二（一）日常生活补助"),
    (Kind.TEMPORARY, "5000", "", 1, None, KUNNAN, "二（二）临时救助"),
    # 每人每学年 2000 元 (per child and school year: the service counts by child, not per person per year)
    (Kind.SCHOOLING, "2000", "", None, None, KUNNAN, "二（四）子女助学补助"),
    # 每人全年合计不超过 2000 元 (the amount is the yearly total; each festival's is set by the committee)
    (Kind.FESTIVAL, "2000", "节日慰问品或购物卡", None, None, FULI, "二、节日慰问"),
    (Kind.WARMTH, "1000", "米、油等慰问品", 1, None, KUNNAN, "二（三）节日送温暖"),
]
#: The year's 春节、端午节、中秋节 (the 办法's festivals) and what the demo union gave each member: 1,600 元 in
#: all, within the 《工会会员福利待遇》's 2,000 元 a year.
FESTIVALS = {
    2025: [
        ("春节", date(2025, 1, 29), "600"),
        ("端午节", date(2025, 5, 31), "400"),
        ("中秋节", date(2025, 10, 6), "600"),
    ],
    2026: [
        ("春节", date(2026, 2, 17), "600"),
        ("端午节", date(2026, 6, 19), "400"),
        ("中秋节", date(2026, 9, 25), "600"),
    ],
    2027: [
        ("春节", date(2027, 2, 6), "600"),
        ("端午节", date(2027, 6, 9), "400"),
        ("中秋节", date(2027, 9, 15), "600"),
    ],
}
NOT_JOINED_SHARE = 0.06
#: The demo logins (plaza.demo.accounts, a shell module this app may not import) are all union members.
DEMO_LOGINS = frozenset({"admin", "zzb001", "sj001", "dy001", "jj001", "yg001"})


def _certificate() -> ContentFile:
    picture = Image.new("RGB", (480, 320), (250, 246, 238))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((12, 12, 468, 308), outline=(190, 40, 40), width=4)
    draw.rectangle((40, 60, 440, 80), fill=(220, 210, 200))
    draw.rectangle((40, 110, 300, 126), fill=(220, 210, 200))
    draw.rectangle((40, 150, 360, 166), fill=(220, 210, 200))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=80)
    return ContentFile(buffer.getvalue(), name="care-demo-certificate.jpg")


def seed_demo_union(*, seed: int) -> None:
    """Writes the union's demo records (idempotent: nothing when members exist)."""
    if Member.objects.exists():
        return
    root = Organisation.objects.filter(tree=Tree.UNION, depth=1).order_by("path").first()
    if root is None:
        return
    rng = random.Random(f"union-{seed}")
    today = clock.today()
    chair = (
        Position.objects.current().filter(organisation=root, title=Title.UNION_CHAIR).select_related("person").first()
    )
    recorder = chair.person if chair else Person.objects.filter(is_superuser=True).first()
    if recorder is None:
        return
    Provision.objects.bulk_create(
        [
            Provision(
                organisation=root,
                kind=kind,
                amount=Decimal(amount),
                goods=goods,
                per_year=per_year,
                apply_within_days=within,
                member_months=3 if kind in (Kind.CHILDBIRTH, Kind.CHILDBIRTH_SPOUSE) else None,
                extended_within_days=TWELVE_MONTHS if kind in (Kind.CHILDBIRTH, Kind.CHILDBIRTH_SPOUSE) else None,
                extra_per_child=EXTRA_PER_CHILD if kind in (Kind.CHILDBIRTH, Kind.CHILDBIRTH_SPOUSE) else 0,
                measure=measure,
                article=article,
                updated_by=recorder,
            )
            for kind, amount, goods, per_year, within, measure, article in PROVISIONS
        ]
    )

    # ------------------------------------------------------------------ members
    rows = list(
        Membership.objects.filter(tree=Tree.UNION, until__isnull=True, person__is_active=True)
        .order_by("person__employee_no")
        .values_list("person_id", "person__employee_no", "organisation_id", "since")
    )
    officers = set(Position.objects.current().filter(organisation__tree=Tree.UNION).values_list("person_id", flat=True))
    members: list[Member] = []
    applied: list[Member] = []
    for person_id, employee_no, org_id, since in rows:
        demo_login = employee_no in DEMO_LOGINS
        roll = rng.random()
        if person_id not in officers and not demo_login and roll < NOT_JOINED_SHARE:
            if roll < 0.01:
                applied.append(
                    Member(
                        person_id=person_id,
                        organisation_id=org_id,
                        status=MemberStatus.APPLIED,
                        applied_on=today - timedelta(days=rng.randint(1, 6)),
                        statement="承认《中国工会章程》，自愿加入工会。",
                    )
                )
            continue
        joined = max(since, date(2005, 1, 1))
        members.append(
            Member(
                person_id=person_id,
                organisation_id=org_id,
                status=MemberStatus.ACTIVE,
                applied_on=joined - timedelta(days=10),
                joined_on=joined,
                number=services.member_number(employee_no, joined),
                decided_by=recorder,
            )
        )
    Member.objects.bulk_create(members, batch_size=2000)
    Member.objects.bulk_create(applied)

    # ------------------------------------------------------------------ wages and dues
    this_month = month_start(today)
    first = add_months(this_month, -2)
    by_person = {m.person_id: m for m in Member.objects.filter(status=MemberStatus.ACTIVE)}
    wages = {pid: Decimal(rng.randrange(5200, 16800, 100)) for pid in sorted(by_person)}
    Wage.objects.bulk_create(
        [
            Wage(person_id=pid, wage=wage, effective_from=first, source=WageSource.PAYROLL, recorded_by=recorder)
            for pid, wage in wages.items()
        ],
        batch_size=2000,
    )
    payments = []
    for month in (add_months(first, 1),):
        paid_on = add_months(month, 1).replace(day=10) if add_months(month, 1) <= today else today
        for pid, wage in wages.items():
            member = by_person[pid]
            payments.append(
                DuesPayment(
                    member_id=member.pk,
                    organisation_id=member.organisation_id,
                    month=month,
                    wage=wage,
                    amount=rules.monthly_dues(wage),
                    method=DuesMethod.PAYROLL,
                    paid_on=min(paid_on, today),
                    recorded_by=recorder,
                )
            )
    DuesPayment.objects.bulk_create(payments, batch_size=4000)

    # ------------------------------------------------------------------ care
    provisions = {p.kind: p for p in Provision.objects.filter(organisation=root)}
    people = Person.objects.in_bulk(list(by_person))
    ids = sorted(by_person)
    yg = Person.objects.filter(employee_no="yg001").first()
    picks = rng.sample(ids, min(len(ids), 40))
    kinds = [Kind.BIRTHDAY] * 14 + [Kind.HOSPITAL] * 8 + [Kind.MARRIAGE] * 5 + [Kind.CHILDBIRTH] * 5
    kinds += [Kind.CHILDBIRTH_SPOUSE] * 3 + [Kind.BEREAVEMENT] * 3 + [Kind.RETIREMENT] * 2
    cases: list[tuple[CareCase, date]] = []
    for pid, kind in zip(picks, kinds, strict=False):
        event = today - timedelta(days=rng.randint(5, 80))
        if kind == Kind.BIRTHDAY and people[pid].birth_date:
            try:
                event = people[pid].birth_date.replace(year=today.year)
            except ValueError:
                event = people[pid].birth_date.replace(year=today.year, day=28)
            if event > today:
                event = event.replace(year=today.year - 1)
        cases.append(
            (
                CareCase(
                    person_id=pid,
                    organisation_id=by_person[pid].organisation_id,
                    kind=kind,
                    event_on=event,
                    origin=CaseOrigin.BIRTHDAY if kind == Kind.BIRTHDAY else CaseOrigin.APPLIED,
                    status=CaseStatus.PAID,
                    decided_by=recorder,
                ),
                min(today, event + timedelta(days=rng.randint(3, 20))),
            )
        )
    if yg is not None and yg.pk in by_person:
        cases.append(
            (
                CareCase(
                    person=yg,
                    organisation_id=by_person[yg.pk].organisation_id,
                    kind=Kind.HOSPITAL,
                    event_on=today - timedelta(days=40),
                    origin=CaseOrigin.APPLIED,
                    status=CaseStatus.PAID,
                    note="阑尾炎手术住院 8 天",
                    decided_by=recorder,
                ),
                today - timedelta(days=30),
            )
        )
    CareCase.objects.bulk_create([c for c, _ in cases], batch_size=500)
    saved = {
        (c.person_id, c.kind, c.event_on): c
        for c in CareCase.objects.filter(status=CaseStatus.PAID).only("pk", "person_id", "kind", "event_on")
    }
    Payment.objects.bulk_create(
        [
            Payment(
                person_id=c.person_id,
                organisation_id=c.organisation_id,
                area=Area.CARE,
                kind=c.kind,
                event_on=c.event_on,
                amount=provisions[c.kind].amount,
                goods=provisions[c.kind].goods,
                measure=provisions[c.kind].measure,
                article=provisions[c.kind].article,
                paid_on=paid_on,
                case=saved[(c.person_id, c.kind, c.event_on)],
                recorded_by=recorder,
            )
            for c, paid_on in cases
        ],
        ignore_conflicts=True,
    )
    # a pending 生育慰问 application with the birth certificate's photo
    mother = next((pid for pid in ids if pid not in picks and people[pid].gender == "F"), ids[0])
    pending = CareCase(
        person_id=mother,
        organisation_id=by_person[mother].organisation_id,
        kind=Kind.CHILDBIRTH,
        event_on=today - timedelta(days=12),
        origin=CaseOrigin.APPLIED,
        note="双胞胎儿子出生，出生医学证明见照片",
        children=2,
    )
    pending.photo.save("care-demo.jpg", _certificate(), save=False)
    pending.save()
    services.task_for_officers(
        pending.organisation,
        f"审核生育慰问：{people[mother].name}",
        source_type=services.CARE_TASK,
        source_id=pending.pk,
        url=f"/union/office/care/{pending.pk}/",
    )

    # ------------------------------------------------------------------ hardship
    line = rules.HARDSHIP_LINE_DEFAULT
    stories = [
        ("illness", 3, "4200", "妻子患尿毒症，每周透析三次，医疗费用自付部分较大。"),
        ("disability", 4, "6000", "儿子二级肢体残疾，需长期康复训练。"),
        ("unemployment,schooling", 3, "5100", "配偶失业，女儿在读高三。"),
        ("accident", 2, "6500", "本人上下班途中遭遇交通事故，家中积蓄用于治疗。"),
        ("illness", 5, "7800", "父亲脑梗后偏瘫，母亲无收入，与本人同住。"),
        ("disaster", 3, "6000", "老家房屋因暴雨受损，需重建。"),
    ]
    families = rng.sample([pid for pid in ids if pid not in picks and pid != mother], len(stories))
    files = []
    for n, (pid, (causes, size, income, text)) in enumerate(zip(families, stories, strict=True)):
        opened = today - timedelta(days=rng.randint(200, 700))
        income_value = Decimal(income)
        per_head = rules.income_per_head(income_value, size)
        # two files are due for their yearly review within the month; the others next December
        review = today + timedelta(days=10 + n) if n < 2 else rules.next_review(today)
        files.append(
            HardshipFile(
                person_id=pid,
                organisation_id=by_person[pid].organisation_id,
                family_size=size,
                family_income=income_value,
                per_head=per_head,
                below_line=rules.below_line(per_head, line),
                line=line,
                causes=causes,
                circumstances=text,
                phone=f"139{rng.randint(10_000_000, 99_999_999)}",
                opened_on=opened,
                last_review_on=None,
                next_review_on=review,
                opened_by=recorder,
            )
        )
    HardshipFile.objects.bulk_create(files)
    stored = list(HardshipFile.objects.order_by("pk"))
    student = f"{people[stored[2].person_id].name[:1]}雨桐"  # the daughter of the third family, in her first year
    HelpApplication.objects.bulk_create(
        [
            HelpApplication(
                person_id=stored[0].person_id,
                organisation_id=stored[0].organisation_id,
                file=stored[0],
                kind=Kind.TEMPORARY,
                requested=Decimal("5000"),
                reason="妻子透析费用增加，本月自付 6000 余元。",
                submitted_on=today - timedelta(days=3),
            ),
            HelpApplication(
                person_id=stored[2].person_id,
                organisation_id=stored[2].organisation_id,
                file=stored[2],
                kind=Kind.SCHOOLING,
                requested=Decimal("2000"),
                reason="女儿考入全日制大学本科（金秋助学）。",
                child_name=student,
                child_key=blind_index(student),
                school_year=rules.school_year(today),
                submitted_on=today - timedelta(days=12),
                status=HelpStatus.VERIFIED,
                proposed=Decimal("2000"),
                verified_on=today - timedelta(days=5),
            ),
        ]
    )
    daily = provisions[Kind.DAILY]
    paid_daily = HelpApplication.objects.create(
        person_id=stored[1].person_id,
        organisation_id=stored[1].organisation_id,
        file=stored[1],
        kind=Kind.DAILY,
        requested=Decimal("1500"),
        reason="建档困难职工日常生活补助（上半年）。",
        submitted_on=today - timedelta(days=60),
        status=HelpStatus.PAID,
        proposed=Decimal("1500"),
        verified_on=today - timedelta(days=55),
        approved_by=recorder,
        approved_on=today - timedelta(days=50),
    )
    Payment.objects.create(
        person_id=stored[1].person_id,
        organisation_id=stored[1].organisation_id,
        area=Area.HELP,
        kind=Kind.DAILY,
        event_on=paid_daily.submitted_on,
        amount=Decimal("1500"),
        measure=daily.measure,
        article=daily.article,
        paid_on=today - timedelta(days=50),
        application=paid_daily,
        recorded_by=recorder,
    )
    # ------------------------------------------------------------------ festivals and 送温暖
    festival = provisions[Kind.FESTIVAL]
    active = [by_person[pid] for pid in sorted(by_person)]
    festival_rows = []
    for name, day, amount in FESTIVALS.get(today.year, []):
        if day > today:
            continue
        festival_rows += [
            Payment(
                person_id=m.person_id,
                organisation_id=m.organisation_id,
                area=Area.CARE,
                kind=Kind.FESTIVAL,
                event_on=day,
                amount=Decimal(amount),
                goods=f"{name}购物卡",
                measure=festival.measure,
                article=festival.article,
                paid_on=day - timedelta(days=3),
                recorded_by=recorder,
            )
            for m in active
            if m.joined_on and m.joined_on <= day
        ]
    Payment.objects.bulk_create(festival_rows, batch_size=4000)
    spring = next((day for name, day, _ in FESTIVALS.get(today.year, []) if name == "春节" and day <= today), None)
    if spring is not None:
        warmth = provisions[Kind.WARMTH]
        Payment.objects.bulk_create(
            [
                Payment(
                    person_id=f.person_id,
                    organisation_id=f.organisation_id,
                    area=Area.HELP,
                    kind=Kind.WARMTH,
                    event_on=spring - timedelta(days=10),
                    amount=warmth.amount,
                    goods=warmth.goods,
                    measure=warmth.measure,
                    article=warmth.article,
                    paid_on=spring - timedelta(days=10),
                    recorded_by=recorder,
                )
                for f in stored
                if f.opened_on <= spring - timedelta(days=10)
            ]
        )
    services.review_tasks(today)
