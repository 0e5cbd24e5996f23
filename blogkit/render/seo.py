"""jekyll-seo-tag 2.8.0 ``{% seo %}`` and feed autodiscovery, for the Jinja theme and for the
Liquid ``{% seo %}`` / ``{% feed_meta %}`` tags of a Jekyll site.

Input: the ``page`` and ``site`` views (and ``paginator``) and the site's filters (markdownify,
absolute_url, uri_escape, date_to_xmlschema — the plugin runs its strings through Jekyll's).
Output: ``Markup`` for the head, line for line what the plugin's minified template writes; a
differential test compares it with real Jekyll (tests/test_jekyll_seo_compat.py).

The plugin's own logic (lib/jekyll-seo-tag/drop.rb, author_drop.rb, image_drop.rb,
json_ld_drop.rb) is followed name by name below. Deliberate differences, none visible on
ordinary values: the values the plugin prints raw (author name and twitter handle, image
size and alt, a front-matter canonical_url, site verification ids) are escaped here, markup in
an author name is stripped, and ``<``/``>`` inside the JSON-LD are written ``\\u003c``/``\\u003e``
— a name must not be able to end the script element or add attributes.
"""
from __future__ import annotations

import json
import re
from typing import Any, Callable, Mapping

from markupsafe import Markup, escape

from ..filters import normalize_whitespace, strip_html
from ..slugify import slugify
from ..urls import relative_url

VERSION = "2.8.0"
GENERATOR = "Jekyll v4.3.1"
Filters = Mapping[str, Callable[..., Any]]
_HOME_OR_ABOUT = re.compile(r"^/(about/)?(index.html?)?$")
_ESCAPE_ONCE = re.compile(r"[\"><']|&(?!([a-zA-Z]+|(#\d+));)")
_HTML_ESCAPE = {"&": "&amp;", ">": "&gt;", "<": "&lt;", '"': "&quot;", "'": "&#39;"}
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _get(obj: Any, key: str) -> Any:
    """Mapping lookup that treats Jinja's Undefined and missing keys alike (as None)."""
    if isinstance(obj, Mapping):
        value = obj.get(key)
        return None if value is None or type(value).__name__.endswith("Undefined") else value
    return None


def _truthy(value: Any) -> bool:
    """Ruby's truthiness: only nil and false are false ("" and 0 are true)."""
    return value is not None and value is not False


def _to_s(value: Any) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    return str(value)


def escape_once(text: str) -> str:
    """Liquid's escape_once: escape HTML, leaving entities already there alone."""
    return _ESCAPE_ONCE.sub(lambda m: _HTML_ESCAPE[m.group(0)[0]], text)


