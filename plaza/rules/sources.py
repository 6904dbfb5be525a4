"""The documents Plaza's rules come from, by the short names the rulebook (``rules.md``) uses, and the
:class:`Violation` that cites them.

Every rule in this package names its source with one of these short names, followed by the article
where the rulebook gives one (``f"{XIZE}第二十条"`` → ``《细则》第二十条``).

>>> XIZE, title(XIZE)
('《细则》', '中国共产党发展党员工作细则 (2014)')
>>> Violation(f"{DANGZHANG}第一条", "申请人未满十八周岁").rule
'《党章》第一条'
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DANGFEI",
    "DANGZHANG",
    "JIAOYU",
    "LOCAL",
    "RENQI",
    "TITLES",
    "XIZE",
    "XUANJU",
    "ZHIBU",
    "Violation",
    "title",
]

XIZE = "《细则》"
DANGZHANG = "《党章》"
XUANJU = "《选举条例》"
RENQI = "《任期意见》"
ZHIBU = "《支部条例》"
DANGFEI = "《党费规定》"
JIAOYU = "《教育管理条例》"
#: Local practice: the value is a setting of the organisation, with the rulebook's figure as the default.
LOCAL = "本单位规定"

#: Short name → full title, as the rulebook lists them.
TITLES: dict[str, str] = {
    XIZE: "中国共产党发展党员工作细则 (2014)",
    DANGZHANG: "中国共产党章程 (2022)",
    XUANJU: "中国共产党基层组织选举工作条例 (2020)",
    RENQI: "关于党的基层组织任期的意见 (2018)",
    ZHIBU: "中国共产党支部工作条例(试行) (2018)",
    DANGFEI: "关于中国共产党党费收缴、使用和管理的规定 (中组发〔2008〕3号)",
    JIAOYU: "中国共产党党员教育管理工作条例 (2019)",
    LOCAL: "本单位的设置 (默认值见规则手册)",
}


def title(short_name: str) -> str:
    """The full title of a source given by its short name; ValueError for an unknown one."""
    try:
        return TITLES[short_name]
    except KeyError:
        raise ValueError(f"unknown source {short_name!r}; known: {', '.join(TITLES)}") from None


@dataclass(frozen=True)
class Violation:
    """A rule that a proposed action breaks.

    ``rule`` is the source as the rulebook names it (``《细则》`` or ``《党章》第一条``); ``message`` says in
    Chinese why and from when the action becomes possible; ``code`` is a stable machine-readable kind
    (for recruitment: ``"recorded"``, ``"prerequisite"``, ``"order"``, ``"age"``, ``"too_early"``,
    ``"review_expired"``; see each module), so callers never need to parse the message.
    """

    rule: str
    message: str
    code: str = ""

    def __str__(self) -> str:
        return self.message
