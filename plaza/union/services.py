"""Every write of 工会: joining, approval, moves and leaving; union dues; care cases and payments; hardship files,
reviews and help applications. Each function is one intention, transactional, permission-checked and audited.

Who decides: a person holding ``Cap.UNION`` over the union organisation of the member (the union committee of
their unit: a 分工会's 主席 over its 工会小组, the company union's 主席 over everything). Help is verified by
that committee and approved by the company union (a holder of ``Cap.UNION`` over the top union organisation),
never by the person who verified it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from plaza.accounts.models import Person
from plaza.audit import actions
from plaza.audit.services import record
from plaza.lib import clock
from plaza.lib.crypto import blind_index
from plaza.lib.images import clean_picture
from plaza.localrules import services as localrules
from plaza.notify import services as notify
from plaza.orgs.models import Membership, Organisation, Position, Title, Tree
from plaza.orgs.permissions import Cap, Scope
from plaza.rules import union as rules
from plaza.rules.dates import add_months, month_start
from plaza.rules.workdays import add_working_days

from .models import (
    BATCH_KINDS,
    CARE_KINDS,
    CHILDBIRTH_KINDS,
    HELP_KINDS,
    Area,
    CareCase,
    CaseOrigin,
    CaseStatus,
    Cause,
    DuesMethod,
    DuesPayment,
    FileStatus,
    HardshipFile,
    HelpApplication,
    HelpStatus,
    Kind,
    Member,
    MemberMove,
    MemberStatus,
    Payment,
    Provision,
    Review,
    Wage,
    WageSource,
)

MEMBER_TASK = "union-member"
CARE_TASK = "union-care"
BIRTHDAY_TASK = "union-birthdays"
HELP_TASK = "union-help"
REVIEW_TASK = "union-review"
#: 分工会审核后 15 个工作日内办结 (the demo's 《工会会员福利待遇》一、1): the approval to-do's due date.
JOIN_WORKING_DAYS = 15
#: 分工会在 10 个工作日内上门走访核实 (《困难职工帮扶补助办法》四、2): the verification to-do's due date.
VISIT_WORKING_DAYS = 10
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCUMENT_TYPES = {".pdf": b"%PDF", ".jpg": b"\xff\xd8", ".jpeg": b"\xff\xd8", ".png": b"\x89PNG"}


def school_year_name(start: int) -> str:
    """A school year in the reader's language (``rules.school_year_label`` is the rules' own Chinese name):
    2026 → "2026—2027 学年" / "school year 2026–2027"."""
    return _("%(start)s—%(end)s 学年") % {"start": start, "end": start + 1}


# ------------------------------------------------------------------------------------------ organisations


def union_organisation_of(person: Person) -> Organisation | None:
    """The union organisation that covers the person's workplace: their current membership in the union tree
    (kept by the organisation tree, moved with their job)."""
    found = (
        Membership.objects.filter(person=person, tree=Tree.UNION, until__isnull=True)
        .select_related("organisation")
        .first()
    )
    return found.organisation if found else None


def top_union_of(organisation: Organisation) -> Organisation:
    """The company union (the top of the union tree) above ``organisation``."""
    return Organisation.objects.get(path=organisation.path[: Organisation.steplen])


def officers_by_path() -> dict[str, list[int]]:
    """Person ids of the current 工会主席 of each union organisation, by path (read once for a sweep)."""
    found: dict[str, list[int]] = defaultdict(list)
    rows = Position.objects.current().filter(title=Title.UNION_CHAIR, organisation__tree=Tree.UNION)
    for path, person_id in rows.values_list("organisation__path", "person_id"):
        found[path].append(person_id)
    return found


def responsible_officers(organisation: Organisation, chairs: dict[str, list[int]] | None = None) -> list[int]:
    """The union officers who act for a member of ``organisation``: the 主席 of the nearest organisation at or
    above it that has one."""
    chairs = officers_by_path() if chairs is None else chairs
    for path in reversed(Organisation.paths_above(organisation.path)):
        if chairs.get(path):
            return chairs[path]
    return []


def task_for_officers(
    organisation: Organisation, title: str, *, source_type: str, source_id: Any, url: str, due_on: date | None = None
) -> int:
    """Put a to-do on the responsible officers of ``organisation`` (public: the demo puts the same to-dos)."""
    ids = responsible_officers(organisation)
    for person in Person.objects.filter(pk__in=ids):
        notify.add_task(person, title, source_type=source_type, source_id=str(source_id), url=url, due_on=due_on)
    return len(ids)


def may_manage(actor: Any, organisation: Organisation) -> bool:
    """``actor`` is on the union committee over ``organisation`` (may decide for its members)."""
    return Scope.of(actor, Cap.UNION).covers(organisation)


def _require_union(actor: Any, organisation: Organisation) -> None:
    if not may_manage(actor, organisation):
        raise PermissionDenied(_("您不是该会员所在工会组织的工会委员会成员，不能办理此事项。"))


# ------------------------------------------------------------------------------------------ membership


def active_member(person: Person) -> Member | None:
    """The person's current membership (approved, not left), or None."""
    return Member.objects.filter(person=person, status=MemberStatus.ACTIVE).select_related("organisation").first()


def may_apply(person: Person) -> bool:
    """An employee without an open application or membership may apply."""
    if not getattr(person, "is_authenticated", False) or not person.is_active:
        return False
    return not Member.objects.filter(person=person, status__in=[MemberStatus.APPLIED, MemberStatus.ACTIVE]).exists()


def apply_to_join(person: Person, statement: str = "") -> Member:
    """入会申请: an employee (living mainly on wages: an active employee of the enterprise) applies; the union
    committee of their unit decides (《中国工会章程》, rulebook 11)."""
    if not person.is_active:
        raise ValidationError(_("只有在职职工可以申请加入工会。"))
    organisation = union_organisation_of(person)
    if organisation is None:
        raise ValidationError(_("您还没有编入工会组织（工会小组或分工会），请联系所在单位的分工会。"))
    with transaction.atomic():
        if not may_apply(person):
            raise ValidationError(_("您已经是工会会员，或入会申请正在审批中。"))
        try:
            with transaction.atomic():
                member = Member.objects.create(
                    person=person, organisation=organisation, applied_on=clock.today(), statement=statement[:500]
                )
        except IntegrityError:
            raise ValidationError(_("您已经是工会会员，或入会申请正在审批中。")) from None
        record(person, actions.UNION_APPLY, member, after={"organisation": organisation.name})
        task_for_officers(
            organisation,
            _("审批入会申请：%(name)s") % {"name": person.name},
            source_type=MEMBER_TASK,
            source_id=member.pk,
            url=reverse("union:office_member", args=[member.pk]),
            due_on=add_working_days(member.applied_on, JOIN_WORKING_DAYS),
        )
    return member


