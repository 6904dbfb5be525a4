"""Every write about learning: articles (staff), reading sessions and 阅读豆, required reading with to-dos,
the resource library with audited downloads, study plans with progress and reminders.

Staff writes need ``Cap.LEARNING`` and are audited; the organisations chosen for an article, resource or plan
must lie inside the actor's scope, and only enterprise-wide staff publish to everyone (no organisation chosen).
Changing or withdrawing an existing one needs it to be among what the actor manages
(:func:`plaza.learning.queries.managed_articles` and friends). Withdrawing hides from readers and deletes nothing;
restoring undoes it. Reading time is measured by the server between the page being served
(:func:`start_reading`) and the end being reported (:func:`finish_reading`); the phone only reports how far it
scrolled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock
from plaza.notify.models import Task
from plaza.notify.services import add_task, complete_tasks_for
from plaza.orgs.permissions import Cap, Scope
from plaza.points.services import reading_beans, reading_min_seconds

from . import queries
from .markup import clean_html
from .models import Article, ArticleFile, Completion, ItemDone, Plan, PlanItem, ReadingSession, Resource

REQUIRED_SOURCE = "learning.required"
PLAN_SOURCE = "learning.plan_item"
END_PROGRESS = 0.9
REMIND_DAYS = 7
OPEN_SESSION_KEEP = timedelta(days=1)
SESSION_KEEP_DAYS = 180

ARTICLE_FIELDS = (
    "title",
    "summary",
    "body",
    "body_format",
    "cover",
    "media_url",
    "category",
    "topics",
    "pinned",
    "publish_at",
    "required",
    "due_on",
)


def _require_staff(actor: Any, organisations: Any = ()) -> Scope:
    scope = Scope.of(actor, Cap.LEARNING)
    if scope.is_empty:
        raise PermissionDenied(_("您没有权限管理学习内容。"))
    for organisation in organisations or ():
        scope.require(organisation=organisation)
    return scope


def _require_audience(actor: Any, audience: list[Any]) -> None:
    """No organisation chosen means everyone: only enterprise-wide staff publish that far, so what a branch's
    staff publish stays among what they manage (and see in their office lists)."""
    if not audience and not queries.enterprise_wide(actor):
        raise ValidationError(_("请选择范围：您只能面向您管理的组织发布，不能面向所有人。"))


def _require_managed(actor: Any, managed: Any, obj: models.Model) -> None:
    """The object must be among what the actor manages; the views already answered 404 otherwise, so this
    guards calls from elsewhere (API, shell)."""
    _require_staff(actor)
    if not managed(actor).filter(pk=obj.pk).exists():
        raise PermissionDenied(_("您没有权限管理该学习内容。"))


#: (withdrawn, restored) audit actions per kind of learning content.
WITHDRAW_ACTIONS = {
    "article": (actions.LEARNING_ARTICLE_WITHDRAW, actions.LEARNING_ARTICLE_RESTORE),
    "resource": (actions.LEARNING_RESOURCE_WITHDRAW, actions.LEARNING_RESOURCE_RESTORE),
    "plan": (actions.LEARNING_PLAN_WITHDRAW, actions.LEARNING_PLAN_RESTORE),
}


def _set_withdrawn(actor: Any, obj: Any, withdraw: bool, kind: str) -> Any:  # an Article, Resource or Plan
    """Stamp or clear ``withdrawn_at`` (row locked) and audit who did it and when; refuses a no-op so a second
    click or a stale page says what happened instead of silently moving the date."""
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    before = obj.withdrawn_at
    if withdraw and before is not None:
        raise ValidationError(_("“%(t)s”已经撤回。") % {"t": obj})
    if not withdraw and before is None:
        raise ValidationError(_("“%(t)s”没有撤回，无需恢复。") % {"t": obj})
    obj.withdrawn_at = clock.now() if withdraw else None
    obj.save(update_fields=["withdrawn_at"])
    record(
        actor,
        WITHDRAW_ACTIONS[kind][0 if withdraw else 1],
        obj,
        before={"withdrawn_at": before},
        after={"withdrawn_at": obj.withdrawn_at},
    )
    return obj


def _close_tasks(source_type: str, object_ids: list[int]) -> int:
    """Close everyone's open to-dos for these objects (source ids are ``"<object>:<person>"``), in one update."""
    if not object_ids:
        return 0
    match = Q()
    for object_id in object_ids:
        match |= Q(source_id__startswith=f"{object_id}:")
    return Task.objects.filter(match, source_type=source_type, done_at__isnull=True).update(done_at=clock.now())


