"""Shared helpers for the commands that write posts: where posts go, safe slugs, known URLs.

Input: a ``SiteConfig`` and planned file names/texts. Output: paths inside the site, the URL a
planned file will have (computed by the core reader, so it is the URL ``build`` writes), and
the URLs the site already uses.
"""
from __future__ import annotations

from pathlib import Path

from ..config import SiteConfig
from ..content.discover import DRAFT_NAME_RE, POST_NAME_RE, SourceFile
from ..content.model import Document
from ..content.read import read_document
from ..errors import BlogkitError, Location
from ..site import discover_sources, read_context, zone_of

FORBIDDEN_IN_SLUG = ("/", "\\", "..", "\x00")


def posts_dir(config: SiteConfig) -> Path:
    return config.content_dir / "_posts"


def drafts_dir(config: SiteConfig) -> Path:
    return config.content_dir / "_drafts"


def check_slug(slug: str) -> str:
    if not slug or not slug.strip():
        raise BlogkitError("the slug is empty", None, "give one with --slug (ASCII letters, digits and '-')",
                           code="bad-slug")
    for bad in FORBIDDEN_IN_SLUG:
        if bad in slug:
            shown = {"\x00": "NUL"}.get(bad, bad)
            raise BlogkitError(f"the slug {slug!r} contains {shown!r}", None,
                               "a slug is one file name: use letters, digits and '-'", code="bad-slug")
    if slug.startswith((".", "_", "#", "~")):
        raise BlogkitError(f"the slug {slug!r} starts with {slug[0]!r}, so the post would be ignored", None,
                           "start the slug with a letter or digit", code="bad-slug")
    return slug


def inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def planned_document(config: SiteConfig, path: Path, text: str) -> Document:
    """The Document a file at ``path`` with ``text`` would become (nothing is written)."""
    if not inside(path, config.content_dir):
        raise BlogkitError(f"{path} is outside the site's content directory", None, code="unsafe-path")
    rel = path.resolve().relative_to(config.content_dir.resolve()).as_posix()
    kind = "draft" if "/_drafts/" in "/" + rel else "post"
    match = (POST_NAME_RE if kind == "post" else DRAFT_NAME_RE).match(path.name)
    if match is None:
        raise BlogkitError(f"{path.name} is not a post file name", Location(rel), "name it YYYY-MM-DD-slug.md",
                           code="post-name")
    date, slug, ext = match.groups()
    parts = rel.split("/")
    marker = "_posts" if kind == "post" else "_drafts"
    cats = tuple(parts[:parts.index(marker)])
    src = SourceFile(kind, rel, path, cats, date, slug.rstrip("."), ext)  # type: ignore[arg-type]
    return read_document(src, read_context(config, zone_of(config)), text=text)


def existing_urls(config: SiteConfig) -> dict[str, str]:
    """URL -> site-relative source of every post and page that can be read (drafts excluded)."""
    ctx = read_context(config, zone_of(config))
    out: dict[str, str] = {}
    for src in discover_sources(config):
        if src.kind in ("static", "draft"):
            continue
        try:
            doc = read_document(src, ctx)
        except BlogkitError:
            continue  # `check` reports unreadable files
        out.setdefault(doc.url, src.rel_path)
    return out


def shown_path(path: Path, config: SiteConfig) -> str:
    try:
        return path.resolve().relative_to(config.source.resolve()).as_posix()
    except ValueError:
        return str(path)


def public_url(config: SiteConfig, url: str) -> str:
    base = str(config.get("baseurl") or "").rstrip("/")
    return base + url
