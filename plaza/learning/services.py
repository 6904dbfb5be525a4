"""Every write about learning: articles (staff), reading sessions and 阅读豆, required reading with to-dos,
the resource library with audited downloads, study plans with progress and reminders.

Staff writes need ``Cap.LEARNING`` and are audited; the organisations chosen for an article, resource or plan
must lie inside the actor's scope. Reading time is measured by the server between the page being served
(:func:`start_reading`) and the end being reported (:func:`finish_reading`); the phone only reports how far it
scrolled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from plaza.audit.services import record
from plaza.core import clock
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

ARTICLE_FIELDS = ("title", "summary", "body", "body_format", "cover", "media_url", "category", "topics", "pinned",
                  "publish_at", "required", "due_on")


def _require_staff(actor: Any, organisations: Any = ()) -> Scope:
    scope = Scope.of(actor, Cap.LEARNING)
    if scope.is_empty:
        raise PermissionDenied(_("您没有权限管理学习内容。"))
    for organisation in organisations or ():
        scope.require(organisation=organisation)
    return scope


def _personal_source(obj_id: int, person_id: int) -> str:
    return f"{obj_id}:{person_id}"


# ------------------------------------------------------------------------------------------- articles


@transaction.atomic
def withdraw_article(actor: Any, article: Article, *, withdraw: bool = True) -> Article:
    """Hide an article from readers (or show it again); its completions, beans and history stay."""
    _require_staff(actor, list(article.organisations.all()))
    article = Article.objects.select_for_update().get(pk=article.pk)
    before = article.withdrawn_at
    article.withdrawn_at = timezone.now() if withdraw else None
    article.save(update_fields=["withdrawn_at"])
    record(actor, "learning.article_withdraw" if withdraw else "learning.article_restore", article,
           before={"withdrawn_at": before}, after={"withdrawn_at": article.withdrawn_at})
    return article


@transaction.atomic
def save_article(actor: Any, article: Article | None, data: dict[str, Any]) -> Article:
    """Create or change an article from a form's cleaned data; adds one attachment when ``data["attachment"]``.
    A required article (published) puts a to-do on everyone concerned."""
    organisations = list(data.get("organisations") or [])
    required_for = list(data.get("required_for") or [])
    _require_staff(actor, organisations + required_for)
    if data.get("required") and not data.get("due_on"):
        raise ValidationError(_("必学文章请填写截止日期。"))
    if not (data.get("title") or "").strip() or not (data.get("body") or "").strip():
        raise ValidationError(_("请填写标题和正文。"))
    if data.get("body_format") == "html":  # from the rich-text editor: never stored uncleaned
        data = {**data, "body": clean_html(data["body"])}
    elif "body_format" in data:
        data = {**data, "body_format": "markdown"}
    new = article is None
    before = {} if new else {"title": article.title, "required": article.required,
                             "publish_at": str(article.publish_at)}
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
    article.publish_at = article.publish_at or timezone.now()
    article.save()
    article.organisations.set(organisations)
    article.required_for.set(required_for)
    upload = data.get("attachment")
    if upload:
        ArticleFile.objects.create(article=article, file=upload, name=getattr(upload, "name", "")[:200] or "附件")
    record(actor, "learning.article_create" if new else "learning.article_change", article, before=before,
           after={"title": article.title, "required": article.required, "publish_at": str(article.publish_at),
                  "organisations": [o.pk for o in organisations]})
    if article.required:
        assign_required(article)
    return article


def assign_required(article: Article, *, now: Any = None) -> int:
    """Put the required article on the to-do list of everyone concerned who has not read it (once it is
    published); returns how many to-dos were added or refreshed. Idempotent."""
    now = now or timezone.now()
    if not article.required or article.publish_at > now:
        return 0
    url = reverse("learning:article", args=[article.pk])
    done = set(Completion.objects.filter(article=article).values_list("person_id", flat=True))
    count = 0
    for person in queries.concerned_by(article).exclude(pk__in=done).iterator():
        add_task(person, _("必学：%(t)s") % {"t": article.title}, url=url, due_on=article.due_on,
                 source_type=REQUIRED_SOURCE, source_id=_personal_source(article.pk, person.pk))
        count += 1
    return count


def start_reading(person: Any, article: Article) -> ReadingSession:
    """The reading page was served: the clock starts now, on the server."""
    return ReadingSession.objects.create(person=person, article=article, started_at=timezone.now())


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
    now = timezone.now()
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
    _completion, new = Completion.objects.get_or_create(person=person, article=article,
                                                        defaults={"completed_on": clock.today()})
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
    record(actor, "learning.resource_create" if new else "learning.resource_change", resource,
           after={"title": resource.title, "organisations": [o.pk for o in organisations]})
    return resource


@transaction.atomic
def download(person: Any, resource: Resource) -> Resource:
    """Count and audit one download of a resource the person may see (the view looked it up in their scope)."""
    Resource.objects.filter(pk=resource.pk).update(downloads=F("downloads") + 1)
    resource.refresh_from_db(fields=["downloads"])
    record(person, "learning.download", resource, after={"downloads": resource.downloads})
    for item in PlanItem.objects.filter(resource=resource, plan__in=queries.plans_for(person)):
        mark_item_done(person, item)
    return resource


# ------------------------------------------------------------------------------------------- plans


@transaction.atomic
def save_plan(actor: Any, plan: Plan | None, data: dict[str, Any]) -> Plan:
    organisations = list(data.get("organisations") or [])
    _require_staff(actor, organisations)
    if data["ends_on"] < data["starts_on"]:
        raise ValidationError(_("结束日期不能早于开始日期。"))
    new = plan is None
    plan = plan or Plan(created_by=actor)
    for field in ("title", "kind", "description", "starts_on", "ends_on"):
        setattr(plan, field, data[field])
    plan.save()
    plan.organisations.set(organisations)
    record(actor, "learning.plan_create" if new else "learning.plan_change", plan,
           after={"title": plan.title, "organisations": [o.pk for o in organisations]})
    return plan


@transaction.atomic
def add_item(actor: Any, plan: Plan, data: dict[str, Any]) -> PlanItem:
    _require_staff(actor, plan.organisations.all())
    due_on = data["due_on"]
    if not plan.starts_on <= due_on <= plan.ends_on:
        raise ValidationError(_("完成日期应在计划的起止日期之内。"))
    if data.get("article") and data.get("resource"):
        raise ValidationError(_("一项学习内容只能关联一篇文章或一份资料。"))
    item = PlanItem.objects.create(plan=plan, title=data["title"], article=data.get("article"),
                                   resource=data.get("resource"), due_on=due_on, order=data.get("order") or 0)
    record(actor, "learning.plan_item_add", item, after={"plan": plan.pk, "title": item.title, "due_on": str(due_on)})
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
    items = PlanItem.objects.filter(due_on__gte=today, due_on__lte=today + timedelta(days=days)).select_related("plan")
    for item in items:
        done = set(ItemDone.objects.filter(item=item).values_list("person_id", flat=True))
        url = reverse("learning:plan", args=[item.plan_id])
        for person in queries.people_under(item.plan.organisations.all()).exclude(pk__in=done).iterator():
            add_task(person, _("学习计划：%(t)s") % {"t": item.title}, url=url, due_on=item.due_on,
                     source_type=PLAN_SOURCE, source_id=_personal_source(item.pk, person.pk))
            count += 1
    for article in Article.objects.filter(required=True, publish_at__lte=timezone.now()).filter(
            due_on__gte=today):
        count += assign_required(article)
    return count
