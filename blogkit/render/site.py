"""Rendering the site: a ``SiteModel`` in, the list of ``Output`` files out.

Markdown first (every document's content and excerpt, so ``site.posts[i].content`` is
available to any template), then views, then each document and generated page through its
layout chain. Problems are logged with their location; the page is skipped, the rest goes on.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterator

from markupsafe import Markup

from ..config import SiteConfig
from ..content.model import Document, SiteModel, text_digest, view_fingerprints
from ..errors import BlogkitError, Location, Problem, ProblemLog, Severity
from .. import heap
from ..cache import Cache, markdown_key, package_fingerprint, seal
from ..markdown import Markdown, Rendered, make_markdown, smartify
from ..parallel import render_all
from ..progress import Progress, null_progress
from ..output import Stager
from ..site import Output, zone_of
from ..liquid import make_engine
from ..generators.sass import is_sass
from ..generators.structure_memo import answers, store_answers
from .env import Renderer, make_env
from .documents import render_outputs
from .layouts import MissingLayout, render_layouts
from .incremental import Incremental, KeepBytes, OutputRecord, RenderedHTML, TaggedBytes, Unchanged
from .delta import DepIndex, keep_plan, site_basis
from .tracking import (BODY, STATIC_PREFIX, SUMMARY, Recording, TrackedBranch, TrackedDict, TrackedList, TrackedView, digest,
                       files_digest, shallow)
from .views import doc_view, link_neighbours, site_view, static_entry


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
    incremental: Incremental | None = None
    engine: Any = None                   # LiquidEngine of a Jekyll site with _layouts/ (None: Jinja)
    store: Cache | None = None           # the on-disk cache (plans kept per basis: structure_memo)

    @staticmethod
    def _rid(layout: str | None, page: dict[str, Any], origin: str, paginator: dict[str, Any] | None) -> str:
        return _output_id(origin, dict.get(page, "url", ""), layout, bool(paginator))

    def planned(self, layout: str | None, url: str, origin: str, paginated: bool) -> "Unchanged | None":
        """What ``render`` returns for this output when the edit plan keeps it whatever its
        arguments (the same basis: render/delta.py), or None. A generator asks first and makes
        a page's paginator only for a page that is rendered: 3,700 archive pages of a 5,000-post
        site, of which a body edit re-renders a handful."""
        inc = self.incremental
        if inc is None or not inc.plan_all:
            return None
        rid = _output_id(origin, url, layout, paginated)
        return self._kept(rid, inc.kept_by_plan(rid))

    def _kept(self, rid: str, record: OutputRecord | None) -> "Unchanged | None":
        """The marker of an output kept on ``record`` (its warnings reported again), or None."""
        if record is None:
            return None
        for problem in record.warnings:
            self.log.add(problem)
        return Unchanged("", rid)

    def _base(self, rid: str, page: dict[str, Any], paginator: dict[str, Any] | None, content_fp: str) -> str:
        assert self.incremental is not None
        return digest(self.incremental.global_fp, rid, shallow(page), shallow(paginator), content_fp)

    def will_keep(self, layout: str | None, page: dict[str, Any], origin: str,
                  content_fp: Callable[[], str]) -> bool:
        """Would ``render`` keep this output as it is (incremental)? Changes nothing."""
        inc = self.incremental
        if inc is None:
            return False
        rid = self._rid(layout, page, origin, None)
        if inc.plan is not None and rid in inc.plan:
            return True
        return inc.check(rid, self._base(rid, page, None, content_fp())) is not None

    def render(self, layout: str | None, page: dict[str, Any], content: str | Callable[[], str], origin: str,
               paginator: dict[str, Any] | None = None,
               content_fp: Callable[[], str] | None = None) -> str | None:
        """Render ``content`` inside ``layout`` with the usual variables; None if it failed.

        With incremental state, an output whose recorded reads are unchanged is not rendered:
        an ``Unchanged`` marker is returned and its file is kept.
        """
        rid = self._rid(layout, page, origin, paginator)
        inc, base = self.incremental, ""
        if inc is not None and (inc.plan_all or _own_document(page, origin, paginator)):
            kept = self._kept(rid, inc.kept_by_plan(rid))
            if kept is not None:
                return kept
        if inc is not None:
            if content_fp is None:
                content = content() if callable(content) else content
                fp = digest(content)
            else:
                fp = content_fp()  # (a function: an output kept by the plan never computes it)
            base = self._base(rid, page, paginator, fp)
            kept = self._kept(rid, inc.unchanged(rid, base))
            if kept is not None:
                return kept
        context = {"site": self.site, "page": page, "paginator": paginator}
        warnings: list[Problem] = []
        with Recording() as reads:
            text = content() if callable(content) else content  # its reads count too
            try:
                if self.engine is not None and self.engine.use_layouts:  # the site's own _layouts/
                    html = self.engine.render_layouts(layout, text, context, Location(origin))
                else:
                    html = render_layouts(self.renderer, layout, text, context, Location(origin),
                                          self.config.source)
            except MissingLayout as exc:
                # Jekyll warns and writes the content without a layout; so do we.
                warnings.append(exc.to_problem(Severity.WARNING))
                html = text
            except BlogkitError as exc:
                self.log.add(exc.to_problem())
                return None
        for problem in warnings:
            self.log.add(problem)
        if inc is not None:
            # The source document is a dependency even when no template read its view (a
            # paginated index renders its body directly): an edit plan must not keep it.
            own = "doc:" + origin
            if inc.fp_of(own) is not None:
                reads.update((own, own + BODY))
            inc.remember(rid, base, reads, warnings)
        return RenderedHTML(html, rid)


    def output_unless_unchanged(self, dest: PurePosixPath, origin: str, kind: str, inputs: list[Any],
                                produce: Callable[[], str]) -> Output:
        """For generated files that are not templates (feeds, sitemap): ``inputs`` are what the
        file is made from; when their digest matches the last build's and the file is intact,
        the file is kept without producing it again."""
        inc = self.incremental
        if inc is None:
            return Output(dest, produce().encode("utf-8"), origin=origin, kind=kind)
        rid = f"{origin}\0{dest}"
        base = digest(inc.global_fp, rid, *inputs)
        if inc.unchanged(rid, base) is not None:
            return Output(dest, KeepBytes(b"", rid), origin=origin, kind=kind)
        data = TaggedBytes(produce().encode("utf-8"), rid)
        inc.remember(rid, base, set(), [])
        return Output(dest, data, origin=origin, kind=kind)


Generator = Callable[[RenderContext], list[Output]]


def _output_id(origin: str, url: object, layout: str | None, paginated: bool) -> str:
    """A template output's id in the records: its source, page URL, layout, with a paginator?"""
    return f"{origin}\0{url}\0{layout}\0{'P' if paginated else ''}"


