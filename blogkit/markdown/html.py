"""Raw HTML as kramdown treats it (spec §12.10).

Input: block lines starting with a block-level tag; inline HTML tokens. Output: an HTML block
running to the *matching* close tag (blank lines included; closed at the page end if never
closed), ``markdown="1"|"block"|"span"`` content parsed as Markdown (the attribute dropped),
and unclosed span tags closed at the end of their paragraph.
"""
from __future__ import annotations

import re
from typing import Callable

from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

BlockRule = Callable[[StateBlock, int, int, bool], bool]

_OPEN = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)((?:\s+[^>]*?)?)\s*(/?)>")
_MD_ATTR = re.compile(r"""\s+markdown\s*=\s*(["']?)(1|block|span|0)\1""")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_RAW_TAGS = frozenset({"script", "style", "pre", "textarea"})  # markdown-it ends these right


def _line(state: StateBlock, n: int) -> str:
    return state.src[state.bMarks[n] + state.tShift[n]: state.eMarks[n]]


def _find_close(src: str, tag: str, start: int, end: int) -> tuple[int, int] | None:
    """(start, end) offsets of the close tag matching an open ``tag`` before ``start``."""
    pattern = re.compile(r"<(/?)" + re.escape(tag) + r"(?=[\s/>])[^>]*?(/?)>", re.IGNORECASE)
    depth = 1
    for m in pattern.finditer(src, start, end):
        if m.group(1):
            depth -= 1
            if depth == 0:
                return m.start(), m.end()
        elif not m.group(2):
            depth += 1
    return None


def _line_of(state: StateBlock, offset: int, startLine: int, endLine: int) -> int:
    for n in range(startLine, endLine):
        if state.eMarks[n] >= offset:
            return n
    return endLine - 1


def wrap_html_block(orig: BlockRule, span_tags: frozenset[str]) -> BlockRule:
    def kd_html_block(state: StateBlock, startLine: int, endLine: int, silent: bool) -> bool:
        if state.sCount[startLine] - state.blkIndent >= 4:
            return False
        text = _line(state, startLine)
        m = _OPEN.match(text)
        if m is None:
            if silent and text.startswith(("<!", "<?")):
                # kramdown ends a paragraph only at a tag with a name: a comment (Jekyll's
                # `<!--more-->`), declaration or processing instruction stays inside it.
                return False
            return orig(state, startLine, endLine, silent)
        tag = m.group(1).lower()
        if tag in span_tags:
            return False
        if tag in _RAW_TAGS:
            return orig(state, startLine, endLine, silent)
        if silent:
            return True
        open_end = state.bMarks[startLine] + state.tShift[startLine] + m.end()
        closing = None
        if not m.group(3) and tag not in _VOID:
            closing = _find_close(state.src, tag, open_end, state.eMarks[endLine - 1])
        last = startLine if closing is None and (m.group(3) or tag in _VOID) else (
            _line_of(state, closing[1], startLine, endLine) if closing else endLine - 1)
        md_attr = _MD_ATTR.search(m.group(2) or "")
        mode = md_attr.group(2) if md_attr else "0"
        open_tag = m.group(0)
        if md_attr:
            open_tag = open_tag.replace(md_attr.group(0), "", 1)
        inner_ok = (closing is not None and last > startLine
                    and not state.src[open_end: state.eMarks[startLine]].strip()
                    and state.src[state.bMarks[last] + state.tShift[last]: closing[0]].strip() == "")
        if mode in ("1", "block") and inner_ok:
            tok = state.push("html_block", "", 0)
            tok.content = open_tag + "\n"
            tok.map = [startLine, startLine + 1]
            tok.meta = {"kd_container": 1}  # its Markdown children are indented (layout.py)
            before = len(state.tokens)
            old_parent, old_max = state.parentType, state.lineMax
            state.parentType, state.lineMax = "html", last
            state.md.block.tokenize(state, startLine + 1, last)
            state.parentType, state.lineMax = old_parent, old_max
            for t in state.tokens[before:]:
                if t.type == "heading_open":
                    t.meta = dict(t.meta or {}, kd_basic_id=True)
            tok = state.push("html_block", "", 0)
            tok.content = state.src[closing[0]: state.eMarks[last]] + "\n"
            tok.meta = {"kd_container": -1}
            state.line = last + 1
            return True
        if mode == "span" and closing is not None:
            tok = state.push("html_block", "", 0)
            tok.content = open_tag
            tok = state.push("inline", "", 0)
            tok.content = state.src[open_end: closing[0]].strip()
            tok.map = [startLine, last + 1]
            tok.children = []
            tok = state.push("html_block", "", 0)
            tok.content = state.src[closing[0]: state.eMarks[last]] + "\n"
            state.line = last + 1
            return True
        tok = state.push("html_block", "", 0)
        body = state.src[state.bMarks[startLine]: state.eMarks[last]]
        if md_attr:
            body = body.replace(md_attr.group(0), "", 1)
        tok.content = body + "\n" + ("" if closing or m.group(3) or tag in _VOID
                                     else f"</{tag}>\n")
        tok.map = [startLine, last + 1]
        state.line = last + 1
        return True
    return kd_html_block


