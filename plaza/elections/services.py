"""Every write of an election: terms, the request and its approval, candidates, opening the vote, phone
ballots, closing, tellers' counts, further rounds, the result report and its approval.

Permissions: the organisation's officers (``Cap.ELECTIONS`` over it) run its election; whoever holds
``Cap.ELECTIONS`` over its *parent* (the upper committee's staff) approves the request, the result and any
change of the term. The count is :func:`plaza.rules.elections.tally` (phone) or ``tally_counts`` (paper).
Nothing about who voted for whom is written anywhere but the ballots, and those only sealed while voting is
open (``SealedBallot``) and as plain ``Ballot`` rows written shuffled in one batch when it closes (see
``models`` and ``docs/secret-ballots.md``): no audit entry, no notification, no log line carries a ballot.
"""

from __future__ import annotations

import hmac
import random
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from plaza.accounts.models import Person, PoliticalStatus
from plaza.audit import actions, chain
from plaza.audit.models import AuditEntry
from plaza.audit.services import record
from plaza.lib import clock, dates, sealing
from plaza.notify import services as notify
from plaza.orgs import services as org_services
from plaza.orgs.models import Level, Membership, Organisation, Position, Title, Tree
from plaza.orgs.permissions import Cap, Scope
from plaza.rules import elections as rules

from .models import (
    NAME_MAX_LENGTH,
    Ballot,
    Candidate,
    Election,
    Elector,
    Kind,
    Mode,
    Round,
    SealedBallot,
    State,
    TellerCount,
    Term,
    VoterRecord,
    _receipt,
    name_problem,
    validate_names,
)
from .strokes import stroke_key

#: Default term length by level (《任期意见》, kept in ``plaza.rules.elections.TERM_YEARS``); an organisation may
#: choose 3 to 5 years, and its own length carries over to the next term (``rules.term_years``).
TERM_YEARS = {Level(level): years for level, years in rules.TERM_YEARS.items()}
COMMITTEE_TITLES = (
    Title.SECRETARY,
    Title.DEPUTY_SECRETARY,
    Title.ORGANISATION_MEMBER,
    Title.PROPAGANDA_MEMBER,
    Title.DISCIPLINE_MEMBER,
    Title.COMMITTEE_MEMBER,
)
TITLE_OF = {Kind.SECRETARY: Title.SECRETARY, Kind.DEPUTY: Title.DEPUTY_SECRETARY}
EDITABLE = (State.DRAFT, State.RETURNED, State.APPROVED)
#: Once the vote is closed its count stands: results, elected names and (phone votes) the receipt codes are shown.
COUNTED = (State.CLOSED, State.REPORTED, State.CONFIRMED)


def results_shown(election: Election) -> bool:
    """Whether the result may be shown: only after the vote closed (a running tally could sway the voters)."""
    return election.state in COUNTED


def receipts_published(election: Election) -> bool:
    """Whether the phone ballots' receipt codes are published: after closing, so each voter can check theirs."""
    return election.mode == Mode.PHONE and results_shown(election)


def paper_ballots_printable(election: Election) -> bool:
    """Whether paper ballots may be printed: a paper vote approved and not yet closed (candidates are final)."""
    return election.mode == Mode.PAPER and election.state in (State.APPROVED, State.OPEN)


#: Puts the opened ballots in random order before they are written (tests inject a seeded one).
_shuffle = random.SystemRandom().shuffle


def parent_of(organisation: Organisation) -> Organisation | None:
    return Organisation.objects.get_parent(organisation) if organisation.depth > 1 else None


def require_runner(actor: Any, election_or_org: Election | Organisation) -> None:
    org = election_or_org.organisation if isinstance(election_or_org, Election) else election_or_org
    Scope.of(actor, Cap.ELECTIONS).require(organisation=org)


def require_upper(actor: Any, organisation: Organisation) -> None:
    """The upper committee: ``Cap.ELECTIONS`` over the parent (administrators for a root committee)."""
    parent = parent_of(organisation)
    scope = Scope.of(actor, Cap.ELECTIONS)
    if not (scope.everything or (parent is not None and scope.covers(parent))):
        raise PermissionDenied(_("只有上级党组织可以审批。"))


