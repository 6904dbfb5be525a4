"""Views and API handlers stay thin (issue 13, thin views): no Model.objects in them, no private helper of another
module, one download helper, one form-page helper, and the rules they used to decide asked of one place."""

from __future__ import annotations

import ast
import pathlib
from datetime import datetime, timedelta
from urllib.parse import quote

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from plaza.lib.formpage import form_page
from plaza.lib.http import PDF, XLSX, attachment
from plaza.meetings import services as meeting_services
from plaza.meetings.models import Meeting, Status
from plaza.rules import recruitment

PLAZA = pathlib.Path(__file__).resolve().parents[2]
#: module names whose private attributes another module would be reaching into
SIBLINGS = {"services", "queries", "views", "imports", "exports", "pdf", "sweep", "tasks", "api"}


def _sources(predicate) -> list[pathlib.Path]:  # noqa: ANN001
    return [p for p in PLAZA.rglob("*.py") if predicate(p) and "tests" not in p.parts and "migrations" not in p.parts]


def _is_view_or_api(path: pathlib.Path) -> bool:
    return path.name in ("views.py", "api.py") or path.name.endswith("_views.py")


def test_views_and_api_handlers_call_no_model_manager():
    modules = _sources(_is_view_or_api)
    assert len(modules) > 15
    found = [
        f"{path.relative_to(PLAZA)}:{node.lineno}"
        for path in modules
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if (isinstance(node, ast.Attribute) and node.attr == "objects" and isinstance(node.value, ast.Name))
        or (  # get_object_or_404(Model, ...) is Model.objects too
            isinstance(node, ast.Call)
            and getattr(node.func, "id", "") == "get_object_or_404"
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id[:1].isupper()
        )
    ]
    assert found == [], "read through the app's queries.py, write through services.py: " + ", ".join(found)


def test_no_module_uses_another_modules_private_helpers():
    found = []
    for path in _sources(lambda p: p.suffix == ".py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("plaza"):
                found += [f"{path.relative_to(PLAZA)}: {a.name}" for a in node.names if a.name.startswith("_")]
            elif (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and isinstance(node.value, ast.Name)
                and node.value.id in SIBLINGS
            ):
                found.append(f"{path.relative_to(PLAZA)}:{node.lineno}: {node.value.id}.{node.attr}")
    assert found == []


def test_one_download_helper_names_the_file_in_chinese_with_an_ascii_fallback():
    pdf = attachment(b"%PDF-1.4", "会议记录-支部大会.pdf")
    assert pdf["Content-Type"] == PDF
    assert pdf["Content-Disposition"] == (
        "attachment; filename=\"plaza.pdf\"; filename*=UTF-8''" + quote("会议记录-支部大会.pdf")
    )
    assert pdf.content == b"%PDF-1.4"
    xlsx = attachment(b"PK", "党费收缴-2026-05.xlsx")
    assert xlsx["Content-Type"] == XLSX
    assert 'filename="plaza.xlsx"' in xlsx["Content-Disposition"]
    assert "%E5%85%9A%E8%B4%B9" in xlsx["Content-Disposition"]  # 党费, percent-encoded UTF-8 (RFC 5987)


class _NameForm(forms.Form):
    name = forms.CharField(max_length=20)


def _request(method: str, data: dict | None = None):  # noqa: ANN202
    request = getattr(RequestFactory(), method)("/somewhere/", data or {})
    request.session = SessionStore()
    request.user = AnonymousUser()
    request._messages = FallbackStorage(request)
    return request


def _page(request, save):  # noqa: ANN001, ANN202
    return form_page(
        request, _NameForm, "form_page.html", save=save, done="已保存。", next_url="/done/", context={"title": "名称"}
    )


def test_form_page_shows_the_form_then_redirects_with_a_message_after_the_service(db):
    saved = []
    assert _page(_request("get"), saved.append).status_code == 200
    assert saved == []
    response = _page(_request("post", {"name": "一支部"}), lambda form: saved.append(form.cleaned_data["name"]))
    assert response.status_code == 302
    assert response["Location"] == "/done/"
    assert saved == ["一支部"]


def test_form_page_puts_a_refusal_on_the_form_and_keeps_what_was_typed(db):
    def refuse(form):  # noqa: ANN001, ANN202
        raise ValidationError("名称已被使用。")

    request = _request("post", {"name": "一支部"})
    response = _page(request, refuse)
    assert response.status_code == 200
    page = response.content.decode()
    assert "名称已被使用。" in page
    assert 'value="一支部"' in page
    assert list(get_messages(request)) == []


def test_signing_open_and_the_sign_in_problem_agree_on_the_window():
    start = timezone.make_aware(datetime(2026, 5, 12, 9, 0))
    meeting = Meeting(starts_at=start, ends_at=start + timedelta(hours=2), status=Status.PLANNED)
    opens = start - meeting_services.SIGN_IN_OPENS_BEFORE
    for moment, open_ in [
        (opens - timedelta(minutes=1), False),
        (opens, True),
        (start + timedelta(hours=1), True),
        (start + timedelta(hours=2, minutes=1), False),
    ]:
        assert meeting_services.signing_open(meeting, moment) is open_
        assert (meeting_services.sign_in_problem(meeting, moment) == "") is open_
    meeting.status = Status.CANCELLED
    assert not meeting_services.signing_open(meeting, start)
    assert meeting_services.sign_in_problem(meeting, start)


def test_an_admission_counts_on_the_higher_committees_approval_not_the_branch_vote():
    assert recruitment.ADMISSION_COUNTED_AT == recruitment.Step.ADMISSION_APPROVAL == 17
    assert recruitment.CONVERSION_COUNTED_AT == recruitment.Step.CONVERSION_APPROVAL == 24
