"""Every write of E线声音 and of 职代会提案: filing, routing (首接负责), acceptance, forwarding, return, the reply
channel, extension, answer, rating, reopening, merging, 附议, the audited look at an anonymous submitter, FAQ
entries for 党群小智, categories; congresses, proposals, co-signatures, acceptance (立案), answers and ratings.

Anonymity: an anonymous submitter's own acts are audited without an actor (the audit log is read by staff who
also handle items), notices to handlers never carry a name, and :class:`Item.__str__` is only its number. The
person is kept on the item and shown only through :func:`view_submitter` (``Cap.VOICE_IDENTITY``, a reason,
audited).

Service levels are working days (``plaza.rules.voice``, rulebook section 8), the figures 本单位规定 read with
``plaza.localrules.services.value`` for the organisation responsible on the day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import IO, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from plaza.assistant import services as assistant
from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock, dates, ratelimit
from plaza.lib.images import clean_pictures
from plaza.localrules import services as localrules
from plaza.notify import services as notify
from plaza.orgs.models import Membership, Organisation, Position, Tree
from plaza.orgs.permissions import TITLE_CAPS, Cap, Scope
from plaza.rules import voice as rules

from . import queries
from .models import (
    OPEN,
    TEXT_MAX,
    TITLE_MAX,
    WAITING,
    WORKING,
    Category,
    Congress,
    Cosignature,
    Event,
    Item,
    Kind,
    Message,
    Photo,
    Proposal,
    ProposalState,
    Side,
    State,
    Support,
)

SUBJECT = "voice"
MAX_PHOTOS = 4
PLACE_MAX = 80
WORD_MAX = 100
NOTE_MAX = 500


def support_threshold() -> int:
    """附议 needed for an item to rise to the committee's list (setting ``PLAZA_VOICE_SUPPORT_THRESHOLD``)."""
    return int(getattr(settings, "PLAZA_VOICE_SUPPORT_THRESHOLD", 10))


def filing_rates() -> tuple[ratelimit.Rate, ...]:
    """How many items one person may file in a window (setting ``PLAZA_VOICE_RATE``, e.g. ``3/10m,10/1d``)."""
    return ratelimit.parse(getattr(settings, "PLAZA_VOICE_RATE", ""))


def days(organisation: Organisation | None, key: str, on: date | None = None) -> int:
    """A service level of ``plaza.rules.local`` (``voice.*``) as the organisation has set it on ``on``."""
    return int(localrules.value(organisation, f"voice.{key}", on=on))


# ------------------------------------------------------------------------------------------ who handles


def _voice_titles() -> list[str]:
    return [title for title, caps in TITLE_CAPS.items() if Cap.VOICE in caps]


def handlers_at(organisation: Organisation) -> QuerySet[Any]:
    """The active people holding ``Cap.VOICE`` through a position on ``organisation`` itself."""
    positions = Position.objects.current().filter(organisation=organisation, title__in=_voice_titles())
    return get_user_model().objects.filter(pk__in=positions.values("person_id"), is_active=True)


def handlers_from(organisation: Organisation) -> tuple[Organisation, QuerySet[Any]]:
    """The nearest organisation at or above ``organisation`` that has handlers, and them (the top without)."""
    paths = Organisation.paths_above(organisation.path)
    staffed = set(
        Position.objects.current()
        .filter(organisation__path__in=paths, title__in=_voice_titles(), person__is_active=True)
        .values_list("organisation__path", flat=True)
    )
    for path in reversed(paths):
        if path in staffed:
            found = organisation if path == organisation.path else Organisation.objects.get(path=path)
            return found, handlers_at(found)
    return organisation, handlers_at(organisation)


def route(person: Any, category: Category) -> Organisation:
    """Where a new item goes first: with ``via_branch``, the nearest organisation above the submitter inside
    the category's owner (their branch, 分工会 …) that has a handler; otherwise, or when the submitter is not
    inside the owner's tree, the owner itself (党委, 工会, the department of the category)."""
    owner = category.owner
    if not category.via_branch:
        return owner
    placed = (
        Membership.objects.current()
        .filter(person=person, tree=owner.tree, organisation__path__startswith=owner.path)
        .select_related("organisation")
        .first()
    )
    if placed is None:
        return owner
    paths = [p for p in Organisation.paths_above(placed.organisation.path) if p.startswith(owner.path)]
    staffed = set(
        Position.objects.current()
        .filter(organisation__path__in=paths, title__in=_voice_titles(), person__is_active=True)
        .values_list("organisation__path", flat=True)
    )
    for path in reversed(paths):
        if path in staffed:
            return placed.organisation if path == placed.organisation.path else Organisation.objects.get(path=path)
    return owner


def promised_days(person: Any, categories: Iterable[Category], on: date | None = None) -> dict[str, tuple[int, int]]:
    """What the new-item page promises ``person``: the acknowledge and answer days (``voice.*`` of
    ``plaza.rules.local``) of every organisation their item may land at, one per active category, as
    (fewest, most) per key, so the page states the organisation's actual rules, not fixed figures."""
    on = on or clock.today()
    found: dict[str, list[int]] = {"acknowledge_days": [], "answer_days": []}
    seen: set[int] = set()
    for category in categories:
        organisation = route(person, category)
        if organisation.pk in seen:
            continue
        seen.add(organisation.pk)
        for key, values in found.items():
            values.append(days(organisation, key, on))
    if not seen:
        for key, values in found.items():
            values.append(days(None, key, on))
    return {key: (min(values), max(values)) for key, values in found.items()}


def parent_of(organisation: Organisation) -> Organisation | None:
    """The organisation directly above (the materialised path less one step), None for a top one."""
    if organisation.depth <= 1:
        return None
    return Organisation.objects.filter(path=organisation.path[: -Organisation.steplen]).first()


def handles(actor: Any, item: Item) -> bool:
    """Whether the actor may work on the item: ``Cap.VOICE`` over its responsible organisation."""
    return Scope.of(actor, Cap.VOICE).covers(item.organisation)


def receives(actor: Any, item: Item) -> bool:
    """Whether the actor may accept a forwarded item: ``Cap.VOICE`` over the organisation it was sent to."""
    return item.forwarded_to is not None and Scope.of(actor, Cap.VOICE).covers(item.forwarded_to)


