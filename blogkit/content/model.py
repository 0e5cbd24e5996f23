"""Records for what a site is made of. Frozen; later stages return new values.

Documents are keyed by ``url``; relations (previous/next, tag -> posts) are indexes of urls
built by ``taxonomy`` rather than object references, so records stay picklable and cacheable.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any, Mapping

from ..digests import digest
from ..errors import BlogkitError, Location
from ..fastpaths import relative


_TEXTS = frozenset({"body", "excerpt_source"})


def _pack(text: Any) -> Any:
    return text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text


def _unpack(data: Any) -> Any:
    return data.decode("utf-8", "surrogatepass") if isinstance(data, bytes) else data


@dataclass(frozen=True, slots=True)
class Document:
    """A post, draft or page: something with front matter that becomes one output file."""

    kind: str                       # "post" | "draft" | "page"
    rel_path: str                   # POSIX path relative to the content root (page.path)
    path: Path                      # absolute source path
    url: str                        # percent-encoded page.url
    dest: PurePosixPath             # output file, relative to the destination
    data: Mapping[str, Any]         # front matter merged over `defaults`
    body: str                       # source after the front matter
    body_line: int                  # file line where the body starts
    output_ext: str                 # ".html", ".txt", ".xml" ...
    is_markdown: bool
    date: datetime | None = None
    slug: str = ""                  # raw slug (case and spaces kept), as page.slug
    title: str | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    excerpt_source: str | None = None   # raw text to render as the excerpt (None: no excerpt)
    excerpt_verbatim: str | None = None # front-matter excerpt, used as is
    reading_time: int | None = None
    layout: str | None = None
    doc_id: str = ""                # page.id (posts)
    key_lines: Mapping[str, int] = field(default_factory=dict)
    source_hash: str = ""           # hash of the file's bytes: the fingerprint incremental builds use
    shape: str = ""                 # hash of everything but the body: see ``shape_of``
    # ``text_digest`` of ``body`` and of ``excerpt_source``, made where the document is read (in a
    # worker, on a cold build) and cached with it: the Markdown cache is keyed by them, and
    # hashing 5,000 bodies in the main process was ~0.09 s of every build. Not init fields, so
    # ``replace`` resets them to "" (a replaced text is hashed where it is used): they can never
    # describe another text than the one they were made from (``with_text_digests``).
    body_digest: str = field(default="", init=False, compare=False, repr=False)
    excerpt_digest: str = field(default="", init=False, compare=False, repr=False)
    # The fingerprints of the document's view (``view_fingerprints``): made where it is read,
    # like the digests above, and with them in the cache; the preview server keeps each
    # unchanged document's object from build to build (5,000 views' digests were 15 ms of
    # every rebuild). ``replace`` resets it, like the digests above.
    view_fps: tuple[str, str, str] | None = field(default=None, init=False, compare=False, repr=False)
    # Whether the body (or the excerpt cut from it) has a Liquid construct (``liquid_in_texts``):
    # a Jekyll site's build asks it of every post, which read every body; made and cached like
    # the digests above (None: not made, ask the texts).
    liquid: bool | None = field(default=None, init=False, compare=False, repr=False)

    @property
    def is_post(self) -> bool:
        return self.kind in ("post", "draft")

    # Pickled (the read cache, documents read in worker processes) with the texts as UTF-8
    # bytes: pickling a str makes CPython keep a UTF-8 copy inside the str object for good,
    # which on 5,000 posts was ~80 MB of memory. `path` is not pickled: it is where the source
    # file is *now* (the site may have moved since it was cached), and the reader puts it back
    # with ``at`` from the file it found (rebuilding 5,000 Path objects was a tenth of the load).
    #
    # The body stays those bytes until something reads it (``_body``): an edit build at 5,000
    # posts renders a handful of documents, and decoding every body it loaded was 0.06 s of it.
    # (The read cache stores documents without their bodies at all: ``cached_form``.)
    def __getstate__(self) -> list[Any]:
        return _state_of(self, with_body=True)

    def __setstate__(self, state: list[Any]) -> None:
        # (straight into the slots: object.__setattr__ per field, with the frozen dataclass's
        # checks, was a fifth of unpickling 5,000 cached documents)
        for put, value in zip(_SLOT_SETTERS, state):
            put(self, value)
        excerpt, dest = _EXCERPT_SLOT.__get__(self), _DEST_SLOT.__get__(self)
        if type(excerpt) is bytes:
            _EXCERPT_SLOT.__set__(self, _unpack(excerpt))
        if type(dest) is str:
            _DEST_SLOT.__set__(self, relative(dest))  # (pickled as its string: see fastpaths)

    def at(self, path: Path) -> "Document":
        """This document, read from ``path`` (an unpickled one has none yet: it is set here,
        once, before the document is shared)."""
        if self.path is None:
            object.__setattr__(self, "path", path)
            return self
        if self.path is path or self.path == path:
            return self
        # (slot by slot, not ``replace``: that would read a body still in the file, at the old path)
        moved = Document.__new__(Document)
        for name in _FIELDS:
            slot = Document.__dict__[name] if name != "body" else _BODY_SLOT
            slot.__set__(moved, slot.__get__(self))
        object.__setattr__(moved, "path", path)
        return moved


# ``Document.body`` reads its slot through a property: a str is the body; bytes are the body as
# unpickled, decoded once, in place; a ``_BodyInFile`` is a body the read cache left out
# (``cached_form``), read from the source file when first needed. Everything else sees a str.
_BODY_SLOT: Any = Document.__dict__["body"]


class _BodyInFile:
    """The body of a document from the read cache: the last ``chars`` characters of its source
    file (as read: UTF-8, CRLF as LF), whose digest is the document's ``body_digest``."""

    __slots__ = ("chars",)

    def __init__(self, chars: int) -> None:
        self.chars = chars


