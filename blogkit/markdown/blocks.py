"""Block-level differences between kramdown (GFM parser) and CommonMark (spec §12.3–12.5).

Input: a MarkdownIt instance. Output: the same instance with block rules wrapped so that
paragraphs are interrupted as kramdown interrupts them, setext headings need a one-line
paragraph, fences take one info word and must be closed, ``1)`` is no list marker, and
span-level tags (``<img>``, ``<span>``…) at a line start do not open an HTML block.
"""
from __future__ import annotations

import re
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from .html import wrap_html_block as html_block_rule
from .tables import kd_table

BlockRule = Callable[[StateBlock, int, int, bool], bool]

# kramdown HTML_SPAN_ELEMENTS: these never start an HTML block.
SPAN_TAGS = frozenset(
    "a abbr acronym b big bdo br button cite code del dfn em i img input ins kbd label "
    "option q rb rbc rp rt rtc ruby samp select small span strike strong sub sup "
    "textarea tt u var".split()
)
_PAREN_MARKER = re.compile(r"[0-9]{1,9}\)")
_FENCE_OPEN = re.compile(r"(`{3,}|~{3,})[ \t]*([^ \t]*)[ \t]*\Z")
_ATX_PREFIX = re.compile(r"#{1,6}[ \t]*")
_HEADER_ID = re.compile(r"[\t ]\{#([A-Za-z][\w:-]*)\}\Z", re.A)
_CLOSING_HASHES = re.compile(r"(?:(?<=[ \t])|\A)#+\Z")
_SETEXT_LINE = re.compile(r"[-=]+[ \t]*\Z")


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line]: state.eMarks[line]]


def _starts(state: StateBlock, line: int, chars: str) -> bool:
    """Does the line's text start with one of ``chars``? (These rules are tried at every block
    start; testing one character before slicing the line saves most of their cost.)"""
    pos = state.bMarks[line] + state.tShift[line]
    return pos < state.eMarks[line] and state.src[pos] in chars


def wrap_list(orig: BlockRule) -> BlockRule:
    def kd_list(state: StateBlock, startLine: int, endLine: int, silent: bool) -> bool:
        pos = state.bMarks[startLine] + state.tShift[startLine]
        if _PAREN_MARKER.match(state.src, pos, state.eMarks[startLine]):
            return False
        if silent and state.parentType == "paragraph":
            # kramdown lets any list marker (any start number) end a paragraph.
            state.parentType = "kd_paragraph"
            try:
                return orig(state, startLine, endLine, silent)
            finally:
                state.parentType = "paragraph"
        return orig(state, startLine, endLine, silent)
    return kd_list


def wrap_fence(orig: BlockRule) -> BlockRule:
    def kd_fence(state: StateBlock, startLine: int, endLine: int, silent: bool) -> bool:
        if state.sCount[startLine] - state.blkIndent >= 4 or not _starts(state, startLine, "`~"):
            return False
        m = _FENCE_OPEN.match(_line(state, startLine))
        if m is None:
            return False  # more than one info word: kramdown sees no fence
        marker = m.group(1)
        for nxt in range(startLine + 1, endLine):
            text = _line(state, nxt)
            if (text.startswith(marker) and text.rstrip(" \t").strip(marker[0]) == ""
                    and state.sCount[nxt] - state.blkIndent < 4):
                before = len(state.tokens)
                ok = orig(state, startLine, endLine, silent)
                if ok and not silent and state.sCount[startLine] > state.blkIndent:
                    # kramdown keeps the content's indentation under an indented fence.
                    tok = state.tokens[before]
                    tok.content = "".join(
                        state.src[state.bMarks[k]: state.eMarks[k]][state.blkIndent:] + "\n"
                        for k in range(startLine + 1, nxt))
                return ok
        return False  # unclosed: a literal paragraph in kramdown
    return kd_fence


def wrap_heading(orig: BlockRule) -> BlockRule:
    def kd_heading(state: StateBlock, startLine: int, endLine: int, silent: bool) -> bool:
        # kramdown ATX headings start at column 0 and need text after the hashes.
        if state.sCount[startLine] != state.blkIndent or not _starts(state, startLine, "#"):
            return False
        if not _line(state, startLine).lstrip("#").strip(" \t#"):
            return False
        before = len(state.tokens)
        if not orig(state, startLine, endLine, silent):
            return False
        if not silent:
            # kramdown: a `{#id}` at the very end first, then closing hashes after a blank.
            text = _ATX_PREFIX.sub("", _line(state, startLine), count=1).rstrip(" \t")
            m = _HEADER_ID.search(text)
            state.tokens[before].meta = {"kd_atx": True}
            if m is not None:
                state.tokens[before].meta["kd_id"] = m.group(1)
                text = text[: m.start()].rstrip(" \t")
            text = _CLOSING_HASHES.sub("", text).rstrip(" \t")
            state.tokens[before + 1].content = text
        return True
    return kd_heading


