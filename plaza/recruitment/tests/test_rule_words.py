"""The recruitment rules' own words (step timings, notes, sources and refusal messages, all Chinese in the pure
``plaza.rules.recruitment``) in the reader's language (issue 14), with dates in the reader's format.

English readers get the catalogue's words. Until the lead refreshes the English catalogue the new sentences have
no translation yet, so the English tests fill the missing entries with ASCII stand-ins (``pretend_english``):
what they prove is that every rules text on the page goes through gettext, none slips through as the rules wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import trans_real

from plaza.dues import labels as dues_labels
from plaza.elections import labels as election_labels
from plaza.lib import rulewords
from plaza.recruitment import labels
from plaza.rules import dues, elections, recruitment, transfers
from plaza.rules.recruitment import STEPS, Step
from plaza.testing.factories import PersonFactory
from plaza.transfers import labels as transfer_labels

CHINESE = re.compile(r"[\u3400-\u9fff]")
_PLACEHOLDER = re.compile(r"%\([^)]+\)s")


def _lazy_entries() -> list[tuple[str, str]]:
    """(context, msgid) of every lazily translated text the labels and rule words use."""
    lazies: list[Promise] = [
        *labels.STEP_NAMES.values(),
        *labels.STAGE_NAMES.values(),
        *labels.STEP_TIMINGS.values(),
        *labels.STEP_NOTES.values(),
        *rulewords.SOURCE_NAMES.values(),
        *(shape.text for shape in labels.MESSAGES.shapes),
        *(shape.text for shape in election_labels.MESSAGES.shapes),
        *(shape.text for shape in transfer_labels.MESSAGES.shapes),
        *(shape.text for shape in dues_labels.MESSAGES.shapes),
    ]
    return [tuple(lazy._args) for lazy in lazies]  # type: ignore[attr-defined]  # (context, message)


@pytest.fixture
def pretend_english() -> Iterator[None]:
    """English, with an ASCII stand-in for every entry of ours the catalogue does not translate yet."""
    entries = [*_lazy_entries(), ("rule source", "%(source)s第%(article)s条"), ("rule source", "；")]
    entries += [("recruitment rule", "、")]
    with translation.override("en"):
        catalog = trans_real.translation("en")._catalog
        added = []
        for context, msgid in entries:
            key = f"{context}\x04{msgid}"
            if catalog.get(key) is None:
                catalog[key] = "[en] " + " ".join(_PLACEHOLDER.findall(msgid)) if "%(" in msgid else "[en]"
                if msgid == "；":
                    catalog[key] = "; "
                added.append(key)
        try:
            yield
        finally:
            for key in added:
                catalog._catalogs[0].pop(key, None)


def _messages() -> list[str]:
    """One message of every shape the recruitment rules give, made by the rules themselves."""
    born = date(1998, 5, 1)
    steps_1_to_6 = {1: date(2023, 3, 1), 2: date(2023, 3, 20), 3: date(2024, 3, 1), 4: date(2024, 3, 5)}
    steps_1_to_6 |= {5: date(2024, 3, 5), 6: date(2024, 9, 1)}
    upto_14 = {n: date(2024, 1, n) for n in range(1, 15)}
    found = [
        *recruitment.check(2, date(2024, 1, 2), {1: date(2023, 1, 1), 2: date(2023, 1, 5)}, born),  # recorded
        *recruitment.check(4, date(2024, 1, 2), {1: date(2023, 1, 1)}, born),  # prerequisite
        *recruitment.check(4, date(2024, 1, 2), {1: date(2023, 1, 1), 3: date(2023, 6, 1)}, born),  # gaps
        *recruitment.check(2, date(2023, 1, 1), {1: date(2023, 2, 1)}, born),  # before the step it follows
        *recruitment.check(1, date(2024, 1, 2), {}, date(2010, 5, 1)),  # under 18
        *recruitment.check(6, date(2024, 8, 31), {n: steps_1_to_6[n] for n in (1, 2, 3)}, born),  # review < 6 months
        *recruitment.check(7, date(2025, 2, 1), steps_1_to_6, born),  # cultivation under a year
        *recruitment.check(15, date(2024, 2, 1), upto_14, born, political_review_years=1),  # review too old?
        *recruitment.check_branch_vote(15, entitled=10, present=5, yes=5),
        *recruitment.check_branch_vote(15, entitled=10, present=6, yes=5),
        *recruitment.check_branch_vote(23, entitled=10, present=6, yes=5),
        *recruitment.check_outcome("extend", extension_months=3, already_extended=True),
        *recruitment.check_outcome("convert", extension_months=6),
    ]
    done = {n: date(2024, 1, n) for n in range(1, 23)} | {15: date(2024, 1, 15)}
    found += recruitment.check(23, date(2024, 6, 1), done, born)  # probation not over
    done_review = {n: date(2024, 1, n) for n in range(1, 15)} | {10: date(2020, 1, 1)}
    found += recruitment.check(15, date(2024, 2, 1), done_review, born, political_review_years=1)
    leaving = recruitment.leaving_warning(date(2025, 1, 31), date(2025, 4, 30))
    assert leaving is not None
    messages = [v.message for v in [*found, leaving]]
    return list(dict.fromkeys(messages))


def test_every_shape_of_rules_message_is_known() -> None:
    messages = _messages()
    assert len(messages) >= 15
    unknown = [m for m in messages if not any(s.pattern.fullmatch(m) for s in labels.MESSAGES.shapes)]
    assert not unknown


def test_in_chinese_the_words_are_the_rules_own_with_dates_in_chinese_format() -> None:
    with translation.override("zh-hans"):
        assert {n: str(t) for n, t in labels.STEP_TIMINGS.items()} == {s.number: s.timing for s in STEPS if s.timing}
        assert {n: str(t) for n, t in labels.STEP_NOTES.items()} == {s.number: s.note for s in STEPS if s.note}
        assert [labels.step_source(s.number) for s in STEPS] == [s.rule for s in STEPS]
        for message in _messages():
            said = labels.rule_message(message)
            iso = r"(\d{4})-0?(\d{1,2})-0?(\d{1,2})"
            assert said == re.sub(iso, lambda m: f"{m[1]}年{int(m[2])}月{int(m[3])}日", message)
        assert labels.rule_message("培养考察未满一年，最早可于 2025-03-01 列为发展对象 (《细则》)") == (
            "培养考察未满一年，最早可于 2025年3月1日 列为发展对象 (《细则》)"
        )


def test_a_message_of_another_shape_is_shown_as_it_is() -> None:
    with translation.override("en"):
        assert labels.rule_message("不认识的句子") == "不认识的句子"


def test_citations_name_the_article_in_the_readers_numbers() -> None:
    with translation.override("zh-hans"):
        assert rulewords.source("《党章》第七条；《细则》第三十二条") == "《党章》第七条；《细则》第三十二条"
    with translation.override("en"):
        cited = rulewords.source("《党章》第七条；《细则》第三十二条")
    assert "7" in cited and "32" in cited and "七" not in cited


def test_in_english_no_rules_text_stays_chinese(pretend_english: None) -> None:
    said = [labels.rule_message(m) for m in _messages()]
    said += [labels.step_timing(s.number) for s in STEPS] + [labels.step_note(s.number) for s in STEPS]
    said += [labels.step_source(s.number) for s in STEPS]
    assert not [s for s in said if CHINESE.search(s)]
    # the dates in English format
    assert "2025-03-01" not in labels.rule_message("培养考察未满一年，最早可于 2025-03-01 列为发展对象 (《细则》)")


def test_the_filters_render_a_steps_timing_note_and_source() -> None:
    page = Template("{% load plaza_format %}{{ 2|step_timing }} · {{ 15|step_note }} · {{ 15|step_source }}")
    with translation.override("zh-hans"):
        assert page.render(Context()) == (
            "收到入党申请书后一个月内 · 到会有表决权的党员超过半数，赞成人数超过应到会有表决权正式党员的半数"
            " · 《细则》第二十条"
        )


@pytest.mark.django_db
def test_the_english_recruitment_guide_shows_no_rules_text_in_chinese(client, pretend_english) -> None:  # noqa: ANN001
    person = PersonFactory(language="en")
    client.force_login(person)
    page = client.get("/handbook/recruitment/").content.decode()
    rules_texts = [s.timing for s in STEPS if s.timing] + [s.note for s in STEPS if s.note]
    rules_texts += [s.rule for s in STEPS if s.rule]
    assert page.count("<li>") >= 25
    assert [t for t in rules_texts if t in page] == []


def test_the_step_enum_covers_every_timing() -> None:
    assert set(labels.STEP_TIMINGS) <= {int(s) for s in Step}


def _other_messages() -> list[tuple[object, str]]:
    """The elections and transfers rules' messages, each with the labels module that words it."""
    reminders = elections.term_reminders(date(2026, 12, 31))
    found: list[tuple[object, str]] = [(election_labels, r.message) for r in reminders]
    notice = transfers.out_of_contact_notice(date(2025, 1, 10), date(2025, 8, 1))
    assert notice is not None
    return [*found, (transfer_labels, notice.message)]