def current_term(organisation: Organisation) -> Term | None:
    return Term.objects.filter(organisation=organisation, ended_on__isnull=True).first()


def vote_day(election: Election) -> date:
    """The day of the vote, from which the new term starts and the result report is due: the first round's
    election date (``planned_on``), the date the 换届请示 names and the upper organisation approved. Run-offs
    and separate votes belong to the same meeting. Not the moment someone pressed "open" or "confirm" in
    Plaza (decision in plaza/rules/README.md)."""
    return (election.parent or election).planned_on


# ------------------------------------------------------------------------------------------------- terms


@transaction.atomic
def set_term(actor: Any, organisation: Organisation, *, started_on: date, years: int | None = None) -> Term:
    """Record the current term of a committee (e.g. one elected before Plaza); the upper committee does it."""
    require_upper(actor, organisation)
    if organisation.level not in TERM_YEARS or organisation.tree != Tree.PARTY:
        raise ValidationError(_("只有党委、党总支和党支部有任期。"))
    if years is None:  # the organisation's own length (chosen when its term was recorded) carries over
        previous_term = current_term(organisation)
        years = rules.term_years(organisation.level, previous_term.years if previous_term else None)
    try:
        ends_on = rules.term_end(started_on, years)
    except ValueError as exc:
        raise ValidationError(_("任期为三至五年（《党章》第三十一条）。")) from exc
    previous = current_term(organisation)
    if previous is not None:
        previous.ended_on = started_on
        previous.save(update_fields=["ended_on"])
    term = Term.objects.create(organisation=organisation, started_on=started_on, years=years, ends_on=ends_on)
    record(actor, actions.ELECTIONS_TERM, term, after={"started_on": started_on, "years": years, "ends_on": ends_on})
    return term


@transaction.atomic
def shift_term(actor: Any, term: Term, *, to: date, reason: str) -> Term:
    """提前或推迟换届: approved by the upper committee with a reason, at most a year either way."""
    require_upper(actor, term.organisation)
    first, last = rules.shift_window(term.ends_on)
    if not first <= to <= last:
        raise ValidationError(
            _("提前或推迟换届不超过一年：应在 %(a)s 至 %(b)s 之间（《党章》第三十一条）。")
            % {"a": dates.day(first), "b": dates.day(last)}
        )
    if len(reason.strip()) < 4:
        raise ValidationError(_("请写明提前或推迟换届的原因。"))
    before = {"shifted_to": term.shifted_to}
    term.shifted_to, term.shift_reason, term.shift_approved_by = to, reason.strip()[:255], actor
    term.save(update_fields=["shifted_to", "shift_reason", "shift_approved_by"])
    record(actor, actions.ELECTIONS_SHIFT, term, before=before, after={"shifted_to": to}, reason=term.shift_reason)
    return term


# ----------------------------------------------------------------------------------- request and candidates


@transaction.atomic
def create_election(
    actor: Any,
    organisation: Organisation,
    *,
    seats: int,
    planned_on: date,
    kind: str = Kind.COMMITTEE,
    mode: str = Mode.PHONE,
) -> Election:
    require_runner(actor, organisation)
    if organisation.level not in TERM_YEARS or organisation.tree != Tree.PARTY:
        raise ValidationError(_("只有党委、党总支和党支部进行换届选举。"))
    if kind not in Kind.values or mode not in Mode.values:
        raise ValidationError(_("请选择选举职务和投票方式。"))
    if not 1 <= seats <= 50:
        raise ValidationError(_("应选人数应为 1 到 50。"))
    # The request and its approval are for the committee's election; its first meeting then elects the
    # 书记 and 副书记 without a further request.
    state = State.DRAFT if kind == Kind.COMMITTEE else State.APPROVED
    election = Election.objects.create(
        organisation=organisation,
        kind=kind,
        seats=seats,
        planned_on=planned_on,
        mode=mode,
        state=state,
        created_by=actor,
    )
    record(actor, actions.ELECTIONS_CREATE, election, after={"kind": kind, "seats": seats, "planned_on": planned_on})
    return election