def member_number(employee_no: str, joined_on: date) -> str:
    """会员证号: GH, the year of joining and the 工号 (unique among current members: one membership a person)."""
    return f"GH{joined_on.year}{employee_no}"


def decide_membership(actor: Any, member: Member, *, approve: bool, note: str = "") -> Member:
    """The union committee approves (a membership number and the card) or refuses an application."""
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        _require_union(actor, member.organisation)
        if member.status != MemberStatus.APPLIED:
            raise ValidationError(_("该入会申请已经处理过了。"))
        if approve:
            today = clock.today()
            member.status = MemberStatus.ACTIVE
            member.joined_on = today
            member.number = member_number(member.person.employee_no, today)
        else:
            if not note.strip():
                raise ValidationError(_("不批准入会时请写明理由，申请人会看到。"))
            member.status = MemberStatus.REJECTED
        member.decided_by = actor
        member.decision_note = note[:255]
        member.save()
        record(
            actor,
            actions.UNION_DECIDE,
            member,
            after={"status": member.status, "number": member.number},
            reason=note,
        )
        notify.complete_tasks_for(MEMBER_TASK, str(member.pk))
        title = _("您已加入工会，会员证号 %(no)s") % {"no": member.number} if approve else _("您的入会申请未获批准")
        notify.notify([member.person], kind="union", title=title, body=note, url=reverse("union:index"))
    return member


def leave_union(actor: Any, member: Member, *, reason: str, on: date | None = None) -> Member:
    """退会: by the member or recorded by the union committee (retirement, leaving the enterprise)."""
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        if getattr(actor, "pk", None) != member.person_id:
            _require_union(actor, member.organisation)
        if member.status != MemberStatus.ACTIVE:
            raise ValidationError(_("只有在册会员可以办理退会。"))
        if not reason.strip():
            raise ValidationError(_("请写明退会原因。"))
        member.status = MemberStatus.LEFT
        member.left_on = on or clock.today()
        member.left_reason = reason[:255]
        member.save()
        record(actor, actions.UNION_LEAVE, member, after={"left_on": member.left_on}, reason=reason)
    return member


