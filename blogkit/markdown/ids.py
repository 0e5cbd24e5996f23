"""Heading ids as kramdown's GFM parser makes them (spec §12.1).

Input: the token stream after inline parsing and typography. Output: ``id`` attributes on
``heading_open`` tokens, the ``{#id}`` suffix removed, and the list of headings for a table of
contents (``env["kd_headings"]``).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

# kramdown HEADER_ID: `[\t ]{#id}` at the very end of the heading text.
_HEADER_ID = re.compile(r"[\t ]\{#([A-Za-z][\w:-]*)\}\Z", re.A)
_WORD_CATS = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "Pc"})


@lru_cache(maxsize=8192)
def _keep(ch: str) -> bool:
    """Onigmo's Unicode \\w plus '-', space and tab (circled/squared Latin letters count)."""
    if ch in "- \t":
        return True
    if ch.isascii():
        return ch.isalnum() or ch == "_"
    o = ord(ch)
    if 0x24B6 <= o <= 0x24E9 or 0x1F130 <= o <= 0x1F189:
        return True
    return unicodedata.category(ch) in _WORD_CATS


def slug(text: str) -> str:
    """The GFM id of a heading's text, before de-duplication."""
    # Lowercase per character: str.lower() would apply the final-sigma rule, Ruby does not.
    low = "".join(c.lower() for c in text) if not text.isascii() else text.lower()
    kept = "".join(c for c in low if _keep(c))
    return kept.replace(" ", "-").replace("\t", "-")


_BASIC_LEAD = re.compile(r"^[^a-zA-Z]+")
_BASIC_DROP = re.compile(r"[^a-zA-Z0-9 -]")


def basic_slug(text: str) -> str:
    """kramdown's own generator (used inside ``markdown="1"`` HTML): ASCII only."""
    out = _BASIC_DROP.sub("", _BASIC_LEAD.sub("", text)).replace(" ", "-").lower()
    return out or "section"


def plain_text(children: list[Token]) -> str:
    """The text kramdown's id generator sees: text, code, math; not URLs/images/footnotes."""
    parts: list[str] = []
    for tok in children:
        t = tok.type
        if t in ("text", "text_special", "code_inline", "math_inline"):
            parts.append(tok.content)
        elif t in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def strip_header_id(inline: Token) -> str | None:
    """Remove a trailing `` {#id}`` from a heading's inline tokens; return the id."""
    kids = inline.children or []
    if not kids or kids[-1].type != "text":
        return None
    m = _HEADER_ID.search(kids[-1].content)
    if m is None:
        return None
    kids[-1].content = kids[-1].content[: m.start()]
    if not kids[-1].content:
        kids.pop()
    inline.content = inline.content[: len(inline.content) - len(m.group(0))].rstrip()
    return m.group(1)


def heading_ids_rule(state: StateCore) -> None:
    env = state.env
    auto = env.get("kd_auto_ids", True)
    counts: dict[str, int] = {}
    basic_counts: dict[str, int] = {}
    found: list[tuple[int, str, str]] = []
    tokens = state.tokens
    for i, tok in enumerate(tokens):
        if tok.type != "heading_open":
            continue
        inline = tokens[i + 1]
        meta = tok.meta or {}
        # ATX ids were taken from the raw line already; setext ones are found here.
        explicit = meta.get("kd_id") if meta.get("kd_atx") else strip_header_id(inline)
        text = plain_text(inline.children or [])
        level = int(tok.tag[1])
        if explicit is not None:
            ident = explicit
        elif auto and tok.attrGet("id") is None and (tok.meta or {}).get("kd_basic_id"):
            base = basic_slug(text)
            n = basic_counts.get(base, -1) + 1
            basic_counts[base] = n
            ident = base if n == 0 else f"{base}-{n}"
        elif auto and tok.attrGet("id") is None:
            base = slug(text)
            n = counts.get(base, 0)
            counts[base] = n + 1
            ident = base if n == 0 else f"{base}-{n}"
        else:
            ident = str(tok.attrGet("id") or "")
        if ident and explicit is None and tok.attrGet("id") is None:
            ident = env.get("kd_id_prefix", "") + ident
        if ident:
            tok.attrSet("id", ident)
        found.append((level, ident, text))
    env["kd_headings"] = found
