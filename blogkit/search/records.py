"""Which documents the search index holds, and the small HTML page Pagefind reads for each.

Input: the ``RenderContext`` views of posts and pages (rendered Markdown, not the page with its
layout) and the ``search:`` options. Output: ``SearchRecord``s, each able to write itself as a
minimal HTML document whose only body is the content, with Pagefind's ``data-pagefind-*``
attributes for the title, URL, excerpt, reading time, categories, tags and date.

Indexing these records instead of the built pages is what keeps navigation, footers, tag lists
and "related posts" out of the index: they never appear in the HTML Pagefind sees.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from fnmatch import fnmatch
from pathlib import PurePosixPath
from typing import Any, Mapping, Sequence
from urllib.parse import unquote

from ..urls import relative_url

# Layouts of listing pages: they repeat other pages' titles and excerpts, so a search for a
# word would hit the home page and every archive page before the post itself.
LISTING_LAYOUTS = frozenset({"home", "archive", "archives", "category", "tag", "tags", "search",
                             "paginator", "redirect", "feed"})
EXCERPT_CHARS = 160
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class SearchOptions:
    """The ``search:`` mapping of site.yml (``search: true`` gives the defaults)."""

    language: str = "ja"
    pages: bool = True                         # index pages as well as posts
    exclude: tuple[str, ...] = ()              # URL globs never indexed, e.g. "/drafts/*"

    @classmethod
    def from_config(cls, value: Any, site_lang: Any) -> "SearchOptions":
        opts = value if isinstance(value, Mapping) else {}
        # Pagefind keeps one index per language; the site's `lang` is the natural default, and
        # Japanese the fallback because this generator exists for Japanese blogs.
        lang = str(opts.get("language") or site_lang or "ja").split("-")[0].lower()
        exclude = opts.get("exclude") or ()
        if isinstance(exclude, str):
            exclude = (exclude,)
        return cls(language=lang, pages=bool(opts.get("pages", True)),
                   exclude=tuple(str(e) for e in exclude))


@dataclass(frozen=True)
class SearchRecord:
    url: str                                   # page.url with the baseurl, as links need it
    title: str
    content_html: str
    excerpt: str = ""                          # plain text
    date: datetime | None = None
    reading_time: int | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    kind: str = "post"                         # "post" | "page"

    def file_path(self) -> PurePosixPath:
        """Where the record's HTML goes for Pagefind: mirrors the URL so Pagefind's own `url` agrees."""
        path = unquote(self.url).lstrip("/")
        if not path or path.endswith("/"):
            path += "index.html"
        elif not path.endswith((".html", ".htm")):
            path += ".html"
        parts = [p for p in path.split("/") if p not in ("", ".", "..")]
        return PurePosixPath(*parts)

    def to_html(self, language: str) -> str:
        e = html.escape
        heads = [f'<meta data-pagefind-meta="url[content]" content="{e(self.url)}">',
                 f'<meta data-pagefind-filter="type[content]" content="{e(self.kind)}">']
        if self.excerpt:
            heads.append(f'<meta data-pagefind-meta="summary[content]" content="{e(self.excerpt)}">')
        if self.reading_time:
            heads.append(f'<meta data-pagefind-meta="reading_time[content]" content="{self.reading_time}">')
        if self.date is not None:
            day = self.date.strftime("%Y-%m-%d")
            heads.append(f'<meta data-pagefind-meta="date[content]" content="{day}">')
            heads.append(f'<meta data-pagefind-sort="date[content]" content="{day}">')
            heads.append(f'<meta data-pagefind-filter="year[content]" content="{self.date.year}">')
        for name, values in (("category", self.categories), ("tag", self.tags)):
            for value in dict.fromkeys(values):
                heads.append(f'<meta data-pagefind-filter="{name}[content]" content="{e(str(value))}">')
        if self.categories:
            heads.append(f'<meta data-pagefind-meta="categories[content]" '
                         f'content="{e(" / ".join(self.categories))}">')
        return (f'<!doctype html><html lang="{e(language)}"><head><meta charset="utf-8">'
                f'<title>{e(self.title)}</title>{"".join(heads)}</head>'
                f'<body><main data-pagefind-body><h1 data-pagefind-meta="title" data-pagefind-weight="10">{e(self.title)}</h1>\n'
                f'{self.content_html}\n</main></body></html>\n')


def plain_text(fragment: Any, limit: int = EXCERPT_CHARS) -> str:
    """HTML to one line of text, cut at ``limit`` characters (Japanese has no spaces to cut at)."""
    text = _SPACE.sub(" ", html.unescape(_TAGS.sub(" ", str(fragment or "")))).strip()
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def is_indexed(view: Mapping[str, Any], options: SearchOptions) -> bool:
    """Real content only: HTML posts and pages, not listings, the 404 page or opted-out pages."""
    if view.get("search") is False or view.get("search_exclude"):
        return False
    if str(view.get("output_ext") or ".html") not in (".html", ".htm"):
        return False
    url = str(view.get("url") or "")
    if any(fnmatch(unquote(url), pattern) for pattern in options.exclude):
        return False
    if view.get("collection") == "posts":
        return True
    if not options.pages:
        return False
    if url in ("/", "/index.html", "/404.html") or view.get("pagination") or view.get("paginate"):
        return False
    return str(view.get("layout") or "") not in LISTING_LAYOUTS


def records_from_views(post_views: Sequence[Mapping[str, Any]], page_views: Sequence[Mapping[str, Any]],
                       options: SearchOptions, baseurl: str) -> list[SearchRecord]:
    records: list[SearchRecord] = []
    for view in [*post_views, *page_views]:
        if not is_indexed(view, options):
            continue
        content = str(view.get("content") or "")
        if not plain_text(content, 1):
            continue  # nothing to find: a redirect stub or an empty page
        is_post = view.get("collection") == "posts"
        date = view.get("date") if isinstance(view.get("date"), datetime) else None
        summary = view.get("excerpt") if is_post else None
        excerpt = plain_text(view.get("description") or summary or content)
        rt = view.get("reading_time")
        records.append(SearchRecord(
            url=relative_url(str(view.get("url") or "/"), baseurl),
            title=str(view.get("title") or view.get("name") or view.get("url")),
            content_html=content, excerpt=excerpt, date=date,
            reading_time=rt if isinstance(rt, int) and rt > 0 else None,
            categories=tuple(str(c) for c in view.get("categories") or ()) if is_post else (),
            tags=tuple(str(t) for t in view.get("tags") or ()) if is_post else (),
            kind="post" if is_post else "page"))
    return records
