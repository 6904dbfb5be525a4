"""An anonymous item: no handler page, API answer, export, notice, to-do or audit entry a handler can read names
the submitter (name or employee number); only the audited "view submitter" with Cap.VOICE_IDENTITY does."""

import io
from datetime import date

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from plaza.audit.models import AuditEntry
from plaza.notify.models import Delivery, Task
from plaza.voice import exports, queries, services
from plaza.voice.models import Category

from .helpers import categories


def _clean(text: str, person) -> None:  # noqa: ANN001
    assert person.name not in text, text[:2000]
    assert person.employee_no not in text


def test_a_handler_never_learns_who_filed(world, login, committed, settings):
    settings.PLAZA_TODAY = "2026-09-29"
    categories(world)
    submitter = world.member_a
    with committed():
        item = services.file_item(
            submitter,
            kind="concern",
            category=Category.objects.get(name="党建与组织生活"),
            text="班组长安排加班不公平",
            anonymous=True,
            public=True,
        )
        services.accept(world.secretary_a, item)
        services.ask(world.secretary_a, item, "请问是哪个班组？")
        services.reply(submitter, item, "装调一组")
        services.answer(world.secretary_a, item, "已与班组长谈话，加班按轮换表安排。", "加班轮换表公示")
        services.rate(submitter, item, False, "还要看执行")
    handler = world.secretary_a
    client = login(handler)
    pages = [
        reverse("voice:office"),
        reverse("voice:office") + "?state=closed",
        reverse("voice:handle", args=[item.pk]),
        reverse("voice:report") + "?month=2026-09",
        reverse("voice:raised"),
        reverse("voice:wall"),
        reverse("voice:public", args=[item.pk]),
        "/notify/inbox/",
        "/notify/todos/",
        "/audit/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        if response.status_code == 200:
            _clean(response.content.decode(), submitter)
    response = client.get(reverse("voice:report") + "?month=2026-09&format=xlsx")
    assert response.status_code == 200
    report = queries.report(handler, date(2026, 9, 1))
    assert report.total == 1 and report.changes
    book = openpyxl.load_workbook(io.BytesIO(exports.report_workbook(report)))
    cells = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    _clean(cells, submitter)
    # the API: a handler's own list holds nothing of it, and the item is not theirs
    assert client.get("/api/v1/voice/items").json()["items"] == []
    assert client.get(f"/api/v1/voice/items/{item.pk}").status_code == 404
    # every notice and to-do a handler received
    for delivery in Delivery.objects.filter(recipient=handler).select_related("reminder"):
        _clean(f"{delivery.reminder.title} {delivery.reminder.body}", submitter)
    for task in Task.objects.filter(assignee=handler):
        _clean(task.title, submitter)
    # the audit log: nothing names the submitter, as actor or in the text
    for entry in AuditEntry.objects.filter(object_type="voice.item"):
        assert entry.actor_id != submitter.pk
        _clean(f"{entry.actor_name} {entry.object_repr} {entry.before} {entry.after} {entry.reason}", submitter)
    # 组织部 staff handle items too and read the audit log
    staff = login(world.staff)
    for url in [
        reverse("audit:list"),
        reverse("voice:handle", args=[item.pk]),
        reverse("voice:office") + "?state=closed",
    ]:
        response = staff.get(url)
        assert response.status_code == 200, url
        _clean(response.content.decode(), submitter)
    # the narrow role sees them, with a reason, audited
    with pytest.raises(PermissionDenied):
        services.view_submitter(handler, item, "怀疑恶意反映")
    assert services.view_submitter(world.staff, item, "核查是否恶意诬告") == submitter
    entry = AuditEntry.objects.filter(action="voice.identity_view").get()
    assert entry.actor_id == world.staff.pk and entry.reason == "核查是否恶意诬告"
    _clean(f"{entry.object_repr} {entry.after}", submitter)


def test_named_item_shows_the_name_to_handlers(world, login):
    categories(world)
    item = services.file_item(
        world.member_a,
        kind="suggestion",
        category=Category.objects.get(name="党建与组织生活"),
        text="建议主题党日安排在周四下午",
        anonymous=False,
    )
    page = login(world.secretary_a).get(reverse("voice:handle", args=[item.pk])).content.decode()
    assert world.member_a.name in page
