from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from plaza.accounts.models import PoliticalStatus
from plaza.audit.models import AuditEntry
from plaza.notify.models import Task
from plaza.recruitment import services
from plaza.recruitment.models import Pipeline, PipelineStatus, StepRecord
from plaza.testing.factories import PersonFactory, join

TODAY = date(2027, 12, 31)


STEP_3 = {
    "recommendation": ["members", "league"],
    "recommended_on": date(2024, 3, 28),
    "decision": "经支部委员会研究，同意确定为入党积极分子。",
}


def walk(world, pipeline, upto, members, start=date(2024, 3, 1)):
    """Record steps 2..upto on dates that satisfy the rules."""
    dates = {
        2: date(2024, 3, 20),
        3: date(2024, 4, 1),
        4: date(2024, 4, 5),
        5: date(2024, 4, 5),
        6: date(2024, 10, 1),
        7: date(2025, 4, 1),
        8: date(2025, 4, 5),
        9: date(2025, 4, 5),
        10: date(2025, 4, 10),
        11: date(2025, 4, 20),
        12: date(2025, 5, 1),
        13: date(2025, 5, 10),
        14: date(2025, 5, 15),
        15: date(2025, 6, 1),
        16: date(2025, 6, 10),
        17: date(2025, 7, 1),
        18: date(2025, 7, 5),
        19: date(2025, 7, 5),
        20: date(2025, 7, 10),
        21: date(2025, 7, 20),
        22: date(2026, 5, 10),
        23: date(2026, 6, 1),
        24: date(2026, 7, 1),
        25: date(2026, 7, 10),
    }
    for step in range(2, upto + 1):
        actor = world.staff if step in services.COMMITTEE_STEPS else world.secretary_a
        kwargs = {}
        if step == 3:
            kwargs["details"] = STEP_3
        if step == 5:
            kwargs["people"] = members[:1]
        if step == 9:
            kwargs["people"] = members
        if step == 11:
            kwargs["hours"] = 24
        if step in (15, 23):
            kwargs |= {"entitled": 10, "present": 8, "yes": 7}
        if step == 23:
            kwargs["outcome"] = "convert"
        services.record_step(actor, pipeline, step, dates[step], today=TODAY, **kwargs)


def test_open_pipeline_records_the_application_and_the_status(world, applicant):
    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    applicant.refresh_from_db()
    assert applicant.political_status == PoliticalStatus.APPLICANT
    assert list(pipeline.steps.values_list("step", flat=True)) == [1]
    assert Task.objects.filter(assignee=world.secretary_a, source_type="recruitment", done_at__isnull=True).exists()


def test_applicant_under_18_is_refused_with_the_reason(world):
    young = PersonFactory(birth_date=date(2008, 2, 29))
    join(young, world.branch_a)
    with pytest.raises(ValidationError) as refusal:
        services.open_pipeline(world.secretary_a, young, world.branch_a, applied_on=date(2026, 2, 27), today=TODAY)
    assert "最早可于 2026年2月28日" in str(refusal.value) and "《党章》第一条" in str(refusal.value)
    assert not Pipeline.objects.filter(person=young).exists()


def test_one_active_pipeline_per_person(world, applicant):
    services.open_pipeline(world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY)
    with pytest.raises(ValidationError, match="已在发展程序中"):
        services.open_pipeline(world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 2), today=TODAY)


def test_candidate_before_a_year_is_refused_then_overridden_by_committee(world, applicant, full_members):
    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    walk(world, pipeline, 6, full_members)
    with pytest.raises(ValidationError) as refusal:
        services.record_step(world.secretary_a, pipeline, 7, date(2025, 3, 1), today=TODAY)
    assert refusal.value.messages == ["培养考察未满一年，最早可于 2025年4月1日 列为发展对象 (《细则》)"]
    with pytest.raises(PermissionDenied):
        services.record_step(world.secretary_a, pipeline, 7, date(2025, 3, 1), today=TODAY, override_reason="急需")
    entry = services.record_step(
        world.staff, pipeline, 7, date(2025, 3, 1), today=TODAY, override_reason="经党委研究同意提前"
    )
    assert entry.override_reason == "经党委研究同意提前"
    assert AuditEntry.objects.filter(action="recruitment.override", reason="经党委研究同意提前").exists()
    applicant.refresh_from_db()
    assert applicant.political_status == PoliticalStatus.CANDIDATE


