"""Scoped permissions: a position grants capabilities over its organisation's subtree.

Every read and write goes through :class:`Scope`. Nothing here trusts an id from a request: a page
or API endpoint looks the object up *inside* the scope, so an id from another branch is simply
"not found" (404), never shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from plaza.accounts.models import Person
from plaza.lib import memo

from .models import Level, Membership, Organisation, Position, Title, Tree


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
    QUIZ = "quiz.manage"  # 答题: question bank, contests for the organisations covered, hosting live contests
    VOICE = "voice.handle"  # E线声音 and 提案: accept, answer, route and return the items that reach an organisation
    VOICE_IDENTITY = "voice.identity"  # see who filed an anonymous item (audited, with a reason; 组织部 only)
    SPACE = "space.moderate"  # 互动空间: official posts, pre-moderation, moderation queue, word list (组织部 only)
    ACTIVITIES = "activities.manage"  # 活动与共建: activities, sign-up lists, check-in, partner organisations
    AMBASSADORS = "ambassadors.manage"  # 通星汇: products, campaigns, dealers, lead routing, rankings (组织部 only)
    UNION = "union.manage"  # 工会: members, dues, care payments, hardship files, 疗休养 (工会主席)
    LEAGUE = "league.manage"  # 共青团: League members, dues, 团组织生活, 推优 (团组织书记)
    VANGUARD = "vanguard.branch"  # 支部先锋行动 and 党员先锋岗 of a branch: projects, milestones, progress
    VANGUARD_REVIEW = "vanguard.review"  # review and recognise closed projects across the committee (组织部 only)
    STUDIOS = "studios.manage"  # 工匠创新工作室, 绝活, honours and 师带徒 (工会主席, 组织部)


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
    Cap.QUIZ,
    Cap.VOICE,
    Cap.ACTIVITIES,
    Cap.VANGUARD,
}
#: Union and league: no Party recruitment, dues or transfers; they do hold meetings.
_MASS_ORG = _SECRETARY - {Cap.VIEW_PERSONAL, Cap.RECRUIT, Cap.DUES, Cap.TRANSFERS, Cap.ELECTIONS, Cap.VANGUARD}
#: What only a 党委's 组织部 holds: filings and approvals, the tree, imports, the audit log and the services
#: every employee uses. Granting any of them is a committee-level act (see ``orgs.services.appoint``).
COMMITTEE_CAPS = frozenset(Cap) - _SECRETARY

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
    Title.UNION_CHAIR: frozenset(_MASS_ORG | {Cap.UNION, Cap.STUDIOS}),
    Title.LEAGUE_SECRETARY: frozenset(_MASS_ORG | {Cap.LEAGUE}),
}


#: Where each title exists: the kinds of organisation it may be held in, and nowhere else (a 党支部 has no 组织部).
#: Sources: 《党章》第三十条–第三十二条 and 《支部条例》 (党的基层委员会、总支部委员会、支部委员会 elect a 书记, where
#: needed 副书记, and 委员 who divide the work of 组织、宣传、纪检 among them); 《支部条例》 (a 党小组 has a 组长); the
#: 组织部 (党群工作部) is a working body of a 党委 (基层委员会) only; 《中国工会章程》 (a 工会委员会 and a 分工会
#: committee have a 主席; a 工会小组 a 组长, which Plaza does not model as a position); 《中国共产主义青年团章程》
#: (团委, 团总支 and 团支部 each have a 书记).
_PARTY_COMMITTEES = frozenset({Level.COMMITTEE, Level.GENERAL_BRANCH, Level.BRANCH})
TITLE_LEVELS: dict[str, frozenset[str]] = {
    Title.SECRETARY: _PARTY_COMMITTEES,
    Title.DEPUTY_SECRETARY: _PARTY_COMMITTEES,
    Title.ORGANISATION_MEMBER: _PARTY_COMMITTEES,
    Title.PROPAGANDA_MEMBER: _PARTY_COMMITTEES,
    Title.DISCIPLINE_MEMBER: _PARTY_COMMITTEES,
    Title.COMMITTEE_MEMBER: _PARTY_COMMITTEES,
    Title.GROUP_LEADER: frozenset({Level.GROUP}),
    Title.ORG_DEPT_STAFF: frozenset({Level.COMMITTEE}),
    Title.UNION_CHAIR: frozenset({Level.UNION, Level.SUB_UNION}),
    Title.LEAGUE_SECRETARY: frozenset({Level.LEAGUE_COMMITTEE, Level.LEAGUE_GENERAL_BRANCH, Level.LEAGUE_BRANCH}),
}

#: Titles that lead their organisation. They are approved by the organisation above (《选举条例》: the election of a
#: 书记 and 副书记 is reported to the upper Party organisation for approval), so only someone whose right to
#: appoint lies *above* the organisation may grant or end them — never a fellow officer of the same organisation.
LEADING_TITLES = frozenset({Title.SECRETARY, Title.DEPUTY_SECRETARY, Title.UNION_CHAIR, Title.LEAGUE_SECRETARY})


#: The services every employee uses — points and the 积分超市, 党群小智 — and the audit trail of them are run by the
#: enterprise 党委's 组织部 (党群工作部) for *everyone*, the employees who are only union or League members
#: included (design.md: committee staff 党委组织部 / 党群工作部 run the mall and the knowledge base; 党群 = the
#: Party and the mass organisations). So 组织部 staff of a top-level Party committee hold these capabilities over
#: the top-level union and League organisations too. Party work proper (people's files, recruitment, dues,
#: meetings, positions) stays within the Party tree and the union's and League's own officers keep theirs; so do
#: 预约办理 (a union's services, 帮扶 or 疗休养, are the union's own) and 学习 (publishing to the union's
#: organisations is the union's; what is published to everyone reaches union members anyway). Without this a
#: union-only employee's 转人工 reached no queue and nobody could award them points (issue 11, item 14).
ENTERPRISE_SERVICE_CAPS = frozenset({Cap.POINTS, Cap.ASSISTANT, Cap.VIEW_AUDIT})
_MASS_TREES = (Tree.UNION, Tree.LEAGUE)


def _enterprise_staff(title: str, path: str, tree: str) -> bool:
    """A 组织部 position on a top-level Party committee: the enterprise's 党群工作部."""
    return title == Title.ORG_DEPT_STAFF and tree == Tree.PARTY and len(path) == Organisation.steplen


