"""Liquid for a Jekyll site: documents in, Liquid-rendered bodies and layout-wrapped pages out.

Chosen once per build by ``make_engine`` (None for a blogkit/Jinja site). Two jobs:

* ``render_bodies(model, views_of, log)`` — Liquid on post and page bodies (and excerpts)
  *before* Markdown, as Jekyll does (§10.2): posts first, then pages, so an index page's
  ``site.posts[i].content``/``excerpt`` are already converted HTML.
* ``render_layouts(...)`` — the ``_layouts/`` chain (``layout:`` in a layout's front matter),
  used only when the site has a ``_layouts/`` folder; otherwise the Jinja theme renders.

Liquid errors become ``BlogkitError``s located at ``file:line`` of the source that failed
(a body line is the template line plus ``doc.body_line - 1``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Mapping

from liquid.exceptions import LiquidError
from liquid.template import BoundTemplate

from ..config import SiteConfig
from ..content.data import load_data
from ..content.discover import inside
from ..content.frontmatter import parse_front_matter
from ..content.model import Document, SiteModel, has_liquid, liquid_in_texts
from ..errors import BlogkitError, Location, ProblemLog
from ..filters import FilterContext
from ..render.layouts import MAX_DEPTH, MissingLayout
from ..render.tracking import TrackedList, TrackedSite, file_dep, record
from ..render.views import doc_view, link_neighbours, site_view
from ..urls import relative_url
from .choice import layouts_dir, template_engine
from .env import JekyllEnvironment
from .tags import BLOCK_TAGS, PLUGIN_TAGS, SiteIndex

_TAG_NAMES = re.compile(r"{%-?\s*(\w+)\s*.*?-?%}", re.S)


def close_open_blocks(head: str) -> str:
    """Jekyll's ``Excerpt#sanctify_liquid_tags``: end every block tag left open before the cut."""
    for name in reversed(_TAG_NAMES.findall(head)):
        if name in BLOCK_TAGS and not re.search(r"{%-?\s*end" + name + r"\s*-?%}", head):
            head += f"\n{{% end{name} %}}"
    return head


# Jekyll's site.related_posts without lsi (RelatedPosts#most_recent_posts): the ten newest
# posts other than the one being rendered; nil while rendering anything but a post.
RELATED = "related_posts"
MAX_RELATED = 10


def add_related_pool(site: dict[str, Any], post_views: list[dict[str, Any]]) -> None:
    """Every post's related posts come from the eleven newest: kept in the site under their
    own dependency name, so a page that reads them depends on exactly those eleven."""
    dict.__setitem__(site, RELATED, TrackedList(list(post_views[:MAX_RELATED + 1]), "list:site.related_posts"))


def site_for(site: Any, page: Any) -> Any:
    """The ``site`` a document is rendered with: its own ``site.related_posts``."""
    pool = dict.get(site, RELATED) if isinstance(site, dict) else None
    if not isinstance(pool, TrackedList):
        return site
    own = TrackedSite(dict.items(site))  # (no tracked reads: a copy, not a use)
    if isinstance(page, dict) and dict.get(page, "collection") == "posts":
        mine = [v for v in list.__iter__(pool) if v is not page][:MAX_RELATED]
        dict.__setitem__(own, RELATED, TrackedList(mine, pool._bk_key))
    else:
        dict.__setitem__(own, RELATED, None)
    return own


@dataclass(frozen=True)
class Layout:
    template: BoundTemplate
    data: dict[str, Any]
    shown: str


