"""The search generator: a ``RenderContext`` in, the search page, its assets and the Pagefind bundle out.

Runs only when ``search`` is on (``search: true`` or a ``search:`` mapping in site.yml). Outputs:

- ``search/index.html``: the ``search`` layout (unless the site has its own page at /search/);
- ``assets/search.css`` and ``assets/search.js`` from the theme (unless the site ships its own);
- ``pagefind/...``: the index of the site's posts and pages, built by Pagefind's extended binary
  (which segments Japanese), with category, tag, year and type filters.

A missing or failing Pagefind is a build error (hint: install the ``search`` extra), so the
site is never published with a search page that cannot search.
"""
from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any, Sequence

from ..render.loader import THEME_DIR
from ..render.site import RenderContext
from ..search.pagefind_run import SearchIndexError, build_bundle
from ..search.records import SearchOptions, SearchRecord, records_from_views
from ..site import Output

SEARCH_URL = "/search/"
ASSETS = ("search.css", "search.js")
THEME_ASSETS = THEME_DIR.parent / "static" / "assets"
ORIGIN = "search (Pagefind)"


def search_page(ctx: RenderContext, options: SearchOptions, empty: bool = False) -> list[Output]:
    if any(str(v.get("url")) in (SEARCH_URL, SEARCH_URL + "index.html") for v in ctx.page_views):
        return []  # the site's own /search/ page wins; it can use the `search` layout itself
    lang = str(ctx.config.get("lang") or "en")
    title = "検索" if lang.lower().startswith("ja") else "Search"
    page: dict[str, Any] = {"title": title, "url": SEARCH_URL, "layout": "search",
                            "search_language": options.language, "sitemap": False,
                            "search_empty": empty}
    html = ctx.render("search", page, "", ORIGIN)
    if html is None:
        return []
    return [Output(PurePosixPath("search/index.html"), html.encode("utf-8"), origin=ORIGIN, kind="search")]


def search_assets(ctx: RenderContext) -> list[Output]:
    taken = {str(sf.dest) for sf in ctx.model.static_files}
    return [Output(PurePosixPath("assets") / name, source=THEME_ASSETS / name, origin=ORIGIN, kind="static")
            for name in ASSETS if f"assets/{name}" not in taken and (THEME_ASSETS / name).is_file()]


def search_index(ctx: RenderContext, options: SearchOptions, records: Sequence[SearchRecord]) -> list[Output]:
    if not records:
        # Nothing to index (a new blog): Pagefind's indexer refuses an empty site, and the
        # search page says there is nothing to search instead of loading a bundle.
        return []
    try:
        files = build_bundle(records, options.language)
    except SearchIndexError as exc:
        # (located at the `search:` setting: the index belongs to no one source file)
        ctx.log.error(f"search index not built: {exc}", ctx.config.where("search"),
                      "if Pagefind is missing: pip install 'blogkit[search]' (its extended build); if it "
                      "failed or its files were damaged: build again; or set search: false",
                      code="search")
        return []
    return [Output(PurePosixPath("pagefind") / rel, data, origin=ORIGIN, kind="search")
            for rel, data in files.items()]


def generate_search(ctx: RenderContext) -> list[Output]:
    if not ctx.config.has("search"):
        return []
    options = SearchOptions.from_config(ctx.config.get("search"), ctx.config.get("lang"))
    records = records_from_views(ctx.post_views, ctx.page_views, options, str(ctx.config.get("baseurl") or ""))
    return [*search_page(ctx, options, empty=not records), *search_assets(ctx),
            *search_index(ctx, options, records)]
