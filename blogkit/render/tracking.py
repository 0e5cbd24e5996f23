"""Dependency tracking for incremental builds: views that remember who read them.

A template reads ``page``, ``site.posts``, ``page.previous.title``… Every post and page view is
a ``TrackedView`` (a dict that records its key when read) and every collection that can change
membership (``site.posts``, ``site.tags``…) is a ``TrackedList``/``TrackedDict`` that records its
name. While an output renders, those reads are collected; the output's cache key is then a hash
of the fingerprints of exactly what it read. On the next build, an output whose recorded
dependencies all have the same fingerprints is not rendered again (``render/incremental.py``).

Fingerprints are content hashes: a view's is its source file's hash plus the URLs it links to
(previous, next, related), a collection's is the list of its members' keys.
"""
from __future__ import annotations

from contextvars import ContextVar
from datetime import date, datetime
from typing import Any, Callable, Iterable, Iterator

from ..digests import digest

_reads: ContextVar[set[str] | None] = ContextVar("blogkit_reads", default=None)


def record(key: str) -> None:
    reads = _reads.get()
    if reads is not None:
        reads.add(key)


def replay(keys: Iterable[str]) -> None:
    """Record ``keys`` as read: what a fragment rendered once per build read the first time
    (``render/fragments.py``), for each output that uses it."""
    reads = _reads.get()
    if reads is not None:
        reads.update(keys)


class Recording:
    """``with Recording() as reads:`` collects every tracked read made inside the block."""

    def __enter__(self) -> set[str]:
        self.reads: set[str] = set()
        self._token = _reads.set(self.reads)
        return self.reads

    def __exit__(self, *exc: object) -> None:
        _reads.reset(self._token)


# A dependency on one entry of site.static_files (render/env.py ``static_file``).
STATIC_PREFIX = "static:"


def file_dep(path: Any) -> str:
    """The dependency name of a file read while rendering (a Liquid layout or include): its
    fingerprint is the file's bytes (``render/site.py: make_resolver``)."""
    return f"file:{path}"


def files_digest(roots: Any) -> str:
    """Every file under ``roots`` (paths and bytes): templates, Sass partials — what an output
    may read without naming it."""
    parts = []
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                parts.append(f"{path}:{digest(path.read_bytes())}")
    return digest(*parts)


BODY = "#body"
SUMMARY = "#summary"


