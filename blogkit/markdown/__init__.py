"""The Markdown stage: Markdown text in, kramdown-equal HTML (as Jekyll 4.3 makes it) out.

Public API: ``make_markdown(options) -> Markdown``; ``Markdown.render(text) -> Rendered``;
``smartify``; ``highlight_css``. See tests/test_markdown*.py for the behaviour pinned down.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt

from .code import highlight_css
from .layout import source_lines
from .setup import build_parser, parser_env
from .typography import smartify

__all__ = ["make_markdown", "Markdown", "Rendered", "Heading", "smartify", "highlight_css"]


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    id: str  # "" when kramdown prints no id (e.g. an emoji-only heading)
    text: str


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    headings: tuple[Heading, ...]


class Markdown:
    """A configured renderer; build once per process, call ``render`` per post."""

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        self.options: dict[str, Any] = dict(options or {})
        self._md: MarkdownIt = build_parser(self.options)

    def render(self, text: str) -> Rendered:
        env = parser_env(self.options)
        env["kd_lines"] = source_lines(text)  # for kramdown's blank lines (layout.py)
        # kramdown turns an empty or blank text into one newline (a layout's `{{ content }}` of
        # an empty index.md shows it); markdown-it gives nothing.
        html = self._md.render(text, env) or "\n"
        heads = tuple(Heading(lvl, ident, txt) for lvl, ident, txt in env.get("kd_headings", ()))
        return Rendered(html=html, headings=heads)


def make_markdown(options: Mapping[str, Any] | None = None) -> Markdown:
    """``options``: Jekyll's ``kramdown:`` mapping; unknown keys are ignored."""
    return Markdown(options)
