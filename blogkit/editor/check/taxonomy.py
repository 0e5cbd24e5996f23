"""Site-wide checks: documents in, problems out.

* two sources that would write the same output file (same URL);
* categories or tags that differ only in case or width (``AI``/``ai``, ``ＡＩ``/``AI``) or look like
  the same name (``Open AI``/``OpenAI``): they become separate archive pages;
* categories not in ``categories_allowed`` when the site config gives that list.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from typing import Iterable, Sequence

from ...content.model import Document, StaticFile
from ...errors import Location, Problem, Severity

_SEPARATORS = re.compile(r"[\s\-_・·.]+")


def term_key(term: str) -> str:
    """The identity two spellings share when they look like one name."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", term).casefold())


def _difference(a: str, b: str) -> str:
    if a.casefold() == b.casefold():
        return "differs only in case from"
    if unicodedata.normalize("NFKC", a) == unicodedata.normalize("NFKC", b):
        return "differs only in width from"
    if unicodedata.normalize("NFKC", a).casefold() == unicodedata.normalize("NFKC", b).casefold():
        return "differs only in case and width from"
    return "looks like the same name as"


def check_terms(docs: Sequence[Document], attr: str) -> list[Problem]:
    """One warning per minority spelling, at the first document that uses it."""
    key_name = attr  # "categories" or "tags"
    singular = {"categories": "category", "tags": "tag"}[attr]
    uses: Counter[str] = Counter()
    first: dict[str, Document] = {}
    for doc in docs:
        if not doc.is_post:
            continue
        for term in dict.fromkeys(getattr(doc, attr)):
            uses[term] += 1
            first.setdefault(term, doc)
    groups: dict[str, list[str]] = {}
    for term in uses:
        groups.setdefault(term_key(term), []).append(term)
    out: list[Problem] = []
    for spellings in groups.values():
        if len(spellings) < 2:
            continue
        # the most used spelling wins; on a tie, the one seen first
        main = max(spellings, key=lambda t: (uses[t], -spellings.index(t)))
        for other in spellings:
            if other == main:
                continue
            doc = first[other]
            line = doc.key_lines.get(key_name) or doc.key_lines.get(singular) or 1
            out.append(Problem(
                f"{singular} '{other}' {_difference(other, main)} '{main}' "
                f"({uses[other]} vs {uses[main]} posts); they become separate {attr}",
                Location(doc.rel_path, line), f"write '{main}' in every post", Severity.WARNING,
                f"{singular}-variant"))
    return out


def check_allowed_categories(docs: Iterable[Document], allowed: Sequence[str]) -> list[Problem]:
    allowed_set = {str(a) for a in allowed}
    out = []
    for doc in docs:
        if not doc.is_post:
            continue
        for cat in doc.categories:
            if cat in allowed_set:
                continue
            close = difflib.get_close_matches(cat, sorted(allowed_set), n=1, cutoff=0.5)
            hint = f"did you mean '{close[0]}'?" if close else "use a category listed in categories_allowed"
            line = doc.key_lines.get("categories") or doc.key_lines.get("category") or 1
            out.append(Problem(f"category '{cat}' is not in categories_allowed", Location(doc.rel_path, line),
                               hint + " (or add it to categories_allowed in the site config)",
                               Severity.ERROR, "category-not-allowed"))
    return out


def check_same_url(docs: Sequence[Document], statics: Sequence[StaticFile]) -> list[Problem]:
    """Posts (not drafts), pages and static files that would write one output file."""
    seen: dict[str, str] = {}
    out = []
    for sf in statics:
        seen.setdefault(str(sf.dest), sf.rel_path)
    for doc in docs:
        if doc.kind == "draft":
            continue
        dest = str(doc.dest)
        other = seen.get(dest)
        if other is None:
            seen[dest] = doc.rel_path
            continue
        line = doc.key_lines.get("permalink") or doc.key_lines.get("slug") or 1
        out.append(Problem(f"writes the same URL {doc.url} as '{other}'", Location(doc.rel_path, line),
                           "give one of them another slug or permalink", Severity.ERROR, "same-url"))
    return out