def _personal_source(obj_id: int, person_id: int) -> str:
    return f"{obj_id}:{person_id}"


# ------------------------------------------------------------------------------------------- articles


@transaction.atomic
def withdraw_article(actor: Any, article: Article, *, withdraw: bool = True) -> Article:
    """Hide an article from readers (or show it again); its completions, beans and history stay. Withdrawing a
    required article closes its open to-dos (they would lead to a page that is gone); restoring puts them back."""
    _require_managed(actor, queries.managed_articles, article)
    article = _set_withdrawn(actor, article, withdraw, "article")
    if withdraw:
        _close_tasks(REQUIRED_SOURCE, [article.pk])
    elif article.required and (article.due_on is None or article.due_on >= clock.today()):
        assign_required(article)
    return article


@transaction.atomic
def save_article(actor: Any, article: Article | None, data: dict[str, Any]) -> Article:
    """Create or change an article from a form's cleaned data; adds one attachment when ``data["attachment"]``.
    A required article (published) puts a to-do on everyone concerned."""
    organisations = list(data.get("organisations") or [])
    required_for = list(data.get("required_for") or [])
    _require_staff(actor, organisations + required_for)
    if article is not None:
        _require_managed(actor, queries.managed_articles, article)
    _require_audience(actor, organisations)
    if data.get("required") and not data.get("due_on"):
        raise ValidationError(_("必学文章请填写截止日期。"))
    if not (data.get("title") or "").strip() or not (data.get("body") or "").strip():
        raise ValidationError(_("请填写标题和正文。"))
    if data.get("body_format") == "html":  # from the rich-text editor: never stored uncleaned
        data = {**data, "body": clean_html(data["body"])}
    elif "body_format" in data:
        data = {**data, "body_format": "markdown"}
    new = article is None
    before = (
        {}
        if article is None
        else {"title": article.title, "required": article.required, "publish_at": str(article.publish_at)}
    )
    article = article or Article(created_by=actor)
    for field in ARTICLE_FIELDS:
        if field not in data:
            continue
        value = data[field]
        if field == "cover":
            if value is None:  # nothing uploaded: keep what there is
                continue
            value = value or ""  # False: the cover was cleared
        setattr(article, field, value)
    article.publish_at = article.publish_at or clock.now()
    article.save()
    article.organisations.set(organisations)
    article.required_for.set(required_for)
    upload = data.get("attachment")
    if upload:
        ArticleFile.objects.create(article=article, file=upload, name=getattr(upload, "name", "")[:200] or "附件")
    record(
        actor,
        actions.LEARNING_ARTICLE_CREATE if new else actions.LEARNING_ARTICLE_CHANGE,
        article,
        before=before,
        after={
            "title": article.title,
            "required": article.required,
            "publish_at": str(article.publish_at),
            "organisations": [o.pk for o in organisations],
        },
    )
    if article.required:
        assign_required(article)
    return article


