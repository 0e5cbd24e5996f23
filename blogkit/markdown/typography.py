"""kramdown typography: smart quotes and typographic symbols (spec §12.2).

Input: a run of plain text plus its context (the character before it in the same run, if
any, and a short stand-in for what follows). Output: the text with ‘ ’ “ ” – — … « ».
Also the core rule that applies it to markdown-it text tokens, and Jekyll's ``smartify``.

The quote rules are kramdown's ``SQ_RULES`` (parser/kramdown/smart_quotes.rb) tried in
order; kramdown's quote scanner starts one character *before* the quote when that
character belongs to the same text run, which is what makes ``は"最高"`` close (``”``).
Ruby's ``\\s``/``\\d``/``\\w``/``\\b`` are ASCII-only, hence ``re.ASCII``.
"""
from __future__ import annotations

import re
from html import unescape as html_unescape

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

LSQUO, RSQUO, LDQUO, RDQUO = "\u2018", "\u2019", "\u201c", "\u201d"
# kramdown TYPOGRAPHIC_SYMS: `<< ` and ` >>` take a no-break space (laquo_space/raquo_space).
_SYMS = {"---": "\u2014", "--": "\u2013", "...": "\u2026", "<< ": "\u00ab\u00a0",
         " >>": "\u00a0\u00bb", "<<": "\u00ab", ">>": "\u00bb"}
_TRIGGER = re.compile(r"""['"]|---?|\.\.\.|<< | >>|<<|>>""")

_S = r"[ \t\n\r\f\v]"
_PUNCT = r"""[!"#$%'()*+,\-./:;<=>?@\[\\\]^_`{|}~]"""
_CLOSE = r"[^ \\\t\r\n\[{(-]"
DEFAULT_QUOTES = (LSQUO, RSQUO, LDQUO, RDQUO)
# kramdown's `smart_quotes` option names entities; these are the ones it knows as characters.
_ENTITY_CHARS = {"lsquo": LSQUO, "rsquo": RSQUO, "ldquo": LDQUO, "rdquo": RDQUO, "apos": "'",
                 "quot": '"', "laquo": "\u00ab", "raquo": "\u00bb", "sbquo": "\u201a",
                 "bdquo": "\u201e", "lsaquo": "\u2039", "rsaquo": "\u203a"}


def quotes_option(value: object) -> tuple[str, str, str, str]:
    """Jekyll's ``kramdown.smart_quotes`` (``"lsquo,rsquo,ldquo,rdquo"``) as characters."""
    if not value:
        return DEFAULT_QUOTES
    names = [v.strip() for v in (value.split(",") if isinstance(value, str) else value)]
    if len(names) != 4:
        return DEFAULT_QUOTES
    chars = []
    for n in names:
        n = str(n)
        if n in _ENTITY_CHARS:
            chars.append(_ENTITY_CHARS[n])
        elif n.startswith("#") and n[1:].isdigit():
            chars.append(chr(int(n[1:])))
        else:
            chars.append(n)
    return (chars[0], chars[1], chars[2], chars[3])

# Rules that need the quote itself at the match start (no usable previous character).
_R1 = re.compile(r"""["'](?=[_*]{1,2}[^ \t\n\r\f\v])""", re.A)
_R2 = re.compile(r"""["'](?=""" + _PUNCT + r"""(?!\.\.)\B)""", re.A)
_R8 = re.compile(r"""["'](?=""" + _S + r"""|s\b|\n|\Z)""", re.A)
_PAIR = re.compile(r"""("'|'")(?=\w)""", re.A)
_DECADE = re.compile(r"'(?=[0-9][0-9]s)", re.A)
_WORD_AFTER = re.compile(r"\w", re.A)
_SPACE = frozenset(" \t\n\r\f\v")
_CLOSE_P = re.compile(_CLOSE)


