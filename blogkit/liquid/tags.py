"""Jekyll's Liquid tags for python-liquid: highlight, link, post_url, include, include_relative.

Input: tag markup as Jekyll sites write it (unquoted file names, ``key=value`` include
parameters). Output: python-liquid ``Tag`` classes registered by ``liquid.env``. The tags
find what they need (posts, files, includes folder) on the environment's ``site_index``,
a ``SiteIndex`` set once per build.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, TextIO

from liquid.ast import BlockNode, Node
from liquid.exceptions import LiquidError
from liquid.parser import get_parser
from liquid.tag import Tag
from liquid.token import TOKEN_EOF, TOKEN_EXPRESSION, TOKEN_TAG, Token

from ..content.discover import inside
from ..render.tracking import file_dep, record
from ..markdown.code import WS_SPAN, escape_code, lexer_for
from pygments import highlight as _pyg_highlight
from pygments.formatters import HtmlFormatter

if TYPE_CHECKING:
    from liquid.context import RenderContext
    from liquid.stream import TokenStream

_FORMATTER = HtmlFormatter(nowrap=True)


class JekyllTagError(LiquidError):
    """A user problem found while rendering one of Jekyll's tags (unknown post, missing file)."""


@dataclass
class SiteIndex:
    """What the tags look up; filled by the engine once per build."""

    source: Path
    includes_dir: Path
    relative_url: Callable[[str], str]
    posts: dict[str, str] = field(default_factory=dict)        # path after _posts/, no ext -> url
    post_names: dict[str, str] = field(default_factory=dict)   # file name, no ext -> url
    files: dict[str, str] = field(default_factory=dict)        # site-relative source path -> url


def _raw_markup(stream: TokenStream, name: str, *, block: bool) -> tuple[Token, str]:
    """The tag token and its markup text as written (Jekyll tags parse their own markup).

    A block tag consumes its markup; an inline tag leaves the stream on it, because the
    parser steps past the last token of an inline tag itself.
    """
    token = stream.eat(TOKEN_TAG)
    if stream.current.kind != TOKEN_EXPRESSION:
        raise JekyllTagError(f"'{name}' needs an argument", token=token)
    text = stream.current.value
    if block:
        next(stream)
    return token, text.strip()


def _render_inline(markup: str, context: RenderContext) -> str:
    """Jekyll renders ``{{ var }}`` inside link/include/post_url markup before using it."""
    buf = StringIO()
    context.env.from_string(markup).render_with_context(context, buf, partial=True)
    return buf.getvalue()


def _index(context: RenderContext) -> SiteIndex:
    return context.env.site_index  # type: ignore[attr-defined,no-any-return]


# --- highlight ---------------------------------------------------------------------------

_HIGHLIGHT_SYNTAX = re.compile(r'^([a-zA-Z0-9.+#_-]+)((\s+\w+(=(\w+|"([0-9]+\s)*[0-9]+"))?)*)$')


def rouge_highlight(code: str, lang: str, linenos: bool) -> str:
    """Jekyll's highlight tag output: Rouge markup through Pygments (spec §12.5)."""
    code = re.sub(r"\A[\n\r]+|[\n\r]+\Z", "", code)
    lexer = lexer_for(lang) if lang not in ("plaintext", "text", "plain") else None
    if lexer is None:
        body = escape_code(code)
    else:
        body = _pyg_highlight(code, lexer, _FORMATTER).replace("&quot;", '"').replace("&#39;", "'")
        # Rouge has no whitespace token spans, and Pygments ends with a newline Rouge does not add.
        body = WS_SPAN.sub(r"\1", body)
        body = body[:-1] if body.endswith("\n") and not code.endswith("\n") else body
    if linenos:
        lines = body.count("\n") + 1
        gutter = "".join(f"{n}\n" for n in range(1, lines + 1))
        body = ('<table class="rouge-table"><tbody><tr><td class="gutter gl"><pre class="lineno">'
                f'{gutter}</pre></td><td class="code"><pre>{body}\n</pre></td></tr></tbody></table>')
    body = body[:-1] if body.endswith("\n") else body  # Ruby's chomp
    return (f'<figure class="highlight"><pre><code class="language-{lang.replace("+", "-")}" '
            f'data-lang="{lang}">{body}</code></pre></figure>')