def _require_handler(actor: Any, item: Item) -> None:
    if not handles(actor, item):
        raise PermissionDenied(_("这条反映不由您所在的组织办理。"))


def _require_submitter(person: Any, item: Item) -> None:
    if item.submitter_id != getattr(person, "pk", None):
        raise PermissionDenied(_("只有提交人可以这样做。"))


def _locked(item: Item) -> Item:
    return (
        Item.objects.select_for_update(of=("self",))
        .select_related("organisation", "forwarded_to", "category")
        .get(pk=item.pk)
    )


def _event(item: Item, title: str, note: str = "", by: str = "") -> Event:
    return Event.objects.create(item=item, state=item.state, title=title, note=note[:NOTE_MAX], by=by)


def _url(item: Item, office: bool) -> str:
    return reverse("voice:handle" if office else "voice:mine", args=[item.pk])


def _tell_handlers(organisation: Organisation, item: Item, title: str, body: str = "") -> None:
    """A notice to the organisation's handlers (or the nearest above): the number and category, never a name."""
    _found, people = handlers_from(organisation)
    notify.notify(people, kind=SUBJECT, title=title, body=body[:200], url=_url(item, True))


def _tell_submitter(item: Item, title: str, body: str = "") -> None:
    notify.notify([item.submitter], kind=SUBJECT, title=title, body=body[:200], url=_url(item, False))


def _task_for_handlers(item: Item, title: str, due: date | None) -> None:
    _found, people = handlers_from(item.forwarded_to or item.organisation)
    for person in people:
        notify.add_task(
            person, title, source_type=SUBJECT, source_id=f"item:{item.pk}", url=_url(item, True), due_on=due
        )


def _done_tasks(item: Item) -> None:
    notify.complete_tasks_for(SUBJECT, f"item:{item.pk}")


