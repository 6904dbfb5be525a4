"""Stored notice and to-do titles show their dates in the reader's format (issue 14). Apart from the page walk in
``test_dates_on_pages.py``: that module keeps the demo enterprise for all its tests, and the organisations of the
``world`` fixture here would collide with the demo's codes."""

from __future__ import annotations

from plaza.core.tests.test_dates_on_pages import NOT_CHINESE, visible_text
from plaza.notify import services as notify


def test_stored_titles_show_their_dates_in_the_readers_format(
    world, client, django_capture_on_commit_callbacks
) -> None:  # noqa: ANN001
    """A notice or to-do made before this change (or by code that still writes ISO) keeps its words; its dates
    are shown in the reader's format on home, the inbox and the to-do list."""
    with django_capture_on_commit_callbacks(execute=True):
        notify.notify([world.member_a], kind="test", title="主题党日通知：2027-01-15 14:30，活动室")
    notify.add_task(world.member_a, "报送换届请示（2026-09-01 前）", source_type="test", source_id="1")
    client.force_login(world.member_a)
    for path in ("/", "/notify/inbox/", "/notify/todos/"):
        text = visible_text(client.get(path).content.decode())
        assert not NOT_CHINESE.search(text), (path, NOT_CHINESE.findall(text))
    home = visible_text(client.get("/").content.decode())
    assert "2027年1月15日 14:30" in home and "2026年9月1日 前" in home
