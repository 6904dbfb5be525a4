"""职代会提案: the collection window, one matter, two co-signers before it counts (once each), 立案 or a written
return, the answer within 20 working days (本单位规定), the rating, the yearly list as Excel and PDF."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from plaza.testing.factories import PersonFactory, join
from plaza.voice import services
from plaza.voice.models import Cosignature, ProposalState

from .helpers import union_chair


@pytest.fixture
def congress(world, settings):  # noqa: ANN001, ANN201
    settings.PLAZA_TODAY = "2026-03-02"
    chair = union_chair(world)
    found = services.create_congress(
        chair,
        world.union,
        name="第八届职代会第三次会议",
        opens_on=date(2026, 3, 1),
        closes_on=date(2026, 3, 20),
        meets_on=date(2026, 3, 27),
    )
    return chair, found


def _members(world, n):  # noqa: ANN001, ANN202
    people = [PersonFactory(employee_no=f"M{i:04d}", name=f"会员{i}") for i in range(n)]
    for person in people:
        join(person, world.union)
    return people


def test_the_whole_way_of_a_proposal(world, congress, login):
    chair, found = congress
    with pytest.raises(ValidationError, match="一事一案"):
        services.file_proposal(world.employee, found, title="食堂", reason="r", suggestion="s", one_matter=False)
    with pytest.raises(ValidationError, match="请填写案由"):
        services.file_proposal(world.employee, found, title=" ", reason="r", suggestion="s", one_matter=True)
    with pytest.raises(PermissionDenied, match="工会会员"):
        services.file_proposal(world.secretary_b, found, title="t", reason="r", suggestion="s", one_matter=True)
    proposal = services.file_proposal(
        world.employee,
        found,
        title="延长夜班食堂供餐时间",
        reason="夜班下班时食堂已关",
        suggestion="供餐延长至 22:30",
        one_matter=True,
    )
    a, b = _members(world, 2)
    with pytest.raises(ValidationError, match="不能附议自己"):
        services.cosign(world.employee, proposal)
    proposal = services.cosign(a, proposal)
    assert proposal.state == ProposalState.COLLECTING
    with pytest.raises(ValidationError, match="只能附议一次"):
        services.cosign(a, proposal)
    with pytest.raises(PermissionDenied):
        services.accept_proposal(world.secretary_a, proposal, world.union)
    with pytest.raises(ValidationError, match="附议人满 2 人"):
        services.accept_proposal(chair, proposal, world.union)
    proposal = services.cosign(b, proposal)
    assert proposal.state == ProposalState.SUBMITTED and proposal.cosigners == 2 == Cosignature.objects.count()
    proposal = services.accept_proposal(chair, proposal, world.union, today=date(2026, 3, 2))
    assert proposal.answer_due == date(2026, 3, 30)  # 20 working days after Monday 03-02
    proposal = services.answer_proposal(chair, proposal, "自四月起夜班供餐延长至 22:30。")
    with pytest.raises(PermissionDenied):
        services.rate_proposal(a, proposal, True)
    proposal = services.rate_proposal(world.employee, proposal, True, "好")
    assert proposal.satisfied
    client = login(chair)
    xlsx = client.get(reverse("voice:yearly") + "?year=2026&format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = client.get(reverse("voice:yearly") + "?year=2026&format=pdf")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    page = client.get(reverse("voice:yearly") + "?year=2026").content.decode()
    assert "延长夜班食堂供餐时间" in page


def test_outside_the_window_and_the_return(world, congress, settings):
    chair, found = congress
    proposal = services.file_proposal(world.employee, found, title="t", reason="r", suggestion="s", one_matter=True)
    for person in _members(world, 2):
        services.cosign(person, proposal)
    with pytest.raises(ValidationError, match="理由"):
        services.return_proposal(chair, proposal, "")
    proposal = services.return_proposal(chair, proposal, "属于日常管理事项，转作意见建议办理")
    assert proposal.state == ProposalState.RETURNED
    settings.PLAZA_TODAY = "2026-03-21"
    with pytest.raises(ValidationError, match="不在征集期内"):
        services.file_proposal(world.employee, found, title="t", reason="r", suggestion="s", one_matter=True)


def test_proposal_pages(world, congress, login):
    chair, found = congress
    proposal = services.file_proposal(
        world.employee, found, title="更衣柜不够", reason="r", suggestion="s", one_matter=True
    )
    other = _members(world, 1)[0]
    client = login(other)
    for url in [
        reverse("voice:proposals"),
        reverse("voice:congress", args=[found.pk]),
        reverse("voice:proposal", args=[proposal.pk]),
    ]:
        assert client.get(url).status_code == 200, url
    client.post(reverse("voice:proposal", args=[proposal.pk]), {"action": "cosign"})
    proposal.refresh_from_db()
    assert proposal.cosigners == 1
    assert login(world.secretary_b).get(reverse("voice:proposal", args=[proposal.pk])).status_code == 404
    chair_client = login(chair)
    assert chair_client.get(reverse("voice:congresses")).status_code == 200


def test_a_late_proposal_answer_is_escalated_once(world, congress, committed):
    """QA: accepted proposals had a reminder before the due day but nothing when the day passed; the daily
    pass now tells the 提案委员会 and the level above the 承办部门, once."""
    from plaza.notify.models import Delivery
    from plaza.voice.sweep import voice_sweep

    from .helpers import sub_union

    chair, found = congress
    department = sub_union(world)
    proposal = services.file_proposal(
        world.employee, found, title="增设班车线路", reason="新区无班车", suggestion="增设一条线路", one_matter=True
    )
    for person in _members(world, 2):
        proposal = services.cosign(person, proposal)
    proposal = services.accept_proposal(chair, proposal, department, today=date(2026, 3, 2))
    due = proposal.answer_due
    assert voice_sweep(due).proposals_escalated == 0  # the due day itself is in time
    after = date.fromordinal(due.toordinal() + 1)
    assert voice_sweep(after).proposals_escalated == 1
    assert voice_sweep(after).proposals_escalated == 0
    proposal.refresh_from_db()
    assert proposal.escalated_on == after
    told = Delivery.objects.filter(recipient=chair, reminder__title__contains="督办")
    assert told.exists() and "增设班车线路" in told.first().reminder.title
