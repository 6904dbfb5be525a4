"""The desktop back office's side navigation (issue 14): on a staff page, at ≥ 1024 px, the back-office
functions the viewer may open, grouped by domain, replace the phone's bottom tab bar (CSS decides the width;
this decides which pages and which links).

A page is a staff page when the most specific registered entry its path falls under is a back-office one
(``Function(office=True)``, the ``office_links`` of 管理后台, or ``/office/`` itself): ``/dues/org/3/`` falls
under 党费收缴 (office) but ``/dues/mine/`` under 我的党费 (personal), so a member's pages stay phone-first.
Deciding that takes no query; the links (permission checks) are worked out only on staff pages."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch
from django.utils.translation import gettext_lazy as _

from plaza.lib.addresses import fixed_url
from plaza.lib.sections import office_functions, registered
from plaza.orgs.permissions import Cap, can
from plaza.orgs.queries import office_links

#: Office entries that are not registered functions: 管理后台's own links (by URL name) and the landing page.
_OFFICE_URL_NAMES = ("core:office", "orgs:import", "audit:list")
#: Staff pages under a personal function's URL: a branch's meeting planning sits under 组织生活 (/meetings/), the
#: committee's 评议 summary under 民主评议 (/evaluation/), the League's roster and books under 共青团 (/league/).
_OFFICE_PREFIXES = (
    "/meetings/org/",
    "/meetings/compliance/",
    "/evaluation/report/",
    "/evaluation/stats/",
    "/evaluation/org/",
    "/evaluation/follow-ups/",
    "/league/roster",
    "/league/dues/",
    "/league/compliance/",
    "/vanguard/stats/",
)
#: Staff pages of one campaign whose other pages a member opens too (the sheet, the self-evaluation).
_OFFICE_PATTERNS = (re.compile(r"^/evaluation/\d+/(edit|invite|open|close|decide|report)/"),)


@dataclass(frozen=True)
class NavLink:
    url: str
    title: str
    icon: str
    current: bool


def _prefixes() -> list[tuple[str, bool]]:
    """Every registered entry's URL with whether it is back-office work, longest first."""
    found: dict[str, bool] = {}
    for function in registered():
        try:
            url = function.url
        except NoReverseMatch:
            continue
        found[url] = found.get(url, False) or function.office
    for name in _OFFICE_URL_NAMES:
        try:
            found[fixed_url(name)] = True
        except NoReverseMatch:
            continue
    found.update(dict.fromkeys(_OFFICE_PREFIXES, True))
    return sorted(found.items(), key=lambda item: -len(item[0]))


def is_office_page(path: str) -> bool:
    """Whether ``path`` is a staff page: the longest registered URL it starts with is a back-office one."""
    if any(pattern.match(path) for pattern in _OFFICE_PATTERNS):
        return True
    for prefix, office in _prefixes():
        if prefix != "/" and path.startswith(prefix):
            return office
    return False


def _domain(function_section: str, url_name: str) -> str:
    """A function's group: its section (党务, 学习, 服务, 互动), or 系统 for the organisation tree and people."""
    if url_name.startswith("orgs:"):
        return "system"
    return {"work": "party", "learn": "learn", "services": "services", "interact": "interact"}.get(
        function_section, "services"
    )


DOMAINS = {
    "party": _("党务"),
    "learn": _("学习"),
    "services": _("服务"),
    "interact": _("互动"),
    "system": _("系统"),
}


def side_nav(request: HttpRequest) -> list[tuple[str, list[NavLink]]]:
    """The side navigation's groups (title, links) for this request: empty unless it is a staff page the
    viewer reaches as staff. Only what the viewer may open is listed: the registry's own visibility checks
    and ``office_links``, the checks 工作台 and 管理后台 use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not is_office_page(request.path):
        return []
    path = request.path
    groups: dict[str, list[NavLink]] = {key: [] for key in DOMAINS}
    seen: set[str] = set()

    def add(domain: str, url: str, title: str, icon: str) -> None:
        if url in seen:
            return
        seen.add(url)
        groups[domain].append(NavLink(url, str(title), icon, path.startswith(url)))

    for function in office_functions(user):
        add(_domain(function.section, function.url_name), function.url, function.title, function.icon)
    if can(user, Cap.MANAGE_ORGS):
        add("system", fixed_url("localrules:mine"), _("本单位规定"), "scale")
    icons = {"orgs:tree": "network", "orgs:people": "contact", "orgs:import": "file-up", "audit:list": "shield"}
    for url_name, title, _summary in office_links(request):
        add("system", fixed_url(url_name), title, icons.get(url_name, "settings"))
    # the most specific link is the current one (/dues/org/3/ marks 党费收缴, not a shorter neighbour)
    links = [link for group in groups.values() for link in group if link.current]
    best = max(links, key=lambda link: len(link.url)) if links else None
    out = []
    for key, title in DOMAINS.items():
        if groups[key]:
            marked = [NavLink(k.url, k.title, k.icon, k is best) for k in groups[key]]
            out.append((str(title), marked))
    return out
