"""Shared pieces of the generators: pagination math, URL -> file, XML escaping.

Input: lists of post views, URLs. Output: paginator dicts (jekyll-paginate 1.1.0 shape),
destination paths, escaped text. Pure functions only.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Callable, Sequence

from ..urls import url_to_relpath


@dataclass(frozen=True)
class PagePlan:
    """One page of a paginated list: where it goes and which posts it shows."""

    number: int
    url: str                    # page.url (no baseurl)
    dest: PurePosixPath
    paginator: dict[str, Any] | None   # None: an archive shown whole (jekyll-archives, no pagination)


def total_pages(count: int, per_page: int) -> int:
    return math.ceil(count / per_page) if per_page > 0 else 1


def url_dest(url: str) -> PurePosixPath:
    """A generated HTML page's file: `/a/` -> a/index.html, `/t/x.html` -> t/x.html."""
    return url_to_relpath(url, ".html")


def dir_dest(path: str) -> PurePosixPath:
    """jekyll-paginate writes every page n >= 2 as a directory index, slash or not."""
    return url_to_relpath(path.rstrip("/") + "/", ".html")


def paginate(posts: Sequence[Any], per_page: int, path_of: Callable[[int], str]) -> list[tuple[int, dict[str, Any]]]:
    """jekyll-paginate's Pager for every page: [(n, paginator)].

    ``path_of(n)`` gives page n's path without baseurl (page 1 = the list's own URL).
    No posts still gives one (empty) page so the list page itself exists.
    """
    pages = page_total(len(posts), per_page)
    return [(n, pager(posts, per_page, n, path_of)) for n in range(1, pages + 1)]


def page_total(count: int, per_page: int) -> int:
    """How many pages ``paginate`` makes of ``count`` posts (at least one)."""
    return max(1, total_pages(count, max(1, per_page)))


def pager(posts: Sequence[Any], per_page: int, n: int, path_of: Callable[[int], str]) -> dict[str, Any]:
    """Page ``n``'s paginator (``paginate``'s, made alone)."""
    per_page = max(1, per_page)
    pages = page_total(len(posts), per_page)
    prev_n = n - 1 if n != 1 else None
    next_n = n + 1 if n != pages else None
    return {
        "page": n, "per_page": per_page,
        "posts": list(posts[(n - 1) * per_page:n * per_page]),
        "total_posts": len(posts), "total_pages": pages,
        "previous_page": prev_n, "previous_page_path": path_of(prev_n) if prev_n else None,
        "next_page": next_n, "next_page_path": path_of(next_n) if next_n else None,
    }


def xml_escape(text: object) -> str:
    """Liquid's xml_escape (CGI.escapeHTML): & < > " ' ."""
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def cdata(text: str) -> str:
    """A CDATA section that survives a ``]]>`` inside the text (split across two sections)."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def occupied_urls(ctx: Any) -> set[str]:
    """URLs already taken by a source page or static file (plugins then skip their file)."""
    urls = {p.url for p in ctx.model.pages}
    urls.update(s.url for s in ctx.model.static_files)
    return urls
