"""kramdown definition lists on top of mdit-py-plugins' ``deflist`` (spec §12.10).

Input: ``Term\\n: Definition`` blocks. Output: ``dl``/``dt``/``dd`` tokens where every line of
a multi-line term is its own ``<dt>`` and a definition's first paragraph is wrapped in
``<p>`` exactly when a blank line precedes its ``:`` line (checked against Jekyll).
"""
from __future__ import annotations

import re
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .layout import BLANK_LINE
from mdit_py_plugins.deflist import deflist_plugin

BlockRule = Callable[[StateBlock, int, int, bool], bool]
_DD = re.compile(r" {0,3}:[ \t]")
_ANY_DD = re.compile(r"^[ \t>]*:[ \t]", re.M)
_MAX_TERM_LINES = 16


def _raw(state: StateBlock, n: int) -> str:
    return state.src[state.bMarks[n]: state.eMarks[n]]


def _wrap(orig: BlockRule) -> BlockRule:
    def kd_deflist(state: StateBlock, startLine: int, endLine: int, silent: bool) -> bool:
        has_dd = state.env.get("kd_has_dd")
        if has_dd is None:
            has_dd = state.env["kd_has_dd"] = _ANY_DD.search(state.src) is not None
        if not has_dd:
            return False
        # Find how many term lines precede the first `: ` line (bounded: no O(n^2) scans).
        last = startLine
        while (last + 1 < min(endLine, startLine + _MAX_TERM_LINES) and not state.isEmpty(last + 1)
               and not _DD.match(_raw(state, last + 1))):
            last += 1
        if last == startLine:
            return bool(orig(state, startLine, endLine, silent))
        if _DD.match(_raw(state, startLine)):
            return False
        nxt = last + 1
        if nxt < endLine and state.isEmpty(nxt):
            nxt += 1
        if nxt >= endLine or not _DD.match(_raw(state, nxt)):
            return False
        if silent:
            return True
        before = len(state.tokens)
        if not orig(state, last, endLine, False):
            return False
        extra: list[Token] = []
        for n in range(startLine, last):
            opn = Token("dt_open", "dt", 1)
            opn.map = [n, n]
            inline = Token("inline", "", 0)
            inline.content = state.src[state.bMarks[n] + state.tShift[n]: state.eMarks[n]].strip()
            inline.map = [n, n]
            inline.children = []
            extra += [opn, inline, Token("dt_close", "dt", -1)]
        for t in extra:
            t.level = state.tokens[before].level + (2 if t.type == "inline" else 1)
            t.block = True
        state.tokens[before + 1: before + 1] = extra
        state.tokens[before].map = [startLine, state.tokens[before].map[1]]
        return True
    return kd_deflist


def dd_paragraphs(state: StateCore) -> None:
    tokens = state.tokens
    if not any(t.type == "dd_open" for t in tokens):
        return
    lines = state.src.split("\n")
    for i, tok in enumerate(tokens):
        if tok.type != "dd_open" or not tok.map:
            continue
        # The plugin's dd map can start at the term line; the first child's map is right.
        child = tokens[i + 1] if i + 1 < len(tokens) else None
        start = child.map[0] if child is not None and child.map else tok.map[0]
        blank_before = start > 0 and bool(BLANK_LINE.match(lines[start - 1]))
        first = True
        for k in range(i + 1, len(tokens)):
            t = tokens[k]
            if t.type == "dd_close" and t.level == tok.level:
                break
            if t.type == "paragraph_open" and t.level == tok.level + 1:
                hide = first and not blank_before
                t.hidden = tokens[k + 2].hidden = hide
                first = False
            elif t.level == tok.level + 1 and t.nesting >= 0 and t.type != "inline":
                first = False


def install_deflist(md: MarkdownIt) -> None:
    md.use(deflist_plugin)
    ruler = md.block.ruler
    rule = ruler.__rules__[ruler.__find__("deflist")]
    ruler.at("deflist", _wrap(rule.fn), {"alt": list(rule.alt)})
