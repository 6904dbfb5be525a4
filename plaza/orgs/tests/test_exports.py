import io

from openpyxl import load_workbook

from plaza.audit.models import AuditEntry


def rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_export_is_scoped_masked_and_audited(world, client):
    client.force_login(world.secretary_a)
    table = rows(client.get("/orgs/export/"))
    numbers = {row[0] for row in table[1:]}
    assert numbers == {"A0001", "A0002", "A0003"}
    member = next(row for row in table if row[0] == "A0002")
    assert member[10] == world.member_a.masked_id_card and member[9] == world.member_a.masked_phone
    assert AuditEntry.objects.get(action="people.export").after["count"] == 3


def test_full_export_needs_personal_data_right_and_is_audited(world, client):
    client.force_login(world.secretary_a)
    table = rows(client.get("/orgs/export/", {"full": "1"}))
    member = next(row for row in table if row[0] == "A0002")
    assert member[10] == world.member_a.id_card
    assert AuditEntry.objects.filter(action="people.export_full").exists()


def test_full_export_refused_without_the_right(world, client):
    from datetime import date

    from plaza.orgs.models import Position, Title

    Position.objects.create(
        person=world.member_a, organisation=world.branch_a, title=Title.DEPUTY_SECRETARY, since=date(2024, 1, 1)
    )
    client.force_login(world.member_a)
    assert client.get("/orgs/export/").status_code == 200
    assert client.get("/orgs/export/", {"full": "1"}).status_code == 403


def test_export_filters_and_forbidden_for_members(world, client):
    client.force_login(world.staff)
    table = rows(client.get("/orgs/export/", {"status": "probationary"}))
    assert [row[0] for row in table[1:]] == ["B0002"]
    assert "attachment" in client.get("/orgs/export/")["Content-Disposition"]
    client.force_login(world.member_a)
    assert client.get("/orgs/export/").status_code == 403