def eligible(election: Election) -> Any:
    """Who may stand: full members of the organisation (its committee's members for 书记 / 副书记).

    Public: nominating checks it, and the election's page lists it so officers nominate from it."""
    if election.kind == Kind.COMMITTEE:
        members = (
            Membership.objects.current()
            .filter(tree=Tree.PARTY, organisation__path__startswith=election.organisation.path)
            .values("person_id")
        )
        return Person.objects.filter(pk__in=members, political_status=PoliticalStatus.FULL_MEMBER, is_active=True)
    holders = (
        Position.objects.current()
        .filter(organisation=election.organisation, title__in=COMMITTEE_TITLES)
        .values("person_id")
    )
    return Person.objects.filter(pk__in=holders, is_active=True)


def _lock(election: Election) -> Election:
    return Election.objects.select_for_update().select_related("organisation").get(pk=election.pk)


@transaction.atomic
def nominate(actor: Any, election: Election, person: Person, *, note: str = "") -> Candidate:
    election = _lock(election)
    require_runner(actor, election)
    if election.state not in EDITABLE or election.round == Round.RUNOFF:
        raise ValidationError(_("投票已开始或候选人名单已报批，不能再更改候选人。"))
    if not eligible(election).filter(pk=person.pk).exists():
        raise ValidationError(_("%(name)s 不是本组织的正式党员，不能作为候选人。") % {"name": person.name})
    if election.candidates.filter(person__name=person.name).exclude(person=person).exists():
        raise ValidationError(_("候选人中已有同名的 %(name)s，请在简况中注明区别。") % {"name": person.name})
    try:
        with transaction.atomic():
            candidate = Candidate.objects.create(
                election=election, person=person, nominated_by=actor, note=note.strip()[:200]
            )
    except IntegrityError as exc:
        raise ValidationError(_("%(name)s 已是候选人。") % {"name": person.name}) from exc
    record(actor, actions.ELECTIONS_NOMINATE, election, after={"person": person.pk, "name": person.name})
    return candidate


@transaction.atomic
def withdraw_candidate(actor: Any, candidate: Candidate) -> None:
    election = _lock(candidate.election)
    require_runner(actor, election)
    if election.state not in EDITABLE:
        raise ValidationError(_("投票已开始或候选人名单已报批，不能再更改候选人。"))
    record(actor, actions.ELECTIONS_WITHDRAW, election, after={"person": candidate.person_id})
    candidate.delete()


def candidate_problem(election: Election) -> str:
    """Why the candidate list cannot go to the vote ("" when it can): 差额 for committees, 等额 for officers."""
    count = election.candidates.count()
    if election.round == Round.RUNOFF:
        return ""
    if election.kind == Kind.COMMITTEE:
        needed = rules.min_candidates(election.seats)
        if count < needed:
            return _("委员会选举实行差额选举：应选 %(s)s 名，候选人至少 %(n)s 名，现有 %(c)s 名（《选举条例》）。") % {
                "s": election.seats,
                "n": needed,
                "c": count,
            }
    elif count != election.seats:
        return _("书记、副书记实行等额选举：候选人应为 %(s)s 名，现有 %(c)s 名（《选举条例》）。") % {
            "s": election.seats,
            "c": count,
        }
    return ""


@transaction.atomic
def request_approval(actor: Any, election: Election, *, text: str) -> Election:
    """换届请示: the seats, the candidate list and the date go to the upper committee."""
    election = _lock(election)
    require_runner(actor, election)
    if election.state not in (State.DRAFT, State.RETURNED):
        raise ValidationError(_("该选举已报请示。"))
    problem = candidate_problem(election)
    if problem:
        raise ValidationError(problem)
    if len(text.strip()) < 10:
        raise ValidationError(_("请填写换届请示的内容（不少于 10 个字）。"))
    election.request_text, election.requested_by, election.requested_on = text.strip(), actor, clock.today()
    election.state = State.REQUESTED
    election.save(update_fields=["request_text", "requested_by", "requested_on", "state"])
    record(
        actor,
        actions.ELECTIONS_REQUEST,
        election,
        after={"seats": election.seats, "candidates": list(candidate_names(election))},
    )
    term = current_term(election.organisation)
    if term is not None and election.kind == Kind.COMMITTEE:  # the to-do "报送换届请示" is done
        notify.complete_tasks_for("elections-request", str(term.pk))
        notify.cancel_reminders("term", str(term.pk), kind="term-request_due")
    return election


