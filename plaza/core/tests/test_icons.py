"""Icons (issue 14): Lucide SVGs from npm, only those used copied by build_assets, each function's icon declared
with the function in its registry, drawn inline by {% icon %} instead of text symbols picked by a template cycle."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from django.template import Context, Template

from plaza.lib.icons import MissingIcon, svg
from plaza.lib.sections import _REGISTRY, SECTION_ICONS, SECTIONS

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = ROOT / "plaza" / "templates"
sys.path.insert(0, str(ROOT / "scripts"))
import build_assets  # noqa: E402

sys.path.remove(str(ROOT / "scripts"))

LUCIDE_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _named_in_templates() -> set[str]:
    names = set()
    for template in TEMPLATES.rglob("*.html"):
        names |= set(re.findall(r'{%\s*icon\s+"([^"]+)"', template.read_text(encoding="utf-8")))
    return names


def test_every_icon_named_is_listed_for_the_build():
    listed = set(build_assets.icon_names())
    named = (
        {f.icon for f in _REGISTRY.values() if not f.key.startswith("test_")}
        | set(SECTION_ICONS.values())
        | _named_in_templates()
    )
    assert named - listed == set(), "add these to assets/icons.txt"
    assert len(_REGISTRY) >= 30 and set(SECTION_ICONS) == set(SECTIONS)


def test_every_function_declares_a_lucide_icon_of_its_own():
    """Names, not glyphs; and two functions the same viewer sees side by side do not share one (☷ three times)."""
    for function in _REGISTRY.values():
        if function.key.startswith("test_"):  # registered by another test
            continue
        assert LUCIDE_NAME.match(function.icon), f"{function.key}: {function.icon!r} is not an icon name"
    for section in SECTIONS:
        icons = [f.icon for f in _REGISTRY.values() if f.section == section and not f.key.startswith("test_")]
        assert len(icons) == len(set(icons)), f"{section}: an icon is used twice"


def test_no_template_picks_icons_by_cycle():
    for template in TEMPLATES.rglob("*.html"):
        assert "{% cycle" not in template.read_text(encoding="utf-8"), template


def test_build_copies_only_the_listed_icons_with_the_licence(built_assets):
    built = {path.stem for path in (build_assets.VENDOR / "icons").glob("*.svg")}
    assert built == set(build_assets.icon_names())
    assert (build_assets.VENDOR / "icons" / "LICENSE").exists()
    assert len(built) < 100  # Lucide has over 1,500: only ours are copied


def test_icon_tag_draws_the_svg_inline_hidden_from_screen_readers(built_assets):
    html = Template('{% load plaza_icons %}{% icon "house" %}|{% icon "bell" "x" label="消息" %}').render(Context())
    plain, labelled = html.split("|")
    assert plain.startswith('<svg class="icon-svg icon-house"') and 'aria-hidden="true"' in plain
    assert "<path" in plain and "<!--" not in plain and "<script" not in plain
    assert 'role="img" aria-label="消息"' in labelled


def test_a_missing_icon_fails_loudly_under_debug_and_draws_nothing_otherwise(settings, built_assets):
    svg.cache_clear()
    assert svg("no-such-icon") == ""
    settings.DEBUG = True
    svg.cache_clear()
    with pytest.raises(MissingIcon):
        svg("no-such-icon")
    svg.cache_clear()


def test_pages_show_the_registered_icons(world, client, built_assets):
    client.force_login(world.secretary_a)
    home = client.get("/").content.decode()
    work = client.get("/s/work/").content.decode()
    assert 'class="icon-svg icon-house"' in home and "icon-graduation-cap" in home  # tab bar
    assert "icon-list-todo" in work and "icon-contact" in work  # 我的待办, 人员花名册
    assert "☷" not in work and "◎" not in work