def assign_required(article: Article, *, now: Any = None) -> int:
    """Put the required article on the to-do list of everyone concerned who has not read it (once it is
    published); returns how many to-dos were added or refreshed. Idempotent."""
    now = now or clock.now()
    if not article.required or article.publish_at > now or article.withdrawn_at is not None:
        return 0
    url = reverse("learning:article", args=[article.pk])
    done = set(Completion.objects.filter(article=article).values_list("person_id", flat=True))
    count = 0
    for person in queries.concerned_by(article).exclude(pk__in=done).iterator():
        add_task(
            person,
            _("必学：%(t)s") % {"t": article.title},
            url=url,
            due_on=article.due_on,
            source_type=REQUIRED_SOURCE,
            source_id=_personal_source(article.pk, person.pk),
        )
        count += 1
    return count


def start_reading(person: Any, article: Article) -> ReadingSession:
    """The reading page was served: the clock starts now, on the server."""
    return ReadingSession.objects.create(person=person, article=article, started_at=clock.now())


@dataclass(frozen=True)
class ReadingOutcome:
    granted: int
    message: str
    completed: bool
    seconds: int


@transaction.atomic
def finish_reading(person: Any, article: Article, session_id: Any, progress: Any) -> ReadingOutcome:
    """The phone reports it reached ``progress`` (0–1) of the article in the reading session. The seconds are
    ``now - started_at``. Reading to the end, long enough, completes the article (required reading, plans);
    阅读豆 are granted once per article within the daily cap. Says why nothing was granted."""
    try:
        progress = min(max(float(progress), 0.0), 1.0)
        session_pk = int(session_id)
    except (TypeError, ValueError):
        raise ValidationError(_("阅读记录无效，请重新打开文章。")) from None
    session = ReadingSession.objects.select_for_update().filter(pk=session_pk, person=person, article=article).first()
    if session is None:
        raise ValidationError(_("阅读记录无效，请重新打开文章。"))
    now = clock.now()
    seconds = max(int((now - session.started_at).total_seconds()), 0)
    completed = progress >= END_PROGRESS and seconds >= reading_min_seconds()
    if completed:
        complete_article(person, article)
    try:
        grant = reading_beans(person, f"article:{article.pk}", seconds_on_page=seconds, progress=progress)
        granted, message = grant.granted, grant.message
    except ValidationError as exc:
        granted, message = 0, exc.messages[0]
    session.finished_at, session.seconds = now, seconds
    session.progress = max(session.progress, progress)
    session.granted, session.message = granted, message[:200]
    session.save(update_fields=["finished_at", "seconds", "progress", "granted", "message"])
    return ReadingOutcome(granted, message, completed, seconds)


def complete_article(person: Any, article: Article) -> bool:
    """Record that the person read the article to the end; closes their to-do and plan items. Idempotent."""
    _completion, new = Completion.objects.get_or_create(
        person=person, article=article, defaults={"completed_on": clock.today()}
    )
    if new:
        complete_tasks_for(REQUIRED_SOURCE, _personal_source(article.pk, person.pk))
        for item in PlanItem.objects.filter(article=article):
            mark_item_done(person, item)
    return new


# ------------------------------------------------------------------------------------------- resources


@transaction.atomic
def save_resource(actor: Any, resource: Resource | None, data: dict[str, Any]) -> Resource:
    organisations = list(data.get("organisations") or [])
    _require_staff(actor, organisations)
    if resource is not None:
        _require_managed(actor, queries.managed_resources, resource)
    _require_audience(actor, organisations)
    new = resource is None
    if new and not data.get("file"):
        raise ValidationError(_("请上传文件。"))
    resource = resource or Resource(created_by=actor)
    resource.title = (data.get("title") or "").strip()
    if not resource.title:
        raise ValidationError(_("请填写标题。"))
    resource.description = data.get("description") or ""
    resource.category = data.get("category")
    if data.get("file"):
        resource.file = data["file"]
    resource.save()
    resource.organisations.set(organisations)
    record(
        actor,
        actions.LEARNING_RESOURCE_CREATE if new else actions.LEARNING_RESOURCE_CHANGE,
        resource,
        after={"title": resource.title, "organisations": [o.pk for o in organisations]},
    )
    return resource