def _markdown_texts(docs: list[Document]) -> dict[str, tuple[Document, str]]:
    """Every Markdown text the site needs, each once, by its digest: (document, "body" or
    "excerpt_source"), bodies then excerpts. Keyed by digest, not by text: hashing every body as
    a dict key reads it all (80 MB at 5,000 posts), and a body loaded from the cache is not even
    decoded until something reads it (``Document.body``)."""
    texts: dict[str, tuple[Document, str]] = {}
    for doc in docs:
        if doc.is_markdown:
            texts.setdefault(_digest_of(doc, "body"), (doc, "body"))
            if doc.excerpt_verbatim is None and doc.excerpt_source is not None:
                texts.setdefault(_digest_of(doc, "excerpt_source"), (doc, "excerpt_source"))
    return texts


def _digest_of(doc: Document, part: str) -> str:
    """The digest of the document's body or excerpt source: the one made where it was read, or
    (a text replaced since, e.g. by Liquid) made now."""
    made = doc.body_digest if part == "body" else doc.excerpt_digest
    return made or text_digest(getattr(doc, part))


# The last call's digest -> Markdown key map: the preview server's next build (and the same
# build's second pass) finds most keys here. It holds only the last call's, so it never
# outgrows the site.
_KEYS: dict[str, dict[str, str]] = {}


