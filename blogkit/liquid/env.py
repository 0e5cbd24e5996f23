"""The python-liquid environment for one Jekyll build.

Input: the site's ``FilterContext`` (baseurl, url, zone, markdownify, smartify) and a
``SiteIndex`` for the tags. Output: ``JekyllEnvironment`` — Liquid with Jekyll's filters
(``blogkit.filters``, the same functions the Jinja theme uses), Jekyll's tags, Ruby-style
printing of values, no autoescaping (Liquid semantics), and parsed includes cached per file.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache, partial
from io import StringIO
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, TextIO

from liquid import Environment, Mode, Undefined, lex
from liquid.token import Token
from liquid.builtin.output import Output, OutputNode
from liquid.context import RenderContext
from liquid.exceptions import LiquidError, OutputStreamLimitError
from liquid.output import LimitedStringIO
from liquid.template import BoundTemplate

from ..errors import BlogkitError, Location
from ..filters import FilterContext, make_filters, ruby_inspect, ruby_to_s
from .tags import TAGS, SiteIndex


class _CharLimitedIO(LimitedStringIO):
    """The output limit counted in characters (at most 4 bytes each): python-liquid's
    LimitedStringIO encodes every write to UTF-8 only to count its bytes, which was a tenth of
    rendering a Liquid layout."""

    def write(self, text: str) -> int:
        if text:
            self.size += len(text)
            if self.size > self.limit:
                raise OutputStreamLimitError("output stream limit reached", token=None)
        return StringIO.write(self, text)


class _Context(RenderContext):
    def get_buffer(self, buf: TextIO | None = None) -> StringIO:
        carry = buf.size if isinstance(buf, LimitedStringIO) else 0
        return _CharLimitedIO(limit=self.env.output_stream_limit - carry)


class _Template(BoundTemplate):
    context_class = _Context

    def _get_buffer(self) -> StringIO:
        return _CharLimitedIO(limit=self.env.output_stream_limit)


def liquid_str(value: Any) -> str:
    """What Ruby Liquid prints for a value: Time as ``2024-03-01 09:05:00 +0900``, nil as ""."""
    if isinstance(value, str):
        return value
    if isinstance(value, Undefined):
        return str(value)
    if isinstance(value, Mapping):
        return ruby_inspect(dict(value))
    if isinstance(value, (list, tuple)):
        return "".join(liquid_str(v) for v in value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, range):
        return f"{value.start}..{value.stop - 1}"
    return ruby_to_s(value)


class RubyOutputNode(OutputNode):
    """``{{ … }}`` printing values the way Ruby does (python-liquid would print Python's str)."""

    __slots__ = ()

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        return buffer.write(liquid_str(self.expression.evaluate(context)))


class RubyOutput(Output):
    def parse(self, stream: Any) -> OutputNode:
        node = super().parse(stream)
        return RubyOutputNode(node.token, node.expression)


@lru_cache(maxsize=8)
def _fixed_lexer(*delimiters: str) -> Callable[[str], Iterator[Token]]:
    rules = lex.compile_liquid_rules(*delimiters)
    fixed = rules.pattern.replace("(?P<rstrip>-?))|$)", "(?P<rstrip>-?))|\\Z)")
    tokenize = getattr(lex, "_tokenize_template", None)
    if fixed == rules.pattern or tokenize is None:  # another python-liquid: its own lexer
        return lex.get_lexer(*delimiters)
    return partial(tokenize, rules=re.compile(fixed, rules.flags))


class JekyllEnvironment(Environment):
    """Liquid as Jekyll 4.3 configures it: lax about unknown variables and filters."""

    # A post is untrusted input: `{% for i in (1..999999999) %}` must end in an error naming the
    # file, not a hang, and `append` in a loop must not eat the machine's memory. Far above what
    # any real template does (a 5,000-post archive loops 5,000 times per page).
    loop_iteration_limit = 2_000_000
    output_stream_limit = 64 * 1024 * 1024   # characters (_CharLimitedIO)
    template_class = _Template
    local_namespace_limit = 16 * 1024 * 1024

    def __init__(self, filter_ctx: FilterContext, index: SiteIndex) -> None:
        # strict_filters=False: Jekyll's default Liquid options ignore an unknown filter.
        super().__init__(tolerance=Mode.STRICT, strict_filters=False, autoescape=False)
        self.site_index = index
        self._includes: dict[Path, BoundTemplate] = {}
        # id(source text) -> (shown path, line offset): errors carry the token's source text,
        # so an error inside an include or layout is reported against that file.
        self.sources: dict[int, tuple[str, int]] = {}
        self.seo_shared: dict[str, str | None] = {}  # {% seo %}: the site's strings, formatted once
        self.add_tag(RubyOutput)
        for tag in TAGS:
            self.add_tag(tag)
        # Jekyll's own filters (and its `date`, which converts to the site zone) win over
        # python-liquid's built-ins of the same name, as they do in Jekyll.
        self.filters.update(make_filters(filter_ctx))
        self.filters["truncate"] = truncate


    def tokenizer(self) -> Callable[[str], Iterator[Token]]:
        """python-liquid's lexer, with its text rule ending at ``\\Z`` instead of ``$``.

        ``$`` also matches before a final newline, which splits a template's last text in two;
        after a ``-%}`` the whitespace strip then applied to both parts and ate that newline
        (``{%- include head.html -%}`` lost the newline after ``</head>``: minima's pages).
        Ruby Liquid strips only the whitespace right after the tag.
        """
        return _fixed_lexer(self.tag_start_string, self.tag_end_string, self.statement_start_string,
                            self.statement_end_string, self.comment_start_string, self.comment_end_string)

    def include_template(self, path: Path) -> BoundTemplate:
        """An ``_includes`` (or include_relative) file, parsed once per build."""
        found = self._includes.get(path)
        if found is None:
            name = _shown(path, self.site_index.source)
            text = path.read_text(encoding="utf-8")
            self.sources[id(text)] = (name, 0)
            try:
                found = self.from_string(text, name=name)
            except LiquidError as exc:  # a syntax error belongs to the include, not its caller
                raise self.located(exc, name, 0) from None
            self._includes[path] = found
        return found

    def located(self, exc: LiquidError, shown: str, offset: int) -> BlogkitError:
        """A Liquid error as ``file:line``: the file whose text holds the failing token."""
        line = None
        token = exc.token
        if token is not None and token.start_index >= 0:
            shown, offset = self.sources.get(id(token.source), (shown, offset))
            line = token.source.count("\n", 0, token.start_index) + 1 + offset
        return BlogkitError(f"Liquid error: {exc.message}", Location(shown, line),
                            "fix the Liquid tag or output on that line", code="liquid")


def truncate(value: Any, length: Any = 50, ellipsis: Any = "...") -> str | None:
    """Liquid 5.4's truncate: python-liquid 2.3 shortens a string exactly ``length`` long."""
    if value is None:
        return None
    text, tail = liquid_str(value), liquid_str(ellipsis)
    size = int(length)
    return text if len(text) <= size else text[:max(size - len(tail), 0)] + tail


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            return path.as_posix()
