"""kramdown list semantics over markdown-it's list tokens (spec §12.7).

Input: the block token stream and the source lines. Output: the stream edited in place —
lists split only by a marker change are merged, ``start`` is dropped, ``<p>`` is decided per
item, and GFM task-list items get kramdown's classes and checkbox.
"""
from __future__ import annotations

import re

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .layout import BLANK_LINE

_TASK = re.compile(r"\[([ xX])\][ \t]+(?=\S)")
_OPEN = ("bullet_list_open", "ordered_list_open")


def _merge_adjacent(tokens: list[Token]) -> list[Token]:
    """``- a`` then ``* b``: one list for kramdown, two for CommonMark."""
    out: list[Token] = []
    for tok in tokens:
        if (tok.type in _OPEN and out and out[-1].type == tok.type.replace("_open", "_close")
                and out[-1].level == tok.level):
            out.pop()
            opener = next((t for t in reversed(out) if t.type == tok.type and t.level == tok.level), None)
            if opener is not None and opener.map and tok.map:
                opener.map = [opener.map[0], tok.map[1]]  # the merged list spans both (layout.py)
            continue
        out.append(tok)
    return out


def _nest_type_changes(tokens: list[Token], lines: list[str]) -> None:
    """``- a\n1. b``: kramdown reads the unindented ``1. b`` as part of item a."""
    i = 1
    while i + 1 < len(tokens):
        close, nxt = tokens[i], tokens[i + 1]
        if not (close.type in ("bullet_list_close", "ordered_list_close") and nxt.type in _OPEN
                and nxt.type != close.type.replace("_close", "_open") and nxt.level == close.level
                and nxt.map and tokens[i - 1].type == "list_item_close"):
            i += 1
            continue
        start = nxt.map[0]
        if start == 0 or BLANK_LINE.match(lines[start - 1]):
            i += 1
            continue
        depth, j = 0, i + 1
        while True:
            depth += tokens[j].nesting
            if depth == 0:
                break
            j += 1
        moved = tokens[i + 1: j + 1]
        for t in moved:
            t.level += 2
        tokens[i - 1: j + 1] = moved + [tokens[i - 1], close]
        i = i - 1 + len(moved) + 1


def _items(tokens: list[Token], start: int) -> tuple[list[tuple[int, int]], int]:
    """(item open index, item close index) pairs of the list opened at ``start``."""
    level = tokens[start].level
    items: list[tuple[int, int]] = []
    i = start + 1
    while i < len(tokens):
        tok = tokens[i]
        if tok.level == level and tok.nesting == -1:
            return items, i
        if tok.type == "list_item_open" and tok.level == level + 1:
            j = i + 1
            while not (tokens[j].type == "list_item_close" and tokens[j].level == level + 1):
                j += 1
            items.append((i, j))
            i = j
        i += 1
    return items, i


def _decide_paragraphs(tokens: list[Token], items: list[tuple[int, int]],
                       lines: list[str]) -> None:
    wrapped_all = True
    for n, (a, b) in enumerate(items):
        last = n == len(items) - 1
        level = tokens[a].level + 1
        paras = [k for k in range(a + 1, b) if tokens[k].level == level
                 and tokens[k].type == "paragraph_open"]
        for k in paras:
            tokens[k].hidden = tokens[k + 2].hidden = False
        first = a + 1
        if first >= b or tokens[first].type != "paragraph_open":
            wrapped_all = False
            continue
        para = tokens[first]
        end = para.map[1] if para.map else None
        blank_after = end is not None and end < len(lines) and bool(BLANK_LINE.match(lines[end]))
        more_in_item = any(tokens[k].level == level and tokens[k].nesting >= 0
                           for k in range(first + 3, b))
        wrap = blank_after and (not last or more_in_item)
        if last and n > 0 and wrapped_all:
            wrap = True
        wrapped_all = wrapped_all and wrap
        para.hidden = tokens[first + 2].hidden = not wrap


def _task_items(tokens: list[Token], list_open: int, items: list[tuple[int, int]]) -> None:
    seen = False
    for a, b in items:
        is_task = False
        if a + 2 < b and tokens[a + 1].type == "paragraph_open":
            inline = tokens[a + 2]
            kids = inline.children or []
            m = _TASK.match(kids[0].content) if kids and kids[0].type == "text" else None
            if m is not None:
                is_task = True
                kids[0].content = kids[0].content[m.end():]
                box = Token("html_inline", "", 0)
                checked = ' checked="checked"' if m.group(1) in "xX" else ""
                box.content = ('<input type="checkbox" class="task-list-item-checkbox" '
                               f'disabled="disabled"{checked} />')
                kids.insert(0, box)
        if is_task and not seen:
            seen = True
            tokens[list_open].attrJoin("class", "task-list")
        if seen:
            tokens[a].attrJoin("class", "task-list-item")


def lists_rule(state: StateCore) -> None:
    if not any(t.type in _OPEN for t in state.tokens):
        return
    lines = state.src.split("\n")
    _nest_type_changes(state.tokens, lines)
    state.tokens = tokens = _merge_adjacent(state.tokens)
    for i, tok in enumerate(tokens):
        if tok.type not in _OPEN:
            continue
        if tok.attrs:
            tok.attrs.pop("start", None)
        items, _ = _items(tokens, i)
        _decide_paragraphs(tokens, items, lines)
        _task_items(tokens, i, items)