def test_future_dates_and_order_are_refused(world, applicant):
    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.record_step(world.secretary_a, pipeline, 2, date(2028, 1, 1), today=TODAY)
    with pytest.raises(ValidationError, match="不能早于第1步"):
        services.record_step(world.secretary_a, pipeline, 2, date(2024, 2, 1), today=TODAY)
    with pytest.raises(ValidationError, match="须先完成第2步"):
        services.record_step(world.secretary_a, pipeline, 3, date(2024, 5, 1), today=TODAY)


def test_introducers_must_be_two_full_members(world, applicant, full_members):
    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    walk(world, pipeline, 8, full_members)
    with pytest.raises(ValidationError, match="两名正式党员"):
        services.record_step(world.secretary_a, pipeline, 9, date(2025, 4, 5), people=full_members[:1], today=TODAY)
    with pytest.raises(ValidationError, match="不是正式党员"):
        services.record_step(
            world.secretary_a, pipeline, 9, date(2025, 4, 5), people=[full_members[0], world.activist_a], today=TODAY
        )


def test_branch_meeting_must_pass(world, applicant, full_members):
    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    walk(world, pipeline, 14, full_members)
    with pytest.raises(ValidationError, match="未通过"):
        services.record_step(
            world.secretary_a, pipeline, 15, date(2025, 6, 1), entitled=10, present=8, yes=5, today=TODAY
        )
    with pytest.raises(ValidationError, match="不能表决"):
        services.record_step(
            world.secretary_a, pipeline, 15, date(2025, 6, 1), entitled=10, present=5, yes=5, today=TODAY
        )


def test_committee_steps_need_committee_staff(world, applicant, full_members):
    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    walk(world, pipeline, 3, full_members)
    with pytest.raises(PermissionDenied):
        services.record_step(world.secretary_a, pipeline, 4, date(2024, 4, 5), today=TODAY)
    with pytest.raises(PermissionDenied):
        services.record_step(world.secretary_b, pipeline, 5, date(2024, 4, 5), people=full_members[:1], today=TODAY)


def test_the_whole_procedure_to_conversion_and_archive(world, applicant, full_members):
    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    walk(world, pipeline, 25, full_members)
    pipeline.refresh_from_db()
    applicant.refresh_from_db()
    assert pipeline.status == PipelineStatus.ARCHIVED
    assert applicant.political_status == PoliticalStatus.FULL_MEMBER
    change = applicant.status_changes.get(to_status=PoliticalStatus.FULL_MEMBER)
    assert change.effective_on == date(2026, 6, 1)  # 党龄 from the end of probation
    assert applicant.status_changes.get(to_status=PoliticalStatus.PROBATIONARY).effective_on == date(2025, 6, 1)
    with pytest.raises(ValidationError, match="不能再修改"):
        services.record_step(world.staff, pipeline, 25, date(2026, 7, 11), today=TODAY)
    assert not Task.objects.filter(source_type="recruitment", done_at__isnull=True).exists()


def test_extension_moves_probation_and_repeats_steps_22_23_once(world, applicant, full_members):
    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    walk(world, pipeline, 22, full_members)
    services.record_step(
        world.secretary_a,
        pipeline,
        23,
        date(2026, 6, 1),
        entitled=10,
        present=8,
        yes=7,
        outcome="extend",
        extension_months=6,
        today=TODAY,
    )
    pipeline.refresh_from_db()
    assert pipeline.round == 2 and pipeline.probation_extension_months == 6
    with pytest.raises(ValidationError, match="须先完成第22步"):
        services.record_step(
            world.secretary_a,
            pipeline,
            23,
            date(2026, 12, 1),
            entitled=10,
            present=8,
            yes=7,
            outcome="convert",
            today=TODAY,
        )
    services.record_step(applicant, pipeline, 22, date(2026, 11, 1), today=TODAY)  # the person applies again
    with pytest.raises(ValidationError, match="预备期未满"):
        services.record_step(
            world.secretary_a,
            pipeline,
            23,
            date(2026, 11, 30),
            entitled=10,
            present=8,
            yes=7,
            outcome="convert",
            today=TODAY,
        )
    with pytest.raises(ValidationError, match="只能延长一次"):
        services.record_step(
            world.secretary_a,
            pipeline,
            23,
            date(2026, 12, 1),
            entitled=10,
            present=8,
            yes=7,
            outcome="extend",
            extension_months=6,
            today=TODAY,
        )
    services.record_step(
        world.secretary_a,
        pipeline,
        23,
        date(2026, 12, 1),
        entitled=10,
        present=8,
        yes=7,
        outcome="convert",
        today=TODAY,
    )
    assert StepRecord.objects.filter(pipeline=pipeline, step=23).count() == 2


