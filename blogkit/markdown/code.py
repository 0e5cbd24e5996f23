"""Code blocks and spans with Rouge's markup, highlighted by Pygments (spec §12.5).

Input: code text and the fence's info word (or None). Output: the HTML kramdown + Rouge emit.
Pygments' short token classes (``nb``, ``s2``…) are Rouge's, so only the wrappers differ.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pygments import highlight as _pyg_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from .rouge_langs import PYGMENTS_NAME, ROUGE_LANGS

_PLAIN = frozenset({"plaintext", "text", "plain"})
WS_SPAN = re.compile(r'<span class="w">(\s*)</span>')
_FORMATTER = HtmlFormatter(nowrap=True)


def escape_code(text: str) -> str:
    """Rouge and kramdown escape only ``& < >`` in code."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@lru_cache(maxsize=512)
def lexer_for(lang: str) -> Lexer | None:
    """The Pygments lexer for a Rouge language name (None: no Pygments equivalent)."""
    try:
        return get_lexer_by_name(PYGMENTS_NAME.get(lang, lang), stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def _highlight(code: str, lang: str) -> str | None:
    """Highlighted HTML; None when Rouge does not know ``lang`` (exact, case-sensitive)."""
    if lang in _PLAIN:
        return escape_code(code)
    if lang not in ROUGE_LANGS:
        return None
    lexer = lexer_for(lang)
    if lexer is None:
        return escape_code(code)  # Rouge's wrapper still applies; token spans are cosmetic
    html = _pyg_highlight(code, lexer, _FORMATTER)
    # Pygments also escapes quotes; Rouge does not. Rouge has no whitespace token spans.
    return WS_SPAN.sub(r"\1", html.replace("&quot;", '"').replace("&#39;", "'"))


def code_block(code: str, lang: str | None, extra_classes: str = "") -> str:
    """A fenced or indented block: Rouge wrapper, or a bare ``<pre><code>`` if unknown."""
    name = lang or "plaintext"
    body = _highlight(code, name)
    if body is None:
        cls = f"language-{name}" + (f" {extra_classes}" if extra_classes else "")
        return f'<pre><code class="{cls}">{escape_code(code)}</code></pre>\n'
    mid = f" {extra_classes}" if extra_classes else ""
    return (f'<div class="language-{name}{mid} highlighter-rouge"><div class="highlight">'
            f'<pre class="highlight"><code>{body}</code></pre></div></div>\n')


def code_span(code: str, extra_classes: str = "") -> str:
    mid = f" {extra_classes}" if extra_classes else ""
    return f'<code class="language-plaintext{mid} highlighter-rouge">{escape_code(code)}</code>'


def highlight_css(style: str = "default", dark_style: str | None = None) -> str:
    """CSS for the ``.highlight`` token classes; ``dark_style`` goes in a dark media query."""
    css = HtmlFormatter(style=style).get_style_defs(".highlight")
    if dark_style:
        dark = HtmlFormatter(style=dark_style).get_style_defs(".highlight")
        indented = "\n".join("  " + line for line in dark.splitlines())
        css += "\n@media (prefers-color-scheme: dark) {\n" + indented + "\n}\n"
    return css
