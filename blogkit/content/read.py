"""Reading: a ``SourceFile`` in, a ``Document`` out (spec §2–§6, §8).

Pure apart from reading the one file. Everything Jekyll derives from front matter, the file
name and the config happens here: defaults, dates and time zones, slug, title, categories,
tags, URL and output path, excerpt source and reading time.
"""
from __future__ import annotations

import hashlib
import math
import os
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from fnmatch import fnmatchcase
from urllib.parse import unquote
from typing import Any, Mapping, Sequence

from ..dates import filename_date, parse_date
from ..errors import BlogkitError, Location
from ..urls import document_id, expand_template, page_url, permalink_template, post_url_values, url_to_relpath
from .discover import SourceFile
from .frontmatter import parse_front_matter
from .model import Document, shape_of, with_text_digests

LINK_DEF_RE = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*\S.*$", re.M)


@dataclass(frozen=True)
class ReadContext:
    zone: tzinfo
    permalink: str                  # the site's permalink (style name or template)
    markdown_exts: frozenset[str]
    excerpt_separator: str
    defaults: Sequence[Mapping[str, Any]]
    cjk_per_minute: float = 500.0
    words_per_minute: float = 200.0
    now: datetime | None = None     # site.time: a front-matter date equal to it yields to the file name
    permalink_where: Location = Location("_config.yml")  # where the site permalink is set, for messages

    @property
    def post_template(self) -> str:
        return permalink_template(self.permalink)


def _scope_applies(scope: Mapping[str, Any], rel_path: str, doc_type: str) -> bool:
    stype = scope.get("type")
    if stype is not None and str(stype) != doc_type and not (doc_type == "drafts" and str(stype) == "posts"):
        return False
    spath = str(scope.get("path") or "").strip("/")
    if spath in ("", "."):
        return True
    if "*" in spath or "?" in spath:
        return fnmatchcase(rel_path, spath) or fnmatchcase(rel_path, spath + "/*")
    return rel_path == spath or rel_path.startswith(spath + "/")


def apply_defaults(defaults: Sequence[Mapping[str, Any]], rel_path: str, doc_type: str) -> dict[str, Any]:
    """Front-matter ``defaults`` for one file, least specific first (spec §1.3)."""
    matching = []
    for index, entry in enumerate(defaults):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("values"), Mapping):
            continue
        scope = entry.get("scope") if isinstance(entry.get("scope"), Mapping) else {}
        if _scope_applies(scope, rel_path, doc_type):
            depth = len([p for p in str(scope.get("path") or "").split("/") if p])
            matching.append(((depth, scope.get("type") is not None, index), entry["values"]))
    out: dict[str, Any] = {}
    for _, values in sorted(matching, key=lambda m: m[0]):
        out.update(values)
    return out


def _strings(value: Any, split: bool) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return value.split() if split else [value]
    if isinstance(value, (list, tuple)):
        return [_to_s(v) for v in value if v is not None]
    return [_to_s(value)]