def _body(doc: Document) -> str:
    value = _BODY_SLOT.__get__(doc)
    if type(value) is str:
        return value  # type: ignore[no-any-return]
    value = value.decode("utf-8", "surrogatepass") if type(value) is bytes else _body_from_file(doc, value.chars)
    _BODY_SLOT.__set__(doc, value)
    return value  # type: ignore[no-any-return]


Document.body = property(_body, _BODY_SLOT.__set__)  # type: ignore[assignment,method-assign]


def cached_form(doc: Document) -> "_CachedDocument":
    """What the read cache stores of ``doc``: everything but its body, which is read from the
    source file if the build needs it (the cache key is the file's size, mtime, ctime and
    inode: ``site._read_key``). An edit
    build at 5,000 posts renders a handful of documents, and fetching, checking and copying
    every body (90 MB) was a tenth of a second of it. Unpickles as a ``Document``."""
    return _CachedDocument(doc)


class _CachedDocument:
    __slots__ = ("doc",)

    def __init__(self, doc: Document) -> None:
        self.doc = doc

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return _from_cached_state, (_state_of(self.doc, with_body=False), len(self.doc.body))


def _state_of(doc: Document, with_body: bool) -> list[Any]:
    """The pickled state of ``doc``: its fields in order, texts as UTF-8, no path (and no body
    unless ``with_body``)."""
    raw = _BODY_SLOT.__get__(doc)
    body = (raw if type(raw) is bytes else _pack(doc.body)) if with_body else None
    return [None if name == "path" else body if name == "body" else str(doc.dest) if name == "dest"
            else _pack(getattr(doc, name)) if name in _TEXTS else getattr(doc, name)
            for name in _FIELDS]


def _from_cached_state(state: list[Any], chars: int) -> Document:
    doc = Document.__new__(Document)
    doc.__setstate__(state)
    _BODY_SLOT.__set__(doc, _BodyInFile(chars))
    return doc


def with_body(doc: Document, body: bytes) -> Document:
    """``doc`` (just unpickled from its ``cached_form``) with the body it was read with, as
    UTF-8 (decoded when first read): a worker hands both over on a cold build."""
    _BODY_SLOT.__set__(doc, body)
    return doc


def _body_from_file(doc: Document, chars: int) -> str:
    """The body a cached document left out, from its source file; an error if the file no
    longer holds it (changed since the build looked at it)."""
    if doc.path is None:
        raise RuntimeError(f"{doc.rel_path}: a cached document's body was read before its path was set")
    try:
        text = doc.path.read_bytes().decode("utf-8").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        text = None
    body = text[len(text) - chars:] if text is not None and 0 < chars <= len(text) else ""
    if text is None or text_digest(body) != doc.body_digest:
        raise BlogkitError("this file changed while the site was being built", Location(doc.rel_path, doc.body_line),
                           "build again (the preview server does so by itself when the file is saved)",
                           code="changed")
    return body


# What a document's body alone decides. Everything else (front matter, URL, date, tags, layout...)
# is its *shape*: while every document keeps its shape, no page of the site changes its
# arguments, list membership or order, which is what lets an edit build skip the per-output
# argument check (render/delta.py).
BODY_DERIVED = frozenset({"body", "excerpt_source", "reading_time", "source_hash", "shape", "body_digest",
                          "excerpt_digest", "view_fps", "liquid"})


