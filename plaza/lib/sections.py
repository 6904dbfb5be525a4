"""The four sections of the mobile app (学习, 党务, 服务, 互动) and the functions apps put in them.

Each app registers its functions in ``AppConfig.ready()``. A section page shows only the functions
registered and visible to the viewer, so nothing that does not work is ever linked.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import memo
from .addresses import fixed_url

#: Each section's icon in the tab bar (Lucide names, assets/icons.txt).
SECTION_ICONS: dict[str, str] = {
    "learn": "graduation-cap",
    "work": "briefcase",
    "services": "hand-helping",
    "interact": "message-circle",
}

SECTIONS: dict[str, Promise] = {
    "learn": _("学习"),
    "work": _("党务"),
    "services": _("服务"),
    "interact": _("互动"),
}


def _everyone(person: Any) -> bool:
    return True


@dataclass(frozen=True)
class Function:
    section: str
    key: str
    title: Promise | str
    url_name: str
    icon: str  # a Lucide icon's name (assets/icons.txt), drawn by {% icon %}: declared here, not by a template's order
    summary: Promise | str = ""
    visible: Callable[[Any], bool] = field(default=_everyone)
    order: int = 100
    #: Back-office work (a roster, a board, a campaign to run) rather than the viewer's own affairs: home and the
    #: section pages show these apart, under 工作台, so staff do not get personal and office tiles in one grid.
    office: bool = False

    @property
    def url(self) -> str:
        return fixed_url(self.url_name)


_REGISTRY: dict[str, Function] = {}


def register(function: Function) -> None:
    if function.section not in SECTIONS:
        raise ValueError(f"unknown section {function.section!r}")
    _REGISTRY[function.key] = function


def functions_for(section: str, person: Any, *, office: bool | None = None) -> list[Function]:
    """The section's functions ``person`` may use, in order; only personal or only office ones when asked. An
    outsider (a dealer's sales staff, :func:`register_outsiders`) is offered only the functions given to them."""
    given = outsider_prefixes(person)
    found = [
        f
        for f in _REGISTRY.values()
        if f.section == section
        and (office is None or f.office == office)
        and (given is None or f.url.startswith(given))
        and f.visible(person)
    ]
    return sorted(found, key=lambda f: (f.order, str(f.title)))


def office_functions(person: Any) -> list[Function]:
    """Every back-office function ``person`` may use, section by section: the staff's 工作台."""
    return [f for section in SECTIONS for f in functions_for(section, person, office=True)]


def registered() -> list[Function]:
    """Every registered function, whoever may use it: for deciding which pages are back-office ones."""
    return list(_REGISTRY.values())


@dataclass(frozen=True)
class MineLink:
    """A line on 我的 (the profile page) that an app adds for the people it concerns: the union's membership card
    for union members, the League's membership for League members. Registered in ``AppConfig.ready()`` so that
    accounts (a foundation app) links to domain apps without importing them."""

    key: str
    title: Promise | str
    url_name: str
    summary: Promise | str = ""
    visible: Callable[[Any], bool] = field(default=_everyone)
    order: int = 100

    @property
    def url(self) -> str:
        return fixed_url(self.url_name)


_MINE: dict[str, MineLink] = {}


def register_mine(link: MineLink) -> None:
    _MINE[link.key] = link


def mine_links(person: Any) -> list[MineLink]:
    """The lines of 我的 that concern ``person``, in order (an outsider's only among what is given to them)."""
    given = outsider_prefixes(person)
    return sorted(
        (link for link in _MINE.values() if (given is None or link.url.startswith(given)) and link.visible(person)),
        key=lambda link: (link.order, link.key),
    )


@dataclass(frozen=True)
class Outsiders:
    """People from outside the enterprise who sign in for one app's work only — a dealer's sales staff follow up
    their 通星汇 leads "and nothing else" (design.md): the enterprise's sections (学习, 党务, …), its news and
    its people are not theirs. An app registers them in ``AppConfig.ready()``: who they are, and the URL names
    of the pages given to them (their paths and everything under them)."""

    key: str
    applies: Callable[[Any], bool]
    url_names: tuple[str, ...]
    #: Further path prefixes given to them (their API, e.g. ``/api/v1/ambassadors/dealer/``).
    prefixes: tuple[str, ...] = ()


_OUTSIDERS: dict[str, Outsiders] = {}
#: What every signed-in person may open, outsiders too: their account (我的, password, language, tokens, sign
#: out), their messages and to-dos, settings, and what is no page (static files, pictures, the language switch).
COMMON_PREFIXES = ("/accounts/", "/notify/", "/settings/", "/static/", "/media/", "/i18n/", "/healthz")
_MEMO = "outsider_prefixes"


def register_outsiders(group: Outsiders) -> None:
    _OUTSIDERS[group.key] = group


def outsider_prefixes(person: Any) -> tuple[str, ...] | None:
    """None for the enterprise's own people (and anyone not signed in); for an outsider, the path prefixes of
    the pages given to them. Worked out once per person object (a request's user)."""
    if not getattr(person, "is_authenticated", False):
        return None
    return memo.remembered(person, _MEMO, lambda: _given_to(person))


def _given_to(person: Any) -> tuple[str, ...] | None:
    given: tuple[str, ...] | None = None
    for group in _OUTSIDERS.values():
        if group.applies(person):
            given = (*(given or ()), *(fixed_url(name) for name in group.url_names), *group.prefixes)
    return given


#: Where a signed-in person's outsider prefixes are kept for their session (set at sign-in, so telling an
#: outsider from an employee costs no query on a page: the session is read anyway), with the generation of the
#: outsiders they were worked out under.
SESSION_KEY = "plaza_outsider"
#: The cache key naming the current generation of outsiders: replaced when someone becomes or stops being one
#: (:func:`outsiders_changed`), so every session works its prefixes out again on its next page.
GENERATION_KEY = "plaza:outsiders-generation"


def outsiders_changed() -> None:
    """Someone became or stopped being an outsider (a dealer's staff added or removed): every signed-in session
    checks again on its next page (one query each), so nobody keeps what they opened before."""
    cache.set(GENERATION_KEY, secrets.token_hex(4), None)


def _generation() -> str:
    return str(cache.get(GENERATION_KEY) or "")


def _keep(session: Any, given: tuple[str, ...] | None) -> None:
    session[SESSION_KEY] = {"g": _generation(), "p": list(given) if given is not None else None}


def remember_outsider(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Receiver of ``user_logged_in``: keep whether the person is an outsider (and what is given) in the session."""
    forget_outsider(user)
    given = outsider_prefixes(user)
    if request is not None and hasattr(request, "session"):
        _keep(request.session, given)


def session_outsider(request: Any) -> tuple[str, ...] | None:
    """The outsider prefixes of the request's signed-in person, from their session (worked out again, one query,
    for a session that began before they were kept or under an older generation of outsiders); the person
    object remembers them too."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    session = getattr(request, "session", None)
    if session is None:  # an API token: no session
        return outsider_prefixes(user)
    stored = session.get(SESSION_KEY)
    if not isinstance(stored, dict) or stored.get("g") != _generation():
        forget_outsider(user)
        _keep(session, outsider_prefixes(user))
        stored = session[SESSION_KEY]
    found = tuple(stored["p"]) if stored["p"] is not None else None
    return memo.remembered(user, _MEMO, lambda: found)


def forget_outsider(person: Any) -> None:
    """Drop what is remembered on this person object (after they became or stopped being an outsider)."""
    memo.forget(person)


def may_open(given: tuple[str, ...] | None, path: str) -> bool:
    """Whether someone with these outsider prefixes (None: one of the enterprise's own people, not limited here;
    each page checks its own rights) may open ``path``: home, the common pages and what is given to them."""
    return given is None or path == "/" or path.startswith(COMMON_PREFIXES) or path.startswith(given)
