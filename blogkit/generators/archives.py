"""jekyll-archives 2.2.1 URLs and variables, plus pagination (a blogkit addition).

Input: the ``RenderContext`` (``jekyll-archives:`` config, site.categories/tags, post views).
Output: one ``Output`` per archive page. Page 1 is at the archive URL (exactly Jekyll's path),
page n >= 2 at ``<archive url>page/n/``. Keys whose slugs collide (``AI``/``ai``) are merged
into one archive (Jekyll writes both to one file, the last wins) and reported as a warning.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from ..fastpaths import relative
from ..render.documents import forkable
from ..render.loader import layout_template_name
from ..site import Output
from ..slugify import slugify
from ..urls import expand_template
from .common import PagePlan, dir_dest, page_total, pager, url_dest
from .structure_memo import by_structure

if TYPE_CHECKING:
    from ..render.site import RenderContext

TYPES = ("tag", "category", "year", "month", "day")
ENABLED_NAMES = {"tag": "tags", "category": "categories", "year": "year", "month": "month", "day": "day"}
DEFAULT_PERMALINKS = {"year": "/:year/", "month": "/:year/:month/", "day": "/:year/:month/:day/",
                      "tag": "/tag/:name/", "category": "/category/:name/"}
DATE_FORMATS = {"year": "%Y", "month": "%Y/%m", "day": "%Y/%m/%d"}


@dataclass(frozen=True)
class Archive:
    type: str
    keys: tuple[str, ...]          # the site.tags/categories keys merged here (one unless they collided)
    title: str | None              # page.title: the key (the one Jekyll would write last); None for dates
    date: datetime | None
    url: str
    post_urls: tuple[str, ...]     # newest first


def archive_config(config: Any) -> dict[str, Any]:
    raw = config.get("jekyll-archives")
    raw = dict(raw) if isinstance(raw, Mapping) else {}
    if "enabled" not in raw and config.kind == "blogkit":
        raw["enabled"] = ["categories", "tags"]
    perma = dict(DEFAULT_PERMALINKS)
    if isinstance(raw.get("permalinks"), Mapping):
        perma.update({str(k): str(v) for k, v in raw["permalinks"].items() if v})
    raw["permalinks"] = perma
    return raw


def is_enabled(cfg: Mapping[str, Any], kind: str) -> bool:
    enabled = cfg.get("enabled")
    if enabled is True or enabled == "all":
        return True
    return isinstance(enabled, list) and ENABLED_NAMES[kind] in enabled


def archive_url(template: str, placeholders: Mapping[str, str]) -> str:
    """Jekyll::URL with placeholders escaped like a post's (`業界別ai活用` -> `%E6…`)."""
    return expand_template(template, placeholders)


def term_archives(kind: str, terms: Mapping[str, Sequence[str]], template: str,
                  posts_order: Mapping[str, int]) -> tuple[list[Archive], list[tuple[str, ...]]]:
    """One archive per slug; returns the archives and the groups of keys that collided."""
    groups: dict[str, list[str]] = {}
    for key in terms:   # site.tags order: first appearance, oldest first
        url = archive_url(template, {"name": slugify(key, "default")})
        groups.setdefault(url, []).append(key)
    out, collisions = [], []
    for url, keys in groups.items():
        merged = {u for k in keys for u in terms[k]}
        urls = tuple(sorted(merged, key=lambda u: posts_order[u]))
        if len(keys) > 1:
            collisions.append(tuple(keys))
        out.append(Archive(kind, tuple(keys), keys[-1], None, url, urls))
    return out, collisions


def date_archives(kind: str, posts: Sequence[Any], template: str) -> list[Archive]:
    groups: dict[str, list[Any]] = {}
    for post in posts:   # newest first already
        groups.setdefault(post.date.strftime(DATE_FORMATS[kind]), []).append(post)
    out = []
    for stamp, items in groups.items():
        parts = stamp.split("/")
        names = dict(zip(("year", "month", "day"), parts))
        first = items[0].date
        date = first.replace(month=int(names.get("month", 1)), day=int(names.get("day", 1)),
                             hour=0, minute=0, second=0, microsecond=0)
        out.append(Archive(kind, (), None, date, archive_url(template, names), tuple(p.url for p in items)))
    return out


def collect(ctx: "RenderContext", warn: bool = True) -> tuple[Archive, ...]:
    """Every archive, in jekyll-archives' order: tags, categories, years, months, days.
    (Planned once per site structure: the archives and the sitemap both ask, on every build.)"""
    if not ctx.config.has("archives"):
        return ()
    try:
        found, collisions = by_structure(ctx, "archives", lambda: _collect(ctx))
    except ValueError as exc:  # an unknown placeholder in a `permalinks:` template
        if warn:
            ctx.log.error(f"jekyll-archives permalinks: {exc}", ctx.config.where("jekyll-archives"),
                          "use only :name (tags, categories) or :year :month :day", code="bad-config")
        return ()
    for kind, keys, url in collisions if warn else ():
        ctx.log.warn(f"{kind} keys {', '.join(repr(k) for k in keys)} share the archive {url}; "
                     "their posts are listed together", ctx.config.where("jekyll-archives"),
                     f"spell the {kind} the same way in every post", code="archive-collision")
    return found


