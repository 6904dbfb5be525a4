"""Demo data of E线声音 and 职代会提案 (called by ``seed_demo`` after the enterprise, its branches and the
knowledge base).

The seed article: 党群小智、E线声音 "听取来自基层一线员工的建议呼声,并及时改进". A month of items through the
services (so routing, deadlines, history and notices are real), in every state: waiting, accepted, in progress,
answered, closed and rated (satisfied or not), returned, merged, and a few left overdue; some public with 附议.
A 职代会 collection window is open with a few proposals, one still collecting co-signers, one submitted, one
accepted (立案) and answered.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from plaza.accounts.models import Person
from plaza.lib import clock
from plaza.orgs.models import Organisation, Position, Title, Tree
from plaza.rules import voice as rules
from plaza.rules import workdays

from . import services
from .models import Category, Congress, Event, Item, Message, Side, State, Support

CATEGORIES = [
    ("生产与安全", "party", True),
    ("党建与组织生活", "party", True),
    ("食堂与后勤", "party", False),
    ("职工福利与帮扶", "union", True),
    ("学习与培训", "party", True),
]
TEXTS = [
    ("concern", "生产与安全", "装调线二号工位照明不足，夜班看不清零件编号，希望加装工位灯。", "总装车间"),
    ("suggestion", "生产与安全", "建议在叉车通道与人行通道交叉口加装凸面镜和地面警示线。", "物流通道"),
    ("suggestion", "食堂与后勤", "夜班下班时食堂已关，建议夜班供餐延长到 22:30。", "一号食堂"),
    ("question", "职工福利与帮扶", "生育慰问要在孩子出生后多久内申请？需要哪些材料？", ""),
    ("help", "职工福利与帮扶", "家中老人住院，想了解困难职工帮扶补助怎么申请。", ""),
    ("suggestion", "党建与组织生活", "建议主题党日安排在周四下午，避开月底生产高峰。", ""),
    ("question", "学习与培训", "党群小智里的学习积分能兑换什么？阅读豆和积分是一回事吗？", ""),
    ("concern", "食堂与后勤", "班车东线早班经常晚点五到十分钟，影响打卡。", "东线班车"),
    ("suggestion", "学习与培训", "希望学习平台增加技能比武的题库，便于一线员工练习。", ""),
    ("concern", "生产与安全", "更衣室排风扇坏了一周，夏天很闷。", "三号更衣室"),
]
ANSWERS = [
    ("已协调设备部门加装两盏 LED 工位灯，本周内完成。", "二号工位加装照明"),
    ("已在交叉口加装凸面镜，地面警示线下周施划。", "叉车交叉口加装凸面镜"),
    ("已与食堂沟通，自下月起夜班供餐延长至 22:30。", "夜班供餐延长至 22:30"),
    ("出生后 6 个月内申请，携带出生证明复印件到分工会办理。", ""),
    ("已转分工会，工作人员将与您联系办理困难帮扶。", ""),
]


def _working_day_before(day: date, n: int) -> date:
    while n:
        day -= timedelta(days=1)
        if workdays.is_working_day(day):
            n -= 1
    return day


def seed_demo_voice(*, seed: int) -> None:
    """Rows written directly (bulk) with the deadlines, history and answers the services would have written,
    the rulebook's default service levels; the 职代会 through the services (a few rows)."""
    with transaction.atomic():
        _seed(seed)


#: (days ago, what became of it): a month of items in every state
PLAN = [
    (28, "closed_ok"), (26, "closed_ok"), (25, "closed_no"), (23, "closed_ok"), (21, "answered"),
    (20, "closed_ok"), (18, "merged"), (17, "in_progress_late"), (15, "closed_ok"), (14, "returned"),
    (12, "answered"), (10, "in_progress"), (9, "waiting_late"), (7, "accepted"), (6, "closed_no"),
    (5, "in_progress_late"), (4, "answered"), (3, "accepted"), (1, "waiting"), (0, "waiting"),
]  # fmt: skip