def _text(value: str, label: str, limit: int = TEXT_MAX, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError(_("请填写%(label)s。") % {"label": label})
    if len(text) > limit:
        raise ValidationError(
            _("%(label)s太长了（%(n)d 字），请不超过 %(limit)d 字。") % {"label": label, "n": len(text), "limit": limit}
        )
    return text


def _by_submitter(item: Item) -> Any:
    """Who an audit entry names for the submitter's own act: nobody when the item is anonymous."""
    return None if item.anonymous else item.submitter


# ------------------------------------------------------------------------------------------ deadlines


def overdue(item: Item, today: date | None = None) -> bool:
    """Past its acknowledge deadline while waiting, or its answer deadline while being worked on."""
    today = today or clock.today()
    if item.state in WAITING:
        return rules.late(today, item.acknowledge_due)
    if item.state in WORKING:
        return rules.late(today, item.answer_due)
    return False


def current_due(item: Item) -> date | None:
    if item.state in WAITING:
        return item.acknowledge_due
    if item.state in WORKING:
        return item.answer_due
    return None


def _receive(item: Item, organisation: Organisation, today: date) -> None:
    item.organisation = organisation
    item.received_on = today
    item.acknowledge_due = rules.deadline(today, days(organisation, "acknowledge_days", today))
    item.return_due = rules.deadline(today, days(organisation, "return_days", today))
    item.reminded = item.escalated = ""


# ------------------------------------------------------------------------------------------ filing


def may_file(person: Any) -> bool:
    return bool(getattr(person, "is_authenticated", False))


@transaction.atomic
def file_item(
    person: Any,
    *,
    kind: str,
    category: Category,
    text: str,
    place: str = "",
    anonymous: bool = True,
    public: bool = False,
    photos: Sequence[IO[bytes] | bytes] = (),
    today: date | None = None,
) -> Item:
    """File an item; it goes where :func:`route` says, with its acknowledge and return deadlines."""
    if not may_file(person):
        raise PermissionDenied(_("请先登录。"))
    today = today or clock.today()
    if kind not in Kind.values:
        raise ValidationError(_("请选择类型：建议、反映问题、求助或咨询。"))
    if not category.active:
        raise ValidationError(_("该类别已停用，请选择其他类别。"))
    text = _text(text, _("内容"))
    place = _text(place, _("地点或产线"), PLACE_MAX, required=False)
    rates = filing_rates()
    ratelimit.refuse_if_limited(rates, queries.recent_filing_times(person, ratelimit.needed(rates)), _("提交反映"))
    cleaned = clean_pictures(photos, at_most=MAX_PHOTOS, name_prefix="voice-", what=_("照片"))
    item = Item(
        kind=kind,
        category=category,
        text=text,
        place=place,
        submitter=person,
        anonymous=anonymous,
        public=public,
    )
    _receive(item, route(person, category), today)
    item.save()
    for picture in cleaned:
        photo = Photo(item=item)
        photo.image.save(picture.name or "photo.jpg", picture, save=True)
    _event(item, _("提交"), by=_("提交人"))
    _event(item, _("分派至 %(org)s") % {"org": item.organisation.name}, by=_("系统"))
    record(
        _by_submitter(item),
        actions.VOICE_FILE,
        item,
        after={"category": category.name, "organisation": item.organisation.name, "anonymous": anonymous},
    )
    title = _("新的E线声音 %(n)s：%(category)s") % {"n": item.number, "category": category.name}
    _tell_handlers(item.organisation, item, title, text)
    _task_for_handlers(item, _("受理E线声音 %(n)s") % {"n": item.number}, item.acknowledge_due)
    return item


# ------------------------------------------------------------------------------------------ handling


def may_accept(actor: Any, item: Item) -> bool:
    return (item.state in WAITING and handles(actor, item)) or (item.state in OPEN and receives(actor, item))


@transaction.atomic
def accept(actor: Any, item: Item, note: str = "", *, today: date | None = None) -> Item:
    """受理: a waiting item by its responsible organisation, or a forwarded one by the organisation it was
    sent to (which then owns it: 首接负责 ends there)."""
    item = _locked(item)
    today = today or clock.today()
    if not may_accept(actor, item):
        if item.state not in OPEN:
            raise ValidationError(_("这条反映现在是“%(state)s”，不能受理。") % {"state": item.get_state_display()})
        raise PermissionDenied(_("这条反映不由您所在的组织办理。"))
    note = _text(note, _("说明"), NOTE_MAX, required=False)
    if item.forwarded_to is not None and receives(actor, item):
        item.organisation, item.forwarded_to = item.forwarded_to, None
        item.reminded = item.escalated = ""
    if item.accepted_in_time is None:
        item.accepted_in_time = today <= item.acknowledge_due
    item.accepted_on = today
    if item.answer_due is None or item.state in WAITING:
        item.answer_due = rules.deadline(today, days(item.organisation, "answer_days", today))
    item.state = State.ACCEPTED
    item.save()
    _event(item, _("%(org)s 受理") % {"org": item.organisation.name}, note, by=item.organisation.name)
    record(actor, actions.VOICE_ACCEPT, item, after={"organisation": item.organisation.name})
    _done_tasks(item)
    _task_for_handlers(item, _("答复E线声音 %(n)s") % {"n": item.number}, item.answer_due)
    _tell_submitter(
        item,
        _("您的反映 %(n)s 已受理") % {"n": item.number},
        _("%(org)s 已受理，将于 %(due)s 前答复。") % {"org": item.organisation.name, "due": item.answer_due},
    )
    return item


def may_forward(actor: Any, item: Item) -> bool:
    return item.state in OPEN and item.forwarded_to is None and handles(actor, item)


@transaction.atomic
def forward(actor: Any, item: Item, target: Organisation, note: str) -> Item:
    """Send the item to another organisation; the sender stays responsible (首接负责) until it is accepted."""
    item = _locked(item)
    if not may_forward(actor, item):
        if item.forwarded_to is not None:
            raise ValidationError(_("这条反映已转交 %(org)s，正等待其接收。") % {"org": item.forwarded_to.name})
        if item.state not in OPEN:
            raise ValidationError(_("这条反映现在是“%(state)s”，不能转交。") % {"state": item.get_state_display()})
        raise PermissionDenied(_("这条反映不由您所在的组织办理。"))
    if target.pk == item.organisation_id:
        raise ValidationError(_("请选择另一个组织。"))
    note = _text(note, _("转交说明"), NOTE_MAX)
    item.forwarded_to = target
    item.save(update_fields=["forwarded_to"])
    _event(item, _("转交 %(org)s，待其接收") % {"org": target.name}, note, by=item.organisation.name)
    record(actor, actions.VOICE_FORWARD, item, after={"to": target.name}, reason=note)
    _tell_handlers(target, item, _("转来的E线声音 %(n)s 待接收") % {"n": item.number}, note)
    _task_for_handlers(item, _("接收转来的E线声音 %(n)s") % {"n": item.number}, None)
    return item


@transaction.atomic
def decline_forward(actor: Any, item: Item, note: str) -> Item:
    """The organisation an item was sent to declines it; it stays with its first receiver."""
    item = _locked(item)
    if not receives(actor, item):
        raise PermissionDenied(_("这条反映没有转交给您所在的组织。"))
    note = _text(note, _("不接收的理由"), NOTE_MAX)
    target = item.forwarded_to
    assert target is not None
    item.forwarded_to = None
    item.save(update_fields=["forwarded_to"])
    _event(
        item,
        _("%(org)s 未接收，仍由 %(first)s 负责") % {"org": target.name, "first": item.organisation.name},
        note,
        by=target.name,
    )
    record(actor, actions.VOICE_FORWARD_DECLINE, item, after={"by": target.name}, reason=note)
    _tell_handlers(item.organisation, item, _("E线声音 %(n)s 被退回转交") % {"n": item.number}, note)
    return item


def return_refusal(item: Item, today: date | None = None) -> str:
    """Why the item cannot be sent back now, or ""."""
    today = today or clock.today()
    if item.state not in WAITING:
        return _("已受理的反映不能退回；如需他人办理，请转交。")
    if item.organisation.depth <= 1:
        return _("%(org)s 是最上级组织，不能再退回；请受理或转交。") % {"org": item.organisation.name}
    if today > item.return_due:
        return _("已超过退回期限（收到后 %(n)d 个工作日内，即 %(due)s 前；%(source)s），请先受理，再转交。") % {
            "n": days(item.organisation, "return_days", item.received_on),
            "due": dates.day(item.return_due),
            "source": rules.SOURCE,
        }
    return ""


def may_return(actor: Any, item: Item) -> bool:
    return handles(actor, item) and not return_refusal(item)


@transaction.atomic
def return_item(actor: Any, item: Item, reason: str, *, today: date | None = None) -> Item:
    """退回 a misrouted item, with a reason, within the return deadline: it goes to the organisation above,
    which routes it again (accepts it or forwards it)."""
    item = _locked(item)
    today = today or clock.today()
    _require_handler(actor, item)
    refusal = return_refusal(item, today)
    if refusal:
        raise ValidationError(refusal)
    reason = _text(reason, _("退回理由"), NOTE_MAX)
    sender = item.organisation
    parent = parent_of(sender)
    assert parent is not None
    _done_tasks(item)
    _receive(item, parent, today)
    item.forwarded_to = None
    item.state = State.RETURNED
    item.save()
    _event(item, _("%(org)s 退回，改由 %(up)s 分派") % {"org": sender.name, "up": parent.name}, reason, by=sender.name)
    record(actor, actions.VOICE_RETURN, item, after={"from": sender.name, "to": parent.name}, reason=reason)
    _tell_handlers(parent, item, _("退回的E线声音 %(n)s 待重新分派") % {"n": item.number}, reason)
    _task_for_handlers(item, _("受理E线声音 %(n)s") % {"n": item.number}, item.acknowledge_due)
    return item


@transaction.atomic
def start(actor: Any, item: Item, note: str = "") -> Item:
    item = _locked(item)
    _require_handler(actor, item)
    if item.state != State.ACCEPTED:
        raise ValidationError(_("只有已受理的反映可以开始办理。"))
    item.state = State.IN_PROGRESS
    item.save(update_fields=["state"])
    _event(item, _("开始办理"), _text(note, _("说明"), NOTE_MAX, required=False), by=item.organisation.name)
    record(actor, actions.VOICE_PROGRESS, item)
    return item


def may_ask(actor: Any, item: Item) -> bool:
    return item.state in OPEN + (State.ANSWERED,) and handles(actor, item)


@transaction.atomic
def ask(actor: Any, item: Item, text: str) -> Message:
    """The handlers ask the submitter a follow-up question through the item.

    The answer clock does NOT pause while the question waits (decided in QA, 2026-12): a pause would let any
    question, however small, stop the deadline the submitter was promised, and an anonymous submitter who never
    comes back would hold the item open without limit. A handler who truly cannot answer without the reply uses
    the one extension (:func:`extend`, up to ``voice.extension_days`` with a reason, e.g. "等待提交人补充说明"),
    which the submitter sees in the history; the reports count it as answered late if the extended day passes."""
    item = _locked(item)
    if not may_ask(actor, item):
        if not handles(actor, item):
            raise PermissionDenied(_("这条反映不由您所在的组织办理。"))
        raise ValidationError(_("这条反映已办结，不能再提问。"))
    text = _text(text, _("问题"))
    message = Message.objects.create(item=item, side=Side.HANDLER, author=actor, text=text)
    record(actor, actions.VOICE_ASK, item)
    _tell_submitter(item, _("关于您的反映 %(n)s，处理人有问题想问您") % {"n": item.number}, text)
    return message


def may_reply(person: Any, item: Item) -> bool:
    return item.submitter_id == getattr(person, "pk", None) and item.state not in (State.CLOSED, State.MERGED)


@transaction.atomic
def reply(person: Any, item: Item, text: str) -> Message:
    """The submitter answers through the item; the handlers learn the answer, not the person."""
    item = _locked(item)
    _require_submitter(person, item)
    if not may_reply(person, item):
        raise ValidationError(_("这条反映已办结，不能再回复。"))
    text = _text(text, _("回复"))
    message = Message.objects.create(item=item, side=Side.SUBMITTER, author=person, text=text)
    record(_by_submitter(item), actions.VOICE_REPLY, item)
    _tell_handlers(item.organisation, item, _("E线声音 %(n)s 的提交人回复了") % {"n": item.number}, text)
    return message


def may_extend(actor: Any, item: Item) -> bool:
    return item.state in WORKING and not item.extended and handles(actor, item)


@transaction.atomic
def extend(actor: Any, item: Item, extra_days: int, reason: str) -> Item:
    """One extension of the answer deadline, by at most ``voice.extension_days`` working days, with a reason."""
    item = _locked(item)
    _require_handler(actor, item)
    if item.state not in WORKING:
        raise ValidationError(_("只有办理中的反映可以延期。"))
    if item.extended:
        raise ValidationError(_("每条反映只能延期一次（%(source)s）。") % {"source": rules.SOURCE})
    limit = days(item.organisation, "extension_days")
    if not 1 <= int(extra_days) <= limit:
        raise ValidationError(_("延期应为 1 到 %(n)d 个工作日（%(source)s）。") % {"n": limit, "source": rules.SOURCE})
    reason = _text(reason, _("延期理由"), NOTE_MAX)
    assert item.answer_due is not None
    before = item.answer_due
    item.answer_due = rules.deadline(item.answer_due, int(extra_days))
    item.extended = True
    item.save(update_fields=["answer_due", "extended"])
    _event(
        item,
        _("延期至 %(due)s") % {"due": dates.day(item.answer_due)},
        reason,
        by=item.organisation.name,
    )
    record(actor, actions.VOICE_EXTEND, item, before={"due": before}, after={"due": item.answer_due}, reason=reason)
    _tell_submitter(item, _("您的反映 %(n)s 答复期限延至 %(due)s") % {"n": item.number, "due": item.answer_due}, reason)
    return item


def may_answer(actor: Any, item: Item) -> bool:
    return item.state in WORKING and handles(actor, item)


@transaction.atomic
def answer(actor: Any, item: Item, text: str, change_made: str = "", *, today: date | None = None) -> Item:
    """答复: the answer goes to the submitter (and to every item merged into this one)."""
    item = _locked(item)
    today = today or clock.today()
    _require_handler(actor, item)
    if item.state not in WORKING:
        raise ValidationError(_("请先受理这条反映，再答复。"))
    text = _text(text, _("答复"))
    change_made = _text(change_made, _("据此改进"), 200, required=False)
    merged = list(Item.objects.select_for_update().filter(merged_into=item))
    for target in [item, *merged]:
        target.answer, target.answered_on = text, today
        if target is item:
            target.answered_in_time = item.answer_due is None or today <= item.answer_due
            target.change_made = change_made
            target.state = State.ANSWERED
        target.save()
        _event(target, _("%(org)s 答复") % {"org": item.organisation.name}, text, by=item.organisation.name)
        _tell_submitter(target, _("您的反映 %(n)s 已答复") % {"n": target.number}, text)
    record(actor, actions.VOICE_ANSWER, item, after={"in_time": item.answered_in_time, "change": change_made})
    _done_tasks(item)
    return item


def may_rate(person: Any, item: Item) -> bool:
    return (
        item.submitter_id == getattr(person, "pk", None)
        and item.state in (State.ANSWERED, State.CLOSED)
        and item.satisfied is None
        and bool(item.answer)
    )


@transaction.atomic
def rate(person: Any, item: Item, satisfied: bool, word: str = "") -> Item:
    """The submitter rates the answer (satisfied or not, with a word); the item is closed."""
    item = _locked(item)
    _require_submitter(person, item)
    if item.satisfied is not None:
        raise ValidationError(_("您已评价过这条反映。"))
    if not may_rate(person, item):
        raise ValidationError(_("答复之后才能评价。"))
    word = _text(word, _("评价"), WORD_MAX, required=False)
    item.satisfied, item.rating_word = bool(satisfied), word
    item.state = State.CLOSED
    item.save(update_fields=["satisfied", "rating_word", "state"])
    _event(item, _("提交人评价：%(r)s") % {"r": _("满意") if satisfied else _("不满意")}, word, by=_("提交人"))
    record(_by_submitter(item), actions.VOICE_RATE, item, after={"satisfied": bool(satisfied)})
    _tell_handlers(
        item.organisation,
        item,
        _("E线声音 %(n)s 已评价：%(r)s") % {"n": item.number, "r": _("满意") if satisfied else _("不满意")},
        word,
    )
    return item


def reopen_refusal(person: Any, item: Item, today: date | None = None) -> str:
    today = today or clock.today()
    if item.submitter_id != getattr(person, "pk", None):
        return _("只有提交人可以要求重新办理。")
    if item.state not in (State.ANSWERED, State.CLOSED) or item.answered_on is None:
        return _("答复之后才能要求重新办理。")
    until = rules.reopen_until(item.answered_on, days(item.organisation, "reopen_days", item.answered_on))
    if today > until:
        return _("答复后 %(n)d 天内可以要求重新办理（%(until)s 前，%(source)s），现已超过期限。") % {
            "n": (until - item.answered_on).days,
            "until": dates.day(until),
            "source": rules.SOURCE,
        }
    return ""


def may_reopen(person: Any, item: Item) -> bool:
    return not reopen_refusal(person, item)


@transaction.atomic
def reopen(person: Any, item: Item, reason: str, *, today: date | None = None) -> Item:
    """The submitter reopens an answered item within the reopening window; a new answer deadline runs."""
    item = _locked(item)
    today = today or clock.today()
    refusal = reopen_refusal(person, item, today)
    if refusal:
        raise ValidationError(refusal)
    reason = _text(reason, _("重新办理的理由"), NOTE_MAX)
    item.state = State.IN_PROGRESS
    item.answer_due = rules.deadline(today, days(item.organisation, "answer_days", today))
    item.answered_on, item.answered_in_time, item.satisfied, item.rating_word = None, None, None, ""
    item.reminded = item.escalated = ""
    item.save()
    _event(item, _("提交人要求重新办理"), reason, by=_("提交人"))
    record(_by_submitter(item), actions.VOICE_REOPEN, item, reason="")
    _tell_handlers(item.organisation, item, _("E线声音 %(n)s 被要求重新办理") % {"n": item.number}, reason)
    _task_for_handlers(item, _("答复E线声音 %(n)s") % {"n": item.number}, item.answer_due)
    return item


@transaction.atomic
def merge(actor: Any, item: Item, into: Item, note: str = "") -> Item:
    """Merge a duplicate into another item the actor handles; it gets that item's answer."""
    item = _locked(item)
    into = _locked(into)
    _require_handler(actor, item)
    _require_handler(actor, into)
    if item.pk == into.pk:
        raise ValidationError(_("不能合并到自己。"))
    if item.state not in OPEN:
        raise ValidationError(_("这条反映现在是“%(state)s”，不能合并。") % {"state": item.get_state_display()})
    if into.state in (State.MERGED, State.RETURNED):
        raise ValidationError(_("不能合并到已合并或已退回的反映。"))
    item.state, item.merged_into, item.forwarded_to = State.MERGED, into, None
    if into.answer:
        item.answer, item.answered_on = into.answer, into.answered_on
    item.save()
    _event(item, _("并入 %(n)s 一并办理") % {"n": into.number}, note, by=item.organisation.name)
    record(actor, actions.VOICE_MERGE, item, after={"into": into.number})
    _done_tasks(item)
    _tell_submitter(item, _("您的反映 %(n)s 已与同类反映合并办理") % {"n": item.number}, note)
    return item


def may_support(person: Any, item: Item) -> bool:
    return (
        getattr(person, "is_authenticated", False)
        and item.public
        and item.state != State.MERGED
        and item.submitter_id != person.pk
    )


@transaction.atomic
def support(person: Any, item: Item, *, today: date | None = None) -> Item:
    """附议 a public item, once; past the threshold it rises to the committee's list."""
    item = _locked(item)
    if not item.public or item.state == State.MERGED:
        raise ValidationError(_("只有公开的反映可以附议。"))
    if item.submitter_id == person.pk:
        raise ValidationError(_("不能附议自己提交的反映。"))
    try:
        with transaction.atomic():
            Support.objects.create(item=item, person=person)
    except IntegrityError:
        raise ValidationError(_("您已经附议过这条反映，每人只能附议一次。")) from None
    Item.objects.filter(pk=item.pk).update(supports=F("supports") + 1)
    item.refresh_from_db(fields=["supports"])
    record(person, actions.VOICE_SUPPORT, item)
    if item.raised_on is None and item.supports >= support_threshold():
        item.raised_on = today or clock.today()
        item.save(update_fields=["raised_on"])
        root = Organisation.objects.get(path=item.organisation.path[: Organisation.steplen])
        _event(item, _("附议达到 %(n)d 人，列入委员会关注") % {"n": item.supports}, by=_("系统"))
        _tell_handlers(root, item, _("E线声音 %(n)s 附议已达 %(s)d 人") % {"n": item.number, "s": item.supports})
    return item


# ------------------------------------------------------------------------------------------ identity and FAQ


def may_view_submitter(actor: Any, item: Item) -> bool:
    return item.anonymous and Scope.of(actor, Cap.VOICE_IDENTITY).covers(item.organisation)


@transaction.atomic
def view_submitter(actor: Any, item: Item, reason: str) -> Any:
    """Who filed an anonymous item, for abuse handling: ``Cap.VOICE_IDENTITY`` and a reason, audited (the
    entry names the item and the reason, not the person)."""
    if not may_view_submitter(actor, item):
        raise PermissionDenied(_("只有组织部指定人员可以查看匿名反映的提交人。"))
    reason = _text(reason, _("查看理由"), NOTE_MAX)
    if len(reason) < 4:
        raise ValidationError(_("请写明查看提交人的理由（至少 4 个字）。"))
    record(actor, actions.VOICE_IDENTITY_VIEW, item, reason=reason)
    return item.submitter


def may_make_faq(actor: Any, item: Item) -> bool:
    return (
        item.state in (State.ANSWERED, State.CLOSED)
        and bool(item.answer)
        and not item.faq_document_id
        and handles(actor, item)
        and not Scope.of(actor, Cap.ASSISTANT).is_empty
    )


def faq_text(item: Item) -> str:
    """The FAQ entry: the question, the answer and its source (number, organisation, date), no name."""
    heading = " ".join(item.text.split())[:40]
    return (
        f"# {heading}\n\n"
        f"问：{item.text}\n\n"
        f"答：{item.answer}\n\n"
        f"来源：E线声音 {item.number}，{item.organisation.name} {item.answered_on} 答复。\n"
    )


@transaction.atomic
def make_faq(actor: Any, item: Item) -> Item:
    """One click: the answered question becomes a 党群小智 knowledge entry (through the assistant's own
    ``import_document``, which checks ``Cap.ASSISTANT``), with its source."""
    item = _locked(item)
    if not may_make_faq(actor, item):
        if item.faq_document_id:
            raise ValidationError(_("这条反映已加入党群小智常见问题。"))
        raise PermissionDenied(_("答复之后，由同时维护党群小智的处理人加入常见问题。"))
    imported = assistant.import_document(
        actor,
        f"voice-{item.pk}.md",
        faq_text(item).encode(),
        source_path=f"voice:item:{item.pk}",
        title=_("E线声音问答 %(n)s") % {"n": item.number},
    )
    item.faq_document_id = imported.document.pk
    item.save(update_fields=["faq_document_id"])
    _event(item, _("加入党群小智常见问题"), by=item.organisation.name)
    record(actor, actions.VOICE_FAQ, item, after={"document": imported.document.title})
    return item


# ------------------------------------------------------------------------------------------ categories


@transaction.atomic
def save_category(
    actor: Any,
    *,
    name: str,
    owner: Organisation,
    via_branch: bool = True,
    active: bool = True,
    order: int = 100,
    category: Category | None = None,
) -> Category:
    Scope.of(actor, Cap.VOICE).require(organisation=owner)
    if category is not None:
        Scope.of(actor, Cap.VOICE).require(organisation=category.owner)
    name = _text(name, _("类别名称"), 40)
    same = Category.objects.filter(name=name)
    if (same.exclude(pk=category.pk) if category is not None else same).exists():
        raise ValidationError(_("已有名为“%(name)s”的类别。") % {"name": name})
    found = category or Category()
    found.name, found.owner, found.via_branch, found.active, found.order = name, owner, via_branch, active, order
    found.save()
    record(actor, actions.VOICE_CATEGORY, found, after={"name": name, "owner": owner.name, "active": active})
    return found


# ------------------------------------------------------------------------------------------ the daily pass


def _marked(marks: str, key: str) -> bool:
    return key in marks.split(",")


def _mark(marks: str, key: str) -> str:
    kept = [m for m in marks.split(",") if m][-2:]
    return ",".join([*kept, key])[:40]


def remind_and_escalate(item: Item, today: date) -> str:
    """For one open item: a reminder on the working day before its deadline (and on the day), an escalation
    to the level above the day after it passed; each once per deadline. Returns what it did ("", "remind",
    "escalate")."""
    due = current_due(item)
    if due is None:
        return ""
    stage = "ack" if item.state in WAITING else "answer"
    key = f"{stage[0]}{due:%y%m%d}"
    if rules.late(today, due):
        if _marked(item.escalated, key):
            return ""
        parent = parent_of(item.organisation)
        above, people = handlers_from(parent) if parent is not None else handlers_from(item.organisation)
        what = _("受理") if stage == "ack" else _("答复")
        title = _("督办：E线声音 %(n)s 逾期未%(what)s（%(org)s，期限 %(due)s）") % {
            "n": item.number,
            "what": what,
            "org": item.organisation.name,
            "due": dates.day(due),
        }
        # the level above and the item's own handlers, each person once: at the top (no parent), or where the
        # item's organisation has no handler of its own, the two are the same people (a notice came twice)
        _own, own = handlers_from(item.organisation)
        told = {person.pk: person for person in [*people, *own]}
        notify.notify(list(told.values()), kind=SUBJECT, title=title, url=_url(item, True))
        item.escalated = _mark(item.escalated, key)
        item.save(update_fields=["escalated"])
        _event(item, _("逾期未%(what)s，报 %(org)s 督办") % {"what": what, "org": above.name}, by=_("系统"))
        record(None, actions.VOICE_ESCALATE, item, after={"to": above.name, "due": due})
        return "escalate"
    if rules.deadline(today, 1) >= due and not _marked(item.reminded, key):
        what = _("受理") if stage == "ack" else _("答复")
        _tell_handlers(
            item.organisation,
            item,
            _("提醒：E线声音 %(n)s 须于 %(due)s 前%(what)s") % {"n": item.number, "due": dates.day(due), "what": what},
        )
        item.reminded = _mark(item.reminded, key)
        item.save(update_fields=["reminded"])
        return "remind"
    return ""


def close_unrated(item: Item, today: date) -> bool:
    """An answered item nobody reopened or rated within the window is closed."""
    if item.state != State.ANSWERED or item.answered_on is None:
        return False
    until = rules.reopen_until(item.answered_on, days(item.organisation, "reopen_days", item.answered_on))
    if today <= until:
        return False
    item.state = State.CLOSED
    item.save(update_fields=["state"])
    _event(item, _("评价期满，自动办结"), by=_("系统"))
    return True


# ------------------------------------------------------------------------------------------ 职代会提案


def _union_member_under(person: Any, organisation: Organisation) -> bool:
    return (
        Membership.objects.current()
        .filter(person=person, tree=Tree.UNION, organisation__path__startswith=organisation.path)
        .exists()
    )


def runs_congress(actor: Any, congress: Congress) -> bool:
    """The 提案委员会: ``Cap.VOICE`` over the congress's union organisation."""
    return Scope.of(actor, Cap.VOICE).covers(congress.organisation)


def collecting(congress: Congress, today: date | None = None) -> bool:
    today = today or clock.today()
    return congress.opens_on <= today <= congress.closes_on


@transaction.atomic
def create_congress(
    actor: Any, organisation: Organisation, *, name: str, opens_on: date, closes_on: date, meets_on: date
) -> Congress:
    Scope.of(actor, Cap.VOICE).require(organisation=organisation)
    if organisation.tree != Tree.UNION:
        raise ValidationError(_("职代会由工会组织召开，请选择工会组织。"))
    name = _text(name, _("会议名称"), 80)
    if closes_on < opens_on:
        raise ValidationError(_("征集截止不能早于征集开始。"))
    if meets_on < closes_on:
        raise ValidationError(_("开会日期不能早于征集截止。"))
    congress = Congress.objects.create(
        organisation=organisation, name=name, opens_on=opens_on, closes_on=closes_on, meets_on=meets_on
    )
    record(actor, actions.VOICE_CONGRESS, congress, after={"name": name, "opens_on": opens_on, "closes_on": closes_on})
    return congress


def may_propose(person: Any, congress: Congress) -> bool:
    return collecting(congress) and _union_member_under(person, congress.organisation)


@transaction.atomic
def file_proposal(
    person: Any, congress: Congress, *, title: str, reason: str, suggestion: str, one_matter: bool
) -> Proposal:
    """A proposal during the collection window; it counts once :data:`rules.PROPOSAL_MIN_COSIGNERS` co-sign."""
    if not collecting(congress):
        raise ValidationError(
            _("提案征集时间为 %(a)s 至 %(b)s，现在不在征集期内。")
            % {"a": dates.day(congress.opens_on), "b": dates.day(congress.closes_on)}
        )
    if not _union_member_under(person, congress.organisation):
        raise PermissionDenied(_("只有本单位工会会员可以提出职代会提案。"))
    title = _text(title, _("案由"), TITLE_MAX)
    reason = _text(reason, _("理由"))
    suggestion = _text(suggestion, _("建议办法"))
    if not one_matter:
        raise ValidationError(_("提案应一事一案：请确认本提案只提一件事，多件事请分别提出。"))
    proposal = Proposal.objects.create(
        congress=congress, proposer=person, title=title, reason=reason, suggestion=suggestion
    )
    record(person, actions.VOICE_PROPOSAL_FILE, proposal, after={"congress": congress.name, "title": title})
    return proposal


def may_cosign(person: Any, proposal: Proposal) -> bool:
    return (
        proposal.state in (ProposalState.COLLECTING, ProposalState.SUBMITTED)
        and proposal.proposer_id != getattr(person, "pk", None)
        and collecting(proposal.congress)
        and _union_member_under(person, proposal.congress.organisation)
    )


@transaction.atomic
def cosign(person: Any, proposal: Proposal) -> Proposal:
    """附议 a proposal, once per person; the second co-signer sends it to the 提案委员会."""
    proposal = (
        Proposal.objects.select_for_update(of=("self",)).select_related("congress__organisation").get(pk=proposal.pk)
    )
    if proposal.proposer_id == person.pk:
        raise ValidationError(_("提案人不能附议自己的提案。"))
    if not collecting(proposal.congress):
        raise ValidationError(_("提案征集已截止，不能再附议。"))
    if proposal.state not in (ProposalState.COLLECTING, ProposalState.SUBMITTED):
        raise ValidationError(_("这件提案已审查，不能再附议。"))
    if not _union_member_under(person, proposal.congress.organisation):
        raise PermissionDenied(_("只有本单位工会会员可以附议提案。"))
    try:
        with transaction.atomic():
            Cosignature.objects.create(proposal=proposal, person=person)
    except IntegrityError:
        raise ValidationError(_("您已经附议过这件提案，每人只能附议一次。")) from None
    Proposal.objects.filter(pk=proposal.pk).update(cosigners=F("cosigners") + 1)
    proposal.refresh_from_db(fields=["cosigners"])
    if proposal.state == ProposalState.COLLECTING and proposal.cosigners >= rules.PROPOSAL_MIN_COSIGNERS:
        proposal.state = ProposalState.SUBMITTED
        proposal.save(update_fields=["state"])
        notify.notify(
            [proposal.proposer],
            kind=SUBJECT,
            title=_("您的提案“%(t)s”附议人已满，已提交提案委员会") % {"t": proposal.title},
            url=reverse("voice:proposal", args=[proposal.pk]),
        )
    record(person, actions.VOICE_PROPOSAL_COSIGN, proposal)
    return proposal


def may_decide(actor: Any, proposal: Proposal) -> bool:
    return proposal.state == ProposalState.SUBMITTED and runs_congress(actor, proposal.congress)


@transaction.atomic
def accept_proposal(
    actor: Any, proposal: Proposal, department: Organisation, note: str = "", *, today: date | None = None
) -> Proposal:
    """立案: the 提案委员会 accepts it and names the department that answers within the set days."""
    proposal = (
        Proposal.objects.select_for_update(of=("self",)).select_related("congress__organisation").get(pk=proposal.pk)
    )
    today = today or clock.today()
    if not runs_congress(actor, proposal.congress):
        raise PermissionDenied(_("只有提案委员会可以审查提案。"))
    if proposal.state != ProposalState.SUBMITTED:
        raise ValidationError(_("附议人满 %(n)d 人的提案才能审查。") % {"n": rules.PROPOSAL_MIN_COSIGNERS})
    proposal.state, proposal.department, proposal.decided_on = ProposalState.ACCEPTED, department, today
    proposal.decision_note = _text(note, _("审查意见"), NOTE_MAX, required=False)
    n = days(proposal.congress.organisation, "proposal_answer_days", today)
    proposal.answer_due = rules.deadline(today, n)
    proposal.save()
    record(actor, actions.VOICE_PROPOSAL_ACCEPT, proposal, after={"department": department.name})
    url = reverse("voice:proposal", args=[proposal.pk])
    _found, people = handlers_from(department)
    notify.notify(
        people,
        kind=SUBJECT,
        title=_("职代会提案“%(t)s”已立案，请于 %(due)s 前答复")
        % {"t": proposal.title, "due": dates.day(proposal.answer_due) if proposal.answer_due else ""},
        url=url,
    )
    notify.notify([proposal.proposer], kind=SUBJECT, title=_("您的提案“%(t)s”已立案") % {"t": proposal.title}, url=url)
    return proposal


@transaction.atomic
def return_proposal(actor: Any, proposal: Proposal, reason: str, *, today: date | None = None) -> Proposal:
    """不予立案, with a written reason."""
    proposal = (
        Proposal.objects.select_for_update(of=("self",)).select_related("congress__organisation").get(pk=proposal.pk)
    )
    if not runs_congress(actor, proposal.congress):
        raise PermissionDenied(_("只有提案委员会可以审查提案。"))
    if proposal.state != ProposalState.SUBMITTED and not (
        proposal.state == ProposalState.COLLECTING and not collecting(proposal.congress)
    ):
        raise ValidationError(_("这件提案现在不能退回。"))
    proposal.decision_note = _text(reason, _("不予立案的理由"), NOTE_MAX)
    proposal.state, proposal.decided_on = ProposalState.RETURNED, today or clock.today()
    proposal.save()
    record(actor, actions.VOICE_PROPOSAL_RETURN, proposal, reason=proposal.decision_note)
    notify.notify(
        [proposal.proposer],
        kind=SUBJECT,
        title=_("您的提案“%(t)s”不予立案") % {"t": proposal.title},
        body=proposal.decision_note,
        url=reverse("voice:proposal", args=[proposal.pk]),
    )
    return proposal


def may_answer_proposal(actor: Any, proposal: Proposal) -> bool:
    return (
        proposal.state == ProposalState.ACCEPTED
        and proposal.department is not None
        and (Scope.of(actor, Cap.VOICE).covers(proposal.department) or runs_congress(actor, proposal.congress))
    )


@transaction.atomic
def answer_proposal(actor: Any, proposal: Proposal, text: str, *, today: date | None = None) -> Proposal:
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("congress__organisation", "department")
        .get(pk=proposal.pk)
    )
    if not may_answer_proposal(actor, proposal):
        if proposal.state != ProposalState.ACCEPTED:
            raise ValidationError(_("立案后的提案才能答复。"))
        raise PermissionDenied(_("这件提案不由您所在的组织承办。"))
    proposal.answer = _text(text, _("答复"))
    proposal.answered_on = today or clock.today()
    proposal.state = ProposalState.ANSWERED
    proposal.save()
    record(actor, actions.VOICE_PROPOSAL_ANSWER, proposal)
    notify.notify(
        [proposal.proposer],
        kind=SUBJECT,
        title=_("您的提案“%(t)s”已答复，请评价") % {"t": proposal.title},
        url=reverse("voice:proposal", args=[proposal.pk]),
    )
    return proposal


