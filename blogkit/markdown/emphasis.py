"""kramdown's emphasis algorithm as a markdown-it inline rule.

Input: a StateInline positioned at ``*`` or ``_``. Output: ``em``/``strong`` tokens, or
nothing (the delimiter then stays text).

kramdown does not use CommonMark's flanking rules: it parses recursively. A delimiter opens
unless followed by whitespace (and ``_`` not after a letter); the element closes at the next
same delimiter, reached by the span scanner, that is not preceded by whitespace. That is why
``**MLOps（…）**のスキル`` is strong in kramdown but not in CommonMark (spec §12.4).
We mirror ``Kramdown::Parser::Kramdown#parse_emphasis``: a probe parse of the rest of the
paragraph runs in a fresh StateInline whose ``kd_stop`` tells this rule where to stop.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from markdown_it.rules_inline import StateInline

_ASCII_SPACE = frozenset(" \t\n\r\f\v")

# A probe that finds no closer has scanned to the end of the paragraph; a paragraph of many
# unclosed delimiters ("*a *a *a ...") would make that quadratic (3 KB took a second, 12 KB a
# minute). Each document gets this many characters of failed probing; past it, further
# delimiters stay text. Real posts use a tiny fraction of it (kramdown is quadratic here too).
PROBE_BUDGET = 400_000
_BUDGET_KEY = "kd_probe_budget"


def _alpha_before(src: str, pos: int) -> bool:
    """kramdown's ``pre_match =~ /[[:alpha:]]-?[[:alpha:]]*\\z/`` (``_`` after a letter)."""
    if pos >= 1 and src[pos - 1].isalpha():
        return True
    return pos >= 2 and src[pos - 1] == "-" and src[pos - 2].isalpha()


def _stack(state: StateInline) -> tuple[str, ...]:
    return getattr(state, "kd_stack", ())


def _is_stop(state: StateInline, pos: int) -> bool:
    """True when ``pos`` closes the element this probe state was started for."""
    stop = getattr(state, "kd_stop", None)
    if stop is None:
        return False
    delim, elem, content_start = stop
    src = state.src
    if not src.startswith(delim, pos):
        return False
    if pos <= content_start or src[pos - 1] in _ASCII_SPACE:
        return False
    # An em closer must not be the start of a ``**x`` (that is a nested strong).
    if elem == "em":
        two = delim * 2
        if src.startswith(two, pos) and not src.startswith(two + delim, pos):
            return False
    if delim[0] == "_":
        nxt = src[pos + len(delim): pos + len(delim) + 1]
        if nxt and nxt.isalnum():
            return False
    return True


# Probe work allowed per paragraph, in characters scanned per character of the paragraph;
# beyond it delimiters stay text (only pathological input gets there).
_BUDGET_FACTOR = 8
_CLOSER = {d: re.compile(r"(?<![ \t\n\r\f\v])" + re.escape(d)) for d in ("*", "**", "_", "__")}


def _probe(state: StateInline, start: int, delim: str, elem: str) -> StateInline | None:
    """Parse from ``start`` until the closing ``delim``; the finished state or None.

    kramdown's recursive descent can be exponential on unclosed delimiters, so: no probe
    when no candidate closer exists at all, failures are memoised per paragraph, and the
    number of probes is capped.
    """
    shared = getattr(state, "kd_shared", None)
    if shared is None:
        shared = {"fails": set(), "budget": _BUDGET_FACTOR * len(state.src) + 2000}
        state.kd_shared = shared  # type: ignore[attr-defined]
    cands = shared.get(delim)
    if cands is None:
        cands = shared[delim] = [m.start() for m in _CLOSER[delim].finditer(state.src)]
    k = bisect_right(cands, start)
    if k == len(cands) or cands[k] >= state.posMax:
        return None  # no candidate closer at all
    key = (start, delim, elem, _stack(state), state.posMax, state.linkLevel)
    if key in shared["fails"] or shared["budget"] <= 0:
        return None
    sub = StateInline(state.src, state.md, state.env, [])
    sub.kd_shared = shared  # type: ignore[attr-defined]
    sub.pos = start
    sub.posMax = state.posMax
    sub.level = state.level + 1
    sub.kd_stack = _stack(state) + (elem,)  # type: ignore[attr-defined]
    sub.kd_stop = (delim, elem, start)  # type: ignore[attr-defined]
    sub.kd_found = None  # type: ignore[attr-defined]
    sub.linkLevel = state.linkLevel
    state.md.inline.tokenize(sub)
    shared["budget"] -= (sub.kd_found if sub.kd_found is not None else sub.posMax) - start
    if sub.kd_found is None:  # type: ignore[attr-defined]
        shared["fails"].add(key)
        return None
    for rule in state.md.inline.ruler2.getRules(""):
        rule(sub)
    return sub


def kramdown_emphasis(state: StateInline, silent: bool) -> bool:
    pos = state.pos
    src = state.src
    ch = src[pos]
    if ch not in "*_":
        return False
    if _is_stop(state, pos):
        if not silent:
            state.kd_found = pos  # type: ignore[attr-defined]
            state.pos = state.posMax
        return not silent
    if silent:
        # Link labels are scanned in silent mode; treat delimiters as plain text there.
        return False
    run = 2 if src.startswith(ch * 2, pos) else 1
    delim = ch * run
    elem = "strong" if run == 2 else "em"
    after = src[pos + run: pos + run + 1]
    stack = _stack(state)
    if (
        (ch == "_" and _alpha_before(src, pos))
        or after == "" or after in _ASCII_SPACE
        or elem in stack
    ):
        state.pending += delim
        state.pos = pos + run
        return True
    env = state.env if isinstance(state.env, dict) else {}
    if env.get(_BUDGET_KEY, PROBE_BUDGET) <= 0:
        state.pending += delim
        state.pos = pos + run
        return True
    sub = _probe(state, pos + run, delim, elem)
    if sub is None:
        env[_BUDGET_KEY] = env.get(_BUDGET_KEY, PROBE_BUDGET) - (state.posMax - pos)
    if sub is None and elem == "strong" and (not stack or stack[-1] != "em"):
        # kramdown retries as em whose content starts with the second delimiter char:
        # ``**foo* x`` -> ``<em>*foo</em> x``.
        delim, elem = ch, "em"
        sub = _probe(state, pos + 1, delim, elem)
        if sub is None:
            env[_BUDGET_KEY] = env.get(_BUDGET_KEY, PROBE_BUDGET) - (state.posMax - pos)
    if sub is None:
        state.pending += src[pos: pos + run]
        state.pos = pos + run
        return True
    open_tok = state.push(f"{elem}_open", elem, 1)
    open_tok.markup = delim
    for tok in sub.tokens:
        state.tokens.append(tok)
        state.tokens_meta.append(None)
    close_tok = state.push(f"{elem}_close", elem, -1)
    close_tok.markup = delim
    state.pos = sub.kd_found + len(delim)  # type: ignore[attr-defined]
    return True
