"""jekyll-seo-tag 2.8.0 ``{% seo %}`` and feed autodiscovery, as Jinja globals.

Input: the ``page`` and ``site`` views (and ``paginator``). Output: ``Markup`` for the head —
title, generator, Open Graph, canonical, description, Twitter card and JSON-LD — with every
value escaped here (a title containing HTML is text, never markup; ``<`` in JSON-LD is written
``\\u003c`` so ``</script>`` cannot end the script element).
"""
from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any, Mapping

from markupsafe import Markup, escape

from ..dates import xmlschema
from ..slugify import slugify
from ..urls import absolute_url, relative_url

VERSION = "2.8.0"
_TAG = re.compile(r"<.*?>", re.S)
# Bare language codes -> the locale Open Graph expects (seo-tag's default is en_US).
_LOCALES = {"ja": "ja_JP", "en": "en_US", "zh": "zh_CN", "ko": "ko_KR", "fr": "fr_FR", "de": "de_DE"}


def _get(obj: Any, key: str) -> Any:
    """Mapping lookup that treats Jinja's Undefined and missing keys alike (as None)."""
    if isinstance(obj, Mapping):
        value = obj.get(key)
        return None if value is None or type(value).__name__.endswith("Undefined") else value
    return None


def _text(value: Any) -> str:
    """seo-tag's format_string: HTML stripped, whitespace collapsed (escaped later, once)."""
    if value in (None, False):
        return ""
    import html
    return " ".join(html.unescape(_TAG.sub("", str(value))).split())


def locale(site: Mapping[str, Any], page: Mapping[str, Any]) -> str:
    value = _get(page, "locale") or _get(site, "locale") or _get(site, "lang")
    if not value:
        return "en_US"
    text = str(value).replace("-", "_")
    return _LOCALES.get(text.lower(), text) if "_" not in text else text


def title(page: Mapping[str, Any], site: Mapping[str, Any], paginator: Any = None) -> str:
    site_title = _text(_get(site, "title") or _get(site, "name"))
    page_title = _text(_get(page, "title"))
    tagline = _text(_get(site, "tagline") or _get(site, "description"))
    if site_title and page_title and page_title != site_title:
        out = f"{page_title} | {site_title}"
    elif site_title and tagline:
        out = f"{site_title} | {tagline}"
    else:
        out = page_title or site_title
    current = _get(paginator, "page") if isinstance(paginator, Mapping) else None
    if isinstance(current, int) and current > 1:
        out = f"Page {current} of {_get(paginator, 'total_pages')} for {out}"
    return out


def _author(page: Mapping[str, Any], site: Mapping[str, Any]) -> str:
    author = _get(page, "author") or (_get(page, "authors") or [None])[0] or _get(site, "author")
    data = _get(site, "data") or {}
    authors = data.get("authors") if isinstance(data, Mapping) else None
    if isinstance(author, str) and isinstance(authors, Mapping) and isinstance(authors.get(author), Mapping):
        author = authors[author]
    if isinstance(author, Mapping):
        author = author.get("name")
    return _text(author)


def _abs(site: Mapping[str, Any], path: Any) -> str:
    return absolute_url(path, str(_get(site, "url") or ""), str(_get(site, "baseurl") or ""))


def _iso(value: Any) -> str | None:
    return xmlschema(value) if isinstance(value, datetime) else None