@transaction.atomic
def decide_request(actor: Any, election: Election, *, approve: bool, comment: str = "") -> Election:
    """批复: the upper committee approves, or sends the request back with its comments."""
    election = _lock(election)
    require_upper(actor, election.organisation)
    if election.state != State.REQUESTED:
        raise ValidationError(_("该选举没有待批复的请示。"))
    if not approve and len(comment.strip()) < 2:
        raise ValidationError(_("退回时请写明意见。"))
    election.state = State.APPROVED if approve else State.RETURNED
    election.decided_by, election.decided_on, election.decision_comment = actor, clock.today(), comment.strip()
    election.save(update_fields=["state", "decided_by", "decided_on", "decision_comment"])
    record(actor, actions.ELECTIONS_APPROVE if approve else actions.ELECTIONS_RETURN, election, reason=comment.strip())
    return election


def candidate_names(election: Election) -> list[str]:
    """Candidates' names in 姓氏笔画 order, as the ballot lists them."""
    return sorted(election.candidates.values_list("person__name", flat=True), key=stroke_key)


def ballot_candidates(election: Election) -> list[Candidate]:
    return sorted(election.candidates.select_related("person"), key=lambda c: stroke_key(c.person.name))


# ------------------------------------------------------------------------------------------------- voting


def _electorate(election: Election) -> list[Person]:
    """Entitled to vote: full members of the organisation (its committee's members for 书记 / 副书记);
    probationary members do not vote (《党章》第七条)."""
    return list(eligible(election))


@transaction.atomic
def open_voting(
    actor: Any, election: Election, *, absent: Mapping[int, str] | None = None, tellers: Sequence[Person] = ()
) -> Election:
    """Snapshot the electorate (absentees with their reasons), fix the candidates and open the vote."""
    election = _lock(election)
    require_runner(actor, election)
    if election.state != State.APPROVED:
        raise ValidationError(_("选举尚未获上级批复，或已开始投票。"))
    problem = candidate_problem(election)
    if problem:
        raise ValidationError(problem)
    absent = dict(absent or {})
    if election.parent_id:  # a run-off or separate vote: the same meeting, the same electorate
        electors = [
            Elector(election=election, person_id=e.person_id, present=e.present, absent_reason=e.absent_reason)
            for e in election.parent.electors.all()
        ]
    else:
        people = _electorate(election)
        missing = [pk for pk in absent if not absent[pk].strip()]
        if missing:
            raise ValidationError(_("请写明每位缺席党员的缺席原因。"))
        electors = [
            Elector(
                election=election,
                person=p,
                present=p.pk not in absent,
                absent_reason=absent.get(p.pk, "").strip()[:200],
            )
            for p in people
        ]
    if not electors:
        raise ValidationError(_("没有有选举权的党员。"))
    Elector.objects.bulk_create(electors)
    if election.mode == Mode.PAPER:
        tellers = list(tellers)
        if len({t.pk for t in tellers}) != 2:
            raise ValidationError(_("纸质选票须指定两名计票人。"))
        election.tellers.set(tellers)
    election.entitled = len(electors)
    election.present = sum(1 for e in electors if e.present)
    election.code = f"{secrets.randbelow(10**6):06d}"
    election.seal_key = sealing.new_key() if election.mode == Mode.PHONE else ""
    election.state, election.opened_at = State.OPEN, clock.now()
    election.save(update_fields=["entitled", "present", "code", "seal_key", "state", "opened_at"])
    record(actor, actions.ELECTIONS_OPEN, election, after={"entitled": election.entitled, "present": election.present})
    return election


