"""The question bank: saving checked by the same rules as the import, scope, withdraw/restore audited, the Excel
import (template with drop-downs, every row checked, errors by row and column, all or nothing), export,
statistics that flag bad questions."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook, load_workbook

from plaza.audit.models import AuditEntry
from plaza.quiz import exports, imports, queries, services
from plaza.quiz.models import DailyItem, Question

from .helpers import make_question


def data(world, **kw):  # noqa: ANN001, ANN201
    base = dict(
        kind="single",
        text="锐歌的品牌是？",
        options=["别克", "凯迪拉克", "雪佛兰"],
        answer=[1],
        explanation="",
        source="产品手册",
        tags=["锐歌"],
        difficulty=2,
        organisation=world.branch_a,
    )
    base.update(kw)
    return services.QuestionData(**base)


def test_staff_save_withdraw_and_restore_a_question_audited(world):
    question = services.save_question(world.staff, None, data(world))
    assert question.options == ["别克", "凯迪拉克", "雪佛兰"] and [t.name for t in question.tags.all()] == ["锐歌"]
    services.withdraw_question(world.staff, question, "参数已更新")
    assert not queries.live_questions().filter(pk=question.pk).exists()
    with pytest.raises(ValidationError, match="已经撤回"):
        services.withdraw_question(world.staff, question, "再撤一次")
    services.restore_question(world.staff, question)
    actions = list(
        AuditEntry.objects.filter(object_id=str(question.pk)).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["quiz.question_create", "quiz.question_withdraw", "quiz.question_restore"]


def test_a_branch_secretary_cannot_write_for_another_branch(world):
    with pytest.raises(PermissionDenied):
        services.save_question(world.secretary_a, None, data(world, organisation=world.branch_b))
    with pytest.raises(PermissionDenied):
        services.save_question(world.member_a, None, data(world))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"answer": [1, 2]}, "单选题只能有一个答案"),
        ({"options": ["只有一个"]}, "至少要有两个选项"),
        ({"kind": "multiple", "answer": [0]}, "多选题至少要有两个正确选项"),
        ({"kind": "true_false", "answer": [3]}, "判断题答案"),
        ({"kind": "fill", "answer": []}, "填空题请填写答案"),
        ({"text": " "}, "请填写题干"),
    ],
)
def test_invalid_questions_are_refused_with_the_reason(world, changes, message):
    with pytest.raises(ValidationError, match=message):
        services.save_question(world.staff, None, data(world, **changes))


def _workbook(rows: list[list]) -> bytes:  # noqa: ANN001
    book = Workbook()
    sheet = book.active
    sheet.append(imports.COLUMNS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD = [
    "单选题",
    "别克E5的NEDC续航约为？",
    "420",
    "545",
    "620",
    "",
    "",
    "",
    "B",
    "长续航版545公里",
    "E5手册",
    "E5、产品知识",
    "中等",
    "P0101",
    "",
]


def test_import_template_has_drop_downs():
    sheet = load_workbook(io.BytesIO(imports.template())).active
    assert [c.value for c in sheet[1]] == imports.COLUMNS
    formulas = sorted(v.formula1 for v in sheet.data_validations.dataValidation)
    assert formulas == ['"单选题,多选题,判断题,填空题"', '"容易,中等,较难"']


def test_import_checks_every_row_and_saves_nothing_on_an_error(world):
    rows = [
        GOOD,
        [
            "判断题",
            "锐歌是凯迪拉克品牌的车型。",
            "",
            "",
            "",
            "",
            "",
            "",
            "正确",
            "",
            "",
            "锐歌",
            "容易",
            "P0101",
            "2027-01-01",
        ],
        ["问答题", "这是什么题型？", "", "", "", "", "", "", "A", "", "", "", "中等", "P0101", ""],
        ["单选题", "答案超出选项", "甲", "乙", "", "", "", "", "D", "", "", "", "中等", "P0101", ""],
        ["单选题", "别的支部的题", "甲", "乙", "", "", "", "", "A", "", "", "", "很难", "P0200", "明年"],
    ]
    report = imports.import_questions(world.secretary_a, _workbook(rows), "题库.xlsx")
    assert report.created == 0 and Question.objects.count() == 0
    assert report.errors == [
        "第 4 行「题型」：应为单选题、多选题、判断题或填空题",
        "第 5 行「答案」：答案应为选项字母，如 A 或 ABD，且在选项范围内。",
        "第 6 行「难度」：应为容易、中等或较难",
        "第 6 行「所属组织编码」：不是您可管理的组织编码",
        "第 6 行「有效期至」：日期格式应为 2026-12-31",
    ]


def test_import_saves_all_rows_when_all_are_good(world):
    rows = [
        GOOD,
        [
            "填空题",
            "别克E5的NEDC续航为____公里。",
            "",
            "",
            "",
            "",
            "",
            "",
            "545|545公里",
            "",
            "",
            "E5",
            "容易",
            "P0101",
            "",
        ],
    ]
    report = imports.import_questions(world.secretary_a, _workbook(rows), "题库.xlsx")
    assert report.errors == [] and report.created == 2
    fill = Question.objects.get(kind="fill")
    assert fill.answer == ["545", "545公里"] and fill.organisation == world.branch_a
    assert AuditEntry.objects.filter(action="quiz.import").count() == 1
    exported = load_workbook(io.BytesIO(exports.bank_xlsx(queries.managed_questions(world.secretary_a))))
    assert exported["题目"].max_row == 3 and exported["题目"]["I3"].value in ("B", "545|545公里")


def test_statistics_flag_a_too_easy_question_and_an_option_nobody_picks(world):
    question = make_question(world.branch_a)
    for n in range(12):
        from plaza.testing.factories import PersonFactory

        person = PersonFactory(employee_no=f"S{n:04d}")
        DailyItem.objects.create(
            person=person,
            day="2026-03-03",
            position=1,
            question=question,
            answered_at="2026-03-03T10:00:00+08:00",
            chosen=[1],
            correct=True,
            elapsed_ms=4000,
        )
    stats = queries.question_stats([question])[question.pk]
    assert stats.answered == 12 and stats.right_percent == "100.0%" and stats.average_seconds == "4.0"
    assert queries.flags(question, stats) == ["正确率高于98％，题目过于简单", "选项 A、C、D 无人选择"]


def test_bank_page_lists_with_filters_and_statistics(world, login, django_assert_max_num_queries):
    for n in range(25):
        make_question(world.branch_a, n)
    client = login(world.staff)
    with django_assert_max_num_queries(25):  # 20 questions: tags and statistics in a fixed number
        response = client.get("/quiz/office/?kind=single&tag=锐歌&q=续航")
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="flag"') == 0
    assert login(world.member_a).get("/quiz/office/").status_code == 403