MarkdownLookup = Callable[[Document, str], "Rendered | None"]


def prepare_markdown(docs: list[Document], md: Markdown, options: dict[str, Any] | None,
                     store: Cache | None, memo: dict[str, Any] | None, log: ProblemLog,
                     progress: Progress, failed: set[str] | None = None) -> MarkdownLookup:
    """Render every Markdown text not already cached (on every core); return a lookup of a
    document's "body" or "excerpt_source" HTML.

    Cached results are not loaded here: an incremental build only reads the HTML of the
    outputs it actually renders. ``failed``: the keys whose rendering failed in an earlier call
    of the same build (reported once; a Jekyll site's posts come through here twice).
    """
    failed = set() if failed is None else failed
    texts = _markdown_texts(docs)
    fingerprint = json.dumps(options or {}, sort_keys=True, default=str)
    known = _KEYS.get(fingerprint, {})
    keys = {d: known.get(d) or markdown_key(fingerprint, d) for d in texts}
    _KEYS.clear()
    _KEYS[fingerprint] = keys
    present = {k for k in keys.values() if memo is not None and k in memo}
    absent = [k for k in keys.values() if k not in present]
    if store is not None and absent:
        present |= store.keys_present(absent)
    todo = [d for d in texts if keys[d] not in present]
    task = progress.task("markdown", len(todo))
    fresh: dict[str, Rendered] = {}
    # Without the preview server's memo the results are only stored: they come sealed for the
    # store from the workers (not unpickled here to be pickled again: half a second of this
    # process on a 5,000-post cold build) and are read back when a template shows them.
    sealed: dict[str, bytes] = {}
    sources = [getattr(*texts[d]) for d in todo]
    for text_id, result in zip(todo, render_all(sources, md, options,
                                                seal if memo is None and store is not None else None),
                               strict=True):  # (runs the pool to its end)
        task.advance()
        if isinstance(result, BaseException):
            if keys[text_id] in failed:
                continue
            failed.add(keys[text_id])
            owner = texts[text_id][0]
            log.error(f"Markdown rendering failed: {type(result).__name__}: {result}",
                      Location(owner.rel_path, owner.body_line),
                      "simplify the Markdown near that line and report the bug", code="markdown")
            continue
        if isinstance(result, bytes):
            sealed[keys[text_id]] = result
            if len(sealed) >= 256:
                assert store is not None
                store.put_sealed(sealed)  # in batches: never every rendered page in memory at once
                sealed.clear()
        else:
            fresh[keys[text_id]] = result
    del sources
    if store is not None:
        store.put_sealed(sealed)
        store.put_many(fresh)
    if memo is not None:
        memo.update(fresh)
        wanted = set(keys.values())
        for stale in [k for k in memo if k not in wanted]:
            del memo[stale]
    elif store is not None:
        fresh.clear()  # the disk cache has them; keep memory flat on big sites

    def lookup(doc: Document, part: str) -> Rendered | None:
        text_id = _digest_of(doc, part)
        key = keys.get(text_id) or markdown_key(fingerprint, text_id)
        if key in fresh:
            return fresh[key]
        if memo is not None and key in memo:
            return memo[key]
        value = store.get(key) if store is not None else None
        if value is None:  # no cache, or a damaged value (its key looked present): render it now
            try:
                value = md.render(getattr(doc, part))
            except Exception:  # noqa: BLE001 - already reported above when it failed
                return None
        return value

    return lookup