def test_cancel_ends_the_pipeline(world, applicant, full_members):
    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    walk(world, pipeline, 22, full_members)
    services.record_step(
        world.secretary_a, pipeline, 23, date(2026, 6, 1), entitled=10, present=8, yes=7, outcome="cancel", today=TODAY
    )
    pipeline.refresh_from_db()
    applicant.refresh_from_db()
    assert pipeline.status == PipelineStatus.CANCELLED and applicant.political_status == PoliticalStatus.MASSES


def test_pages(world, applicant, full_members, client):
    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    client.force_login(applicant)
    body = client.get("/recruitment/mine/").content.decode()
    assert "递交入党申请书" in body and "材料归档" in body
    assert "<h1>我的入党进度</h1>" in body and body.count('data-testid="reports"') + body.count("还没有思想汇报") == 1
    client.force_login(world.secretary_b)
    assert client.get(f"/recruitment/{pipeline.pk}/").status_code == 404
    client.force_login(world.secretary_a)
    assert "孙申请" in client.get("/recruitment/").content.decode()
    refused = client.post(
        f"/recruitment/{pipeline.pk}/step/3/",
        {"done_on": "2024-05-01", "recommendation": ["league"], "recommended_on": "2024-04-20", "decision": "同意确定"},
    )
    assert "须先完成第2步" in refused.content.decode()
    done = client.post(f"/recruitment/{pipeline.pk}/step/2/", {"done_on": "2024-03-20", "note": "谈话记录"})
    assert done.status_code == 302 and pipeline.steps.filter(step=2).exists()


def test_timeline_states(world, applicant, full_members):
    from plaza.recruitment.queries import timeline

    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    walk(world, pipeline, 6, full_members)
    states = {s.step.number: s.state for s in timeline(pipeline, date(2025, 1, 1))}
    assert states[1] == "done" and states[7] == "waiting" and states[8] == "later"
    assert {s.step.number: s.state for s in timeline(pipeline, date(2025, 4, 2))}[7] == "open"
    fresh = PersonFactory(birth_date=date(1990, 1, 1))
    join(fresh, world.branch_a)
    late = services.open_pipeline(world.secretary_a, fresh, world.branch_a, applied_on=date(2025, 1, 1), today=TODAY)
    assert {s.step.number: s.state for s in timeline(late, date(2025, 3, 1))}[2] == "overdue"  # talk within a month


