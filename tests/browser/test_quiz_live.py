"""A live contest end to end (issue 15): the host on a big screen (1280 × 800) and three players on phones
(360 × 740, separate browser contexts) joined by the 6-digit PIN, through two questions to the final
leaderboard, over real WebSockets.

Django's live server speaks WSGI only, so this test serves ``plaza.asgi.application`` with uvicorn in a thread
on a free port (the same application as ``python -m plaza.core.server``), on the test database."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
import uvicorn
from django.utils import timezone
from playwright.sync_api import expect

from plaza.quiz.models import Attempt, ContestAnswer, State
from plaza.quiz.tests.helpers import bank, make_contest
from plaza.testing.factories import PASSWORD

from .conftest import check_pages, sign_in, watch

BIG = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def asgi_server(transactional_db) -> Iterator[str]:  # noqa: ANN001
    """``plaza.asgi.application`` under uvicorn in a thread (HTTP and WebSockets); yields its base URL."""
    from plaza.asgi import application

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning", lifespan="off", ws="websockets")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    # The first request imports every app's URLs and views: made here, so no page of the test waits for it.
    httpx.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=120)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_host_and_three_phones_play_two_questions_to_the_final_board(browser, asgi_server, world, settings):
    settings.PLAZA_QUIZ_BOT_MS = 0  # a test clicks faster than any person
    now = timezone.now()
    contest = make_contest(
        world,
        bank(world.committee, 2),
        mode="live",
        title="奥特能知识现场赛",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=2),
    )
    contexts, visited = [], {}

    def open_as(person, viewport):  # noqa: ANN001, ANN202
        context = browser.new_context(viewport=viewport, base_url=asgi_server, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        visited[context] = []
        watch(page, visited[context])
        sign_in(page, person.employee_no, PASSWORD)
        return page

    try:
        host = open_as(world.staff, BIG)
        host.goto(f"/quiz/live/{contest.pk}/host/")
        host.get_by_text("已连接").wait_for()
        assert host.get_by_test_id("pin").inner_text() == contest.pin

        players = [open_as(p, PHONE) for p in (world.member_a, world.member_b, world.activist_a)]
        for phone in players:
            phone.goto(f"/quiz/live/?pin={contest.pin}")
            phone.get_by_role("button", name="加入").click()
            phone.wait_for_url(f"**/quiz/live/{contest.pk}/")
            phone.get_by_text("已连接").wait_for()
        expect(host.get_by_test_id("players")).to_have_text("3", timeout=15_000)

        for round_no in (1, 2):
            host.get_by_test_id("next").click()
            for index, phone in enumerate(players):
                phone.locator("[data-choice]").first.wait_for()
                # the first two players answer right (option 乙), the third wrong (甲)
                phone.locator(f"[data-choice='{1 if index < 2 else 0}']").click()
                phone.get_by_test_id("live-message").filter(has_text=re.compile("已提交|回答")).wait_for()
            expect(host.get_by_test_id("answered")).to_have_text("3", timeout=15_000)
            host.get_by_test_id("reveal").click()
            for index, phone in enumerate(players):
                message = phone.get_by_test_id("live-message")
                message.filter(has_text="正确答案").wait_for()
                assert ("回答正确" in message.inner_text()) == (index < 2), round_no
                phone.get_by_test_id("me").filter(has_text="名").wait_for()
            host.get_by_test_id("options").filter(has_text="1 人").wait_for()

        host.once("dialog", lambda dialog: dialog.accept())
        host.get_by_test_id("finish").click()
        for phone in players:
            phone.get_by_test_id("phase").filter(has_text="竞赛结束").wait_for()
        host.get_by_test_id("phase").filter(has_text="竞赛结束").wait_for()
        top = host.get_by_test_id("top").locator("li")
        assert top.count() == 3
        assert top.nth(2).inner_text().startswith(f"3. {world.activist_a.name}")
        assert "第 3 名" in players[2].get_by_test_id("me").inner_text()
        for phone in players:
            assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        problems: list[str] = []
        for context in contexts:
            problems += check_pages(context, [u for u in visited[context] if "/quiz/" in u])
            context.close()
    contest.refresh_from_db()
    assert contest.state == State.CLOSED
    assert Attempt.objects.filter(contest=contest).count() == 3
    assert ContestAnswer.objects.filter(contest=contest).count() == 6
    assert not problems, "accessibility:\n" + "\n".join(dict.fromkeys(problems))