def _tracked_view(doc: Document, lookup: MarkdownLookup) -> TrackedView:
    def content() -> Markup:
        r = lookup(doc, "body") if doc.is_markdown else None
        return Markup(r.html if r is not None else doc.body)

    def excerpt() -> Markup:
        if doc.excerpt_verbatim is not None:
            return Markup(doc.excerpt_verbatim)
        if doc.excerpt_source is None:
            return Markup("")
        r = lookup(doc, "excerpt_source") if doc.is_markdown else None
        return Markup(r.html if r is not None else doc.excerpt_source)

    def toc() -> list[dict[str, Any]]:
        r = lookup(doc, "body") if doc.is_markdown else None
        return [{"level": h.level, "id": h.id, "text": h.text} for h in (r.headings if r else ())]

    lazy: dict[str, Callable[[], Any]] = {"content": content, "toc": toc}
    if doc.is_post:
        lazy["excerpt"] = excerpt
    meta, body, summary = view_fingerprints(doc)
    return TrackedView(_view_data(doc), "doc:" + doc.rel_path, meta, lazy, body_fp=body, summary_fp=summary)


# Each document's ``doc_view`` (a pure function of the document), by the document object, from
# the last build: the preview server keeps unchanged documents between builds, and making 5,000
# of them was ~25 ms of every rebuild. A TrackedView copies it (the build's own links and
# lazy values go into that copy). Only the last build's documents are kept (``_keep_view_data``).
_VIEW_DATA: dict[int, tuple[Document, dict[str, Any]]] = {}
_USED: dict[int, tuple[Document, dict[str, Any]]] = {}


def _view_data(doc: Document) -> dict[str, Any]:
    known = _VIEW_DATA.get(id(doc))
    if known is None or known[0] is not doc:
        known = (doc, doc_view(doc))
    _USED[id(doc)] = known
    return known[1]


def _keep_view_data() -> None:
    """Keep the view data this build used, and only those, for the next build."""
    _VIEW_DATA.clear()
    _VIEW_DATA.update(_USED)
    _USED.clear()


def _short_texts_remembered(render: Callable[[str], str], longest: int = 300,
                            most: int = 4096) -> Callable[[Any], str]:
    """``markdownify`` for templates: short texts (titles, names, descriptions) are rendered once
    per build. {% seo %} formats every page's title through Markdown, and an archive's pages
    share theirs: 1,100 pages re-rendered after a new post at 5,000 posts ran Markdown 5,000
    times for a few hundred distinct titles (pyinstrument, 2.5% of that rebuild)."""
    known: dict[str, str] = {}

    def markdownify(value: Any) -> str:
        text = str(value)
        if len(text) > longest:
            return render(text)
        html = known.get(text)
        if html is None:
            if len(known) >= most:
                known.clear()
            html = known[text] = render(text)
        return html
    return markdownify