def test_overdue_steps_escalate_to_the_committee_once(world, applicant):
    from django.core.management import call_command

    services.open_pipeline(world.secretary_a, applicant, world.branch_a, applied_on=date(2025, 1, 1), today=TODAY)
    call_command("recruitment_triggers", "--date", "2025-01-20", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Task.objects.filter(assignee=world.staff, title__startswith="逾期").exists()
    for _ in range(2):
        call_command("recruitment_triggers", "--date", "2025-03-01", stdout=open("/dev/null", "w"))  # noqa: SIM115
    escalated = Task.objects.filter(assignee=world.staff, title__startswith="逾期", done_at__isnull=True)
    assert escalated.count() == 1 and "第2步" in escalated.get().title
    pipeline = Pipeline.objects.get(person=applicant)
    services.record_step(world.secretary_a, pipeline, 2, date(2025, 3, 1), today=TODAY)
    assert not Task.objects.filter(title__startswith="逾期", done_at__isnull=True).exists()


def test_recruitment_file_pdf_has_chinese_text_and_is_audited(world, applicant, full_members, client):
    import io

    from reportlab.pdfbase.pdfmetrics import getFont  # noqa: F401 - the CID font is registered by the module

    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    walk(world, pipeline, 9, full_members)
    client.force_login(world.secretary_a)
    response = client.get(f"/recruitment/{pipeline.pk}/file.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert b"STSong-Light" in response.content and len(io.BytesIO(response.content).getvalue()) > 2000
    assert AuditEntry.objects.filter(action="recruitment.file_pdf").exists()
    client.force_login(applicant)
    assert client.get(f"/recruitment/{pipeline.pk}/file.pdf").status_code == 200
    client.force_login(world.secretary_b)
    assert client.get(f"/recruitment/{pipeline.pk}/file.pdf").status_code == 404


def test_statistics_and_export(world, applicant, full_members, client):
    import io

    from openpyxl import load_workbook

    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    walk(world, pipeline, 24, full_members)
    other = PersonFactory(birth_date=date(1995, 1, 1))
    join(other, world.branch_a)
    services.open_pipeline(world.secretary_a, other, world.branch_a, applied_on=date(2025, 1, 1), today=TODAY)
    client.force_login(world.secretary_a)
    body = client.get("/recruitment/stats/").content.decode()
    assert "装调车间党支部" in body and "2025" in body
    book = load_workbook(io.BytesIO(client.get("/recruitment/stats/", {"format": "xlsx"}).content))
    rows = [[c.value for c in r] for r in book["各阶段人数"].iter_rows()]
    assert rows[1][0] == "装调车间党支部" and rows[1][1] == 1  # one applicant in the first stage
    years = [[c.value for c in r] for r in book["年度发展与转正"].iter_rows()]
    assert [2025, 0, 1, 0] in years and [2026, 0, 0, 1] in years
    client.force_login(world.member_a)
    assert client.get("/recruitment/stats/").status_code == 403


def test_a_longer_political_review_validity_set_by_the_committee_lets_step_15_through(world, applicant, full_members):
    from plaza.localrules.services import set_rule

    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    walk(world, pipeline, 14, full_members)  # political review on 2025-04-10
    set_rule(  # in force on the day of the branch meeting (本单位规定 keep their history)
        world.staff,
        world.committee,
        "recruitment.political_review_years",
        "2",
        "党委规定政审两年内有效",
        effective_from=date(2024, 1, 1),
        backdate=True,
    )
    entry = services.record_step(
        world.secretary_a, pipeline, 15, date(2026, 5, 1), entitled=10, present=8, yes=7, today=TODAY
    )
    assert entry.override_reason == ""  # within the two years: no rule broken, nothing to override


def test_thought_reports_follow_the_branchs_period(world, applicant):
    from django.core.management import call_command

    from plaza.localrules.services import set_rule

    set_rule(
        world.staff,
        world.branch_a,
        "recruitment.thought_report_months",
        "2",
        "支部要求每两个月一次",
        effective_from=date(2025, 1, 1),
        backdate=True,
    )
    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2025, 1, 1), today=TODAY
    )
    call_command("recruitment_triggers", "--date", "2025-02-10", stdout=open("/dev/null", "w"))  # noqa: SIM115
    due = Task.objects.get(assignee=applicant, source_type="recruitment-report", done_at__isnull=True)
    assert due.due_on == date(2025, 2, 28) and due.title == "提交本期思想汇报（2025年1月1日 至 2025年2月28日）"
    services.submit_report(
        applicant, pipeline, title="学习体会", content="认真学习党章，对照检查自己的不足。" * 2, today=date(2025, 2, 11)
    )
    due.refresh_from_db()
    assert due.done_at is not None
    call_command("recruitment_triggers", "--date", "2025-02-12", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Task.objects.filter(assignee=applicant, source_type="recruitment-report", done_at__isnull=True)


def test_a_late_report_closes_the_missed_periods_to_do_too(world, applicant):
    from django.core.management import call_command

    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2025, 1, 1), today=TODAY
    )
    for day in ("2025-02-10", "2025-04-10"):  # the first quarter passes without a report
        call_command("recruitment_triggers", "--date", day, stdout=open("/dev/null", "w"))  # noqa: SIM115
    open_reports = Task.objects.filter(assignee=applicant, source_type="recruitment-report", done_at__isnull=True)
    assert sorted(open_reports.values_list("due_on", flat=True)) == [date(2025, 3, 31), date(2025, 6, 30)]
    services.submit_report(
        applicant,
        pipeline,
        title="补交第一季度的思想汇报",
        content="第一季度因出差未能按时提交，现补交，认真学习了党章和全会精神。" * 2,
        today=date(2025, 4, 11),
    )
    assert not open_reports.exists()


