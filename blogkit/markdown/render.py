"""Render rules that print kramdown's HTML for markdown-it tokens.

Input: tokens. Output: HTML strings as kramdown's HTML converter writes them (text escapes
only ``& < >``, Rouge code wrappers, table alignment styles, kramdown footnotes).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .code import code_block, code_span
from .html import kramdown_start_tag
from .layout import lay_out

NBSP = "\u00a0"
BACKLINK = "&#8617;"


def esc_text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def esc_attr(s: str) -> str:
    return esc_text(s).replace('"', "&quot;")


def _attrs(tok: Token) -> str:
    return "".join(f' {k}="{esc_attr(str(v))}"' for k, v in (tok.attrs or {}).items())


Rule = Any  # (self, tokens, idx, options, env) -> str


def _text(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return esc_text(tokens[idx].content)


def _code_inline(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    tok = tokens[idx]
    return code_span(tok.content, str(tok.attrGet("class") or ""))


def _fence(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    tok = tokens[idx]
    lang = tok.info.strip() or None
    return code_block(tok.content, lang, str(tok.attrGet("class") or ""))


def _code_block(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    tok = tokens[idx]
    return code_block(tok.content, None, str(tok.attrGet("class") or ""))


def _image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    tok = tokens[idx]
    out = f'<img src="{esc_attr(str(tok.attrGet("src") or ""))}" alt="{esc_attr(tok.content)}"'
    title = tok.attrGet("title")
    if title:
        out += f' title="{esc_attr(str(title))}"'
    for k, v in (tok.attrs or {}).items():
        if k not in ("src", "alt", "title"):
            out += f' {k}="{esc_attr(str(v))}"'
    return out + " />"


def _cell_open(tag: str) -> Rule:
    def render(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        tok = tokens[idx]
        return f"<{tag}{_attrs(tok)}>"
    return render


def _fn_label(tok: Token) -> str:
    label = tok.meta.get("label")
    return str(label) if label is not None else str(tok.meta["id"] + 1)


def _fn_ref(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    tok = tokens[idx]
    label = _fn_label(tok)
    sub = tok.meta.get("subId", 0)
    ref_id = f"fnref:{label}" + (f":{sub}" if sub else "")
    n = tok.meta["id"] + 1
    return (f'<sup id="{esc_attr(ref_id)}" role="doc-noteref"><a href="#fn:{esc_attr(label)}" '
            f'class="footnote" rel="footnote">{n}</a></sup>')


def _fn_block_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return '<div class="footnotes" role="doc-endnotes">\n  <ol>\n'


def _fn_block_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return "  </ol>\n</div>\n"


def _fn_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return f'    <li id="fn:{esc_attr(_fn_label(tokens[idx]))}" role="doc-endnote">\n'


def _fn_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return "    </li>\n"


def _fn_anchor(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    tok = tokens[idx]
    label = _fn_label(tok)
    sub = tok.meta.get("subId", 0)
    href = f"#fnref:{label}" + (f":{sub}" if sub else "")
    extra = f"<sup>{sub + 1}</sup>" if sub else ""
    link = (f'{NBSP}<a href="{esc_attr(href)}" class="reversefootnote" '
            f'role="doc-backlink">{BACKLINK}{extra}</a>')
    # kramdown puts the backlink in the last paragraph, or a new one after another block.
    if idx > 0 and tokens[idx - 1].type in ("paragraph_close", "footnote_anchor", "inline"):
        return link
    return f"<p>{link.removeprefix(NBSP)}</p>\n"  # a paragraph of its own: no space before it


def _html_inline(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return kramdown_start_tag(tokens[idx].content)


def install_layout(md: MarkdownIt) -> None:
    """Render through layout.lay_out: kramdown's indentation and kept blank lines. The source
    lines come in ``env["kd_lines"]`` (Markdown.render puts them there)."""
    renderer = md.renderer

    def render(tokens: Sequence[Token], options: Any, env: Any) -> str:
        def one(i: int) -> str:
            tok = tokens[i]
            if tok.type == "inline":
                return renderer.renderInline(tok.children, options, env) if tok.children else ""
            if tok.type in renderer.rules:
                return str(renderer.rules[tok.type](tokens, i, options, env))
            return str(renderer.renderToken(tokens, i, options, env))
        return lay_out(tokens, one, (env or {}).get("kd_lines") or [])

    renderer.render = render  # type: ignore[method-assign]


def install_renderers(md: MarkdownIt) -> None:
    md.add_render_rule("text", _text)
    md.add_render_rule("code_inline", _code_inline)
    md.add_render_rule("fence", _fence)
    md.add_render_rule("code_block", _code_block)
    md.add_render_rule("image", _image)
    md.add_render_rule("s_open", lambda *a: "<del>")
    md.add_render_rule("s_close", lambda *a: "</del>")
    md.add_render_rule("th_open", _cell_open("th"))
    md.add_render_rule("td_open", _cell_open("td"))
    md.add_render_rule("footnote_ref", _fn_ref)
    md.add_render_rule("footnote_block_open", _fn_block_open)
    md.add_render_rule("footnote_block_close", _fn_block_close)
    md.add_render_rule("footnote_open", _fn_open)
    md.add_render_rule("footnote_close", _fn_close)
    md.add_render_rule("footnote_anchor", _fn_anchor)
    md.add_render_rule("html_inline", _html_inline)
    install_layout(md)