@transaction.atomic
def withdraw_resource(actor: Any, resource: Resource, *, withdraw: bool = True) -> Resource:
    """Take a resource out of the library (or put it back): readers no longer see or download it; the file, the
    download count and the plan items pointing at it stay, but their open to-dos are closed (nobody could do
    them) and the daily pass skips them until the resource is back."""
    _require_managed(actor, queries.managed_resources, resource)
    resource = _set_withdrawn(actor, resource, withdraw, "resource")
    if withdraw:
        _close_tasks(PLAN_SOURCE, list(PlanItem.objects.filter(resource=resource).values_list("pk", flat=True)))
    return resource


@transaction.atomic
def download(person: Any, resource: Resource) -> Resource:
    """Count and audit one download of a resource the person may see (the view looked it up in their scope)."""
    Resource.objects.filter(pk=resource.pk).update(downloads=F("downloads") + 1)
    resource.refresh_from_db(fields=["downloads"])
    record(person, actions.LEARNING_DOWNLOAD, resource, after={"downloads": resource.downloads})
    for item in PlanItem.objects.filter(resource=resource, plan__in=queries.plans_for(person)):
        mark_item_done(person, item)
    return resource


# ------------------------------------------------------------------------------------------- plans


@transaction.atomic
def save_plan(actor: Any, plan: Plan | None, data: dict[str, Any]) -> Plan:
    organisations = list(data.get("organisations") or [])
    _require_staff(actor, organisations)
    if plan is not None:
        _require_managed(actor, queries.managed_plans, plan)
    _require_audience(actor, organisations)
    if data["ends_on"] < data["starts_on"]:
        raise ValidationError(_("结束日期不能早于开始日期。"))
    new = plan is None
    plan = plan or Plan(created_by=actor)
    for field in ("title", "kind", "description", "starts_on", "ends_on"):
        setattr(plan, field, data[field])
    plan.save()
    plan.organisations.set(organisations)
    record(
        actor,
        actions.LEARNING_PLAN_CREATE if new else actions.LEARNING_PLAN_CHANGE,
        plan,
        after={"title": plan.title, "organisations": [o.pk for o in organisations]},
    )
    return plan


@transaction.atomic
def withdraw_plan(actor: Any, plan: Plan, *, withdraw: bool = True) -> Plan:
    """Take a study plan away from its members (or give it back): it is no longer listed or shown to them and
    sends no reminders; its open to-dos are closed. Items and what people already did stay; after a restore the
    next daily pass reminds again."""
    _require_managed(actor, queries.managed_plans, plan)
    plan = _set_withdrawn(actor, plan, withdraw, "plan")
    if withdraw:
        _close_tasks(PLAN_SOURCE, list(plan.items.values_list("pk", flat=True)))
    return plan


@transaction.atomic
def add_item(actor: Any, plan: Plan, data: dict[str, Any]) -> PlanItem:
    _require_managed(actor, queries.managed_plans, plan)
    if plan.withdrawn_at is not None:
        raise ValidationError(_("该学习计划已撤回，请先恢复再添加学习内容。"))
    due_on = data["due_on"]
    if not plan.starts_on <= due_on <= plan.ends_on:
        raise ValidationError(_("完成日期应在计划的起止日期之内。"))
    if data.get("article") and data.get("resource"):
        raise ValidationError(_("一项学习内容只能关联一篇文章或一份资料。"))
    item = PlanItem.objects.create(
        plan=plan,
        title=data["title"],
        article=data.get("article"),
        resource=data.get("resource"),
        due_on=due_on,
        order=data.get("order") or 0,
    )
    record(
        actor, actions.LEARNING_PLAN_ITEM_ADD, item, after={"plan": plan.pk, "title": item.title, "due_on": str(due_on)}
    )
    return item


