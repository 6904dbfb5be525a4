"""Reads shared by pages, the API and dashboards. Every one takes the viewer and stays in their scope."""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import CharField, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Length, Substr
from django.http import HttpRequest
from django.utils.translation import gettext as _

from plaza.accounts.models import Person, PoliticalStatus
from plaza.audit.models import AuditEntry

from .models import Membership, Organisation, Position, Tree
from .permissions import Cap, Scope, can
from .services import STATUS_CORRECTION


def visible_people(viewer: Any) -> QuerySet[Person]:
    return Scope.of(viewer, Cap.VIEW_PEOPLE).people()


def visible_organisations(viewer: Any) -> QuerySet[Organisation]:
    return Scope.of(viewer, Cap.VIEW_PEOPLE).organisations()


def with_parent_id(qs: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """Annotate ``parent_id`` from the materialised path in the same query (no query per row)."""
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Organisation.steplen)
    return qs.annotate(parent_id=Subquery(Organisation.objects.filter(path=parent_path).values("pk")[:1]))


#: Between the names in an organisation's choice label ("东岳动力总成党总支 › 涂装车间党支部").
SEPARATOR = " › "


def choice_labels(organisations: Iterable[Organisation]) -> dict[int, str]:
    """Each organisation's label in a picker: its parent's name before its own, so that the many same-named
    ones (every plant has a 涂装车间党支部 and a 车身车间团支部) can be told apart; where two still read alike, the
    names further up too, until they differ or the root is reached. One query for every ancestor's name."""
    found = list(organisations)
    above = {path for org in found for path in Organisation.paths_above(org.path)[:-1]}
    names = dict(Organisation.objects.filter(path__in=above).values_list("path", "name")) if above else {}

    def label(org: Organisation, levels: int) -> str:
        ancestors = Organisation.paths_above(org.path)[:-1]
        return SEPARATOR.join([*(names[p] for p in ancestors[len(ancestors) - levels :] if p in names), org.name])

    levels = {org.pk: min(1, org.depth - 1) for org in found}
    labels = {org.pk: label(org, levels[org.pk]) for org in found}
    while True:
        counts = Counter(labels.values())
        alike = [org for org in found if counts[labels[org.pk]] > 1 and levels[org.pk] < org.depth - 1]
        if not alike:
            return labels
        for org in alike:
            levels[org.pk] += 1
            labels[org.pk] = label(org, levels[org.pk])


def labelled(organisations: Iterable[Organisation]) -> list[Organisation]:
    """The organisations in tree order, each with ``choice_label`` (:func:`choice_labels`): for the pickers and
    lists a template writes itself (forms use ``plaza.orgs.forms.OrganisationChoiceField``)."""
    found = sorted(organisations, key=lambda org: org.path)
    labels = choice_labels(found)
    for org in found:
        org.choice_label = labels[org.pk]
    return found


def roster(
    viewer: Any,
    *,
    organisation: Organisation | None = None,
    q: str = "",
    status: str = "",
    department: str = "",
) -> QuerySet[Person]:
    """People the viewer may see, optionally inside one organisation's subtree, searched and filtered."""
    people = visible_people(viewer)
    if organisation is not None:
        people = people.filter(
            Exists(
                Membership.objects.filter(
                    person=OuterRef("pk"), until__isnull=True, organisation__path__startswith=organisation.path
                )
            )
        )
    if q:
        q = q.strip()
        people = people.filter(Q(name__contains=q) | Q(employee_no__startswith=q) | Q(department__contains=q))
    if status:
        people = people.filter(political_status=status)
    if department:
        people = people.filter(department=department)
    return people.order_by("employee_no")


def party_branch_of(person: Person) -> Organisation | None:
    membership = (
        Membership.objects.current().filter(person=person, tree=Tree.PARTY).select_related("organisation").first()
    )
    return membership.organisation if membership else None


def memberships_of(person: Person) -> list[Membership]:
    return list(Membership.objects.current().filter(person=person).select_related("organisation"))


