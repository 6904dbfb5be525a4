"""Reads for the learning pages: what a person may see (articles, resources, plans), what a staff member may manage
(the back office lists and pages), required reading and plans with their progress, completion per branch and per
person for staff. Every read takes the viewer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from plaza.accounts.models import Person
from plaza.lib import clock
from plaza.orgs.models import Level, Membership, Organisation, Tree
from plaza.orgs.permissions import Cap, Scope

from .models import Article, Category, Completion, ItemDone, Plan, PlanItem, Resource


def audience_ids(person: Any) -> list[int]:
    """Ids of the organisations that hold one of the person's current memberships, and of their ancestors: an
    article published to any of them reaches the person. Cached on the person for the request."""
    if not getattr(person, "is_authenticated", False):
        return []
    cached = person.__dict__.get("_plaza_learning_audience")
    if cached is None:
        prefixes: set[str] = set()
        for path in Membership.objects.current().filter(person=person).values_list("organisation__path", flat=True):
            prefixes.update(Organisation.paths_above(path))
        cached = list(Organisation.objects.filter(path__in=prefixes).values_list("pk", flat=True))
        person.__dict__["_plaza_learning_audience"] = cached
    return cached


def _for_viewer(qs: QuerySet, person: Any) -> QuerySet:
    ids = audience_ids(person)
    visible = qs.filter(Q(organisations__isnull=True) | Q(organisations__in=ids))
    return qs.filter(pk__in=visible.values("pk"))


def articles_for(person: Any, *, now: Any = None) -> QuerySet[Article]:
    """Published articles the person may read, pinned first, newest first."""
    if not getattr(person, "is_authenticated", False):
        return Article.objects.none()
    now = now or clock.now()
    return _for_viewer(Article.objects.filter(publish_at__lte=now, withdrawn_at__isnull=True), person).select_related(
        "category"
    )


def resources_for(person: Any, q: str = "") -> QuerySet[Resource]:
    if not getattr(person, "is_authenticated", False):
        return Resource.objects.none()
    qs = _for_viewer(Resource.objects.filter(withdrawn_at__isnull=True), person).select_related("category")
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return qs


def plans_for(person: Any) -> QuerySet[Plan]:
    if not getattr(person, "is_authenticated", False):
        return Plan.objects.none()
    return _for_viewer(Plan.objects.filter(withdrawn_at__isnull=True), person)


# ------------------------------------------------------------------------------- what staff may manage


def enterprise_wide(viewer: Any) -> bool:
    """Whether the viewer manages learning for the whole enterprise: an administrator, or someone holding
    ``Cap.LEARNING`` over a top-level Party organisation (the enterprise 党委's 组织部). Only they may manage what
    is published to everyone (no organisations chosen), since that reaches people far outside any branch's
    subtree. Cached on the viewer for the request."""
    if not getattr(viewer, "is_authenticated", False):
        return False
    cached = viewer.__dict__.get("_plaza_learning_enterprise_wide")
    if cached is None:
        scope = Scope.of(viewer, Cap.LEARNING)
        cached = scope.everything or (
            bool(scope.paths) and Organisation.objects.filter(depth=1, tree=Tree.PARTY, path__in=scope.paths).exists()
        )
        viewer.__dict__["_plaza_learning_enterprise_wide"] = cached
    return cached


def _managed(qs: QuerySet, viewer: Any, relations: tuple[str, ...] = ("organisations",)) -> QuerySet:
    """Keep the rows the viewer may manage, the same rule the writes enforce (:mod:`plaza.learning.services`):
    enterprise-wide staff manage everything; anyone else with ``Cap.LEARNING`` manages what is published to at
    least one organisation and only to organisations inside their scope (for every relation in ``relations``).
    Anything published to everyone, or also to someone else's branch, belongs to whoever covers all of it."""
    scope = Scope.of(viewer, Cap.LEARNING)
    if scope.is_empty:
        return qs.none()
    if enterprise_wide(viewer):
        return qs
    owner = qs.model._meta.model_name
    chosen = qs.model._meta.get_field(relations[0]).remote_field.through.objects.filter(**{owner: OuterRef("pk")})
    qs = qs.filter(Exists(chosen))
    for relation in relations:
        through = qs.model._meta.get_field(relation).remote_field.through
        outside = through.objects.filter(**{owner: OuterRef("pk")}).exclude(scope.q("organisation__path"))
        qs = qs.filter(~Exists(outside))
    return qs


def managed_articles(viewer: Any) -> QuerySet[Article]:
    """Articles (withdrawn ones too) the viewer may edit, withdraw and follow up; their audience and their
    required-reading organisations both count."""
    return _managed(Article.objects.all(), viewer, ("organisations", "required_for")).select_related("category")


def managed_resources(viewer: Any) -> QuerySet[Resource]:
    """Resources (withdrawn ones too) the viewer may edit and withdraw."""
    return _managed(Resource.objects.all(), viewer).select_related("category")


def followed_articles(viewer: Any) -> QuerySet[Article]:
    """Required articles whose readers include people inside the viewer's scope: those they manage, and those
    set from above (an enterprise-wide 必学 reaches every 总支 and branch). Staff follow completion among their
    own people for all of them (:func:`completion` keeps the rows inside the scope); they edit only their own."""
    scope = Scope.of(viewer, Cap.LEARNING)
    if scope.is_empty:
        return Article.objects.none()
    required = Article.objects.filter(required=True, withdrawn_at__isnull=True)
    if enterprise_wide(viewer):
        return required.select_related("category")
    above = {up for path in scope.paths for up in Organisation.paths_above(path)}
    reach = Q(organisation__path__in=above) | scope.q("organisation__path")  # over the scope, or inside it
    # Who must read it, as concerned_by() says: the required_for organisations, else the audience, else everyone.
    through_targets = Article.required_for.through.objects.filter(article=OuterRef("pk"))
    through_audience = Article.organisations.through.objects.filter(article=OuterRef("pk"))
    no_targets = ~Exists(through_targets)
    reaches = (
        Exists(through_targets.filter(reach))
        | (no_targets & Exists(through_audience.filter(reach)))
        | (no_targets & ~Exists(through_audience))
    )
    return required.filter(reaches).select_related("category")


def managed_plans(viewer: Any) -> QuerySet[Plan]:
    """Study plans (withdrawn ones too) the viewer may edit, withdraw and follow up."""
    return _managed(Plan.objects.all(), viewer)


def people_under(organisations: Iterable[Organisation]) -> QuerySet[Person]:
    """People with a current membership under one of the organisations; everyone with a current membership
    when there are none."""
    members = Membership.objects.current()
    paths = [o.path for o in organisations]
    if paths:
        q = Q()
        for path in paths:
            q |= Q(organisation__path__startswith=path)
        members = members.filter(q)
    return Person.objects.filter(is_active=True, pk__in=members.values("person_id"))


def concerned_by(article: Article) -> QuerySet[Person]:
    """Who must read a required article: under ``required_for``, else under its audience, else everyone."""
    organisations = list(article.required_for.all()) or list(article.organisations.all())
    return people_under(organisations)


def required_for(person: Any) -> list[tuple[Article, Completion | None]]:
    """The person's required reading, with their completion (None: still to read), soonest due first."""
    mine = [
        a
        for a in articles_for(person).filter(required=True).prefetch_related("required_for", "organisations")
        if concerned_by(a).filter(pk=person.pk).exists()
    ]
    done = {c.article_id: c for c in Completion.objects.filter(person=person, article__in=mine)}
    mine.sort(key=lambda a: (a.pk in done, a.due_on or clock.today().max, -a.pk))
    return [(a, done.get(a.pk)) for a in mine]


# ------------------------------------------------------------------------------- completion for staff


@dataclass(frozen=True)
class BranchRow:
    organisation: Organisation
    people: int
    done: int

    @property
    def percent(self) -> float:
        return round(100 * self.done / self.people, 1) if self.people else 0.0


@dataclass(frozen=True)
class PersonRow:
    person: Person
    branch: Organisation | None
    done_on: Any


def _branch_of(path: str, branches: list[Organisation]) -> Organisation | None:
    for branch in branches:
        if path.startswith(branch.path):
            return branch
    return None


def _people_with_branches(
    people: QuerySet[Person], viewer: Any, cap: Cap
) -> tuple[list[tuple[Person, Any]], list[Organisation]]:
    scope = Scope.of(viewer, cap)
    branches = list(scope.organisations(Organisation.objects.filter(level=Level.BRANCH)).order_by("path"))
    people = scope.people(people).order_by("employee_no")
    paths = dict(
        Membership.objects.current()
        .filter(person__in=people, tree=Tree.PARTY)
        .values_list("person_id", "organisation__path")
    )
    rows = [(p, _branch_of(paths.get(p.pk, ""), branches) if p.pk in paths else None) for p in people]
    return rows, branches


def _tally(rows: list[tuple[Person, Any]], branches: list[Organisation], done: dict[int, Any]) -> list[BranchRow]:
    counts: dict[int, list[int]] = {}
    for person, branch in rows:
        if branch is None:
            continue
        entry = counts.setdefault(branch.pk, [0, 0])
        entry[0] += 1
        entry[1] += int(person.pk in done)
    return [BranchRow(b, *counts[b.pk]) for b in branches if b.pk in counts]


def completion(article: Article, viewer: Any) -> tuple[list[BranchRow], list[PersonRow]]:
    """Per branch (people concerned, how many read it) and per person, inside the viewer's scope."""
    rows, branches = _people_with_branches(concerned_by(article), viewer, Cap.LEARNING)
    done = dict(Completion.objects.filter(article=article).values_list("person_id", "completed_on"))
    return _tally(rows, branches, done), [PersonRow(p, b, done.get(p.pk)) for p, b in rows]


@dataclass(frozen=True)
class ItemState:
    item: PlanItem
    done_on: Any


def plan_items_for(plan: Plan, person: Any) -> list[ItemState]:
    done = dict(ItemDone.objects.filter(item__plan=plan, person=person).values_list("item_id", "done_on"))
    return [ItemState(i, done.get(i.pk)) for i in plan.items.select_related("article", "resource")]


def plan_progress(plan: Plan, viewer: Any) -> tuple[list[BranchRow], list[tuple[Person, Any, int]], int]:
    """Per branch (people who finished every item) and per person (items done), with the number of items."""
    total = plan.items.count()
    rows, branches = _people_with_branches(people_under(plan.organisations.all()), viewer, Cap.LEARNING)
    counts: dict[int, int] = {}
    for person_id in ItemDone.objects.filter(item__plan=plan).values_list("person_id", flat=True):
        counts[person_id] = counts.get(person_id, 0) + 1
    finished = {pid: True for pid, n in counts.items() if total and n >= total}
    return _tally(rows, branches, finished), [(p, b, counts.get(p.pk, 0)) for p, b in rows], total


def categories() -> QuerySet[Category]:
    """Every category, in the model's order, for the filters of the article and resource lists."""
    return Category.objects.all()


def plan_item(plan: Plan, item_id: int) -> PlanItem | None:
    """An item of a plan the caller has already found among the viewer's (:func:`plans_for`)."""
    return PlanItem.objects.filter(pk=item_id, plan=plan).first()
