"""The 党员发展 API: my progress as the page shows it, a pipeline only inside the viewer's scope, thought reports
through the service (its refusals as 400 with the reason)."""

from datetime import date

import pytest

from plaza.api.auth import issue_token
from plaza.notify.models import Task
from plaza.recruitment import queries, services
from plaza.recruitment.models import ThoughtReport

TODAY = date(2024, 6, 1)


@pytest.fixture(autouse=True)
def fixed_today(settings):
    settings.PLAZA_TODAY = TODAY


@pytest.fixture
def pipeline(world, applicant):
    return services.open_pipeline(
        world.secretary_a, applicant, world.branch_a, applied_on=date(2024, 3, 1), today=TODAY
    )


def _bearer(person) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(person, '手机')}"}


def test_my_progress_is_the_timeline_of_the_page(client, world, applicant, pipeline):
    client.force_login(applicant)
    response = client.get("/api/v1/recruitment/mine")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == pipeline.pk and body["status"] == "active" and body["status_label"] == "进行中"
    assert body["branch"] == "装调车间党支部" and body["person"] == "孙申请"
    steps = body["steps"]
    assert [s["number"] for s in steps] == list(range(1, 26))
    assert steps[0] == {
        **steps[0],
        "name": "递交入党申请书",
        "state": "done",
        "state_label": "已完成",
        "done_on": "2024-03-01",
        "responsible": "person",
        "responsible_label": "本人",
    }
    timeline = queries.timeline(pipeline, TODAY)
    assert [s["state"] for s in steps] == [s.state for s in timeline]
    assert [s["latest"] for s in steps] == [s.latest and s.latest.isoformat() for s in timeline]
    assert steps[1]["state"] == "overdue" and steps[1]["responsible"] == "branch"  # 谈话 within a month
    assert steps[24]["state"] == "later" and steps[24]["stage"] == "教育考察和转正"
    assert body["reports"] == []


def test_without_a_pipeline_my_progress_is_404_with_a_reason(client, world):
    client.force_login(world.member_a)
    response = client.get("/api/v1/recruitment/mine")
    assert response.status_code == 404 and "入党培养档案" in response.json()["detail"]


def test_a_pipeline_is_seen_by_its_branch_and_the_committee_only(client, world, applicant, pipeline):
    url = f"/api/v1/recruitment/pipelines/{pipeline.pk}"
    for person in (world.secretary_a, world.staff):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200 and response.json()["person"] == "孙申请"
    for person in (world.secretary_b, world.member_a, applicant):  # the person has their own: /recruitment/mine
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 404 and "孙申请" not in response.content.decode()


def test_thought_report_goes_through_the_service(client, world, applicant, pipeline):
    headers = _bearer(applicant)
    url = "/api/v1/recruitment/mine/reports"
    short = client.post(url, {"title": "体会", "content": "太短"}, content_type="application/json", **headers)
    assert short.status_code == 400 and "不少于 20 个字" in short.json()["detail"]
    assert client.post(url, {"title": "体会"}, content_type="application/json", **headers).status_code == 422
    content = "认真学习党章，对照检查自己的不足，努力向党组织靠拢。"
    done = client.post(url, {"title": "学习党章的体会", "content": content}, content_type="application/json", **headers)
    assert done.status_code == 201
    assert done.json()["title"] == "学习党章的体会" and done.json()["submitted_on"] == "2024-06-01"
    report = ThoughtReport.objects.get()
    assert report.pipeline == pipeline and report.content == content
    assert Task.objects.filter(
        assignee=world.secretary_a, source_type="recruitment-read", source_id=str(report.pk)
    ).exists()
    client.force_login(applicant)
    assert client.get("/api/v1/recruitment/mine").json()["reports"][0]["title"] == "学习党章的体会"


def test_thought_report_without_an_active_pipeline_is_404(client, world):
    response = client.post(
        "/api/v1/recruitment/mine/reports",
        {"title": "体会", "content": "x" * 30},
        content_type="application/json",
        **_bearer(world.member_a),
    )
    assert response.status_code == 404 and "思想汇报" in response.json()["detail"]
    assert not ThoughtReport.objects.exists()
