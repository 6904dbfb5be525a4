from datetime import date

from plaza.lib.sections import functions_for
from plaza.orgs.queries import party_branch_of
from plaza.transfers import services
from plaza.transfers.models import State, Transfer


def test_sections_show_my_membership_to_members_and_transfers_to_branch_officers(world):
    member = {f.key for f in functions_for("work", world.member_a)}
    assert "my_transfer" in member and "transfers" not in member
    assert {"my_transfer", "transfers"} <= {f.key for f in functions_for("work", world.secretary_a)}
    assert not {"my_transfer", "transfers"} & {f.key for f in functions_for("work", world.employee)}


def test_member_requests_a_transfer_and_the_receiving_secretary_accepts_it(world, login):
    client = login(world.member_a)
    page = client.get("/transfers/mine/")
    body = page.content.decode()
    assert page.status_code == 200 and "装调车间党支部" in body and "物流和采购党支部" in body
    done = client.post("/transfers/mine/", {"to_org": world.branch_b.pk, "reason": "调到物流部门工作"})
    assert done.status_code == 302
    transfer = Transfer.objects.get(person=world.member_a)
    mine = client.get("/transfers/mine/").content.decode()
    assert "待接收" in mine and "仍负责您的管理" in mine
    assert client.post(f"/transfers/{transfer.pk}/accept/").status_code == 403  # the member cannot accept
    assert login(world.employee).get("/transfers/mine/").status_code == 404

    client = login(world.secretary_b)
    listing = client.get("/transfers/?direction=in&state=pending").content.decode()
    assert "张建国" in listing
    detail = client.get(f"/transfers/{transfer.pk}/").content.decode()
    assert "data-confirm" in detail and f"/transfers/{transfer.pk}/accept/" in detail
    assert client.post(f"/transfers/{transfer.pk}/accept/").status_code == 302
    assert Transfer.objects.get(pk=transfer.pk).state == State.ACCEPTED
    assert party_branch_of(world.member_a) == world.branch_b
    again = client.post(f"/transfers/{transfer.pk}/accept/", follow=True).content.decode()
    assert "已办结" in again
    assert "张建国" not in client.get("/transfers/?state=pending").content.decode()


