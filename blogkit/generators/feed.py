"""jekyll-feed 0.17.0: Atom feeds, byte-for-byte in what readers see (spec §9.1).

Input: the ``RenderContext`` (``feed:`` config, post views, site.time). Output: ``/feed.xml``
(or ``feed.path``), ``feed.categories``/``feed.tags`` feeds and, with the ``tag_feeds`` extra,
``/feed/categories/<slug>.xml`` and ``/feed/tags/<slug>.xml``. The XML is written as text with
jekyll-feed's escaping (titles are smartified, which escapes ``&``, then escaped again — as
Jekyll does); CDATA sections split any ``]]>``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from ..dates import xmlschema
from ..filters import normalize_whitespace, strip_html
from ..markdown import smartify
from ..site import Output
from ..slugify import slugify
from ..urls import absolute_url, url_to_relpath
from .common import cdata, occupied_urls, xml_escape
from .structure_memo import by_structure

if TYPE_CHECKING:
    from ..render.site import RenderContext

GENERATOR = '<generator uri="https://jekyllrb.com/" version="4.3.1">Jekyll</generator>'
_TAG_FEED_OK = re.compile(r"^[A-Za-z0-9_]+$")


@dataclass(frozen=True)
class FeedSpec:
    path: str                      # URL path, e.g. /feed.xml
    title_suffix: str | None       # " | <Category>" part
    posts: tuple[dict[str, Any], ...]   # (from ``plan``: the first posts_limit, the ones it shows)
    # its entries' newest date (last_modified_at or date): a blogkit site's <updated>; None
    # when it has no posts
    newest: datetime | None = None


def feed_config(config: Any) -> dict[str, Any]:
    raw = config.get("feed")
    return dict(raw) if isinstance(raw, Mapping) else {}


def main_path(config: Any) -> str:
    path = str(feed_config(config).get("path") or "/feed.xml")
    return path if path.startswith("/") else "/" + path


def tag_feed_path(kind: str, key: str) -> str:
    return f"/feed/{'categories' if kind == 'category' else 'tags'}/{slugify(key, 'default')}.xml"


def plan(ctx: "RenderContext") -> list[FeedSpec]:
    """Every feed this site gets, in jekyll-feed's order, minus paths a source already has.
    Which posts each feed lists, in which order, and its newest date are the site's structure
    alone: planned once per structure (generators/structure_memo.py), as positions in the list
    of posts, and given this build's views."""
    if not ctx.config.has("feed"):
        return []
    drafts = ctx.config.get("show_drafts")
    # (dict.get: a view's own `get` records the read, and this runs outside any template)
    posts = [p for p in ctx.post_views if drafts or not dict.get(p, "draft")]
    planned = by_structure(ctx, "feeds", lambda: _positions_of(_plan(ctx, posts), posts))
    # A feed shows its first `posts_limit` posts: the rest are not handed over (with a feed per
    # tag, ~15,000 views were gathered on every build at 5,000 posts to show ~1,000).
    limit = posts_limit(ctx.config.data)
    return [FeedSpec(path, suffix, tuple(posts[i] for i in members[:limit]), newest)
            for path, suffix, members, newest in planned]


def _positions_of(specs: list[FeedSpec], posts: list[dict[str, Any]]
                  ) -> tuple[tuple[str, str | None, tuple[int, ...], datetime | None], ...]:
    at = {id(p): i for i, p in enumerate(posts)}
    updated: dict[int, Any] = {}  # (once per post, not once per feed that lists it)

    def updated_of(i: int) -> Any:
        if i not in updated:
            updated[i] = _updated(posts[i])
        return updated[i]

    out = []
    for spec in specs:
        members = tuple(at[id(p)] for p in spec.posts)
        out.append((spec.path, spec.title_suffix, members, max(map(updated_of, members)) if members else None))
    return tuple(out)


