"""Reads of 支部先锋行动 shared by the pages, the API and the exports; every one takes the viewer.

Who sees a project: the Party members of its lead branch and of each partner branch (a joint project is each
partner's own), its members, the holders of ``Cap.VANGUARD`` over one of those branches and the committee's
reviewers (``Cap.VANGUARD_REVIEW``). Anyone else gets None (the page answers 404).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from plaza.lib import clock
from plaza.orgs.models import Membership, Organisation, Tree
from plaza.orgs.permissions import Cap, Scope

from . import services
from .models import Document, Member, Milestone, Photo, Post, Progress, Project, Status, Theme
from .services import BRANCH_LEVELS


def _ancestor_paths(person: Any) -> list[str]:
    """Paths of the organisations above (and at) the person's current Party memberships."""
    paths = (
        Membership.objects.current().filter(person=person, tree=Tree.PARTY).values_list("organisation__path", flat=True)
    )
    return sorted({above for path in paths for above in Organisation.paths_above(path)})


def _org_q(scope: Scope) -> Q:
    return scope.q("branch__path") | Q(
        Exists(Project.partners.through.objects.filter(project_id=OuterRef("pk")).filter(scope.q("organisation__path")))
    )


def visible_projects(viewer: Any) -> QuerySet[Project]:
    if not getattr(viewer, "is_authenticated", False):
        return Project.objects.none()
    mine = _ancestor_paths(viewer)
    partner_of_mine = Project.partners.through.objects.filter(project_id=OuterRef("pk"), organisation__path__in=mine)
    member = Member.objects.filter(project_id=OuterRef("pk"), person=viewer)
    q = Q(branch__path__in=mine) | Q(Exists(partner_of_mine)) | Q(Exists(member))
    q |= _org_q(Scope.of(viewer, Cap.VANGUARD)) | Scope.of(viewer, Cap.VANGUARD_REVIEW).q("branch__path")
    return Project.objects.filter(q).select_related("branch", "lead")


def managed_projects(viewer: Any) -> QuerySet[Project]:
    """The projects of the branches the viewer runs (``Cap.VANGUARD``) or reviews (``Cap.VANGUARD_REVIEW``):
    the board's rows."""
    q = _org_q(Scope.of(viewer, Cap.VANGUARD)) | Scope.of(viewer, Cap.VANGUARD_REVIEW).q("branch__path")
    return Project.objects.filter(q).select_related("branch", "lead")


def project_for(viewer: Any, project_id: int) -> Project | None:
    return (
        visible_projects(viewer)
        .filter(pk=project_id)
        .prefetch_related("partners", Prefetch("members", queryset=Member.objects.select_related("person")))
        .first()
    )


def my_projects(viewer: Any) -> QuerySet[Project]:
    """Projects the viewer is a member of, or of the viewer's own branches."""
    return visible_projects(viewer).order_by("status", "-starts_on", "-id")


def progress_of(project: Project) -> QuerySet[Progress]:
    return project.progress.select_related("author", "milestone").prefetch_related("photos")


def photo_for(viewer: Any, photo_id: int) -> Photo | None:
    """A progress photo of a project the viewer sees, or None."""
    return Photo.objects.filter(pk=photo_id, progress__project__in=visible_projects(viewer)).first()


def document_for(project: Project, document_id: int) -> Document | None:
    return project.documents.filter(pk=document_id).first()


def milestone_for(project: Project, milestone_id: int) -> Milestone | None:
    return project.milestones.select_related("project__branch", "owner").filter(pk=milestone_id).first()


def milestone_rows(
    viewer: Any, project: Project, today: date | None = None
) -> list[tuple[Milestone, bool, bool, bool]]:
    """(milestone, late, whether the viewer may mark it done, whether the viewer may press it: 督办) for the
    project's page."""
    today = today or clock.today()
    rows = list(project.milestones.select_related("owner"))
    for milestone in rows:
        milestone.project = project  # the page's project, its partners already read
    return [
        (
            m,
            m.done_on is None and m.due_on < today,
            services.may_complete(viewer, m),
            services.may_urge(viewer, m, today),
        )
        for m in rows
    ]


def late_milestones(projects: QuerySet[Project], today: date | None = None) -> QuerySet[Milestone]:
    today = today or clock.today()
    return (
        Milestone.objects.filter(
            project__in=projects, project__status=Status.ACTIVE, done_on__isnull=True, due_on__lt=today
        )
        .select_related("project__branch", "owner")
        .order_by("due_on", "id")
    )


@dataclass
class Board:
    rows: QuerySet[Project]
    by_status: dict[str, int]
    by_theme: list[tuple[str, str, int, int]]  # theme, label, all, closed
    late: QuerySet[Milestone]


def board_branches(viewer: Any) -> QuerySet[Organisation]:
    """The branches that lead or join a project on the viewer's board (the board's branch filter)."""
    projects = managed_projects(viewer)
    partner_ids = Project.partners.through.objects.filter(project__in=projects).values("organisation_id")
    return Organisation.objects.filter(Q(pk__in=projects.values("branch_id")) | Q(pk__in=partner_ids)).order_by("path")


