"""``blogkit new``: a title and options in, a new post file (path and URL) out.

The front matter has the shape the blog's posts already use (``layout``, ``title``, ``date``
with the site's offset, ``categories``, ``tags``, ``author``, ``excerpt``). The slug comes from
``--slug`` or from the title by ``new_post.slug`` in the site config: ``jekyll`` (Jekyll's
slugify, Japanese kept), ``romaji`` (pykakasi, the optional extra ``romaji``) or ``hex``.
"""
from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..config import SiteConfig
from ..dates import parse_date
from ..errors import BlogkitError, Location
from ..site import zone_of
from ..slugify import slugify
from .paths import check_slug, drafts_dir, existing_urls, planned_document, posts_dir, shown_path

SLUG_RULES = ("jekyll", "romaji", "hex")
MAX_SLUG = 60   # characters; Japanese takes 3 bytes each and file names stop at 255 bytes


@dataclass(frozen=True)
class PlannedPost:
    path: Path
    text: str
    url: str


def new_post_settings(config: SiteConfig) -> Mapping[str, Any]:
    value = config.get("new_post")
    return value if isinstance(value, Mapping) else {}


def romaji(text: str) -> str:
    try:
        import pykakasi  # type: ignore[import-not-found]
    except ImportError:
        raise BlogkitError("the romaji slug rule needs pykakasi", None,
                           "install it with `pip install 'blogkit[romaji]'`, or set new_post: {slug: jekyll}",
                           code="missing-extra") from None
    return " ".join(item["hepburn"] for item in pykakasi.kakasi().convert(text))


def make_slug(title: str, rule: str) -> str:
    if rule == "hex":
        return secrets.token_hex(8)
    if rule == "romaji":
        slug = slugify(romaji(title), mode="ascii")
    elif rule == "jekyll":
        slug = slugify(title, mode="default")
    else:
        raise BlogkitError(f"unknown slug rule {rule!r}", None, f"use one of {', '.join(SLUG_RULES)}",
                           code="bad-config")
    if len(slug) > MAX_SLUG:
        cut = slug[:MAX_SLUG]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug.strip("-")


def _yaml_str(value: str) -> str:
    # JSON strings are YAML double-quoted scalars; ensure_ascii=False keeps Japanese readable
    return json.dumps(value, ensure_ascii=False)


def _author(config: SiteConfig) -> str:
    author = config.get("author")
    if isinstance(author, Mapping):
        author = author.get("name")
    return "" if author is None else str(author)


def render_front_matter(layout: str, title: str, date: datetime, categories: Sequence[str],
                        tags: Sequence[str], author: str) -> str:
    lines = [
        "---",
        f"layout: {layout}",
        f"title: {_yaml_str(title)}",
        f"date: {date.strftime('%Y-%m-%d %H:%M:%S %z')}",
        f"categories: {json.dumps(list(categories), ensure_ascii=False)}",
        f"tags: {json.dumps(list(tags), ensure_ascii=False)}",
        f"author: {_yaml_str(author)}",
        'excerpt: ""',
        "---",
        "",
    ]
    return "\n".join(lines) + "\n"


def post_date(config: SiteConfig, date: str | None, now: datetime | None = None) -> datetime:
    """`--date` parsed in the site's zone, else now (whole seconds)."""
    zone = zone_of(config)
    if date is None:
        return (now or datetime.now(zone)).astimezone(zone).replace(microsecond=0)
    try:
        return parse_date(date, zone)
    except ValueError as exc:
        raise BlogkitError(f"invalid --date {date!r}: {exc}", None, "use e.g. 2025-09-29 or '2025-09-29 10:00'",
                           code="bad-date") from None


def plan_new(config: SiteConfig, title: str, categories: Sequence[str] = (), tags: Sequence[str] = (),
             slug: str | None = None, draft: bool = False, date: str | None = None,
             now: datetime | None = None) -> PlannedPost:
    if not title.strip():
        raise BlogkitError("the title is empty", None, 'give a title: blogkit new "タイトル"', code="bad-title")
    settings = new_post_settings(config)
    when = post_date(config, date, now)
    slug = check_slug(slug if slug is not None else make_slug(title, str(settings.get("slug") or "jekyll")))
    name = f"{slug}.md" if draft else f"{when:%Y-%m-%d}-{slug}.md"
    path = (drafts_dir(config) if draft else posts_dir(config)) / name
    text = render_front_matter(str(settings.get("layout") or "post"), title, when, categories, tags,
                               _author(config))
    doc = planned_document(config, path, text)
    if path.exists():
        raise BlogkitError("the file already exists", Location(shown_path(path, config)),
                           "choose another --slug; blogkit never overwrites a post", code="exists")
    if not draft:
        taken = existing_urls(config).get(doc.url)
        if taken is not None:
            raise BlogkitError(f"the URL {doc.url} is already used by {taken}", Location(shown_path(path, config)),
                               "choose another --slug", code="same-url")
    return PlannedPost(path, text, doc.url)


def write_new(plan: PlannedPost) -> None:
    plan.path.parent.mkdir(parents=True, exist_ok=True)
    with open(plan.path, "x", encoding="utf-8", newline="\n") as fh:  # "x": never overwrite
        fh.write(plan.text)