def _plan(ctx: "RenderContext", posts: list[dict[str, Any]]) -> list[FeedSpec]:
    cfg = feed_config(ctx.config)
    specs = [FeedSpec(main_path(ctx.config), None, tuple(posts))]
    # Each feed lists its posts in site.posts order; found through indexes built once (testing
    # every post for every tag was a quarter of a second per build at 1,000 posts), and only
    # for the options that use them (each walks every post: 50 ms of an edit build at 5,000)
    cats = cfg.get("categories")
    by_category = _positions(posts, "categories", str) if isinstance(cats, list) and cats else {}
    for cat in cats if isinstance(cats, list) else ():
        chosen = tuple(posts[i] for i in by_category.get(str(cat), ()))
        specs.append(FeedSpec(f"/feed/{cat}.xml", str(cat)[:1].upper() + str(cat)[1:].lower(), chosen))
    tags = cfg.get("tags")
    if tags:
        by_tag = _positions(posts, "tags", lambda t: t)
        opts = tags if isinstance(tags, Mapping) else {}
        pool = [t for t in ctx.model.tags if t not in (opts.get("except") or [])]
        if opts.get("only"):
            pool = [t for t in pool if t in opts["only"]]
        base = str(opts.get("path") or "/feed/by_tag/")
        base = ("/" + base.lstrip("/")).rstrip("/") + "/"
        for tag in pool:
            if _TAG_FEED_OK.match(tag):   # jekyll-feed skips any other tag
                chosen = tuple(posts[i] for i in by_tag.get(tag, ()))
                specs.append(FeedSpec(f"{base}{tag}.xml", None, chosen))
    if ctx.config.has("tag_feeds"):
        position = {p["url"]: i for i, p in enumerate(posts)}
        for kind, terms in (("category", ctx.model.categories), ("tag", ctx.model.tags)):
            merged: dict[str, list[str]] = {}
            for key, urls in terms.items():   # slug collisions share one feed, like archives
                merged.setdefault(tag_feed_path(kind, key), []).extend(urls)
            for path, urls in merged.items():
                keys = [k for k in terms if tag_feed_path(kind, k) == path]
                chosen = tuple(posts[i] for i in sorted({position[u] for u in urls if u in position}))
                specs.append(FeedSpec(path, keys[-1], chosen))
    taken = occupied_urls(ctx)
    seen: set[str] = set()
    out = []
    in_feed_order = orderer(posts)
    for spec in specs:
        if spec.path not in taken and spec.path not in seen:
            seen.add(spec.path)
            out.append(replace(spec, posts=in_feed_order(spec.posts)))
    return out


def orderer(posts: Sequence[dict[str, Any]]) -> Callable[[Sequence[dict[str, Any]]], tuple[dict[str, Any], ...]]:
    """``feed_order`` for any subsequence of ``posts``, from one sort of them all: a stable sort
    of a subsequence keeps the order the whole sort gives its members. (Sorting each tag's feed
    on its own read every post's date once per feed that lists it: 0.14 s at 5,000 posts.)"""
    rank = {id(p): r for r, p in enumerate(feed_order(tuple(posts)))}
    return lambda some: tuple(sorted(some, key=lambda p: rank[id(p)]))


def _positions(posts: list[dict[str, Any]], field: str, key: Any) -> dict[Any, list[int]]:
    """term -> indexes (ascending, each once) of the posts that carry it under ``field``."""
    found: dict[Any, list[int]] = {}
    for i, post in enumerate(posts):
        for term in dict.fromkeys(key(t) for t in post.get(field, ()) or ()):
            found.setdefault(term, []).append(i)
    return found


def feed_order(posts: tuple[dict[str, Any], ...]) -> tuple[dict[str, Any], ...]:
    """jekyll-feed's ``posts | sort: "date" | reverse`` over site.posts (newest first). Ruby's
    sort is stable here (glibc's merge sort), so posts of the same moment come out in the
    reverse of site.posts' order — by path, ascending — where site.posts has them descending."""
    return tuple(reversed(sorted(posts, key=lambda p: (0,) if p.get("date") is None else (1, p["date"]))))