def test_thought_reports_are_reminded_submitted_and_read(world, applicant, client):
    from django.core.management import call_command

    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2025, 1, 1), today=TODAY
    )
    call_command("recruitment_triggers", "--date", "2025-02-10", stdout=open("/dev/null", "w"))  # noqa: SIM115
    due = Task.objects.get(assignee=applicant, title="提交本季度思想汇报", done_at__isnull=True)
    assert due.due_on == date(2025, 3, 31)
    with pytest.raises(ValidationError):
        services.submit_report(applicant, pipeline, title="短", content="太短", today=date(2025, 2, 11))
    with pytest.raises(PermissionDenied):
        services.submit_report(world.member_a, pipeline, title="代交", content="x" * 30, today=date(2025, 2, 11))
    report = services.submit_report(
        applicant,
        pipeline,
        title="学习主题教育的体会",
        content="通过学习，我进一步认识到“学思想、强党性、重实践、建新功”的要求。" * 2,
        today=date(2025, 2, 11),
    )
    due.refresh_from_db()
    assert due.done_at is not None
    to_read = Task.objects.filter(assignee=world.secretary_a, source_type="recruitment-read", done_at__isnull=True)
    assert to_read.exists()
    client.force_login(world.secretary_a)
    page = client.get(f"/recruitment/{pipeline.pk}/").content.decode()
    # the whole report is there to read before it is marked read (the page showed 60 characters and no more)
    assert report.content in page and "标为已阅" in page
    client.post(f"/recruitment/reports/{report.pk}/review/", {"comment": "认识深刻"})
    report.refresh_from_db()
    assert report.comment == "认识深刻" and report.reviewed_by == world.secretary_a
    client.force_login(world.secretary_b)
    assert client.post(f"/recruitment/reports/{report.pk}/review/", {"comment": "越权"}).status_code == 404


def test_board_filters(world, applicant, client):
    services.open_pipeline(world.secretary_a, applicant, world.branch_a, applied_on=date(2025, 1, 1), today=TODAY)
    client.force_login(world.staff)
    assert "孙申请" in client.get("/recruitment/", {"branch": world.branch_a.pk}).content.decode()
    assert "孙申请" not in client.get("/recruitment/", {"branch": world.branch_b.pk}).content.decode()
    assert "孙申请" not in client.get("/recruitment/", {"q": "张"}).content.decode()
    assert "孙申请" in client.get("/recruitment/", {"overdue": "1"}).content.decode()  # the talk is overdue
    client.force_login(world.secretary_a)
    assert client.get("/recruitment/", {"branch": world.branch_b.pk}).status_code == 404


def test_step_documents_upload_and_download(world, applicant, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2025, 1, 1), today=TODAY
    )
    client.force_login(world.secretary_a)
    bad = client.post(
        f"/recruitment/{pipeline.pk}/step/2/",
        {"done_on": "2025-01-20", "document": SimpleUploadedFile("talk.exe", b"MZ")},
    )
    assert "只能是 PDF" in bad.content.decode()
    ok = client.post(
        f"/recruitment/{pipeline.pk}/step/2/",
        {
            "done_on": "2025-01-20",
            "note": "谈话记录",
            "document": SimpleUploadedFile("谈话记录.pdf", b"%PDF-1.4 talk", content_type="application/pdf"),
        },
    )
    assert ok.status_code == 302
    entry = StepRecord.objects.get(pipeline=pipeline, step=2)
    assert b"".join(client.get(f"/recruitment/documents/{entry.pk}/").streaming_content) == b"%PDF-1.4 talk"
    client.force_login(world.secretary_b)
    assert client.get(f"/recruitment/documents/{entry.pk}/").status_code == 404


