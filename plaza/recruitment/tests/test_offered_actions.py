"""What the file page offers is asked of services, not decided in the view (issue 13, thin views)."""

from __future__ import annotations

from datetime import date

from plaza.recruitment import services
from plaza.recruitment.models import PipelineStatus
from plaza.recruitment.tests.test_recruitment import TODAY, walk


def test_extending_the_approval_is_offered_to_committee_staff_between_the_vote_and_the_approval(
    world, applicant, full_members, client
):
    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    walk(world, pipeline, 14, full_members)
    assert not services.may_extend_approval(world.staff, pipeline)  # the branch meeting has not voted yet
    services.record_step(world.secretary_a, pipeline, 15, date(2025, 6, 1), entitled=10, present=8, yes=7, today=TODAY)
    services.record_step(world.staff, pipeline, 16, date(2025, 6, 10), today=TODAY)
    assert services.may_extend_approval(world.staff, pipeline)
    assert not services.may_extend_approval(world.secretary_a, pipeline)  # the branch does not approve itself
    client.force_login(world.staff)
    assert "延长审批期限" in client.get(f"/recruitment/{pipeline.pk}/").content.decode()
    services.extend_approval(world.staff, pipeline, "政审材料需外调补充")
    pipeline.refresh_from_db()
    assert not services.may_extend_approval(world.staff, pipeline)  # once only
    assert "延长审批期限的原因" not in client.get(f"/recruitment/{pipeline.pk}/").content.decode()


def test_the_leaving_date_is_offered_to_the_branch_while_the_pipeline_runs(world, applicant):
    pipeline = services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )
    assert services.may_set_leaving_date(world.secretary_a, pipeline)
    assert not services.may_set_leaving_date(world.secretary_b, pipeline)
    pipeline.status = PipelineStatus.CANCELLED
    assert not services.may_set_leaving_date(world.secretary_a, pipeline)
