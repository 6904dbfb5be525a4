"""The sensitive-word filter: blocked words refuse and are named, review words hold for moderation, overlapping
words are all found, long texts are scanned to the end, and a change of the list reaches the automaton."""

import pytest
from django.core.exceptions import ValidationError

from plaza.space import services, words
from plaza.space.models import PostStatus, SensitiveWord, WordLevel, WordListVersion

from .helpers import enterprise_space, post
from .helpers import words as listing


def test_matcher_finds_overlapping_and_nested_words():
    matcher = words.Matcher.build(
        [("法轮", WordLevel.REVIEW), ("法轮功", WordLevel.BLOCK), ("轮功", WordLevel.REVIEW), ("赌博", "block")]
    )
    found = matcher.scan("有人在说法轮功的事，还有网络赌博")
    assert set(found.blocked) == {"法轮功", "赌博"}
    assert set(found.review) == {"法轮", "轮功"}


def test_normalised_text_full_width_case_and_separators_are_caught():
    matcher = words.Matcher.build([("vpn", WordLevel.BLOCK), ("代开发票", WordLevel.BLOCK)])
    assert matcher.scan("翻墙用ＶＰＮ").blocked == ("vpn",)
    assert matcher.scan("代 开*发·票，联系我").blocked == ("代开发票",)
    assert matcher.scan("正常的班组创新分享").clean


def test_a_word_at_the_end_of_a_long_text_is_found():
    matcher = words.Matcher.build([(f"词{n:05d}", WordLevel.REVIEW) for n in range(10_000)] + [("赌博", "block")])
    text = "锐歌试驾体验很好。" * 1200 + "赌博"
    assert len(text) > 10_000
    assert matcher.scan(text).blocked == ("赌博",)


def test_empty_list_finds_nothing():
    assert words.Matcher.build([]).scan("任何内容").clean


def test_the_cached_automaton_is_rebuilt_when_the_list_changes(world):
    assert words.scan("网络赌博").clean
    services.add_words(world.staff, "赌博", WordLevel.BLOCK)
    assert words.scan("网络赌博").blocked == ("赌博",)
    matcher = words.matcher()
    assert words.matcher() is matcher  # unchanged list: the same automaton, no rebuild
    services.remove_word(world.staff, SensitiveWord.objects.get(word="赌博"))
    assert words.scan("网络赌博").clean


def test_a_list_restored_to_an_earlier_number_is_not_mistaken_for_the_cached_one(world):
    """A database restored from a backup (or emptied between two tests) counts versions up again from a lower
    number: the same number with different words must not reuse the automaton built for the old list."""
    listing(赌博="block")
    assert words.scan("网络赌博").blocked == ("赌博",)
    SensitiveWord.objects.all().delete()
    WordListVersion.objects.all().delete()  # as if restored to a backup taken before the list existed
    listing(投诉="review")  # version 1 again, another list
    assert words.scan("网络赌博").clean
    assert words.scan("我要投诉").review == ("投诉",)


def test_a_blocked_word_refuses_the_post_and_names_it(world):
    space = enterprise_space(world)
    listing(赌博="block", 代开发票="block", 投诉="review")
    with pytest.raises(ValidationError) as refused:
        post(world.member_a, space, "周末一起网络赌博？还能代开发票")
    assert "禁止发布的词语：" in refused.value.messages[0]
    assert "赌博" in refused.value.messages[0] and "代开发票" in refused.value.messages[0]


def test_a_review_word_holds_the_post_for_moderation(world):
    space = enterprise_space(world)
    listing(投诉="review")
    held = post(world.member_a, space, "我要投诉食堂的饭菜")
    assert held.status == PostStatus.PENDING and "投诉" in held.held_reason


def test_a_blocked_word_refuses_a_comment(world):
    space = enterprise_space(world)
    target = post(world.member_a, space)
    listing(赌博="block")
    with pytest.raises(ValidationError, match="赌博"):
        services.add_comment(world.employee, target, "来赌博")


def test_only_space_keepers_maintain_the_list(world):
    with pytest.raises(Exception, match="只有"):
        services.add_words(world.secretary_a, "赌博", WordLevel.BLOCK)
