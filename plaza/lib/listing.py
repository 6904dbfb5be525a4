"""Staff lists: a search box and sortable columns from the query string, whitelisted (issue 14).

A view declares the orders its list offers and reads the request once::

    SORTS = listing.Sorts(
        ("started", _("发起日期"), ("started_on", "id")),
        ("name", _("姓名"), ("person__name", "id")),
        default="-started",
    )
    sort = SORTS.read(request.GET)          # "?sort=-started" → newest first; anything else → the default
    items = queries.branch_transfers(request.user, ..., search=listing.search_text(request.GET), order=sort.order_by)

``sort.order_by`` is what the query gives to ``QuerySet.order_by``; the template shows the choices with
``{% sort_bar sort %}`` (a phone-friendly row of links) or ``{% sort_th sort "name" %}`` (a table header), both in
``plaza_ui``. An unknown ``?sort=`` is ignored (never an error, never a field name from the address).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: The longest search text a list accepts (more is cut: names, numbers and titles are shorter).
SEARCH_MAX = 50


def search_text(params: Mapping[str, Any], name: str = "q") -> str:
    """The search box's text, trimmed and cut to :data:`SEARCH_MAX` characters ("" when absent)."""
    value = params.get(name, "")
    return " ".join(str(value).split())[:SEARCH_MAX] if value else ""


@dataclass(frozen=True)
class Sort:
    """One order a list offers: its key in the address, its label, the fields it orders by (ascending)."""

    key: str
    label: Any
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Sorted:
    """The order chosen for this request: ``key`` (without the sign), ``descending``, the offered sorts."""

    sorts: tuple[Sort, ...]
    key: str
    descending: bool

    @property
    def order_by(self) -> list[str]:
        chosen = next(s for s in self.sorts if s.key == self.key)
        return [f"-{field}" if self.descending else field for field in chosen.fields]

    @property
    def value(self) -> str:
        """The chosen order as the address writes it ("-started")."""
        return f"-{self.key}" if self.descending else self.key

    def toggled(self, key: str) -> str:
        """The ``?sort=`` value a link on ``key`` sets: the other direction when it is the current order,
        otherwise ascending."""
        return f"-{key}" if key == self.key and not self.descending else key


class Sorts:
    """The whitelist of a list's orders. ``default`` is a key, "-" first for descending."""

    def __init__(self, *sorts: tuple[str, Any, tuple[str, ...]], default: str) -> None:
        self.sorts = tuple(Sort(key, label, fields) for key, label, fields in sorts)
        self.keys = {s.key for s in self.sorts}
        if default.lstrip("-") not in self.keys:
            raise ValueError(f"default order {default!r} is not one of {sorted(self.keys)}")
        self.default = default

    def read(self, params: Mapping[str, Any], name: str = "sort") -> Sorted:
        """The order the address asks for, or the default for a missing or unknown one.

        >>> sorts = Sorts(("name", "姓名", ("name", "id")), ("day", "日期", ("day", "id")), default="-day")
        >>> sorts.read({"sort": "name"}).order_by, sorts.read({"sort": "-name"}).order_by
        (['name', 'id'], ['-name', '-id'])
        >>> sorts.read({"sort": "password"}).order_by, sorts.read({}).value
        (['-day', '-id'], '-day')
        """
        value = str(params.get(name, "") or "")
        if value.lstrip("-") not in self.keys:
            value = self.default
        return Sorted(self.sorts, value.lstrip("-"), value.startswith("-"))