def render_site(config: SiteConfig, model: SiteModel, log: ProblemLog,
                progress: Progress = null_progress, generators: list[Generator] | None = None,
                store: Cache | None = None, memo: dict[str, Any] | None = None,
                previous: dict[str, OutputRecord] | None = None, previous_basis: str | None = None,
                previous_global: str | None = None,
                contexts: list[RenderContext] | None = None, stager: Stager | None = None,
                dep_index: DepIndex | None = None) -> Iterator[Output]:
    """Yield every output file. ``previous`` (the last build's records) enables skipping.
    With ``stager``, documents rendered in worker processes are staged there (``Output.staged``)."""
    options = config.get("kramdown") if isinstance(config.get("kramdown"), dict) else None
    md = make_markdown(options)
    zone = zone_of(config)
    # Compiled templates are kept per blogkit code and config: Jinja folds filters over constants
    # at compile time (`'/' | relative_url` becomes the site's baseurl), so the compiled form of a
    # template depends on the config as well as on its source.
    code_config = code_and_config(config)
    bytecode_dir = (store.path.parent / "jinja" / code_config[:20]
                    if store is not None and store.path is not None else None)
    markdownify = _short_texts_remembered(lambda text: md.render(text).html)
    renderer = make_env(config, markdownify, smartify, zone, bytecode_dir)

    made: dict[str, tuple[Document, TrackedView]] = {}
    failed: set[str] = set()  # Markdown keys that failed to render (prepare_markdown)

    def views_of(some: list[Document]) -> dict[str, TrackedView]:
        """Views of ``some``; a document seen by an earlier call (the Liquid pass) keeps its view."""
        lookup = prepare_markdown(some, md, options, store, memo, log, progress, failed)
        out = {}
        with heap.no_collection():  # 5,000 views built in a burst (blogkit/heap.py)
            for doc in some:
                seen = made.get(doc.rel_path)
                view = seen[1] if seen is not None and seen[0] is doc else _tracked_view(doc, lookup)
                made[doc.rel_path] = (doc, view)
                out[doc.rel_path] = view
        return out

    # A Jekyll site's bodies go through Liquid before Markdown (spec §10.2). Their output can
    # depend on any other document, so their fingerprint becomes the rendered text's. A body
    # without Liquid comes back as the same object, and its source hash already covers it.
    engine = make_engine(config, model, markdownify, smartify, zone, log)
    if engine is not None:
        read = {d.rel_path: d for d in (*model.posts, *model.pages)}
        model = engine.render_bodies(model, views_of, log)
        model = replace(model, posts=tuple(d if d is read[d.rel_path] else _refingerprint(d) for d in model.posts),
                        pages=tuple(d if d is read[d.rel_path] else _refingerprint(d) for d in model.pages))
    docs = [*model.posts, *model.pages]
    views = views_of(docs)
    _keep_view_data()
    post_views = [views[p.rel_path] for p in model.posts]
    page_views = [views[p.rel_path] for p in model.pages]
    link_neighbours(post_views)
    site = site_view(config.data, model, post_views, page_views)
    site["features"] = sorted(config.features)
    if config.kind == "jekyll" and "url" not in config.key_origins:
        # Jekyll has no default `url`: nil, so `{% if site.url %}` (jekyll-seo-tag's canonical
        # link) is false, where blogkit's internal "" would be true in Liquid.
        site["url"] = None
    if engine is not None:
        from ..liquid.engine import add_related_pool  # (python-liquid: a Jekyll site's only)
        dict.__setitem__(site, "data", engine.data)
        add_related_pool(site, post_views)
    ctx = RenderContext(config, model, renderer, site, post_views, page_views, log, engine=engine, store=store)
    if previous is not None:
        global_fp = global_fingerprint(code_config, renderer)
        if engine is not None and engine.use_layouts:
            global_fp = digest(global_fp, *engine.layout_names())
        # (the basis before the view hooks: related posts are planned once per basis)
        ctx.incremental = Incremental(previous, config.destination, global_fp, basis=site_basis(global_fp, model))
    if generators is None:  # view hooks (site.tag_cloud, page.related) before any template runs
        from ..generators import all_view_hooks
        for hook in all_view_hooks():
            hook(ctx)
    if ctx.incremental is not None:
        inc = ctx.incremental
        # (after the hooks: site.tag_cloud is one of its inputs, related posts are links)
        inc.fp_of = make_resolver(views, site, answers(ctx, "view links"))
        if previous_global == inc.global_fp:  # same code, config and templates (render/delta.py)
            inc.plan = keep_plan(inc.previous, inc.fp_of, config.destination, dep_index)
            inc.plan_all = previous_basis == inc.basis  # and the same structure
            # (a command's next edit build finds every view's link fingerprint: 5,000 of them
            # were ~0.03 s of each command)
            store_answers(ctx, "view links")
    if contexts is not None:
        contexts.append(ctx)

    heap.keep()  # views and context live as long as the build, like the documents (site.build)
    # Jekyll: pages, then posts. Sass pages become CSS in generators/sass.py, not through layouts,
    # and a page a generator writes itself (the paginated home) is not rendered on its own.
    generators = generators if generators is not None else default_generators()
    replaced = {rel for g in generators for rel in getattr(g, "replaces", lambda _: ())(ctx)}
    ordered = [(doc, views[doc.rel_path]) for doc in (*model.pages, *model.posts)
               if not is_sass(doc) and doc.rel_path not in replaced]
    yield from render_outputs(ctx, ordered, generators, store, progress, stager)
    for sf in model.static_files:
        yield Output(sf.dest, source=sf.path, origin=sf.rel_path, kind="static")


