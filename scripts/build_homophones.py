"""Writes ``plaza/assistant/lexicon/homophones.txt``, the reading groups 党群小智's typo model reads
(:mod:`plaza.assistant.spelling`): the common Chinese characters grouped by their Mandarin reading (syllable and
tone), in pinyin order, one group a line, ``# X`` before the groups of each initial letter.

Sources, both shipped with Debian (no package of the project's own does this; ``pypinyin`` is not a dependency):

* the groups and their order: Perl's ``Unicode::Collate::CJK::Pinyin`` (the CLDR pinyin collation of the Unicode
  CJK characters: a run of lines ending in one shorter than ten code points is one reading);
* which characters are common: the frequency counts glibc's ``iso14651_t1_pinyin`` gives in its comments.

    python3 scripts/build_homophones.py
"""

from __future__ import annotations

import re
from pathlib import Path

PERL = Path("/usr/share/perl/5.36.0/Unicode/Collate/CJK/Pinyin.pm")
GLIBC = Path("/usr/share/i18n/locales/iso14651_t1_pinyin")
OUT = Path(__file__).resolve().parent.parent / "plaza" / "assistant" / "lexicon" / "homophones.txt"
COMMON = 300  # the least count (glibc's comments) for a character to be kept


def main() -> None:
    counts = {
        chr(int(m.group(1), 16)): int(m.group(2))
        for m in re.finditer(r"^<U([0-9A-F]+)> .*#.(\d+)$", GLIBC.read_text(encoding="utf-8"), re.M)
    }
    data = PERL.read_text(encoding="utf-8").split("__DATA__", 1)[1].split("__END__", 1)[0]
    lines: list[str] = []
    group: list[str] = []
    for raw in data.splitlines():
        codes = raw.split()
        if not codes:
            continue
        if codes[0].startswith("FDD0-"):
            if group:
                lines.append("".join(group))
                group = []
            letter = chr(int(codes[0].split("-")[1], 16))
            lines.append(f"# {letter}")
            continue
        group += [chr(int(c, 16)) for c in codes if "-" not in c and counts.get(chr(int(c, 16)), 0) >= COMMON]
        if len(codes) < 10:
            if group:
                lines.append("".join(group))
            group = []
    if group:
        lines.append("".join(group))
    header = [
        "# Common Chinese characters grouped by reading (syllable and tone), in pinyin order; written by",
        "# scripts/build_homophones.py from Perl's Unicode::Collate::CJK::Pinyin (CLDR) and glibc's",
        f"# iso14651_t1_pinyin (characters counted at least {COMMON} times there). Do not edit by hand.",
    ]
    OUT.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {sum(len(x) for x in lines if not x.startswith('#'))} characters in {len(lines)} lines")


if __name__ == "__main__":
    main()
