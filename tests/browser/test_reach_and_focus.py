"""Issue 21 on a phone: keyboard focus never lands under the sticky header or the fixed tab bar, every touch
target is at least 44 × 44 px, the bell's name carries the unread count, and 党群小智's question box comes first.
(axe-core and the 200 % zoom check run on every page by tests/browser/conftest.py.)"""

from __future__ import annotations

from datetime import date

import pytest

from plaza.notify.models import Notification
from plaza.recruitment import services
from plaza.testing.factories import PASSWORD, PersonFactory, join

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

UNDER_A_BAR = """() => {
  const el = document.activeElement, r = el.getBoundingClientRect();
  const top = document.querySelector(".topbar").getBoundingClientRect().bottom;
  const bottom = document.querySelector(".tabbar").getBoundingClientRect().top;
  if (el === document.body || el.closest(".topbar, .tabbar, .skip-link")) return null;  // the skip link sits on top
  return r.top < top - 1 || r.bottom > bottom + 1 ? `${el.tagName} ${el.textContent.trim().slice(0, 20)}` : null;
}"""
SMALL_TARGETS = """() => [...document.querySelectorAll(
    "a.btn, button, .topbar a, .tabbar a, .list a.main, .sources a, .card h2 a, input:not([type=hidden]), select")]
  .filter(e => e.offsetParent !== null)
  .map(e => [e, e.getBoundingClientRect()])
  .filter(([e, r]) => !["checkbox", "radio"].includes(e.type) && (r.width < 43.5 || r.height < 43.5))
  .map(([e, r]) => `${e.tagName} "${e.textContent.trim().slice(0, 12)}" ${r.width}×${r.height}`)"""


def test_focus_is_never_under_a_bar_and_targets_are_44_px(page, world):
    for i in range(24):  # a long board: more people than a screen holds
        person = PersonFactory(employee_no=f"A08{i:02d}", name=f"长名单{i:02d}", birth_date=date(1998, 1, 1))
        join(person, world.branch_a)
        services.open_pipeline(world.secretary_a, person, world.branch_a, applied_on=date(2024, 3, 1))
    sign_in(page, world.secretary_a.employee_no, PASSWORD)
    page.goto("/recruitment/")
    page.locator("details.more summary").first.click()  # the rest of the stage, open
    hidden = []
    for _ in range(45):
        page.keyboard.press("Tab")
        where = page.evaluate(UNDER_A_BAR)
        if where:
            hidden.append(where)
    assert not hidden, hidden
    for path in ["/", "/recruitment/", "/notify/todos/", "/accounts/me/"]:
        page.goto(path)
        assert page.evaluate(SMALL_TARGETS) == [], path


def test_the_bell_says_how_many_and_the_assistant_asks_first(page, world):
    for i in range(2):
        Notification.objects.create(recipient=world.member_a, title=f"通知{i}")
    sign_in(page, world.member_a.employee_no, PASSWORD)
    assert page.get_by_role("link", name="消息，2 条未读").is_visible()
    page.goto("/assistant/")
    first_field = page.locator("main textarea, main input[type=text]").first
    box = first_field.bounding_box()
    assert box is not None and box["y"] < 740  # on the first screen, before any earlier answer
