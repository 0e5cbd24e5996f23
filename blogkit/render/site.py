"""Rendering the site: a ``SiteModel`` in, the list of ``Output`` files out.

Markdown first (every document's content and excerpt, so ``site.posts[i].content`` is
available to any template), then views, then each document and generated page through its
layout chain. Problems are logged with their location; the page is skipped, the rest goes on.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Callable

from ..config import SiteConfig
from ..content.model import Document, SiteModel
from ..errors import BlogkitError, Location, ProblemLog
from ..cache import Cache, markdown_key
from ..markdown import Markdown, Rendered, make_markdown, smartify
from ..parallel import render_all
from ..progress import Progress, null_progress
from ..site import Output, zone_of
from ..liquid import make_engine
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
    engine: Any = None                   # LiquidEngine of a Jekyll site (None: Jinja only)

    def render(self, layout: str | None, page: dict[str, Any], content: str, origin: str,
               paginator: dict[str, Any] | None = None) -> str | None:
        """Render ``content`` inside ``layout`` with the usual variables; None if it failed."""
        context = {"site": self.site, "page": page, "paginator": paginator}
        try:
            if self.engine is not None and self.engine.use_layouts:  # the site's own _layouts/
                return self.engine.render_layouts(layout, content, context, Location(origin))
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


def _markdown_texts(docs: list[Document]) -> list[str]:
    """Every Markdown text the site needs: bodies, then excerpts (duplicates rendered once)."""
    texts: list[str] = []
    for doc in docs:
        if doc.is_markdown:
            texts.append(doc.body)
            if doc.excerpt_verbatim is None and doc.excerpt_source is not None:
                texts.append(doc.excerpt_source)
    return list(dict.fromkeys(texts))


def render_markdown(docs: list[Document], md: Markdown, options: dict[str, Any] | None,
                    store: Cache | None, memo: dict[str, Any] | None, log: ProblemLog,
                    progress: Progress) -> dict[str, Rendered]:
    """Markdown for every document, from the in-process memo, the disk cache, or the workers."""
    texts = _markdown_texts(docs)
    fingerprint = json.dumps(options or {}, sort_keys=True, default=str)
    keys = {text: markdown_key(fingerprint, text) for text in texts}
    found: dict[str, Any] = {}
    if memo is not None:
        found.update({k: memo[k] for k in keys.values() if k in memo})
    missing_keys = [k for k in keys.values() if k not in found]
    if store is not None and missing_keys:
        found.update(store.get_many(missing_keys))
    todo = [t for t in texts if keys[t] not in found]
    task = progress.task("markdown", len(todo))
    fresh: dict[str, Rendered] = {}
    for text, result in zip(todo, render_all(todo, md, options)):
        task.advance()
        if isinstance(result, BaseException):
            owner = next((d for d in docs if d.body == text or d.excerpt_source == text), None)
            where = Location(owner.rel_path, owner.body_line) if owner else None
            log.error(f"Markdown rendering failed: {type(result).__name__}: {result}", where,
                      "simplify the Markdown near that line and report the bug", code="markdown")
            continue
        fresh[keys[text]] = result
    if store is not None:
        store.put_many(fresh)
    found.update(fresh)
    if memo is not None:
        memo.clear()
        memo.update({k: found[k] for k in keys.values() if k in found})
    return {text: found[keys[text]] for text in texts if keys[text] in found}


def render_site(config: SiteConfig, model: SiteModel, log: ProblemLog,
                progress: Progress = null_progress, generators: list[Generator] | None = None,
                store: Cache | None = None, memo: dict[str, Any] | None = None) -> list[Output]:
    options = config.get("kramdown") if isinstance(config.get("kramdown"), dict) else None
    md = make_markdown(options)
    zone = zone_of(config)
    renderer = make_env(config, lambda text: md.render(str(text)).html, smartify, zone)

    def views_of(docs: list[Document]) -> dict[str, dict[str, Any]]:
        html_of = render_markdown(docs, md, options, store, memo, log, progress)
        views: dict[str, dict[str, Any]] = {}
        for doc in docs:
            rendered = html_of.get(doc.body) if doc.is_markdown else None
            if doc.excerpt_verbatim is not None:
                excerpt: str | None = doc.excerpt_verbatim
            elif doc.excerpt_source is not None:
                ex = html_of.get(doc.excerpt_source) if doc.is_markdown else None
                excerpt = ex.html if ex is not None else doc.excerpt_source
            else:
                excerpt = None
            html = rendered.html if rendered is not None else doc.body
            views[doc.rel_path] = doc_view(doc, html, excerpt, rendered.headings if rendered else ())
        return views

    # A Jekyll site's bodies go through Liquid before Markdown (spec §10.2).
    engine = make_engine(config, model, lambda text: md.render(str(text)).html, smartify, zone, log)
    if engine is not None:
        model = engine.render_bodies(model, views_of, log)
    docs = [*model.posts, *model.pages]
    views = views_of(docs)
    post_views = [views[p.rel_path] for p in model.posts]
    page_views = [views[p.rel_path] for p in model.pages]
    link_neighbours(post_views)
    site = site_view(config.data, model, post_views, page_views)
    site["features"] = sorted(config.features)
    if engine is not None:
        site["data"] = engine.data
    ctx = RenderContext(config, model, renderer, site, post_views, page_views, log, engine)

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
