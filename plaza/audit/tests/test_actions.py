"""Audit actions from one registry with their labels (issue 13 "names"), shown readably (issue 14 "nothing raw")."""

from __future__ import annotations

import ast
import pathlib
from datetime import date

import pytest
from django.test import override_settings
from django.urls import reverse

from plaza.audit import actions
from plaza.audit.services import record

PLAZA = pathlib.Path(__file__).resolve().parents[2]


def _record_calls() -> list[tuple[str, int, ast.expr]]:
    found = []
    for path in PLAZA.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            func = node.func
            if (isinstance(func, ast.Name) and func.id == "record") or (
                isinstance(func, ast.Attribute)
                and func.attr == "record"
                and not (isinstance(func.value, ast.Name) and func.value.id == "self")
            ):
                found.append((str(path.relative_to(PLAZA.parent)), node.lineno, node.args[1]))
    return found


def test_every_record_call_names_its_action_by_a_registered_constant():
    calls = _record_calls()
    assert len(calls) > 100  # the scan sees the services
    raw = [
        f"{path}:{line}"
        for path, line, arg in calls
        if any(
            isinstance(c, ast.JoinedStr) or (isinstance(c, ast.Constant) and isinstance(c.value, str))
            for c in ast.walk(arg)
        )
    ]
    assert raw == [], "record() with a bare string: use a constant of plaza.audit.actions"


def test_every_action_has_a_label_and_codes_are_unique():
    codes = [value for name, value in vars(actions).items() if name.isupper() and isinstance(value, str)]
    assert len(codes) == len(set(codes)) == len(actions.LABELS)
    assert all(str(actions.LABELS[code]) and str(actions.LABELS[code]) != code for code in codes)
    assert actions.label(actions.RECRUITMENT_STEP) == "记录发展步骤"
    assert actions.label("gone.action") == "gone.action"  # an older entry's code is still shown, not hidden


@pytest.mark.django_db
def test_record_refuses_an_unregistered_action_in_tests_and_debug(world):
    with pytest.raises(ValueError, match="unregistered audit action 'orgs.updaet'"):
        record(world.staff, "orgs.updaet", world.branch_a)
    with override_settings(PLAZA_AUDIT_STRICT=False, DEBUG=True), pytest.raises(ValueError):
        record(world.staff, "orgs.updaet", world.branch_a)
    with override_settings(PLAZA_AUDIT_STRICT=False, DEBUG=False):  # production keeps the entry
        assert record(world.staff, "orgs.updaet", world.branch_a).action == "orgs.updaet"


@pytest.mark.django_db
def test_changes_read_as_field_old_to_new_with_labels_choices_and_dates(world):
    entry = record(
        world.staff,
        actions.PEOPLE_STATUS,
        world.member_a,
        before={"political_status": "activist", "leaves_on": None},
        after={"political_status": "candidate", "leaves_on": date(2026, 3, 1)},
    )
    assert [str(c) for c in entry.changes] == ["政治面貌：入党积极分子 → 发展对象", "离开单位日期：— → 2026年3月1日"]
    only_after = record(world.staff, actions.DUES_EXPORT, object_type="dues.payment", after={"count": 3, "ok": True})
    assert [str(c) for c in only_after.changes] == ["数量：3", "ok：是"]


@pytest.mark.django_db
def test_the_audit_log_shows_labels_and_readable_changes_never_codes_or_dicts(world, client):
    record(
        world.staff,
        actions.PEOPLE_STATUS,
        world.member_a,
        before={"political_status": "activist"},
        after={"political_status": "candidate"},
        reason="支委会讨论同意",
    )
    client.force_login(world.staff)
    body = client.get(reverse("audit:list")).content.decode()
    assert "变更政治面貌" in body and "政治面貌：入党积极分子 → 发展对象" in body and "原因：支委会讨论同意" in body
    assert "people.status<" not in body and "{&#x27;" not in body and "{'" not in body
    assert f'<option value="{actions.PEOPLE_STATUS}" >变更政治面貌</option>' in body  # the filter by label
    filtered = client.get(reverse("audit:list"), {"action": actions.PEOPLE_STATUS}).content.decode()
    assert "政治面貌：入党积极分子 → 发展对象" in filtered


@pytest.mark.django_db
def test_the_admin_lists_actions_by_label(world, client):
    record(world.staff, actions.ORGS_UPDATE, world.branch_a, before={"name": "甲"}, after={"name": "乙"})
    client.force_login(world.admin)
    body = client.get("/admin/audit/auditentry/").content.decode()
    assert "修改组织" in body


def test_a_recruitment_step_reads_as_its_number_and_name():
    changes = actions.describe_changes("recruitment.pipeline", None, {"step": 15, "round": 1})
    assert [str(c) for c in changes] == ["步骤：第15步「支部大会讨论」", "轮次：1"]
