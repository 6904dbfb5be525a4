"""The address of a URL name that takes no arguments, reversed once instead of on every page.

Every page asks for the addresses of all registered functions: the desktop side navigation decides whether the
page is a staff page by the longest registered address it falls under (``plaza.core.office_nav``), and the
section pages and 工作台 link to each function. That was about seventy ``reverse()`` calls a page, a tenth of a
page's time in the suite's page walks, for answers that never change while the process runs.

An address depends on the URLconf in force and on the script prefix (Plaza served under a sub-path), so those are
the key: an overridden ``ROOT_URLCONF`` (a test) or another prefix gets its own answers. Plaza's URLs have no
language prefix (no ``i18n_patterns``), so the active language is not part of the key. A name that does not
reverse raises ``NoReverseMatch`` as ``reverse()`` does, and nothing is remembered for it.
"""

from __future__ import annotations

from functools import lru_cache

from django.urls import URLResolver, get_resolver, get_script_prefix, get_urlconf, reverse


def fixed_url(name: str) -> str:
    """``reverse(name)`` for a URL name without arguments, remembered per URLconf and script prefix."""
    return _reversed(name, get_resolver(get_urlconf()), get_script_prefix())


@lru_cache(maxsize=2048)
def _reversed(name: str, resolver: URLResolver, prefix: str) -> str:
    # resolver and prefix are the key only: reverse() reads the same ones from the current thread
    return reverse(name)
