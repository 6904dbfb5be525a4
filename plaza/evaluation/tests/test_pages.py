"""The evaluation pages, as the secretary, a member, an invited 群众, committee staff and an outsider see them."""

import io
from datetime import timedelta

from openpyxl import load_workbook

from plaza.evaluation import services
from plaza.evaluation.models import Campaign, FollowUp, Grade, SealedSheet, Sheet, State
from plaza.lib import clock

from .conftest import grades_for


def _form(**extra):
    today = clock.today()
    data = {
        "year": str(today.year),
        "title": "年度民主评议党员",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=14)).isoformat(),
        "materials": "学习党章",
        "invited": "A0003",
    }
    data.update(extra)
    return data


def test_the_secretary_runs_an_evaluation_from_the_pages(client, world):
    client.force_login(world.secretary_a)
    office = client.get("/evaluation/office/").content.decode()
    assert "装调车间党支部" in office and "物流和采购党支部" not in office
    url = f"/evaluation/org/{world.branch_a.pk}/new/"
    assert 'type="date"' in client.get(url).content.decode()
    refused = client.post(url, _form(ends_on=(clock.today() - timedelta(days=3)).isoformat()))
    assert "不能早于开始日期" in refused.content.decode() and not Campaign.objects.exists()
    assert client.post(url, _form()).status_code == 302
    campaign = Campaign.objects.get()
    again = client.post(url, _form())
    assert "已经建立" in again.content.decode()
    page = client.get(f"/evaluation/{campaign.pk}/").content.decode()
    assert "学习党章" in page and "data-confirm" in page and "开始测评" in page
    client.post(f"/evaluation/{campaign.pk}/open/")
    page = client.get(f"/evaluation/{campaign.pk}/").content.decode()
    assert "测评中" in page and "张建国" in page and "陈晓" in page and "结束测评" in page
    assert client.get(f"/evaluation/{campaign.pk}/report/").status_code == 404  # no tally while open
    assert client.get(f"/evaluation/{campaign.pk}/decide/").status_code == 404


def test_members_grade_on_the_sheet_page(client, world, opened):
    client.force_login(world.member_a)
    page = client.get(f"/evaluation/{opened.pk}/").content.decode()
    assert "填写民主测评表" in page and "个人自评" in page
    sheet = client.get(f"/evaluation/{opened.pk}/sheet/").content.decode()
    assert "刘昭涛" in sheet and f'name="grade-{world.member_a.pk}"' not in sheet and "data-confirm" in sheet
    missing = client.post(f"/evaluation/{opened.pk}/sheet/", {})
    assert missing.status_code == 400 and "尚未选择：刘昭涛" in missing.content.decode()
    done = client.post(f"/evaluation/{opened.pk}/sheet/", {f"grade-{world.secretary_a.pk}": "excellent"})
    assert done.status_code == 302
    twice = client.post(f"/evaluation/{opened.pk}/sheet/", {f"grade-{world.secretary_a.pk}": "qualified"})
    assert "您已提交过测评表" in twice.content.decode()
    assert Sheet.objects.count() == 1 and SealedSheet.objects.count() == 1 and not Grade.objects.exists()
    text = "一年来认真学习，按时参加组织生活，按期交纳党费，岗位上起到了先锋模范作用。"
    client.post(f"/evaluation/{opened.pk}/self/", {"text": text})
    assert text in client.get(f"/evaluation/{opened.pk}/").content.decode()
    assert client.get(f"/evaluation/{opened.pk}/report/").status_code == 404  # officers only


def test_decision_page_refuses_then_decides_and_members_see_only_their_own_grade(client, world, opened):
    for person in (world.secretary_a, world.member_a, world.activist_a):
        services.submit_sheet(person, opened, grades_for(opened, person, "qualified"))
    client.force_login(world.secretary_a)
    client.post(f"/evaluation/{opened.pk}/close/")
    report = client.get(f"/evaluation/{opened.pk}/report/").content.decode()
    assert "张建国" in report and "1 / 1" in report  # one vote from members, one from the invited
    url = f"/evaluation/{opened.pk}/decide/"
    page = client.get(url).content.decode()
    assert "最多 0 名" in page and "支部决定并锁定" in page and "data-confirm" in page
    a, m = world.secretary_a.pk, world.member_a.pk
    over = client.post(url, {f"grade-{a}": "excellent", f"grade-{m}": "qualified", "action": "propose"})
    assert over.status_code == 400 and "超过参评人数" in over.content.decode()
    no_reason = client.post(url, {f"grade-{a}": "qualified", f"grade-{m}": "unqualified", "action": "decide"})
    assert "请填写理由" in no_reason.content.decode()
    proposed = {f"grade-{a}": "qualified", f"grade-{m}": "unqualified", f"reason-{m}": "长期不参加组织生活"}
    assert client.post(url, {**proposed, "action": "propose"}).status_code == 302
    assert Campaign.objects.get().state == State.CLOSED
    decided = client.post(
        url,
        {
            f"grade-{a}": "qualified",
            f"grade-{m}": "unqualified",
            f"reason-{m}": "长期不参加组织生活",
            "action": "decide",
        },
    )
    assert decided.status_code == 302 and Campaign.objects.get().state == State.DECIDED
    assert client.get(url).status_code == 302  # locked: to the report
    follow_up = FollowUp.objects.get()
    assert f"/evaluation/follow-ups/{follow_up.pk}/" in client.get("/evaluation/office/").content.decode()
    step = client.post(
        f"/evaluation/follow-ups/{follow_up.pk}/",
        {"kind": "education", "done_on": clock.today().isoformat(), "note": "书记谈心谈话"},
    )
    assert step.status_code == 302
    assert "书记谈心谈话" in client.get(f"/evaluation/follow-ups/{follow_up.pk}/").content.decode()

    client.force_login(world.member_a)
    mine = client.get(f"/evaluation/{opened.pk}/").content.decode()
    assert "本人评定等次" in mine and "不合格" in mine and "长期不参加组织生活" not in mine
    assert "合格" in client.get("/evaluation/").content.decode()
    assert client.get(f"/evaluation/follow-ups/{follow_up.pk}/").status_code == 404
    client.force_login(world.secretary_a)
    member_view = client.get(f"/evaluation/{opened.pk}/").content.decode()
    assert "本人评定等次" in member_view and "不合格" not in member_view.split("我的评议")[1].split("</section>")[0]


