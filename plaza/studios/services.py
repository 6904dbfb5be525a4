"""Every write of 工匠工作室: studios and their members and achievements (with evidence files), 绝活 and who
has learned them, honours of people and organisations (recorded by staff, or by another procedure through
:func:`recognise`), and 师带徒 pairs: the agreement, monthly check-ins by both, skills signed by the mentor
and then by the studio leader (a refusal sends a skill back with its reason), and the result.

Staff are the holders of ``Cap.STUDIOS`` over the studio's organisation (工会主席, 组织部); a studio's leader
keeps its members, achievements and pairs too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock, dates
from plaza.lib.images import clean_picture
from plaza.notify import services as notify
from plaza.orgs.models import Organisation
from plaza.orgs.permissions import Cap, Scope
from plaza.rules import vanguard as rules

from .models import (
    Achievement,
    AchievementKind,
    CheckIn,
    Craft,
    CraftKind,
    CraftLearner,
    CraftPicture,
    Honour,
    HonourKind,
    HonourLevel,
    Pair,
    PairSkill,
    PairStatus,
    PatentType,
    SkillState,
    Studio,
    StudioKind,
    StudioMember,
)

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
MAX_PICTURES = 6
CHECK_IN_SOURCE = "studios.check_in"
SIGN_SOURCE = "studios.skill"


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def is_staff(person: Any, organisation: Organisation) -> bool:
    return Scope.of(person, Cap.STUDIOS).covers(organisation)


def may_manage(person: Any, studio: Studio) -> bool:
    """The studio's leader or a holder of ``Cap.STUDIOS`` over its organisation."""
    if not getattr(person, "is_authenticated", False):
        return False
    return studio.leader_id == person.pk or is_staff(person, studio.organisation)


# ------------------------------------------------------------------------------------------ studios


@dataclass(frozen=True)
class StudioData:
    name: str
    kind: str
    field: str
    description: str
    founded_on: date


@transaction.atomic
def create_studio(actor: Any, organisation: Organisation, data: StudioData, *, leader: Any) -> Studio:
    Scope.of(actor, Cap.STUDIOS).require(organisation=organisation)
    if len(data.name.strip()) < 4 or data.kind not in StudioKind.values or not data.field.strip():
        raise ValidationError(_("请填写工作室名称、类别和专业领域。"))
    if Studio.objects.filter(name=data.name.strip()).exists():
        raise ValidationError(_("已有同名的工作室。"))
    studio = Studio.objects.create(
        organisation=organisation,
        leader=leader,
        name=data.name.strip(),
        kind=data.kind,
        field=data.field.strip(),
        description=data.description.strip(),
        founded_on=data.founded_on,
    )
    StudioMember.objects.create(studio=studio, person=leader, role=_("领办人"), joined_on=data.founded_on)
    record(actor, actions.STUDIOS_STUDIO_SAVE, studio, after={"name": studio.name, "leader": leader.name})
    return studio


@transaction.atomic
def add_member(
    actor: Any, studio: Studio, person: Any, *, role: str = "", joined_on: date | None = None
) -> StudioMember:
    _require(may_manage(actor, studio), _("只有工作室领办人或工会、组织部工作人员可以添加成员。"))
    try:
        with transaction.atomic():
            member = StudioMember.objects.create(
                studio=studio, person=person, role=role.strip()[:40], joined_on=joined_on or clock.today()
            )
    except IntegrityError as exc:
        raise ValidationError(_("%(name)s 已是工作室成员。") % {"name": person.name}) from exc
    record(actor, actions.STUDIOS_MEMBER_ADD, studio, after={"person": person.name, "role": role})
    return member


