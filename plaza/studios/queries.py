"""Reads of 工匠工作室 shared by the pages, the API and the exports.

Studios, their achievements, 绝活 and honours are shown to everyone signed in (a 资源共享平台: the point is that
people find them). A 师带徒 pair is seen by its mentor and apprentice, the studio's leader and the holders of
``Cap.STUDIOS`` over the studio's organisation; anyone else gets None (the page answers 404)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from plaza.accounts.models import Person
from plaza.orgs.models import Organisation
from plaza.orgs.permissions import Cap, Scope, read_scope

from .models import (
    Achievement,
    AchievementKind,
    Craft,
    CraftPicture,
    Honour,
    Pair,
    PairSkill,
    PairStatus,
    PatentType,
    Studio,
)


def _signed_in(viewer: Any) -> bool:
    return bool(getattr(viewer, "is_authenticated", False))


def studios(viewer: Any, q: str = "") -> QuerySet[Studio]:
    if not _signed_in(viewer):
        return Studio.objects.none()
    rows = Studio.objects.select_related("organisation", "leader").annotate(n_members=Count("members", distinct=True))
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(field__icontains=q) | Q(leader__name__icontains=q))
    return rows.order_by("name")


def studio_for(viewer: Any, studio_id: int) -> Studio | None:
    if not _signed_in(viewer):
        return None
    return Studio.objects.select_related("organisation", "leader").filter(pk=studio_id).first()


def managed_studios(viewer: Any) -> QuerySet[Studio]:
    """Studios the viewer keeps: as their leader or with ``Cap.STUDIOS`` over their organisation."""
    if not _signed_in(viewer):
        return Studio.objects.none()
    return Studio.objects.filter(Q(leader=viewer) | Scope.of(viewer, Cap.STUDIOS).q("organisation__path")).order_by(
        "name"
    )


@dataclass
class Figures:
    """A studio's counts: members, patents (utility models apart), innovation projects, grades, awards."""

    members: int = 0
    patents: int = 0
    utility_patents: int = 0
    projects: int = 0
    grades: int = 0
    senior_technicians: int = 0
    awards: int = 0


def figures(studio: Studio) -> Figures:
    found = Figures(members=studio.members.count())
    for kind, patent_type, title in studio.achievements.values_list("kind", "patent_type", "title"):
        if kind == AchievementKind.PATENT:
            found.patents += 1
            found.utility_patents += patent_type == PatentType.UTILITY
        elif kind == AchievementKind.PROJECT:
            found.projects += 1
        elif kind == AchievementKind.GRADE:
            found.grades += 1
            found.senior_technicians += "高级技师" in title
        else:
            found.awards += 1
    return found


def by_year(achievements: QuerySet[Achievement]) -> dict[str, list[Any]]:
    """Chart data: per year, how many patents, innovation projects, grades and awards."""
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for kind, day in achievements.values_list("kind", "achieved_on"):
        counts[day.year][kind] += 1
    years = sorted(counts)
    kinds = AchievementKind.values
    return {
        "years": [str(y) for y in years],
        **{kind: [counts[y][kind] for y in years] for kind in kinds},
        "rows": [[str(y), *(counts[y][kind] for kind in kinds)] for y in years],
    }


def achievements_of(studio: Studio, kind: str = "") -> QuerySet[Achievement]:
    rows = studio.achievements.select_related("person")
    return rows.filter(kind=kind) if kind else rows


def achievement_for(viewer: Any, achievement_id: int) -> Achievement | None:
    if not _signed_in(viewer):
        return None
    return Achievement.objects.select_related("studio").filter(pk=achievement_id).first()


def crafts(viewer: Any, q: str = "") -> QuerySet[Craft]:
    """绝活, searched in their name, creator, description and where they are used."""
    if not _signed_in(viewer):
        return Craft.objects.none()
    rows = Craft.objects.select_related("creator", "studio").annotate(n_learners=Count("learners", distinct=True))
    for word in q.split()[:5]:
        rows = rows.filter(
            Q(name__icontains=word)
            | Q(creator__name__icontains=word)
            | Q(description__icontains=word)
            | Q(used_in__icontains=word)
            | Q(studio__name__icontains=word)
        )
    return rows.order_by("name")


def craft_for(viewer: Any, craft_id: int) -> Craft | None:
    if not _signed_in(viewer):
        return None
    return Craft.objects.select_related("creator", "studio").filter(pk=craft_id).first()


def picture_for(viewer: Any, picture_id: int) -> CraftPicture | None:
    if not _signed_in(viewer):
        return None
    return CraftPicture.objects.filter(pk=picture_id).first()


def honours_of_person(viewer: Any, person_id: int) -> tuple[Person | None, QuerySet[Honour]]:
    person = Person.objects.filter(pk=person_id, is_active=True).first() if _signed_in(viewer) else None
    if person is None:
        return None, Honour.objects.none()
    return person, Honour.objects.filter(person=person)


