import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook

from plaza.accounts.models import Person
from plaza.audit.models import AuditEntry
from plaza.orgs import imports
from plaza.orgs.models import Membership, Organisation

PEOPLE_HEADER = [
    "工号",
    "姓名",
    "性别",
    "出生日期",
    "民族",
    "学历",
    "部门",
    "岗位",
    "手机号",
    "身份证号",
    "电子邮箱",
    "政治面貌",
    "党组织编码",
    "工会组织编码",
    "团组织编码",
    "加入日期",
]


def _id(birth: str, seq: str) -> str:
    from plaza.accounts.validators import id_card_check_digit

    first17 = f"110105{birth}{seq}"
    return first17 + id_card_check_digit(first17)


GOOD_ID = _id("19880501", "001")


def xlsx(rows, header=PEOPLE_HEADER) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def person_row(
    no="20000001",
    name="位正友",
    birth="1988-05-01",
    id_card=None,
    status="正式党员",
    party="P0101",
    phone="13812345678",
    union="",
):
    return [
        no,
        name,
        "男",
        birth,
        "汉族",
        "本科",
        "东岳汽车计划物流科",
        "班组长",
        phone,
        id_card if id_card is not None else _id(birth.replace("-", ""), no[-3:]),
        "",
        status,
        party,
        union,
        "",
        "2024-01-01",
    ]


def test_people_import_creates_people_with_memberships_and_audit(world):
    rows = [person_row(union="U0001"), person_row("20000002", "刘昭涛", union="U0001")]
    result = imports.import_people(world.admin, xlsx(rows))
    assert result.ok and result.created == 2
    person = Person.objects.get(employee_no="20000001")
    assert person.political_status == "full_member" and person.birth_date == date(1988, 5, 1)
    assert set(Membership.objects.filter(person=person).values_list("organisation__code", flat=True)) == {
        "P0101",
        "U0001",
    }
    assert AuditEntry.objects.filter(action="people.import").get().after["created"] == 2
    staff_try = imports.import_people(world.staff, xlsx([person_row("20000003", union="U0001")]))
    assert "第 2 行「工会组织编码」：该组织不在您的管理范围内" in [str(e) for e in staff_try.errors]


def test_every_error_is_reported_by_row_and_column_and_nothing_is_saved(world):
    rows = [
        person_row(),
        person_row("20000002", "", phone="123"),
        person_row("20000003", "张三", id_card="110105198805010010"),
        person_row("20000001", "重复工号"),
        person_row("20000004", "李四", status="党员"),
        person_row("20000005", "王五", party="P9999"),
    ]
    before = Person.objects.count()
    result = imports.import_people(world.staff, xlsx(rows))
    messages = {str(e) for e in result.errors}
    assert "第 3 行「姓名」：必填" in messages
    assert "第 3 行「手机号」：手机号应为 11 位数字，以 1 开头" in messages
    assert "第 4 行「身份证号」：身份证号校验位不正确" in messages
    assert "第 5 行「工号」：与第 2 行重复" in messages
    assert any(e.row == 6 and e.column == "政治面貌" for e in result.errors)
    assert "第 7 行「党组织编码」：组织编码 P9999 不存在" in messages
    assert Person.objects.count() == before


def test_an_error_in_the_last_row_saves_nothing(world):
    rows = [person_row(f"2000{i:04d}", f"员工{i}") for i in range(1, 30)] + [
        person_row("20009999", "错", birth="x", id_card="")
    ]
    before = (Person.objects.count(), Membership.objects.count(), AuditEntry.objects.count())
    result = imports.import_people(world.staff, xlsx(rows))
    assert [str(e) for e in result.errors] == ["第 31 行「出生日期」：日期格式应为 2020-01-01"]
    assert (Person.objects.count(), Membership.objects.count(), AuditEntry.objects.count()) == before


def test_duplicate_id_card_in_file_and_against_database(world):
    rows = [person_row("20000001", id_card=GOOD_ID), person_row("20000002", id_card=GOOD_ID)]
    assert "与第 2 行的身份证号重复" in str(imports.import_people(world.staff, xlsx(rows)).errors)
    existing = world.member_a.id_card
    birth = f"{existing[6:10]}-{existing[10:12]}-{existing[12:14]}"
    result = imports.import_people(world.staff, xlsx([person_row("20000003", birth=birth, id_card=existing)]))
    assert "已属于另一名人员" in str(result.errors)


def test_birth_date_must_match_id_card(world):
    result = imports.import_people(world.staff, xlsx([person_row(birth="1990-01-01", id_card=GOOD_ID)]))
    assert "与身份证号中的出生日期不一致" in str(result.errors)


def test_existing_people_in_scope_are_updated(world):
    card = world.member_a.id_card
    row = person_row("A0002", "张建国", birth=f"{card[6:10]}-{card[10:12]}-{card[12:14]}", id_card=card, party="P0102")
    row[6] = "北盛车身"
    result = imports.import_people(world.staff, xlsx([row]))
    assert result.ok and result.updated == 1
    world.member_a.refresh_from_db()
    assert world.member_a.department == "北盛车身"
    assert Membership.objects.get(person=world.member_a, tree="party", until__isnull=True).organisation.code == "P0102"
    again = imports.import_people(world.staff, xlsx([row]))
    assert again.unchanged == 1