@transaction.atomic
def add_achievement(
    actor: Any,
    studio: Studio,
    *,
    kind: str,
    title: str,
    achieved_on: date,
    patent_type: str = "",
    number: str = "",
    person: Any = None,
    evidence: Any = None,
) -> Achievement:
    """A patent (type and number required), an innovation project, a grade a member gained (who), or an award;
    an evidence file (certificate scan, PDF) is kept and served only through the studio's page."""
    _require(may_manage(actor, studio), _("只有工作室领办人或工会、组织部工作人员可以登记成果。"))
    problems = []
    if kind not in AchievementKind.values:
        problems.append(_("请选择成果类别。"))
    if len(title.strip()) < 2:
        problems.append(_("请填写成果名称。"))
    if kind == AchievementKind.PATENT and (patent_type not in PatentType.values or not number.strip()):
        problems.append(_("专利须填写专利类型和专利号。"))
    if kind == AchievementKind.GRADE and person is None:
        problems.append(_("技能等级须选择取得等级的成员。"))
    if achieved_on > clock.today():
        problems.append(_("成果日期不能晚于今天。"))
    size = getattr(evidence, "size", 0) or 0
    if size > MAX_EVIDENCE_BYTES:
        problems.append(_("证明材料太大，请上传不超过 20 MB 的文件。"))
    if problems:
        raise ValidationError(problems)
    found = Achievement(
        studio=studio,
        kind=kind,
        title=title.strip(),
        achieved_on=achieved_on,
        patent_type=patent_type if kind == AchievementKind.PATENT else "",
        number=number.strip(),
        person=person,
        created_by=actor,
    )
    if evidence is not None and size:
        evidence.seek(0)
        found.evidence_name = (getattr(evidence, "name", "") or "evidence").rsplit("/", 1)[-1][:200]
        found.evidence = ContentFile(evidence.read(), name=f"s{studio.pk}.bin")
    found.save()
    record(
        actor,
        actions.STUDIOS_ACHIEVEMENT_ADD,
        studio,
        after={"kind": found.get_kind_display(), "title": found.title, "achieved_on": achieved_on},
    )
    return found


# ------------------------------------------------------------------------------------------ 绝活


def may_add_craft(person: Any) -> bool:
    """Studio staff anywhere, or the leader of a studio."""
    return not Scope.of(person, Cap.STUDIOS).is_empty or (
        getattr(person, "is_authenticated", False) and Studio.objects.filter(leader=person).exists()
    )


@transaction.atomic
def save_craft(
    actor: Any,
    *,
    name: str,
    kind: str,
    creator: Any,
    studio: Studio | None,
    description: str,
    used_in: str,
    video_url: str = "",
    pictures: Sequence[Any] = (),
) -> Craft:
    """A 绝活 is named after the employee who created it: the name carries the creator's name (王伟拧紧法)."""
    if studio is not None:
        _require(may_manage(actor, studio), _("只有工作室领办人或工会、组织部工作人员可以登记绝活。"))
    else:
        _require(not Scope.of(actor, Cap.STUDIOS).is_empty, _("只有工会、组织部工作人员可以登记绝活。"))
    problems = []
    if kind not in CraftKind.values:
        problems.append(_("请选择绝活类别。"))
    if creator.name not in name:
        problems.append(
            _("绝活以创造者的名字命名，名称中须含“%(name)s”，例如“%(name)s拧紧法”。") % {"name": creator.name}
        )
    if len(description.strip()) < 10:
        problems.append(_("请写明绝活的内容（至少 10 个字）。"))
    if not used_in.strip():
        problems.append(_("请填写应用场景。"))
    if len(pictures) > MAX_PICTURES:
        problems.append(_("最多上传 %(n)s 张图片。") % {"n": MAX_PICTURES})
    if Craft.objects.filter(name=name.strip()).exists():
        problems.append(_("已有同名的绝活。"))
    if problems:
        raise ValidationError(problems)
    cleaned = [clean_picture(p, name_prefix="craft-") for p in pictures]
    craft = Craft.objects.create(
        name=name.strip(),
        kind=kind,
        creator=creator,
        studio=studio,
        description=description.strip(),
        used_in=used_in.strip(),
        video_url=video_url.strip(),
        created_by=actor,
    )
    for picture in cleaned:
        CraftPicture.objects.create(craft=craft, image=picture)
    record(actor, actions.STUDIOS_CRAFT_SAVE, craft, after={"name": craft.name, "creator": creator.name})
    return craft


def may_record_learner(person: Any, craft: Craft) -> bool:
    if craft.studio is not None:
        return may_manage(person, craft.studio)
    return not Scope.of(person, Cap.STUDIOS).is_empty


