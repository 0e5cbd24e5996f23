"""kramdown extensions and abbreviations (spec §12.10).

Input: ``{::nomarkdown}…{:/}``, ``{::comment}…{:/comment}``, ``{::options … /}`` (block and
span), ``*[ABBR]: title`` definitions, and a list carrying the ``toc`` ALD reference.
Output: verbatim HTML / ``<!-- … -->`` / page options in ``env``, ``<abbr>`` around every
whole-word use, and the ``<ul id="markdown-toc">`` table of contents.
"""
from __future__ import annotations

import re
from typing import Any

from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .ial import parse_attrs, refs_of
from .render import esc_attr, esc_text

_EXT_START = re.compile(r"\{::(nomarkdown|comment|options)((?:\\\}|[^}])*?)(/)?\}")
_ABBR_DEF = re.compile(r" {0,3}\*\[([^\]\n]+)\]:[ \t]*(.*?)[ \t]*\Z")


def _end_re(name: str) -> re.Pattern[str]:
    return re.compile(r"\{:/(?:" + name + r")?\}")


def _emit(kind: str, body: str, attrs: str) -> tuple[str, str | None]:
    """(token type, content) for an extension; the options one returns its attrs."""
    if kind == "nomarkdown":
        return "html", body
    if kind == "comment":
        return "html", f"<!-- {body} -->"
    return "options", attrs


def _set_options(env: dict[str, Any], attrs: str) -> None:
    for key, val in parse_attrs(attrs).items():
        if key == "auto_ids":
            env["kd_auto_ids"] = str(val).lower() not in ("false", "nil")


def ext_block(state: StateBlock, startLine: int, endLine: int, silent: bool) -> bool:
    start = state.bMarks[startLine] + state.tShift[startLine]
    if state.sCount[startLine] - state.blkIndent >= 4 or not state.src.startswith("{::", start):
        return False
    m = _EXT_START.match(state.src, start)
    if m is None:
        return False
    kind = m.group(1)
    if m.group(3):  # self-closing `{::options … /}` or `{::comment /}`
        if state.src[m.end(): state.eMarks[startLine]].strip():
            return False
        if not silent:
            typ, content = _emit(kind, "", m.group(2))
            if typ == "options":
                _set_options(state.env, content or "")
        state.line = startLine + 1
        return True
    # kramdown EXT_BLOCK_START/END: both tags alone on their lines (else a span extension).
    if state.src[m.end(): state.eMarks[startLine]].strip():
        return False
    end_re = _end_re(kind)
    for line in range(startLine + 1, endLine):
        seg = state.src[state.bMarks[line] + state.tShift[line]: state.eMarks[line]]
        e = end_re.match(seg)
        if e is None or seg[e.end():].strip():
            continue
        if silent:
            return True
        body = state.src[state.bMarks[startLine + 1]: state.bMarks[line]].rstrip("\n")
        typ, content = _emit(kind, body, m.group(2))
        tok = state.push("html_block", "", 0)
        tok.content = (content or "") + "\n"
        tok.map = [startLine, line + 1]
        state.line = line + 1
        return True
    return False