def follow_job_move(person: Person, actor: Any = None) -> MemberMove | None:
    """The membership moves with the person: when their union organisation in the tree changed (a job move
    recorded in plaza.orgs), the open application or membership follows it. Idempotent."""
    organisation = union_organisation_of(person)
    if organisation is None:
        return None
    member = Member.objects.filter(person=person, status__in=[MemberStatus.APPLIED, MemberStatus.ACTIVE]).first()
    if member is None or member.organisation_id == organisation.pk:
        return None
    with transaction.atomic():
        move = MemberMove.objects.create(
            member=member,
            from_organisation_id=member.organisation_id,
            to_organisation=organisation,
            moved_on=clock.today(),
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        old = member.organisation.name
        member.organisation = organisation
        member.save(update_fields=["organisation"])
        record(
            actor, actions.UNION_MOVE, member, before={"organisation": old}, after={"organisation": organisation.name}
        )
    return move


def on_placement_changed(sender: Any, person: Person, **kwargs: Any) -> None:
    """Receiver of ``plaza.orgs.signals.placement_changed``."""
    follow_job_move(person, kwargs.get("actor"))


# ------------------------------------------------------------------------------------------ dues


def record_payroll_wages(actor: Any, month: date, wages: dict[int, Decimal]) -> int:
    """The wages of non-Party employees from the Party dues payroll import (one import, both ledgers): a new
    union wage row for each active union member whose wage in force differs. Party members are read from their
    dues bases (queries.wages_on). Returns the rows written; audited with the import."""
    month = month_start(month)
    members = set(
        Member.objects.filter(person_id__in=list(wages), status=MemberStatus.ACTIVE).values_list("person_id", flat=True)
    )
    current: dict[int, Decimal] = {}
    for person_id, wage in (
        Wage.objects.filter(person_id__in=members, effective_from__lte=month)
        .order_by("person_id", "effective_from", "id")
        .values_list("person_id", "wage")
    ):
        current[person_id] = wage
    new = [
        Wage(person_id=pid, wage=wages[pid], effective_from=month, source=WageSource.PAYROLL, recorded_by=actor)
        for pid in sorted(members)
        if current.get(pid) != wages[pid]
    ]
    with transaction.atomic():
        Wage.objects.bulk_create(new, batch_size=5000)
        if new:
            record(
                actor,
                actions.UNION_WAGES_IMPORT,
                object_type="union.wage",
                after={"month": month, "rows": len(wages), "created": len(new), "source": WageSource.PAYROLL},
            )
    return len(new)


def on_payroll_wages(sender: Any, actor: Any, month: date, wages: dict[int, Decimal], **kwargs: Any) -> int:
    """Receiver of ``plaza.dues.signals.payroll_wages_imported``."""
    return record_payroll_wages(actor, month, wages)


def dues_base_share(organisation: Organisation) -> Fraction:
    value = localrules.value(organisation, "union.dues_base_share")
    return value if isinstance(value, Fraction) else Fraction(value)


def record_dues(actor: Any, organisation: Organisation, month: date, lines: list[Any], *, paid_on: date) -> int:
    """Record the month's dues of every member on the roll who owes and has not paid (工资代扣, the payroll
    deducts them): one ledger entry per member and month. ``lines`` come from ``queries.dues_roll``."""
    _require_union(actor, organisation)
    month = month_start(month)
    if month > month_start(clock.today()):
        raise ValidationError(_("不能登记尚未到来月份的会费。"))
    new = [
        DuesPayment(
            member_id=line.member.pk,
            organisation_id=line.member.organisation_id,
            month=month,
            wage=line.wage,
            amount=line.due,
            method=DuesMethod.PAYROLL,
            paid_on=paid_on,
            recorded_by=actor,
        )
        for line in lines
        if line.due is not None and line.due > 0 and not line.paid
    ]
    with transaction.atomic():
        already = set(
            DuesPayment.objects.filter(
                member_id__in=[p.member_id for p in new], month=month, corrects__isnull=True
            ).values_list("member_id", flat=True)
        )
        new = [p for p in new if p.member_id not in already]
        DuesPayment.objects.bulk_create(new, batch_size=2000)
        record(
            actor,
            actions.UNION_DUES_PAY,
            object_type="union.duespayment",
            object_repr=f"{organisation.name} {month:%Y-%m}",
            after={"month": month, "count": len(new), "amount": sum((p.amount for p in new), Decimal(0))},
        )
    return len(new)


# ------------------------------------------------------------------------------------------ provisions


def provision_for(organisation: Organisation, kind: str) -> Provision | None:
    """The 办法 in force for ``kind`` at ``organisation``: the nearest active setting at or above it."""
    rows = {
        p.organisation.path: p
        for p in Provision.objects.filter(
            kind=kind, active=True, organisation__path__in=Organisation.paths_above(organisation.path)
        ).select_related("organisation")
    }
    for path in reversed(Organisation.paths_above(organisation.path)):
        if path in rows:
            return rows[path]
    return None


def as_amount(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").strip()).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("金额应为数字，如 500 或 500.00。")) from None
    if not amount.is_finite() or amount < 0 or amount > Decimal("1000000"):
        raise ValidationError(_("金额应在 0 到 1,000,000 元之间。"))
    return amount


def set_provision(
    actor: Any,
    organisation: Organisation,
    kind: str,
    *,
    amount: Any,
    measure: str,
    article: str,
    goods: str = "",
    per_year: int | None = None,
    apply_within_days: int | None = None,
    member_months: int | None = None,
    extended_within_days: int | None = None,
    extra_per_child: Any = 0,
    active: bool = True,
) -> Provision:
    """Set one kind's amount, limits and 办法 article for an organisation and its subtree (本单位规定)."""
    _require_union(actor, organisation)
    if kind not in Kind.values:
        raise ValidationError(_("未知的慰问帮扶类别。"))
    if not measure.strip() or not article.strip():
        raise ValidationError(_("请写明依据的办法和条款：每笔发放都要注明。"))
    value = as_amount(amount)
    extra = as_amount(extra_per_child or 0)
    if extended_within_days and (not apply_within_days or extended_within_days <= apply_within_days):
        raise ValidationError(_("延长后的期限应长于申请期限。"))
    with transaction.atomic():
        provision, created = Provision.objects.select_for_update().get_or_create(
            organisation=organisation,
            kind=kind,
            defaults={"amount": value, "measure": measure, "article": article, "updated_by": actor},
        )
        before = {"amount": provision.amount, "per_year": provision.per_year, "article": provision.article}
        provision.amount, provision.goods, provision.per_year = value, goods[:128], per_year
        provision.apply_within_days, provision.measure, provision.article = apply_within_days, measure, article
        provision.member_months = member_months
        provision.extended_within_days, provision.extra_per_child = extended_within_days, extra
        provision.active, provision.updated_by = active, actor
        provision.save()
        record(
            actor,
            actions.UNION_PROVISION,
            provision,
            before=None if created else before,
            after={"amount": value, "per_year": per_year, "article": article},
        )
    return provision


# ------------------------------------------------------------------------------------------ care


def care_problem(person: Person, provision: Provision, event_on: date, *, exclude_case: int | None = None) -> str:
    """Why a care payment for this event may not be made (empty when it may): once per event, and the yearly
    limit, each refusal naming the 办法 and article."""
    paid = Payment.objects.filter(person=person, area=Area.CARE, kind=provision.kind)
    same = paid.filter(event_on=event_on).first()
    label = Kind(provision.kind).label
    if same is not None:
        return _("同一事项只慰问一次：%(name)s %(day)s 的%(kind)s已于 %(paid)s 发放（%(source)s）。") % {
            "name": person.name,
            "day": event_on,
            "kind": label,
            "paid": same.paid_on,
            "source": provision.source,
        }
    if provision.per_year:
        count = paid.filter(event_on__year=event_on.year).count()
        if count >= provision.per_year:
            return _("%(kind)s每年最多 %(n)s 次，%(name)s %(year)s 年已发放 %(count)s 次（%(source)s）。") % {
                "kind": label,
                "n": provision.per_year,
                "name": person.name,
                "year": event_on.year,
                "count": count,
                "source": provision.source,
            }
    return ""


def couple_problem(person: Person, spouse: Person | None, event_on: date, *, exclude_case: int | None = None) -> str:
    """生育慰问 when both parents are members: one application for the birth (``CHILDBIRTH_ARTICLES["couple"]``).
    Refused when the named spouse already applied for a birth on that day, or someone applied naming this
    person as their spouse."""
    cases = CareCase.objects.filter(kind__in=CHILDBIRTH_KINDS, event_on=event_on).exclude(status=CaseStatus.REJECTED)
    if exclude_case is not None:
        cases = cases.exclude(pk=exclude_case)
    others = cases.filter(spouse=person).exclude(person=person)
    if spouse is not None:
        others = others | cases.filter(person=spouse)
    other = others.select_related("person").first()
    if other is None:
        return ""
    return _(
        "夫妻双方都是工会会员的，同一次生育只能由一方申请，不重复慰问："
        "%(name)s 已为 %(day)s 出生的孩子申请（%(source)s）。"
    ) % {"name": other.person.name, "day": event_on, "source": rules.CHILDBIRTH_ARTICLES["couple"]}


def case_problem(case: CareCase, provision: Provision) -> str:
    """Why a pending care case may not be paid (empty when it may), as the officer sees it before deciding."""
    problem = care_problem(case.person, provision, case.event_on)
    if not problem and case.kind in CHILDBIRTH_KINDS:
        problem = couple_problem(case.person, case.spouse, case.event_on, exclude_case=case.pk)
    return problem


def care_amount(provision: Provision, children: int = 1) -> Decimal:
    """The care payment by the 办法 in force: 生育慰问 adds the amount per extra baby (twins …)."""
    if provision.kind in CHILDBIRTH_KINDS:
        return rules.childbirth_amount(provision.amount, max(children, 1), provision.extra_per_child)
    return provision.amount


def _clean_document(upload: IO[bytes] | None, prefix: str) -> ContentFile | None:
    """A proof document (PDF or a scan): its kind checked by its first bytes, renamed."""
    if upload is None:
        return None
    name = getattr(upload, "name", "") or ""
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    magic = DOCUMENT_TYPES.get(suffix)
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("文件太大，请上传不超过 10 MB 的文件。"))
    data = upload.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("文件太大，请上传不超过 10 MB 的文件。"))
    if magic is None or not data.startswith(magic):
        raise ValidationError(_("证明文件请上传 PDF、JPG 或 PNG 格式。"))
    return ContentFile(data, name=f"{prefix}{clock.now():%Y%m%d%H%M%S%f}{suffix}")