class HighlightNode(Node):
    __slots__ = ("lang", "linenos", "block")

    def __init__(self, token: Token, lang: str, linenos: bool, block: BlockNode):
        super().__init__(token)
        self.lang, self.linenos, self.block = lang, linenos, block
        self.blank = False

    def __str__(self) -> str:
        return f"{{% highlight {self.lang} %}}{self.block}{{% endhighlight %}}"

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        # Jekyll's highlight is a Liquid block: Liquid inside it is rendered first.
        buf = StringIO()
        self.block.render(context, buf)
        return buffer.write(rouge_highlight(buf.getvalue(), self.lang, self.linenos))

    def children(self, static_context: Any, *, include_partials: bool = True) -> Iterable[Node]:
        yield self.block


class HighlightTag(Tag):
    name = "highlight"
    end = "endhighlight"

    def parse(self, stream: TokenStream) -> Node:
        token, markup = _raw_markup(stream, self.name, block=True)
        match = _HIGHLIGHT_SYNTAX.match(markup)
        if not match:
            raise JekyllTagError(f"syntax error in 'highlight': {markup!r} is not a valid language "
                                 "and options", token=token)
        options = match.group(2).split()
        block = get_parser(self.env).parse_block(stream, frozenset((self.end, TOKEN_EOF)))
        stream.expect(TOKEN_TAG, value=self.end)
        return HighlightNode(token, match.group(1), any(o.startswith("linenos") for o in options), block)


# --- link / post_url ---------------------------------------------------------------------

class _LookupNode(Node):
    __slots__ = ("markup", "kind")

    def __init__(self, token: Token, markup: str, kind: str):
        super().__init__(token)
        self.markup, self.kind = markup, kind
        self.blank = False

    def __str__(self) -> str:
        return f"{{% {self.kind} {self.markup} %}}"

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        index = _index(context)
        name = _render_inline(self.markup, context).strip() if "{{" in self.markup else self.markup
        if self.kind == "link":
            url = index.files.get(name.lstrip("/"))
            if url is None:
                raise JekyllTagError(f"could not find '{name}' in tag 'link'", token=self.token)
        else:
            key = name.lstrip("/")
            url = index.posts.get(key) or (index.post_names.get(key) if "/" not in key else None)
            if url is None:
                raise JekyllTagError(f"could not find post '{name}' in tag 'post_url'", token=self.token)
        return buffer.write(index.relative_url(url))


class LinkTag(Tag):
    name = "link"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, markup = _raw_markup(stream, self.name, block=False)
        return _LookupNode(token, markup, "link")


class PostUrlTag(Tag):
    name = "post_url"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, markup = _raw_markup(stream, self.name, block=False)
        return _LookupNode(token, markup, "post_url")


# --- include / include_relative ------------------------------------------------------------

_PARAM = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"\\]*(?:\\.[^"\\]*)*)"|'([^'\\]*(?:\\.[^'\\]*)*)'|([\w.-]+))""")
_FILE_AND_PARAMS = re.compile(r"^\s*((?:\{\{.*?\}\}|\S)+)\s*(.*)$", re.S)