_TAG_OPEN = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)\b[^>]*?(/?)>\Z")
_TAG_CLOSE = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)\s*>\Z")


def close_span_html(state: StateCore) -> None:
    """kramdown closes span tags left open at the end of their paragraph."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        stack: list[str] = []
        for tok in block.children:
            if tok.type != "html_inline":
                continue
            m = _TAG_OPEN.match(tok.content)
            if m and not m.group(2) and m.group(1).lower() not in _VOID:
                stack.append(m.group(1).lower())
                continue
            c = _TAG_CLOSE.match(tok.content)
            if c and c.group(1).lower() in stack:
                while stack and stack.pop() != c.group(1).lower():
                    pass
        for tag in reversed(stack):
            t = Token("html_inline", "", 0)
            t.content = f"</{tag}>"
            block.children.append(t)


# kramdown escapes these block-level tags when they appear inside a paragraph (checked with
# Jekyll: `a <div>x</div> b` -> `a &lt;div&gt;x&lt;/div&gt; b`).
SPAN_ESCAPED = frozenset(
    "address article aside applet body blockquote dd div dl dt fieldset figcaption footer "
    "form h1 h2 h3 h4 h5 h6 header hgroup hr html iframe legend li main map menu nav ol "
    "optgroup p pre section summary table tbody td tfoot th thead tr ul".split())
_INLINE_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")


def wrap_html_inline(orig):  # type: ignore[no-untyped-def]
    def kd_html_inline(state, silent):  # type: ignore[no-untyped-def]
        m = _INLINE_TAG.match(state.src, state.pos, state.posMax)
        if m is not None and m.group(1).lower() in SPAN_ESCAPED:
            # Printed as escaped text, and not touched by typography (quotes stay straight).
            if not silent:
                tok = state.push("text_special", "", 0)
                tok.content = m.group(0)
                tok.info = "kd_raw"
            state.pos = m.end()
            return True
        return orig(state, silent)
    return kd_html_inline


# --- inline tags as kramdown writes them ------------------------------------------------

_START_TAG = re.compile(r"<([a-z][a-z0-9-]*)((?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)\s*(/?)>\Z")
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_ATTR_ESCAPE = re.compile(r"""<|>|"|&(?!(?:#\d+|#x[0-9a-fA-F]+|\w+);)""")
_ATTR_ENTITY = {"<": "&lt;", ">": "&gt;", '"': "&quot;", "&": "&amp;"}
# kramdown's HTML_ELEMENTS_WITHOUT_BODY: written as `<br />`
_EMPTY = frozenset("area base br col command embed hr img input keygen link meta param source track wbr".split())


def kramdown_start_tag(html: str) -> str:
    """An inline start tag re-written as kramdown's parser/converter pair writes it: attribute
    values in double quotes (``href='x'``, ``target=_blank``, ``disabled`` -> ``disabled=""``)
    and `` />`` on empty elements. Anything it cannot read is returned unchanged."""
    m = _START_TAG.match(html)
    if m is None:
        return html
    attrs = []
    for a in _ATTR.finditer(m.group(2) or ""):
        value = next((v for v in a.group(2, 3, 4) if v is not None), "")
        attrs.append(f' {a.group(1)}="{_ATTR_ESCAPE.sub(lambda e: _ATTR_ENTITY[e.group(0)], value)}"')
    name = m.group(1)
    return f"<{name}{''.join(attrs)}" + (" />" if name in _EMPTY else ">")