#: What a member applies for: birthdays come by themselves (the daily pass), a member's death is reported by
#: the family or the 分工会 (an HR import or the officer's record), festival care is paid to every member.
APPLICABLE_CARE_KINDS = tuple(k for k in CARE_KINDS if k not in (Kind.BIRTHDAY, Kind.DEATH, *BATCH_KINDS))
MAX_CHILDREN = 6


def may_apply_care(person: Person) -> bool:
    return active_member(person) is not None


def apply_for_care(
    person: Person,
    kind: str,
    event_on: date,
    *,
    note: str = "",
    photo: IO[bytes] | None = None,
    document: IO[bytes] | None = None,
    children: int = 1,
    spouse_no: str = "",
    late_reason: str = "",
) -> CareCase:
    """A member applies for care with proof (a photo of the certificate, or a document). For a birth: the
    number of babies (each one beyond the first adds the 办法's amount) and the spouse's 工号 when the spouse is
    a member too (one application per birth). After the time to apply, a written reason extends it to the
    办法's longer limit (the 分工会主席 decides when approving)."""
    member = active_member(person)
    if member is None:
        raise ValidationError(_("慰问只发给工会会员：请先在“工会会员”页面申请入会。"))
    if kind not in APPLICABLE_CARE_KINDS:
        raise ValidationError(_("请选择慰问类别。"))
    provision = provision_for(member.organisation, kind)
    if provision is None:
        raise ValidationError(_("所在工会还没有设置这类慰问的标准，请咨询分工会。"))
    today = clock.today()
    if event_on > today:
        raise ValidationError(_("事件日期不能晚于今天。"))
    children = children or 1
    if kind not in CHILDBIRTH_KINDS:
        children, spouse_no = 1, ""
    if not 1 <= children <= MAX_CHILDREN:
        raise ValidationError(_("孩子数应在 1 到 %(n)s 之间。") % {"n": MAX_CHILDREN})
    window = rules.apply_window(event_on, today, provision.apply_within_days, provision.extended_within_days)
    late_reason = late_reason.strip()
    if window == "late" or (window == "extension" and not late_reason):
        if window == "extension":
            message = _(
                "已超过申请期限（事件发生后 %(days)s 天内申请）。因特殊原因未能按时申请的，请在“逾期申请理由”中"
                "书面说明，经分工会主席同意可延长至 %(extended)s 天（%(source)s）。"
            )
        elif provision.extended_within_days:
            message = _(
                "已超过申请期限：事件发生后 %(days)s 天内申请，有特殊原因的最长 %(extended)s 天，"
                "逾期视为放弃（%(source)s）。"
            )
        else:
            message = _("已超过申请期限：事件发生后 %(days)s 天内申请（%(source)s）。")
        raise ValidationError(
            message
            % {
                "days": provision.apply_within_days,
                "extended": provision.extended_within_days,
                "source": provision.source,
            }
        )
    if window == "on_time":
        late_reason = ""
    spouse = None
    if spouse_no.strip():
        spouse = Person.objects.filter(employee_no=spouse_no.strip()).first()
        if spouse is None or active_member(spouse) is None:
            raise ValidationError(
                _("没有找到工号为 %(no)s 的工会会员：配偶不是公司工会会员的，此项不填。") % {"no": spouse_no.strip()}
            )
        if spouse.pk == person.pk:
            raise ValidationError(_("配偶工号请填写配偶的工号，不是本人的。"))
    if kind in CHILDBIRTH_KINDS:
        problem = couple_problem(person, spouse, event_on)
        if problem:
            raise ValidationError(problem)
    if (
        provision.member_months
        and member.joined_on
        and add_months(member.joined_on, provision.member_months) > event_on
    ):
        raise ValidationError(
            _("入会满 %(n)s 个月后发生的事项才在慰问范围内（您 %(joined)s 入会，%(measure)s）。")
            % {"n": provision.member_months, "joined": member.joined_on, "measure": provision.measure}
        )
    if photo is None and document is None:
        raise ValidationError(_("请上传证明材料的照片或文件（如出生医学证明、住院证明）。"))
    problem = care_problem(person, provision, event_on)
    if problem:
        raise ValidationError(problem)
    picture = clean_picture(photo, name_prefix="care-") if photo is not None else None
    file = _clean_document(document, "care-")
    with transaction.atomic():
        try:
            with transaction.atomic():
                case = CareCase.objects.create(
                    person=person,
                    organisation=member.organisation,
                    kind=kind,
                    event_on=event_on,
                    origin=CaseOrigin.APPLIED,
                    note=note[:500],
                    children=children,
                    spouse=spouse,
                    late_reason=late_reason[:500],
                )
        except IntegrityError:
            raise ValidationError(_("这件事已经申请过了，请在“我的申请”中查看进度。")) from None
        if picture is not None:
            case.photo.save(picture.name, picture, save=False)
        if file is not None:
            case.document.save(file.name, file, save=False)
        case.save()
        record(
            person,
            actions.UNION_CARE_APPLY,
            case,
            after={"kind": kind, "event_on": event_on, "children": children, "late": bool(late_reason)},
        )
        task_for_officers(
            member.organisation,
            _("审核%(kind)s：%(name)s") % {"kind": Kind(kind).label, "name": person.name},
            source_type=CARE_TASK,
            source_id=case.pk,
            url=reverse("union:office_case", args=[case.pk]),
        )
    return case


