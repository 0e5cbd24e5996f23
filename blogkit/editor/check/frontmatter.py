"""Front-matter checks: documents in, problems out.

Finds unknown (probably mistyped) keys, values of the wrong type, missing required fields,
future dates and a ``reading_time`` that is not a positive number. Bad YAML and unparseable
dates are found earlier by the core reader (``read_document``) and reported with their lines.
"""
from __future__ import annotations

import difflib
import math
from datetime import datetime
from typing import Any, Iterable, Mapping

from ...content.model import Document
from ...errors import Location, Problem, Severity

# Jekyll's own keys, the keys of common Jekyll plugins and themes, the seeds' keys and blogkit's.
KNOWN_FRONT_MATTER_KEYS = frozenset({
    "layout", "permalink", "published", "date", "category", "categories", "tag", "tags", "title",
    "excerpt", "excerpt_separator", "slug", "lang", "render_with_liquid", "sitemap", "description",
    "image", "author", "authors", "last_modified_at", "redirect_from", "redirect_to", "canonical_url",
    "comments", "toc", "math", "mathjax", "pinned", "hidden", "seo", "keywords", "subtitle", "summary",
    "reading_time", "updated", "modified", "series", "cover", "og_image", "noindex", "nav_order",
    "feature", "featured", "draft", "locale", "pagination", "paginate", "search", "related",
})

DEFAULT_REQUIRED = ("title", "date", "categories")

# key -> (accepted types, what to write instead)
_TYPES: dict[str, tuple[tuple[type, ...], str]] = {
    "title": ((str, int, float), "write the title as text, quoted if it contains ': ' or starts with a symbol"),
    "layout": ((str,), "name a layout, e.g. layout: post"),
    "permalink": ((str,), "write the permalink as text, e.g. /:year/:month/:title/"),
    "published": ((bool,), "use published: true or published: false"),
    "categories": ((str, list), "write a list, e.g. categories: [\"業界分析\"]"),
    "tags": ((str, list), "write a list, e.g. tags: [\"AI\", \"NVIDIA\"]"),
    "category": ((str, int, float), "write one category as text"),
    "tag": ((str, int, float), "write one tag as text"),
    "excerpt": ((str,), "write the excerpt as quoted text"),
    "slug": ((str, int), "write the slug as text"),
    "author": ((str, dict), "write the author's name as text"),
}


def check_front_matter(docs: Iterable[Document], now: datetime, known_extra: Iterable[str] = (),
                       required: Iterable[str] = DEFAULT_REQUIRED) -> list[Problem]:
    known = KNOWN_FRONT_MATTER_KEYS | set(known_extra)
    required = tuple(required)
    out: list[Problem] = []
    for doc in docs:
        out.extend(_keys(doc, known))
        out.extend(_types(doc))
        if doc.is_post:
            out.extend(_required(doc, required))
            out.extend(_future(doc, now))
        out.extend(_reading_time(doc))
    return out


def _where(doc: Document, key: str | None = None) -> Location:
    line = doc.key_lines.get(key) if key else None
    return Location(doc.rel_path, line if line is not None else 1)


def _keys(doc: Document, known: frozenset[str] | set[str]) -> list[Problem]:
    out = []
    for key in doc.key_lines:
        if key in known:
            continue
        close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.75)
        hint = (f"did you mean '{close[0]}'?" if close else
                "remove it, or list it under check: {known_keys: [...]} in the site config if templates use it")
        out.append(Problem(f"unknown front-matter key '{key}'", _where(doc, key), hint,
                           Severity.WARNING, "unknown-key"))
    return out


def _types(doc: Document) -> list[Problem]:
    out = []
    for key, (types, hint) in _TYPES.items():
        if key not in doc.key_lines or doc.data.get(key) is None:
            continue
        value = doc.data[key]
        bad = isinstance(value, bool) and bool not in types or not isinstance(value, types)
        if not bad and isinstance(value, list):
            bad = any(isinstance(v, (list, dict)) for v in value)
        if bad:
            out.append(Problem(f"'{key}' has the wrong type ({_type_name(value)})", _where(doc, key), hint,
                               Severity.ERROR, "bad-type"))
    if isinstance(doc.data.get("excerpt"), str) and not doc.data["excerpt"].strip() and "excerpt" in doc.key_lines:
        out.append(Problem("'excerpt' is empty", _where(doc, "excerpt"),
                           "write a one-sentence summary (it is shown in lists and feeds)", Severity.WARNING,
                           "empty-excerpt"))
    return out


def _type_name(value: Any) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false", int: "a number",
            float: "a number", str: "text"}.get(type(value), type(value).__name__)


def _required(doc: Document, required: tuple[str, ...]) -> list[Problem]:
    out = []
    for key in required:
        value = doc.data.get(key)
        if value is None or value == "" or value == []:
            out.append(Problem(f"required front-matter field '{key}' is missing or empty", _where(doc, key),
                               f"add '{key}:' to the front matter (required by new_post.required in the site config)",
                               Severity.ERROR, "missing-field"))
    return out


def _future(doc: Document, now: datetime) -> list[Problem]:
    if doc.kind != "post" or doc.date is None or doc.date.replace(microsecond=0) <= now.replace(microsecond=0):
        return []
    return [Problem(f"date {doc.date.isoformat()} is in the future; the post is not built until then",
                    _where(doc, "date"), "fix the date, or build with --future to publish it now",
                    Severity.WARNING, "future-date")]


def _reading_time(doc: Document) -> list[Problem]:
    if "reading_time" not in doc.data:
        return []
    value = doc.data["reading_time"]
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value > 0
    if ok:
        return []
    return [Problem(f"reading_time {value!r} is not a positive number of minutes", _where(doc, "reading_time"),
                    "write a number like reading_time: 8, or remove the key to have it computed",
                    Severity.ERROR, "bad-reading-time")]


def required_fields(new_post: Mapping[str, Any] | None) -> tuple[str, ...]:
    if isinstance(new_post, Mapping) and isinstance(new_post.get("required"), list):
        return tuple(str(k) for k in new_post["required"])
    return DEFAULT_REQUIRED
