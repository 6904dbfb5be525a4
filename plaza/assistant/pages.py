"""Where to do what a knowledge section describes: the Plaza pages an answer points to besides its sources
(a 生育慰问 answer links to the union's care page, where the application is made).

Matched by the document's title and a word of the section's heading, the first rule that fits; a rule without
a heading word fits every section of its document. Not part of ranking: the pages are looked up for the hits
the index already chose. Addresses are URL names, reversed when an answer is given, so an app that is not
installed simply gives no link.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

__all__ = ["PAGES", "Page", "pages_for"]


@dataclass(frozen=True)
class Page:
    url_name: str
    label: str


MEMBER = Page("union:index", _("工会会员：入会申请、会费"))
CARD = Page("union:card", _("电子会员证"))
CARE = Page("union:care", _("慰问申请"))
HELP = Page("union:help", _("困难帮扶申请"))
RETREATS = Page("retreats:index", _("疗休养报名"))

#: document title → [(a word of the heading, or "" for any section, the pages)], first match wins.
PAGES: dict[str, list[tuple[str, tuple[Page, ...]]]] = {
    "工会会员生育慰问办法": [("", (CARE,))],
    "工会会员福利待遇": [
        ("如何加入工会", (MEMBER, CARD)),
        ("会费", (MEMBER,)),
        ("慰问", (CARE,)),
        ("文体活动", ()),
        ("", (MEMBER,)),
    ],
    "困难职工帮扶补助办法": [("", (HELP,))],
    "职工疗休养管理办法": [("", (RETREATS,))],
}


def pages_for(title: str, heading: str) -> list[dict[str, str]]:
    """The pages for a section, as ``{"url", "label"}`` (an empty list when there are none)."""
    for word, pages in PAGES.get(title, []):
        if word in heading:
            found = []
            for page in pages:
                try:
                    found.append({"url": reverse(page.url_name), "label": str(page.label)})
                except NoReverseMatch:
                    continue
            return found
    return []
