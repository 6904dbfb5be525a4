"""Issue 12, item 13: slips of the pinyin IME and spoken forms are read as the words meant, and ordinary words are
left alone. The questions here are in none of the evaluation sets."""

import pytest

from plaza.assistant import index, kinds, services, spelling
from plaza.assistant import text as chinese

# ------------------------------------------------------------------------------------------ the reading groups


def test_near_homophones_share_a_reading_or_a_neighbouring_tone():
    assert "党" in spelling.near("当")  # dāng / dǎng
    assert "请" in spelling.near("清")  # qīng / qǐng
    assert "互" in spelling.near("护")  # hù
    assert "休" in spelling.near("修")  # xiū
    assert "工" not in spelling.near("党")
    assert spelling.near("A") == ()


def test_a_slip_is_corrected_only_into_a_longer_word_the_knowledge_base_knows():
    known = {"工会", "慰问", "慰问金", "生育慰问", "疗休养", "申请"}.__contains__
    assert spelling.correct("生育尉问多少钱", known) == "生育慰问多少钱"
    assert spelling.correct("疗修养几天", known, lambda w: known(w) or w == "修养") == "疗休养几天"
    # no near reading makes a word the knowledge base knows: left as written
    assert spelling.correct("食堂几点开饭", known) == "食堂几点开饭"
    # 申请 is a word of two characters, as long as the dictionary word 申清 would be: not changed
    assert spelling.correct("申清", known, lambda w: True) == "申清"


def test_a_correction_must_make_the_question_read_much_better():
    known = {"十一", "工会"}.__contains__
    assert spelling.correct("是一次发吗", known) == "十一次发吗"  # without the reading check: wrong
    assert spelling.correct("是一次发吗", known, likelihood=chinese.likelihood) == "是一次发吗"


# ------------------------------------------------------------------------------------------ spoken forms


@pytest.mark.parametrize(
    ("question", "written"),
    [
        ("我想问下党课多久上一次", "党课多久上一次"),
        ("请问，咋申请困难补助", "怎么申请困难补助"),
        ("俺家娃考上大学了有补助不", "我家孩子考上大学了有补助吗"),
        ("生育慰问要准备些啥", "生育慰问要准备些什么"),
        ("疗休养能去么？", "疗休养能去吗？"),
    ],
)
def test_spoken_forms_are_written_out(question, written):
    assert chinese.spoken(question) == written


def test_may_i_questions_ask_who_may():
    assert kinds.asked(chinese.spoken("进厂才两年能去疗休养不")) == kinds.WHO
    assert kinds.asked("我十六岁能写入党申请书吗") == kinds.WHO
    assert kinds.asked("入党申请书能交给谁") == kinds.HOW_TO  # 「交给谁」 asks how to, as before


# ------------------------------------------------------------------------------------------ on the demo knowledge base


@pytest.mark.parametrize(
    ("question", "written"),
    [
        ("党员身份证名要带什么", "党员身份证明要带什么"),
        ("生育尉问多少钱", "生育慰问多少钱"),
        ("困难补住怎么申请", "困难补助怎么申请"),
        ("大病互助的等代期多长", "大病互助的等待期多长"),
        # ordinary words stay as they are
        ("选完了多久要把结果报上去", "选完了多久要把结果报上去"),
        ("党费每个月几号交", "党费每个月几号交"),
        ("食堂几点开饭", "食堂几点开饭"),
    ],
)
def test_the_index_reads_a_slip_as_the_word_meant(knowledge, question, written):
    assert index.current().rewrite(question) == written


def test_a_question_with_a_slip_is_answered_from_the_right_section(knowledge):
    reply = services.respond("大病互助的等代期多长", use_llm=False)
    assert (reply.hits[0].entry.title, reply.hits[0].entry.heading) == ("职工大病互助保障办法", "二、等待期")
    assert reply.confident
    card = services.respond("困难补住怎么申请", use_llm=False)
    assert card.hits[0].entry.title == "困难职工帮扶补助办法"