def honours_of_organisation(viewer: Any, organisation_id: int) -> tuple[Organisation | None, QuerySet[Honour]]:
    org = Organisation.objects.filter(pk=organisation_id).first() if _signed_in(viewer) else None
    if org is None:
        return None, Honour.objects.none()
    return org, Honour.objects.filter(organisation=org)


def honours(viewer: Any, *, kind: str = "", q: str = "") -> QuerySet[Honour]:
    if not _signed_in(viewer):
        return Honour.objects.none()
    rows = Honour.objects.select_related("person", "organisation")
    if kind:
        rows = rows.filter(kind=kind)
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(person__name__icontains=q) | Q(organisation__name__icontains=q))
    return rows


def _staff_read_q(viewer: Any, field: str) -> Q:
    """Studios staff read: ``Cap.STUDIOS`` over the studio's organisation, and — a 劳模/工匠创新工作室 being union
    work kept by the union — the enterprise's 组织部 reads the union's studios where it reads the union's boards
    (``read_scope(…, Cap.UNION)``, the setting ``PLAZA_ORG_DEPT_SEES_MASS_TREES``). Reads only."""
    return Scope.of(viewer, Cap.STUDIOS).q(field) | read_scope(viewer, Cap.UNION).q(field)


def reported_studios(viewer: Any) -> QuerySet[Studio]:
    """The studios whose figures the viewer reads on the statistics page and in its export: those they keep
    (``managed_studios``) and, for the 组织部, the union's studios it reads (``_staff_read_q``)."""
    if not _signed_in(viewer):
        return Studio.objects.none()
    return Studio.objects.filter(Q(leader=viewer) | _staff_read_q(viewer, "organisation__path")).order_by("name")


def may_see_statistics(viewer: Any) -> bool:
    """Studio statistics are for the people who keep or oversee studios: a studio's leader and the holders of
    ``Cap.STUDIOS`` (工会主席, 组织部)."""
    return _signed_in(viewer) and (
        not Scope.of(viewer, Cap.STUDIOS).is_empty or Studio.objects.filter(leader=viewer).exists()
    )


def _pair_q(viewer: Any) -> Q:
    return (
        Q(mentor=viewer)
        | Q(apprentice=viewer)
        | Q(studio__leader=viewer)
        | _staff_read_q(viewer, "studio__organisation__path")
    )


def pairs(viewer: Any, *, studio: Studio | None = None) -> QuerySet[Pair]:
    if not _signed_in(viewer):
        return Pair.objects.none()
    rows = Pair.objects.filter(_pair_q(viewer)).select_related("studio", "mentor", "apprentice")
    return rows.filter(studio=studio) if studio is not None else rows


def pair_for(viewer: Any, pair_id: int) -> Pair | None:
    return pairs(viewer).select_related("studio__leader", "studio__organisation").filter(pk=pair_id).first()


def skill_for(pair: Pair, skill_id: int) -> PairSkill | None:
    found = pair.skills.filter(pk=skill_id).first()
    if found is not None:
        found.pair = pair
    return found


@dataclass
class PairStats:
    label: str
    active: int = 0
    finished: int = 0
    skills_signed: int = 0
    skills: int = 0
    grades: Counter[str] = field(default_factory=Counter)


def pair_statistics(viewer: Any) -> tuple[list[PairStats], list[PairStats]]:
    """Per studio and per organisation (the studio's): pairs under way and finished, skills signed."""
    per_studio: dict[int, PairStats] = {}
    per_org: dict[int, PairStats] = {}
    rows = (
        pairs(viewer)
        .annotate(
            n_skills=Count("skills", distinct=True),
            n_signed=Count("skills", filter=Q(skills__state="signed"), distinct=True),
        )
        .select_related("studio__organisation")
    )
    for pair in rows:
        for key, label, table in (
            (pair.studio_id, pair.studio.name, per_studio),
            (pair.studio.organisation_id, pair.studio.organisation.name, per_org),
        ):
            stats = table.setdefault(key, PairStats(label))
            stats.active += pair.status == PairStatus.ACTIVE
            stats.finished += pair.status == PairStatus.FINISHED
            stats.skills += pair.n_skills
            stats.skills_signed += pair.n_signed
            if pair.grade_gained:
                stats.grades[pair.grade_gained] += 1
    return list(per_studio.values()), list(per_org.values())


def studio_choices(viewer: Any) -> QuerySet[Studio]:
    return managed_studios(viewer)


def organisations_for(viewer: Any) -> QuerySet[Organisation]:
    """Organisations a studio may be hosted by or an honour given to: those in the viewer's ``Cap.STUDIOS``."""
    return Scope.of(viewer, Cap.STUDIOS).organisations().order_by("path")


def achievements_in(studios_qs: QuerySet[Studio]) -> QuerySet[Achievement]:
    return Achievement.objects.filter(studio__in=studios_qs)
