"""Home's banner of pinned news at 360 px: one pinned article fills the banner's width; with several, each card
leaves the next one peeking at the edge, which says the row scrolls sideways."""

from __future__ import annotations

from plaza.learning.tests.helpers import article
from plaza.testing.factories import PASSWORD

from .conftest import sign_in

WIDTHS = (
    "() => [document.querySelector('.banner').clientWidth, ...[...document.querySelectorAll('.banner-item')]"
    ".map(e => e.getBoundingClientRect().width)]"
)


def test_one_pinned_article_fills_the_banner_and_several_peek(page, world):
    article(world, "党建引领，打造“党建+”新名片", pinned=True)
    sign_in(page, world.member_a.employee_no, PASSWORD)
    banner, only = page.evaluate(WIDTHS)
    assert abs(only - banner) <= 1

    article(world, "学习贯彻党的二十届四中全会精神", pinned=True)
    page.reload()
    banner, first, second = page.evaluate(WIDTHS)
    assert first < banner * 0.9 and second < banner * 0.9