def setext_heading(state: StateBlock, startLine: int, endLine: int, silent: bool) -> bool:
    """kramdown SETEXT_HEADER_START: one text line, then ``=``/``-`` at column 0."""
    nxt = startLine + 1
    if nxt >= endLine or state.is_code_block(startLine):
        return False
    if state.sCount[nxt] != state.blkIndent or not _SETEXT_LINE.match(_line(state, nxt)):
        return False
    text = _line(state, startLine).strip()
    if not text:
        return False
    if silent:
        return True
    level = 1 if _line(state, nxt)[0] == "=" else 2
    state.line = nxt + 1
    tok = state.push("heading_open", f"h{level}", 1)
    tok.markup = _line(state, nxt)[0]
    tok.map = [startLine, state.line]
    tok = state.push("inline", "", 0)
    tok.content = text
    tok.map = [startLine, state.line - 1]
    tok.children = []
    tok = state.push("heading_close", f"h{level}", -1)
    tok.markup = _line(state, nxt)[0]
    return True


def configure_blocks(md: MarkdownIt) -> None:
    ruler = md.block.ruler
    ruler.at("list", wrap_list(ruler.__rules__[ruler.__find__("list")].fn),
             {"alt": ["paragraph", "reference", "blockquote"]})
    ruler.at("fence", wrap_fence(ruler.__rules__[ruler.__find__("fence")].fn),
             {"alt": ["paragraph", "reference", "blockquote", "list"]})
    ruler.at("html_block", html_block_rule(ruler.__rules__[ruler.__find__("html_block")].fn,
                                           SPAN_TAGS),
             {"alt": ["paragraph", "reference", "blockquote"]})
    # Neither a rule nor a table ends a paragraph in kramdown.
    ruler.at("hr", ruler.__rules__[ruler.__find__("hr")].fn, {"alt": ["blockquote", "list"]})
    # kramdown tries lists before tables (`- a | b` is a table inside an item).
    ruler.disable("table")
    ruler.after("list", "kd_table", kd_table, {"alt": []})
    ruler.at("heading", wrap_heading(ruler.__rules__[ruler.__find__("heading")].fn),
             {"alt": ["paragraph", "reference", "blockquote"]})
    ruler.at("lheading", setext_heading, {"alt": []})


_FN_DEF = re.compile(r" {0,3}\[\^[^\]\s]+\]:")
# kramdown footnote names are ALD_ID_NAME (`\w[\w-]*`, ASCII in Ruby): `[^注1]` is text.
_FN_NAME = re.compile(r"\[\^[A-Za-z0-9_][A-Za-z0-9_-]*\]")


def wrap_footnote_def(orig: BlockRule) -> BlockRule:
    """A definition ends a paragraph only if that paragraph is itself a definition's text
    (consecutive ``[^a]: …`` lines); after ordinary text it needs a blank line."""
    def kd_footnote_def(state: StateBlock, startLine: int, endLine: int, silent: bool) -> bool:
        pos = state.bMarks[startLine] + state.tShift[startLine]
        if not _FN_NAME.match(state.src, pos, state.eMarks[startLine]):
            return False
        if silent and state.parentType == "paragraph":
            if not _FN_DEF.match(_line(state, startLine)):
                return False
            top = startLine - 1
            while top > 0 and not state.isEmpty(top - 1):
                top -= 1
            # The plugin moves bMarks past `[^x]:`, so read the line from its real start.
            line_start = state.src.rfind("\n", 0, state.bMarks[top]) + 1
            if top < 0 or not _FN_DEF.match(state.src[line_start: state.eMarks[top]]):
                return False
        return orig(state, startLine, endLine, silent)
    return kd_footnote_def


def wrap_footnote_ref(orig):  # type: ignore[no-untyped-def]
    def kd_footnote_ref(state, silent):  # type: ignore[no-untyped-def]
        if not _FN_NAME.match(state.src, state.pos, state.posMax):
            return False
        return orig(state, silent)
    return kd_footnote_ref