def _collect(ctx: "RenderContext") -> tuple[tuple[Archive, ...], tuple[tuple[str, tuple[str, ...], str], ...]]:
    """The archives, and (kind, keys, url) of each group of keys that share one archive."""
    cfg = archive_config(ctx.config)
    order = {p.url: i for i, p in enumerate(ctx.model.posts)}
    archives: list[Archive] = []
    shared: list[tuple[str, tuple[str, ...], str]] = []
    for kind, terms in (("tag", ctx.model.tags), ("category", ctx.model.categories)):
        if not is_enabled(cfg, kind):
            continue
        found, collisions = term_archives(kind, terms, cfg["permalinks"][kind], order)
        archives.extend(found)
        shared.extend((kind, keys, found[[a.keys for a in found].index(keys)].url) for keys in collisions)
    for kind in ("year", "month", "day"):
        if is_enabled(cfg, kind):
            archives.extend(date_archives(kind, ctx.model.posts, cfg["permalinks"][kind]))
    return tuple(archives), tuple(shared)


def page_url(first: str, n: int) -> str:
    """Page n of an archive: `/tag/ai/` -> `/tag/ai/page/2/`; `/t/ai.html` -> `/t/ai/page/2/`."""
    if n <= 1:
        return first
    base = first if first.endswith("/") else posixpath.splitext(first)[0] + "/"
    return f"{base}page/{n}/"


def plan_pages(archive: Archive, count: int) -> list[PagePlan]:
    """The archive's ``count`` pages, without their paginators (``archive_pager``)."""
    plans = []
    for n in range(1, count + 1):
        url = page_url(archive.url, n)
        plans.append(PagePlan(n, url, url_dest(url) if n == 1 else dir_dest(url), None))
    return plans


def archive_pager(archive: Archive, post_views: Sequence[dict[str, Any]], per: int, n: int) -> dict[str, Any]:
    """Page ``n``'s paginator of a paginated archive listing ``post_views``."""
    return pager(post_views, per, n, lambda k: page_url(archive.url, k))


def per_page(ctx: "RenderContext") -> int | None:
    """Posts per archive page, or None: one page listing every post, as jekyll-archives writes
    it. Paginated archives are a blogkit extra (`paginate_archives`): on by default on a blogkit
    site, off on a Jekyll site, whose files must be the ones Jekyll writes."""
    if not ctx.config.has("paginate_archives"):
        return None
    return ctx.config.paginate or 10


def page_count(archive: Archive, per: int | None) -> int:
    """How many pages the archive has (the sitemap lists them; the generator writes them)."""
    return 1 if per is None else page_total(len(archive.post_urls), per)


@forkable  # renders many pages through ctx.render: may run in a render worker
def generate(ctx: "RenderContext") -> list[Output]:
    archives = collect(ctx)
    if not archives:
        return []
    cfg = archive_config(ctx.config)
    views = {dict.__getitem__(v, "url"): v for v in ctx.post_views}  # (not a template's read)
    layouts = cfg.get("layouts") if isinstance(cfg.get("layouts"), Mapping) else {}
    missing: set[str] = set()
    out: list[Output] = []
    per = per_page(ctx)
    # (planned once per site structure: 3,700 archive pages' URLs and files were 0.04 s of
    # every edit command at 5,000 posts)
    planned = by_structure(ctx, "archive pages", lambda: _pages(archives, per))
    for archive, pages in zip(archives, planned, strict=True):
        layout = str(layouts.get(archive.type) or cfg.get("layout") or "archive")
        if layout not in missing and layout_template_name(layout, ctx.renderer.loader) is None:
            # Jekyll warns and writes an empty page; warn once per layout, not once per archive.
            missing.add(layout)
            ctx.log.warn(f"archive layout '{layout}' does not exist; archive pages are written empty",
                         ctx.config.where("jekyll-archives"), f"create templates/{layout}.html", code="missing-layout")
        origin = f"(archive {archive.url})"
        posts: list[dict[str, Any]] | None = None
        for number, url, dest in pages:
            # (a page the edit plan keeps needs neither its posts nor a paginator: most of
            # them, after a body edit)
            html = None if layout in missing else ctx.planned(layout, url, origin, per is not None)
            if html is None:
                if posts is None:
                    posts = [views[u] for u in archive.post_urls if u in views]
                paginator = None if per is None else archive_pager(archive, posts, per, number)
                page = {"type": archive.type, "title": archive.title, "date": archive.date,
                        "posts": posts if paginator is None else paginator["posts"], "url": url,
                        "layout": layout, "keys": list(archive.keys), "archive_url": archive.url}
                html = "" if layout in missing else ctx.render(layout, page, "", origin, paginator)
            if html is not None:
                out.append(Output(relative(dest), html.encode("utf-8"), origin=origin, kind="archive"))
    return out


def _pages(archives: tuple[Archive, ...], per: int | None) -> tuple[tuple[tuple[int, str, str], ...], ...]:
    """Each archive's pages as (number, URL, file): ``plan_pages`` over every archive, kept as
    strings (what the build cache holds; the files become paths again with ``fastpaths``)."""
    out = []
    for archive in archives:
        out.append(tuple((p.number, p.url, str(p.dest)) for p in plan_pages(archive, page_count(archive, per))))
    return tuple(out)
