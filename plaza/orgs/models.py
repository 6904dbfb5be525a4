"""Organisation trees (Party, union, youth league), memberships and positions.

The trees are materialised paths (django-treebeard ``MP_Node``): a subtree is one indexed prefix
scan on ``path``, which is what scoped permissions and statistics ask for all day long.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from plaza.lib import clock


class Tree(models.TextChoices):
    PARTY = "party", _("党组织")
    UNION = "union", _("工会")
    LEAGUE = "league", _("共青团")


class Level(models.TextChoices):
    """The kind of organisation; its tree follows from it (see ``LEVEL_TREE``)."""

    COMMITTEE = "committee", _("党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    GROUP = "group", _("党小组")
    UNION = "union", _("工会")
    SUB_UNION = "sub_union", _("分工会")
    UNION_GROUP = "union_group", _("工会小组")
    LEAGUE_COMMITTEE = "league_committee", _("团委")
    LEAGUE_GENERAL_BRANCH = "league_general_branch", _("团总支")
    LEAGUE_BRANCH = "league_branch", _("团支部")


LEVEL_TREE: dict[str, str] = {
    Level.COMMITTEE: Tree.PARTY,
    Level.GENERAL_BRANCH: Tree.PARTY,
    Level.BRANCH: Tree.PARTY,
    Level.GROUP: Tree.PARTY,
    Level.UNION: Tree.UNION,
    Level.SUB_UNION: Tree.UNION,
    Level.UNION_GROUP: Tree.UNION,
    Level.LEAGUE_COMMITTEE: Tree.LEAGUE,
    Level.LEAGUE_GENERAL_BRANCH: Tree.LEAGUE,
    Level.LEAGUE_BRANCH: Tree.LEAGUE,
}

#: Which levels may sit directly under which (None = a root).
ALLOWED_PARENTS: dict[str, tuple[str | None, ...]] = {
    Level.COMMITTEE: (None, Level.COMMITTEE),
    Level.GENERAL_BRANCH: (Level.COMMITTEE,),
    Level.BRANCH: (Level.COMMITTEE, Level.GENERAL_BRANCH),
    Level.GROUP: (Level.BRANCH,),
    Level.UNION: (None, Level.UNION),
    Level.SUB_UNION: (Level.UNION,),
    Level.UNION_GROUP: (Level.UNION, Level.SUB_UNION),
    Level.LEAGUE_COMMITTEE: (None, Level.LEAGUE_COMMITTEE),
    Level.LEAGUE_GENERAL_BRANCH: (Level.LEAGUE_COMMITTEE,),
    Level.LEAGUE_BRANCH: (Level.LEAGUE_COMMITTEE, Level.LEAGUE_GENERAL_BRANCH),
}


class Organisation(MP_Node):
    name = models.CharField(_("名称"), max_length=128)
    code = models.CharField(_("编码"), max_length=32, unique=True)
    level = models.CharField(_("类型"), max_length=32, choices=Level.choices)
    tree = models.CharField(_("体系"), max_length=16, choices=Tree.choices, editable=False, db_index=True)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    term_years = models.PositiveSmallIntegerField(
        _("任期（年）"),
        null=True,
        blank=True,
        help_text=_("基层委员会 5 年，总支部和支部委员会 3 年（《任期意见》）；空白时按此默认。"),
    )
    is_active = models.BooleanField(_("有效"), default=True)

    #: set on the organisations of a picker by ``plaza.orgs.queries.labelled`` (not a column)
    choice_label: str

    steplen = 4
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    node_order_by = None

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.tree = LEVEL_TREE[self.level]
        super().save(*args, **kwargs)

    @classmethod
    def paths_above(cls, path: str) -> list[str]:
        """The path and the path of every organisation above it, the top first: a materialised path grows by
        ``steplen`` characters a level, so its prefixes are its ancestors. Whatever is set or held above an
        organisation (a rule, a right, a required reading) is found on these."""
        return [path[:end] for end in range(cls.steplen, len(path) + 1, cls.steplen)]

    def subtree_q(self, prefix: str = "") -> Q:
        """A filter for rows whose organisation (reached through ``prefix``) lies in this subtree."""
        return Q(**{f"{prefix}path__startswith": self.path})

    def default_term_years(self) -> int:
        """《任期意见》: 基层委员会 5 years; 总支部 and 支部委员会 3 years."""
        if self.term_years:
            return self.term_years
        return 5 if self.level == Level.COMMITTEE else 3


def held_on(on: date, prefix: str = "") -> Q:
    """Rows (memberships, positions) held on the day ``on``: begun on or before it and not ended by it.

    ``until`` is the day a membership or position *ends* (免职日期, the day of moving out): from that day on it
    is no longer held — the interval is ``[since, until)``. So a position ended today gives no rights today
    (not "until midnight"), and a membership that ends on the day the next one begins leaves no gap and no
    overlap. Every comparison of ``until`` with a day goes through here."""
    return Q(**{f"{prefix}since__lte": on}) & (Q(**{f"{prefix}until__isnull": True}) | Q(**{f"{prefix}until__gt": on}))


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self, on: date | None = None) -> MembershipQuerySet:
        if on is None:
            return self.filter(until__isnull=True)
        return self.filter(held_on(on))


class Membership(models.Model):
    """A person belongs to one organisation per tree at a time (their branch or group, union, league)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    tree = models.CharField(max_length=16, choices=Tree.choices, editable=False)
    since = models.DateField(_("起始日期"))
    until = models.DateField(_("结束日期"), null=True, blank=True, help_text=_("自该日起不再属于该组织。"))

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("组织成员")
        verbose_name_plural = _("组织成员")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "tree"], condition=Q(until__isnull=True), name="one_current_membership_per_tree"
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")), name="membership_dates_ordered"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "until"])]

    def __str__(self) -> str:
        return f"{self.person} @ {self.organisation}"

    def save(self, *args, **kwargs) -> None:
        self.tree = self.organisation.tree
        super().save(*args, **kwargs)


class Title(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
    ORGANISATION_MEMBER = "organisation_member", _("组织委员")
    PROPAGANDA_MEMBER = "propaganda_member", _("宣传委员")
    DISCIPLINE_MEMBER = "discipline_member", _("纪检委员")
    COMMITTEE_MEMBER = "committee_member", _("委员")
    GROUP_LEADER = "group_leader", _("党小组长")
    ORG_DEPT_STAFF = "org_dept_staff", _("组织部（党群工作部）工作人员")
    UNION_CHAIR = "union_chair", _("工会主席")
    LEAGUE_SECRETARY = "league_secretary", _("团委（团支部）书记")


class PositionQuerySet(models.QuerySet["Position"]):
    def current(self, on: date | None = None) -> PositionQuerySet:
        """Positions held on ``on`` (default: today, as :mod:`plaza.lib.clock` says — the local date, not the
        server's, so an ended position does not linger for the hours the server's clock lags behind)."""
        return self.filter(held_on(on or clock.today()))


class Position(models.Model):
    """A post held in an organisation for a term; it grants capabilities over that subtree."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="positions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="positions")
    title = models.CharField(_("职务"), max_length=32, choices=Title.choices)
    since = models.DateField(_("任职日期"))
    until = models.DateField(
        _("任期届满/免职日期"), null=True, blank=True, help_text=_("自该日起不再担任该职务，也不再有相应权限。")
    )

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("职务")
        verbose_name_plural = _("职务")
        ordering = ["organisation__path", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")), name="position_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.get_title_display()} {self.person.name}"