@transaction.atomic
def record_learner(actor: Any, craft: Craft, person: Any, *, learned_on: date | None = None) -> CraftLearner:
    _require(may_record_learner(actor, craft), _("只有工作室领办人或工会、组织部工作人员可以登记。"))
    if person.pk == craft.creator_id:
        raise ValidationError(_("创造者本人无需登记学会。"))
    learner, created = CraftLearner.objects.get_or_create(
        craft=craft, person=person, defaults={"learned_on": learned_on or clock.today()}
    )
    if not created:
        raise ValidationError(_("%(name)s 已登记学会该绝活。") % {"name": person.name})
    record(actor, actions.STUDIOS_CRAFT_LEARNED, craft, after={"person": person.name})
    return learner


# ------------------------------------------------------------------------------------------ honours


@transaction.atomic
def add_honour(
    actor: Any,
    *,
    kind: str,
    level: str,
    title: str,
    awarded_on: date,
    awarded_by: str = "",
    person: Any = None,
    organisation: Organisation | None = None,
) -> Honour:
    """Staff record an honour of a person (in their scope) or of an organisation (in their scope)."""
    if (person is None) == (organisation is None):
        raise ValidationError(_("请选择获得荣誉的个人或组织（二选一）。"))
    scope = Scope.of(actor, Cap.STUDIOS)
    if person is not None:
        scope.require(person=person)
    else:
        scope.require(organisation=organisation)
    if kind not in HonourKind.values or level not in HonourLevel.values or len(title.strip()) < 2:
        raise ValidationError(_("请填写荣誉名称，并选择类别和级别。"))
    if awarded_on > clock.today():
        raise ValidationError(_("授予日期不能晚于今天。"))
    honour = Honour.objects.create(
        person=person,
        organisation=organisation,
        kind=kind,
        level=level,
        title=title.strip(),
        awarded_on=awarded_on,
        awarded_by=awarded_by.strip(),
    )
    record(
        actor,
        actions.STUDIOS_HONOUR_ADD,
        honour,
        after={"title": honour.title, "holder": person.name if person else organisation.name},  # type: ignore[union-attr]
    )
    return honour


def recognise(
    *,
    title: str,
    people: Sequence[Any],
    organisations: Sequence[Organisation],
    awarded_on: date,
    source: str,
    awarded_by: str = "",
    kind: str = HonourKind.VANGUARD,
    level: str = HonourLevel.COMPANY,
) -> int:
    """An honour another procedure grants (a reviewed 支部先锋行动 project): one per person and organisation
    and ``source``, so recognising again adds nothing. The caller has checked its own permission. Returns how
    many honours are new."""
    awarded_by_name = Organisation.objects.filter(path=awarded_by).values_list("name", flat=True).first() or ""
    new = 0
    for holder in [*({"person": p} for p in people), *({"organisation": o} for o in organisations)]:
        _honour, created = Honour.objects.get_or_create(
            source=source,
            **holder,
            defaults={
                "kind": kind,
                "level": level,
                "title": title[:120],
                "awarded_on": awarded_on,
                "awarded_by": awarded_by_name,
            },
        )
        new += created
    return new


# ------------------------------------------------------------------------------------------ 师带徒


def _pair_url(pair: Pair) -> str:
    return reverse("studios:pair", args=[pair.pk])


