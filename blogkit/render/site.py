"""Rendering the site: a ``SiteModel`` in, the list of ``Output`` files out.

Markdown first (every document's content and excerpt, so ``site.posts[i].content`` is
available to any template), then views, then each document and generated page through its
layout chain. Problems are logged with their location; the page is skipped, the rest goes on.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Callable

from ..config import SiteConfig
from ..content.model import Document, SiteModel
from ..errors import BlogkitError, Location, ProblemLog
from ..markdown import Markdown, Rendered, make_markdown, smartify
from ..progress import Progress, null_progress
from ..site import Output, zone_of
from .env import Renderer, make_env
from .layouts import MissingLayout, render_layouts
from .views import doc_view, link_neighbours, site_view


@dataclass
class RenderContext:
    """What generators (archives, feeds, sitemap, pagination) get to work with."""

    config: SiteConfig
    model: SiteModel
    renderer: Renderer
    site: dict[str, Any]                 # the `site` view
    post_views: list[dict[str, Any]]
    page_views: list[dict[str, Any]]
    log: ProblemLog

    def render(self, layout: str | None, page: dict[str, Any], content: str, origin: str,
               paginator: dict[str, Any] | None = None) -> str | None:
        """Render ``content`` inside ``layout`` with the usual variables; None if it failed."""
        context = {"site": self.site, "page": page, "paginator": paginator}
        try:
            return render_layouts(self.renderer, layout, content, context, Location(origin),
                                  self.config.source)
        except MissingLayout as exc:
            # Jekyll warns and writes the content without a layout; so do we.
            self.log.warn(exc.message, exc.where, exc.hint, code=exc.code)
            return content
        except BlogkitError as exc:
            self.log.add(exc.to_problem())
            return None


Generator = Callable[[RenderContext], list[Output]]


def convert(doc: Document, md: Markdown) -> tuple[Rendered | None, str | None]:
    """Markdown for the body and the excerpt; HTML sources pass through unchanged."""
    body = md.render(doc.body) if doc.is_markdown else None
    if doc.excerpt_verbatim is not None:
        excerpt: str | None = doc.excerpt_verbatim
    elif doc.excerpt_source is not None:
        excerpt = md.render(doc.excerpt_source).html if doc.is_markdown else doc.excerpt_source
    else:
        excerpt = None
    return body, excerpt


def render_site(config: SiteConfig, model: SiteModel, log: ProblemLog,
                progress: Progress = null_progress, generators: list[Generator] | None = None) -> list[Output]:
    md = make_markdown(config.get("kramdown") if isinstance(config.get("kramdown"), dict) else None)
    zone = zone_of(config)
    renderer = make_env(config, lambda text: md.render(str(text)).html, smartify, zone)
    docs = [*model.posts, *model.pages]
    task = progress.task("markdown", len(docs))
    views: dict[str, dict[str, Any]] = {}
    for doc in docs:
        task.advance()
        try:
            rendered, excerpt = convert(doc, md)
        except Exception as exc:  # noqa: BLE001 - a Markdown crash is this file's problem, not the build's
            log.error(f"Markdown rendering failed: {type(exc).__name__}: {exc}", Location(doc.rel_path, doc.body_line),
                      "simplify the Markdown near that line and report the bug", code="markdown")
            rendered, excerpt = None, None
        html = rendered.html if rendered is not None else doc.body
        views[doc.rel_path] = doc_view(doc, html, excerpt, rendered.headings if rendered else ())
    post_views = [views[p.rel_path] for p in model.posts]
    page_views = [views[p.rel_path] for p in model.pages]
    link_neighbours(post_views)
    site = site_view(config.data, model, post_views, page_views)
    site["features"] = sorted(config.features)
    ctx = RenderContext(config, model, renderer, site, post_views, page_views, log)
    if generators is None:  # view hooks (site.tag_cloud, page.related) before any template runs
        from ..generators import all_view_hooks
        for hook in all_view_hooks():
            hook(ctx)

    outputs: list[Output] = []
    task = progress.task("templates", len(docs))
    for doc in (*model.pages, *model.posts):  # Jekyll writes pages, then posts
        task.advance()
        view = views[doc.rel_path]
        html = ctx.render(doc.layout, view, str(view["content"]), doc.rel_path)
        if html is not None:
            outputs.append(Output(doc.dest, html.encode("utf-8"), origin=doc.rel_path, kind=doc.kind))
    for generate in (generators if generators is not None else default_generators()):
        outputs.extend(generate(ctx))
    for sf in model.static_files:
        outputs.append(Output(sf.dest, source=sf.path, origin=sf.rel_path, kind="static"))
    return outputs


def default_generators() -> list[Generator]:
    from ..generators import all_generators
    return all_generators()
