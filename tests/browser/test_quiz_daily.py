"""每日答题 in a real browser at 360 × 740 (issue 15): a Party member answers the day's questions one after another
and each answer comes back in place (htmx: no new page), with the right answer, the explanation, what it earned
("稍后计入积分账户": the ledger is credited just after the commit) and the next question; the 错题本 gets the
wrong one; the points reach the ledger."""

from __future__ import annotations

from django.urls import reverse

from plaza.points import services as points
from plaza.quiz.models import Mistake
from plaza.quiz.tests.helpers import bank


def test_answers_come_back_in_place_and_earn_points(phone, world, settings):
    reverse("quiz:daily")  # the URL configuration imported before the first page (the live server shares it)
    settings.PLAZA_QUIZ_DAILY_COUNT = 3
    bank(world.committee, 6)
    member = phone(world.member_a)
    member.goto("/quiz/daily/")
    member.evaluate("window.plazaSamePage = true")  # gone if an answer loaded a new page
    for n, option in enumerate(("乙", "甲", "乙"), start=1):  # the bank's right answer is 乙
        member.wait_for_selector(f"text=第 {n} 题")
        member.locator(".quiz-option", has_text=option).click()
        member.click("#daily form button[type=submit]")
        member.wait_for_selector(f"text=已答 {n} / 3 题")
        outcome = member.inner_text("[data-testid=outcome]")
        if option == "乙":
            assert "回答正确，得 1 积分，稍后计入积分账户" in outcome
        else:
            assert "回答错误，已加入错题本" in outcome
        assert "正确答案" in member.inner_text("[data-testid=feedback]")
        assert member.evaluate("window.plazaSamePage") is True
        assert member.evaluate("document.documentElement.scrollWidth") <= 360
    member.wait_for_selector("[data-testid=daily-done]")
    assert "今日得 2 积分" in member.inner_text("#daily")
    assert points.balance_of(world.member_a) == 2
    assert Mistake.objects.filter(person=world.member_a).count() == 1