def _mass_roots(person: Person, tree: str | None = None) -> list[str]:
    """The paths of the top-level union and League organisations (of one ``tree`` when given), read once per
    request and person: the side navigation asks for both trees and for each, so one query serves them all."""
    roots = memo.remembered(
        person,
        "mass_roots",
        lambda: list(Organisation.objects.filter(depth=1, tree__in=_MASS_TREES).values_list("path", "tree")),
    )
    return [path for path, in_tree in roots if tree is None or in_tree == tree]


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
        cache: dict[Cap, Scope] = memo.remembered(person, "scopes", dict)
        if cap not in cache:
            held = _held_positions(person)
            paths = [path for title, path, _tree in held if cap in TITLE_CAPS.get(title, ())]
            if cap in ENTERPRISE_SERVICE_CAPS and any(_enterprise_staff(*row) for row in held):
                paths += _mass_roots(person)
            cache[cap] = cls(cap, _minimal(paths))
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


#: Issue 18: "the 党委组织部 (or 党群工作部) sees all three trees where the enterprise says so (a setting)". Where
#: ``settings.PLAZA_ORG_DEPT_SEES_MASS_TREES`` is true (the default; an enterprise whose union and League keep
#: their rosters to themselves sets it False), 组织部 staff of a top-level Party committee *read* the union's
#: and the League's rosters and boards: :func:`read_scope` adds the top-level organisation of the matching tree.
#: Only reads ask ``read_scope``; every write keeps asking ``Scope.of``, so this gives no right to change
#: anything (the caps themselves are unchanged).
MASS_READ_TREES: dict[Cap, str] = {Cap.UNION: Tree.UNION, Cap.LEAGUE: Tree.LEAGUE}


def org_dept_sees_mass_trees() -> bool:
    """The enterprise's setting (``PLAZA_ORG_DEPT_SEES_MASS_TREES``, default True)."""
    return bool(getattr(settings, "PLAZA_ORG_DEPT_SEES_MASS_TREES", True))


def read_scope(person: Person | Any, cap: Cap) -> Scope:
    """What ``person`` may *see* with ``cap``: ``Scope.of(person, cap)``, plus — for ``Cap.UNION`` and
    ``Cap.LEAGUE`` where the enterprise says so (:func:`org_dept_sees_mass_trees`) — the whole union or League
    tree for 组织部 staff of a top-level Party committee (``MASS_READ_TREES``). Read-only: never pass it to a
    write."""
    scope = Scope.of(person, cap)
    tree = MASS_READ_TREES.get(cap)
    if scope.everything or tree is None or not org_dept_sees_mass_trees():
        return scope
    if not any(_enterprise_staff(*row) for row in _held_positions(person)):
        return scope
    return Scope(cap, _minimal([*scope.paths, *_mass_roots(person, tree)]))


def _held_positions(person: Person) -> list[tuple[str, str, str]]:
    """(title, organisation path, tree) of every current position, read once per request and person."""
    return memo.remembered(
        person,
        "positions",
        lambda: list(
            Position.objects.current()
            .filter(person=person)
            .values_list("title", "organisation__path", "organisation__tree")
        ),
    )


def can(person: Person | Any, cap: Cap, organisation: Organisation | None = None) -> bool:
    scope = Scope.of(person, cap)
    if organisation is None:
        return not scope.is_empty
    return scope.covers(organisation)