def may_rate_proposal(person: Any, proposal: Proposal) -> bool:
    return (
        proposal.proposer_id == getattr(person, "pk", None)
        and proposal.state == ProposalState.ANSWERED
        and proposal.satisfied is None
    )


@transaction.atomic
def rate_proposal(person: Any, proposal: Proposal, satisfied: bool, word: str = "") -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.proposer_id != person.pk:
        raise PermissionDenied(_("只有提案人可以评价答复。"))
    if proposal.satisfied is not None:
        raise ValidationError(_("您已评价过这件提案的答复。"))
    if proposal.state != ProposalState.ANSWERED:
        raise ValidationError(_("答复之后才能评价。"))
    proposal.satisfied, proposal.rating_word = bool(satisfied), _text(word, _("评价"), WORD_MAX, required=False)
    proposal.save(update_fields=["satisfied", "rating_word"])
    record(person, actions.VOICE_PROPOSAL_RATE, proposal, after={"satisfied": bool(satisfied)})
    return proposal


def remind_proposal(proposal: Proposal, today: date) -> bool:
    """A reminder to the department on the working day before an accepted proposal's answer is due."""
    if proposal.state != ProposalState.ACCEPTED or proposal.answer_due is None or proposal.department is None:
        return False
    if rules.deadline(today, 1) < proposal.answer_due or today > proposal.answer_due:
        return False
    _found, people = handlers_from(proposal.department)
    for person in people:
        notify.add_task(
            person,
            _("答复职代会提案“%(t)s”") % {"t": proposal.title},
            source_type=SUBJECT,
            source_id=f"proposal:{proposal.pk}",
            url=reverse("voice:proposal", args=[proposal.pk]),
            due_on=proposal.answer_due,
        )
    return True