def board(viewer: Any, *, status: str = "", theme: str = "", branch: Organisation | None = None, q: str = "") -> Board:
    """The board of the projects the viewer runs or reviews; ``branch`` keeps a branch's own and joint
    projects, ``q`` searches the title, the goal and the branches' names."""
    rows = managed_projects(viewer)
    if branch is not None:
        joined = Project.partners.through.objects.filter(project_id=OuterRef("pk"), organisation=branch)
        rows = rows.filter(Q(branch=branch) | Q(Exists(joined)))
    if q:
        named = Project.partners.through.objects.filter(project_id=OuterRef("pk"), organisation__name__icontains=q)
        rows = rows.filter(
            Q(title__icontains=q) | Q(goal__icontains=q) | Q(branch__name__icontains=q) | Q(Exists(named))
        )
    counts = Counter(rows.values_list("status", flat=True))
    themes = dict(
        (t, (n, c))
        for t, n, c in rows.order_by()
        .values("theme")
        .annotate(n=Count("pk", distinct=True), c=Count("pk", filter=Q(status=Status.CLOSED), distinct=True))
        .values_list("theme", "n", "c")
    )
    by_theme = [(value, str(label), *themes.get(value, (0, 0))) for value, label in Theme.choices]
    late = late_milestones(rows)
    if status:
        rows = rows.filter(status=status)
    if theme:
        rows = rows.filter(theme=theme)
    late_filter = Q(milestones__done_on__isnull=True, milestones__due_on__lt=clock.today())
    rows = rows.annotate(n_late=Count("milestones", filter=late_filter, distinct=True))
    return Board(
        rows.prefetch_related("partners").order_by("status", "-starts_on", "-id"),
        {value: counts.get(value, 0) for value in Status.values},
        by_theme,
        late,
    )


@dataclass
class BranchRow:
    branch: Organisation
    projects: int = 0
    active: int = 0
    closed: int = 0
    late: int = 0
    savings: float = 0.0
    themes: Counter[str] = field(default_factory=Counter)


def statistics(viewer: Any, today: date | None = None) -> list[BranchRow]:
    """Per lead branch: projects, under way, closed, late milestones, savings (万元)."""
    today = today or clock.today()
    rows: dict[int, BranchRow] = {}
    projects = managed_projects(viewer).annotate(
        n_late=Count(
            "milestones",
            filter=Q(milestones__done_on__isnull=True, milestones__due_on__lt=today, status=Status.ACTIVE),
        )
    )
    for project in projects.order_by("branch__path"):
        row = rows.setdefault(project.branch_id, BranchRow(project.branch))
        row.projects += 1
        row.active += project.status == Status.ACTIVE
        row.closed += project.status == Status.CLOSED
        row.late += project.n_late
        row.savings += float(project.savings or 0)
        row.themes[project.get_theme_display()] += 1
    return list(rows.values())


def theme_chart(rows: list[BranchRow]) -> dict[str, list[Any]]:
    themes = [str(label) for _v, label in Theme.choices]
    totals = Counter[str]()
    for row in rows:
        totals.update(row.themes)
    return {"themes": themes, "projects": [totals.get(t, 0) for t in themes]}


# ------------------------------------------------------------------------------------------ 先锋岗 / 责任区


def posts(*, organisation: Organisation | None = None, q: str = "") -> QuerySet[Post]:
    """Every active post and area, shown to everyone signed in (the commitments are public)."""
    rows = Post.objects.filter(active=True).select_related("organisation", "holder")
    if organisation is not None:
        rows = rows.filter(organisation__path__startswith=organisation.path)
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(holder__name__icontains=q) | Q(commitment__icontains=q))
    return rows.prefetch_related("reviews")


def post_for(viewer: Any, post_id: int) -> Post | None:
    if not getattr(viewer, "is_authenticated", False):
        return None
    return Post.objects.select_related("organisation", "holder").filter(pk=post_id).first()


def branches_for(viewer: Any) -> QuerySet[Organisation]:
    """The branches the viewer may start projects and posts in (``Cap.VANGUARD``)."""
    return Scope.of(viewer, Cap.VANGUARD).organisations().filter(level__in=BRANCH_LEVELS).order_by("path")


def partner_choices(viewer: Any) -> QuerySet[Organisation]:
    """Branches a project may be run together with: every Party branch of the viewer's committee."""
    roots = {p[: Organisation.steplen] for p in Scope.of(viewer, Cap.VANGUARD).paths}
    q = Q(pk__in=[])
    for root in roots:
        q |= Q(path__startswith=root)
    if Scope.of(viewer, Cap.VANGUARD).everything:
        q = Q(tree=Tree.PARTY)
    return Organisation.objects.filter(q, level__in=BRANCH_LEVELS).order_by("path")