def holders(cap: Cap, person: Person | Any) -> QuerySet[Person]:
    """The active people whose current positions give them ``cap`` over ``person`` (a position on one of the
    person's organisations or on one above it): whom to tell when the person needs someone with that
    capability. Administrators are left out: they may see everything but are nobody's day-to-day contact."""

    titles = [title for title, caps in TITLE_CAPS.items() if cap in caps]
    placed = list(Membership.objects.current().filter(person=person).values_list("organisation__path", "tree"))
    prefixes = {up for path, _tree in placed for up in Organisation.paths_above(path)}
    where = Q(title__in=titles, organisation__path__in=prefixes)
    if cap in ENTERPRISE_SERVICE_CAPS and any(tree in _MASS_TREES for _path, tree in placed):
        # a union or League member is served by the enterprise's 组织部 too (``ENTERPRISE_SERVICE_CAPS``)
        where |= Q(title=Title.ORG_DEPT_STAFF, organisation__tree=Tree.PARTY, organisation__depth=1)
    positions = Position.objects.current().filter(where)
    return get_user_model().objects.filter(pk__in=positions.values("person_id"), is_active=True)


def _holds_org_dept_staff_over(actor: Person | Any, organisation: Organisation) -> bool:
    """Whether ``actor`` is 组织部 staff of ``organisation``'s own committee or of one above it."""
    return any(
        title == Title.ORG_DEPT_STAFF and organisation.path.startswith(path)
        for title, path, _tree in _held_positions(actor)
    )


def require_may_grant(
    actor: Person | Any, person: Person | Any, organisation: Organisation, title: str, *, ending: bool = False
) -> None:
    """Raise PermissionDenied (or ValidationError for a title that does not exist there) unless ``actor`` may
    grant — or end — ``title`` in ``organisation`` to ``person``. The one check behind every page, import and
    procedure that changes positions (issue 11, item 2):

    * the title exists in that kind of organisation (``TITLE_LEVELS``);
    * nobody appoints or removes themselves, administrators included: the change is someone else's act;
    * administrators may do the rest; anyone else needs ``Cap.MANAGE_POSITIONS`` over the organisation, and
      may give no right they do not hold there themselves (no climbing: a 支部书记 cannot make anyone 组织部
      staff, let alone himself);
    * a leading title (``LEADING_TITLES``) is granted from above: the actor's right to appoint must come from
      an organisation above this one, not from the same one;
    * any committee-level right — a position in a 党委, or a title carrying ``COMMITTEE_CAPS`` — is granted only
      by that committee's own 组织部 staff (or an upper committee's) or an administrator.

    ``ending``: the same authority ends a position, except that a position held where its title does not exist
    (old data) may still be ended.
    """
    label = Title(title).label if title in Title.values else title
    allowed = TITLE_LEVELS.get(title, frozenset())
    if organisation.level not in allowed and not ending:
        raise ValidationError(
            _("「%(title)s」不设在%(level)s：该职务只设在%(levels)s。")
            % {
                "title": label,
                "level": organisation.get_level_display(),
                "levels": "、".join(str(Level(level).label) for level in Level.values if level in allowed),
            }
        )
    if getattr(actor, "pk", None) is not None and actor.pk == getattr(person, "pk", None):
        raise PermissionDenied(_("不能任免自己的职务：请由上级组织或党委组织部门办理。"))
    scope = Scope.of(actor, Cap.MANAGE_POSITIONS)
    if scope.everything:
        return
    if not scope.covers(organisation):
        raise PermissionDenied(_("您没有权限任免「%(org)s」的职务。") % {"org": organisation.name})
    caps = TITLE_CAPS.get(title, frozenset())
    if organisation.level == Level.COMMITTEE or caps & COMMITTEE_CAPS:
        if not _holds_org_dept_staff_over(actor, organisation):
            raise PermissionDenied(
                _("「%(org)s」的%(title)s属于党委层级的权限，只能由该党委的组织部门或系统管理员任免。")
                % {"org": organisation.name, "title": label}
            )
    elif title in LEADING_TITLES and not any(
        organisation.path.startswith(path) and path != organisation.path for path in scope.paths
    ):
        raise PermissionDenied(
            _("%(title)s由上级组织任免：您的任免权限来自「%(org)s」本身，不能任免本组织的%(title)s。")
            % {"org": organisation.name, "title": label}
        )
    missing = [cap for cap in caps if not Scope.of(actor, cap).covers(organisation)]
    if missing:
        raise PermissionDenied(
            _("「%(title)s」的权限超出了您在「%(org)s」的权限，不能由您任免。")
            % {"title": label, "org": organisation.name}
        )


def may_grant(
    actor: Person | Any, person: Person | Any, organisation: Organisation, title: str, *, ending: bool = False
) -> bool:
    """``require_may_grant`` as a yes or no, for pages that offer a button only where it would work."""
    try:
        require_may_grant(actor, person, organisation, title, ending=ending)
    except (PermissionDenied, ValidationError):
        return False
    return True


def forget_scopes(person: Person) -> None:
    """Called after positions or memberships change, so the next check reads them (and everything worked out
    from them: scopes, the mall's reach, the space's reach) again."""
    memo.forget(person)
