"""Jekyll's ``Utils.slugify`` (4.3.1) — pure function.

Input: any text (post slug, category, tag, filter input) and a mode.
Output: the slug string used in URLs (``:title``, ``:slug``, archive ``:name``) and by the
``slugify`` Liquid filter (spec §4.2).
"""
from __future__ import annotations

import re
from functools import lru_cache
import unicodedata

__all__ = ["slugify", "ruby_downcase", "MODES"]

MODES = ("raw", "default", "pretty", "ascii", "latin")

# Ruby's \p{M}\p{L}\p{Nd}: Python's \w is close but also keeps '_' and other number
# categories, so the class is spelled out by Unicode category instead.
_RAW = re.compile(r"\s+")
_ASCII = re.compile(r"[^A-Za-z0-9]+")
_PRETTY_EXTRA = frozenset("._~!$&'()+,;=@")


def ruby_downcase(text: str) -> str:
    """Ruby ``String#downcase``: full Unicode mapping but no final-sigma context rule
    (Python's ``lower`` writes 'ς' at word ends, Ruby always 'σ')."""
    return text.replace("\u03a3", "\u03c3").lower()


def _kept_default(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat[0] in ("L", "M") or cat == "Nd"


def _replace_runs(text: str, kept) -> str:  # type: ignore[no-untyped-def]
    out: list[str] = []
    in_run = False
    for ch in text:
        if kept(ch):
            out.append(ch)
            in_run = False
        elif not in_run:
            out.append("-")
            in_run = True
    return "".join(out)


# I18n.transliterate's table for Latin-1/Latin Extended-A letters that do not decompose
# into an ASCII base letter plus marks.
_LATIN_SPECIAL = {
    "Æ": "AE", "æ": "ae", "Ð": "D", "ð": "d", "Ø": "O", "ø": "o", "Þ": "Th", "þ": "th",
    "ß": "ss", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i", "Ĳ": "IJ", "ĳ": "ij",
    "ĸ": "k", "Ŀ": "L", "ŀ": "l", "Ł": "L", "ł": "l", "ŉ": "'n", "Ŋ": "NG", "ŋ": "ng",
    "Œ": "OE", "œ": "oe", "Ŧ": "T", "ŧ": "t", "×": "x",
}


def _transliterate(text: str) -> str:
    """ASCII approximations for accented Latin letters; every other non-ASCII char -> '?'."""
    out: list[str] = []
    for ch in text:
        if ch.isascii():
            out.append(ch)
        elif ch in _LATIN_SPECIAL:
            out.append(_LATIN_SPECIAL[ch])
        elif "\u00c0" <= ch <= "\u017f":
            base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
            out.append(base if base.isascii() and base else "?")
        else:
            out.append("?")
    return "".join(out)


def slugify(text: object, mode: str | None = "default", cased: bool = False) -> str:
    """Slug of ``text``; ``None`` gives "". Unknown modes (and "none") only lowercase.

    Non-string input is stringified (Jekyll itself raises on integers; a blog template
    passing a year should still work).
    """
    if text is None:
        return ""
    return _slugify(str(text), mode or "default", cased)


@lru_cache(maxsize=1 << 14)  # (pure; a post layout slugifies the same few tags on every page)
def _slugify(string: str, mode: str, cased: bool) -> str:
    if mode not in MODES:
        return string if cased else ruby_downcase(string)
    if mode == "latin":
        string = _transliterate(string)
    if mode == "raw":
        slug = _RAW.sub("-", string)
    elif mode == "ascii":
        slug = _ASCII.sub("-", string)
    elif mode == "pretty":
        slug = _replace_runs(string, lambda ch: ch in _PRETTY_EXTRA or _kept_default(ch))
    else:  # default, latin
        slug = _replace_runs(string, _kept_default)
    # Ruby's gsub(/^-|-$/) removes one hyphen at each end (runs are already single).
    if slug.startswith("-"):
        slug = slug[1:]
    if slug.endswith("-"):
        slug = slug[:-1]
    return slug if cased else ruby_downcase(slug)