def posts_limit(config: Mapping[str, Any]) -> int:
    cfg = config.get("feed") if isinstance(config.get("feed"), Mapping) else {}
    return int(cfg.get("posts_limit") or 10)


def generate(ctx: "RenderContext") -> list[Output]:
    out = []
    limit = posts_limit(ctx.config.data)
    for spec in plan(ctx):
        updated = feed_updated(ctx.site, ctx.config.data, spec, stable=ctx.config.kind == "blogkit")
        # A feed is made of the posts it shows (their fingerprints cover everything an entry
        # shows), the config, and its <updated>. (Not all 5,000 posts' fingerprints: a feed
        # shows 10.)
        inputs = [spec.path, spec.title_suffix, updated.isoformat(), *(_fingerprint(p) for p in spec.posts[:limit])]
        out.append(ctx.output_unless_unchanged(
            url_to_relpath(spec.path, ""), f"(feed {spec.path})", "feed", inputs,
            lambda spec=spec, updated=updated: render_feed(ctx.site, ctx.config.data, spec, updated)))
    return out


def feed_updated(site: Mapping[str, Any], config: Mapping[str, Any], spec: FeedSpec, stable: bool) -> datetime:
    """The feed's <updated>: the build time, as jekyll-feed; ``stable`` (a blogkit site without a
    pinned `time:`): its newest entry's date, so an unchanged blog gives a byte-identical feed
    (no rewrite, no refetch)."""
    if stable and not config.get("time") and spec.newest is not None:   # (None: no posts)
        return spec.newest
    return site["time"]


def _abs(site: Mapping[str, Any], path: object) -> str:
    return absolute_url(path, str(site.get("url") or ""), str(site.get("baseurl") or ""))


def _author(value: Any) -> tuple[str, str | None, str | None]:
    if isinstance(value, Mapping):
        return str(value.get("name") or ""), value.get("email"), value.get("uri")
    return ("" if value in (None, False) else str(value)), None, None


def _author_xml(value: Any) -> str:
    name, email, uri = _author(value)
    parts = [f"<name>{xml_escape(name)}</name>"]
    if email:
        parts.append(f"<email>{xml_escape(email)}</email>")
    if uri:
        parts.append(f"<uri>{xml_escape(uri)}</uri>")
    return "<author>" + "".join(parts) + "</author>"


def _fingerprint(view: Any) -> str:
    fp = getattr(view, "fingerprint", None)
    return fp() if callable(fp) else repr(sorted(view.items(), key=str))


def render_feed(site: Mapping[str, Any], config: Mapping[str, Any], spec: FeedSpec, updated: datetime) -> str:
    """The Atom document of one feed; ``updated`` from ``feed_updated``."""
    cfg = config.get("feed") if isinstance(config.get("feed"), Mapping) else {}
    lang = site.get("lang")
    self_url = _abs(site, spec.path)
    head = ['<?xml version="1.0" encoding="utf-8"?>',
            # (jekyll-feed's template leaves the space before `>` when there is no lang)
            '<feed xmlns="http://www.w3.org/2005/Atom" ' + (f'xml:lang="{xml_escape(lang)}"' if lang else "") + ">",
            GENERATOR,
            f'<link href="{xml_escape(self_url)}" rel="self" type="application/atom+xml" />',
            f'<link href="{xml_escape(_abs(site, "/"))}" rel="alternate" type="text/html" '
            + (f'hreflang="{xml_escape(lang)}" ' if lang else "") + "/>",
            f"<updated>{xmlschema(updated)}</updated>",
            f"<id>{xml_escape(self_url)}</id>"]
    title = site.get("title") or site.get("name")
    if title and spec.title_suffix:
        title = f"{title} | {spec.title_suffix}"
    if title:
        # type="html": jekyll-feed's `smartify | xml_escape` would hand feed readers the site
        # title's markup as HTML (a `<script>` in the title is a script); strip it as entries do.
        head.append(f'<title type="html">{xml_escape(normalize_whitespace(strip_html(smartify(str(title)))))}</title>')
    if site.get("description"):
        head.append(f"<subtitle>{xml_escape(site['description'])}</subtitle>")
    if site.get("author"):
        head.append(_author_xml(site["author"]))
    entries = [_entry(site, cfg, post) for post in spec.posts[:posts_limit(config)]]
    return "".join(head) + "".join(entries) + "</feed>"