def test_branch_issues_a_letter_downloads_it_and_anyone_logged_in_can_verify_it(world, login, settings):
    client = login(world.secretary_a)
    assert client.get("/transfers/letter/").status_code == 200
    refused = client.post(
        "/transfers/letter/", {"employee_no": "B0002", "to_name": "某区委", "reason": "调动", "issued_on": "2025-06-16"}
    )
    assert "本支部没有这个工号的党员" in refused.content.decode()
    done = client.post(
        "/transfers/letter/",
        {"employee_no": "A0002", "to_name": "中共某区委组织部", "reason": "调往外地", "issued_on": "2025-06-16"},
    )
    transfer = Transfer.objects.get(person=world.member_a)
    assert done.status_code == 302 and transfer.letter_no == "2025-000001"
    pdf = client.get(f"/transfers/{transfer.pk}/letter.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"
    assert login(world.member_a).get(f"/transfers/{transfer.pk}/letter.pdf").status_code == 200
    assert login(world.secretary_b).get(f"/transfers/{transfer.pk}/letter.pdf").status_code == 404

    code = services.letter_code(transfer)
    client = login(world.employee)
    valid = client.get("/transfers/verify/", {"number": "2025-000001", "code": code.lower()}).content.decode()
    assert "有效" in valid and "张建国" in valid and "中共某区委组织部" in valid
    forged = client.get("/transfers/verify/", {"number": "2025-000001", "code": "ABCDEF1234"}).content.decode()
    assert "编号或校验码不正确" in forged and "张建国" not in forged
    unknown = client.get("/transfers/verify/", {"number": "2025-000999", "code": code}).content.decode()
    assert "编号或校验码不正确" in unknown
    settings.PLAZA_TODAY = date(2025, 9, 17)  # the day after the letter's last valid day
    expired = client.get("/transfers/verify/", {"number": "2025-000001", "code": code}).content.decode()
    assert "已过期" in expired


def test_incoming_page_refuses_an_expired_letter_with_its_date(world, login):
    client = login(world.secretary_a)
    form = {
        "employee_no": "E0001",
        "to_org": world.branch_a.pk,
        "letter_no": "外-2025-01",
        "issuing_org": "中共某县委",
        "issued_on": "2025-02-01",
        "status": "full_member",
    }
    page = client.post("/transfers/incoming/", form).content.decode()
    assert "介绍信已过期" in page and "2025年5月1日" in page
    assert party_branch_of(world.employee) is None
    assert client.post("/transfers/incoming/", {**form, "issued_on": "2025-06-01"}).status_code == 302
    assert party_branch_of(world.employee) == world.branch_a


def test_lost_contact_page_and_record_contact(world, login):
    client = login(world.secretary_a)
    page = client.get("/transfers/lost/").content.decode()
    assert "张建国" in page and "2020年1月1日" in page and "李红梅" not in page
    assert client.post(f"/transfers/lost/{world.member_b.pk}/contact/", {"on": "2025-06-01"}).status_code == 404
    assert client.post(f"/transfers/lost/{world.member_a.pk}/contact/", {"on": "2025-06-01"}).status_code == 302
    listing = client.get("/transfers/lost/").content.decode().split('data-testid="lost"')[1]
    assert "张建国" not in listing and "没有失联党员" in listing  # the secretary logged in: in contact too


def test_branch_starts_a_transfer_the_receiver_declines_and_a_new_one_is_withdrawn(world, login):
    client = login(world.secretary_a)
    for url in ("/transfers/", "/transfers/start/", "/transfers/incoming/", "/transfers/verify/"):
        assert client.get(url).status_code == 200, url
    form = {"employee_no": "A0002", "to_org": world.branch_b.pk, "reason": "调到物流部门"}
    assert client.post("/transfers/start/", form).status_code == 302
    transfer = Transfer.objects.get(person=world.member_a)
    twice = client.post("/transfers/start/", form).content.decode()
    assert "未办结" in twice and Transfer.objects.count() == 1
    assert client.post(f"/transfers/{transfer.pk}/accept/").status_code == 403  # the sending branch cannot accept

    receiver = login(world.secretary_b)
    receiver.post(f"/transfers/{transfer.pk}/decline/", {"reason": "非本支部单位"})
    assert Transfer.objects.get(pk=transfer.pk).state == State.DECLINED

    client = login(world.secretary_a)
    client.post("/transfers/start/", form)
    second = Transfer.objects.get(person=world.member_a, state=State.PENDING)
    assert "撤回" in client.get(f"/transfers/{second.pk}/").content.decode()
    assert login(world.member_a).post(f"/transfers/{second.pk}/withdraw/").status_code == 403  # branch started it
    assert login(world.secretary_a).post(f"/transfers/{second.pk}/withdraw/").status_code == 302
    assert Transfer.objects.get(pk=second.pk).state == State.WITHDRAWN
    assert "已撤回" in login(world.staff).get("/transfers/?state=withdrawn").content.decode()


def test_an_administrator_opens_every_transfer_listed_as_组织部_staff_do(world, login):
    """Issue 12 item 3: the superuser saw a transfer on /transfers/ and got 404 on its page (an empty Q for
    "everything" dropped from an OR shrank the detail's lookup to their own transfers)."""
    services.start_transfer(world.member_a, world.member_a, world.branch_b, reason="调到物流部门工作")
    services.issue_letter(
        world.secretary_b, world.member_b, to_name="中共某区委组织部", reason="调往外地", issued_on=date(2025, 6, 16)
    )
    transfers = list(Transfer.objects.all())
    assert len(transfers) == 2
    for viewer in (world.admin, world.staff):
        client = login(viewer)
        listing = client.get("/transfers/").content.decode()
        for transfer in transfers:
            assert f"/transfers/{transfer.pk}/" in listing
            assert client.get(f"/transfers/{transfer.pk}/").status_code == 200, (viewer, transfer)


def test_a_second_transfer_request_says_why_it_is_refused(world, login):
    """Issue 12 item 2 (the class): a request sent from a page left open while one transfer is under way came back
    as the same page with no message."""
    client = login(world.member_a)
    assert (
        client.post("/transfers/mine/", {"to_org": world.branch_b.pk, "reason": "调到物流部门工作"}).status_code == 302
    )
    again = client.post("/transfers/mine/", {"to_org": world.branch_b.pk, "reason": "再次申请"}, follow=True)
    assert "您已有一项正在办理的组织关系转接" in again.content.decode()
    assert Transfer.objects.filter(person=world.member_a).count() == 1


def test_forms_on_pages_of_their_own_show_refusals_not_tied_to_a_field(world, login):
    """The class of item 2: every form template shows the form's non-field errors (the reason a service gave)."""
    from pathlib import Path

    from django.conf import settings

    templates = Path(settings.BASE_DIR) / "plaza" / "templates"
    silent = []
    for path in templates.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        renders_a_form = 'method="post"' in text and ("{{ form." in text or "in form %}" in text)
        if renders_a_form and "non_field_errors" not in text and "_form_fields.html" not in text:
            silent.append(str(path.relative_to(templates)))
    assert silent == []