def open_care_case(
    actor: Any, person: Person, kind: str, event_on: date, *, origin: str = CaseOrigin.OFFICER, note: str = ""
) -> CareCase | None:
    """A care event known from Plaza's data (an HR import, the officer's own record): a pending case on the
    responsible officer's to-do list. None when the event is already on record (idempotent)."""
    member = active_member(person)
    if member is None or kind not in CARE_KINDS or kind in BATCH_KINDS:
        return None
    if actor is not None:
        _require_union(actor, member.organisation)
    if (
        CareCase.objects.filter(person=person, kind=kind, event_on=event_on)
        .exclude(status=CaseStatus.REJECTED)
        .exists()
    ):
        return None
    case = CareCase.objects.create(
        person=person, organisation=member.organisation, kind=kind, event_on=event_on, origin=origin, note=note[:500]
    )
    task_for_officers(
        member.organisation,
        _("%(kind)s：%(name)s（%(day)s）") % {"kind": Kind(kind).label, "name": person.name, "day": event_on},
        source_type=CARE_TASK,
        source_id=case.pk,
        url=reverse("union:office_case", args=[case.pk]),
    )
    return case


def pay_care(actor: Any, case: CareCase, *, note: str = "", paid_on: date | None = None) -> Payment:
    """Approve a care case and record its payment by the 办法 in force: refused (naming the 办法 and article)
    when the event was already paid or the year's limit is reached."""
    with transaction.atomic():
        case = (
            CareCase.objects.select_for_update(of=("self",))
            .select_related("person", "organisation", "spouse")
            .get(pk=case.pk)
        )
        _require_union(actor, case.organisation)
        if case.status != CaseStatus.PENDING:
            raise ValidationError(_("该慰问事项已经处理过了。"))
        provision = provision_for(case.organisation, case.kind)
        if provision is None:
            raise ValidationError(_("所在工会还没有设置这类慰问的标准。"))
        problem = case_problem(case, provision)
        if problem:
            raise ValidationError(problem)
        try:
            with transaction.atomic():
                payment = Payment.objects.create(
                    person=case.person,
                    organisation=case.organisation,
                    area=Area.CARE,
                    kind=case.kind,
                    event_on=case.event_on,
                    amount=care_amount(provision, case.children),
                    goods=provision.goods,
                    measure=provision.measure,
                    article=provision.article,
                    paid_on=paid_on or clock.today(),
                    case=case,
                    recorded_by=actor,
                )
        except IntegrityError:  # a concurrent payment for the same event won the race
            raise ValidationError(care_problem(case.person, provision, case.event_on) or _("已发放。")) from None
        case.status = CaseStatus.PAID
        case.decided_by, case.decided_at, case.decision_note = actor, clock.now(), note[:255]
        case.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        record(
            actor,
            actions.UNION_PAYMENT,
            payment,
            after={"kind": case.kind, "amount": payment.amount, "source": payment.source},
        )
        notify.complete_tasks_for(CARE_TASK, str(case.pk))
        notify.notify(
            [case.person],
            kind="union",
            title=_("%(kind)s已发放：%(amount)s 元") % {"kind": Kind(case.kind).label, "amount": payment.amount},
            body=provision.goods,
            url=reverse("union:care_case", args=[case.pk]),
        )
    return payment


def refuse_care(actor: Any, case: CareCase, *, note: str) -> CareCase:
    with transaction.atomic():
        case = CareCase.objects.select_for_update().select_related("person", "organisation").get(pk=case.pk)
        _require_union(actor, case.organisation)
        if case.status != CaseStatus.PENDING:
            raise ValidationError(_("该慰问事项已经处理过了。"))
        if not note.strip():
            raise ValidationError(_("不予发放时请写明理由，申请人会看到。"))
        case.status = CaseStatus.REJECTED
        case.decided_by, case.decided_at, case.decision_note = actor, clock.now(), note[:255]
        case.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        record(actor, actions.UNION_CARE_DECIDE, case, after={"status": case.status}, reason=note)
        notify.complete_tasks_for(CARE_TASK, str(case.pk))
        notify.notify(
            [case.person],
            kind="union",
            title=_("您的%(kind)s申请未通过") % {"kind": Kind(case.kind).label},
            body=note,
            url=reverse("union:care_case", args=[case.pk]),
        )
    return case


# ------------------------------------------------------------------------------------------ hardship


def _line(organisation: Organisation) -> Decimal:
    return Decimal(str(localrules.value(organisation, "union.hardship_line")))


def _review_month(organisation: Organisation) -> int:
    return int(localrules.value(organisation, "union.hardship_review_month"))


def _family(family_size: Any, family_income: Any) -> tuple[int, Decimal]:
    try:
        size = int(family_size)
    except (TypeError, ValueError):
        size = 0
    if not 1 <= size <= 30:
        raise ValidationError(_("家庭人口应在 1 到 30 人之间。"))
    return size, as_amount(family_income)


def open_hardship_file(
    actor: Any,
    person: Person,
    *,
    family_size: int,
    family_income: Any,
    causes: list[str],
    circumstances: str = "",
    phone: str = "",
) -> HardshipFile:
    """一户一档: the union committee over the member opens a hardship file; the income per head is compared
    with the local hardship line (本单位规定) and the yearly review set by the review month."""
    member = active_member(person)
    if member is None:
        raise ValidationError(_("困难档案只为在册工会会员建立。"))
    _require_union(actor, member.organisation)
    size, income = _family(family_size, family_income)
    causes = [c for c in causes if c in Cause.values]
    if not causes:
        raise ValidationError(_("请选择致困原因。"))
    per_head = rules.income_per_head(income, size)
    line = _line(member.organisation)
    below = rules.below_line(per_head, line)
    sudden = {Cause.ILLNESS, Cause.ACCIDENT, Cause.DISASTER} & set(causes)
    if not below and not sudden:
        raise ValidationError(
            _(
                "家庭人均月收入 %(per)s 元不低于困难标准 %(line)s 元（本单位规定），且不是因病、意外或灾害致困，"
                "不能建档（《困难职工帮扶补助办法》第一条）。"
            )
            % {"per": per_head, "line": line}
        )
    today = clock.today()
    with transaction.atomic():
        try:
            with transaction.atomic():
                file = HardshipFile.objects.create(
                    person=person,
                    organisation=member.organisation,
                    family_size=size,
                    family_income=income,
                    per_head=per_head,
                    below_line=below,
                    line=line,
                    causes=",".join(causes),
                    circumstances=circumstances[:4000],
                    phone=phone[:32],
                    opened_on=today,
                    next_review_on=rules.next_review(today, _review_month(member.organisation)),
                    opened_by=actor,
                )
        except IntegrityError:
            raise ValidationError(_("该职工已有在档的困难档案。")) from None
        record(actor, actions.UNION_HARDSHIP_FILE, file, after={"per_head": per_head, "causes": file.causes})
    return file


