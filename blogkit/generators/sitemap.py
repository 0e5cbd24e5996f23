"""jekyll-sitemap 1.4.0: ``/sitemap.xml`` and ``/robots.txt`` (spec §9.2).

Input: the ``RenderContext``; the generated archive and paginator pages are planned again
here (no rendering) so they are listed too. Output: the two files, each only when no source
page or static file already has its URL.
"""
from __future__ import annotations

import os
from datetime import datetime
from typing import TYPE_CHECKING, Any, Iterator

from ..dates import parse_date, xmlschema
from ..site import Output
from ..urls import absolute_url
from . import archives, paginate
from .common import occupied_urls, xml_escape
from .structure_memo import by_structure

if TYPE_CHECKING:
    from ..render.site import RenderContext

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.sitemaps.org/schemas/sitemap/0.9 '
        'http://www.sitemaps.org/schemas/sitemap/0.9/sitemap.xsd" '
        'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n')
STATIC_EXTS = (".html", ".htm", ".xhtml", ".pdf")
HTML_EXTS = (".html", ".htm", ".xhtml")


def _loc(ctx: "RenderContext", url: str) -> str:
    return absolute_url(url.replace("/index.html", "/"), str(ctx.config.get("url") or ""),
                        str(ctx.config.get("baseurl") or ""))


def _date(ctx: "RenderContext", value: Any, zone: Any) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return parse_date(value, zone)
    except ValueError:
        return None


def entries(ctx: "RenderContext") -> Iterator[tuple[str, datetime | None]]:
    """(url, lastmod) in jekyll-sitemap's order: posts oldest first, HTML pages, generated
    pages, static files. All but the static files' dates (their mtimes) are the site's
    structure: listed once per structure (generators/structure_memo.py)."""
    yield from _structural(ctx)[0]
    yield from _static_files(ctx)


def _structural(ctx: "RenderContext") -> tuple[tuple[tuple[str, datetime | None], ...], str]:
    """The rows of documents and generated pages, and their repr (what the file is made of)."""
    def compute() -> tuple[tuple[tuple[str, datetime | None], ...], str]:
        rows = tuple(_documents_and_generated(ctx))
        return rows, repr(rows)
    return by_structure(ctx, "sitemap", compute)


def _documents_and_generated(ctx: "RenderContext") -> Iterator[tuple[str, datetime | None]]:
    zone = ctx.model.time.tzinfo
    for post in reversed(ctx.model.posts):
        if post.data.get("sitemap") is False:
            continue
        yield post.url, _date(ctx, post.data.get("last_modified_at"), zone) or post.date
    for page in ctx.model.pages:
        if page.data.get("sitemap") is False or page.url == "/404.html":
            continue
        if page.output_ext in HTML_EXTS or page.url.endswith("/"):
            yield page.url, _date(ctx, page.data.get("last_modified_at"), zone)
    yield from generated_pages(ctx)


def _static_files(ctx: "RenderContext") -> Iterator[tuple[str, datetime | None]]:
    zone = ctx.model.time.tzinfo
    for sf in ctx.model.static_files:
        name = os.path.basename(sf.rel_path)
        if os.path.splitext(name)[1].lower() in STATIC_EXTS and name != "404.html":
            try:
                mtime = datetime.fromtimestamp(sf.path.stat().st_mtime, zone)
            except OSError:
                mtime = None
            yield sf.url, mtime


def generated_pages(ctx: "RenderContext") -> Iterator[tuple[str, None]]:
    for url in paginate.later_page_urls(ctx):
        yield url, None
    per_page = archives.per_page(ctx)
    for archive in archives.collect(ctx, warn=False):
        count = archives.page_count(archive, per_page)
        # Jekyll lists a collided path once per key it wrote there; a Jekyll site keeps that
        # so its sitemap matches, a blogkit site lists each archive page once.
        repeat = len(archive.keys) if ctx.config.kind == "jekyll" and archive.keys else 1
        for _ in range(repeat):
            yield archive.url, None
        for n in range(2, count + 1):
            yield archives.page_url(archive.url, n), None


def render_sitemap(ctx: "RenderContext", listed: list[tuple[str, datetime | None]] | None = None) -> str:
    rows = []
    for url, lastmod in (entries(ctx) if listed is None else listed):
        row = f"<url>\n<loc>{xml_escape(_loc(ctx, url))}</loc>\n"
        if lastmod is not None:
            row += f"<lastmod>{xmlschema(lastmod)}</lastmod>\n"
        rows.append(row + "</url>\n")
    return HEAD + "".join(rows) + "</urlset>\n"


def generate(ctx: "RenderContext") -> list[Output]:
    if not ctx.config.has("sitemap"):
        return []
    taken = occupied_urls(ctx)
    out = []
    if "/sitemap.xml" not in taken:
        listed, listed_repr = _structural(ctx)
        statics = list(_static_files(ctx))
        rows = [*listed, *statics]  # cheap; turning them into absolute URLs is what costs
        out.append(ctx.output_unless_unchanged(_p("sitemap.xml"), "(sitemap)", "sitemap",
                                               [listed_repr, repr(statics)], lambda: render_sitemap(ctx, rows)))
    if "/robots.txt" not in taken:
        robots = f"Sitemap: {_loc(ctx, '/sitemap.xml')}\n"
        out.append(Output(_p("robots.txt"), robots.encode("utf-8"), origin="(robots.txt)", kind="sitemap"))
    return out


def _p(name: str) -> Any:
    from pathlib import PurePosixPath
    return PurePosixPath(name)
