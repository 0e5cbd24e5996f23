"""jekyll-paginate 1.1.0: the home page's post list split into pages.

Input: the ``RenderContext`` (config ``paginate``/``paginate_path``, pages, post views).
Output: one ``Output`` per page; page 1 carries the template page's own origin and dest, and
the template page is not rendered on its own (``replaced_pages``), as in Jekyll.
"""
from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any, Callable

from ..content.model import Document
from ..render.documents import forkable
from ..site import Output
from .common import PagePlan, dir_dest, page_total, pager

if TYPE_CHECKING:
    from ..render.site import RenderContext


def template_page(pages: Any, paginate_path: str, kind: str) -> Document | None:
    """The deepest `index.html` at or above paginate_path's directory (blogkit: index.md too)."""
    names = ("index.html", "index.md") if kind == "blogkit" else ("index.html",)
    target = posixpath.dirname(posixpath.normpath("/" + paginate_path.strip("/")))
    chain: set[str] = set()
    d = target
    while True:
        chain.add(d)
        if d == "/":
            break
        d = posixpath.dirname(d)
    found = [p for p in pages if posixpath.basename(p.rel_path) in names
             and posixpath.dirname("/" + p.rel_path) in chain]
    found.sort(key=lambda p: len(p.rel_path), reverse=True)
    return found[0] if found else None


def page_path(paginate_path: str, n: int, first_url: str) -> str:
    """Pager.paginate_path: page 1 is the template's URL, others fill `:num`, leading '/'."""
    if n <= 1:
        return first_url
    path = paginate_path.replace(":num", str(n), 1)
    return path if path.startswith("/") else "/" + path


def _template(ctx: "RenderContext", report: bool) -> tuple[str, Document] | None:
    """(paginate_path, the page to paginate), or None when the site is not paginated."""
    config = ctx.config
    if not config.has("paginate") or config.paginate <= 0:
        return None
    fmt = str(config.get("paginate_path") or "/page:num")
    if ":num" not in fmt:
        if report:
            ctx.log.error(f"invalid paginate_path '{fmt}': it must contain ':num'", None,
                          "use e.g. paginate_path: /page:num/", code="bad-config")
        return None
    doc = template_page(ctx.model.pages, fmt, config.kind)
    return None if doc is None else (fmt, doc)


def replaced_pages(ctx: "RenderContext") -> set[str]:
    """The page whose output is page 1 of the pagination: it is not rendered on its own (Jekyll
    renders it once, with its paginator; a plain render of the theme's home page listed every
    post of the site, half a second at 5,000 posts, to be replaced)."""
    found = _template(ctx, report=False)
    return {found[1].rel_path} if found is not None else set()


def later_page_urls(ctx: "RenderContext") -> list[str]:
    """The URLs of pages 2, 3… (what the sitemap lists), without making their paginators."""
    planned = plan(ctx, report=False)
    return [] if planned is None else [p.url for p in planned[1][1:]]


def plan(ctx: "RenderContext", report: bool = True
         ) -> tuple[Document, list[PagePlan], Callable[[int], dict[str, Any]]] | None:
    """The paginated page, its pages (without paginators) and the maker of page n's paginator."""
    found = _template(ctx, report)
    if found is None:
        return None
    fmt, doc = found
    per_page = ctx.config.paginate
    posts = [p for p in ctx.post_views if not dict.get(p, "hidden")]  # (dict.get: no read to record here)

    def path_of(n: int) -> str:
        return page_path(fmt, n, doc.url)

    plans = [PagePlan(1, doc.url, doc.dest, None)]
    for n in range(2, page_total(len(posts), per_page) + 1):
        path = path_of(n)
        plans.append(PagePlan(n, path.rstrip("/") + "/", dir_dest(path), None))
    return doc, plans, lambda n: pager(posts, per_page, n, path_of)


@forkable  # renders many pages through ctx.render: may run in a render worker
def generate(ctx: "RenderContext") -> list[Output]:
    planned = plan(ctx)
    if planned is None:
        return []
    doc, plans, paginator_of = planned
    base = next(v for v in ctx.page_views if v["path"] == doc.rel_path)
    out = []
    for p in plans:
        # (a page the edit plan keeps needs no paginator: most of them, after a body edit)
        html = ctx.planned(doc.layout, p.url, doc.rel_path, True)
        if html is None:
            paginator = paginator_of(p.number)
            view = dict(base, url=p.url)
            # The body is rendered (with the paginator) only if this page must be rendered at
            # all; what it reads is tracked like the layout's reads.
            html = ctx.render(doc.layout, view, lambda pg=paginator: _content(ctx, doc, base, pg), doc.rel_path,
                              paginator, content_fp=lambda: doc.source_hash)
        if html is not None:
            out.append(Output(p.dest, html.encode("utf-8"), origin=doc.rel_path, kind="page"))
    return out


generate.replaces = replaced_pages  # type: ignore[attr-defined]  # (render/site.py: render_site)


def _content(ctx: "RenderContext", doc: Document, view: dict[str, Any], paginator: dict[str, Any]) -> str:
    """The page body is itself a template (Jekyll renders Liquid in pages), so it sees paginator."""
    if doc.is_markdown:
        return str(view["content"])
    engine = getattr(ctx, "engine", None)
    try:
        if engine is not None:  # a Jekyll site: the page's Liquid runs again, now with the paginator
            body = engine.raw_bodies.get(doc.rel_path, doc.body)
            return engine.render_text(body, doc.rel_path, doc.body_line,
                                      {"page": view, "site": ctx.site, "paginator": paginator})
        template = ctx.renderer.env.from_string(doc.body)
        return template.render(site=ctx.site, page=view, paginator=paginator)
    except Exception as exc:  # noqa: BLE001 - located report, the page is skipped
        from ..errors import BlogkitError, Location
        if isinstance(exc, BlogkitError):
            ctx.log.add(exc.to_problem())
            return ""
        ctx.log.error(f"template error: {type(exc).__name__}: {exc}", Location(doc.rel_path, doc.body_line),
                      "check the paginator variables used in this page", code="template")
        return ""