def test_yearly_plan_against_admissions(world, applicant, full_members, client):
    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    walk(world, pipeline, 17, full_members)
    client.force_login(world.secretary_a)
    assert client.get("/recruitment/plans/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.set_plan(world.secretary_a, world.branch_a, 2025, 3)
    client.force_login(world.staff)
    client.post("/recruitment/plans/", {"year": "2025", "branch": world.branch_a.pk, "planned": "3"})
    client.post("/recruitment/plans/", {"year": "2025", "branch": world.branch_a.pk, "planned": "4"})
    body = client.get("/recruitment/plans/", {"year": 2025}).content.decode()
    assert "装调车间党支部" in body and 'value="4"' in body
    assert AuditEntry.objects.filter(action="recruitment.plan").count() == 2
    data = client.get("/recruitment/stats/").content.decode()
    assert "<td>2025</td><td>4</td><td>1</td>" in data.replace("\n", "")


def _book(rows):
    import io

    from openpyxl import Workbook

    from plaza.recruitment.imports import template_header

    workbook = Workbook()
    workbook.active.append(template_header())
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_import_pipelines_with_warnings_and_errors(world, applicant):
    from plaza.recruitment.imports import import_pipelines

    # A talk two months after the application was late, but a late step is recorded, not refused: no warning.
    late_talk = ["A0100", "P0101", "2024-03-01", "2024-05-01", "2024-06-01"]
    result = import_pipelines(world.staff, _book([late_talk]))
    assert result.ok and result.created == 1 and result.warnings == []
    pipeline = Pipeline.objects.get(person=applicant)
    assert sorted(pipeline.steps.values_list("step", flat=True)) == [1, 2, 3]
    with pytest.raises(PermissionDenied):
        import_pipelines(world.secretary_a, _book([late_talk]))
    other = PersonFactory(employee_no="A0300", birth_date=date(1990, 1, 1))
    join(other, world.branch_a)
    bad = import_pipelines(
        world.staff,
        _book(
            [
                ["A0100", "P0101", "2024-03-01"],  # already in a pipeline
                ["A0300", "P0101", "2024-03-01", "", "2024-06-01"],  # step 3 without step 2
                ["A0300", "P9999", "x"],
            ]
        ),
    )
    messages = [str(e) for e in bad.errors]
    assert "第 2 行「工号」：此人已在发展程序中" in messages
    assert "第 3 行「第3步」：缺少第2步的日期" in messages
    assert "第 4 行「第1步」：日期格式应为 2020-01-01" in messages
    assert not Pipeline.objects.filter(person=other).exists()


def test_imported_rule_violations_are_kept_as_warnings(world, applicant):
    from plaza.recruitment.imports import import_pipelines

    early_candidate = [
        "A0100",
        "P0101",
        "2024-03-01",
        "2024-03-20",
        "2024-04-01",
        "2024-04-05",
        "2024-04-05",
        "2024-10-01",
        "2024-12-01",
    ]
    result = import_pipelines(world.staff, _book([early_candidate]))
    assert result.ok
    assert [str(w) for w in result.warnings] == [
        "第 2 行「第7步」：培养考察未满一年，最早可于 2025-04-01 列为发展对象 (《细则》)"
    ]
    entry = StepRecord.objects.get(pipeline__person=applicant, step=7)
    assert "培养考察未满一年" in entry.override_reason


def test_person_applies_on_the_phone(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    person = PersonFactory(employee_no="A0400", name="钱申请", birth_date=date(1999, 1, 1))
    join(person, world.group_a1)  # in a Party group: the application goes to its branch
    client.force_login(person)
    assert "申请入党" in client.get("/s/work/").content.decode()
    empty = client.post("/recruitment/apply/", {})
    assert "请填写申请书" in empty.content.decode()
    done = client.post("/recruitment/apply/", {"document": SimpleUploadedFile("申请书.jpg", b"\xff\xd8img")})
    assert done.status_code == 302
    pipeline = Pipeline.objects.get(person=person)
    assert pipeline.branch == world.branch_a and pipeline.steps.get(step=1).document
    assert "申请入党" not in client.get("/s/work/").content.decode()
    assert client.get("/recruitment/apply/").status_code == 302


def test_approval_extension_once_with_a_reason(world, applicant, full_members, client):
    from plaza.rules import recruitment as rules

    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    walk(world, pipeline, 14, full_members)
    with pytest.raises(ValidationError, match="支部大会通过后"):
        services.extend_approval(world.staff, pipeline, "材料需补充")
    walk_from = {15: date(2025, 6, 1), 16: date(2025, 6, 10)}
    services.record_step(world.secretary_a, pipeline, 15, walk_from[15], entitled=10, present=8, yes=7, today=TODAY)
    services.record_step(world.staff, pipeline, 16, walk_from[16], today=TODAY)
    with pytest.raises(PermissionDenied):
        services.extend_approval(world.secretary_a, pipeline, "材料需补充")
    client.force_login(world.staff)
    client.post(f"/recruitment/{pipeline.pk}/extend-approval/", {"reason": "政审材料需外调补充"})
    pipeline.refresh_from_db()
    assert pipeline.approval_extended_reason == "政审材料需外调补充"
    done = services.done_dates(pipeline)
    assert rules.latest(17, done, extended=True) == date(2025, 12, 1)
    task = Task.objects.filter(assignee=world.staff, title__contains="第17步", done_at__isnull=True).get()
    assert task.due_on == date(2025, 12, 1)
    with pytest.raises(ValidationError, match="只能延长一次"):
        services.extend_approval(world.staff, pipeline, "再延长")


def test_committee_overview_when_many_pipelines(world, applicant, full_members, client, monkeypatch):
    from plaza.recruitment import queries

    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    walk(world, pipeline, 8, full_members)
    pipeline.refresh_from_db()
    assert pipeline.last_step == 8
    monkeypatch.setattr(queries, "SUMMARY_ABOVE", 0)
    client.force_login(world.staff)
    body = client.get("/recruitment/").content.decode()
    assert 'data-testid="overview"' in body and "装调车间党支部" in body
    assert [(b.pk, b.name, n) for b, n in queries.summary(world.staff)] == [
        (world.branch_a.pk, world.branch_a.name, [0, 0, 1, 0, 0])
    ]  # next step 9: candidate stage
    assert "孙申请" in client.get("/recruitment/", {"branch": world.branch_a.pk}).content.decode()


def test_set_based_sweep_matches_the_one_by_one_pass(world, full_members):
    """Several people at different steps, some overdue: both passes leave the same open to-dos and reminders."""
    from plaza.notify.models import Reminder
    from plaza.recruitment.sweep import sweep

    day = date(2025, 9, 1)
    for index, upto in enumerate((1, 3, 6, 14, 16, 21)):
        person = PersonFactory(employee_no=f"A05{index:02d}", birth_date=date(1995, 1, 1))
        join(person, world.branch_a)
        pipeline = services.open_pipeline(
            world.secretary_a, person, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
        )
        walk(world, pipeline, upto, full_members)

    def snapshot():
        return sorted(
            Task.objects.filter(done_at__isnull=True, source_type__startswith="recruitment")
            .exclude(source_type="recruitment-read")
            .values_list("assignee_id", "source_type", "source_id", "title", "due_on")
        )

    def scheduled():
        return sorted(
            Reminder.objects.values_list("dedupe_key", "title", "due_at", "deadline", "deliveries__recipient_id")
        )

    Task.objects.filter(source_type__startswith="recruitment").delete()  # left by setup with another "today"
    Reminder.objects.all().delete()
    services.run_triggers_one_by_one(day)
    reference, reminders = snapshot(), scheduled()
    assert any(key.endswith(":conversion:1") for key, *_rest in reminders)
    assert any(":review:" in key for key, *_rest in reminders)
    Task.objects.filter(source_type__startswith="recruitment").delete()
    Reminder.objects.all().delete()
    counts = sweep(day)
    assert snapshot() == reference and scheduled() == reminders
    assert counts["pipelines"] == 6 and any(title.startswith("逾期") for *_, title, _due in reference)
    assert sweep(day) == counts and snapshot() == reference  # idempotent


def test_an_expired_political_review_can_be_overridden_by_the_committee(world, applicant, full_members):
    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    walk(world, pipeline, 14, full_members)  # political review on 2025-04-10
    late = date(2026, 5, 1)
    with pytest.raises(ValidationError, match="政治审查"):
        services.record_step(world.secretary_a, pipeline, 15, late, entitled=10, present=8, yes=7, today=TODAY)
    entry = services.record_step(
        world.staff,
        pipeline,
        15,
        late,
        entitled=10,
        present=8,
        yes=7,
        today=TODAY,
        override_reason="政审材料经复核仍有效",
    )
    assert entry.override_reason == "政审材料经复核仍有效"
