"""Reading beans only for real reading: the server measures the time; once per article; to the end."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from plaza.audit.models import AuditEntry
from plaza.learning import services
from plaza.learning.models import Completion, ReadingSession
from plaza.points.services import balance_of

from .helpers import article, read


def test_beans_once_per_article(world):
    found = article(world)
    first = read(world.member_a, found, 45)
    assert first.granted == 1 and first.completed and balance_of(world.member_a) == 1
    again = read(world.member_a, found, 60)
    assert again.granted == 0 and "已经领过" in again.message and balance_of(world.member_a) == 1
    assert Completion.objects.filter(person=world.member_a, article=found).count() == 1
    other = read(world.member_a, article(world, "第二篇"), 40)
    assert other.granted == 1 and balance_of(world.member_a) == 2


def test_too_quick_is_refused_by_the_servers_clock(world):
    found = article(world)
    outcome = read(world.member_a, found, 5)
    assert outcome.granted == 0 and "阅读时间不足" in outcome.message and not outcome.completed
    assert balance_of(world.member_a) == 0 and not Completion.objects.exists()
    session = ReadingSession.objects.get()
    assert session.seconds == 5 and session.message.startswith("阅读时间不足")


def test_not_to_the_end_is_refused(world):
    found = article(world)
    outcome = read(world.member_a, found, 120, progress=0.5)
    assert outcome.granted == 0 and "读完全文" in outcome.message and balance_of(world.member_a) == 0
    assert read(world.member_a, found, 120, progress=0.95).granted == 1


def test_daily_cap(world, settings):
    settings.PLAZA_POINTS_DAILY_CAPS = {"reading": 1}
    assert read(world.member_a, article(world, "一"), 40).granted == 1
    capped = read(world.member_a, article(world, "二"), 40)
    assert capped.granted == 0 and "上限" in capped.message and capped.completed


def test_someone_elses_session_or_nonsense_is_refused(world):
    found = article(world)
    session = services.start_reading(world.member_b, found)
    with pytest.raises(ValidationError):
        services.finish_reading(world.member_a, found, session.pk, 1)
    with pytest.raises(ValidationError):
        services.finish_reading(world.member_a, found, "x", 1)


def test_only_staff_write_articles_and_within_their_scope(world):
    with pytest.raises(PermissionDenied):
        services.save_article(world.secretary_a, None, {"title": "x", "body": "y"})
    with pytest.raises(PermissionDenied):  # the union lies outside the committee staff's scope
        article(world, to=[world.union])
    found = article(world, to=[world.branch_a])
    assert AuditEntry.objects.filter(action="learning.article_create", object_id=str(found.pk)).exists()
    with pytest.raises(ValidationError):
        article(world, required=True)  # required needs a due date


def test_the_editors_html_is_cleaned_before_it_is_stored_and_shown():
    from plaza.learning.markup import clean_html, render_body

    dirty = '<h2>学习</h2><p onclick="steal()">全会<script>alert(1)</script><a href="javascript:x">链接</a></p>'
    clean = clean_html(dirty)
    assert "<h2>学习</h2>" in clean and "script" not in clean and "onclick" not in clean and "javascript" not in clean
    assert "<strong>加粗</strong>" in render_body("**加粗**", "markdown")
    assert "<b>" in render_body("<p><b>x</b><img src=x onerror=alert(1)></p>", "html")
    assert "onerror" not in render_body("<p><b>x</b><img src=x onerror=alert(1)></p>", "html")
