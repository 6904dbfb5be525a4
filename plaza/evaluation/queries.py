"""Reads for the evaluation pages and reports. Every function takes the viewer, or a campaign the caller already
found inside the viewer's scope. The 测评 is read only as counts: nothing here returns grade rows one by one."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet

from plaza.orgs.models import Level, Organisation
from plaza.orgs.permissions import Cap, Scope
from plaza.rules.evaluation import GRADES

from .models import GRADE_CHOICES, Campaign, FollowUp, Grade, Group, Material, Participant, Role, Sheet, State


def _zero() -> dict[str, int]:
    return dict.fromkeys(GRADES, 0)


@dataclass
class Tally:
    """How many gave each grade to one member: from Party members, from others (invited 群众), and both."""

    member: dict[str, int] = field(default_factory=_zero)
    other: dict[str, int] = field(default_factory=_zero)

    @property
    def total(self) -> dict[str, int]:
        return {grade: self.member[grade] + self.other[grade] for grade in GRADES}

    @property
    def votes(self) -> int:
        return sum(self.total.values())

    def cells(self) -> list[tuple[str, int, int]]:
        """(grade label, from members, from others) best grade first, for a table."""
        return [(label, self.member[code], self.other[code]) for code, label in GRADES.items()]


def tally(campaign: Campaign) -> dict[int, Tally]:
    """Per graded member (person id) the counts per grade. Aggregated in the database, in no row order."""
    result: dict[int, Tally] = {
        pk: Tally()
        for pk in Participant.objects.filter(campaign=campaign, role=Role.MEMBER).values_list("person_id", flat=True)
    }
    counts = (
        Grade.objects.filter(campaign=campaign).order_by().values("gradee_id", "group", "grade").annotate(n=Count("pk"))
    )
    for row in counts:
        entry = result.setdefault(row["gradee_id"], Tally())
        getattr(entry, "other" if row["group"] == Group.OTHER else "member")[row["grade"]] = row["n"]
    return result


def visible_campaigns(viewer: Any) -> QuerySet[Campaign]:
    """Campaigns of the branches whose evaluation the viewer runs."""
    return Campaign.objects.filter(Scope.of(viewer, Cap.MEETINGS).q("organisation__path")).select_related(
        "organisation"
    )


def kept_branches(viewer: Any) -> QuerySet[Organisation]:
    return Scope.of(viewer, Cap.MEETINGS).organisations().filter(level=Level.BRANCH).order_by("path")


def participations_of(person: Any) -> QuerySet[Participant]:
    return (
        Participant.objects.filter(person=person)
        .select_related("campaign", "campaign__organisation")
        .order_by("-campaign__year")
    )


def progress(campaign: Campaign) -> dict[str, int]:
    """How many take part, have written their self-evaluation and have handed in a sheet."""
    participants = Participant.objects.filter(campaign=campaign)
    return {
        "participants": participants.count(),
        "graded": participants.filter(role=Role.MEMBER).count(),
        "self_evaluated": participants.exclude(self_evaluation="").count(),
        "sheets": Sheet.objects.filter(campaign=campaign).count(),
    }


@dataclass(frozen=True)
class ReportRow:
    participant: Participant
    tally: Tally


def branch_report(campaign: Campaign) -> list[ReportRow]:
    """Per graded member, by employee number: the tally and the proposed or decided grade."""
    tallies = tally(campaign)
    graded = (
        Participant.objects.filter(campaign=campaign, role=Role.MEMBER)
        .select_related("person")
        .order_by("person__employee_no")
    )
    return [ReportRow(p, tallies.get(p.person_id, Tally())) for p in graded]


def _grade_names() -> list[str]:
    """The grades' names in the reader's language, best first (the charts' categories)."""
    return [str(label) for _code, label in GRADE_CHOICES]


def report_chart(campaign: Campaign, rows: list[ReportRow]) -> dict[str, list[Any]]:
    """A campaign's report (:func:`branch_report`, already read) as charts: how many members have each grade
    (decided, or proposed by the 支委会 before the decision) and the votes each grade got from Party members
    and from invited 群众. A chart with nothing to draw has no categories, so the page leaves it out."""
    decided = campaign.state == State.DECIDED
    people = _zero()
    member = _zero()
    other = _zero()
    for row in rows:
        grade = row.participant.grade if decided else row.participant.proposed_grade
        if grade in people:
            people[grade] += 1
        for code in GRADES:
            member[code] += row.tally.member[code]
            other[code] += row.tally.other[code]
    names = _grade_names()
    has_people = any(people.values())
    has_votes = any(member.values()) or any(other.values())
    return {
        "grades": names if has_people else [],
        "people": [people[code] for code in GRADES],
        "vote_grades": names if has_votes else [],
        "member_votes": [member[code] for code in GRADES],
        "other_votes": [other[code] for code in GRADES],
    }


@dataclass(frozen=True)
class BranchRow:
    branch: Organisation
    campaign: Campaign | None
    counts: dict[str, int]  # decided grades; zero until decided

    @property
    def decided(self) -> bool:
        return self.campaign is not None and self.campaign.state == State.DECIDED

    @property
    def graded(self) -> int:
        return sum(self.counts.values())

    def cells(self) -> list[int]:
        return [self.counts[code] for code in GRADES]


def committee_report(viewer: Any, year: int) -> tuple[list[BranchRow], dict[str, int]]:
    """Every branch in the viewer's scope for the year: the counts per decided grade, and which branches have
    not decided (no campaign, or not decided yet); with the totals per grade."""
    branches = list(kept_branches(viewer).only("pk", "name", "path", "depth"))
    campaigns = {
        c.organisation_id: c for c in Campaign.objects.filter(organisation__in=[b.pk for b in branches], year=year)
    }
    counts: dict[int, dict[str, int]] = defaultdict(_zero)
    decided = Participant.objects.filter(
        campaign__in=[c.pk for c in campaigns.values()], campaign__state=State.DECIDED, role=Role.MEMBER
    ).order_by()
    for row in decided.values("campaign__organisation_id", "grade").annotate(n=Count("pk")):
        counts[row["campaign__organisation_id"]][row["grade"]] = row["n"]
    rows = [BranchRow(b, campaigns.get(b.pk), counts[b.pk] if b.pk in counts else _zero()) for b in branches]
    totals = _zero()
    for row in rows:
        for code in GRADES:
            totals[code] += row.counts[code]
    return rows, totals


def committee_chart(totals: dict[str, int]) -> dict[str, list[Any]]:
    """The committee report's totals per decided grade (:func:`committee_report`) as a chart; no categories
    while no branch has decided, so the page leaves it out."""
    return {
        "grades": _grade_names() if any(totals.values()) else [],
        "counts": [totals[code] for code in GRADES],
    }


def yearly_stats(viewer: Any) -> list[tuple[int, list[int], int]]:
    """Per year (newest first): the counts per decided grade across the viewer's branches, and the total."""
    by_year: dict[int, dict[str, int]] = defaultdict(_zero)
    rows = Participant.objects.filter(
        Scope.of(viewer, Cap.MEETINGS).q("campaign__organisation__path"),
        campaign__state=State.DECIDED,
        role=Role.MEMBER,
    ).order_by()
    for row in rows.values("campaign__year", "grade").annotate(n=Count("pk")):
        by_year[row["campaign__year"]][row["grade"]] = row["n"]
    return [
        (year, [counts[code] for code in GRADES], sum(counts.values()))
        for year, counts in sorted(by_year.items(), reverse=True)
    ]


def visible_follow_ups(viewer: Any) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(Scope.of(viewer, Cap.MEETINGS).q("campaign__organisation__path")).select_related(
        "campaign", "campaign__organisation", "person"
    )


def campaign_for(viewer: Any, campaign_id: int) -> tuple[Campaign, bool, Participant | None] | None:
    """The campaign, whether the viewer runs it (``Cap.MEETINGS`` over its organisation) and the viewer's own
    participation; None unless they run it or take part (the page answers 404; a query does not)."""
    campaign = Campaign.objects.filter(pk=campaign_id).select_related("organisation", "meeting").first()
    if campaign is None:
        return None
    keeps = Scope.of(viewer, Cap.MEETINGS).covers(campaign.organisation)
    mine = Participant.objects.filter(campaign=campaign, person=viewer).first()
    if not keeps and mine is None:
        return None
    return campaign, keeps, mine


def campaigns_by_branch(branches: list[Organisation], year: int) -> dict[int, Campaign]:
    """Each of ``branches``' campaign of ``year`` by the branch's id (branches without one are absent)."""
    return {c.organisation_id: c for c in Campaign.objects.filter(year=year, organisation__in=[b.pk for b in branches])}


def has_handed_in(campaign: Campaign, person: Any) -> bool:
    """Whether the person has handed in their grading sheet for the campaign."""
    return Sheet.objects.filter(campaign=campaign, grader=person).exists()


def participants_with_sheets(campaign: Campaign) -> list[tuple[Participant, bool]]:
    """Every participant (by role, then employee number) and whether they have handed in a sheet."""
    graders = set(Sheet.objects.filter(campaign=campaign).values_list("grader_id", flat=True))
    return [
        (p, p.person_id in graders)
        for p in Participant.objects.filter(campaign=campaign)
        .select_related("person")
        .order_by("role", "person__employee_no")
    ]


def follow_ups_of(campaign: Campaign) -> QuerySet[FollowUp]:
    """The campaign's follow-ups (谈心谈话, 限期改正 …) with the person concerned."""
    return FollowUp.objects.filter(campaign=campaign).select_related("person")


def material_for(viewer: Any, material_id: int) -> Material | None:
    """A campaign's material, only for those who run or take part in the campaign (:func:`campaign_for`)."""
    found = Material.objects.filter(pk=material_id).first()
    if found is None or campaign_for(viewer, found.campaign_id) is None:
        return None
    return found
