"""民主评议党员: the grades and the share of 优秀 (rulebook §5).

Once a year the branch grades each full member 优秀, 合格, 基本合格 or 不合格 (预备党员 take part but are
not graded). 优秀 is at most one third of those graded — a setting of the organisation, so the rule cites
local practice. The anonymous 民主测评 tally informs the grade but does not decide it alone: a grade that
differs from the tally's majority needs a reason.

>>> max_excellent(10), max_excellent(2)
(3, 0)
>>> needs_reason("excellent", {"excellent": 3, "qualified": 9})
True
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from fractions import Fraction

from .sources import LOCAL, Violation

__all__ = ["EXCELLENT_SHARE", "GRADES", "SOURCE", "check_grades", "max_excellent", "needs_reason"]

SOURCE = LOCAL
#: Grade codes and their names, best first.
GRADES: dict[str, str] = {
    "excellent": "优秀",
    "qualified": "合格",
    "basically_qualified": "基本合格",
    "unqualified": "不合格",
}
EXCELLENT_SHARE = Fraction(1, 3)  # 优秀 at most one third of those graded (a setting)


def _grade(value: object) -> str:
    if value not in GRADES:
        raise ValueError(f"unknown grade {value!r}; expected one of {', '.join(GRADES)}")
    return str(value)


def max_excellent(graded: int, *, share: Fraction = EXCELLENT_SHARE) -> int:
    """The most members who may be graded 优秀 among ``graded``: floor(graded × share).

    >>> max_excellent(9), max_excellent(11), max_excellent(11, share=Fraction(1, 2))
    (3, 3, 5)
    """
    if isinstance(graded, bool) or not isinstance(graded, int) or graded < 0:
        raise ValueError(f"graded must be a whole number of at least 0, got {graded!r}")
    if not isinstance(share, Fraction | int) or not 0 <= share <= 1:
        raise ValueError(f"share must be a Fraction between 0 and 1, got {share!r}")
    return math.floor(graded * Fraction(share))


def check_grades(grades: Iterable[str], *, share: Fraction = EXCELLENT_SHARE) -> list[Violation]:
    """[] when the proposed grades keep 优秀 within its share; else a Violation saying by how many it is over.

    >>> [v.code for v in check_grades(["excellent"] * 4 + ["qualified"] * 8)]
    []
    >>> [v.code for v in check_grades(["excellent"] * 4 + ["qualified"] * 7)]
    ['excellent_share']
    """
    counts = Counter(_grade(grade) for grade in grades)
    graded = sum(counts.values())
    allowed = max_excellent(graded, share=share)
    if counts["excellent"] <= allowed:
        return []
    return [
        Violation(
            SOURCE,
            (
                f"评定为优秀的党员 {counts['excellent']} 名，超过参评人数 {graded} 名的 {share}（最多 {allowed} 名）"
                f" ({SOURCE})"
            ),
            "excellent_share",
        )
    ]


def needs_reason(grade: str, tally: Mapping[str, int]) -> bool:
    """Whether a grade needs a written reason: it differs from the grade most voted in the 民主测评 tally.

    When several grades share the most votes, any of them needs no reason; an empty tally decides nothing.

    >>> needs_reason("qualified", {"excellent": 5, "qualified": 5}), needs_reason("qualified", {})
    (False, False)
    """
    _grade(grade)
    for name, count in tally.items():
        _grade(name)
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"the tally for {name!r} must be a whole number of at least 0, got {count!r}")
    most = max(tally.values(), default=0)
    if most == 0:
        return False
    return tally.get(grade, 0) < most