def _seed(seed: int) -> None:
    rng = random.Random(seed)
    party_root = Organisation.objects.filter(tree=Tree.PARTY, depth=1).order_by("path").first()
    union_root = Organisation.objects.filter(tree=Tree.UNION, depth=1).order_by("path").first()
    if party_root is None or union_root is None or Category.objects.exists():
        return
    owners = {"party": party_root, "union": union_root}
    categories = {
        name: Category.objects.create(name=name, owner=owners[tree], via_branch=via, order=n)
        for n, (name, tree, via) in enumerate(CATEGORIES, 1)
    }
    secretary = Position.objects.current().filter(person__employee_no="sj001", title=Title.SECRETARY).first()
    branch = secretary.organisation if secretary else party_root
    in_branch = list(
        Person.objects.filter(
            memberships__organisation=branch, memberships__until__isnull=True, is_active=True
        ).order_by("pk")[:20]
    )
    union_people = list(
        Person.objects.filter(memberships__tree=Tree.UNION, memberships__until__isnull=True, is_active=True)
        .order_by("pk")
        .distinct()[:40]
    )
    demo = {p.employee_no: p for p in Person.objects.filter(employee_no__in=["dy001", "jj001", "yg001", "sj001"])}
    filers = [p for p in (demo.get("yg001"), demo.get("dy001"), demo.get("jj001")) if p] + in_branch
    if not filers:
        return
    today = clock.today()
    routes: dict[tuple[int, int], Organisation] = {}
    items: list[Item] = []
    stories: list[list[tuple[str, str, str, str]]] = []  # per item: (state, title, note, by)
    for n, (ago, fate) in enumerate(PLAN):
        kind, category_name, text, place = TEXTS[n % len(TEXTS)]
        category = categories[category_name]
        filer = filers[n % len(filers)]
        key = (filer.pk, category.pk)
        if key not in routes:
            routes[key] = services.route(filer, category)
        organisation = routes[key]
        day = today - timedelta(days=ago)
        item = Item(
            kind=kind,
            category=category,
            text=text,
            place=place,
            submitter=filer,
            anonymous=rng.random() < 0.6,
            public=n % 3 == 0,
            organisation=organisation,
            received_on=day,
            acknowledge_due=rules.deadline(day, rules.ACKNOWLEDGE_DAYS),
            return_due=rules.deadline(day, rules.RETURN_DAYS),
        )
        story = [
            (State.SUBMITTED, "提交", "", "提交人"),
            (State.SUBMITTED, f"分派至 {organisation.name}", "", "系统"),
        ]
        if fate == "returned" and organisation.depth > 1:
            parent = services.parent_of(organisation) or organisation
            story.append(
                (
                    State.RETURNED,
                    f"{organisation.name} 退回，改由 {parent.name} 分派",
                    "该事项属于物流部门",
                    organisation.name,
                )
            )
            item.organisation, item.state = parent, State.RETURNED
        elif fate.startswith("waiting"):
            pass
        else:
            accepted = min(today, rules.deadline(day, 1 if n % 5 else 3))
            item.accepted_on, item.accepted_in_time = accepted, accepted <= item.acknowledge_due
            item.answer_due = rules.deadline(accepted, rules.ANSWER_DAYS)
            item.state = State.ACCEPTED
            story.append((State.ACCEPTED, f"{organisation.name} 受理", "", organisation.name))
            if fate.endswith("_late"):
                item.answer_due = _working_day_before(today, 2)
            if fate.startswith(("in_progress", "answered", "closed")):
                item.state = State.IN_PROGRESS
                story.append((State.IN_PROGRESS, "开始办理", "已联系相关部门核实", organisation.name))
            if fate == "merged" and items:
                item.state, item.merged_into = State.MERGED, items[0]
                story.append((State.MERGED, "并入同类反映一并办理", "与此前同类反映合并办理", organisation.name))
            if fate.startswith(("answered", "closed")):
                answer, change = ANSWERS[n % len(ANSWERS)]
                item.answer, item.change_made = answer, change
                item.answered_on = min(today, rules.deadline(accepted, 2 if n % 4 else 7))
                item.answered_in_time = item.answered_on <= item.answer_due
                item.state = State.ANSWERED
                story.append((State.ANSWERED, f"{organisation.name} 答复", answer, organisation.name))
            if fate.startswith("closed"):
                item.satisfied = fate == "closed_ok"
                item.rating_word = "处理及时" if item.satisfied else "还要看落实"
                item.state = State.CLOSED
                story.append(
                    (
                        State.CLOSED,
                        "提交人评价：" + ("满意" if item.satisfied else "不满意"),
                        item.rating_word,
                        "提交人",
                    )
                )
        items.append(item)
        stories.append(story)
    merged = [(i, item.merged_into) for i, item in enumerate(items) if item.merged_into is not None]
    for i, _target in merged:
        items[i].merged_into = None
    Item.objects.bulk_create(items)
    for i, target in merged:
        Item.objects.filter(pk=items[i].pk).update(merged_into=target)
    Event.objects.bulk_create(
        Event(item=item, state=state, title=title, note=note, by=by)
        for item, story in zip(items, stories, strict=True)
        for state, title, note, by in story
    )
    _backdate(items)
    asked = [item for n, item in enumerate(items) if n % 4 == 0 and item.state not in (State.SUBMITTED, State.RETURNED)]
    handler = secretary.person if secretary else filers[0]
    Message.objects.bulk_create(
        message
        for item in asked
        for message in (
            Message(item=item, side=Side.HANDLER, author=handler, text="请问具体是哪个班次、哪个工位？"),
            Message(item=item, side=Side.SUBMITTER, author=item.submitter, text="夜班，二号工位。"),
        )
    )
    for item in asked:  # the question and its reply on the day it was taken up
        day = item.accepted_on or item.received_on
        for hour, side in ((10, Side.HANDLER), (12, Side.SUBMITTER)):
            Message.objects.filter(item=item, side=side).update(created_at=_at(day, hour))
    supports = []
    for i, item in enumerate(i for i in items if i.public):
        backers = [p for p in union_people[: 3 + 4 * i] if p.pk != item.submitter_id]
        supports += [Support(item=item, person=p) for p in backers]
        Item.objects.filter(pk=item.pk).update(
            supports=len(backers), raised_on=today if len(backers) >= services.support_threshold() else None
        )
    Support.objects.bulk_create(supports)
    _congress(today, union_root, union_people, demo)


