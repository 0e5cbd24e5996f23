"""kramdown inline attribute lists (IAL) and attribute list definitions (ALD), spec §12.10.

Input: ``{: .cls #id key="v" ref}`` lines after/before a block, ``{:name: …}`` definitions,
and ``{: …}`` right after a span. Output: attributes on the target tokens (IAL order; ALD
references expanded first, classes joined), and ``env["kd_alds"]``.
"""
from __future__ import annotations

import re
from typing import Any

from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

_ID_NAME = r"[A-Za-z0-9_][A-Za-z0-9_-]*"  # Ruby's \w is ASCII-only
_ANY = re.compile(
    r"(?:\A|\s)(?:"
    r"(?P<key>" + _ID_NAME + r")=(?P<q>[\"'])(?P<val>(?:\\\}|\\(?P=q)|(?!(?P=q))[^}])*?)(?P=q)"
    r"|(?P<ref>" + _ID_NAME + r")"
    r"|(?P<multi>(?:#[A-Za-z][\w:-]*|\.[^\s.#]+)+)"
    r")(?=\s|\Z)", re.A)
_MULTI = re.compile(r"#([A-Za-z][\w:-]*)|\.([^\s.#]+)", re.A)
_BLOCK_IAL = re.compile(r" {0,3}\{:(?!:)((?:\\\}|[^}])*)\}[ \t]*\Z")
_ALD = re.compile(r" {0,3}\{:(" + _ID_NAME + r"):((?:\\\}|[^}])*)\}[ \t]*\Z")
_SPAN_IAL = re.compile(r"\{:(?!:)((?:\\\}|[^}])*)\}")

Attrs = dict[str, Any]  # attribute -> value, plus "refs" -> list of ALD names


def parse_attrs(text: str) -> Attrs:
    """kramdown ``parse_attribute_list``: insertion order kept, ``refs`` separate."""
    out: Attrs = {}
    refs: list[str] = []
    for m in _ANY.finditer(text):
        if m.group("key"):
            q = m.group("q")
            out[m.group("key")] = re.sub(r"\\(\}|" + re.escape(q) + ")", r"\1", m.group("val"))
        elif m.group("ref"):
            refs.append(m.group("ref"))
        else:
            for idm, cls in _MULTI.findall(m.group("multi")):
                if idm:
                    out["id"] = idm
                else:
                    out["class"] = f"{out.get('class', '')} {cls}".lstrip()
    if refs:
        out["\0refs"] = refs
    return out


def apply_attrs(tok: Token, ial: Attrs, alds: dict[str, Attrs], depth: int = 0) -> None:
    """kramdown ``update_attr_with_ial``: referenced ALDs first, then the IAL's own keys."""
    for ref in ial.get("\0refs", ()):
        if ref in alds and depth < 10:
            apply_attrs(tok, alds[ref], alds, depth + 1)
    for key, val in ial.items():
        if key == "\0refs":
            continue
        if key == "class":
            old = tok.attrGet("class")
            tok.attrSet("class", f"{old or ''} {val}".lstrip())
        else:
            tok.attrSet(key, val)


def refs_of(tok: Token) -> list[str]:
    return list((tok.meta or {}).get("kd_refs", ()))


def ial_block(state: StateBlock, startLine: int, endLine: int, silent: bool) -> bool:
    line = state.src[state.bMarks[startLine]: state.eMarks[startLine]]
    if state.sCount[startLine] - state.blkIndent >= 4 or not line.lstrip().startswith("{:"):
        return False
    ald = _ALD.match(line)
    m = _BLOCK_IAL.match(line) if ald is None else None
    if ald is None and m is None:
        return False
    if silent:
        return True
    if ald is not None:
        state.env.setdefault("kd_alds", {})[ald.group(1)] = parse_attrs(ald.group(2))
    else:
        tok = state.push("kd_ial", "", 0)
        tok.meta = {"attrs": parse_attrs(m.group(1))}
        tok.map = [startLine, startLine + 1]
    state.line = startLine + 1
    return True


def _block_start(tokens: list[Token], close_idx: int) -> int:
    """Index of the token opening the block that ends at ``close_idx``."""
    tok = tokens[close_idx]
    if tok.nesting == 0:
        return close_idx
    depth = 0
    for k in range(close_idx, -1, -1):
        depth += tokens[k].nesting
        if depth == 0:
            return k
    return close_idx


def _set(tok: Token, ial: Attrs, alds: dict[str, Attrs]) -> None:
    apply_attrs(tok, ial, alds)
    if "\0refs" in ial:
        tok.meta = dict(tok.meta or {})
        tok.meta["kd_refs"] = refs_of(tok) + list(ial["\0refs"])


def ial_core(state: StateCore) -> None:
    """Attach each block IAL to the block right above it, else to the next block."""
    tokens = state.tokens
    if not any(t.type == "kd_ial" for t in tokens):
        return
    alds: dict[str, Attrs] = state.env.get("kd_alds", {})
    keep: list[Token] = []
    pending: list[Attrs] = []
    for i, tok in enumerate(tokens):
        if tok.type != "kd_ial":
            if pending and tok.nesting >= 0 and tok.block and tok.type != "inline":
                for ial in pending:
                    _set(tok, ial, alds)
                pending = []
            keep.append(tok)
            continue
        ial = tok.meta["attrs"]
        prev = i - 1
        if prev >= 0 and tokens[prev].level == tok.level and tokens[prev].type != "kd_ial":
            opener = tokens[_block_start(tokens, prev)]
            if opener.map and opener.map[1] == tok.map[0]:
                _set(opener, ial, alds)
                continue
        pending.append(ial)
    state.tokens = keep


_SPAN_TARGET = {"em_close": "em_open", "strong_close": "strong_open", "link_close": "link_open",
                "s_close": "s_open"}


def ial_span(state: StateInline, silent: bool) -> bool:
    """``*x*{: .c}``, ``[a](/u){: target="_blank"}``, `` `c`{: .c} ``: attrs on that span."""
    src, pos = state.src, state.pos
    if not src.startswith("{:", pos) or state.pending or not state.tokens:
        return False
    m = _SPAN_IAL.match(src, pos)
    if m is None:
        return False
    last = state.tokens[-1]
    target: Token | None = None
    if last.type in ("code_inline", "image", "math_inline", "html_inline"):
        target = last
    elif last.type in _SPAN_TARGET:
        depth = 0
        for k in range(len(state.tokens) - 1, -1, -1):
            depth += state.tokens[k].nesting
            if depth == 0:
                target = state.tokens[k]
                break
    if target is None:
        return False
    if not silent:
        _set(target, parse_attrs(m.group(1)), state.env.get("kd_alds", {}))
    state.pos = m.end()
    return True