def view_hardship_file(actor: Any, file: HardshipFile, *, reason: str = "") -> HardshipFile:
    """The full file (circumstances, phone) for an officer over the member: each full view audited."""
    _require_union(actor, file.organisation)
    record(actor, actions.UNION_FILE_VIEW, file, reason=reason)
    return file


def review_hardship_file(
    actor: Any, file: HardshipFile, *, keep: bool, family_size: Any, family_income: Any, note: str = ""
) -> Review:
    """The yearly review (分工会每年复核): kept with new figures and the next review date, or closed."""
    with transaction.atomic():
        file = HardshipFile.objects.select_for_update().get(pk=file.pk)
        _require_union(actor, file.organisation)
        if file.status != FileStatus.OPEN:
            raise ValidationError(_("该档案已退出，不需要复核。"))
        size, income = _family(family_size, family_income)
        today = clock.today()
        review = Review.objects.create(
            file=file,
            reviewed_on=today,
            keep=keep,
            family_income=income,
            family_size=size,
            note=note[:2000],
            reviewed_by=actor,
        )
        file.family_size, file.family_income = size, income
        file.per_head = rules.income_per_head(income, size)
        file.below_line = rules.below_line(file.per_head, _line(file.organisation))
        file.last_review_on = today
        file.next_review_on = rules.next_review(today, _review_month(file.organisation))
        if not keep:
            file.status, file.closed_on = FileStatus.CLOSED, today
        file.save()
        record(
            actor,
            actions.UNION_HARDSHIP_REVIEW,
            file,
            after={"keep": keep, "per_head": file.per_head, "next_review_on": file.next_review_on},
        )
        notify.complete_tasks_for(REVIEW_TASK, str(file.pk))
    return review


def apply_for_help(
    person: Person,
    kind: str,
    requested: Any,
    *,
    reason: str,
    document: IO[bytes] | None = None,
    child_name: str = "",
    school_year: int | None = None,
) -> HelpApplication:
    """An employee applies for 临时救助, 金秋助学 or medical help, with documents. 金秋助学 and the daily
    allowance are for families with a hardship file (the 办法, 二); 金秋助学 is per child and school year
    (``rules.SCHOOLING_ARTICLE``), so it names the child and the school year."""
    member = active_member(person)
    organisation = member.organisation if member else union_organisation_of(person)
    if organisation is None:
        raise ValidationError(_("您还没有编入工会组织，请联系所在单位的分工会。"))
    if kind not in HELP_KINDS or kind in BATCH_KINDS:
        raise ValidationError(_("请选择帮扶类别。"))
    provision = provision_for(organisation, kind)
    if provision is None:
        raise ValidationError(_("所在工会还没有设置这类帮扶的标准，请咨询分工会。"))
    file = HardshipFile.objects.filter(person=person, status=FileStatus.OPEN).first()
    if kind in (Kind.SCHOOLING, Kind.DAILY) and file is None:
        raise ValidationError(
            _("%(kind)s只面向建档困难职工（%(source)s）：请先联系分工会建立困难档案。")
            % {"kind": Kind(kind).label, "source": provision.source}
        )
    child_name, child_key, year = child_name.strip()[:64], "", None
    if kind == Kind.SCHOOLING:
        if not child_name:
            raise ValidationError(_("金秋助学按子女每学年申请：请填写子女姓名。"))
        year = school_year if school_year is not None else rules.school_year(clock.today())
        if not 2000 <= year <= clock.today().year + 1:
            raise ValidationError(_("请选择学年。"))
        child_key = blind_index(child_name)
        if (
            HelpApplication.objects.filter(person=person, kind=Kind.SCHOOLING, child_key=child_key, school_year=year)
            .exclude(status=HelpStatus.REJECTED)
            .exists()
        ):
            raise ValidationError(
                _("%(child)s %(year)s的金秋助学已经申请过了：每个子女每学年补助一次（%(source)s）。")
                % {"child": child_name, "year": school_year_name(year), "source": provision.source}
            )
    amount = as_amount(requested)
    if amount <= 0:
        raise ValidationError(_("请填写申请金额。"))
    if not reason.strip():
        raise ValidationError(_("请写明申请事由。"))
    paper = _clean_document(document, "help-")
    with transaction.atomic():
        application = HelpApplication(
            person=person,
            organisation=organisation,
            file=file,
            kind=kind,
            requested=amount,
            reason=reason[:4000],
            submitted_on=clock.today(),
            child_name=child_name,
            child_key=child_key,
            school_year=year,
        )
        if paper is not None:
            application.document.save(paper.name, paper, save=False)
        application.save()
        record(person, actions.UNION_HELP_APPLY, application, after={"kind": kind, "requested": amount})
        task_for_officers(
            organisation,
            _("核实帮扶申请：%(name)s %(kind)s") % {"name": person.name, "kind": Kind(kind).label},
            source_type=HELP_TASK,
            source_id=application.pk,
            url=reverse("union:office_help_application", args=[application.pk]),
            due_on=add_working_days(application.submitted_on, VISIT_WORKING_DAYS),
        )
    return application


def help_limit_problem(application: HelpApplication, provision: Provision, amount: Decimal) -> str:
    """Why ``amount`` may not be granted (empty when it may): above the 办法's limit, or the year's count."""
    if amount > provision.amount:
        return _("%(kind)s一次最高 %(max)s 元（%(source)s），核实金额不能超过。") % {
            "kind": Kind(application.kind).label,
            "max": provision.amount,
            "source": provision.source,
        }
    if application.kind == Kind.SCHOOLING:
        paid = Payment.objects.filter(
            person=application.person,
            kind=Kind.SCHOOLING,
            application__child_key=application.child_key,
            application__school_year=application.school_year,
        ).exclude(application=application)
        if paid.exists():
            return _("%(child)s %(year)s的金秋助学已经发放：每个子女每学年补助一次（%(source)s）。") % {
                "child": application.child_name,
                "year": school_year_name(application.school_year or 0),
                "source": provision.source,
            }
        return ""
    if provision.per_year:
        count = Payment.objects.filter(
            person=application.person,
            area=Area.HELP,
            kind=application.kind,
            paid_on__year=clock.today().year,
        ).count()
        if count >= provision.per_year:
            return _("%(kind)s每年最多 %(n)s 次，今年已发放 %(count)s 次（%(source)s）。") % {
                "kind": Kind(application.kind).label,
                "n": provision.per_year,
                "count": count,
                "source": provision.source,
            }
    return ""


