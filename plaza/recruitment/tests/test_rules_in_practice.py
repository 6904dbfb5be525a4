"""Issue 20 items 1, 4, 5 (training), 9 and issue 12 item 7 through the services, with dates on and one day
before each limit."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from plaza.localrules.services import set_rule
from plaza.notify.models import Task
from plaza.recruitment import queries, services
from plaza.recruitment.models import PipelineStatus, StepRecord
from plaza.rules import recruitment as rules

from .test_recruitment import STEP_3, TODAY, walk


def _pipeline(world, applicant):
    return services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )


def test_a_failed_conversion_vote_converts_nobody_whatever_the_outcome(world, applicant, full_members):
    """Item 1: 10 entitled, 6 present, 5 yes is quorate but not passed: refused, with the rule cited."""
    pipeline = _pipeline(world, applicant)
    walk(world, pipeline, 22, full_members)
    for outcome, extra in (("convert", {}), ("extend", {"extension_months": 6}), ("cancel", {})):
        with pytest.raises(ValidationError) as refused:
            services.record_branch_meeting(
                world.secretary_a,
                world.branch_a,
                23,
                date(2026, 6, 1),
                entitled=10,
                present=6,
                votes=[services.Vote(pipeline, yes=5, outcome=outcome, **extra)],
                today=TODAY,
            )
        message = refused.value.message_dict[str(pipeline.pk)][0]
        assert "未通过" in message and "《细则》第二十条" in message
    assert not StepRecord.objects.filter(step=23).exists()
    pipeline.refresh_from_db()
    assert pipeline.status == PipelineStatus.ACTIVE and pipeline.last_step == 22
    # one more yes (6 of 10: more than half of those entitled) passes
    services.record_branch_meeting(
        world.secretary_a,
        world.branch_a,
        23,
        date(2026, 6, 1),
        entitled=10,
        present=6,
        votes=[services.Vote(pipeline, yes=6, outcome="convert")],
        today=TODAY,
    )
    assert [v.code for v in rules.check_branch_vote(15, entitled=10, present=6, yes=5)] == ["not_passed"]
    assert [v.code for v in rules.check_branch_vote(23, entitled=10, present=5, yes=5)] == ["not_quorate"]


def test_step_11_takes_three_days_or_twenty_four_hours(world, applicant, full_members):
    pipeline = _pipeline(world, applicant)
    walk(world, pipeline, 10, full_members)
    with pytest.raises(ValidationError, match="不少于三天或二十四个学时"):
        services.record_step(world.secretary_a, pipeline, 11, date(2025, 4, 20), days=2, hours=23, today=TODAY)
    entry = services.record_step(world.secretary_a, pipeline, 11, date(2025, 4, 20), days=3, today=TODAY)
    assert entry.hours is None and entry.details["training_days"] == 3 and "培训 3 天" in entry.facts()[0]


def test_the_board_statistics_page_and_api_put_a_person_in_the_stage_of_their_last_step(
    client, world, applicant, full_members
):
    """Issue 12 item 7: after the talk (step 2) an applicant is still an 入党申请人, not an activist."""
    pipeline = _pipeline(world, applicant)
    walk(world, pipeline, 2, full_members)
    pipeline.refresh_from_db()
    assert pipeline.stage == "入党申请" == queries.stage_name(pipeline)
    columns = dict(queries.board(world.secretary_a, TODAY))
    assert [i["pipeline"] for i in columns["入党申请"]] == [pipeline] and columns["积极分子"] == []
    stats = queries.statistics(world.secretary_a, TODAY)
    assert stats["rows"][0].per_stage == [1, 0, 0, 0, 0]
    assert [counts for _branch, counts in queries.summary(world.secretary_a)] == [[1, 0, 0, 0, 0]]
    client.force_login(world.secretary_a)
    assert client.get(f"/api/v1/recruitment/pipelines/{pipeline.pk}").json()["stage"] == "入党申请"
    assert 'data-testid="stage">入党申请<' in client.get(f"/recruitment/{pipeline.pk}/").content.decode()
    stats_page = client.get(f"/orgs/stats/?org={world.branch_a.pk}").content.decode()
    stages_table = stats_page[stats_page.index('data-testid="stage-counts"') :]
    assert "<td>入党申请</td><td>1</td>" in stages_table and "<td>积极分子</td><td>0</td>" in stages_table
    services.record_step(world.secretary_a, pipeline, 3, date(2024, 4, 1), details=STEP_3, today=TODAY)
    pipeline.refresh_from_db()
    assert pipeline.stage == "积极分子" and queries.statistics(world.secretary_a, TODAY)["rows"][0].per_stage[1] == 1


def test_overdue_is_one_count_with_the_approval_extension(world, applicant, full_members):
    """Issue 20 item 4: step 17 is due 3 months after step 15 (2025-06-01 → 2025-09-01), 6 with an extension;
    board, statistics, API and escalation count the same."""
    pipeline = _pipeline(world, applicant)
    walk(world, pipeline, 16, full_members)
    services.extend_approval(world.staff, pipeline, "材料需补充核实")
    pipeline.refresh_from_db()
    done = services.done_dates(pipeline)
    assert queries.overdue_steps(pipeline, done, date(2025, 12, 1)) == []  # extended: due 2025-12-01 (on)
    assert queries.overdue_steps(pipeline, done, date(2025, 12, 2)) == [17]  # the day after
    for day, expected in ((date(2025, 12, 1), 0), (date(2025, 12, 2), 1)):
        assert queries.statistics(world.secretary_a, day)["overdue"] == expected
        board = dict(queries.board(world.secretary_a, day))
        assert board["接收预备党员"][0]["overdue"] == ([17] if expected else [])
        assert services.escalate_overdue(pipeline, day) == ([17] if expected else [])


def test_changing_the_report_interval_leaves_one_to_do(world, applicant):
    """Item 9: quarterly → every 2 months on 2025-02-10: the quarter's to-do gives way to the new period's."""
    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2025, 1, 1), today=TODAY
    )
    services.remind_reports(pipeline, date(2025, 2, 9))
    assert list(
        Task.objects.filter(source_type="recruitment-report", done_at__isnull=True).values_list("title", flat=True)
    ) == ["提交本季度思想汇报"]
    set_rule(
        world.staff,
        world.branch_a,
        "recruitment.thought_report_months",
        "2",
        "支部要求每两个月一次",
        today=date(2025, 2, 10),
    )
    open_tasks = Task.objects.filter(assignee=applicant, source_type="recruitment-report", done_at__isnull=True)
    assert [(t.title, t.due_on) for t in open_tasks] == [
        ("提交本期思想汇报（2025年1月1日 至 2025年2月28日）", date(2025, 2, 28))
    ]
    services.run_triggers(date(2025, 2, 11))  # the daily sweep keeps it at one
    assert open_tasks.count() == 1


def test_the_last_day_of_probation_counts_for_step_22(world, applicant, full_members):
    """Decision (plaza/rules/README.md): step 15 on 2025-06-01, probation ends 2026-06-01; applying that day is
    on time, the day after it is overdue."""
    pipeline = _pipeline(world, applicant)
    walk(world, pipeline, 21, full_members)
    pipeline.refresh_from_db()
    done = services.done_dates(pipeline)
    assert rules.probation_end(done) == date(2026, 6, 1)
    assert queries.overdue_steps(pipeline, done, date(2026, 6, 1)) == []
    assert queries.overdue_steps(pipeline, done, date(2026, 6, 2)) == [22]