class IncludeNode(Node):
    __slots__ = ("file", "params", "relative")

    def __init__(self, token: Token, file: str, params: str, relative: bool):
        super().__init__(token)
        self.file, self.params, self.relative = file, params, relative
        self.blank = False

    def __str__(self) -> str:
        return f"{{% include {self.file} {self.params} %}}"

    def _values(self, context: RenderContext) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for m in _PARAM.finditer(self.params):
            if m.group(2) is not None or m.group(3) is not None:
                raw = m.group(2) if m.group(2) is not None else m.group(3)
                out[m.group(1)] = _render_inline(raw, context) if "{{" in raw else raw
            else:
                out[m.group(1)] = context.get(m.group(4).split("."), token=self.token, default=None)
        return out

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        index = _index(context)
        name = _render_inline(self.file, context).strip() if "{{" in self.file else self.file
        if self.relative:
            page = context.resolve("page", default=None)
            page_path = str(page.get("path", "")) if isinstance(page, dict) else ""
            base = (index.source / page_path).parent
        else:
            base = index.includes_dir
        path = (base / name).resolve()
        # Jekyll's rule: the file must exist and, if it is a symlink, not point outside the source.
        if ".." in Path(name).parts or not path.is_file() or not inside(path, index.source):
            tag = "include_relative" if self.relative else "include"
            where = base.relative_to(index.source).as_posix() if base != index.source else "."
            raise JekyllTagError(f"could not locate the included file '{name}' in '{where}' ({tag})",
                                 token=self.token)
        record(file_dep(path))  # an edited include re-renders the outputs that included it
        template = context.env.include_template(path)  # type: ignore[attr-defined]
        with context.extend({"include": self._values(context)}):
            template.render_with_context(context, buffer, partial=True)
        return 1


class IncludeTag(Tag):
    name = "include"
    block = False
    relative = False

    def parse(self, stream: TokenStream) -> Node:
        token, markup = _raw_markup(stream, self.name, block=False)
        m = _FILE_AND_PARAMS.match(markup)
        if not m:
            raise JekyllTagError(f"'{self.name}' needs a file name", token=token)
        return IncludeNode(token, m.group(1), m.group(2), self.relative)


class IncludeRelativeTag(IncludeTag):
    name = "include_relative"
    relative = True


# --- plugin tags: jekyll-seo-tag's seo, jekyll-feed's feed_meta ------------------------------

class _PluginNode(Node):
    """Renders through blogkit/render/seo.py with the page, site and paginator in scope."""

    __slots__ = ("kind", "show_title")

    def __init__(self, token: Token, kind: str, show_title: bool):
        super().__init__(token)
        self.kind, self.show_title = kind, show_title
        self.blank = False

    def __str__(self) -> str:
        return f"{{% {self.kind} %}}"

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        from ..render.seo import feed_meta, seo  # (render imports liquid: late, to avoid a cycle)

        def scoped(name: str) -> Any:
            value = context.resolve(name, default=None)
            return value if isinstance(value, dict) else None

        filters = context.env.filters
        if self.kind == "seo":
            return buffer.write(str(seo(scoped("page"), scoped("site"), scoped("paginator"),
                                        self.show_title, filters, context.env.seo_shared)))
        return buffer.write(str(feed_meta(scoped("site"), filters)))


class _PluginTag(Tag):
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token = stream.expect(TOKEN_TAG, value=self.name)
        markup = ""
        if stream.peek.kind == TOKEN_EXPRESSION:  # `{% seo title=false %}`
            next(stream)
            markup = stream.current.value
        # The plugin tests its markup with /title=false/i, whatever else is written there.
        return _PluginNode(token, self.name, "title=false" not in markup.lower())


class SeoTag(_PluginTag):
    name = "seo"


class FeedMetaTag(_PluginTag):
    name = "feed_meta"


TAGS: tuple[type[Tag], ...] = (HighlightTag, LinkTag, PostUrlTag, IncludeTag, IncludeRelativeTag)
# Registered only when the site lists the plugin, as in Jekyll (otherwise: unknown tag).
PLUGIN_TAGS: dict[str, type[Tag]] = {"seo": SeoTag, "feed": FeedMetaTag}
BLOCK_TAGS = frozenset({"if", "unless", "case", "for", "capture", "comment", "raw", "highlight",
                        "tablerow", "ifchanged"})