def may_verify(actor: Any, application: HelpApplication) -> bool:
    return application.status == HelpStatus.SUBMITTED and may_manage(actor, application.organisation)


def may_approve(actor: Any, application: HelpApplication) -> bool:
    return (
        application.status == HelpStatus.VERIFIED
        and may_manage(actor, top_union_of(application.organisation))
        and getattr(actor, "pk", None) != application.verified_by_id
    )


def verify_help(
    actor: Any, application: HelpApplication, *, approve: bool, amount: Any = None, note: str = ""
) -> HelpApplication:
    """Step 1, 分工会: visit and verify, propose an amount within the 办法's limit (or refuse)."""
    with transaction.atomic():
        application = HelpApplication.objects.select_for_update().select_related("person").get(pk=application.pk)
        _require_union(actor, application.organisation)
        if application.status != HelpStatus.SUBMITTED:
            raise ValidationError(_("该申请已经核实过了。"))
        if approve:
            provision = provision_for(application.organisation, application.kind)
            if provision is None:
                raise ValidationError(_("所在工会还没有设置这类帮扶的标准。"))
            value = as_amount(amount if amount not in (None, "") else application.requested)
            problem = help_limit_problem(application, provision, value)
            if problem:
                raise ValidationError(problem)
            application.status, application.proposed = HelpStatus.VERIFIED, value
        else:
            if not note.strip():
                raise ValidationError(_("不予帮扶时请写明理由。"))
            application.status = HelpStatus.REJECTED
        application.verified_by, application.verified_on = actor, clock.today()
        application.decision_note = note[:255]
        application.save()
        record(
            actor,
            actions.UNION_HELP_DECIDE,
            application,
            after={"status": application.status, "proposed": application.proposed},
            reason=note,
        )
        notify.complete_tasks_for(HELP_TASK, str(application.pk))
        if approve:
            top = top_union_of(application.organisation)
            task_for_officers(
                top,
                _("审批帮扶申请：%(name)s %(kind)s %(amount)s 元")
                % {
                    "name": application.person.name,
                    "kind": Kind(application.kind).label,
                    "amount": application.proposed,
                },
                source_type=HELP_TASK,
                source_id=application.pk,
                url=reverse("union:office_help_application", args=[application.pk]),
            )
    return application


def approve_help(actor: Any, application: HelpApplication, *, approve: bool, note: str = "") -> HelpApplication:
    """Step 2, 公司工会: approve (the payment is recorded, naming the 办法 and article) or refuse; never by the
    officer who verified it."""
    with transaction.atomic():
        application = HelpApplication.objects.select_for_update().select_related("person").get(pk=application.pk)
        if not may_manage(actor, top_union_of(application.organisation)):
            raise PermissionDenied(_("帮扶申请由公司工会审批。"))
        if application.status != HelpStatus.VERIFIED:
            raise ValidationError(_("该申请还没有经分工会核实，或已经审批过了。"))
        if getattr(actor, "pk", None) == application.verified_by_id:
            raise ValidationError(_("核实和审批须由不同的人办理。"))
        today = clock.today()
        if approve:
            provision = provision_for(application.organisation, application.kind)
            if provision is None:
                raise ValidationError(_("所在工会还没有设置这类帮扶的标准。"))
            amount = application.proposed or Decimal(0)
            problem = help_limit_problem(application, provision, amount)
            if problem:
                raise ValidationError(problem)
            payment = Payment.objects.create(
                person=application.person,
                organisation=application.organisation,
                area=Area.HELP,
                kind=application.kind,
                event_on=application.submitted_on,
                amount=amount,
                measure=provision.measure,
                article=provision.article,
                paid_on=today,
                application=application,
                recorded_by=actor,
            )
            record(actor, actions.UNION_PAYMENT, payment, after={"amount": amount, "source": payment.source})
            application.status = HelpStatus.PAID
        else:
            if not note.strip():
                raise ValidationError(_("不予帮扶时请写明理由。"))
            application.status = HelpStatus.REJECTED
        application.approved_by, application.approved_on = actor, today
        if note:
            application.decision_note = note[:255]
        application.save()
        record(actor, actions.UNION_HELP_DECIDE, application, after={"status": application.status}, reason=note)
        notify.complete_tasks_for(HELP_TASK, str(application.pk))
        notify.notify(
            [application.person],
            kind="union",
            title=_("您的%(kind)s申请：%(status)s")
            % {"kind": Kind(application.kind).label, "status": application.get_status_display()},
            url=reverse("union:help"),
        )
    return application


# ------------------------------------------------------------------------------------------ festivals