def test_scope_limits_import(world):
    with pytest.raises(PermissionDenied):
        imports.import_people(world.secretary_a, xlsx([person_row()]))
    from plaza.orgs.models import Position, Title

    Position.objects.create(
        person=world.secretary_a, organisation=world.general_branch, title=Title.ORG_DEPT_STAFF, since=date(2024, 1, 1)
    )
    world.secretary_a = Person.objects.get(pk=world.secretary_a.pk)
    result = imports.import_people(world.secretary_a, xlsx([person_row(party="P0200", union="")]))
    assert "该组织不在您的管理范围内" in str(result.errors)
    other = person_row("B0002", "李红梅", union="")
    assert "不在您的管理范围内" in str(imports.import_people(world.secretary_a, xlsx([other])).errors)


def test_not_an_excel_file_is_a_clear_error(world):
    result = imports.import_people(world.staff, io.BytesIO(b"name,phone\n"))
    assert "请上传 Excel（.xlsx）文件" in str(result.errors[0])


def test_missing_required_header(world):
    result = imports.import_people(world.staff, xlsx([["x"]], header=["姓名"]))
    assert "表头缺少必填列：工号、政治面貌" in str(result.errors[0])


def test_too_large_file(world, monkeypatch):
    monkeypatch.setattr(imports, "MAX_BYTES", 100)
    assert "文件超过 100 字节，请分批导入" in str(imports.import_people(world.staff, xlsx([person_row()])).errors[0])


ORG_HEADER = ["组织编码", "组织名称", "组织类型", "上级组织编码", "成立日期", "任期（年）"]


def test_organisations_import_parents_later_in_the_file(world):
    rows = [
        ["P0301", "武汉北厂第一党支部", "党支部", "P0300", "2019-03-01", "3"],
        ["P0300", "武汉北厂党总支", "党总支", "P0001", "", ""],
        ["P0302", "武汉北厂一组党小组", "党小组", "P0301", "", ""],
    ]
    result = imports.import_organisations(world.staff, xlsx(rows, ORG_HEADER))
    assert result.ok and result.created == 3
    branch = Organisation.objects.get(code="P0301")
    assert Organisation.objects.get_parent(branch).code == "P0300" and branch.term_years == 3
    assert all(not problems for problems in Organisation.objects.find_problems())


def test_organisation_errors(world):
    rows = [
        ["P0101", "重复", "党支部", "P0001", "", ""],
        ["P0400", "循环一", "党支部", "P0401", "", ""],
        ["P0401", "循环二", "党总支", "P0400", "", ""],
        ["P0402", "错层级", "党委", "P0001", "", ""],
        ["P0403", "无上级", "党支部", "P7777", "", ""],
        ["P0404", "工会小组", "工会小组", "P0001", "", ""],
    ]
    result = imports.import_organisations(world.staff, xlsx(rows, ORG_HEADER))
    messages = [str(e) for e in result.errors]
    assert "第 2 行「组织编码」：组织编码已存在" in messages
    assert any("循环" in m for m in messages)
    assert "第 6 行「上级组织编码」：上级组织编码 P7777 不存在" in messages
    assert any(m.startswith("第 7 行「组织类型」") for m in messages)
    assert not Organisation.objects.filter(code__in=["P0400", "P0401", "P0402"]).exists()


def test_template_round_trip(world):
    workbook = load_workbook(io.BytesIO(imports.template_workbook("people")))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["工号", "姓名", "性别"]
    assert sheet.data_validations.dataValidation and workbook.sheetnames[1] == "说明"
    sheet.delete_rows(2)
    for index, value in enumerate(person_row(), start=1):
        sheet.cell(row=2, column=index, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    assert imports.import_people(world.staff, buffer).created == 1


def test_import_page(world, client):
    client.force_login(world.secretary_a)
    assert client.get("/orgs/import/").status_code == 403
    client.force_login(world.staff)
    bad = client.post("/orgs/import/", {"kind": "people", "file": xlsx([person_row(phone="1")])})
    assert "未导入任何数据" in bad.content.decode() and "手机号" in bad.content.decode()
    upload = xlsx([person_row()])
    upload.name = "people.xlsx"
    good = client.post("/orgs/import/", {"kind": "people", "file": upload})
    assert "导入成功" in good.content.decode()
    template = client.get("/orgs/import/template/organisations/")
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")


def test_unicode_digits_and_dates_no_one_means_are_row_errors_not_a_crash(world):
    """Issue 11 item 8 in a file: "²" passes str.isdigit() and fails int(); 0001-01-01 is a typo."""
    rows = [
        ["P0501", "上标任期", "党支部", "P0001", "2019-03-01", "²"],
        ["P0502", "古代成立", "党支部", "P0001", "0001-01-01", "3"],
        ["P0503", "阿拉伯数字", "党支部", "P0001", "٢٠١٩-٠٣-٠١", "3"],
    ]
    result = imports.import_organisations(world.staff, xlsx(rows, ORG_HEADER))
    messages = [str(e) for e in result.errors]
    assert "第 3 行「成立日期」：日期格式应为 2020-01-01" in messages
    assert "第 4 行「成立日期」：日期格式应为 2020-01-01" in messages
    assert "第 2 行「任期（年）」：应为 1 到 10 之间的整数" in messages
    assert not Organisation.objects.filter(code__in=["P0501", "P0502", "P0503"]).exists()