@transaction.atomic
def create_pair(
    actor: Any,
    studio: Studio,
    *,
    mentor: Any,
    apprentice: Any,
    starts_on: date,
    ends_on: date,
    goals: str,
    skills: Sequence[tuple[str, date]],
) -> Pair:
    """The agreement: who teaches whom, the period and the skills with the date each should be mastered."""
    _require(may_manage(actor, studio), _("只有工作室领办人或工会、组织部工作人员可以结成师徒对子。"))
    problems = []
    if mentor.pk == apprentice.pk:
        problems.append(_("师傅和徒弟不能是同一人。"))
    if ends_on <= starts_on:
        problems.append(_("带教结束日期须晚于开始日期。"))
    if not skills:
        problems.append(_("请至少填写一项要学的技能。"))
    for name, due in skills:
        if not starts_on <= due <= ends_on:
            problems.append(_("技能“%(s)s”的计划日期须在带教期内。") % {"s": name})
    if Pair.objects.filter(studio=studio, mentor=mentor, apprentice=apprentice, status=PairStatus.ACTIVE).exists():
        problems.append(_("这对师徒已在带教中。"))
    if problems:
        raise ValidationError(problems)
    pair = Pair.objects.create(
        studio=studio,
        mentor=mentor,
        apprentice=apprentice,
        starts_on=starts_on,
        ends_on=ends_on,
        goals=goals.strip(),
        created_by=actor,
    )
    PairSkill.objects.bulk_create([PairSkill(pair=pair, name=name.strip()[:120], due_on=due) for name, due in skills])
    record(
        actor,
        actions.STUDIOS_PAIR_CREATE,
        pair,
        after={"mentor": mentor.name, "apprentice": apprentice.name, "skills": [s for s, _d in skills]},
    )
    notify.notify(
        [mentor, apprentice],
        kind="studios",
        url=_pair_url(pair),
        title=_("师带徒：%(m)s 带教 %(a)s（%(s)s）") % {"m": mentor.name, "a": apprentice.name, "s": studio.name},
    )
    return pair


def role_in(person: Any, pair: Pair) -> str:
    """ "mentor", "apprentice" or ""."""
    pk = getattr(person, "pk", None)
    if pk == pair.mentor_id:
        return "mentor"
    if pk == pair.apprentice_id:
        return "apprentice"
    return ""


@transaction.atomic
def check_in(actor: Any, pair: Pair, *, month: date, text: str) -> CheckIn:
    """The month's check-in of the mentor or the apprentice (one each a month, within the period)."""
    _require(bool(role_in(actor, pair)), _("只有师傅和徒弟本人可以记录月度交流。"))
    if pair.status != PairStatus.ACTIVE:
        raise ValidationError(_("已出师，不再记录月度交流。"))
    month = rules.month_start(month)
    if month > rules.month_start(clock.today()):
        raise ValidationError(_("不能记录以后月份的交流。"))
    if month < rules.month_start(pair.starts_on):
        raise ValidationError(_("带教从 %(d)s 开始，不能记录更早月份的交流。") % {"d": dates.day(pair.starts_on)})
    if len(text.strip()) < 10:
        raise ValidationError(_("请写明本月的带教或学习情况（至少 10 个字）。"))
    try:
        with transaction.atomic():
            found = CheckIn.objects.create(pair=pair, month=month, author=actor, text=text.strip())
    except IntegrityError as exc:
        raise ValidationError(_("您已记录过 %(m)s 的交流。") % {"m": dates.month(month)}) from exc
    notify.complete_tasks_for(CHECK_IN_SOURCE, f"{pair.pk}:{month:%Y-%m}:{actor.pk}")
    record(actor, actions.STUDIOS_CHECK_IN, pair, after={"month": f"{month:%Y-%m}"})
    return found


def may_sign(person: Any, skill: PairSkill) -> bool:
    """Whose turn it is: the mentor signs a skill being learned, then the studio's leader."""
    pair = skill.pair
    if pair.status != PairStatus.ACTIVE:
        return False
    if skill.state == SkillState.LEARNING:
        return getattr(person, "pk", None) == pair.mentor_id
    if skill.state == SkillState.MENTOR_SIGNED:
        return getattr(person, "pk", None) == pair.studio.leader_id
    return False


def _locked_skill(skill: PairSkill) -> PairSkill:
    return PairSkill.objects.select_for_update().select_related("pair__studio").get(pk=skill.pk)