class TrackedView(dict):  # type: ignore[type-arg]
    """A page/post view. Attribute names are prefixed so templates never see them.

    Reads are recorded at two grains: what the body makes (``content``, ``excerpt``, ``toc``,
    ``reading_time``) as ``<key>#body``, everything else (title, date, tags, URL, front
    matter, links) as ``<key>``. An archive listing 700 titles then does not depend on those
    700 bodies, and editing one body does not re-render it."""

    _bk_key: str
    _bk_body_key: str
    _bk_base: str
    _bk_body: str
    _bk_lazy: dict[str, Callable[[], Any]]

    # Values computed on every read and never kept (a post's HTML: keeping 5,000 of them in
    # memory is what the lazy loading is there to avoid).
    VOLATILE = frozenset({"content"})
    # The keys a document's body decides: the whole of it (recorded as `<key>#body`), and what a
    # list of posts shows of it (`<key>#summary`). An edit past a post's first paragraph that
    # leaves its reading time leaves its summary: the index pages listing it are kept.
    FROM_BODY = frozenset({"content", "toc"})
    FROM_SUMMARY = frozenset({"excerpt", "reading_time"})

    def __init__(self, data: dict[str, Any], key: str, base_fp: str,
                 lazy: dict[str, Callable[[], Any]] | None = None, body_fp: str = "",
                 summary_fp: str = "") -> None:
        super().__init__(data)
        self._bk_key = key
        # (one string object each, recorded by every read: the manifest then pickles it once)
        self._bk_body_key = key + BODY
        self._bk_summary_key = key + SUMMARY
        self._bk_base = base_fp
        self._bk_body = body_fp
        self._bk_summary = summary_fp
        self._bk_lazy = dict(lazy or {})

    def _bk_record(self, name: object) -> None:
        record(self._bk_body_key if name in self.FROM_BODY
               else self._bk_summary_key if name in self.FROM_SUMMARY else self._bk_key)

    def _bk_record_all(self) -> None:
        record(self._bk_key)
        record(self._bk_body_key)
        record(self._bk_summary_key)

    def _bk_load(self, name: str) -> None:
        if name in self.VOLATILE and name in self._bk_lazy:
            return
        loader = self._bk_lazy.pop(name, None)
        if loader is not None:
            dict.__setitem__(self, name, loader())

    def _bk_value(self, name: str, default: Any = None) -> Any:
        if name in self.VOLATILE and name in self._bk_lazy:
            return self._bk_lazy[name]()
        if name in self._bk_lazy:
            self._bk_load(name)
        return dict.get(self, name, default)

    def __setitem__(self, name: str, value: Any) -> None:
        self._bk_lazy.pop(name, None)
        dict.__setitem__(self, name, value)

    def _bk_load_all(self) -> None:
        for name in list(self._bk_lazy):
            if name in self.VOLATILE:
                dict.__setitem__(self, name, self._bk_lazy.pop(name)())
            else:
                self._bk_load(name)

    def __getitem__(self, name: str) -> Any:
        self._bk_record(name)
        if name in self._bk_lazy:
            return self._bk_value(name)
        return dict.__getitem__(self, name)

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        self._bk_record(name)
        return self._bk_value(name, default)

    def __contains__(self, name: object) -> bool:
        record(self._bk_key)  # which keys exist is the document's shape, not its body
        return dict.__contains__(self, name) or name in self._bk_lazy

    def __iter__(self) -> Iterator[str]:
        self._bk_record_all()
        self._bk_load_all()
        return dict.__iter__(self)

    def __len__(self) -> int:
        # Counted without loading: a template's `{% if page.previous %}` asks for the
        # neighbour's truth value, i.e. its length, and loading would fetch and convert the
        # neighbour's whole body for nothing (a fifth of a theme post page's render time).
        return dict.__len__(self) + sum(1 for name in self._bk_lazy if not dict.__contains__(self, name))

    def keys(self):  # type: ignore[no-untyped-def,override]
        self._bk_record_all()
        self._bk_load_all()
        return dict.keys(self)

    def items(self):  # type: ignore[no-untyped-def,override]
        self._bk_record_all()
        self._bk_load_all()
        return dict.items(self)

    def values(self):  # type: ignore[no-untyped-def,override]
        self._bk_record_all()
        self._bk_load_all()
        return dict.values(self)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        self._bk_load_all()
        return (dict, (dict(self),))

    def meta_fingerprint(self) -> str:
        """Everything but the body (the ``<key>`` grain): the shape of the document plus the
        identity of the views it links to (their content is tracked when a template reads them)."""
        links = []
        for name in ("previous", "next"):
            other = dict.get(self, name)
            links.append(other._bk_key if isinstance(other, TrackedView) else "")
        related = dict.get(self, "related") or []
        links.extend(r._bk_key if isinstance(r, TrackedView) else repr(r) for r in related)
        return digest(self._bk_base, *links)

    def body_fingerprint(self) -> str:
        """The ``<key>#body`` grain: the document's source hash (body and front matter)."""
        return self._bk_body or self._bk_base

    def summary_fingerprint(self) -> str:
        """The ``<key>#summary`` grain: its excerpt's source and its reading time (a view made
        without one falls back to the body grain, which covers both)."""
        return self._bk_summary or self.body_fingerprint()

    def fingerprint(self) -> str:
        """What a render of the document itself depends on: the meta and body grains (the
        body's covers the summary, made from the same source)."""
        return digest(self.meta_fingerprint(), self.body_fingerprint())


class TrackedList(list):  # type: ignore[type-arg]
    """A collection (site.posts, site.categories[x]…) that records its name when read."""

    _bk_key: str

    def __init__(self, items: Any, key: str) -> None:
        super().__init__(items)
        self._bk_key = key

    def __iter__(self) -> Iterator[Any]:
        record(self._bk_key)
        return list.__iter__(self)

    def __getitem__(self, index: Any) -> Any:
        record(self._bk_key)
        return list.__getitem__(self, index)

    def __len__(self) -> int:
        record(self._bk_key)
        return list.__len__(self)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (list, (list(list.__iter__(self)),))

    def fingerprint(self) -> str:
        return digest(*(member_key(m) for m in list.__iter__(self)))


