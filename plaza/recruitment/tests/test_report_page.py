"""The thought-report page through the shared form-page helper (issue 13, thin views): a refusal stays on the
form with what was typed, a report handed in goes back to "my progress" with a message."""

from __future__ import annotations

from datetime import date

from plaza.recruitment import services
from plaza.recruitment.models import ThoughtReport


def test_the_report_page_refuses_on_the_form_and_saves_with_a_message(world, applicant, login):
    services.open_pipeline(world.secretary_a, applicant, world.branch_a, applied_on=date(2025, 1, 1))
    client = login(applicant)
    assert client.get("/recruitment/mine/report/").status_code == 200
    refused = client.post("/recruitment/mine/report/", {"title": "我的思想汇报", "content": "太短"})
    assert refused.status_code == 200
    assert "我的思想汇报" in refused.content.decode()  # the title typed is kept
    assert refused.context["form"].errors
    assert not ThoughtReport.objects.exists()
    done = client.post(
        "/recruitment/mine/report/", {"title": "我的思想汇报", "content": "认真学习党章，" * 10}, follow=True
    )
    assert done.redirect_chain[-1][0].endswith("/recruitment/mine/")
    assert "思想汇报已提交" in done.content.decode()
    assert ThoughtReport.objects.get().title == "我的思想汇报"


def test_without_a_pipeline_in_progress_the_report_page_is_not_there(world, applicant, login):
    assert login(applicant).get("/recruitment/mine/report/").status_code == 404