def positions_of(person: Person) -> list[Position]:
    return list(Position.objects.current().filter(person=person).select_related("organisation"))


def officers_of(organisation: Organisation) -> list[Position]:
    return list(Position.objects.current().filter(organisation=organisation).select_related("person").order_by("title"))


def subtree(organisation: Organisation) -> QuerySet[Organisation]:
    """The organisation and everything under it, in tree order (one indexed prefix scan)."""
    return Organisation.objects.filter(path__startswith=organisation.path).order_by("path")


def subtree_member_count(organisation: Organisation) -> int:
    return Membership.objects.filter(until__isnull=True, organisation__path__startswith=organisation.path).count()


def status_counts(viewer: Any, organisation: Organisation | None = None) -> list[tuple[str, str, int]]:
    """(status, label, count) for every political status, within the viewer's scope."""
    people = roster(viewer, organisation=organisation)
    counts = dict(people.order_by().values_list("political_status").annotate(n=Count("pk")))
    return [(value, str(label), counts.get(value, 0)) for value, label in PoliticalStatus.choices]


def children_with_counts(viewer: Any, organisation: Organisation | None) -> list[tuple[Organisation, int]]:
    """Direct children (or the visible roots) with their subtree head-counts, for the tree browser."""
    scope = Scope.of(viewer, Cap.VIEW_PEOPLE)
    if organisation is None:
        if scope.everything:
            nodes = list(Organisation.objects.get_root_nodes())
        else:
            nodes = list(Organisation.objects.filter(path__in=scope.paths).order_by("path"))
    else:
        scope.require(organisation=organisation)
        nodes = list(Organisation.objects.get_children(organisation))
    return list(zip(nodes, subtree_member_counts(nodes), strict=True))


def subtree_member_counts(nodes: list[Organisation]) -> list[int]:
    """Head-counts of several subtrees in one grouped query per depth (not one query per node)."""
    totals = totals_by_subtree(Membership.objects.filter(until__isnull=True), nodes, n=Count("pk"))
    return [totals.get(node.path, {}).get("n", 0) for node in nodes]


def totals_by_subtree(rows: QuerySet, nodes: list[Organisation], **aggregates: Any) -> dict[str, dict[str, Any]]:
    """``aggregates`` of ``rows`` (which have an ``organisation``) per subtree of ``nodes``, keyed by the node's
    path: one grouped query per depth of the nodes, not one query per node (a committee has hundreds of branches).
    A subtree without rows has no key."""
    totals: dict[str, dict[str, Any]] = {}
    for depth in {node.depth for node in nodes}:
        paths = [node.path for node in nodes if node.depth == depth]
        grouped = (
            rows.filter(_any_prefix(paths))
            .annotate(subtree=Substr("organisation__path", 1, depth * Organisation.steplen))
            .values("subtree")
            .annotate(**aggregates)
        )
        totals.update({row.pop("subtree"): row for row in grouped})
    return totals


def _any_prefix(paths: list[str]) -> Q:
    """Rows under any of ``paths``: one prefix scan on their common ancestor when they have one."""
    common = os.path.commonprefix(paths)
    common = common[: len(common) - len(common) % Organisation.steplen]
    if common:
        return Q(organisation__path__startswith=common)
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(organisation__path__startswith=path)
    return q


