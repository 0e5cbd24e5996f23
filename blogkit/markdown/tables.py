"""kramdown tables (spec §12.6), replacing markdown-it's GFM table rule.

Input: block lines holding unescaped pipes. Output: ``table``/``thead``/``tbody``/``tfoot``
tokens. Port of ``Kramdown::Parser::Kramdown#parse_table``: separator lines make the rows
above a header (first time) or start a new ``tbody``; ``|===|`` starts the footer; code spans
protect pipes; short rows are padded (U+00A0 cells), long rows add columns; a table with no
body row is no table.
"""
from __future__ import annotations

import re

from markdown_it.rules_block import StateBlock

_SEP = re.compile(r"([+|: \t-]*?-[+|: \t-]*?)[ \t]*\Z")
_HSEP_ALIGN = re.compile(r"[ \t]?(:?)-+(:?)[ \t]?")
_FSEP = re.compile(r"[+|: \t=]*?=[+|: \t=]*?[ \t]*\Z")
_ATX = re.compile(r"#{1,6}[ \t]")
_UNDERLINE = re.compile(r"(?:-+|=+)[ \t]*\Z")
_PIPE_CHECK = re.compile(r"(?:\||.*?[^\\\n]\|)")


def _line(state: StateBlock, n: int) -> str:
    return state.src[state.bMarks[n] + state.tShift[n]: state.eMarks[n]]


def split_cells(row: str) -> list[str]:
    """Split on unescaped pipes outside code spans; ``\\|`` becomes ``|`` outside code."""
    cells: list[str] = [""]
    i, n = 0, len(row)
    while i < n:
        ch = row[i]
        if ch == "`":
            j = i
            while j < n and row[j] == "`":
                j += 1
            close = row.find(row[i:j], j)
            if close >= 0:
                cells[-1] += row[i: close + (j - i)]
                i = close + (j - i)
                continue
            cells[-1] += row[i:j]
            i = j
        elif ch == "\\" and i + 1 < n and row[i + 1] == "|":
            cells[-1] += "|"
            i += 2
        elif ch == "|":
            cells.append("")
            i += 1
        else:
            cells[-1] += ch
            i += 1
    return cells


def _align(sep: str) -> list[str]:
    out = []
    for left, right in _HSEP_ALIGN.findall(sep):
        out.append("" if not left and not right else "left" if not right
                   else "right" if not left else "center")
    return out


def kd_table(state: StateBlock, startLine: int, endLine: int, silent: bool) -> bool:
    if state.sCount[startLine] - state.blkIndent >= 4:
        return False
    # (a `|` first, without slicing the line: this rule is tried at every block start, and the
    # pipe regex scans a whole long line lazily before failing — 8% of Markdown time on
    # pipe-free Japanese prose)
    if state.src.find("|", state.bMarks[startLine] + state.tShift[startLine], state.eMarks[startLine]) < 0:
        return False
    first = _line(state, startLine)
    if first[0].isspace() or not _PIPE_CHECK.match(first):
        return False
    # kramdown tries blockquotes, ATX and setext headings and rules before tables.
    if first[0] == ">" or _ATX.match(first):
        return False
    if startLine + 1 < endLine and _UNDERLINE.match(_line(state, startLine + 1)):
        return False
    if startLine > 0 and not state.isEmpty(startLine - 1) and state.parentType == "root":
        return False  # kramdown after_block_boundary?: a blank line (or page start) first
    leading_pipe = first.lstrip().startswith("|")
    sections: list[tuple[str, list[list[str]]]] = []
    rows: list[list[str]] = []
    align: list[str] | None = None
    has_footer = False
    columns = 0

    def close(kind: str, force: bool) -> None:
        nonlocal rows
        if not has_footer or kind != "tbody" or force:
            sections.append((kind, rows))
            rows = []

    line = startLine
    while line < endLine:
        text = _line(state, line)
        if (state.sCount[line] < state.blkIndent or "|" not in text
                or not _PIPE_CHECK.match(text)):
            break
        sep = _SEP.match(text)
        if sep:
            if not rows:
                pass
            elif align is None and not has_footer:
                close("thead", False)
                align = _align(sep.group(1))
            else:
                close("tbody", False)
        elif _FSEP.match(text):
            if rows:
                close("tbody", True)
            has_footer = True
        else:
            cells = split_cells(text.rstrip(" \t"))
            if leading_pipe and cells and not cells[0].strip():
                cells.pop(0)
            if cells and not cells[-1].strip():
                cells.pop()
            columns = max(columns, len(cells))
            rows.append([c.strip() for c in cells])
        line += 1
    if line < endLine and not state.isEmpty(line) and state.sCount[line] >= state.blkIndent:
        return False  # kramdown: a table must end at a block boundary
    if rows:
        close("tfoot" if has_footer else "tbody", False)
    if not any(kind == "tbody" for kind, _ in sections):
        return False
    if silent:
        return True
    aligns = (align or [])[:columns]
    aligns += [""] * (columns - len(aligns))
    tok = state.push("table_open", "table", 1)
    tok.map = [startLine, line]
    for kind, body in sections:
        state.push(f"{kind}_open", kind, 1)
        for cells in body:
            state.push("tr_open", "tr", 1)
            for c in range(columns):
                tag = "th" if kind == "thead" else "td"
                cell = state.push(f"{tag}_open", tag, 1)
                if aligns[c]:
                    cell.attrSet("style", f"text-align: {aligns[c]}")
                inline = state.push("inline", "", 0)
                inline.content = cells[c] if c < len(cells) else ""
                inline.map = [startLine, line]
                inline.children = []
                state.push(f"{tag}_close", tag, -1)
            state.push("tr_close", "tr", -1)
        state.push(f"{kind}_close", kind, -1)
    state.push("table_close", "table", -1)
    state.line = line
    return True