def json_ld(data: Mapping[str, Any]) -> str:
    """JSON safe inside <script>: '<', '>' and '&' as \\u escapes."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def seo(page: Any, site: Any, paginator: Any = None, show_title: bool = True) -> Markup:
    page = page if isinstance(page, Mapping) else {}
    site = site if isinstance(site, Mapping) else {}
    is_post = _get(page, "collection") == "posts" or _get(page, "id") is not None and _get(page, "date") is not None
    full_title = title(page, site, paginator)
    plain_title = _text(_get(page, "title")) or _text(_get(site, "title") or _get(site, "name"))
    site_name = _text(_get(site, "title") or _get(site, "name"))
    description = _text(_get(page, "description") or _get(page, "excerpt") or _get(site, "description"))
    url = _abs(site, str(_get(page, "url") or "/").replace("/index.html", "/"))
    author = _author(page, site)
    image = _get(page, "image")
    image = image.get("path") if isinstance(image, Mapping) else image
    image_url = (str(image) if "://" in str(image) else _abs(site, image)) if image else None
    published = _iso(_get(page, "date"))
    modified = _iso(_get(page, "last_modified_at")) or published
    tags: list[tuple[str, str, str]] = []   # (kind, name, value)
    if show_title and full_title:
        tags.append(("title", "", full_title))
    tags.append(("meta-name", "generator", "Jekyll v4.3.1"))
    if plain_title:
        tags.append(("meta-prop", "og:title", plain_title))
    if author:
        tags.append(("meta-name", "author", author))
    tags.append(("meta-prop", "og:locale", locale(site, page)))
    if description:
        tags += [("meta-name", "description", description), ("meta-prop", "og:description", description)]
    tags += [("link", "canonical", url), ("meta-prop", "og:url", url)]
    if site_name:
        tags.append(("meta-prop", "og:site_name", site_name))
    if image_url:
        tags.append(("meta-prop", "og:image", image_url))
    tags.append(("meta-prop", "og:type", "article" if is_post else "website"))
    if is_post and published:
        tags.append(("meta-prop", "article:published_time", published))
    tags.append(("meta-name", "twitter:card", "summary_large_image" if image_url else "summary"))
    if image_url:
        tags.append(("meta-prop", "twitter:image", image_url))
    if plain_title:
        tags.append(("meta-prop", "twitter:title", plain_title))
    twitter = _get(site, "twitter")
    handle = twitter.get("username") if isinstance(twitter, Mapping) else _get(site, "twitter_username")
    if handle:
        tags.append(("meta-name", "twitter:site", "@" + str(handle).lstrip("@")))
        if author:
            tags.append(("meta-name", "twitter:creator", "@" + author.lstrip("@")))
    ld: dict[str, Any] = {"@context": "https://schema.org", "url": url}
    if is_post:
        ld.update({"@type": "BlogPosting", "headline": plain_title,
                   "mainEntityOfPage": {"@type": "WebPage", "@id": url}})
        if published:
            ld["datePublished"] = published
            ld["dateModified"] = modified
    else:
        home = str(_get(page, "url") or "/") in ("/", "/index.html")
        ld.update({"@type": "WebSite" if home else "WebPage", "headline": plain_title})
        if home and site_name:
            ld["name"] = site_name
    if author:
        ld["author"] = {"@type": "Person", "name": author}
    if description:
        ld["description"] = description
    if image_url:
        ld["image"] = image_url
    lines = [f"<!-- Begin Jekyll SEO tag v{VERSION} -->"]
    for kind, name, value in tags:
        v = escape(value)
        if kind == "title":
            lines.append(f"<title>{v}</title>")
        elif kind == "meta-name":
            lines.append(f'<meta name="{escape(name)}" content="{v}" />')
        elif kind == "meta-prop":
            lines.append(f'<meta property="{escape(name)}" content="{v}" />')
        else:
            lines.append(f'<link rel="{escape(name)}" href="{v}" />')
    lines.append(f'<script type="application/ld+json">\n{json_ld(ld)}</script>')
    lines.append("<!-- End Jekyll SEO tag -->")
    return Markup("\n".join(lines) + "\n")


def feed_links(page: Any, site: Any) -> Markup:
    """Atom autodiscovery: the main feed, and with tag_feeds the page's category/tag feeds."""
    page = page if isinstance(page, Mapping) else {}
    site = site if isinstance(site, Mapping) else {}
    features = _get(site, "features") or ()
    if "feed" not in features:
        return Markup("")
    feed_cfg = _get(site, "feed") if isinstance(_get(site, "feed"), Mapping) else {}
    path = str(feed_cfg.get("path") or "/feed.xml")
    base = str(_get(site, "baseurl") or "")
    name = _text(_get(site, "title") or _get(site, "name"))
    links = [(relative_url("/" + path.lstrip("/"), base), name)]
    if "tag_feeds" in features:
        for kind, folder in (("categories", "categories"), ("tags", "tags")):
            for key in _get(page, kind) or ():
                href = relative_url(f"/feed/{folder}/{slugify(key, 'default')}.xml", base)
                links.append((href, f"{name} | {key}" if name else str(key)))
    return Markup("\n".join(
        f'<link type="application/atom+xml" rel="alternate" href="{escape(href)}" title="{escape(t)}" />'
        for href, t in links) + "\n")