def voting_problem(election: Election, person: Person) -> str:
    """Why ``person`` cannot vote in ``election`` now ("" when they can)."""
    if election.mode != Mode.PHONE:
        return _("本次选举使用纸质选票。")
    if election.state != State.OPEN:
        return _("投票尚未开始或已经结束。")
    elector = election.electors.filter(person=person).first()
    if elector is None:
        return _("您不在本次选举的选举人名单中。")
    if not elector.present:
        return _("您登记为缺席，不能投票；如已到会，请联系会议主持人。")
    if election.voter_records.filter(person=person).exists():
        return _("您已投过票，每人只能投一次。")
    return ""


def _sealing_context(election: Election) -> str:
    return f"elections.ballot:{election.pk}"


def sealed_size(election: Election, candidates: int) -> int:
    """The length every sealed ballot of ``election`` is padded to: a receipt, one mark per candidate and as
    many write-ins of the longest name as there are seats (4 bytes a character at most: control characters,
    which JSON would escape to 6, are refused)."""
    bound = len('{"r":"","c":"","w":[]}') + len(_receipt()) + candidates + election.seats * (NAME_MAX_LENGTH * 4 + 3)
    return -(-bound // 16) * 16


def _state_for_casting(election: Election) -> tuple[str, str]:
    """The election's state and sealing key, read in the voter's transaction under a share lock: casts go side
    by side, closing (``SELECT … FOR UPDATE``) waits for the casts under way, and a cast that waited for a close
    sees the vote closed. SQLite runs one writing transaction at a time (``transaction_mode`` IMMEDIATE)."""
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    table = connection.ops.quote_name(Election._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT state, seal_key FROM {table} WHERE id = %s{lock}", [election.pk])  # noqa: S608
        state, key = cursor.fetchone()
    return state, key


@sensitive_variables()  # an error report must not show a ballot next to its voter
def cast(
    person: Person,
    election: Election,
    *,
    code: str,
    yes: Iterable[int] = (),
    against: Iterable[int] = (),
    abstain: Iterable[int] = (),
    write_ins: Iterable[str] = (),
) -> str:
    """One secret ballot from the phone; returns its receipt code. Two at once from one voter: one counts.

    The voter's transaction writes the voter record and the ballot *sealed* (encrypted, the same length as every
    other of the election, the receipt inside); it is opened only when voting closes (:func:`close_voting`)."""
    election = Election.objects.get(pk=election.pk)
    if not code or not secrets.compare_digest(code.strip(), election.code):
        raise ValidationError(_("投票码不正确，请查看会场屏幕上的投票码。"))
    problem = voting_problem(election, person)
    if problem:
        raise ValidationError(problem)
    candidates = list(election.candidates.select_related("person").order_by("pk"))
    names = {c.pk: c.person.name for c in candidates}
    yes, against, abstain = set(yes), set(against), set(abstain)
    if not (yes | against | abstain) <= set(names) or yes & against or yes & abstain or against & abstain:
        raise ValidationError(_("选票内容不正确，请重新填写。"))
    extra = [w.strip() for w in write_ins if w and w.strip()]
    problems = list(dict.fromkeys(p for p in map(name_problem, extra) if p))
    if problems:
        raise ValidationError(problems)
    chosen = [names[pk] for pk in sorted(yes)] + extra
    if len(chosen) > election.seats:
        raise ValidationError(
            _("赞成（含另选他人）的人数不能多于应选人数 %(n)s 名，否则选票无效。") % {"n": election.seats}
        )
    if len(set(chosen)) != len(chosen):
        raise ValidationError(_("同一人不能在一张选票上出现两次。"))
    receipt = _receipt()
    marks = "".join(
        "y" if c.pk in yes else "n" if c.pk in against else "a" if c.pk in abstain else "-" for c in candidates
    )
    try:
        with transaction.atomic():
            state, key = _state_for_casting(election)
            if state != State.OPEN:
                raise ValidationError(_("投票尚未开始或已经结束。"))
            VoterRecord.objects.create(election=election, person=person)
            SealedBallot.objects.create(
                election=election,
                sealed=sealing.seal(
                    key,
                    {"r": receipt, "c": marks, "w": extra},
                    size=sealed_size(election, len(candidates)),
                    context=_sealing_context(election),
                ),
            )
    except IntegrityError as exc:
        raise ValidationError(_("您已投过票，每人只能投一次。")) from exc
    except (sealing.SealBroken, ImproperlyConfigured) as exc:  # no key: the database was changed behind our back
        raise ValidationError(_("选票暂时无法密封保存，没有计入：请联系选举工作人员。")) from exc
    return receipt


@sensitive_variables()
def _open_sealed_ballots(election: Election) -> None:
    """Open the election's sealed ballots, put them in an order that depends on nothing but chance, and write them
    as ``Ballot`` rows in one batch (one transaction: every row the same ``xmin``; rowid/``ctid`` in the shuffled
    order); then delete the sealed ones and forget the key. Refused, changing nothing, when the ballots do not
    add up to the voters or cannot be opened: the database was changed behind Plaza's back."""
    sealed = list(election.sealed_ballots.values_list("sealed", flat=True))
    voted, stored = election.voter_records.count(), election.ballots.count()
    if len(sealed) + stored != voted:
        raise ValidationError(
            _("选票数（%(b)s）与投票人数（%(v)s）不一致，数据可能被改动：请联系系统管理员，暂不计票。")
            % {"b": len(sealed) + stored, "v": voted}
        )
    candidates = [c.person.name for c in election.candidates.select_related("person").order_by("pk")]
    ballots = []
    try:
        for token in sealed:
            content = sealing.unseal(election.seal_key, token, context=_sealing_context(election))
            marks = content["c"]
            if len(marks) != len(candidates):
                raise sealing.SealBroken("the candidates changed")
            ballot = Ballot(
                election=election,
                names=[n for n, m in zip(candidates, marks, strict=True) if m == "y"] + list(content["w"]),
                against=sorted(n for n, m in zip(candidates, marks, strict=True) if m == "n"),
                abstain=sorted(n for n, m in zip(candidates, marks, strict=True) if m == "a"),
                receipt=content["r"],
            )
            for names in (ballot.names, ballot.against, ballot.abstain):
                if names:
                    validate_names(names)
            ballots.append(ballot)
    except (sealing.SealBroken, ImproperlyConfigured, ValidationError, KeyError, TypeError, ValueError) as exc:
        raise ValidationError(_("密封的选票无法打开（密钥缺失或选票被改动）：请联系系统管理员，暂不计票。")) from exc
    ballots.sort(key=lambda b: (b.names, b.against, b.abstain, b.receipt))  # by content: arrival order is gone
    _shuffle(ballots)  # and then by chance
    Ballot.objects.bulk_create(ballots, batch_size=2000)
    election.sealed_ballots.all().delete()
    election.seal_key = ""


# --------------------------------------------------------------------------------------- closing and count


@transaction.atomic
def close_voting(actor: Any, election: Election) -> Election:
    """Close the vote. Phone ballots are counted at once; paper ones wait for both tellers' counts."""
    election = _lock(election)
    require_runner(actor, election)
    if election.state != State.OPEN:
        raise ValidationError(_("投票尚未开始或已经结束。"))
    election.closed_at = clock.now()
    if election.mode == Mode.PAPER:
        election.state = State.COUNTING
        election.save(update_fields=["state", "closed_at"])
        record(actor, actions.ELECTIONS_CLOSE, election)
        return election
    _open_sealed_ballots(election)
    outcome = rules.tally(
        seats=election.seats,
        entitled=election.entitled,
        present=election.present,
        ballots=list(election.ballots.values_list("names", flat=True)),
    )
    _finish(actor, election, outcome)
    return election


@transaction.atomic
def enter_count(teller: Person, election: Election, *, returned: int, invalid: int, votes: Mapping[str, int]) -> str:
    """A teller enters the paper count. Returns "waiting" (the other teller has not entered), "disagree" (the
    two counts differ: no result until they agree) or "agreed" (the result stands)."""
    election = _lock(election)
    if not election.tellers.filter(pk=teller.pk).exists():
        raise PermissionDenied(_("只有本次选举的计票人可以录入计票结果。"))
    if election.state != State.COUNTING:
        raise ValidationError(_("现在不是计票阶段。"))
    clean = {name.strip(): int(n) for name, n in votes.items() if name and name.strip() and int(n) > 0}
    problems = list(dict.fromkeys(p for p in map(name_problem, clean) if p))
    if problems:
        raise ValidationError(problems)
    try:
        rules.tally_counts(
            seats=election.seats,
            entitled=election.entitled,
            present=election.present,
            returned=returned,
            invalid=invalid,
            votes=clean,
        )
    except ValueError as exc:
        raise ValidationError(_("计票数字不合理：%(e)s") % {"e": _plain(exc)}) from exc
    TellerCount.objects.update_or_create(
        election=election, teller=teller, defaults={"returned": returned, "invalid": invalid, "votes": clean}
    )
    counts = list(election.teller_counts.all())
    if len(counts) < 2:
        return "waiting"
    if not counts[0].same_as(counts[1]):
        return "disagree"
    outcome = rules.tally_counts(
        seats=election.seats,
        entitled=election.entitled,
        present=election.present,
        returned=returned,
        invalid=invalid,
        votes=clean,
    )
    _finish(teller, election, outcome)
    return "agreed"


def _plain(exc: ValueError) -> str:
    text = str(exc)
    if "valid ballots" in text:
        return _("某人得票多于有效票数，或总票数超过有效票数乘以应选人数。")
    if "invalid" in text:
        return _("无效票不能多于收回的选票。")
    return text


def ballot_box_seal(election: Election, using: str = "default") -> str:
    """The keyed hash of an election's ballots as a set (no order, no ids): written into the chained audit
    entry of the count, so a ballot changed, added or removed with a database client afterwards is evident
    (``verify_chains``), while the ballots keep no place in any sequence that could order them by voter."""
    rows = Ballot.objects.using(using).filter(election=election).values_list("names", "against", "abstain", "receipt")
    return chain.seal("elections.ballot", (list(row) for row in rows))


def ballot_box_problems(using: str = "default") -> list[str]:
    """Closed phone elections whose ballots no longer match the seal taken when they were counted."""
    sealed = (
        AuditEntry.objects.using(using)
        .filter(action=actions.ELECTIONS_COUNT, object_type=Election._meta.label_lower)
        .filter(after__has_key="ballots_seal")
        .values_list("object_id", "after")
    )
    problems = []
    for object_id, after in sealed:
        election = Election.objects.using(using).filter(pk=object_id).first()
        if election is None or not hmac.compare_digest(ballot_box_seal(election, using), after["ballots_seal"]):
            problems.append(
                str(_("选举「%(election)s」（编号 %(id)s）的选票与计票时的封存值不符：选票被改动。"))
                % {"election": election or "", "id": object_id}
            )
    return problems


def _finish(actor: Any, election: Election, outcome: rules.Tally) -> None:
    election.result = asdict(outcome) | {"threshold": outcome.threshold}
    election.state = State.CLOSED
    election.save(update_fields=["result", "state", "closed_at", "seal_key"])
    after: dict[str, Any] = {
        "valid": outcome.valid,
        "invalid": outcome.invalid,
        "elected": outcome.elected,
        "runoff": outcome.runoff,
        "unfilled": outcome.unfilled,
    }
    if election.mode != Mode.PAPER:
        after["ballots_seal"] = ballot_box_seal(election)
    record(actor, actions.ELECTIONS_COUNT, election, after=after)
    if outcome.runoff:
        people = {c.person.name: c.person for c in election.candidates.select_related("person")}
        runoff = Election.objects.create(
            organisation=election.organisation,
            kind=election.kind,
            round=Round.RUNOFF,
            parent=election,
            seats=outcome.runoff_seats,
            planned_on=election.planned_on,
            mode=election.mode,
            state=State.APPROVED,
            created_by=election.created_by,
        )
        Candidate.objects.bulk_create(
            [
                Candidate(election=runoff, person=people[name], nominated_by=actor)
                for name in outcome.runoff
                if name in people
            ]
        )
    elif outcome.unfilled and outcome.quorate and not outcome.void:
        Election.objects.create(
            organisation=election.organisation,
            kind=election.kind,
            round=Round.SEPARATE,
            parent=election,
            seats=outcome.unfilled,
            planned_on=election.planned_on,
            mode=election.mode,
            state=State.APPROVED,
            created_by=election.created_by,
        )


def elected(election: Election) -> list[str]:
    """Everyone elected by this vote and the rounds that followed it, in order."""
    names = list((election.result or {}).get("elected", []))
    for child in election.rounds.filter(state__in=COUNTED):
        names += elected(child)
    return names


def outstanding_rounds(election: Election) -> list[Election]:
    return [r for r in election.rounds.all() if r.state not in COUNTED]


# ------------------------------------------------------------------------------------------ report, confirm


@transaction.atomic
def report_result(actor: Any, election: Election) -> Election:
    """选举结果报告 to the upper committee (within a month: ``rules.result_report_due``)."""
    election = _lock(election)
    require_runner(actor, election)
    if election.state != State.CLOSED or election.parent_id:
        raise ValidationError(_("计票完成后才能上报选举结果。"))
    if outstanding_rounds(election):
        raise ValidationError(_("还有再次投票或另行选举没有完成。"))
    election.state, election.reported_by = State.REPORTED, actor
    election.save(update_fields=["state", "reported_by"])
    record(actor, actions.ELECTIONS_REPORT, election, after={"elected": elected(election)})
    return election


def _candidates_by_name(election: Election) -> dict[str, Person]:
    return {
        c.person.name: c.person
        for r in [election, *election.rounds.all()]
        for c in r.candidates.select_related("person")
    }


def write_in_winners(election: Election) -> list[str]:
    """Names elected by write-in (另选他人): on the ballots as written, not yet anyone in Plaza."""
    people = _candidates_by_name(election)
    return [name for name in elected(election) if name not in people]


def _write_in_people(election: Election, numbers: Mapping[str, str]) -> dict[str, Person]:
    """Who each write-in winner is, from the employee number the upper committee gives for the name: a full
    member of the organisation whose name is the one written on the ballots. Every problem at once."""
    found: dict[str, Person] = {}
    problems = []
    for name in write_in_winners(election):
        number = (numbers.get(name) or "").strip()
        person = eligible(election).filter(employee_no=number).first() if number else None
        if not number:
            problems.append(_("%(name)s 由另选他人当选，请填写其工号，以便任职。") % {"name": name})
        elif person is None:
            problems.append(_("工号 %(no)s 不是本组织的正式党员。") % {"no": number})
        elif person.name != name:
            problems.append(
                _("工号 %(no)s 是 %(real)s，与选票上的 %(name)s 不一致。")
                % {"no": number, "real": person.name, "name": name}
            )
        else:
            found[name] = person
    if problems:
        raise ValidationError(problems)
    return found


@transaction.atomic
def confirm_result(
    actor: Any, election: Election, *, today: date | None = None, write_ins: Mapping[str, str] | None = None
) -> Election:
    """The upper committee approves the result: the new positions and the new term start. A winner written in
    by the voters (另选他人) is named on the ballots only, so ``write_ins`` gives each one's employee number."""
    election = _lock(election)
    require_upper(actor, election.organisation)
    if election.state != State.REPORTED:
        raise ValidationError(_("没有待批准的选举结果。"))
    today = today or clock.today()
    on = vote_day(election)
    people = _candidates_by_name(election) | _write_in_people(election, write_ins or {})
    winners = [people[name] for name in elected(election)]
    org = election.organisation
    titles = COMMITTEE_TITLES if election.kind == Kind.COMMITTEE else (TITLE_OF[election.kind],)
    for position in Position.objects.current(on).filter(organisation=org, title__in=titles):
        org_services.end_position(actor, position, on=max(on, position.since), reason=_("换届"))
    title = Title.COMMITTEE_MEMBER if election.kind == Kind.COMMITTEE else TITLE_OF[election.kind]
    for person in winners:
        org_services.appoint(actor, person, org, title, since=on)
    if election.kind == Kind.COMMITTEE:
        term = set_term(actor, org, started_on=on)
        term.election = election
        term.save(update_fields=["election"])
    election.state, election.confirmed_by, election.confirmed_on = State.CONFIRMED, actor, today
    election.save(update_fields=["state", "confirmed_by", "confirmed_on"])
    record(actor, actions.ELECTIONS_CONFIRM, election, after={"appointed": [p.pk for p in winners]})
    return election