def _own_document(page: dict[str, Any], origin: str, paginator: dict[str, Any] | None) -> bool:
    """Is this render a document's own page (its view, no paginator)? Its arguments are then
    its own view alone, which its recorded reads cover (render/delta.py)."""
    return paginator is None and isinstance(page, TrackedView) and page._bk_key == "doc:" + origin


def _refingerprint(doc: Document) -> Document:
    return replace(doc, source_hash=digest(doc.source_hash, doc.body, doc.excerpt_source))


def make_resolver(views: dict[str, TrackedView], site: dict[str, Any],
                  links: dict[str, tuple[str, str]] | None = None) -> Callable[[str], str | None]:
    """Fingerprint of a dependency name recorded while rendering (see render/tracking.py).

    ``links``: view key -> (its base, its meta fingerprint) from earlier builds with this
    build's basis. A view's meta fingerprint is its base and the views it links to (previous,
    next, related), which the basis decides: with the same base it is the same (5,000 of them
    were 20 ms of a preview rebuild)."""
    by_key = {v._bk_key: v for v in views.values()}
    collections: dict[str, Any] = {}
    for value in dict.values(site):
        if isinstance(value, (TrackedList, TrackedDict)):
            collections[value._bk_key] = value
            if isinstance(value, TrackedDict):
                for member in dict.values(value):
                    if isinstance(member, TrackedList):
                        collections[member._bk_key] = member
    memo: dict[str, str | None] = {}

    def resolve(dep: str) -> str | None:
        if dep in memo:
            return memo[dep]
        if dep in by_key:
            view = by_key[dep]
            known = links.get(dep) if links is not None else None
            if known is not None and known[0] == view._bk_base:
                fp: str | None = known[1]
            else:
                fp = view.meta_fingerprint()
                if links is not None:
                    links[dep] = (view._bk_base, fp)
        elif dep.endswith(BODY) and dep[:-len(BODY)] in by_key:
            fp = by_key[dep[:-len(BODY)]].body_fingerprint()
        elif dep.endswith(SUMMARY) and dep[:-len(SUMMARY)] in by_key:
            fp = by_key[dep[:-len(SUMMARY)]].summary_fingerprint()
        elif dep in collections:
            fp = collections[dep].fingerprint()
        elif dep.startswith(STATIC_PREFIX):
            entry = static_entry(site, dep[len(STATIC_PREFIX):])
            fp = digest(shallow(entry)) if entry is not None else "absent"
        elif dep.startswith("file:"):
            try:
                fp = digest(Path(dep[5:]).read_bytes())
            except OSError:
                fp = "missing"
        elif dep.startswith("site.") and dep != "site.*":
            name = dep[5:]
            head, _, part = name.partition(".")
            branch = dict.get(site, head) if part and not dict.__contains__(site, name) else None
            if isinstance(branch, TrackedBranch):
                fp = branch.part(part)
            else:
                fp = digest(shallow(dict.get(site, name))) if dict.__contains__(site, name) else "absent"
        else:
            fp = None
        memo[dep] = fp
        return fp

    return resolve


def code_and_config(config: SiteConfig) -> str:
    """blogkit's code and theme, and the config."""
    return digest(package_fingerprint(), json.dumps(config.data, sort_keys=True, default=str), sorted(config.features))


def global_fingerprint(code_config: str, renderer: Renderer) -> str:
    """Everything every output depends on: blogkit's code and theme and the config
    (``code_and_config``), the templates."""
    return digest(code_config, files_digest(renderer.loader.searchpath))


def default_generators() -> list[Generator]:
    from ..generators import all_generators
    return all_generators()
