"""Demo data of 活动与共建 (called by ``seed_demo`` after the enterprise, its branches and the knowledge base).

The story of the seed article: the Party committee "主动和工商银行、恒昌集团总部、小邻通等十多家知名企业'牵手'"
— those partners with their contacts and agreements; a 共建 event with 工商银行 open for sign-up; a 新能源空间
visit that is full with a waiting list (jj001 waits); a volunteering day with 小邻通 that is over, with its
report, photos and points given; a blood-donation volunteering day and a union sports day ahead (yg001 signed up).
"""

from __future__ import annotations

import io
import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from PIL import Image, ImageDraw

from plaza.accounts.models import Person
from plaza.lib import clock
from plaza.orgs.models import Membership, Organisation, Position, Title, Tree
from plaza.orgs.permissions import Cap, Scope
from plaza.points import services as points

from . import services
from .models import Activity, Kind, Partner, RecordKind, Signup, SignupState

PARTNERS = [  # (name, kind, address, contact, role, phone, agreement)
    (
        "工商银行",
        "金融机构",
        "上海市浦东新区",
        "周敏",
        "对公客户经理",
        "13816620318",
        "党建共建协议：金融知识进车间、新能源车贷进企业",
    ),
    (
        "恒昌集团总部",
        "企业",
        "上海市长宁区",
        "陆建华",
        "党群工作部部长",
        "13917735260",
        "党建联建协议：行走党课、主题党日互学互访",
    ),
    (
        "小邻通",
        "社区服务平台",
        "上海市浦东新区金桥镇",
        "沈佳怡",
        "社区运营负责人",
        "13761148825",
        "共建协议：新能源汽车科普进社区",
    ),
    ("金桥社区党群服务中心", "社区", "上海市浦东新区金桥镇", "王海燕", "党群服务中心主任", "13601735592", ""),
]


def _moment(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _picture(colour: tuple[int, int, int], label: str) -> bytes:
    image = Image.new("RGB", (960, 720), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 480, 900, 660), fill=(255, 255, 255))
    draw.text((90, 540), label, fill=(30, 30, 30))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _sign_up(activity: Activity, people: list[Person], created: datetime, confirmed: int) -> list[Signup]:
    rows = [
        Signup(
            activity=activity,
            person=person,
            state=SignupState.CONFIRMED if n < confirmed else SignupState.WAITING,
            created_at=created + timedelta(minutes=7 * n),
        )
        for n, person in enumerate(people)
    ]
    made = Signup.objects.bulk_create(rows)
    Activity.objects.filter(pk=activity.pk).update(taken=min(confirmed, len(people)))
    return made


