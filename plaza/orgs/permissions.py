"""Scoped permissions: a position grants capabilities over its organisation's subtree.

Every read and write goes through :class:`Scope`. Nothing here trusts an id from a request: a page
or API endpoint looks the object up *inside* the scope, so an id from another branch is simply
"not found" (404), never shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from .models import Membership, Organisation, Position, Title

if TYPE_CHECKING:
    from plaza.accounts.models import Person


class Cap(StrEnum):
    VIEW_PEOPLE = "people.view"
    VIEW_PERSONAL = "people.view_personal"  # full ID-card and phone numbers (each view audited)
    CHANGE_PEOPLE = "people.change"
    EXPORT_PEOPLE = "people.export"
    MANAGE_ORGS = "orgs.manage"
    MANAGE_POSITIONS = "orgs.positions"
    IMPORT = "orgs.import"
    VIEW_AUDIT = "audit.view"
    VIEW_STATS = "stats.view"
    RECRUIT = "recruitment.branch"  # record a branch's recruitment steps
    RECRUIT_COMMITTEE = "recruitment.committee"  # 备案, 预审, 审批, archiving; override a rule with a reason
    MEETINGS = "meetings.branch"  # plan meetings, take attendance, write and approve minutes
    DUES = "dues.branch"  # dues bases, the monthly roll, payments, reductions
    TRANSFERS = "transfers.branch"  # 组织关系转接: start, accept, letters and receipts
    ELECTIONS = "elections.branch"  # 换届选举: candidates, request, voting, counts; over a parent: approve
    BOOKING = "booking.manage"  # 预约办理: define services, schedules and counters; check people in; statistics
    POINTS = "points.manage"  # 积分 and 积分超市: award/adjust points, items, stock, hand-over, reports (组织部 only)
    ASSISTANT = "assistant.manage"  # 党群小智: knowledge base, 转人工 queue, reports (组织部 only)
    LEARNING = "learning.manage"  # 学习: articles, required reading, resources, study plans (组织部 only)


_OFFICER = {Cap.VIEW_PEOPLE, Cap.VIEW_STATS}
_SECRETARY = _OFFICER | {
    Cap.CHANGE_PEOPLE,
    Cap.EXPORT_PEOPLE,
    Cap.MANAGE_POSITIONS,
    Cap.VIEW_PERSONAL,
    Cap.RECRUIT,
    Cap.MEETINGS,
    Cap.DUES,
    Cap.TRANSFERS,
    Cap.ELECTIONS,
}
#: Union and league: no Party recruitment, dues or transfers; they do hold meetings.
_MASS_ORG = _SECRETARY - {Cap.VIEW_PERSONAL, Cap.RECRUIT, Cap.DUES, Cap.TRANSFERS, Cap.ELECTIONS}

#: What each title may do over its organisation's subtree. Personal data in full only where the work needs
#: it: the secretary and the organisation member keep the members' files; committee staff run the tree.
TITLE_CAPS: dict[str, frozenset[Cap]] = {
    Title.SECRETARY: frozenset(_SECRETARY),
    Title.DEPUTY_SECRETARY: frozenset(_SECRETARY - {Cap.VIEW_PERSONAL}),
    Title.ORGANISATION_MEMBER: frozenset(_SECRETARY - {Cap.MANAGE_POSITIONS}),
    Title.PROPAGANDA_MEMBER: frozenset(_OFFICER),
    Title.DISCIPLINE_MEMBER: frozenset(_OFFICER),
    Title.COMMITTEE_MEMBER: frozenset(_OFFICER),
    Title.GROUP_LEADER: frozenset({Cap.VIEW_PEOPLE}),
    Title.ORG_DEPT_STAFF: frozenset(Cap),
    Title.UNION_CHAIR: frozenset(_MASS_ORG),
    Title.LEAGUE_SECRETARY: frozenset(_MASS_ORG),
}


def _minimal(paths: Iterable[str]) -> tuple[str, ...]:
    """Drop every path that lies under another one in the set."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return tuple(kept)