def test_the_elections_and_transfers_messages_are_worded_too() -> None:
    with translation.override("zh-hans"):
        for module, message in _other_messages():
            said = module.rule_message(message)  # type: ignore[attr-defined]
            assert said != message and not re.search(r"\d{4}-\d{2}-\d{2}", said), said


def test_in_english_the_elections_and_transfers_messages_have_no_chinese(pretend_english: None) -> None:
    said = [module.rule_message(message) for module, message in _other_messages()]  # type: ignore[attr-defined]
    assert not [s for s in said if CHINESE.search(s)]


def test_the_dues_rules_months_are_in_the_readers_format(pretend_english: None) -> None:
    messages = [v.message for v in dues.check_payment_months([date(2024, 11, 1), date(2025, 10, 1)], date(2025, 6, 15))]
    assert len(messages) == 2
    with translation.override("zh-hans"):
        said = [dues_labels.rule_message(m) for m in messages]
    assert said[0].startswith("2024年11月 的党费已超过补交期限") and "最早可补交 2024年12月" in said[0]
    assert said[1].startswith("2025年10月 的党费不能提前交纳") and "最晚可预交到 2025年9月" in said[1]
    in_english = [dues_labels.rule_message(m) for m in messages]
    assert not [s for s in in_english if CHINESE.search(s)]
