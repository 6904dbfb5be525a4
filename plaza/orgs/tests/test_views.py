from plaza.accounts.models import PoliticalStatus
from plaza.audit.models import AuditEntry
from plaza.lib import clock
from plaza.orgs.models import Membership, Organisation, Position, Title


def test_roster_page_search_and_htmx_partial(world, client):
    client.force_login(world.secretary_a)
    page = client.get("/orgs/people/", {"q": "张"})
    body = page.content.decode()
    assert "张建国" in body and "陈晓" not in body and "<html" in body
    partial = client.get("/orgs/people/", {"status": "activist"}, HTTP_HX_REQUEST="true").content.decode()
    assert "陈晓" in partial and "<html" not in partial


def test_roster_page_empty_state(world, client):
    client.force_login(world.secretary_a)
    assert "没有符合条件的人员" in client.get("/orgs/people/", {"q": "不存在的人"}).content.decode()


def test_member_without_position_gets_403(world, client):
    client.force_login(world.member_a)
    for url in ("/orgs/people/", "/orgs/tree/", "/orgs/stats/"):
        assert client.get(url).status_code == 403


def test_my_organisation_lists_officers(world, client):
    client.force_login(world.member_a)
    body = client.get("/orgs/mine/").content.decode()
    assert "装调车间党支部" in body and "刘昭涛" in body and "上汽通用汽车工会" in body


def test_tree_counts_members_of_subtree(world, client):
    client.force_login(world.staff)
    body = client.get(f"/orgs/tree/{world.general_branch.pk}/").content.decode()
    assert "装调车间党支部" in body
    assert 'data-testid="member-count">3<' in body


def test_person_page_is_masked_and_reveal_is_audited(world, client):
    client.force_login(world.secretary_a)
    body = client.get(f"/orgs/people/{world.member_a.pk}/").content.decode()
    assert world.member_a.id_card not in body and world.member_a.masked_id_card in body
    revealed = client.post(f"/orgs/people/{world.member_a.pk}/reveal/", {"purpose": "政治审查"}).content.decode()
    assert world.member_a.id_card in revealed
    assert AuditEntry.objects.filter(action="people.reveal", actor=world.secretary_a).exists()


def test_edit_person_keeps_input_on_error_and_saves_when_valid(world, client):
    client.force_login(world.secretary_a)
    url = f"/orgs/people/{world.member_a.pk}/edit/"
    bad = client.post(url, {"name": "张建国", "department": "北盛车身", "phone": "123"})
    assert bad.status_code == 200 and "手机号应为 11 位" in bad.content.decode()
    assert 'value="北盛车身"' in bad.content.decode()
    good = client.post(url, {"name": "张建国", "department": "北盛车身", "reason": "岗位调整"})
    assert good.status_code == 302
    world.member_a.refresh_from_db()
    assert world.member_a.department == "北盛车身"


def test_status_change_page(world, client):
    """群众 ↔ 共青团员 is the officer's to change; the recruitment statuses are not (see test_status.py)."""
    world.activist_a.political_status = PoliticalStatus.MASSES
    world.activist_a.save(update_fields=["political_status"])
    client.force_login(world.secretary_a)
    response = client.post(
        f"/orgs/people/{world.activist_a.pk}/status/",
        {"to_status": "league_member", "effective_on": "2025-03-01", "reason": "补录团员身份"},
    )
    assert response.status_code == 302
    world.activist_a.refresh_from_db()
    assert world.activist_a.political_status == PoliticalStatus.LEAGUE_MEMBER


def test_status_change_service_refusal_is_shown(world, client):
    client.force_login(world.secretary_a)
    response = client.post(
        f"/orgs/people/{world.member_a.pk}/status/",
        {"to_status": "full_member", "effective_on": "2025-03-01", "reason": "x"},
    )
    assert "政治面貌已经是" in response.content.decode()


def test_move_offers_only_organisations_in_scope(world, client):
    client.force_login(world.secretary_a)
    body = client.get(f"/orgs/people/{world.member_a.pk}/move/").content.decode()
    assert "装调一组党小组" in body and "物流和采购党支部" not in body
    response = client.post(
        f"/orgs/people/{world.member_a.pk}/move/", {"organisation": world.branch_b.pk, "since": "2025-01-01"}
    )
    assert response.status_code == 200  # not a valid choice
    assert not Membership.objects.filter(person=world.member_a, organisation=world.branch_b).exists()


def test_appoint_and_end_position_pages(world, client):
    client.force_login(world.secretary_a)
    response = client.post(
        f"/orgs/tree/{world.branch_a.pk}/appoint/",
        {"employee_no": "A0002", "title": Title.ORGANISATION_MEMBER, "since": "2025-01-01"},
    )
    assert response.status_code == 302
    position = Position.objects.get(person=world.member_a, title=Title.ORGANISATION_MEMBER)
    unknown = client.post(
        f"/orgs/tree/{world.branch_a.pk}/appoint/",
        {"employee_no": "B0002", "title": Title.SECRETARY, "since": "2025-01-01"},
    )
    assert "没有这个工号" in unknown.content.decode()
    client.post(f"/orgs/positions/{position.pk}/end/", {"reason": "工作调动"})
    position.refresh_from_db()
    assert position.until == clock.today()


def test_add_child_organisation_offers_only_fitting_levels(world, client):
    client.force_login(world.staff)
    body = client.get(f"/orgs/tree/{world.branch_a.pk}/add/").content.decode()
    assert "党小组" in body and 'value="branch"' not in body
    response = client.post(
        f"/orgs/tree/{world.branch_a.pk}/add/", {"name": "装调三组党小组", "code": "P0104", "level": "group"}
    )
    assert response.status_code == 302 and Organisation.objects.filter(code="P0104").exists()
    duplicate = client.post(f"/orgs/tree/{world.branch_a.pk}/add/", {"name": "重复", "code": "P0104", "level": "group"})
    assert "已存在" in duplicate.content.decode()


def test_secretary_cannot_add_organisations(world, client):
    client.force_login(world.secretary_a)
    assert client.get(f"/orgs/tree/{world.branch_a.pk}/add/").status_code == 404
