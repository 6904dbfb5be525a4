"""Reading a document into (title, sections): Markdown by its headings, Word by its heading styles, PDF and
plain text by the lines that look like headings (第一章, 一、, （一）, 第三条, 1.), else by paragraphs.

Pure functions of the file's bytes; :func:`plaza.assistant.services.import_document` stores the result.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import PurePath

import docx
from pypdf import PdfReader

from plaza.lib.excel import ExcelLimits, check_package

MAX_PASSAGE = 700  # characters; a longer section is cut at paragraph, then sentence, boundaries
SEPARATOR = " > "
KINDS = {".md": "md", ".markdown": "md", ".docx": "docx", ".pdf": "pdf", ".txt": "txt"}

_CN = "一二三四五六七八九十百零〇两"
#: Heading styles of plain text and PDF, by name. A document's levels follow the order in which its
#: styles first appear (the first seen is level 1), which is how people actually number their texts.
_PATTERNS = [
    ("chapter", re.compile(rf"^第[{_CN}\d]+[章节部分]")),
    ("cn", re.compile(rf"^[{_CN}]+[、．.]")),
    ("paren", re.compile(rf"^[（(][{_CN}]+[)）]")),
    ("article", re.compile(rf"^第[{_CN}\d]+条")),
    ("num", re.compile(r"^\d{1,2}[、．.](?!\d)")),
]
_ENDS_SENTENCE = ("。", "；", ";", "，", ",", "：", ":")


class UnsupportedFile(ValueError):
    pass


@dataclass
class Section:
    heading: str
    text: str


@dataclass
class Parsed:
    title: str
    kind: str
    sections: list[Section]


def kind_of(name: str) -> str:
    kind = KINDS.get(PurePath(name).suffix.lower())
    if kind is None:
        raise UnsupportedFile(name)
    return kind


def parse(name: str, content: bytes) -> Parsed:
    kind = kind_of(name)
    stem = PurePath(name).stem
    if kind == "md":
        title, sections = _markdown(_decode(content))
    elif kind == "docx":
        title, sections = _docx(content)
    elif kind == "pdf":
        title, sections = _pdf(content)
    else:
        title, sections = _plain(_decode(content).splitlines())
    return Parsed((title or stem).strip()[:200], kind, _cut(sections))


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("utf-8", errors="replace")


class _Builder:
    """Collects body lines under the current heading path."""

    def __init__(self) -> None:
        self.stack: list[tuple[int, str]] = []
        self.sections: list[Section] = []
        self.lines: list[str] = []

    def heading(self, level: int, text: str) -> None:
        self.flush()
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, text.strip()))

    def line(self, text: str) -> None:
        self.lines.append(text)

    def flush(self) -> None:
        body = "\n".join(self.lines).strip()
        self.lines = []
        if body:
            self.sections.append(Section(SEPARATOR.join(h for _, h in self.stack), body))


def _markdown(source: str) -> tuple[str, list[Section]]:
    title = ""
    builder = _Builder()
    fence = False
    for raw in source.splitlines():
        if raw.strip().startswith("```"):
            fence = not fence
            continue
        match = None if fence else re.match(r"^(#{1,6})\s+(.+?)\s*#*\s*$", raw)
        if match and len(match.group(1)) == 1 and not title:
            title = match.group(2)
        elif match:
            builder.heading(len(match.group(1)), match.group(2))
        else:
            builder.line(raw.rstrip())
    builder.flush()
    return title, builder.sections


def _heading_style(line: str) -> str | None:
    for name, pattern in _PATTERNS:
        if pattern.match(line):
            if name == "article" or len(line) <= 30 and not line.endswith(_ENDS_SENTENCE):
                return name
            return None
    return None


def _plain(lines: list[str], title: str = "") -> tuple[str, list[Section]]:
    """Headings found by their numbering; with none, one section per paragraph (blank-line separated)."""
    lines = [line.strip() for line in lines]
    first = next((line for line in lines if line), "")
    if first and (first == title.strip() or not title and len(first) <= 40 and _heading_style(first) is None):
        title = first  # the title line itself (a PDF repeats its metadata title on the page) is not body text
        lines = lines[lines.index(first) + 1 :]
    styles: list[str] = []
    builder = _Builder()
    for line in lines:
        style = _heading_style(line) if line else None
        if style is None:
            builder.line(line)
            continue
        if style not in styles:
            styles.append(style)
        heading, rest = line, ""
        if style == "article":
            match = _PATTERNS[3][1].match(line)
            heading, rest = match.group(0), line[match.end() :].strip()
        builder.heading(styles.index(style) + 1, heading)
        if rest:
            builder.line(rest)
    builder.flush()
    if not styles:
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", "\n".join(lines)) if p.strip()]
        return title, [Section("", p) for p in paragraphs]
    return title, builder.sections


def _docx(content: bytes) -> tuple[str, list[Section]]:

    # A .docx is a zip of XML like an .xlsx: refuse one that would unpack beyond the same limits, unparsed.
    check_package(content, ExcelLimits.from_settings(), shared_strings="")
    document = docx.Document(io.BytesIO(content))
    title = (document.core_properties.title or "").strip()
    builder = _Builder()
    plain: list[str] = []
    styled = False
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if not text:
            plain.append("")
            builder.line("")
            continue
        if style == "Title":
            title = title or text
            continue
        level = re.match(r"Heading (\d)", style)
        if level:
            styled = True
            builder.heading(int(level.group(1)), text)
        else:
            builder.line(text)
            plain.append(text)
    builder.flush()
    if styled:
        return title, builder.sections
    return _plain(plain, title)


def _pdf(content: bytes) -> tuple[str, list[Section]]:

    reader = PdfReader(io.BytesIO(content))
    title = ""
    if reader.metadata is not None and reader.metadata.title:
        title = str(reader.metadata.title)
    lines: list[str] = []
    for page in reader.pages:
        lines.extend((page.extract_text() or "").splitlines())
        lines.append("")
    return _plain(lines, title)


def _cut(sections: list[Section]) -> list[Section]:
    """Long sections become several passages under the same heading, cut at paragraphs, then sentences."""
    found: list[Section] = []
    for section in sections:
        text = re.sub(r"\n{3,}", "\n\n", section.text.strip())
        if len(text) <= MAX_PASSAGE:
            found.append(Section(section.heading, text))
            continue
        pieces = [p for p in re.split(r"\n\s*\n|(?<=[。！？])", text) if p.strip()]
        chunk = ""
        for piece in pieces:
            if chunk and len(chunk) + len(piece) > MAX_PASSAGE:
                found.append(Section(section.heading, chunk.strip()))
                chunk = ""
            chunk += piece if not chunk or chunk.endswith(("。", "！", "？")) else "\n" + piece
        if chunk.strip():
            found.append(Section(section.heading, chunk.strip()))
    return found
