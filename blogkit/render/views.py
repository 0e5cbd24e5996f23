"""Template views: records in, the plain dicts templates see as ``page``, ``site``, ``paginator``.

Views are built once per build and shared (``site.posts`` and each page's ``previous``/``next``
point at the same dicts), so rendering a thousand pages does not rebuild a thousand lists.
"""
from __future__ import annotations

import os
from datetime import datetime
from typing import Any, Mapping, Sequence

from markupsafe import Markup

from ..content.model import Document, SiteModel, StaticFile
from .tracking import TrackedDict, TrackedList, TrackedSite


def doc_view(doc: Document, content: str | None = None, excerpt: str | None = None) -> dict[str, Any]:
    """The template view of a document. Without ``content``/``excerpt`` it has no HTML: render/site.py
    adds `content`, `excerpt` and `toc` lazily, so an output that is not re-rendered never loads them."""
    view: dict[str, Any] = dict(doc.data)
    if content is not None:
        view["content"] = Markup(content)
    if excerpt is not None and doc.is_post:
        view["excerpt"] = Markup(excerpt)
    view.update({
        "url": doc.url,
        "path": doc.rel_path,
        "relative_path": doc.rel_path,
        "name": os.path.basename(doc.rel_path),
        "output_ext": doc.output_ext,
        "layout": doc.layout,
        "reading_time": doc.reading_time,
    })
    if doc.title is not None:
        view["title"] = doc.title
    if doc.is_post:
        view.update({
            "date": doc.date, "slug": doc.slug, "categories": list(doc.categories), "tags": list(doc.tags),
            "id": doc.doc_id, "collection": "posts", "draft": doc.kind == "draft",
            "ext": os.path.splitext(doc.rel_path)[1],
            "previous": None, "next": None,
        })
    elif "date" in doc.data and doc.date is not None:
        view["date"] = doc.date
    return view


def link_neighbours(post_views: Sequence[dict[str, Any]]) -> None:
    """`previous`/`next` follow ascending date order; site.posts is newest first."""
    for i, view in enumerate(post_views):
        dict.__setitem__(view, "next", post_views[i - 1] if i > 0 else None)
        dict.__setitem__(view, "previous", post_views[i + 1] if i + 1 < len(post_views) else None)


def static_view(sf: StaticFile, mtime: float | None = None) -> dict[str, Any]:
    name = os.path.basename(sf.rel_path)
    return {"path": "/" + sf.rel_path, "name": name, "basename": os.path.splitext(name)[0],
            "extname": os.path.splitext(name)[1], "url": sf.url,
            "modified_time": datetime.fromtimestamp(mtime) if mtime else None}


def static_entry(site: Any, path: str) -> dict[str, Any] | None:
    """``site.static_files``' entry whose ``path`` is ``path`` (read without tracking)."""
    files = dict.get(site, "static_files") if isinstance(site, dict) else None
    return next((f for f in files or () if isinstance(f, dict) and f.get("path") == path), None)


def site_view(config_data: Mapping[str, Any], model: SiteModel, post_views: Sequence[dict[str, Any]],
              page_views: Sequence[dict[str, Any]]) -> dict[str, Any]:
    by_url = {dict.__getitem__(v, "url"): v for v in post_views}

    def terms(index: Mapping[Any, Sequence[str]], name: str) -> TrackedDict:
        return TrackedDict({k: TrackedList([by_url[u] for u in urls if u in by_url], f"list:{name}[{k}]")
                            for k, urls in index.items()}, f"dict:{name}")

    site = TrackedSite(config_data)
    # The newest post's date: what a footer's year or a "last updated" line should show.
    # Unlike site.time it does not change with every build, so pages using it stay unchanged.
    updated = max((p.date for p in model.posts if p.date is not None), default=model.time)
    # Its year alone, for the theme's footer on every page: reading `site.updated` made each new
    # post (a newer date) a change of every page (1,813 renders for 44 changed files at 1,000).
    site.setdefault("updated_year", updated.year)
    site.update({
        "time": model.time,
        "updated": updated,
        "posts": TrackedList(post_views, "list:site.posts"),
        "pages": TrackedList(page_views, "list:site.pages"),
        "html_pages": TrackedList([p for p in page_views if str(dict.get(p, "output_ext")) in (".html", ".htm")],
                                  "list:site.html_pages"),
        "categories": terms(model.categories, "site.categories"),
        "tags": terms(model.tags, "site.tags"),
        "static_files": [static_view(s) for s in model.static_files],
        "documents": TrackedList(post_views, "list:site.documents"),
    })
    site.setdefault("data", {})
    return site

