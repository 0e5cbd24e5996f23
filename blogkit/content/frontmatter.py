"""Front matter: file text in, ``(meta, body, body_line)`` out.

Splitting uses python-frontmatter's YAML handler with Jekyll's boundary rule (the closing
``---`` or ``...`` also eats the blank lines after it, as Jekyll's regex does). YAML is loaded
with a SafeLoader that leaves timestamps as strings: PyYAML would turn
``2025-09-29 04:37:36 +0000`` into a naive UTC datetime and lose the offset, and Jekyll's own
date rules (spec §3) need the original text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import frontmatter
import yaml

from ..errors import BlogkitError, Location

# Jekyll: Utils.has_yaml_header? — the first line is exactly '---' plus optional spaces.
HEADER_RE = re.compile(r"\A---[ \t]*\r?\n")
# Jekyll's YAML_FRONT_MATTER_REGEX: \A(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?) (multiline).
FRONT_MATTER_RE = re.compile(r"\A(---[ \t]*\r?\n(?:.*?\r?\n)??)^((?:---|\.\.\.)\s*$\n?)", re.S | re.M)


class _JekyllYAMLHandler(frontmatter.YAMLHandler):  # type: ignore[misc]
    FM_BOUNDARY = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)

    def split(self, text: str) -> tuple[str, str]:
        match = FRONT_MATTER_RE.match(text)
        if match is None:
            raise ValueError("unterminated front matter")
        head = match.group(1)
        fm = head[head.index("\n") + 1:]
        return fm, text[match.end():]


# libyaml's parser when PyYAML has it (the wheels do): front matter is read for every post.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """SafeLoader without the timestamp resolver (see module docstring)."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

HANDLER = _JekyllYAMLHandler()


@dataclass(frozen=True, slots=True)
class Parsed:
    meta: dict[str, Any]
    body: str
    body_line: int          # 1-based line of the file where the body starts
    has_front_matter: bool
    key_lines: dict[str, int]  # 1-based line of each top-level key, for messages


def has_front_matter(head: bytes | str) -> bool:
    if isinstance(head, bytes):
        head = head[:8].decode("utf-8", "replace")
    return HEADER_RE.match(head.lstrip("\ufeff")) is not None


# YAML aliases share one object, so `[*a, *a, ...]` nine levels deep loads instantly yet stands for
# 9^9 values: everything that walks the data (hashing, Liquid, JSON-LD) would hang or run out of
# memory. Deep nesting overflows the recursion of the same walkers. Front matter and data files
# are checked against these bounds right after loading (counting every alias where it is used).
MAX_DEPTH = 64
MAX_VALUES = 200_000


def check_shape(data: Any, max_values: int = MAX_VALUES) -> str | None:
    """Why ``data`` is too deep, too big once aliases are expanded, or cyclic; None if it is fine."""
    count = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        count += 1
        if count > max_values:
            return (f"it expands to more than {max_values:,} values (YAML aliases repeating "
                    "aliases, or a structure that contains itself)")
        if depth > MAX_DEPTH:
            return f"it is nested more than {MAX_DEPTH} levels deep"
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
            stack.extend((k, depth + 1) for k in value if isinstance(k, tuple))
        elif isinstance(value, (list, tuple, set)):
            stack.extend((v, depth + 1) for v in value)
    return None


def load_yaml(text: str, path: str, first_line: int) -> dict[str, Any]:
    """Load a front-matter block; errors carry the file line (block line + offset)."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # An error found at the end of the block ("did not find expected ']'") is reported where
        # the unclosed construct started, which is the line the author has to fix.
        if exc.context_mark is not None and mark is not None and mark.index >= len(text.rstrip()):
            mark = exc.context_mark
        line = first_line + mark.line if mark else first_line
        problem = exc.problem or str(exc)
        raise BlogkitError(f"front matter is not valid YAML: {problem}", Location(path, line),
                           "fix the YAML; quote titles that contain ': ', '#', or start with '*', '&', '!', '[' or '{'",
                           code="bad-yaml") from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise BlogkitError(f"front matter is not valid YAML: {exc}", Location(path, first_line),
                           "fix the YAML syntax", code="bad-yaml") from None
    except Exception as exc:  # noqa: BLE001
        # PyYAML's constructors raise plain ValueError/TypeError/AttributeError… for an explicit
        # tag whose text does not fit it ('!!int x', '!!timestamp nope', '!!binary ?').
        raise BlogkitError(f"front matter is not valid YAML: a tagged value cannot be read ({exc})",
                           Location(path, first_line), "remove the '!!' tag or fix its value",
                           code="bad-yaml") from None
    if data is None:
        return {}
    shape = check_shape(data)
    if shape is not None:
        raise BlogkitError(f"front matter is too large: {shape}", Location(path, first_line),
                           "remove the repeated aliases or flatten the nesting", code="bad-yaml")
    if not isinstance(data, dict):
        raise BlogkitError("front matter must be a mapping of 'key: value' lines", Location(path, first_line),
                           "write each setting as 'key: value'", code="bad-yaml")
    return {str(k): v for k, v in data.items()}


def parse_front_matter(text: str, path: str) -> Parsed:
    """Split and parse one file. ``path`` is the site-relative path used in messages."""
    text = text.lstrip("\ufeff")
    if not HEADER_RE.match(text):
        return Parsed({}, text, 1, False, {})
    try:
        fm, body = HANDLER.split(text)
    except ValueError:
        raise BlogkitError("front matter is never closed", Location(path, 1),
                           "add a line with '---' after the front matter", code="bad-yaml") from None
    meta = load_yaml(fm, path, first_line=2)
    body_line = text.count("\n", 0, len(text) - len(body)) + 1
    return Parsed(meta, body, body_line, True, key_lines(fm, first_line=2))


def key_lines(fm: str, first_line: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for offset, line in enumerate(fm.splitlines()):
        if line and not line[0].isspace() and ":" in line and not line.startswith("#"):
            out.setdefault(line.split(":", 1)[0].strip().strip("'\""), first_line + offset)
    return out
