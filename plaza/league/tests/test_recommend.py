"""推优: a League branch recommends a member; the Party branch confirms it as recruitment step 3 (共青团推优)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from plaza.league import queries, services
from plaza.league.models import RecommendationStatus
from plaza.notify.models import Task
from plaza.recruitment import queries as recruitment_queries
from plaza.recruitment import services as recruitment_services
from plaza.testing.factories import join


@pytest.fixture
def pipeline(world, youth):
    """周将满's application to the 装调车间党支部 (steps 1 and 2 recorded)."""
    join(youth.young, world.branch_a)
    p = recruitment_services.open_pipeline(
        world.secretary_a, youth.young, world.branch_a, applied_on=date(2026, 1, 5), today=date(2026, 6, 10)
    )
    recruitment_services.record_step(world.secretary_a, p, 2, date(2026, 1, 20), today=date(2026, 6, 10))
    return p


def test_recommendation_becomes_step_3_without_retyping(world, youth, pipeline, committed):
    rec = services.recommend(
        youth.secretary_a,
        youth.young,
        on=date(2026, 5, 4),
        reason="团支部大会民主推荐，表现突出",
        today=date(2026, 6, 10),
    )
    task = Task.objects.get(source_type="league.recommendation", assignee=world.secretary_a)
    assert "吴青年" in task.title
    # the Party branch secretary sees it, another branch's does not
    assert queries.recommendation_for(world.secretary_a, rec.pk) == rec
    assert queries.recommendation_for(world.secretary_b, rec.pk) is None
    assert services.may_confirm(world.secretary_a, rec) and not services.may_confirm(youth.secretary_a, rec)
    with pytest.raises(PermissionDenied):
        services.confirm(world.secretary_b, rec, on=date(2026, 6, 1), decision="同意确定为入党积极分子")
    entry = services.confirm(
        world.secretary_a,
        rec,
        on=date(2026, 6, 1),
        decision="经支部委员会研究，同意确定为入党积极分子。",
        today=date(2026, 6, 10),
    )
    assert entry.step == 3 and entry.details["recommendation"] == ["league"]
    assert entry.details["recommended_on"] == "2026-05-04"
    assert entry.recommendation_labels == ["共青团推优"]
    assert recruitment_queries.step_record_for(world.secretary_a, entry.pk) == entry
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.CONFIRMED and rec.step_record == entry
    assert not Task.objects.filter(source_type="league.recommendation", done_at__isnull=True).exists()
    with pytest.raises(ValidationError):
        services.confirm(world.secretary_a, rec, on=date(2026, 6, 1), decision="同意")


def test_recommend_refusals(world, youth):
    with pytest.raises(PermissionDenied):  # another branch's member
        services.recommend(youth.secretary_b, youth.young, on=date(2026, 5, 4), reason="表现突出优秀")
    with pytest.raises(ValidationError, match="不是共青团员"):
        services.recommend(youth.secretary_a, world.employee, on=date(2026, 5, 4), reason="表现突出优秀")
    services.recommend(youth.secretary_a, youth.young, on=date(2026, 5, 4), reason="表现突出优秀")
    with pytest.raises(ValidationError, match="已有一份"):
        services.recommend(youth.secretary_a, youth.young, on=date(2026, 5, 4), reason="表现突出优秀")


def test_without_a_pipeline_it_waits_and_says_why(world, youth):
    rec = services.recommend(youth.secretary_a, youth.young, on=date(2026, 5, 4), reason="表现突出优秀")
    assert not Task.objects.filter(source_type="league.recommendation").exists()
    assert not services.may_confirm(world.secretary_a, rec)
    with pytest.raises(ValidationError, match="还没有入党培养档案"):
        services.confirm(world.secretary_a, rec, on=date(2026, 6, 1), decision="同意确定为入党积极分子")


def test_pages(world, youth, pipeline, login):
    client = login(youth.secretary_a)
    response = client.post(
        "/league/recommendations/new/",
        {"employee_no": "Y0011", "recommended_on": "2026-05-04", "reason": "团支部大会民主推荐"},
    )
    assert response.status_code == 302
    rec = queries.recommendations(youth.secretary_a).get()
    assert client.get(f"/league/recommendations/{rec.pk}/").status_code == 200
    client = login(world.secretary_a)
    page = client.get(f"/league/recommendations/{rec.pk}/")
    assert "确定为入党积极分子" in page.content.decode()
    response = client.post(
        f"/league/recommendations/{rec.pk}/", {"done_on": "2026-06-01", "decision": "经支部委员会研究，同意。"}
    )
    assert response.status_code in (200, 302)
    client = login(world.secretary_b)
    assert client.get(f"/league/recommendations/{rec.pk}/").status_code == 404