class TrackedDict(dict):  # type: ignore[type-arg]
    """site.categories / site.tags: keys and membership recorded under one name."""

    _bk_key: str

    def __init__(self, data: dict[str, Any], key: str) -> None:
        super().__init__(data)
        self._bk_key = key

    def __getitem__(self, name: Any) -> Any:
        record(self._bk_key)
        return dict.__getitem__(self, name)

    def get(self, name: Any, default: Any = None) -> Any:  # type: ignore[override]
        record(self._bk_key)
        return dict.get(self, name, default)

    def __iter__(self) -> Iterator[Any]:
        record(self._bk_key)
        return dict.__iter__(self)

    def __len__(self) -> int:
        record(self._bk_key)
        return dict.__len__(self)

    def __contains__(self, name: object) -> bool:
        record(self._bk_key)
        return dict.__contains__(self, name)

    def keys(self):  # type: ignore[no-untyped-def,override]
        record(self._bk_key)
        return dict.keys(self)

    def items(self):  # type: ignore[no-untyped-def,override]
        record(self._bk_key)
        return dict.items(self)

    def values(self):  # type: ignore[no-untyped-def,override]
        record(self._bk_key)
        return dict.values(self)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (dict, (dict(dict.items(self)),))

    def fingerprint(self) -> str:
        return digest(*(f"{k}={[member_key(m) for m in v]}" for k, v in dict.items(self)))


class TrackedBranch(dict):  # type: ignore[type-arg]
    """A site value whose parts templates read separately, recorded part by part.

    ``site.tag_cloud``: every page's layout asks whether it exists (and for its ``url``), only the
    tags page walks its terms. Recorded whole, one post's new tag changed a dependency of every
    page and re-rendered them all (2 s of a 1,000-post tags edit, for bytes that did not change).
    Reading the site key records ``site.<name>`` (its fingerprint: which keys exist), reading an
    item records ``site.<name>.<item>``, walking the items records ``site.<name>.*``.
    """

    _bk_key: str

    def __init__(self, data: dict[str, Any], key: str) -> None:
        super().__init__(data)
        self._bk_key = key

    def __getitem__(self, name: Any) -> Any:
        record(f"{self._bk_key}.{name}")
        return dict.__getitem__(self, name)

    def get(self, name: Any, default: Any = None) -> Any:  # type: ignore[override]
        record(f"{self._bk_key}.{name}")
        return dict.get(self, name, default)

    def __contains__(self, name: object) -> bool:
        record(f"{self._bk_key}.{name}")
        return dict.__contains__(self, name)

    def items(self):  # type: ignore[no-untyped-def,override]
        record(self._bk_key + ".*")
        return dict.items(self)

    def values(self):  # type: ignore[no-untyped-def,override]
        record(self._bk_key + ".*")
        return dict.values(self)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (dict, (dict(dict.items(self)),))

    def key_set(self) -> str:
        """The fingerprint of the site key itself: which items exist (truthiness, ``keys``)."""
        return "B:" + self._bk_key + ":" + ",".join(sorted(map(str, dict.keys(self))))

    def part(self, name: str) -> str:
        """The fingerprint of ``site.<name>.<part>`` (``*``: all of it)."""
        if name == "*":
            return digest(shallow(dict(dict.items(self))))
        return digest(shallow(dict.get(self, name))) if dict.__contains__(self, name) else "absent"


class TrackedSite(dict):  # type: ignore[type-arg]
    """The `site` view: each key read is recorded as ``site.<key>``."""

    def __getitem__(self, name: str) -> Any:
        record("site." + str(name))
        return dict.__getitem__(self, name)

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        record("site." + str(name))
        return dict.get(self, name, default)

    def __contains__(self, name: object) -> bool:
        record("site." + str(name))
        return dict.__contains__(self, name)

    def __iter__(self) -> Iterator[str]:
        record("site.*")
        return dict.__iter__(self)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (dict, (dict(dict.items(self)),))


def member_key(value: Any) -> str:
    return value._bk_key if isinstance(value, TrackedView) else shallow(value)


def shallow(value: Any) -> str:
    """A fingerprint of a template argument: views by key, containers element by element."""
    if isinstance(value, TrackedView):
        return "V:" + value._bk_key
    if isinstance(value, TrackedBranch):  # its parts are fingerprinted as they are read
        return value.key_set()
    if isinstance(value, (TrackedList, TrackedDict)):
        return "C:" + value._bk_key + ":" + value.fingerprint()
    if isinstance(value, dict):
        return "{" + ",".join(f"{k!s}:{shallow(v)}" for k, v in dict.items(value)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(shallow(v) for v in value) + "]"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return repr(value)
