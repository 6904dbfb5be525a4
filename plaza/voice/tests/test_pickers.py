"""The handler's pickers (issue: 390 organisations in one flat list, a merge that preselected an unrelated item):
转交给 names each organisation with its parent, and 转交给, 并入 and 承办部门 start with an empty 请选择."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from plaza.orgs.queries import SEPARATOR
from plaza.testing.factories import Level, add_org

from .helpers import categories, file

pytestmark = pytest.mark.django_db


def _select(page: str, name: str) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of each option of the select called ``name``."""
    found = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert found, name
    return [
        (value, label.strip(), "selected" in attrs)
        for value, attrs, label in re.findall(r'<option value="([^"]*)"([^>]*)>(.*?)</option>', found[1], re.S)
    ]


def test_forward_and_merge_pickers_start_empty_and_tell_same_named_organisations_apart(world, login, settings):  # noqa: ANN001
    settings.PLAZA_TODAY = "2026-09-29"
    categories(world)
    twin = add_org(world.branch_b, "装调一组党小组", "P0202", Level.GROUP)  # named like world.group_a1
    item = file(world)
    file(world, person=world.activist_a, text="另一条反映：食堂窗口排队太长。")
    page = login(world.staff).get(reverse("voice:handle", args=[item.pk])).content.decode()

    forward = _select(page, "to")
    assert forward[0][:2] == ("", "请选择") and not any(selected for *_rest, selected in forward)
    labels = {value: label for value, label, _selected in forward}
    assert labels[str(world.group_a1.pk)] == f"装调车间党支部{SEPARATOR}装调一组党小组"
    assert labels[str(twin.pk)] == f"物流和采购党支部{SEPARATOR}装调一组党小组"

    merge = _select(page, "into")
    assert merge[0][:2] == ("", "请选择") and len(merge) > 1
    assert not any(selected for *_rest, selected in merge)  # nothing is merged into an item nobody chose
    assert re.search(r'<select[^>]*name="into"[^>]*required', page)