def escalate_proposal(proposal: Proposal, today: date) -> bool:
    """An accepted proposal whose answer is late (rules.md section 8, like the items): once, the level above the
    承办部门 and the 提案委员会 (the handlers of the congress's union organisation) are told, and the department's
    own handlers are reminded. Returns whether it escalated."""
    if proposal.state != ProposalState.ACCEPTED or proposal.department is None or proposal.escalated_on is not None:
        return False
    if not rules.late(today, proposal.answer_due):
        return False
    parent = parent_of(proposal.department)
    above, people = handlers_from(parent) if parent is not None else handlers_from(proposal.department)
    _committee, committee = handlers_from(proposal.congress.organisation)
    _own, own = handlers_from(proposal.department)
    title = _("督办：职代会提案“%(t)s”逾期未答复（%(org)s，期限 %(due)s）") % {
        "t": proposal.title,
        "org": proposal.department.name,
        "due": dates.day(proposal.answer_due) if proposal.answer_due else "",
    }
    told = {person.pk: person for person in [*people, *committee, *own]}
    notify.notify(list(told.values()), kind=SUBJECT, title=title, url=reverse("voice:proposal", args=[proposal.pk]))
    proposal.escalated_on = today
    proposal.save(update_fields=["escalated_on"])
    record(None, actions.VOICE_ESCALATE, proposal, after={"to": above.name, "due": proposal.answer_due})
    return True


def complete_proposal_tasks(proposals: Iterable[Proposal]) -> None:
    for proposal in proposals:
        notify.complete_tasks_for(SUBJECT, f"proposal:{proposal.pk}")


# ------------------------------------------------------------------------------------------ exports


def record_report_export(person: Any, month: date, organisation: Organisation | None = None) -> None:
    """The monthly report downloaded as Excel: audited (views never write)."""
    after = {"organisation": organisation.name} if organisation is not None else None
    record(person, actions.VOICE_EXPORT, None, object_type="voice.report", object_id=f"{month:%Y-%m}", after=after)


def record_yearly_export(person: Any, year: int, fmt: str) -> None:
    """The congress's yearly list of proposals downloaded (PDF or Excel): audited."""
    record(
        person,
        actions.VOICE_PROPOSAL_EXPORT,
        None,
        object_type="voice.yearly",
        object_id=str(year),
        after={"format": fmt},
    )