class SeoTag:
    """The plugin's Drop: every value computed as drop.rb computes it (None = nil)."""

    def __init__(self, page: Any, site: Any, paginator: Any, filters: Filters,
                 shared: dict[str, str | None] | None = None) -> None:
        self.page = page if isinstance(page, Mapping) else {}
        self.site = site if isinstance(site, Mapping) else {}
        self.paginator = paginator if isinstance(paginator, Mapping) else None
        self.f = filters
        # Formatting runs the string through Markdown, and the tag asks for the same strings
        # several times (the site title by title(), page_title() and og:site_name; the
        # description for two metas and the JSON-LD): drop.rb memoises them (`||=`), so do we,
        # per page; ``shared`` carries the site's own strings from page to page of one build.
        self._memo: dict[str, str | None] = {}
        self._shared = shared if shared is not None else {}

    # -- strings: markdownify, strip_html, normalize_whitespace, escape_once; "" is nil --
    def fmt(self, value: Any, memo: dict[str, str | None] | None = None) -> str | None:
        source = _to_s(value)
        memo = self._memo if memo is None else memo
        if source not in memo:
            text = str(self.f["markdownify"](source))
            memo[source] = escape_once(normalize_whitespace(strip_html(text))) or None
        return memo[source]

    def site_title(self) -> str | None:
        title = _get(self.site, "title")
        return self.fmt(title if _truthy(title) else _get(self.site, "name"), self._shared)

    def site_description(self) -> str | None:
        return self.fmt(_get(self.site, "description"), self._shared)

    def page_title(self) -> str | None:
        return self.fmt(_get(self.page, "title")) or self.site_title()

    def title(self) -> str | None:
        site_title, page_title = self.site_title(), self.page_title()
        if site_title and page_title != site_title:
            out = f"{page_title} | {site_title}"
        elif self.site_description() and site_title:
            out = f"{site_title} | {self.fmt(_get(self.site, 'tagline'), self._shared) or self.site_description()}"
        else:
            out = page_title or site_title
        current = _get(self.paginator, "page") if self.paginator is not None else None
        if isinstance(current, int) and not isinstance(current, bool) and current > 1:
            message = _get(self.site, "seo_paginator_message") or "Page %<current>s of %<total>s for "
            prefix = str(message).replace("%<current>s", str(current)).replace(
                "%<total>s", _to_s(_get(self.paginator, "total_pages")))
            return prefix + (out or "")
        return out

    def homepage_or_about(self) -> bool:
        url = _get(self.page, "url")
        return isinstance(url, str) and _HOME_OR_ABOUT.match(url) is not None

    def description(self) -> str | None:
        value = _get(self.page, "description")
        if not _truthy(value):
            value = _get(self.page, "excerpt")
        return self.fmt(value) or self.site_description()

    def author(self) -> dict[str, Any]:
        """author_drop.rb: the first non-empty of page.author, page.authors[0], site.author."""
        sources = [_get(self.page, "author")]
        authors = _get(self.page, "authors")
        if isinstance(authors, list):
            sources.append(authors[0] if authors else None)
        sources.append(_get(self.site, "author"))
        found = next((s for s in sources if _to_s(s) != "" and not (isinstance(s, Mapping) and not s)), None)
        if isinstance(found, Mapping):
            author = dict(found)
        elif isinstance(found, str):
            data = _get(self.site, "data")
            table = data.get("authors") if isinstance(data, Mapping) else None
            extra = table.get(found) if isinstance(table, Mapping) else None
            author = {"name": found, **(dict(extra) if isinstance(extra, Mapping) else {})}
        else:
            return {}
        if isinstance(author.get("name"), str):
            # The plugin prints the name as given; markup in a name is stripped here (a
            # deliberate difference: a name never carries HTML, an attacker's would).
            author["name"] = strip_html(author["name"])
        return author

    def author_twitter(self, author: Mapping[str, Any]) -> str | None:
        handle = author.get("twitter") if _truthy(author.get("twitter")) else author.get("name")
        return re.sub(r"^@", "", handle) if isinstance(handle, str) else None

    def image(self) -> dict[str, Any] | None:
        """image_drop.rb: {"path": absolute, uri-escaped URL, plus the image hash's other keys}."""
        meta = _get(self.page, "image")
        if isinstance(meta, Mapping):
            info: dict[str, Any] = {"path": None, **dict(meta)}
        elif isinstance(meta, str):
            info = {"path": meta}
        else:
            info = {"path": None}
        raw = next((info.get(k) for k in ("path", "facebook", "twitter") if _truthy(info.get(k))), None)
        if not _truthy(raw):
            return None
        absolute = self.f["absolute_url"](raw) if isinstance(raw, str) and not _ABSOLUTE.match(raw) else raw
        if not _truthy(absolute):
            return None
        info["path"] = self.f["uri_escape"](absolute)
        return info

    def canonical_url(self) -> str:
        given = _get(self.page, "canonical_url")
        if _to_s(given) == "":
            return re.sub(r"/index\.html$", "/", _to_s(self.f["absolute_url"](_to_s(_get(self.page, "url")))))
        return _to_s(given)

    def xmlschema(self, value: Any) -> str | None:
        return _to_s(self.f["date_to_xmlschema"](value)) if _truthy(value) else None

    def json_ld(self, author: Mapping[str, Any], image: Mapping[str, Any] | None) -> dict[str, Any]:
        page_seo = _get(self.page, "seo") if isinstance(_get(self.page, "seo"), Mapping) else {}
        social = _get(self.site, "social") if isinstance(_get(self.site, "social"), Mapping) else {}
        date = _get(self.page, "date")
        if page_seo.get("type"):
            kind = page_seo["type"]
        elif self.homepage_or_about():
            kind = "WebSite"
        else:
            kind = "BlogPosting" if _truthy(date) else "WebPage"
        if page_seo.get("name"):
            name = self.fmt(page_seo["name"])
        elif not self.homepage_or_about():
            name = None
        elif social.get("name"):
            name = self.fmt(social["name"])
        else:
            name = self.site_title()
        modified = page_seo.get("date_modified") or _get(self.page, "last_modified_at") or date
        ld: dict[str, Any] = {
            "@context": "https://schema.org", "@type": kind,
            "dateModified": self.xmlschema(modified), "datePublished": self.xmlschema(date),
            "description": self.description(), "headline": self.page_title(), "name": name,
            "sameAs": page_seo.get("links") or (social.get("links") if self.homepage_or_about() else None),
            "url": self.canonical_url(),
        }
        if _truthy(author.get("name")) and (author.get("type") is None or author.get("type") in ("Organization", "Person")):
            ld["author"] = {"@type": author.get("type") or "Person", "name": author["name"]}
            if _truthy(author.get("url")):
                ld["author"]["url"] = author["url"]
        if image is not None:
            if len(image) == 1:
                ld["image"] = image["path"]
            else:
                obj = {k: v for k, v in image.items() if k != "path"}
                obj["url"], obj["@type"] = image["path"], "imageObject"
                ld["image"] = obj
        logo = _get(self.site, "logo")
        if _truthy(logo):
            logo_url = self.f["uri_escape"](logo if _ABSOLUTE.match(_to_s(logo)) else self.f["absolute_url"](logo))
            ld["publisher"] = {"@type": "Organization", "logo": {"@type": "ImageObject", "url": logo_url}}
            if _truthy(author.get("name")):
                ld["publisher"]["name"] = author["name"]
        if kind in ("BlogPosting", "CreativeWork"):
            ld["mainEntityOfPage"] = {"@type": "WebPage", "@id": self.canonical_url()}
        return {k: ld[k] for k in sorted(ld) if ld[k] is not None}


