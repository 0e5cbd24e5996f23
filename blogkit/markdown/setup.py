"""Build the one markdown-it instance configured like Jekyll's kramdown (spec §12.12).

Input: Jekyll's ``kramdown:`` option mapping. Output: a MarkdownIt whose rules and renderers
produce kramdown's HTML, and the per-render ``env`` carrying page-level options.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from .blocks import configure_blocks, wrap_footnote_def, wrap_footnote_ref
from .deflist import dd_paragraphs, install_deflist
from .emphasis import kramdown_emphasis
from .extensions import abbr_core, abbr_def, ext_block, ext_inline, render_toc, toc_core
from .ial import ial_block, ial_core, ial_span
from .html import close_span_html, wrap_html_inline
from .ids import heading_ids_rule
from .inline import (block_math, block_math_rule, codespan, dollar_math, guillemet, keep_title_backslashes,
                     make_escape, render_math_inline, table_cells_rule)
from .lists import lists_rule
from .render import install_renderers
from .typography import quotes_option, typography_rule


def _truthy(value: Any, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, str):
        return value.strip().lower() not in ("false", "no", "0", "off", "")
    return bool(value)


def _levels(value: Any) -> range | set[int]:
    """``toc_levels``: ``"2..3"``, ``[2, 3]`` or ``"2,3"``."""
    if value is None:
        return range(1, 7)
    if isinstance(value, str) and ".." in value:
        lo, hi = value.split("..", 1)
        return range(int(lo), int(hi) + 1)
    if isinstance(value, str):
        return {int(v) for v in value.split(",") if v.strip()}
    return {int(v) for v in value}


def parser_env(options: Mapping[str, Any]) -> dict[str, Any]:
    return {"kd_auto_ids": _truthy(options.get("auto_ids"), True),
            "kd_toc_levels": _levels(options.get("toc_levels")),
            "kd_quotes": quotes_option(options.get("smart_quotes")),
            "kd_id_prefix": str(options.get("auto_id_prefix") or "")}


def build_parser(options: Mapping[str, Any]) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "xhtmlOut": True, "linkify": False,
                                   "typographer": False,
                                   "breaks": _truthy(options.get("hard_wrap"), False)})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin, inline=False)
    # A footnote definition needs a blank line before it (it cannot end a paragraph).
    fn_rule = md.block.ruler.__rules__[md.block.ruler.__find__("footnote_def")]
    md.block.ruler.at("footnote_def", wrap_footnote_def(fn_rule.fn),
                      {"alt": ["paragraph", "reference"]})
    ref_rule = md.inline.ruler.__rules__[md.inline.ruler.__find__("footnote_ref")]
    md.inline.ruler.at("footnote_ref", wrap_footnote_ref(ref_rule.fn))
    # kramdown never percent-encodes, punycodes or filters URLs.
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.normalizeLinkText = lambda url: url  # type: ignore[method-assign]
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    configure_blocks(md)
    md.inline.ruler.at("emphasis", kramdown_emphasis)
    md.inline.ruler.at("backticks", codespan)
    rule = md.inline.ruler.__rules__[md.inline.ruler.__find__("html_inline")]
    md.inline.ruler.at("html_inline", wrap_html_inline(rule.fn))
    for name in ("link", "image"):
        rule = md.inline.ruler.__rules__[md.inline.ruler.__find__(name)]
        md.inline.ruler.at(name, keep_title_backslashes(rule.fn))
    md.inline.ruler.at("escape", make_escape(md.inline.ruler.__rules__[
        md.inline.ruler.__find__("escape")].fn))
    md.inline.ruler2.disable("emphasis")
    md.inline.ruler.before("html_inline", "kd_guillemet", guillemet)
    md.inline.ruler.before("escape", "kd_math", dollar_math)
    md.add_render_rule("math_inline", render_math_inline)
    md.core.ruler.before("text_join", "kd_typography", typography_rule)
    md.core.ruler.push("kd_heading_ids", heading_ids_rule)
    md.core.ruler.push("kd_lists", lists_rule)
    md.core.ruler.push("kd_block_math", block_math_rule)
    md.core.ruler.push("kd_table_cells", table_cells_rule)
    md.add_render_rule("kd_skip", lambda *a: "")
    # kramdown extensions: IAL/ALD, {::…}, abbreviations, {:toc}.
    md.block.ruler.before("paragraph", "kd_ial", ial_block, {"alt": ["paragraph"]})
    md.block.ruler.before("paragraph", "kd_ext", ext_block, {"alt": ["paragraph"]})
    md.block.ruler.before("paragraph", "kd_math", block_math, {"alt": []})
    md.block.ruler.before("reference", "kd_abbr", abbr_def, {"alt": ["paragraph"]})
    md.inline.ruler.before("linkify", "kd_span_ial", ial_span)
    md.inline.ruler.before("linkify", "kd_ext", ext_inline)
    md.core.ruler.after("block", "kd_ial", ial_core)
    md.core.ruler.after("kd_typography", "kd_abbr", abbr_core)
    md.core.ruler.push("kd_close_span_html", close_span_html)
    install_deflist(md)
    md.core.ruler.push("kd_dd_paragraphs", dd_paragraphs)
    md.core.ruler.after("kd_lists", "kd_toc", toc_core)
    md.add_render_rule("kd_toc", render_toc)
    install_renderers(md)
    return md