def text_digest(text: str | bytes) -> str:
    """What identifies a Markdown text in the cache (with the options and the code version)."""
    return hashlib.sha256(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")).hexdigest()


def with_text_digests(doc: Document, body: bytes | None = None) -> Document:
    """``doc`` with its texts' digests and its view's fingerprints (``body``: its body already
    encoded). Set once, on a document just made, before it is shared (and cached: a command
    reads them back with the document instead of making 5,000 of them)."""
    object.__setattr__(doc, "body_digest", text_digest(doc.body if body is None else body))
    if doc.excerpt_source is not None:
        object.__setattr__(doc, "excerpt_digest", text_digest(doc.excerpt_source))
    view_fingerprints(doc)
    object.__setattr__(doc, "liquid", liquid_in_texts(doc))
    return doc


def has_liquid(text: str) -> bool:
    """Jekyll's ``has_liquid_construct?``."""
    # (one character first: CPython finds "{" with memchr, while a two-character search over a
    # Japanese text is several times slower — 54 -> 8 ms for 5,000 posts, most have no brace)
    return "{" in text and ("{{" in text or "{%" in text)


def liquid_in_texts(doc: Document) -> bool:
    """Would Liquid change this document's texts: its body, or its excerpt when that is cut
    from the body (a front-matter excerpt is used as is)? Its ``liquid`` flag when made."""
    if doc.liquid is not None:
        return doc.liquid
    ex = doc.excerpt_source
    return has_liquid(doc.body) or (ex is not None and doc.excerpt_verbatim is None and has_liquid(ex))


def view_fingerprints(doc: Document) -> tuple[str, str, str]:
    """What identifies the document's template view (render/tracking.py): its base (the shape:
    everything but the body; a Document made without one falls back to its source hash), its
    body's grain, its summary's grain. Made once per document object (``view_fps``)."""
    if doc.view_fps is None:
        object.__setattr__(doc, "view_fps", (digest(doc.shape or doc.source_hash, doc.rel_path, doc.url, doc.kind),
                                             digest(doc.source_hash), summary_fingerprint(doc)))
    return doc.view_fps  # type: ignore[return-value]


def summary_fingerprint(doc: Document) -> str:
    """What a list of posts shows of a document's body: its excerpt (the source it is rendered
    from, or the front matter's, used as is) and its reading time, with the document's shape
    (its front matter: a view's `excerpt` may be a page's front-matter key). The excerpt's
    HTML is that source through Markdown, whose options are in every output's global
    fingerprint. (A document made without a shape falls back to its source hash.)"""
    if doc.excerpt_source is None:
        source = None
    else:
        source = doc.excerpt_digest or text_digest(doc.excerpt_source)
    return digest("summary", doc.shape or doc.source_hash, doc.is_markdown, doc.excerpt_verbatim, source,
                  doc.reading_time)


def shape_of(doc: Document) -> str:
    parts = [repr(sorted(doc.data.items(), key=str)) if f.name == "data" else repr(getattr(doc, f.name))
             for f in fields(doc) if f.name not in BODY_DERIVED]
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


_FIELDS = tuple(f.name for f in fields(Document))  # (once: unpickling 5,000 documents asked each time)
# Each field's slot, set directly (the body's too: a body in the state is bytes, decoded by
# the ``body`` property when read).
_SLOT_SETTERS = tuple(_BODY_SLOT.__set__ if name == "body" else Document.__dict__[name].__set__ for name in _FIELDS)
_EXCERPT_SLOT: Any = Document.__dict__["excerpt_source"]
_DEST_SLOT: Any = Document.__dict__["dest"]


@dataclass(frozen=True, slots=True)
class StaticFile:
    rel_path: str        # relative to its root (content dir or static/)
    path: Path
    dest: PurePosixPath
    url: str


@dataclass(frozen=True)
class SiteModel:
    """Everything read from the source; the input of rendering."""

    posts: tuple[Document, ...]     # site.posts order: newest first
    pages: tuple[Document, ...]
    static_files: tuple[StaticFile, ...]
    categories: Mapping[str, tuple[str, ...]]   # key -> post urls, newest first (site.categories)
    tags: Mapping[str, tuple[str, ...]]
    time: datetime
    next_due: float | None = None   # when the earliest post hidden as "future" becomes visible