@transaction.atomic
def sign_skill(actor: Any, skill: PairSkill) -> PairSkill:
    """The mentor signs first, then the studio leader; signing out of turn is refused with the reason."""
    skill = _locked_skill(skill)
    pair = skill.pair
    if skill.state == SkillState.SIGNED:
        raise ValidationError(_("该技能已签认完毕。"))
    if not may_sign(actor, skill):
        if skill.state == SkillState.LEARNING and actor.pk == pair.studio.leader_id:
            raise PermissionDenied(_("须先由师傅签认，再由工作室领办人签认。"))
        raise PermissionDenied(
            _("现在应由师傅签认。") if skill.state == SkillState.LEARNING else _("现在应由工作室领办人签认。")
        )
    now = clock.now()
    if skill.state == SkillState.LEARNING:
        skill.state, skill.mentor_signed_at = SkillState.MENTOR_SIGNED, now
        notify.add_task(
            pair.studio.leader,
            _("签认技能：%(a)s 的“%(s)s”") % {"a": pair.apprentice.name, "s": skill.name},
            source_type=SIGN_SOURCE,
            source_id=str(skill.pk),
            url=_pair_url(pair),
        )
    else:
        skill.state, skill.leader_signed_at, skill.leader_signed_by = SkillState.SIGNED, now, actor
        notify.complete_tasks_for(SIGN_SOURCE, str(skill.pk))
        notify.notify(
            [pair.apprentice, pair.mentor],
            kind="studios",
            url=_pair_url(pair),
            title=_("技能“%(s)s”已签认") % {"s": skill.name},
        )
    skill.refusal, skill.refused_by = "", None
    skill.save()
    record(actor, actions.STUDIOS_SKILL_SIGN, pair, after={"skill": skill.name, "state": skill.get_state_display()})
    return skill


@transaction.atomic
def refuse_skill(actor: Any, skill: PairSkill, *, reason: str) -> PairSkill:
    """Whoever's turn it is may refuse to sign, with a reason: the skill goes back to 学习中."""
    skill = _locked_skill(skill)
    _require(may_sign(actor, skill), _("现在不是由您签认该技能。"))
    if len(reason.strip()) < 4:
        raise ValidationError(_("请写明不予签认的原因（至少 4 个字）。"))
    skill.state, skill.mentor_signed_at = SkillState.LEARNING, None
    skill.refusal, skill.refused_by = reason.strip()[:300], actor
    skill.save()
    notify.complete_tasks_for(SIGN_SOURCE, str(skill.pk))
    pair = skill.pair
    notify.notify(
        [pair.apprentice, pair.mentor],
        kind="studios",
        url=_pair_url(pair),
        title=_("技能“%(s)s”未予签认：%(r)s") % {"s": skill.name, "r": skill.refusal},
    )
    record(actor, actions.STUDIOS_SKILL_REFUSE, pair, after={"skill": skill.name}, reason=skill.refusal)
    return skill


def may_finish(person: Any, pair: Pair) -> bool:
    return pair.status == PairStatus.ACTIVE and may_manage(person, pair.studio)


@transaction.atomic
def finish_pair(actor: Any, pair: Pair, *, result: str, grade_gained: str = "", crafts: Sequence[Craft] = ()) -> Pair:
    """出师: every skill signed; the grade gained is counted as the studio's achievement and the 绝活 learned
    are recorded for the apprentice."""
    pair = Pair.objects.select_for_update().select_related("studio", "apprentice").get(pk=pair.pk)
    _require(may_finish(actor, pair), _("只有工作室领办人或工会、组织部工作人员可以确认出师。"))
    unsigned = [s.name for s in pair.skills.exclude(state=SkillState.SIGNED)]
    if unsigned:
        raise ValidationError(_("以下技能尚未签认完毕：%(s)s") % {"s": "、".join(unsigned)})
    if len(result.strip()) < 4:
        raise ValidationError(_("请写明带教成果。"))
    today = clock.today()
    pair.status, pair.finished_on = PairStatus.FINISHED, today
    pair.result, pair.grade_gained = result.strip(), grade_gained.strip()
    pair.save()
    pair.crafts_learned.set(crafts)
    for craft in crafts:
        if craft.creator_id != pair.apprentice_id:
            CraftLearner.objects.get_or_create(craft=craft, person=pair.apprentice, defaults={"learned_on": today})
    if pair.grade_gained:
        Achievement.objects.create(
            studio=pair.studio,
            kind=AchievementKind.GRADE,
            title=_("%(n)s 取得%(g)s") % {"n": pair.apprentice.name, "g": pair.grade_gained},
            achieved_on=today,
            person=pair.apprentice,
            created_by=actor,
        )
    record(
        actor,
        actions.STUDIOS_PAIR_FINISH,
        pair,
        after={"grade": pair.grade_gained, "crafts": [c.name for c in crafts]},
    )
    return pair
