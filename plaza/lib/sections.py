"""The four sections of the mobile app (学习, 党务, 服务, 互动) and the functions apps put in them.

Each app registers its functions in ``AppConfig.ready()``. A section page shows only the functions
registered and visible to the viewer, so nothing that does not work is ever linked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

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
        return reverse(self.url_name)


_REGISTRY: dict[str, Function] = {}


def register(function: Function) -> None:
    if function.section not in SECTIONS:
        raise ValueError(f"unknown section {function.section!r}")
    _REGISTRY[function.key] = function


def functions_for(section: str, person: Any, *, office: bool | None = None) -> list[Function]:
    """The section's functions ``person`` may use, in order; only personal or only office ones when asked."""
    found = [
        f
        for f in _REGISTRY.values()
        if f.section == section and (office is None or f.office == office) and f.visible(person)
    ]
    return sorted(found, key=lambda f: (f.order, str(f.title)))


def office_functions(person: Any) -> list[Function]:
    """Every back-office function ``person`` may use, section by section: the staff's 工作台."""
    return [f for section in SECTIONS for f in functions_for(section, person, office=True)]


def registered() -> list[Function]:
    """Every registered function, whoever may use it: for deciding which pages are back-office ones."""
    return list(_REGISTRY.values())