def _quote(buf: str, i: int, prev: str | None,
           qs: tuple[str, str, str, str]) -> tuple[str, int]:
    """Replacement for the quote at ``buf[i]`` and how many characters it consumed."""
    q = buf[i]
    open_q = qs[2] if q == '"' else qs[0]
    close_q = qs[3] if q == '"' else qs[1]
    pair_dq_sq = qs[2] + qs[0]
    pair_sq_dq = qs[0] + qs[2]
    if prev is None:
        if _R1.match(buf, i):
            return open_q, 1
        if _R2.match(buf, i):
            return close_q, 1
        m = _PAIR.match(buf, i)
        if m:
            return (pair_dq_sq if m.group(1) == "\"'" else pair_sq_dq), 2
        if _DECADE.match(buf, i):
            return qs[1], 1
        if _R8.match(buf, i):
            return close_q, 1
        return open_q, 1
    if prev in _SPACE:
        m = _PAIR.match(buf, i)
        if m:
            return (pair_dq_sq if m.group(1) == "\"'" else pair_sq_dq), 2
        if _DECADE.match(buf, i):
            return qs[1], 1
        return open_q, 1  # rule 6 `(\s)(quote)(?=\w)` or the final catch-all: opening
    if _CLOSE_P.match(prev):
        return close_q, 1
    return open_q, 1


def smarten(text: str, prev: str | None = None, follow: str = "",
            quotes: tuple[str, str, str, str] = DEFAULT_QUOTES) -> str:
    """Apply kramdown typography to one run of plain text.

    ``prev``: the character just before ``text`` in the same kramdown text run (e.g. the
    ``\\n`` of a soft break), else None. ``follow``: what comes after (for look-ahead).
    """
    if not _TRIGGER.search(text):
        return text
    buf = text + follow
    out: list[str] = []
    last = 0  # end of the previous replacement: characters before it are consumed
    pos = 0
    n = len(text)
    while pos < n:
        m = _TRIGGER.search(buf, pos, n)
        if m is None:
            break
        i = m.start()
        tok = m.group()
        out.append(text[last:i])
        if tok in ("'", '"'):
            p = buf[i - 1] if i > last else (prev if i == 0 else None)
            if p == "\\":
                p = None
            rep, used = _quote(buf, i, p, quotes)
        else:
            rep, used = _SYMS[tok], len(tok)
        out.append(rep)
        pos = last = i + used
    out.append(text[last:])
    return "".join(out)


def _follow(tok: Token | None) -> str:
    """A short stand-in for what the next inline token looks like in the source."""
    if tok is None:
        return ""
    t = tok.type
    if t in ("softbreak", "hardbreak"):
        return "\n"
    if t in ("text", "text_special", "html_inline"):
        return tok.content[:4]
    if t in ("em_open", "strong_open", "s_open"):
        return (tok.markup or "*") + "x"
    if t == "code_inline":
        return "`"
    if t in ("link_open", "footnote_ref"):
        return "["
    if t == "image":
        return "!"
    return "x"


def smarten_children(children: list[Token],
                     quotes: tuple[str, str, str, str] = DEFAULT_QUOTES) -> None:
    """Typography over one inline token's children, in place (text tokens only)."""
    search = _TRIGGER.search  # (most text has nothing to change: test that before the context)
    prev_tok: Token | None = None
    for idx, tok in enumerate(children):
        if tok.type == "text" and tok.content and search(tok.content):
            prev = "\n" if prev_tok is not None and prev_tok.type == "softbreak" else None
            nxt = children[idx + 1] if idx + 1 < len(children) else None
            tok.content = smarten(tok.content, prev, _follow(nxt), quotes)
        prev_tok = tok


def typography_rule(state: StateCore) -> None:
    quotes = state.env.get("kd_quotes", DEFAULT_QUOTES)
    for tok in state.tokens:
        if tok.type == "inline" and tok.children:
            smarten_children(tok.children, quotes)


# A span tag (not the `<a>` inside `<<a>>`, which is typography) or a comment.
_TAG = re.compile(r"((?<!<)<(?:/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?|!--[\s\S]*?--)>(?!>))")
_ENTITY = re.compile(r"(&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)")


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def smartify(text: str) -> str:
    """Jekyll's ``smartify`` filter (kramdown's SmartyPants parser, entities as characters).

    Tags pass through; entities print as characters (``&amp; &lt; &gt;`` stay escaped) and end
    a typography run; text gets quotes/dashes and ``& < >`` escaped.
    """
    out: list[str] = []
    for k, part in enumerate(_TAG.split(text or "")):
        if k % 2:
            out.append(part)
            continue
        for j, piece in enumerate(_ENTITY.split(part)):
            if j % 2:
                out.append(_esc(html_unescape(piece)))
            elif piece:
                out.append(_esc(smarten(piece, quotes=DEFAULT_QUOTES)))
    return "".join(out)