def seed_demo_activities(*, seed: int) -> None:
    """Partners, activities and sign-ups of the demo enterprise; does nothing when it has no Party committee."""
    rng = random.Random(seed)
    today = clock.today()
    party_root = Organisation.objects.filter(tree=Tree.PARTY, depth=1).order_by("path").first()
    union_root = Organisation.objects.filter(tree=Tree.UNION, depth=1).order_by("path").first()
    if party_root is None or union_root is None:
        return
    staff = Person.objects.filter(employee_no="zzb001").first() or Person.objects.filter(is_superuser=True).first()
    secretary = Person.objects.filter(employee_no="sj001").first()
    if staff is None:
        return
    branch_membership = Membership.objects.current().filter(person=secretary, tree=Tree.PARTY).first()
    branch = branch_membership.organisation if branch_membership else party_root
    organiser = secretary if secretary is not None and Scope.of(secretary, Cap.ACTIVITIES).covers(branch) else staff
    union_chair = (
        Position.objects.current()
        .filter(title=Title.UNION_CHAIR, organisation=union_root)
        .select_related("person")
        .first()
    )
    union_organiser = union_chair.person if union_chair else staff
    union_org = union_root if union_chair else party_root
    everyone = [party_root, union_root]

    partners: dict[str, Partner] = {}
    for name, kind, address, contact, role, phone, agreement in PARTNERS:
        partner = services.save_partner(
            staff,
            None,
            party_root,
            name=name,
            kind=kind,
            address=address,
            since=date(today.year - 1, 3, 1) if agreement else None,
            description=agreement,
            active=True,
        )
        services.add_contact(staff, partner, name=contact, role=role, phone=phone)
        if agreement:
            services.add_record(
                staff,
                partner,
                kind=RecordKind.AGREEMENT,
                happened_on=date(today.year - 1, 3, 1),
                title=f"签订{agreement.split('：')[0]}",
                text=agreement,
            )
        partners[name] = partner
    services.add_record(
        staff,
        partners["工商银行"],
        kind=RecordKind.MEETING,
        happened_on=today - timedelta(days=20),
        title="党建共建联席会议：商定下半年共建计划",
        text="双方党组织书记出席，商定金融知识进车间、新能源车贷进企业两项共建内容。",
    )

    # The people: employees of the whole enterprise in a fixed order, the demo logins placed where the story wants.
    pool = list(
        Person.objects.filter(is_active=True, is_superuser=False)
        .exclude(employee_no__in=["zzb001", "sj001", "dy001", "jj001", "yg001", "admin"])
        .order_by("employee_no")[:400]
    )
    rng.shuffle(pool)
    demo = {p.employee_no: p for p in Person.objects.filter(employee_no__in=["dy001", "jj001", "yg001"])}
    branch_people = list(
        Person.objects.filter(
            memberships__until__isnull=True, memberships__organisation__path__startswith=branch.path, is_active=True
        )
        .exclude(employee_no__in=["sj001", "dy001", "jj001", "yg001"])
        .order_by("employee_no")[:60]
    )
    long_ago = clock.now() - timedelta(days=60)

    # The six activities, one literal row each: (key, organiser, organisation, audience, partners, kind, title,
    # description, place, days from today, starts (h, m), ends (h, m), sign-up deadline (days before, hour), capacity,
    # waiting list, points, created at).
    rows = [
        # 1. 共建 with 工商银行, open for sign-up; dy001 signed up.
        ("bank", staff, party_root, everyone, ["工商银行"], Kind.JOINT, "与工商银行共建：金融知识进车间",
         "工商银行党员志愿者走进车间，讲解防范电信诈骗、新能源车贷和职工理财知识，现场答疑。",
         "东岳动力总成 装调车间会议室", 5, (14, 0), (16, 0), (1, 18), 40, True, 5, long_ago),
        # 2. Full, with a waiting list: the 新能源空间 visit of the branch (jj001 waits second).
        ("visit", organiser, branch, [branch], [], Kind.THEME_DAY, "主题党日：走进凯迪拉克纯电IQ空间",
         "行走党课：把上海的红色资源与凯迪拉克纯电IQ空间结合起来，学习“为用户提供未来智慧出行的美好生活”。",
         "凯迪拉克纯电IQ空间（集合：厂区东门）", 8, (9, 0), (12, 0), (2, 17), 12, True, 5, long_ago),
        # 3. Over: volunteering with 小邻通, report, photos, points given to those who checked in (yg001 among them).
        ("past", staff, party_root, everyone, ["小邻通", "金桥社区党群服务中心"], Kind.VOLUNTEER,
         "小邻通社区志愿服务：新能源汽车科普进社区",
         "党员志愿者走进金桥社区，向居民介绍别克E5、奥特能电动车平台和安全用电常识。",
         "金桥社区党群服务中心广场", -10, (9, 0), (12, 0), (1, 18), 20, False, 5, long_ago),
        # 4. Volunteering ahead: blood donation, open to everyone.
        ("blood", staff, party_root, everyone, [], Kind.VOLUNTEER, "党员志愿服务队：无偿献血",
         "献血前一天请清淡饮食、保证睡眠。献血后按规定安排休息。",
         "厂区医务室", 12, (9, 0), (15, 0), (2, 17), 60, True, 10, long_ago),
        # 5. The union's sports day (yg001 signed up).
        ("sports", union_organiser, union_org, [union_root], [], Kind.UNION, "职工趣味运动会",
         "拔河、跳绳、托球跑，以分工会为单位组队。",
         "厂区体育场", 15, (13, 30), (17, 0), (3, 17), 120, True, 3, long_ago),
        # 6. Over: a joint 主题党日 with 恒昌集团总部, with its report.
        ("walk", staff, party_root, [party_root], ["恒昌集团总部"], Kind.JOINT, "与恒昌集团总部联合主题党日：巴士党课",
         "两家党组织党员同乘党课巴士，沿途学习上海红色资源。",
         "恒昌集团总部（集合：厂区东门）", -40, (8, 30), (12, 0), (2, 17), 30, False, 5, long_ago - timedelta(days=30)),
    ]  # fmt: skip
    made: dict[str, Activity] = {}
    days: dict[str, date] = {}
    for (key, by, organisation, audience, partner_names, kind, title, description, place, offset, starts, ends,
         (ahead, deadline_hour), capacity, waiting_list, award, created) in rows:  # fmt: skip
        day = days[key] = today + timedelta(days=offset)
        made[key] = services.create_activity(
            by,
            organisation,
            audience=audience,
            partners=[partners[name] for name in partner_names],
            kind=kind,
            title=title,
            description=description,
            place=place,
            starts_at=_moment(day, *starts),
            ends_at=_moment(day, *ends),
            signup_deadline=_moment(day - timedelta(days=ahead), deadline_hour),
            capacity=capacity,
            waiting_list=waiting_list,
            points=award,
            now=created,
        )

    _sign_up(made["bank"], [p for p in [demo.get("dy001")] if p] + pool[:23], clock.now() - timedelta(days=3), 40)
    visitors = branch_people[:13] + [p for p in [demo.get("jj001")] if p] + branch_people[13:15]
    _sign_up(made["visit"], visitors, clock.now() - timedelta(days=2), 12)
    _sign_up(made["blood"], pool[50:81], clock.now() - timedelta(days=1), 60)
    sporty = [p for p in [demo.get("yg001")] if p] + pool[90:150]
    _sign_up(made["sports"], sporty, clock.now() - timedelta(days=1), 120)

    past, past_day = made["past"], days["past"]
    helpers = [p for p in [demo.get("yg001"), demo.get("dy001")] if p] + pool[24:42]
    for n, signup in enumerate(_sign_up(past, helpers, _moment(past_day - timedelta(days=5), 10), 20)):
        if n >= 18:  # two did not come
            continue
        moment = _moment(past_day, 8, 40 + n)
        Signup.objects.filter(pk=signup.pk).update(checked_in_at=moment, checked_in_by=signup.person)
        grant = points.earn_for_activity(
            signup.person,
            services.POINTS_ACTIVITY,
            past.points,
            source_id=past.pk,
            key=services.points_key(signup.person_id, past.pk),
            reason=f"参加活动：{past.title}",
        )
        Signup.objects.filter(pk=signup.pk).update(points_given=grant.granted)
    Signup.objects.filter(activity=past, state=SignupState.CONFIRMED, reminded_at__isnull=True).update(
        reminded_at=_moment(past_day - timedelta(days=1), 6)
    )
    report_now = _moment(past_day, 15)
    services.write_report(
        staff,
        past,
        "18 名党员志愿者走进金桥社区，与小邻通共同开展新能源汽车科普，接待居民 200 余人次，"
        "现场讲解别克E5和奥特能平台的安全设计，收集居民用车问题 36 条，已转市场部跟进。",
        now=report_now,
    )
    for colour, label in (((200, 22, 29), "Volunteers"), ((230, 180, 34), "Community")):
        services.add_photo(
            staff, past, _picture(colour, label), "科普现场" if label == "Volunteers" else "居民咨询", now=report_now
        )

    members = set(
        Membership.objects.current().filter(person__in=pool, tree=Tree.PARTY).values_list("person_id", flat=True)
    )
    walk = made["walk"]
    for signup in _sign_up(
        walk, [p for p in pool if p.pk in members][60:85], _moment(days["walk"] - timedelta(days=7), 9), 30
    )[:22]:
        Signup.objects.filter(pk=signup.pk).update(
            checked_in_at=_moment(days["walk"], 8, 20), checked_in_by=signup.person
        )
    services.write_report(
        staff,
        walk,
        "双方 25 名党员参加巴士党课，交流党建品牌“通融达道 思源致远”的做法，商定下一次联合主题党日走进新能源空间。",
        now=_moment(days["walk"], 15),
    )