def mark_item_done(person: Any, item: PlanItem) -> bool:
    """The person finished the item; closes its reminder. Idempotent."""
    _done, new = ItemDone.objects.get_or_create(person=person, item=item, defaults={"done_on": clock.today()})
    if new:
        complete_tasks_for(PLAN_SOURCE, _personal_source(item.pk, person.pk))
    return new


def tick_item(person: Any, item: PlanItem) -> bool:
    """A person ticks off an item without an article or resource (集中学习, 研讨)."""
    if item.article_id or item.resource_id:
        raise ValidationError(_("该项在读完文章或下载资料后自动完成。"))
    if not queries.plans_for(person).filter(pk=item.plan_id).exists():
        raise PermissionDenied(_("该学习计划不包括您。"))
    return mark_item_done(person, item)


def remind_due_items(today: date | None = None, *, days: int = REMIND_DAYS) -> int:
    """Put plan items due within ``days`` on the to-do list of everyone concerned who has not done them, and
    required articles on theirs; returns how many to-dos were added or refreshed. Idempotent (run daily)."""
    today = today or clock.today()
    count = 0
    # An item whose article or resource was withdrawn cannot be done (readers no longer see it): no reminder.
    items = (
        PlanItem.objects.filter(
            due_on__gte=today, due_on__lte=today + timedelta(days=days), plan__withdrawn_at__isnull=True
        )
        .exclude(article__withdrawn_at__isnull=False)
        .exclude(resource__withdrawn_at__isnull=False)
        .select_related("plan")
    )
    for item in items:
        done = set(ItemDone.objects.filter(item=item).values_list("person_id", flat=True))
        url = reverse("learning:plan", args=[item.plan_id])
        for person in queries.people_under(item.plan.organisations.all()).exclude(pk__in=done).iterator():
            add_task(
                person,
                _("学习计划：%(t)s") % {"t": item.title},
                url=url,
                due_on=item.due_on,
                source_type=PLAN_SOURCE,
                source_id=_personal_source(item.pk, person.pk),
            )
            count += 1
    for article in Article.objects.filter(
        required=True, publish_at__lte=clock.now(), withdrawn_at__isnull=True, due_on__gte=today
    ):
        count += assign_required(article)
    return count


# ------------------------------------------------------------------------------------------- daily pass


def session_keep_days() -> int:
    return int(getattr(settings, "PLAZA_LEARNING_SESSION_KEEP_DAYS", SESSION_KEEP_DAYS))


def purge_reading_sessions(now: datetime | None = None) -> int:
    """Delete reading sessions nobody needs any more, in one DELETE; returns how many went.

    Every opening of an article makes a row, so they pile up. What outlives a session lives elsewhere: the
    completion (:class:`Completion`), the 阅读豆 with their once-per-article key and the daily cap (the points
    ledger), the download and staff actions (audit). A session is only read back by :func:`finish_reading`, when
    the phone reports the end of that reading. So:

    - unfinished sessions older than a day go: a reading page left open that long is abandoned (reporting it
      later asks to open the article again);
    - finished sessions are kept ``PLAZA_LEARNING_SESSION_KEEP_DAYS`` (default 180) as a reading log for
      answering "why did I get no 阅读豆" (the refusal is in ``message``), then go.
    """
    now = now or clock.now()
    abandoned = Q(finished_at__isnull=True, started_at__lt=now - OPEN_SESSION_KEEP)
    # finished_at >= started_at, so the started_at bound changes nothing but lets the index narrow the scan
    cutoff = now - timedelta(days=session_keep_days())
    old = Q(finished_at__lt=cutoff, started_at__lt=cutoff)
    deleted, _by_model = ReadingSession.objects.filter(abandoned | old).delete()
    return deleted


def daily_pass(today: date | None = None) -> str:
    """The learning daily pass (scheduler and Celery beat): reminders first, then the session clean-up."""
    reminded = remind_due_items(today)
    purged = purge_reading_sessions()
    return f"{reminded} to-dos added or refreshed, {purged} reading sessions deleted"