def _to_s(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def _dedupe(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def categories_of(data: Mapping[str, Any], dir_categories: Sequence[str],
                  default_categories: Any = None) -> tuple[str, ...]:
    """Spec §6.1: directories, then `categories` (a string splits), then singular `category`.

    Categories set by front-matter defaults are merged with the file's own, defaults first
    (Jekyll's Document#merge_categories! unions them instead of replacing).
    """
    cats = list(dir_categories) + _strings(default_categories, split=True)
    cats += _strings(data.get("categories"), split=True)
    cats += _strings(data.get("category"), split=False)
    return _dedupe(cats)


def tags_of(data: Mapping[str, Any]) -> tuple[Any, ...]:
    """`tag:` wins over `tags:`; a `tags:` string splits on whitespace; list items keep their
    YAML type (Jekyll keeps `tags: [2024]` a number)."""
    value = data.get("tag") if data.get("tag") is not None else data.get("tags")
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(value.split()) if data.get("tag") is None else (value,)
    if isinstance(value, (list, tuple)):
        return tuple(v for v in value if v is not None)
    return (value,)


def titleize_slug(slug: str) -> str:
    """Jekyll's Utils.titleize_slug: split on '-', Ruby-capitalize each piece."""
    return " ".join(piece[:1].upper() + piece[1:].lower() for piece in slug.split("-"))


def is_cjk(ch: str) -> bool:
    name = unicodedata.name(ch, "")
    return name.startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL")) or "\u3005" == ch


_WORD_RE = re.compile(r"[A-Za-z0-9\u00C0-\u024F]+(?:['’][A-Za-z]+)*")
_CJK = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u3005\u30fc]"
_CJK_RUN_RE = re.compile(_CJK + "+")


def compute_reading_time(text: str, cjk_per_minute: float, words_per_minute: float) -> int:
    """Minutes to read: CJK characters and Latin words are counted separately."""
    # CJK characters counted by runs, not one match each (a Japanese post is thousands of
    # them: 5x faster, ~1 s of CPU in a cold build of 5,000 posts). No CJK character can be
    # part of a word match, so words are counted on the text as is.
    cjk = sum(map(len, _CJK_RUN_RE.findall(text)))
    words = len(_WORD_RE.findall(text))
    minutes = cjk / max(cjk_per_minute, 1) + words / max(words_per_minute, 1)
    return max(1, math.ceil(minutes))


def _positive_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or number <= 0:
        return None
    return max(1, round(number))


def output_ext_for(ext: str, markdown_exts: frozenset[str]) -> tuple[str, bool]:
    lower = ext.lower()
    if lower in markdown_exts:
        return ".html", True
    if lower in (".scss", ".sass"):
        return ".css", False  # jekyll-sass-converter: generators/sass.py compiles it
    return ext, False


def read_document(src: SourceFile, ctx: ReadContext, text: str | None = None) -> Document:
    """Build the Document for a post, draft or page. Raises BlogkitError with a location."""
    doc = _read_document(src, ctx, text)
    body = doc.body.encode("utf-8", "surrogatepass")
    return with_text_digests(replace(doc, shape=shape_of(doc), source_hash=hashlib.blake2b(
        body + repr(sorted(doc.data.items(), key=str)).encode(), digest_size=16).hexdigest()), body)


def _read_document(src: SourceFile, ctx: ReadContext, text: str | None = None) -> Document:
    if text is None:
        try:
            raw = src.path.read_bytes()
        except OSError as exc:
            raise BlogkitError(f"cannot read file: {exc.strerror}", Location(src.rel_path), code="io") from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[:exc.start].count(b"\n") + 1
            raise BlogkitError("file is not valid UTF-8", Location(src.rel_path, line),
                               "save the file as UTF-8", code="encoding") from None
    text = text.replace("\r\n", "\n")
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise BlogkitError("file contains a NUL byte", Location(src.rel_path, line),
                           "remove the NUL character (the file may be binary or corrupted)", code="encoding")
    parsed = parse_front_matter(text, src.rel_path)
    doc_type = {"post": "posts", "draft": "drafts", "page": "pages"}[src.kind]
    defaults = apply_defaults(ctx.defaults, src.rel_path, doc_type)
    data = {**defaults, **parsed.meta}
    if src.kind == "page":
        return _page(src, ctx, data, parsed.body, parsed.body_line, parsed.key_lines)
    default_cats = defaults.get("categories") if "categories" in parsed.meta else None
    return _post(src, ctx, data, parsed.body, parsed.body_line, parsed.key_lines, default_cats)


# A YAML 1.1 timestamp with a time but no offset: Psych (Jekyll's YAML) reads it as UTC, while
# plain text such as `2024-02-09 10:00` (no seconds) is parsed later in the site's zone.
YAML_NAIVE_TIMESTAMP = re.compile(
    r"^\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|[ \t]+)\d{1,2}:\d{2}:\d{2}(?:\.\d*)?$")


def _yaml_date_value(value: Any) -> Any:
    if isinstance(value, str) and YAML_NAIVE_TIMESTAMP.match(value.strip()):
        return value.strip() + " +0000"
    return value


def _post(src: SourceFile, ctx: ReadContext, data: dict[str, Any], body: str, body_line: int,
          key_lines: Mapping[str, int], default_categories: Any = None) -> Document:
    where = Location(src.rel_path, key_lines.get("date"))
    date = None
    if data.get("date") is not None:
        try:
            date = parse_date(_yaml_date_value(data["date"]), ctx.zone)
        except ValueError as exc:
            raise BlogkitError(f"invalid date {str(data['date'])!r}: {exc}", where,
                               "use a date like 2025-09-29 04:37:36 +0900 or 2025-09-29", code="bad-date") from None
        if ctx.now is not None and src.name_date and int(date.timestamp()) == int(ctx.now.timestamp()):
            date = None  # Jekyll quirk: a date equal to site.time is taken for "unset" (Document#modify_date)
    if date is None and src.name_date:
        try:
            date = filename_date(src.name_date, ctx.zone)
        except ValueError as exc:
            raise BlogkitError(f"invalid date in the file name: {exc}", Location(src.rel_path),
                               "name posts YYYY-MM-DD-slug.md", code="bad-date") from None
    elif date is None:  # a draft with no date anywhere: Jekyll uses the file's mtime
        date = datetime.fromtimestamp(os.path.getmtime(src.path), ctx.zone)
    slug = _to_s(data["slug"]) if data.get("slug") is not None else src.name_slug
    # The derived title comes from the file name even when front matter sets `slug:`.
    title = _to_s(data["title"]) if data.get("title") is not None else titleize_slug(src.name_slug)
    categories = categories_of(data, src.dir_categories, default_categories)
    output_ext, is_md = output_ext_for(src.ext, ctx.markdown_exts)
    basename = os.path.splitext(src.path.name)[0]
    under = src.rel_path.split("/_posts/", 1)[-1].split("/_drafts/", 1)[-1]
    values = post_url_values(date, slug, categories, basename, output_ext, os.path.splitext(under)[0])
    own = data.get("permalink")
    if own not in (None, ""):
        url = _expand(str(own), values, src.rel_path, key_lines.get("permalink"))
    else:
        url = _expand(ctx.post_template, values, ctx.permalink_where.path, ctx.permalink_where.line)
    # Documents put index.html under a trailing slash whatever their extension (pages use theirs).
    # Without its own permalink, a refused URL comes from a category or the slug: name that line.
    culprit = next((key_lines[k] for k in ("permalink", "categories", "category", "slug") if k in key_lines), None)
    dest = _dest(url, ".html" if url.endswith("/") else output_ext, src.rel_path, culprit)
    excerpt_source, excerpt_verbatim = _excerpt(data, body, ctx.excerpt_separator)
    rt = _positive_number(data.get("reading_time"))
    if rt is None:
        rt = compute_reading_time(body, ctx.cjk_per_minute, ctx.words_per_minute)
    layout = data.get("layout")
    tags = tags_of(data)
    if any(isinstance(t, (dict, list, tuple, set)) for t in tags):
        # a tag is a page name and a key of site.tags: a mapping or list cannot be either
        where = Location(src.rel_path, key_lines.get("tags", key_lines.get("tag")))
        raise BlogkitError("tags must be words or a list of words, not mappings or nested lists", where,
                           "write tags: [ai, chips] or tags: ai chips", code="bad-tags")
    return Document(
        kind=src.kind, rel_path=src.rel_path, path=src.path, url=url, dest=dest, data=data,
        body=body, body_line=body_line, output_ext=output_ext, is_markdown=is_md,
        date=date, slug=slug, title=title, categories=categories, tags=tags,
        excerpt_source=excerpt_source, excerpt_verbatim=excerpt_verbatim, reading_time=rt,
        layout=None if layout in (None, "none", "null", False) else str(layout),
        doc_id=document_id(url, slug), key_lines=dict(key_lines))


def _page(src: SourceFile, ctx: ReadContext, data: dict[str, Any], body: str, body_line: int,
          key_lines: Mapping[str, int]) -> Document:
    output_ext, is_md = output_ext_for(src.ext, ctx.markdown_exts)
    own = data.get("permalink")
    if own not in (None, ""):
        rel_dir = os.path.dirname(src.rel_path)
        values = {"path": "/" + rel_dir if rel_dir else "", "basename": os.path.splitext(src.path.name)[0],
                  "output_ext": output_ext, "title": _to_s(data.get("title") or os.path.splitext(src.path.name)[0])}
        url = _expand(str(own), values, src.rel_path, key_lines.get("permalink"))
    else:
        url = page_url(src.rel_path, output_ext, ctx.permalink)
    dest = _dest(url, output_ext, src.rel_path, key_lines.get("permalink"))
    layout = data.get("layout")
    rt = _positive_number(data.get("reading_time"))
    title = data.get("title")
    return Document(
        kind="page", rel_path=src.rel_path, path=src.path, url=url, dest=dest, data=data, body=body,
        body_line=body_line, output_ext=output_ext, is_markdown=is_md,
        title=None if title is None else _to_s(title),
        reading_time=rt, layout=None if layout in (None, "none", "null", False) else str(layout),
        key_lines=dict(key_lines))


def _expand(template: str, values: Mapping[str, str], rel_path: str, line: int | None) -> str:
    # Jekyll quietly turns '..' into '/'; a permalink that tries to climb out is refused instead,
    # since whatever its author meant, it was not the URL Jekyll would give it.
    decoded = unquote(template.replace("\\", "/"))
    if ".." in decoded.split("/") or "\x00" in decoded:
        raise BlogkitError(f"permalink {template!r} tries to leave the destination", Location(rel_path, line),
                           "remove '..' segments from the permalink", code="unsafe-path")
    try:
        return expand_template(template, values)
    except (KeyError, ValueError) as exc:
        raise BlogkitError(f"bad permalink {template!r}: {exc}", Location(rel_path, line),
                           "use only the placeholders listed in the README (e.g. :year, :month, :title)",
                           code="bad-permalink") from None


def _dest(url: str, output_ext: str, rel_path: str, line: int | None):  # type: ignore[no-untyped-def]
    try:
        return url_to_relpath(url, output_ext)
    except ValueError as exc:
        raise BlogkitError(f"URL {url!r} cannot be written inside the destination: {exc}",
                           Location(rel_path, line), "remove '..', backslashes and absolute paths from the permalink",
                           code="unsafe-path") from None


def _excerpt(data: Mapping[str, Any], body: str, site_sep: str) -> tuple[str | None, str | None]:
    """Spec §8: front-matter excerpt verbatim; else the body up to the first separator."""
    if isinstance(data.get("excerpt"), str):
        return None, data["excerpt"]
    sep = data.get("excerpt_separator", site_sep)
    sep = "" if sep is None else str(sep)
    if sep == "":
        return None, None
    head, found, rest = body.partition(sep)
    if not found:
        return body, None
    defs = LINK_DEF_RE.findall(rest)
    if defs:
        head = head + "\n\n" + "\n".join(defs)
    return head, None


def post_sort_key(doc: Document) -> tuple[datetime, str]:
    """Jekyll's Document#<=>: by date, then by path (ascending)."""
    assert doc.date is not None
    return (doc.date, str(doc.path))