def _entry(site: Mapping[str, Any], cfg: Mapping[str, Any], post: Mapping[str, Any]) -> str:
    title = xml_escape(normalize_whitespace(strip_html(smartify(str(post.get("title") or "")))))
    link = _abs(site, post["url"])
    lang = post.get("lang")
    parts = [f'<entry{f" xml:lang={chr(34)}{xml_escape(lang)}{chr(34)}" if lang else ""}>',
             f'<title type="html">{title}</title>',
             # jekyll-feed leaves href unescaped (a raw & breaks the feed); escaping is the fix
             f'<link href="{xml_escape(link)}" rel="alternate" type="text/html" title="{title}" />',
             f"<published>{xmlschema(post['date'])}</published>",
             f"<updated>{xmlschema(_updated(post))}</updated>",
             f"<id>{xml_escape(_abs(site, post.get('id')))}</id>"]
    post_feed = post.get("feed") if isinstance(post.get("feed"), Mapping) else {}
    if not (post_feed.get("excerpt_only") or cfg.get("excerpt_only")):
        parts.append(f'<content type="html" xml:base="{xml_escape(link)}">{cdata(str(post.get("content") or "").strip())}</content>')
    author = post.get("author") or (post.get("authors") or [None])[0] or site.get("author")
    authors = site.get("data", {}).get("authors") if isinstance(site.get("data"), Mapping) else None
    if isinstance(authors, Mapping) and isinstance(author, str) and author in authors:
        author = authors[author]
    parts.append(_author_xml(author))
    if post.get("category"):
        parts.append(f'<category term="{xml_escape(post["category"])}" />')
    else:
        parts.extend(f'<category term="{xml_escape(c)}" />' for c in post.get("categories") or ())
    parts.extend(f'<category term="{xml_escape(t)}" />' for t in post.get("tags") or ())
    summary = normalize_whitespace(strip_html(post.get("description") or post.get("excerpt") or ""))
    if summary:
        parts.append(f'<summary type="html">{cdata(summary)}</summary>')
    image = post.get("image")
    image = image.get("path") if isinstance(image, Mapping) else image
    if image:
        url = str(image) if "://" in str(image) else _abs(site, image)
        parts.append(f'<media:thumbnail xmlns:media="http://search.yahoo.com/mrss/" url="{xml_escape(url)}" />'
                     f'<media:content medium="image" url="{xml_escape(url)}" xmlns:media="http://search.yahoo.com/mrss/" />')
    return "".join(parts) + "</entry>"


def _updated(post: Mapping[str, Any]) -> Any:
    from ..dates import parse_date
    value = post.get("last_modified_at")
    if value in (None, ""):
        return post["date"]
    try:
        return parse_date(value, post["date"].tzinfo)
    except ValueError:
        return post["date"]


def feed_paths_for(ctx_config: Any, categories: Sequence[str], tags: Sequence[str]) -> list[tuple[str, str]]:
    """(label, path) of the per-key feeds a page's categories and tags have (autodiscovery)."""
    if "tag_feeds" not in getattr(ctx_config, "features", ()):
        return []
    return ([(c, tag_feed_path("category", c)) for c in categories]
            + [(t, tag_feed_path("tag", t)) for t in tags])
