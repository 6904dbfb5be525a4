"""English is Plaza's second language and must be as complete as the Chinese source strings.

The catalogue ``plaza/locale/en/LC_MESSAGES/django.po`` is refreshed with makemessages (run from ``plaza/``, so
locations read ``accounts/forms.py:8``); these tests fail when an entry is left untranslated or fuzzy, when a
translation loses, adds or renames a placeholder (``%(name)s``, ``%s``, ``%%``) that the code fills in, when
Chinese is pasted in as the "translation", and when django.mo was not compiled from the current django.po.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

import plaza

EN = Path(plaza.__file__).parent / "locale" / "en" / "LC_MESSAGES"

#: printf-style conversions as Python's ``%`` operator reads them (``%(name)s``, ``%s``, ``%5.2f``, ``%%``)
_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")
_NAMED = re.compile(r"%\([^)]*\)[#0\- +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa]")
_CHINESE = re.compile(r"[\u3400-\u9fff]")


def _placeholders(text: str, python_format: bool) -> tuple[frozenset[str], tuple[str, ...]]:
    """Named placeholders as a set (a translation may reorder them) and the rest in order (it may not)."""
    found = _PLACEHOLDER.findall(text) if python_format else _NAMED.findall(text)
    named = frozenset(p for p in found if p.startswith("%("))
    return named, tuple(p for p in found if not p.startswith("%("))


def problems_of(entry: polib.POEntry) -> list[str]:
    """What is wrong with one catalogue entry ([] when it is a complete, faithful translation)."""
    if entry.obsolete:
        return []
    where = f"{entry.msgid[:40]!r}" + (f" (context {entry.msgctxt!r})" if entry.msgctxt else "")
    if "fuzzy" in entry.flags:
        return [f"{where}: fuzzy (check the translation, then drop the flag)"]
    python_format = "python-format" in entry.flags
    if entry.msgid_plural:
        forms = [entry.msgstr_plural.get(i, "") for i in range(2)]
        if not all(forms):
            return [f"{where}: a plural form is not translated"]
        wanted = [_placeholders(entry.msgid, python_format), _placeholders(entry.msgid_plural, python_format)]
        found = [_placeholders(form, python_format) for form in forms]
        bad = [i for i, got in enumerate(found) if got != wanted[min(i, 1)] and not (i == 0 and got == wanted[1])]
        out = [f"{where}: plural form {i} has placeholders {found[i]}, the source {wanted[min(i, 1)]}" for i in bad]
        texts = forms
    else:
        if not entry.msgstr:
            return [f"{where}: not translated"]
        wanted_one, got_one = _placeholders(entry.msgid, python_format), _placeholders(entry.msgstr, python_format)
        out = [f"{where}: placeholders {got_one} where the source has {wanted_one}"] if got_one != wanted_one else []
        texts = [entry.msgstr]
    if any(_CHINESE.search(t) for t in texts):
        out.append(f"{where}: the English text contains Chinese")
    return out


def test_every_english_entry_is_translated_checked_and_keeps_its_placeholders():
    catalogue = polib.pofile(str(EN / "django.po"))
    assert len(catalogue) > 1000, "the English catalogue looks truncated"
    problems = [problem for entry in catalogue for problem in problems_of(entry)]
    assert not problems, f"{len(problems)} English entries need work:\n" + "\n".join(problems)


def test_the_compiled_catalogue_is_the_current_po():
    """Django reads django.mo: after translating, compilemessages must have been run (and committed)."""
    po = polib.pofile(str(EN / "django.po"))
    mo = polib.mofile(str(EN / "django.mo"))

    def key(entry: polib._BaseEntry) -> tuple[str | None, str]:
        return entry.msgctxt, entry.msgid

    def text(entry: polib._BaseEntry) -> tuple[str, ...]:
        if entry.msgid_plural:
            return tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
        return (entry.msgstr,)

    compiled = {key(e): text(e) for e in mo if e.msgid}
    current = {key(e): text(e) for e in po.translated_entries()}
    differing = (current.keys() ^ compiled.keys()) | {k for k in current if current[k] != compiled.get(k)}
    stale = sorted(msgid[:40] for _context, msgid in differing)
    assert not stale, "run `manage.py compilemessages -l en`; django.mo differs on:\n" + "\n".join(stale[:20])


def _entry(msgid: str, msgstr: str = "", *, flags: tuple[str, ...] = ("python-format",), **kw) -> polib.POEntry:
    return polib.POEntry(msgid=msgid, msgstr=msgstr, flags=list(flags), **kw)


@pytest.mark.parametrize(
    ("entry", "complaint"),
    [
        (_entry("已保存。", flags=()), "not translated"),
        (_entry("已保存。", "Saved.", flags=("fuzzy",)), "fuzzy"),
        (_entry("您好，%(name)s", "Hello"), "placeholders"),
        (_entry("您好，%(name)s", "Hello, %(nmae)s"), "placeholders"),
        (_entry("共 %s 条", "%d in all"), "placeholders"),
        (_entry("20%% 以上", "over 20%"), "placeholders"),
        (_entry("已保存。", "已保存。", flags=()), "Chinese"),
        (
            _entry("%(n)s 人", msgid_plural="%(n)s 人", msgstr_plural={0: "one person", 1: "%(n)s people"}),
            "plural form 0",
        ),
        (_entry("%(n)s 人", msgid_plural="%(n)s 人", msgstr_plural={0: "%(n)s person", 1: ""}), "plural form"),
    ],
)
def test_the_check_finds_each_kind_of_problem(entry: polib.POEntry, complaint: str):
    assert any(complaint in problem for problem in problems_of(entry)), problems_of(entry)


@pytest.mark.parametrize(
    "entry",
    [
        _entry("%(a)s 转给 %(b)s", "%(b)s received from %(a)s"),
        _entry("候选人数至少多 20%%", "At least 20%% more candidates"),
        _entry("请读完全文（90%）", "Please read it all (90%)", flags=()),
        _entry("%(n)s 人", msgid_plural="%(n)s 人", msgstr_plural={0: "%(n)s person", 1: "%(n)s people"}),
    ],
)
def test_the_check_accepts_faithful_translations(entry: polib.POEntry):
    assert problems_of(entry) == []