def test_committee_report_export_and_statistics(client, world, opened):
    for person in (world.secretary_a, world.member_a, world.activist_a):
        services.submit_sheet(person, opened, grades_for(opened, person, "qualified"))
    services.close_campaign(world.secretary_a, opened)
    services.decide(
        world.secretary_a, opened, {world.secretary_a.pk: ("qualified", ""), world.member_a.pk: ("qualified", "")}
    )
    client.force_login(world.staff)
    page = client.get("/evaluation/report/", {"year": opened.year}).content.decode()
    assert "装调车间党支部" in page and "物流和采购党支部" in page and "未组织" in page
    pending = client.get("/evaluation/report/", {"year": opened.year, "pending": "1"}).content.decode()
    assert "物流和采购党支部" in pending and "装调车间党支部" not in pending
    export = client.get("/evaluation/report/", {"year": opened.year, "format": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(export.content))
    rows = list(workbook["各支部评议结果"].values)
    assert rows[0][:5] == ("党支部", "优秀", "合格", "基本合格", "不合格")
    assert ("装调车间党支部", 0, 2, 0, 0, 2, "已评定") in rows and rows[-1][:6] == ("合计", 0, 2, 0, 0, 2)
    assert list(workbook["历年统计"].values)[1] == (opened.year, 0, 2, 0, 0, 2)
    stats = client.get("/evaluation/stats/").content.decode()
    assert str(opened.year) in stats
    client.force_login(world.member_a)
    assert client.get("/evaluation/report/").status_code == 403
    assert client.get("/evaluation/office/").status_code == 403


def test_outsiders_see_nothing(client, world, opened):
    client.force_login(world.secretary_b)
    for path in ("", "sheet/", "report/", "decide/", "edit/"):
        assert client.get(f"/evaluation/{opened.pk}/{path}").status_code == 404, path
    assert client.post(f"/evaluation/{opened.pk}/close/").status_code == 404
    assert client.get(f"/evaluation/org/{world.branch_a.pk}/new/").status_code == 404
    assert Campaign.objects.get().state == State.OPEN
    client.force_login(world.employee)  # 群众 not invited
    assert client.get(f"/evaluation/{opened.pk}/").status_code == 404


def test_edit_with_materials_and_download(client, world, opened):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.secretary_a)
    url = f"/evaluation/{opened.pk}/edit/"
    assert "学习材料" in client.get(url).content.decode()
    upload = SimpleUploadedFile("党章.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    data = {
        "title": "修改后的民主评议",
        "starts_on": opened.starts_on.isoformat(),
        "ends_on": opened.ends_on.isoformat(),
        "materials": "学习党章和准则",
        "files": upload,
    }
    assert client.post(url, data).status_code == 302
    material = opened.attachments.get()
    client.force_login(world.member_a)
    page = client.get(f"/evaluation/{opened.pk}/").content.decode()
    assert "修改后的民主评议" in page and f"/evaluation/materials/{material.pk}/" in page
    assert client.get(f"/evaluation/materials/{material.pk}/").status_code == 200
    client.force_login(world.secretary_b)
    assert client.get(f"/evaluation/materials/{material.pk}/").status_code == 404


def test_functions_in_the_work_section(world):
    from plaza.lib.sections import functions_for

    assert "my_evaluation" in [f.key for f in functions_for("work", world.member_a)]
    assert "evaluation_office" not in [f.key for f in functions_for("work", world.member_a)]
    assert "evaluation_office" in [f.key for f in functions_for("work", world.secretary_a)]
    assert not {"my_evaluation", "evaluation_office"} & {f.key for f in functions_for("work", world.employee)}