@dataclass(frozen=True)
class Scope:
    """The subtrees a person may act on with one capability. ``everything`` for administrators."""

    cap: Cap
    paths: tuple[str, ...]
    everything: bool = False

    @classmethod
    def of(cls, person: Person | Any, cap: Cap) -> Scope:
        if not getattr(person, "is_authenticated", False) or not person.is_active:
            return cls(cap, ())
        if person.is_superuser:
            return cls(cap, (), everything=True)
        cache: dict[Cap, Scope] = person.__dict__.setdefault("_plaza_scopes", {})
        if cap not in cache:
            held = _held_positions(person)
            cache[cap] = cls(cap, _minimal(path for title, path in held if cap in TITLE_CAPS.get(title, ())))
        return cache[cap]

    @property
    def is_empty(self) -> bool:
        return not self.everything and not self.paths

    def q(self, field: str) -> Q:
        """A filter on ``field`` (a path, e.g. ``organisation__path``) that keeps rows inside the scope."""
        return self._path_q(field)

    def _path_q(self, field: str) -> Q:
        if self.everything:
            # Always true, but not the empty Q(): Django drops an empty Q from an OR, so
            # ``Q(person=me) | scope.q(...)`` would have shrunk an administrator's view to their own rows (the
            # transfer listed on /transfers/ that answered 404 on its page).
            return Q(pk__isnull=False)
        if not self.paths:
            return Q(pk__in=[])
        q = Q()
        for path in self.paths:
            q |= Q(**{f"{field}__startswith": path})
        return q

    def covers(self, organisation: Organisation) -> bool:
        return self.everything or any(organisation.path.startswith(p) for p in self.paths)

    def organisations(self, qs: QuerySet[Organisation] | None = None) -> QuerySet[Organisation]:
        qs = Organisation.objects.all() if qs is None else qs
        return qs.filter(self._path_q("path"))

    def people(self, qs: QuerySet | None = None) -> QuerySet:
        """People with a current membership anywhere inside the scope."""
        from plaza.accounts.models import Person

        qs = Person.objects.all() if qs is None else qs
        if self.everything:
            return qs
        if not self.paths:
            return qs.none()
        inside = Membership.objects.filter(
            Q(person=OuterRef("pk")), Q(until__isnull=True), self._path_q("organisation__path")
        )
        return qs.filter(Exists(inside))

    def covers_person(self, person: Person) -> bool:
        return self.everything or self.people().filter(pk=person.pk).exists()

    def require(self, organisation: Organisation | None = None, person: Person | None = None) -> None:
        """Raise PermissionDenied unless the scope covers the organisation and/or person."""
        ok = not self.is_empty
        if ok and organisation is not None:
            ok = self.covers(organisation)
        if ok and person is not None:
            ok = self.covers_person(person)
        if not ok:
            raise PermissionDenied(_("您没有权限对该组织或人员执行此操作。"))


def _held_positions(person: Person) -> list[tuple[str, str]]:
    """(title, organisation path) of every current position, read once per request and person."""
    if "_plaza_positions" not in person.__dict__:
        person.__dict__["_plaza_positions"] = list(
            Position.objects.current().filter(person=person).values_list("title", "organisation__path")
        )
    return person.__dict__["_plaza_positions"]


def can(person: Person | Any, cap: Cap, organisation: Organisation | None = None) -> bool:
    scope = Scope.of(person, cap)
    if organisation is None:
        return not scope.is_empty
    return scope.covers(organisation)


def holders(cap: Cap, person: Person | Any) -> QuerySet[Person]:
    """The active people whose current positions give them ``cap`` over ``person`` (a position on one of the
    person's organisations or on one above it): whom to tell when the person needs someone with that
    capability. Administrators are left out: they may see everything but are nobody's day-to-day contact."""
    from django.contrib.auth import get_user_model

    titles = [title for title, caps in TITLE_CAPS.items() if cap in caps]
    paths = Membership.objects.current().filter(person=person).values_list("organisation__path", flat=True)
    prefixes = {up for path in paths for up in Organisation.paths_above(path)}
    positions = Position.objects.current().filter(title__in=titles, organisation__path__in=prefixes)
    return get_user_model().objects.filter(pk__in=positions.values("person_id"), is_active=True)


def forget_scopes(person: Person) -> None:
    """Called after positions change, so the next check reads them again."""
    person.__dict__.pop("_plaza_scopes", None)
    person.__dict__.pop("_plaza_positions", None)
