"""Step 3's recommendation and decision as data, one 支部大会 for several applicants, and the leaving warning."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from plaza.audit.models import AuditEntry
from plaza.recruitment import services
from plaza.recruitment.models import StepRecord
from plaza.testing.factories import PersonFactory, join

from .test_recruitment import STEP_3, TODAY, walk


def _pipeline(world, number: str, name: str):
    person = PersonFactory(employee_no=number, name=name, birth_date=date(1996, 1, 1))
    join(person, world.branch_a)
    return services.open_pipeline(world.secretary_a, person, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY)


def test_step_3_keeps_the_recommendation_and_the_decision(world, applicant, full_members):
    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    walk(world, pipeline, 2, full_members)
    with pytest.raises(ValidationError) as missing:
        services.record_step(world.secretary_a, pipeline, 3, date(2024, 4, 1), today=TODAY)
    assert {
        "请选择推荐方式：党员推荐或群团组织推优（工会、共青团）。",
        "请填写推荐日期。",
        "请填写支部委员会的研究意见。",
    } <= set(missing.value.messages)
    with pytest.raises(ValidationError, match="推荐日期应在递交入党申请书之后"):
        services.record_step(
            world.secretary_a,
            pipeline,
            3,
            date(2024, 4, 1),
            today=TODAY,
            details=STEP_3 | {"recommended_on": date(2024, 4, 2)},
        )
    with pytest.raises(ValidationError, match="推荐人应为党员"):
        services.record_step(
            world.secretary_a, pipeline, 3, date(2024, 4, 1), today=TODAY, details=STEP_3, people=[world.employee]
        )
    entry = services.record_step(
        world.secretary_a,
        pipeline,
        3,
        date(2024, 4, 1),
        today=TODAY,
        details=STEP_3 | {"recommendation": ["members", "bogus"]},
        people=full_members[:1],
    )
    entry.refresh_from_db()
    assert entry.details == {
        "recommendation": ["members"],
        "recommended_on": "2024-03-28",
        "decision": STEP_3["decision"],
    }
    assert entry.recommendation_labels == ["党员推荐"] and list(entry.people.all()) == full_members[:1]


def test_step_3_form_and_the_file_show_the_recommendation(client, world, applicant, full_members):
    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    walk(world, pipeline, 2, full_members)
    client.force_login(world.secretary_a)
    missing = client.post(f"/recruitment/{pipeline.pk}/step/3/", {"done_on": "2024-04-01", "decision": ""})
    assert missing.status_code == 200 and not pipeline.steps.filter(step=3).exists()
    done = client.post(
        f"/recruitment/{pipeline.pk}/step/3/",
        {
            "done_on": "2024-04-01",
            "recommendation": ["members", "union"],
            "recommended_on": "2024-03-25",
            "people": "A0002",
            "decision": "经支部委员会研究，同意。",
        },
    )
    assert done.status_code == 302
    page = client.get(f"/recruitment/{pipeline.pk}/").content.decode()
    assert "党员推荐、工会推优" in page and "经支部委员会研究，同意。" in page and "推荐人：张建国" in page


def test_one_meeting_votes_several_applicants_one_at_a_time(world, full_members):
    first, second = _pipeline(world, "A0300", "甲申请"), _pipeline(world, "A0301", "乙申请")
    for pipeline in (first, second):
        walk(world, pipeline, 14, full_members)
    assert services.waiting_for_meeting(world.branch_a, 15) == [first, second]
    entries = services.record_branch_meeting(
        world.secretary_a,
        world.branch_a,
        15,
        date(2025, 6, 1),
        entitled=10,
        present=8,
        note="会议记录",
        votes=[services.Vote(first, yes=7), services.Vote(second, yes=6)],
        today=TODAY,
    )
    assert [(e.pipeline_id, e.yes, e.entitled, e.present) for e in entries] == [
        (first.pk, 7, 10, 8),
        (second.pk, 6, 10, 8),
    ]
    assert [e.details["meeting"]["order"] for e in entries] == [1, 2]
    assert services.waiting_for_meeting(world.branch_a, 15) == []
    assert AuditEntry.objects.filter(action="recruitment.branch_meeting").count() == 1


def test_a_meeting_with_one_failed_vote_records_nobody_and_says_why_per_person(world, full_members):
    first, second = _pipeline(world, "A0300", "甲申请"), _pipeline(world, "A0301", "乙申请")
    for pipeline in (first, second):
        walk(world, pipeline, 14, full_members)
    with pytest.raises(ValidationError) as failed:
        services.record_branch_meeting(
            world.secretary_a,
            world.branch_a,
            15,
            date(2025, 6, 1),
            entitled=10,
            present=8,
            votes=[services.Vote(first, yes=7), services.Vote(second, yes=5)],
            today=TODAY,
        )
    assert list(failed.value.message_dict) == [str(second.pk)]
    assert "未通过" in failed.value.message_dict[str(second.pk)][0]
    assert not StepRecord.objects.filter(step=15).exists()  # all or nothing
    with pytest.raises(ValidationError, match="请至少选择一名"):
        services.record_branch_meeting(
            world.secretary_a, world.branch_a, 15, date(2025, 6, 1), entitled=10, present=8, votes=[], today=TODAY
        )
    with pytest.raises(PermissionDenied):
        services.record_branch_meeting(
            world.secretary_b,
            world.branch_a,
            15,
            date(2025, 6, 1),
            entitled=10,
            present=8,
            votes=[services.Vote(first, yes=7)],
            today=TODAY,
        )
    with pytest.raises(ValidationError) as elsewhere:
        services.record_branch_meeting(
            world.secretary_b,
            world.branch_b,
            15,
            date(2025, 6, 1),
            entitled=10,
            present=8,
            votes=[services.Vote(first, yes=7)],
            today=TODAY,
        )
    assert "不在本支部" in elsewhere.value.message_dict[str(first.pk)][0]


def test_meeting_page_from_the_board(client, world, full_members, settings):
    settings.PLAZA_TODAY = TODAY.isoformat()
    first, second = _pipeline(world, "A0300", "甲申请"), _pipeline(world, "A0301", "乙申请")
    for pipeline in (first, second):
        walk(world, pipeline, 14, full_members)
    client.force_login(world.secretary_a)
    board = client.get("/recruitment/", {"branch": world.branch_a.pk}).content.decode()
    assert f"/recruitment/meeting/{world.branch_a.pk}/15/" in board
    url = f"/recruitment/meeting/{world.branch_a.pk}/15/"
    page = client.get(url).content.decode()
    assert "甲申请" in page and "乙申请" in page and "逐个讨论和表决" in page
    form = {
        "done_on": "2025-06-01",
        "entitled": "10",
        "present": "8",
        f"include_{first.pk}": "on",
        f"yes_{first.pk}": "7",
        f"include_{second.pk}": "on",
        f"yes_{second.pk}": "4",
    }
    refused = client.post(url, form)
    body = refused.content.decode()
    assert refused.status_code == 200 and "有 1 人未能记录" in body and 'data-testid="row-refusal"' in body
    assert not StepRecord.objects.filter(step=15).exists()
    form.pop(f"include_{second.pk}")  # the secretary leaves the second applicant out and sends again
    assert client.post(url, form).status_code == 302
    assert list(StepRecord.objects.filter(step=15).values_list("pipeline_id", flat=True)) == [first.pk]
    assert client.get(f"/recruitment/meeting/{world.branch_a.pk}/16/").status_code == 404
    client.force_login(world.secretary_b)
    assert client.get(url).status_code == 404


def test_leaving_within_three_months_warns_but_does_not_block(client, world, applicant, full_members, settings):
    settings.PLAZA_TODAY = "2025-03-15"
    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    walk(world, pipeline, 6, full_members)
    client.force_login(world.secretary_a)
    assert client.post(f"/recruitment/{pipeline.pk}/leaving/", {"leaves_on": "2025-06-01"}).status_code == 302
    pipeline.refresh_from_db()
    assert pipeline.leaves_on == date(2025, 6, 1)
    assert "一般不办理接收手续" in client.get(f"/recruitment/{pipeline.pk}/").content.decode()
    entry = services.record_step(world.secretary_a, pipeline, 7, date(2025, 4, 1), today=TODAY)
    assert len(entry.warnings) == 1 and "2025-06-01" in entry.warnings[0]
    services.set_leaving_date(world.secretary_a, pipeline, None)
    pipeline.refresh_from_db()
    assert services.leaving_notice(pipeline, date(2025, 4, 2)) == ""
    with pytest.raises(PermissionDenied):
        services.set_leaving_date(world.secretary_b, pipeline, date(2025, 6, 1))
    assert AuditEntry.objects.filter(action="recruitment.leaving").count() == 2


def test_facts_of_a_step_say_what_was_recorded_in_words(world, applicant, full_members):
    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    walk(world, pipeline, 23, full_members)
    facts = {entry.step: entry.facts() for entry in pipeline.steps.all()}
    assert facts[3] == ["推荐方式：党员推荐、共青团推优（2024年3月28日）", f"支部委员会研究意见：{STEP_3['decision']}"]
    assert facts[9] == ["入党介绍人：张建国、周党员"]
    assert facts[11] == ["培训 24 学时"]
    assert facts[23] == ["应到 10 · 实到 8 · 赞成 7", "结论：转为正式党员"]  # the label, never the key
    assert facts[2] == []


def test_candidacy_nudge_is_scheduled_once_and_cancelled_when_step_7_is_recorded(world, applicant, full_members):
    from plaza.notify.models import Delivery, DeliveryState, Reminder

    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=date(2024, 4, 1)
    )
    walk(world, pipeline, 6, full_members)  # step 3 on 2024-04-01
    services.refresh_tasks(pipeline, today=date(2025, 2, 1))
    nudge = Reminder.objects.get(dedupe_key=f"recruitment:{pipeline.pk}:candidacy")
    assert nudge.due_at.date() == date(2025, 4, 1) and "可研究是否列为发展对象" in nudge.title
    assert set(nudge.deliveries.values_list("recipient_id", flat=True)) == {world.secretary_a.pk}
    services.record_step(world.secretary_a, pipeline, 7, date(2025, 4, 1), today=TODAY)
    assert not Delivery.objects.filter(reminder__subject_id=str(pipeline.pk), state=DeliveryState.PENDING).exists()
    assert Reminder.objects.get(pk=nudge.pk).cancelled_at is not None


def test_overrides_are_listed_for_the_branch_and_the_committee_only(client, world, applicant, full_members):
    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    walk(world, pipeline, 6, full_members)
    services.record_step(
        world.staff, pipeline, 7, date(2025, 3, 1), today=TODAY, override_reason="急需骨干，经党委研究"
    )
    for viewer in (world.staff, world.secretary_a):
        client.force_login(viewer)
        page = client.get("/recruitment/overrides/").content.decode()
        assert "急需骨干，经党委研究" in page and "孙申请" in page
    client.force_login(world.secretary_b)
    assert "急需骨干" not in client.get("/recruitment/overrides/").content.decode()
    client.force_login(world.member_a)
    assert client.get("/recruitment/overrides/").status_code == 403