def ext_inline(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("{::", state.pos):
        return False
    m = _EXT_START.match(state.src, state.pos, state.posMax)
    if m is None:
        return False
    if m.group(3):
        end, body = m.end(), ""
    else:
        e = _end_re(m.group(1)).search(state.src, m.end(), state.posMax)
        if e is None:
            return False
        end, body = e.end(), state.src[m.end(): e.start()]
    if not silent:
        typ, content = _emit(m.group(1), body, m.group(2))
        if typ == "options":
            _set_options(state.env, content or "")
        else:
            tok = state.push("html_inline", "", 0)
            tok.content = content or ""
    state.pos = end
    return True


def abbr_def(state: StateBlock, startLine: int, endLine: int, silent: bool) -> bool:
    start = state.bMarks[startLine] + state.tShift[startLine]
    if state.sCount[startLine] - state.blkIndent >= 4 or not state.src.startswith("*[", start):
        return False
    m = _ABBR_DEF.match(state.src[state.bMarks[startLine]: state.eMarks[startLine]])
    if m is None:
        return False
    if not silent:
        state.env.setdefault("kd_abbrs", {})[m.group(1)] = m.group(2)
    state.line = startLine + 1
    return True


def abbr_core(state: StateCore) -> None:
    abbrs: dict[str, str] = state.env.get("kd_abbrs") or {}
    if not abbrs:
        return
    names = sorted(abbrs, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, names)) + r")(?!\w)")
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        out: list[Token] = []
        for tok in block.children:
            if tok.type != "text" or not pattern.search(tok.content):
                out.append(tok)
                continue
            pos = 0
            for m in pattern.finditer(tok.content):
                if m.start() > pos:
                    out.append(_text(tok.content[pos: m.start()]))
                html = Token("html_inline", "", 0)
                title = abbrs[m.group(1)]
                attr = f' title="{esc_attr(title)}"' if title else ""
                html.content = f"<abbr{attr}>{esc_text(m.group(1))}</abbr>"
                out.append(html)
                pos = m.end()
            if pos < len(tok.content):
                out.append(_text(tok.content[pos:]))
        block.children = out


def _text(s: str) -> Token:
    t = Token("text", "", 0)
    t.content = s
    return t


def toc_core(state: StateCore) -> None:
    """Replace a list referencing the ``toc`` ALD by a ``kd_toc`` token (rendered later)."""
    tokens = state.tokens
    for i, tok in enumerate(tokens):
        if tok.type in ("bullet_list_open", "ordered_list_open") and "toc" in refs_of(tok):
            depth, j = 0, i
            while True:
                depth += tokens[j].nesting
                if depth == 0:
                    break
                j += 1
            toc = Token("kd_toc", "ol" if tok.type.startswith("ordered") else "ul", 0)
            toc.attrs = {k: v for k, v in (tok.attrs or {}).items() if k != "start"}
            toc.block = True
            toc.map = tok.map  # where the list was: kramdown's blank lines around it (layout.py)
            tokens[i: j + 1] = [toc]
            return


def _toc_entries(self: Any, tokens: list[Token], options: Any,
                 env: Any) -> list[tuple[int, str, str]]:
    levels = env.get("kd_toc_levels", range(1, 7))
    out = []
    for i, tok in enumerate(tokens):
        if tok.type != "heading_open":
            continue
        ident = tok.attrGet("id")
        level = int(tok.tag[1])
        if not ident or level not in levels or "no_toc" in str(tok.attrGet("class") or "").split():
            continue
        # Links are unwrapped and footnote markers dropped in TOC entries.
        kids = [c for c in tokens[i + 1].children or []
                if c.type not in ("link_open", "link_close", "footnote_ref")]
        out.append((level, str(ident), self.renderInline(kids, options, env)))
    return out


def render_toc(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    """kramdown ``generate_toc_tree``: nest each entry under the last shallower one."""
    tok = tokens[idx]
    entries = _toc_entries(self, tokens, options, env)
    if not entries:
        return ""
    attrs = dict(tok.attrs or {})
    attrs.setdefault("id", "markdown-toc")
    prefix = str(attrs["id"])
    root: list[list[Any]] = []
    stack: list[list[Any]] = []  # node = [level, id, html, children]
    for level, ident, inner in entries:
        node: list[Any] = [level, ident, inner, []]
        while stack and stack[-1][0] >= level:
            stack.pop()
        (stack[-1][3] if stack else root).append(node)
        stack.append(node)

    def emit(nodes: list[list[Any]], attr_html: str, indent: str) -> str:
        out = f"{indent}<{tok.tag}{attr_html}>\n"
        for _lvl, ident, inner, kids in nodes:
            out += (f'{indent}  <li><a href="#{esc_attr(ident)}" '
                    f'id="{esc_attr(prefix)}-{esc_attr(ident)}">{inner}</a>')
            # kramdown writes the nested list right after the link, indented: `</a>    <ul>`
            out += (emit(kids, "", indent + "    ") + f"{indent}  </li>\n") if kids else "</li>\n"
        return out + f"{indent}</{tok.tag}>\n"

    return emit(root, "".join(f' {k}="{esc_attr(str(v))}"' for k, v in attrs.items()), "")