class LiquidEngine:
    def __init__(self, config: SiteConfig, model: SiteModel, filter_ctx: FilterContext,
                 log: ProblemLog) -> None:
        self.config = config
        self.source = config.source
        self.baseurl = str(config.get("baseurl") or "")
        self.use_layouts = template_engine(config) == "liquid"
        # Bodies before Liquid ran, for pages rendered again later with a paginator.
        self.raw_bodies: dict[str, str] = {}
        index = SiteIndex(self.source, self.source / str(config.get("includes_dir") or "_includes"),
                          lambda url: relative_url(url, self.baseurl))
        for doc in model.posts:
            stem = doc.rel_path.rsplit(".", 1)[0]
            index.posts[stem.split("_posts/", 1)[-1]] = doc.url
            index.post_names.setdefault(stem.rsplit("/", 1)[-1], doc.url)
        for item in (*model.posts, *model.pages, *model.static_files):
            index.files[item.rel_path] = item.url
        self.env = JekyllEnvironment(filter_ctx, index)
        for feature, tag in PLUGIN_TAGS.items():
            if feature in config.features:
                self.env.add_tag(tag)
        data_dir = self.source / str(config.get("data_dir") or "_data")
        try:
            self.data: dict[str, Any] = load_data(data_dir, self.source)
        except BlogkitError as exc:
            log.add(exc.to_problem())
            self.data = {}
        self._layout_paths = self._find_layouts()
        self._layouts: dict[str, Layout] = {}
        self._templates: dict[tuple[str, str], Any] = {}   # parsed bodies (render_text)

    # --- bodies ----------------------------------------------------------------------

    def site_view(self, model: SiteModel, post_views: list[dict[str, Any]],
                  page_views: list[dict[str, Any]]) -> dict[str, Any]:
        site = site_view(self.config.data, model, post_views, page_views)
        site["data"] = self.data
        add_related_pool(site, post_views)
        return site

    def render_bodies(self, model: SiteModel,
                      views_of: Callable[[list[Document]], dict[str, dict[str, Any]]],
                      log: ProblemLog) -> SiteModel:
        """The model with Liquid-rendered bodies and excerpts (still Markdown where they were)."""
        raw = {d.rel_path: doc_view(d, d.body, d.excerpt_source) for d in model.pages}
        page_views = [raw[p.rel_path] for p in model.pages]
        posts = model.posts
        if any(self._needs_liquid(d) for d in model.posts):
            # The posts' own Liquid sees every post still unconverted; views of all 5,000 posts
            # cost a quarter of a second, so they are made only when some post needs them.
            raw.update({d.rel_path: doc_view(d, d.body, d.excerpt_source) for d in model.posts})
            post_views = [raw[p.rel_path] for p in model.posts]
            link_neighbours(post_views)
            site = self.site_view(model, post_views, page_views)
            posts = tuple(self._render_doc(d, raw[d.rel_path], site, log) for d in model.posts)
        # Pages see converted posts (Jekyll renders collections before pages).
        done = views_of(list(posts))
        post_views = [done[p.rel_path] for p in posts]
        link_neighbours(post_views)
        site = self.site_view(model, post_views, page_views)
        pages = tuple(self._render_doc(d, raw[d.rel_path], site, log) for d in model.pages)
        return replace(model, posts=posts, pages=pages)

    @staticmethod
    def _needs_liquid(doc: Document) -> bool:
        """Would ``_render_doc`` change this document? (the same tests it makes)"""
        # (the texts' answer is made where the document is read, and cached with it: asking
        # the texts themselves would decode every cached body)
        return doc.data.get("render_with_liquid") is not False and liquid_in_texts(doc)

    def _render_doc(self, doc: Document, view: dict[str, Any], site: dict[str, Any],
                    log: ProblemLog) -> Document:
        if not self._needs_liquid(doc):
            return doc  # (before the scope: copying the site for every page was the cost)
        self.raw_bodies[doc.rel_path] = doc.body
        scope = {"page": view, "site": site_for(site, view), "paginator": None}
        changes: dict[str, str] = {}
        try:
            if has_liquid(doc.body):
                changes["body"] = self.render_text(doc.body, doc.rel_path, doc.body_line, scope)
            ex = doc.excerpt_source
            if ex is not None and doc.excerpt_verbatim is None and has_liquid(ex):
                changes["excerpt_source"] = (changes["body"] if ex == doc.body and "body" in changes
                                             else self.render_text(close_open_blocks(ex), doc.rel_path,
                                                                   doc.body_line, scope))
        except BlogkitError as exc:
            log.add(exc.to_problem())
            return doc
        return replace(doc, **changes) if changes else doc

    def render_text(self, text: str, shown: str, first_line: int, scope: Mapping[str, Any]) -> str:
        """Render one Liquid source; errors point at ``shown:line`` (line 1 = ``first_line``)."""
        self.env.sources[id(text)] = (shown, first_line - 1)
        try:
            return self._parsed(text, shown).render(**scope)
        except LiquidError as exc:
            raise self.env.located(exc, shown, first_line - 1) from None
        except BlogkitError:
            raise
        except Exception as exc:  # noqa: BLE001 - a filter failing on odd data: say where
            raise BlogkitError(f"Liquid error: {type(exc).__name__}: {exc}", Location(shown),
                               "check the filters used in this file", code="liquid") from None
        finally:
            self.env.sources.pop(id(text), None)

    def _parsed(self, text: str, shown: str) -> Any:
        """The parsed template of a body, kept: a paginated index renders its body once per
        page (500 parses of one body on a 5,000-post site)."""
        key = (text, shown)
        found = self._templates.get(key)
        if found is None:
            if len(self._templates) >= 256:
                self._templates.clear()  # bodies rendered once each (posts with Liquid) must not pile up
            found = self._templates[key] = self.env.from_string(text, name=shown)
        return found

    # --- layouts ---------------------------------------------------------------------

    def _find_layouts(self) -> dict[str, Path]:
        root = layouts_dir(self.config)
        if not root.is_dir():
            return {}
        found: dict[str, Path] = {}
        for path in sorted(root.rglob("*")):
            if not inside(path, self.source):
                continue  # a layout symlinked from outside the site is not read
            if path.is_file() and not path.name.startswith((".", "_", "#")) and not path.name.endswith("~"):
                found.setdefault(path.relative_to(root).with_suffix("").as_posix(), path)
        return found

    def layout_names(self) -> list[str]:
        """What the layouts folder offers (which name maps to which file): part of every Liquid
        output's fingerprint, since adding a layout can change a page that named a missing one."""
        return sorted(f"{name}={path.name}" for name, path in self._layout_paths.items())

    def layout(self, name: str) -> Layout | None:
        if name in self._layouts:
            return self._layouts[name]
        path = self._layout_paths.get(name)
        if path is None:
            return None
        shown = path.relative_to(self.source).as_posix()
        parsed = parse_front_matter(path.read_text(encoding="utf-8"), shown)
        self.env.sources[id(parsed.body)] = (shown, parsed.body_line - 1)  # kept: layouts live all build
        try:
            template = self.env.from_string(parsed.body, name=shown)
        except LiquidError as exc:
            raise self.env.located(exc, shown, parsed.body_line - 1) from None
        found = Layout(template, dict(parsed.meta), shown)
        self._layouts[name] = found
        return found

    def render_layouts(self, layout: str | None, content: str, context: Mapping[str, Any],
                       where: Location) -> str:
        """Wrap ``content`` in ``layout`` and each parent it names (Jekyll's layout chain)."""
        seen: list[str] = []
        layout_vars: dict[str, Any] = {}
        scope = {**context, "site": site_for(context.get("site"), context.get("page"))}
        while layout:
            found = self.layout(layout)
            if found is None:
                raise MissingLayout(f"layout '{layout}' does not exist", where,
                                    f"create _layouts/{layout}.html or change 'layout:'",
                                    code="missing-layout")
            if layout in seen or len(seen) >= MAX_DEPTH:
                raise BlogkitError(f"layout loop: {' -> '.join(seen + [layout])}", where,
                                   "remove the 'layout:' that points back", code="layout-loop")
            seen.append(layout)
            record(file_dep(self._layout_paths[layout]))  # an edited layout re-renders what used it
            layout_vars = {**found.data, **layout_vars}   # Jekyll: inner layout's keys win
            try:
                content = found.template.render(**scope, content=content, layout=layout_vars)
            except LiquidError as exc:
                raise self.env.located(exc, found.shown, 0) from None
            except BlogkitError:
                raise
            except Exception as exc:  # noqa: BLE001
                raise BlogkitError(f"Liquid error: {type(exc).__name__}: {exc}", Location(found.shown),
                                   "check the filters used in this layout", code="liquid") from None
            parent = found.data.get("layout")
            layout = None if parent in (None, "none", "null", False) else str(parent)
        return content


def make_engine(config: SiteConfig, model: SiteModel, markdownify: Callable[[str], str],
                smartify: Callable[[str], str], zone: Any, log: ProblemLog) -> LiquidEngine:
    """The Liquid engine of a Jekyll site (``blogkit.liquid.make_engine`` decides whether there is one)."""
    ctx = FilterContext(baseurl=str(config.get("baseurl") or ""), url=str(config.get("url") or ""),
                        zone=zone, markdownify=markdownify, smartify=smartify)
    return LiquidEngine(config, model, ctx, log)
