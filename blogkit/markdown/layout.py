"""kramdown's layout of block HTML: indentation and the blank lines between blocks.

Input: the token stream, the rendered piece of each token, the source lines. Output: the same
HTML laid out as kramdown's HTML converter writes it (converter/html.rb), so a page can be
diffed with Jekyll's byte for byte:

* the start of each block element is indented two spaces per enclosing list, list item,
  blockquote, table part, definition list or footnote (``<li>`` under ``<ul>``, ``<p>`` in a
  loose item); text inside a block, code and raw HTML lines keep their column;
* a run of blank source lines between two sibling blocks is one empty line (kramdown keeps it
  as a ``:blank`` element), except between list items; trailing blank lines of the document
  give one empty line each run, before the footnotes. Leading ones give nothing.

The element structure is not touched here; only whitespace between elements changes.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from markdown_it.token import Token

# token type without _open/_close -> indentation its children get
_STEP = {"bullet_list": 2, "ordered_list": 2, "list_item": 2, "blockquote": 2, "table": 2, "thead": 2,
         "tbody": 2, "tfoot": 2, "tr": 2, "dl": 2, "dd": 2, "footnote_block": 4, "footnote": 2,
         "html_container": 2}
# containers whose children are not separated by kept blank lines (items, rows, cells)
_NO_BLANKS = {"bullet_list", "ordered_list", "table", "thead", "tbody", "tfoot", "tr", "dl", "footnote_block"}
# rendered with their own fixed indentation (render.py writes kramdown's footnote markup)
_PREFORMATTED = {"footnote_block_open", "footnote_block_close", "footnote_open", "footnote_close"}
# A blank source line, also inside a blockquote ("> " markers only): lists.py and deflist.py
# decide looseness with the same test.
BLANK_LINE = re.compile(r"[ \t>]*\Z")


def _strip_nesting(kind: str) -> str:
    return kind[:-5] if kind.endswith("_open") else kind[:-6] if kind.endswith("_close") else kind


_BASES: dict[str, str] = {}  # token type -> its base (a handful of types; asked per token)


def _base(tok: Token) -> str:
    if tok.type == "html_block" and tok.meta and tok.meta.get("kd_container"):
        return "html_container"  # a `markdown="1"` element: its children are indented
    base = _BASES.get(tok.type)
    if base is None:
        base = _BASES[tok.type] = _strip_nesting(tok.type)
    return base


def blank_runs(lines: Sequence[str], start: int, end: int, covered: frozenset[int] = frozenset(),
               skip_leading: bool = False) -> int:
    """How many separate runs of blank lines lie in lines[start:end]; ``covered`` lines belong
    to an element rendered elsewhere (a footnote definition) and count as text; with
    ``skip_leading`` a run at the very start does not count (a document's leading blanks)."""
    runs, in_run, leading = 0, False, skip_leading
    for n in range(max(start, 0), min(max(end, 0), len(lines))):
        blank = n not in covered and BLANK_LINE.match(lines[n]) is not None
        if leading:
            if blank:
                continue
            leading = False
        if blank and not in_run:
            runs += 1
        in_run = blank
    return runs


def footnote_lines(tokens: Sequence[Token], lines: Sequence[str]) -> frozenset[int]:
    """The source lines of footnote definitions (their blank lines included): kramdown keeps no
    blank element for what a definition holds."""
    covered: set[int] = set()
    start = end = None
    for tok in tokens:
        if tok.type == "footnote_open":
            start = end = None
        elif tok.type == "footnote_close" and start is not None and end is not None:
            covered.update(range(start, end))
        elif tok.map and tok.block:
            start = tok.map[0] if start is None else min(start, tok.map[0])
            end = max(end or 0, content_end(lines, tok.map[0], tok.map[1]))
    return frozenset(covered)


def content_end(lines: Sequence[str], start: int, end: int) -> int:
    """A block's end without the blank lines markdown-it counts into it (a list's map runs
    past the blank line that ended it)."""
    while end > start + 1 and end - 1 < len(lines) and BLANK_LINE.match(lines[end - 1]):
        end -= 1
    return end


def lay_out(tokens: Sequence[Token], render_one: Callable[[int], str], lines: Sequence[str]) -> str:
    out: list[str] = []
    depth = 0
    at_line_start = True
    covered = footnote_lines(tokens, lines)
    # per open container: (its base type, end line of the last child block seen in it)
    frames: list[list[Any]] = [["root", None]]
    for i, tok in enumerate(tokens):
        base = _base(tok)
        if tok.type == "footnote_block_open":
            trailing(out, frames[0], lines, covered)
        starts_block = tok.block and tok.nesting >= 0 and tok.type != "inline" and tok.map is not None
        if starts_block and not tok.hidden:
            frame = frames[-1]
            if frame[1] is not None and frame[0] not in _NO_BLANKS:
                # (inside a footnote its own blank lines count)
                inside_note = any(f[0] == "footnote" for f in frames)
                out.append("\n" * blank_runs(lines, frame[1], tok.map[0], frozenset() if inside_note else covered))
            elif frame[0] == "root" and frame[1] is None:
                # before the first block: blank lines count once something (an ALD, an
                # options extension) stood before them; leading ones alone give nothing
                out.append("\n" * blank_runs(lines, 0, tok.map[0], covered, skip_leading=True))
        if starts_block:
            frames[-1][1] = content_end(lines, tok.map[0], tok.map[1])
        nesting = (tok.meta or {}).get("kd_container", tok.nesting) if base == "html_container" else tok.nesting
        if nesting == -1 and base in _STEP:
            depth -= _STEP[base]
            if len(frames) > 1:
                frames.pop()
        piece = render_one(i)
        if depth and tok.type in ("fence", "code_block") and piece.endswith("</div></div>\n"):
            piece = piece[:-7] + " " * depth + "</div>\n"  # kramdown indents the wrapper's end too
        if piece and (tok.block or tok.type == "footnote_anchor") and depth and tok.type not in _PREFORMATTED \
                and tok.type != "inline":
            if at_line_start:
                piece = " " * depth + piece
            elif piece.startswith("\n"):  # a block after a tight item's text: "<li>a\n    <ul>"
                piece = "\n" + " " * depth + piece[1:]
        if nesting == 1 and base in _STEP:
            depth += _STEP[base]
            frames.append([base, None])
        if piece:
            out.append(piece)
            at_line_start = piece.endswith("\n")
    if not any(t.type == "footnote_block_open" for t in tokens):
        trailing(out, frames[0], lines, covered)
    return "".join(out)


def trailing(out: list[str], root: list[Any], lines: Sequence[str], covered: frozenset[int]) -> None:
    """Blank lines after the document's last block: kramdown keeps one empty line per run."""
    if root[1] is not None:
        out.append("\n" * blank_runs(lines, root[1], len(lines), covered))


def source_lines(text: str) -> list[str]:
    """The lines markdown-it's maps count (it normalises line ends first); no final empty one."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines
