"""Small inline rules kramdown has and CommonMark lacks.

Input: a StateInline. Output: tokens for ``<<`` (a guillemet, not an HTML tag start) and
``$$…$$`` math (mathjax engine: ``\\(…\\)``), plus the core rules that turn a paragraph that
is only math into ``\\[…\\]`` and fill empty table cells with U+00A0.
"""
from __future__ import annotations

import re

from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .render import NBSP, esc_text


def guillemet(state: StateInline, silent: bool) -> bool:
    """``<<a>>`` is «a» in kramdown; keep markdown-it from reading ``<a>`` as a tag."""
    if not state.src.startswith("<<", state.pos):
        return False
    if not silent:
        state.pending += "<<"
    state.pos += 2
    return True


def dollar_math(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("$$", pos):
        return False
    end = src.find("$$", pos + 2, state.posMax)
    if end < 0 or end == pos + 2:
        return False
    if not silent:
        tok = state.push("math_inline", "math", 0)
        tok.content = src[pos + 2:end].strip()
        tok.markup = "$$"
    state.pos = end + 2
    return True


def render_math_inline(self: object, tokens: list[Token], idx: int, options: object,
                       env: object) -> str:
    return f"\\({esc_text(tokens[idx].content)}\\)"


def block_math_rule(state: StateCore) -> None:
    """A paragraph holding only ``$$…$$`` is display math with no ``<p>``."""
    tokens = state.tokens
    for i, tok in enumerate(tokens):
        if tok.type != "inline" or i == 0 or tokens[i - 1].type != "paragraph_open":
            continue
        kids = tok.children or []
        if len(kids) == 1 and kids[0].type == "math_inline":
            block = Token("html_block", "", 0)
            block.content = f"\\[{esc_text(kids[0].content.strip())}\\]\n"
            tokens[i - 1] = Token("kd_skip", "", 0)
            tokens[i] = block
            tokens[i + 1] = Token("kd_skip", "", 0)


def table_cells_rule(state: StateCore) -> None:
    tokens = state.tokens
    for i, tok in enumerate(tokens):
        if (tok.type == "inline" and i and tokens[i - 1].type in ("th_open", "td_open")
                and not tok.content.strip()):
            nb = Token("text", "", 0)
            nb.content = NBSP
            tok.children = [nb]


_ASCII_SPACE = frozenset(" \t\n\r\f\v")
# kramdown ESCAPED_CHARS: other backslashes stay literal (`\@` prints `\@`).
_ESCAPABLE = frozenset("\\.*_+`<>()[]{}#!:|\"'$=-~")


def make_escape(orig):  # type: ignore[no-untyped-def]
    def kd_escape(state: StateInline, silent: bool) -> bool:
        src, pos = state.src, state.pos
        if src[pos] != "\\" or pos + 1 >= state.posMax:
            return False
        nxt = src[pos + 1]
        if nxt != "\n" and nxt not in _ESCAPABLE:
            return False
        return bool(orig(state, silent))
    return kd_escape


def codespan(state: StateInline, silent: bool) -> bool:
    """kramdown ``parse_codespan``: first same-length run closes; newlines are kept."""
    src, pos = state.src, state.pos
    if src[pos] != "`":
        return False
    end_run = pos
    while end_run < state.posMax and src[end_run] == "`":
        end_run += 1
    delim = src[pos:end_run]
    run = len(delim)
    lone = (run == 1 and pos > 0 and src[pos - 1] in _ASCII_SPACE
            and end_run < state.posMax and src[end_run] in _ASCII_SPACE)
    close = -1 if lone else src.find(delim, end_run, state.posMax)
    if close < 0:
        if not silent:
            state.pending += delim
        state.pos = end_run
        return True
    if not silent:
        text = src[end_run:close]
        if run > 1:
            text = text[1:] if text.startswith(" ") else text
            text = text[:-1] if text.endswith(" ") else text
        tok = state.push("code_inline", "code", 0)
        tok.markup = delim
        tok.content = text
    state.pos = close + run
    return True


_RAW_TITLE = re.compile(r"""[ \t\n](?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')[ \t\n]*\)\Z""", re.S)


def keep_title_backslashes(orig):  # type: ignore[no-untyped-def]
    """kramdown keeps backslashes in inline link titles (``\\"`` prints ``\\&quot;``)."""
    def kd_link(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if state.src.startswith("[^", start):
            return False  # kramdown LINK_START is `!?\[(?=[^^])`: `[^x]` is never a link
        if not orig(state, silent):
            return False
        if not silent and len(state.tokens) > count:
            tok = state.tokens[count]
            if tok.attrGet("title") is not None and "\\" in state.src[start: state.pos]:
                m = _RAW_TITLE.search(state.src, start, state.pos)
                if m:
                    tok.attrSet("title", m.group(1) if m.group(1) is not None else m.group(2))
        return True
    return kd_link


_MATH_END = re.compile(r"\$\$[ \t]*(?:\n|\Z)")


def block_math(state, startLine: int, endLine: int, silent: bool) -> bool:  # type: ignore[no-untyped-def]
    """kramdown BLOCK_MATH_START: a block opening with ``$$`` and closing with ``$$`` at a
    line end (any lines between, even list-like ones), then a blank line or the end."""
    start = state.bMarks[startLine] + state.tShift[startLine]
    if state.sCount[startLine] - state.blkIndent >= 4 or not state.src.startswith("$$", start):
        return False
    limit = state.eMarks[endLine - 1]
    m = _MATH_END.search(state.src, start + 2, limit + 1)
    if m is None or m.start() >= limit:
        return False
    last = startLine
    while last < endLine and state.eMarks[last] < m.start():
        last += 1
    if last + 1 < endLine and not state.isEmpty(last + 1):
        return False
    if silent:
        return True
    tok = state.push("html_block", "", 0)
    tok.content = f"\\[{esc_text(state.src[start + 2: m.start()].strip())}\\]\n"
    tok.map = [startLine, last + 1]
    state.line = last + 1
    return True
