"""Every statistics and summary page draws its figures as a chart (issue 14: the ``chart`` / ``bar_chart`` components
of ``plaza_ui``): each page below, given a little data in the small ``world``, renders a ``data-chart`` figure
whose labels are words, never codes; an empty page draws none."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from django.utils import timezone

from plaza.assistant.models import Question as AssistantQuestion
from plaza.assistant.models import Status as AssistantStatus
from plaza.evaluation.models import Campaign, Grade, Group, Participant, Role, State
from plaza.learning.tests.helpers import article, read
from plaza.lib import clock
from plaza.quiz.models import Attempt, DailyItem
from plaza.quiz.tests.helpers import make_contest, make_question
from plaza.testing.factories import Level, PersonFactory, Title, add_org, appoint, join
from plaza.union import services as union_services
from plaza.union.models import Kind as CareKind
from plaza.union.tests.helpers import make_union, member, photo


def charts(page: str) -> dict[str, str]:
    """The page's charts by their id, each with its SVG's text (the labels and figures)."""
    found = re.findall(r'<figure class="chart" data-chart="([^"]+)".*?</figure>', page, flags=re.S)
    bodies = re.findall(r'<figure class="chart" data-chart="[^"]+"(.*?)</figure>', page, flags=re.S)
    return dict(zip(found, bodies, strict=True))


def test_the_assistant_report_charts_how_questions_ended_and_the_feedback(world, login):  # noqa: ANN001
    client = login(world.staff)
    assert charts(client.get("/assistant/office/report/").content.decode()) == {}  # nothing asked yet
    AssistantQuestion.objects.create(person=world.member_a, text="党费怎么交", confident=True, helpful=True)
    AssistantQuestion.objects.create(person=world.member_a, text="公积金", status=AssistantStatus.UNANSWERED)
    AssistantQuestion.objects.create(person=world.member_b, text="疗休养", status=AssistantStatus.HANDED_OFF)
    AssistantQuestion.objects.create(
        person=world.member_b, text="工会卡", status=AssistantStatus.STAFF_ANSWERED, staff_answer="找工会。"
    )
    drawn = charts(client.get("/assistant/office/report/").content.decode())
    assert set(drawn) == {"assistant-ended", "assistant-feedback"}
    for label in ("有把握回答", "未找到答案", "待人工解答", "人工已解答"):
        assert label in drawn["assistant-ended"]
    assert "有帮助" in drawn["assistant-feedback"] and "unanswered" not in drawn["assistant-ended"]


def _decided_campaign(world) -> Campaign:  # noqa: ANN001
    today = clock.today()
    campaign = Campaign.objects.create(
        organisation=world.branch_a,
        year=today.year,
        title="年度民主评议党员",
        starts_on=today - timedelta(days=20),
        ends_on=today - timedelta(days=1),
        state=State.DECIDED,
        created_by=world.secretary_a,
        decided_by=world.secretary_a,
        decided_on=today,
    )
    for person, grade in ((world.secretary_a, "excellent"), (world.member_a, "qualified")):
        Participant.objects.create(campaign=campaign, person=person, role=Role.MEMBER, grade=grade)
        Grade.objects.create(campaign=campaign, gradee=person, grade=grade, group=Group.MEMBER)
        Grade.objects.create(campaign=campaign, gradee=person, grade="qualified", group=Group.OTHER)
    return campaign


def test_the_evaluation_committee_report_and_a_campaigns_report_chart_the_grades(world, login):  # noqa: ANN001
    client = login(world.staff)
    assert "evaluation-grades" not in charts(client.get("/evaluation/report/").content.decode())  # none decided
    campaign = _decided_campaign(world)
    drawn = charts(client.get("/evaluation/report/").content.decode())
    assert "优秀" in drawn["evaluation-grades"] and ">1<" in drawn["evaluation-grades"]
    drawn = charts(client.get(f"/evaluation/{campaign.pk}/report/").content.decode())
    assert set(drawn) == {"evaluation-report-grades", "evaluation-report-votes"}
    assert "基本合格" in drawn["evaluation-report-grades"] and "excellent" not in drawn["evaluation-report-grades"]
    assert "群众测评" in drawn["evaluation-report-votes"]


def test_the_meetings_compliance_board_charts_each_kind(world, login, settings):  # noqa: ANN001
    settings.PLAZA_TODAY = "2026-03-10"
    client = login(world.staff)
    page = client.get("/meetings/compliance/", {"month": "2026-01"}).content.decode()
    drawn = charts(page)
    assert "compliance-kinds" in drawn and "期满未召开" in drawn["compliance-kinds"]
    assert "主题党日" in drawn["compliance-kinds"]
    part = client.get("/meetings/compliance/", {"month": "2026-01"}, HTTP_HX_REQUEST="true").content.decode()
    assert "compliance-kinds" in charts(part)  # the filter bar's swap keeps the chart in step


def test_the_league_compliance_page_charts_the_gaps_per_kind(world, login):  # noqa: ANN001
    branch = add_org(world.league, "装调车间团支部", "L0101", Level.LEAGUE_BRANCH)
    secretary = PersonFactory(employee_no="Y0003", name="李团委", birth_date=date(1996, 1, 1))
    join(secretary, world.league)
    appoint(secretary, world.league, Title.LEAGUE_SECRETARY)
    young = PersonFactory(employee_no="Y0011", name="吴青年", birth_date=date(2002, 3, 3))
    join(young, branch)
    client = login(secretary)
    drawn = charts(client.get("/league/compliance/", {"year": clock.today().year - 1}).content.decode())
    assert "league-compliance-kinds" in drawn and "团课" in drawn["league-compliance-kinds"]
    assert "league_lecture" not in drawn["league-compliance-kinds"]


def test_the_quiz_bank_charts_right_rates_and_the_ranking_team_scores(world, login):  # noqa: ANN001
    client = login(world.staff)
    assert "quiz-rate-bands" not in charts(client.get("/quiz/office/").content.decode())  # an empty bank
    easy = make_question(world.branch_a, 1)
    make_question(world.branch_a, 2)
    at = timezone.make_aware(datetime(2026, 3, 3, 10, 0))
    for n in range(3):
        DailyItem.objects.create(
            person=PersonFactory(employee_no=f"Q{n:04d}"),
            day=at.date(),
            position=1,
            question=easy,
            answered_at=at,
            chosen=[1],
            correct=True,
        )
    drawn = charts(client.get("/quiz/office/").content.decode())["quiz-rate-bands"]
    assert "高于98％" in drawn and "未作答" in drawn and drawn.count(">1<") >= 2  # one too easy, one not answered
    contest = make_contest(world, [easy], mode="team", team_basis="branch", team_rule="participation", streak=False)
    Attempt.objects.create(contest=contest, person=world.member_b, started_at=at, finished_at=at, score=900)
    drawn = charts(client.get(f"/quiz/contests/{contest.pk}/ranking/").content.decode())
    assert "quiz-teams" in drawn and "物流和采购党支部" in drawn["quiz-teams"]


def test_the_union_payments_report_charts_amounts_by_kind_and_organisation(world, login):  # noqa: ANN001
    u = make_union(world)
    member(u.worker_a, u.chair_a)
    case = union_services.apply_for_care(u.worker_a, CareKind.CHILDBIRTH, clock.today(), photo=photo())
    client = login(u.chair_a)
    assert "data-chart" not in client.get("/union/office/payments/").content.decode()  # nothing paid yet
    client.post(f"/union/office/care/{case.pk}/", {"action": "pay", "note": ""})
    drawn = charts(client.get("/union/office/payments/").content.decode())
    assert "生育慰问" in drawn["union-payment-kinds"] and "800" in drawn["union-payment-kinds"]
    assert "union-payment-organisations" in drawn


def test_the_required_reading_completion_charts_each_branch(world, login):  # noqa: ANN001
    found = article(
        world, "二十大报告", required=True, due_on=clock.today() + timedelta(days=7), required_for=[world.committee]
    )
    read(world.member_a, found, 40)
    drawn = charts(login(world.staff).get(f"/learning/office/articles/{found.pk}/completion/").content.decode())
    assert "装调车间党支部" in drawn["learning-completion"] and "已完成" in drawn["learning-completion"]