def json_ld(data: Mapping[str, Any]) -> str:
    """Ruby's to_json (compact, non-ASCII kept), with ``<`` and ``>`` as \\u escapes so nothing
    can end the script element (the plugin's own strings are HTML-escaped and never have them)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e")


def seo(page: Any, site: Any, paginator: Any = None, show_title: bool = True,
        filters: Filters | None = None, shared: dict[str, str | None] | None = None) -> Markup:
    """What ``{% seo %}`` writes (``show_title``: False for ``{% seo title=false %}``).
    ``shared``: a dict kept for one build's renders (the same filters), to format the site's
    title and description once."""
    tag = SeoTag(page, site, paginator, filters if filters is not None else default_filters(site), shared)
    page, site, paginator = tag.page, tag.site, tag.paginator
    out: list[str] = [f"<!-- Begin Jekyll SEO tag v{VERSION} -->"]

    def meta(attr: str, name: str, value: Any, raw: bool = False) -> None:
        # (values from tag.fmt are already escaped once, as the plugin prints them)
        shown = _to_s(value) if raw else escape_once(_to_s(value))
        out.append(f'<meta {attr}="{name}" content="{shown}" />')

    title = tag.title()
    if title and show_title:
        out.append(f"<title>{title}</title>")
    meta("name", "generator", GENERATOR, raw=True)
    page_title = tag.page_title()
    if page_title:
        meta("property", "og:title", page_title, raw=True)
    author = tag.author()
    if _truthy(author.get("name")):
        meta("name", "author", author["name"])
    lang = _get(page, "lang") or _get(site, "lang") or "en_US"
    meta("property", "og:locale", _to_s(_get(page, "locale") or _get(site, "locale") or lang).replace("-", "_"))
    description = tag.description()
    if description:
        meta("name", "description", description, raw=True)
        meta("property", "og:description", description, raw=True)
    if _truthy(_get(site, "url")):
        canonical = escape_once(tag.canonical_url())
        out.append(f'<link rel="canonical" href="{canonical}" />')
        out.append(f'<meta property="og:url" content="{canonical}" />')
    site_title = tag.site_title()
    if site_title:
        meta("property", "og:site_name", site_title, raw=True)
    image = tag.image()
    if image is not None:
        meta("property", "og:image", image["path"])
        for key in ("height", "width", "alt"):
            if _truthy(image.get(key)):
                meta("property", f"og:image:{key}", image[key])
    date = _get(page, "date")
    if _truthy(date):
        meta("property", "og:type", "article")
        meta("property", "article:published_time", tag.xmlschema(date))
    else:
        meta("property", "og:type", "website")
    for rel, key in (("prev", "previous_page"), ("next", "next_page")):
        if _truthy(_get(paginator, key)):
            href = escape_once(_to_s(tag.f["absolute_url"](_get(paginator, f"{key}_path"))))
            out.append(f'<link rel="{rel}" href="{href}" />')
    if image is not None:
        twitter_page, twitter_site = _get(page, "twitter"), _get(site, "twitter")
        card = next((c for c in (_get(twitter_page, "card"), _get(twitter_site, "card")) if c), "summary_large_image")
        meta("name", "twitter:card", card)
        meta("property", "twitter:image", image["path"])
        if _truthy(image.get("alt")):
            meta("name", "twitter:image:alt", image["alt"])
    else:
        meta("name", "twitter:card", "summary")
    if page_title:
        meta("property", "twitter:title", page_title, raw=True)
    twitter = _get(site, "twitter")
    if _truthy(twitter):
        meta("name", "twitter:site", "@" + _to_s(_get(twitter, "username")).replace("@", ""))
        handle = tag.author_twitter(author)
        if handle:
            meta("name", "twitter:creator", "@" + handle.replace("@", ""))
    facebook = _get(site, "facebook")
    if _truthy(facebook):
        for key, attr, name in (("admins", "property", "fb:admins"), ("publisher", "property", "article:publisher"),
                                ("app_id", "property", "fb:app_id")):
            if _truthy(_get(facebook, key)):
                meta(attr, name, _get(facebook, key))
    verify = _get(site, "webmaster_verifications")
    if _truthy(verify):
        for key, name in (("google", "google-site-verification"), ("bing", "msvalidate.01"),
                          ("alexa", "alexaVerifyID"), ("yandex", "yandex-verification"),
                          ("baidu", "baidu-site-verification"), ("facebook", "facebook-domain-verification")):
            if _truthy(_get(verify, key)):
                meta("name", name, _get(verify, key))
    elif _truthy(_get(site, "google_site_verification")):
        meta("name", "google-site-verification", _get(site, "google_site_verification"))
    out.append(f'<script type="application/ld+json">\n{json_ld(tag.json_ld(author, image))}</script>')
    out.append("<!-- End Jekyll SEO tag -->")
    return Markup("\n".join(out) + "\n")


def feed_meta(site: Any, filters: Filters) -> Markup:
    """jekyll-feed's ``{% feed_meta %}``: the main feed's autodiscovery link (meta-tag.rb)."""
    site = site if isinstance(site, Mapping) else {}
    feed_cfg = _get(site, "feed") if isinstance(_get(site, "feed"), Mapping) else {}
    path = _get(feed_cfg, "path") or "feed.xml"
    title = _get(site, "title") if _truthy(_get(site, "title")) else _get(site, "name")
    attrs = [("type", "application/atom+xml"), ("rel", "alternate"), ("href", _to_s(filters["absolute_url"](path)))]
    if _truthy(title):
        attrs.append(("title", _to_s(title)))
    return Markup("<link " + " ".join(f'{k}="{_xml_attr(v)}"' for k, v in attrs) + " />")


def _xml_attr(text: str) -> str:
    """Ruby's ``encode(xml: :attr)`` (the quotes around it are written by the caller)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def default_filters(site: Mapping[str, Any]) -> Filters:
    """The filters seo() needs, from a site view alone (Markdown not applied): for callers
    without a template environment, such as unit tests."""
    from datetime import timezone

    from ..filters import FilterContext, make_filters
    ctx = FilterContext(baseurl=_to_s(_get(site, "baseurl")), url=_to_s(_get(site, "url")), zone=timezone.utc,
                        markdownify=lambda text: text, smartify=lambda text: text)
    return make_filters(ctx)


def _text(value: Any) -> str:
    """Plain text of a config string for an attribute (escaped by the caller)."""
    import html
    return " ".join(html.unescape(re.sub(r"<.*?>", "", _to_s(value), flags=re.S)).split())


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
