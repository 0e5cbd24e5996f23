"""Content artifacts of generated posts: a document body in, line-numbered findings out.

The kinds found in real posts (see ``shared/seeds``): stray ``---END---`` marker lines, whole
sections or paragraphs pasted twice, a title with an unbalanced ``**``, an excerpt equal to the
title, and a body that starts by repeating the title. ``analyze`` is shared with ``--fix``,
which removes only marker lines and *exact* repeated sections.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

from ...content.model import Document
from ...errors import Location, Problem, Severity

MARKER_RE = re.compile(r"^[ \t]*-{2,}[ \t]*(?:END|EOF|END OF (?:ARTICLE|POST))[ \t]*-{2,}[ \t]*$", re.I)
HEADING_RE = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
MIN_PARAGRAPH = 30   # shorter paragraphs ("そうですね。") repeat legitimately


@dataclass(frozen=True, slots=True)
class Section:
    start: int          # absolute file line of the first line (the heading, if any)
    end: int            # absolute file line after the last line (trailing blank lines included)
    heading: str        # heading text as written ("" for text before the first heading)
    text: str           # normalised content for comparison


@dataclass(frozen=True, slots=True)
class Repeat:
    line: int           # where the repetition starts
    end: int            # first line after it
    first: int          # where the original is
    label: str


@dataclass(frozen=True)
class Artifacts:
    markers: tuple[int, ...]
    sections: tuple[Repeat, ...]        # exact repeated sections (fixable)
    headings: tuple[Repeat, ...]        # same heading, different content
    paragraphs: tuple[Repeat, ...]      # repeated paragraphs outside repeated sections


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def _code_mask(lines: list[str]) -> list[bool]:
    mask, fence = [], ""
    for line in lines:
        m = FENCE_RE.match(line)
        if fence:
            mask.append(True)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = ""
        elif m:
            fence = m.group(1)
            mask.append(True)
        else:
            mask.append(False)
    return mask


def analyze(body: str, body_line: int) -> Artifacts:
    lines = body.split("\n")
    code = _code_mask(lines)
    markers = tuple(body_line + i for i, line in enumerate(lines) if not code[i] and MARKER_RE.match(line))
    sections = _sections(lines, code, body_line)
    repeats, heads = [], []
    seen_sec: dict[tuple[str, str], int] = {}
    seen_head: dict[str, int] = {}
    covered: set[int] = set()
    for sec in sections:
        if not sec.text and not sec.heading:
            continue
        key = (_norm(sec.heading), sec.text)
        if key in seen_sec and len(sec.text) >= MIN_PARAGRAPH:
            repeats.append(Repeat(sec.start, sec.end, seen_sec[key], sec.heading))
            covered.update(range(sec.start, sec.end))
            continue
        seen_sec.setdefault(key, sec.start)
        if sec.heading:
            if key[0] in seen_head:
                heads.append(Repeat(sec.start, sec.start + 1, seen_head[key[0]], sec.heading))
            seen_head.setdefault(key[0], sec.start)
    paragraphs = []
    seen_par: dict[str, int] = {}
    for start, text in _paragraphs(lines, code, body_line):
        if start in covered or len(text) < MIN_PARAGRAPH:
            continue
        if text in seen_par:
            paragraphs.append(Repeat(start, start + 1, seen_par[text], text[:30]))
        else:
            seen_par[text] = start
    return Artifacts(markers, tuple(repeats), tuple(heads), tuple(paragraphs))


def _sections(lines: list[str], code: list[bool], base: int) -> list[Section]:
    """Chunks that start at a heading; a marker line also ends a chunk (and belongs to none)."""
    out: list[Section] = []
    start, heading, body = 0, "", []

    def close(end: int) -> None:
        if end > start:
            out.append(Section(base + start, base + end, heading, _norm("\n".join(body))))

    for i, line in enumerate(lines):
        is_marker = not code[i] and MARKER_RE.match(line)
        head = None if code[i] else HEADING_RE.match(line)
        if is_marker or head:
            close(i)
            start, heading, body = (i + 1, "", []) if is_marker else (i, head.group(2).strip(), [])
            continue
        body.append(line)
    close(len(lines))
    return out


def _paragraphs(lines: list[str], code: list[bool], base: int) -> Iterable[tuple[int, str]]:
    block: list[str] = []
    start = 0
    for i, line in enumerate([*lines, ""]):
        plain = i < len(lines) and not code[i] and line.strip() and not HEADING_RE.match(line) \
            and not MARKER_RE.match(line)
        if plain:
            if not block:
                start = i
            block.append(line)
        elif block:
            yield base + start, _norm("\n".join(block))
            block = []


def unbalanced_markup(title: str) -> str | None:
    """The first Markdown mark that a title opens but never closes (titles render as text)."""
    for mark in ("**", "__", "~~", "`"):
        if title.count(mark) % 2:
            return mark
    if title.replace("**", "").count("*") % 2:
        return "*"
    if title.count("[") != title.count("]"):
        return "[ ]"
    return None


def _plain_title(text: str) -> str:
    text = re.sub(r"^#{1,6}\s+", "", text.strip())
    text = re.sub(r"(\*\*|__|\*|_)", "", text)
    return _norm(text)


def check_artifacts(doc: Document) -> list[Problem]:
    out: list[Problem] = []
    path = doc.rel_path
    if doc.is_markdown:
        found = analyze(doc.body, doc.body_line)
        for line in found.markers:
            out.append(Problem("stray marker line '---END---'", Location(path, line),
                               "delete the line (`blogkit check --fix` does it)", Severity.ERROR, "marker-line"))
        for rep in found.sections:
            label = f"section '{rep.label}'" if rep.label else "block of text"
            out.append(Problem(f"{label} (lines {rep.line}-{rep.end - 1}) repeats the one at line {rep.first}",
                               Location(path, rep.line), "delete the copy (`blogkit check --fix` does it)",
                               Severity.ERROR, "repeated-section"))
        for rep in found.headings:
            out.append(Problem(f"heading '{rep.label}' repeats the one at line {rep.first} with different text",
                               Location(path, rep.line), "merge the two sections or rename one",
                               Severity.WARNING, "repeated-heading"))
        for rep in found.paragraphs:
            out.append(Problem(f"paragraph repeats the one at line {rep.first} ('{rep.label}…')",
                               Location(path, rep.line), "delete the copy", Severity.WARNING, "repeated-paragraph"))
    title = doc.data.get("title")
    if isinstance(title, str) and "title" in doc.key_lines:
        where = Location(path, doc.key_lines["title"])
        mark = unbalanced_markup(title)
        if mark:
            out.append(Problem(f"title has unbalanced Markdown '{mark}'", where,
                               "remove the stray marks (titles are shown as plain text)", Severity.ERROR,
                               "title-markup"))
        excerpt = doc.data.get("excerpt")
        if isinstance(excerpt, str) and excerpt.strip() and _plain_title(excerpt) == _plain_title(title):
            out.append(Problem("excerpt is identical to the title", Location(path, doc.key_lines.get("excerpt", 1)),
                               "write a summary of the post instead", Severity.WARNING, "excerpt-is-title"))
        first = _first_line(doc.body)
        if first is not None and _plain_title(first[1]) == _plain_title(title):
            out.append(Problem("the body repeats the title as its first line",
                               Location(path, doc.body_line + first[0]),
                               "delete the line (the layout already shows the title)", Severity.WARNING,
                               "title-repeated"))
    return out


def _first_line(body: str) -> tuple[int, str] | None:
    for i, line in enumerate(body.split("\n")):
        if line.strip():
            return i, line
    return None