def pay_festival(
    actor: Any, organisation: Organisation, *, festival: str, event_on: date, amount: Any, goods: str = ""
) -> tuple[int, list[str]]:
    """节日慰问 (春节、端午节、中秋节) to every member of ``organisation`` and below, once per festival, within
    the yearly total per person the 办法 sets (the provision's amount; ``rules.FESTIVAL_ARTICLE``). The amount
    of each festival is decided by the union committee each year. Returns the number paid and the names of
    members left out because the payment would pass their yearly total."""
    _require_union(actor, organisation)
    provision = provision_for(organisation, Kind.FESTIVAL)
    if provision is None:
        raise ValidationError(_("所在工会还没有设置节日慰问的标准（每人全年合计上限）。"))
    festival = festival.strip()[:32]
    if not festival:
        raise ValidationError(_("请写明节日，如春节、端午节、中秋节。"))
    value = as_amount(amount)
    if value <= 0:
        raise ValidationError(_("请填写每人慰问金额（慰问品按价值填写）。"))
    if value > provision.amount:
        raise ValidationError(
            _("节日慰问每人全年合计不超过 %(cap)s 元（%(source)s），一次不能超过。")
            % {"cap": provision.amount, "source": provision.source}
        )
    with transaction.atomic():
        members = list(
            Member.objects.select_for_update(of=("self",))
            .filter(status=MemberStatus.ACTIVE, organisation__path__startswith=organisation.path)
            .select_related("person", "organisation")
        )
        ids = [m.person_id for m in members]
        year_rows = Payment.objects.filter(
            area=Area.CARE, kind=Kind.FESTIVAL, event_on__year=event_on.year, person_id__in=ids
        )
        totals: dict[int, Decimal] = defaultdict(Decimal)
        done: set[int] = set()
        for person_id, day, paid in year_rows.values_list("person_id", "event_on", "amount"):
            totals[person_id] += paid
            if day == event_on:
                done.add(person_id)
        today, new, over = clock.today(), [], []
        for member in members:
            if member.person_id in done:
                continue
            if value > rules.festival_room(provision.amount, totals[member.person_id]):
                over.append(member.person.name)
                continue
            new.append(
                Payment(
                    person=member.person,
                    organisation=member.organisation,
                    area=Area.CARE,
                    kind=Kind.FESTIVAL,
                    event_on=event_on,
                    amount=value,
                    goods=(goods.strip() or festival)[:128],
                    measure=provision.measure,
                    article=provision.article,
                    paid_on=today,
                    recorded_by=actor,
                )
            )
        Payment.objects.bulk_create(new)
        record(
            actor,
            actions.UNION_PAYMENT,
            object_type="union.payment",
            object_repr=f"{organisation.name} {festival} {event_on}",
            after={"kind": Kind.FESTIVAL, "count": len(new), "amount": value, "over_cap": len(over)},
        )
    return len(new), over


def send_warmth(actor: Any, organisation: Organisation, *, on: date | None = None) -> tuple[int, int]:
    """送温暖 before the Spring Festival: every family with an open hardship file at ``organisation`` and below
    receives the 办法's amount and goods once a year (``rules.WARMTH_ARTICLE``). Returns (paid, already paid
    this year)."""
    _require_union(actor, organisation)
    provision = provision_for(organisation, Kind.WARMTH)
    if provision is None:
        raise ValidationError(_("所在工会还没有设置送温暖的标准。"))
    day = on or clock.today()
    with transaction.atomic():
        files = list(
            HardshipFile.objects.select_for_update(of=("self",))
            .filter(status=FileStatus.OPEN, organisation__path__startswith=organisation.path)
            .select_related("person", "organisation")
        )
        done = set(
            Payment.objects.filter(
                kind=Kind.WARMTH, event_on__year=day.year, person_id__in=[f.person_id for f in files]
            ).values_list("person_id", flat=True)
        )
        new = [
            Payment(
                person=f.person,
                organisation=f.organisation,
                area=Area.HELP,
                kind=Kind.WARMTH,
                event_on=day,
                amount=provision.amount,
                goods=provision.goods,
                measure=provision.measure,
                article=provision.article,
                paid_on=day,
                recorded_by=actor,
            )
            for f in files
            if f.person_id not in done
        ]
        Payment.objects.bulk_create(new)
        record(
            actor,
            actions.UNION_PAYMENT,
            object_type="union.payment",
            object_repr=f"{organisation.name} {Kind.WARMTH.label} {day.year}",
            after={"kind": Kind.WARMTH, "count": len(new), "amount": provision.amount},
        )
    return len(new), len(files) - len(new)


def birthday_cases(today: date) -> int:
    """The members whose birthday falls in this month and who have no 生日慰问 case for it yet: a pending case
    each (bulk, idempotent) and one to-do per responsible officer for the month."""
    month = today.month
    members = list(
        Member.objects.filter(status=MemberStatus.ACTIVE, person__birth_date__month=month, person__is_active=True)
        .select_related("organisation")
        .values_list("person_id", "organisation_id", "person__birth_date")
    )
    if not members:
        return 0

    def day_of(birth: date) -> date:
        try:
            return birth.replace(year=today.year)
        except ValueError:  # 29 February in a common year
            return birth.replace(year=today.year, day=28)

    existing = set(
        CareCase.objects.filter(kind=Kind.BIRTHDAY, event_on__year=today.year, event_on__month=month).values_list(
            "person_id", flat=True
        )
    )
    new = [
        CareCase(
            person_id=person_id,
            organisation_id=org_id,
            kind=Kind.BIRTHDAY,
            event_on=day_of(birth),
            origin=CaseOrigin.BIRTHDAY,
        )
        for person_id, org_id, birth in members
        if person_id not in existing and birth is not None
    ]
    CareCase.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    if not new:
        return 0
    chairs = officers_by_path()
    organisations = Organisation.objects.in_bulk({c.organisation_id for c in new})
    counts: dict[int, int] = defaultdict(int)
    for case in new:
        for officer_id in responsible_officers(organisations[case.organisation_id], chairs):
            counts[officer_id] += 1
    url = reverse("union:office_care") + "?status=pending&kind=birthday"
    for officer in Person.objects.filter(pk__in=counts):
        notify.add_task(
            officer,
            _("本月生日慰问：%(n)s 位会员") % {"n": counts[officer.pk]},
            source_type=BIRTHDAY_TASK,
            source_id=f"{today:%Y-%m}",
            url=url,
            due_on=today.replace(day=28),
        )
    return len(new)


#: A file's review is "due" (put on the officer's to-do list, marked in the list) this many days before its date.
REVIEW_AHEAD_DAYS = 30


def review_tasks(today: date, *, ahead_days: int = REVIEW_AHEAD_DAYS) -> int:
    """A to-do for the responsible officer of each open hardship file whose review is due within
    ``ahead_days`` (or overdue). Idempotent: one open to-do per officer and file."""
    files = list(
        HardshipFile.objects.filter(status=FileStatus.OPEN, next_review_on__lte=today + timedelta(days=ahead_days))
        .select_related("person", "organisation")
        .order_by("next_review_on", "pk")
    )
    if not files:
        return 0
    chairs = officers_by_path()
    people = Person.objects.in_bulk({pk for f in files for pk in responsible_officers(f.organisation, chairs)})
    count = 0
    for file in files:
        for officer_id in responsible_officers(file.organisation, chairs):
            notify.add_task(
                people[officer_id],
                _("复核困难档案：%(name)s") % {"name": file.person.name},
                source_type=REVIEW_TASK,
                source_id=str(file.pk),
                url=reverse("union:office_file", args=[file.pk]),
                due_on=file.next_review_on,
            )
            count += 1
    return count
