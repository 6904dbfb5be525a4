"""民主评议党员: 优秀 at most a third (a setting), grades that differ from the tally need a reason."""

from fractions import Fraction

import pytest

from plaza.rules.evaluation import GRADES, check_grades, max_excellent, needs_reason


@pytest.mark.parametrize(("graded", "expected"), [(0, 0), (1, 0), (2, 0), (3, 1), (8, 2), (9, 3), (10, 3), (30, 10)])
def test_max_excellent_is_a_third_rounded_down(graded, expected):
    assert max_excellent(graded) == expected


def test_the_share_is_a_setting():
    assert max_excellent(10, share=Fraction(1, 4)) == 2
    assert max_excellent(10, share=Fraction(1, 2)) == 5
    for bad in (Fraction(3, 2), Fraction(-1, 3), 0.3):
        with pytest.raises(ValueError, match="share"):
            max_excellent(10, share=bad)
    for bad in (-1, 1.5, True):
        with pytest.raises(ValueError, match="graded"):
            max_excellent(bad)


def test_check_grades():
    assert check_grades(["excellent"] * 3 + ["qualified"] * 6) == []
    assert check_grades(["excellent"] * 3 + ["qualified"] * 5 + ["unqualified"]) == []
    [violation] = check_grades(["excellent"] * 4 + ["qualified"] * 4 + ["unqualified"])
    assert violation.code == "excellent_share" and "最多 3 名" in violation.message
    assert check_grades([]) == []
    with pytest.raises(ValueError, match="unknown grade"):
        check_grades(["good"])


def test_needs_reason():
    assert list(GRADES.values()) == ["优秀", "合格", "基本合格", "不合格"]
    tally = {"excellent": 2, "qualified": 10, "basically_qualified": 1}
    assert not needs_reason("qualified", tally)
    assert needs_reason("excellent", tally)
    assert needs_reason("unqualified", tally)
    assert not needs_reason("excellent", {"excellent": 6, "qualified": 6})  # tied at the top
    assert not needs_reason("unqualified", {"excellent": 0})
    with pytest.raises(ValueError):
        needs_reason("qualified", {"qualified": -1})
    with pytest.raises(ValueError):
        needs_reason("qualified", {"great": 3})