def with_officers(qs: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return qs.prefetch_related(
        Prefetch("positions", queryset=Position.objects.current().select_related("person"), to_attr="officers")
    )


def people_by_numbers(viewer: Any, numbers: str) -> list[Person]:
    """The people whose employee numbers are typed in ``numbers`` (separated by spaces, commas or 、), in that
    order, all of them inside what the viewer may see; ValidationError naming every number not found, so a
    form (guests of a meeting, invited graders) keeps what was typed and says which ones are wrong."""
    wanted = [n for n in re.split(r"[\s,，、]+", numbers or "") if n]
    if not wanted:
        return []
    found = {p.employee_no: p for p in visible_people(viewer).filter(employee_no__in=wanted)}
    missing = [n for n in wanted if n not in found]
    if missing:
        raise ValidationError(_("在您的管理范围内找不到工号：%(n)s") % {"n": "、".join(missing)})
    return [found[n] for n in wanted]


def status_corrections(viewer: Any, limit: int = 50) -> list[dict[str, Any]]:
    """The latest corrections of a procedure-owned 政治面貌 (``services.STATUS_CORRECTION``) about people inside
    the viewer's ``Cap.RECRUIT`` scope, newest first, for the recruitment overrides page: who, from what to
    what, by whom, when and why."""
    scope = Scope.of(viewer, Cap.RECRUIT)
    if scope.is_empty:
        return []
    entries = AuditEntry.objects.filter(action=STATUS_CORRECTION, object_type=Person._meta.label_lower)
    if not scope.everything:
        keys = scope.people().annotate(key=Cast("pk", CharField())).values("key")
        entries = entries.filter(object_id__in=keys)
    labels = dict(PoliticalStatus.choices)
    return [
        {
            "person_id": int(entry.object_id),
            "name": entry.object_repr,
            "from": labels.get((entry.before or {}).get("political_status", ""), ""),
            "to": labels.get((entry.after or {}).get("political_status", ""), ""),
            "effective_on": (entry.after or {}).get("effective_on", ""),
            "by": entry.actor_name,
            "at": entry.at,
            "reason": entry.reason,
        }
        for entry in entries.order_by("-at", "-id")[:limit]
    ]


def office_links(request: HttpRequest) -> list[tuple[str, str, str]]:
    """The back office's entries the viewer may open, each checked the way its page checks it: the Django
    admin only when it has something for them (``is_staff`` alone opens its "no permission" page)."""

    person = request.user
    links = []
    if can(person, Cap.VIEW_PEOPLE):
        links.append(("orgs:tree", _("组织架构"), _("浏览组织树与各级人数")))
        links.append(("orgs:people", _("人员花名册"), _("搜索、筛选、导出人员")))
    if can(person, Cap.IMPORT):
        links.append(("orgs:import", _("Excel 导入"), _("批量导入组织与人员，逐行校验")))
    if can(person, Cap.VIEW_AUDIT):
        links.append(("audit:list", _("审计日志"), _("谁在何时改了什么")))
    if person.is_active and person.is_staff and admin.site.get_app_list(request):
        links.append(("admin:index", _("系统管理"), _("账号、参数与基础数据")))
    return links


#: 党员发展 by stage for the statistics page, provided by the recruitment app in its ``AppConfig.ready()``:
#: orgs is a foundation app and imports no domain app (docs/layout.md, the import-linter contract).
_stage_counter: list[Callable[[Any, Any], Any]] = []


def register_stage_counter(counter: Callable[[Any, Any], Any]) -> None:
    """Called once by ``plaza.recruitment``: ``counter(viewer, org)`` gives its board's counts per stage."""
    _stage_counter[:] = [counter]


def stage_counter() -> Callable[[Any, Any], Any] | None:
    """The registered stage counter, or None when recruitment is not installed."""
    return _stage_counter[0] if _stage_counter else None


def visible_ancestors(viewer: Any, organisation: Organisation) -> list[Organisation]:
    """The organisation's ancestors, top first, that the viewer may see (``Cap.VIEW_PEOPLE``): the tree's path."""
    scope = Scope.of(viewer, Cap.VIEW_PEOPLE)
    return [a for a in Organisation.objects.get_ancestors(organisation) if scope.covers(a)]


def position_to_end(viewer: Any, position_id: int) -> Position | None:
    """A current position in an organisation where the viewer manages positions, or None."""
    scope = Scope.of(viewer, Cap.MANAGE_POSITIONS)
    return (
        Position.objects.current()
        .filter(scope.q("organisation__path"))
        .select_related("organisation", "person")
        .filter(pk=position_id)
        .first()
    )