def _backdate(items: list[Item]) -> None:
    """The rows are written today; their filing date and history are set to the days of the story, so the
    pages do not show a month of suggestions all "submitted" today (QA)."""
    hours = {
        State.SUBMITTED: 9,
        State.RETURNED: 10,
        State.ACCEPTED: 10,
        State.IN_PROGRESS: 11,
        State.MERGED: 11,
        State.ANSWERED: 15,
        State.CLOSED: 16,
    }
    for item in items:
        Item.objects.filter(pk=item.pk).update(created_at=_at(item.received_on, 9))
        for state, hour in hours.items():
            day = {State.SUBMITTED: item.received_on, State.RETURNED: item.received_on}.get(state)
            if day is None:
                day = item.answered_on if state in (State.ANSWERED, State.CLOSED) else item.accepted_on
            if day is not None:
                Event.objects.filter(item=item, state=state).update(at=_at(day, hour))


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _congress(today: date, union_root: Organisation, people: list[Any], demo: dict[str, Person]) -> None:
    chair_position = Position.objects.current().filter(organisation=union_root, title=Title.UNION_CHAIR).first()
    chair = chair_position.person if chair_position else Person.objects.filter(is_superuser=True).first()
    if chair is None or Congress.objects.exists():
        return
    congress = services.create_congress(
        chair,
        union_root,
        name="第八届职工代表大会第三次会议",
        opens_on=today - timedelta(days=10),
        closes_on=today + timedelta(days=10),
        meets_on=today + timedelta(days=20),
    )
    members = people[:8]  # current union members (see the caller)
    proposer = demo.get("yg001") or (members[0] if members else None)
    if proposer is None or len(members) < 4:
        return
    topics = [
        ("延长夜班食堂供餐时间", "夜班下班时食堂已关，职工只能外出就餐。", "夜班供餐延长至 22:30，并增加热食窗口。"),
        ("增设东线班车班次", "东线早班车满载，部分职工站立一小时。", "早高峰增开一班东线班车。"),
        ("更衣柜按班组集中安排", "同一班组更衣柜分散，交接班不便。", "更衣柜按班组重新分配，新员工就近安排。"),
    ]
    others = [m for m in members if m.pk != proposer.pk]
    for n, (title, reason, suggestion) in enumerate(topics):
        who = proposer if n == 0 else others[n]
        proposal = services.file_proposal(
            who, congress, title=title, reason=reason, suggestion=suggestion, one_matter=True
        )
        signers = [m for m in others if m.pk != who.pk][: 2 if n < 2 else 1]
        for signer in signers:
            proposal = services.cosign(signer, proposal)
        if n == 0:
            proposal = services.accept_proposal(
                chair, proposal, union_root, f"同意立案，由{union_root.name}会同食堂承办"
            )
            services.answer_proposal(chair, proposal, "已与食堂协商，自下月起夜班供餐延长至 22:30。")
