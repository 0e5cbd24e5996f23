"""Edit builds: which outputs can be kept without checking their render arguments.

An incremental build keeps an output when its *base* (code, config, templates and the render
call's arguments: the page and paginator passed in) and every dependency its templates read are
unchanged. Computing the base of every page on a 5,000-post site (archive pages hold paginators
of views) costs more than the rest of an edit build, and it is wasted on the usual edit: one
post's body.

The shortcut. A page's arguments are made from the config, the templates and the *structure*
of the site — which documents exist, in which order, with which front matter, URL, date, tags,
categories and layout (each document's ``shape``, see content/model.py) — never from a body.
So when this build's ``basis`` (global fingerprint + structure) equals the last build's, every
base is the same too, and an output can be kept when what it read is unchanged (each recorded
dependency's fingerprint: a post's view changes with its body, ``site.time`` with the clock)
and its file is intact. That check is a few dictionary lookups and one ``stat`` per output.
Any difference in the basis — one tag, one title, a new post — keeps the shortcut for one kind
of output only: a document's own page. Its arguments are its own view, and each render records
that view (both grains: render/tracking.py) among its reads, so its reads cover its base; the
generated pages (archives, paginated lists, tag cloud) get the full check. A different global
fingerprint (code, config, templates) means the full check for every output.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from .. import heap
from ..content.model import SiteModel
from .incremental import OutputRecord
from .tracking import digest


def site_basis(global_fp: str, model: SiteModel) -> str:
    """The global fingerprint and the site's structure: the posts in site.posts order and the
    pages, each by path and shape, and the static files (bodies are not part of it)."""
    return digest(global_fp,
                  *(f"P{d.rel_path}\0{d.shape}" for d in model.posts),
                  *(f"G{d.rel_path}\0{d.shape}" for d in model.pages),
                  *(f"S{s.rel_path}\0{s.dest}" for s in model.static_files))


def keep_plan(previous: dict[str, OutputRecord], fp_of: Callable[[str], str | None],
              dest_root: Path, index: "DepIndex | None" = None) -> dict[str, OutputRecord]:
    """The previous records that still hold: every dependency has its recorded fingerprint and
    the written file has its recorded size and mtime. Valid for every output when the basis is
    unchanged, for documents' own pages when the global fingerprint is. With ``index`` (the
    preview server's, kept between its builds) each recorded (dependency, fingerprint) is
    checked once rather than once per record holding it; the answer is the same."""
    root = str(dest_root)
    kept: dict[str, OutputRecord] = {}
    if index is not None:
        stale = index.stale(previous, fp_of)
        for rid, rec in previous.items():
            if rec.dest is not None and rid not in stale:
                _keep_if_intact(kept, rid, rec, root)
        return kept
    # ~300,000 (dependency, fingerprint) pairs at 5,000 posts, ~15,000 distinct: each distinct
    # pair is checked once, and a record against the few that changed with one C-level
    # ``isdisjoint`` (a Python loop over every pair was 0.07 s of every edit command).
    written = [(rid, rec) for rid, rec in previous.items() if rec.dest is not None]
    pairs: set[tuple[str, str]] = set()
    for _, rec in written:
        pairs.update(rec.deps)
    current: dict[str, str | None] = {}
    stale: set[tuple[str, str]] = set()
    for pair in pairs:
        dep = pair[0]
        now = current[dep] = current[dep] if dep in current else fp_of(dep)
        if now != pair[1]:
            stale.add(pair)
    for rid, rec in written:
        if not stale or stale.isdisjoint(rec.deps):
            _keep_if_intact(kept, rid, rec, root)
    return kept


def _keep_if_intact(kept: dict[str, OutputRecord], rid: str, rec: OutputRecord, root: str) -> None:
    """Add ``rec`` to ``kept`` if its written file still has the recorded size and mtime."""
    try:
        st = os.stat(f"{root}/{rec.dest}")
    except OSError:
        return
    if st.st_size == rec.size and st.st_mtime_ns == rec.mtime_ns:
        kept[rid] = rec


class DepIndex:
    """Which records hold each recorded (dependency, fingerprint): the preview server keeps one
    for its lifetime, in step with the last build's records, so an edit build asks each of
    ~10,000 pairs once instead of walking ~300,000 (60 ms of a 5,000-post rebuild).

    Records are matched by identity: a record kept by a build is the same object in the next
    build's manifest, a re-rendered output has a new one (and its dependencies are tuples,
    never changed in place)."""

    def __init__(self) -> None:
        self._records: dict[str, OutputRecord] = {}
        self._holders: dict[tuple[str, str], set[str]] = {}

    def prime(self, records: dict[str, OutputRecord]) -> None:
        """Index ``records`` now if nothing is indexed yet: the server's first build does it
        (~0.15 s at 5,000 posts), not the first edit an editor waits for."""
        if not self._records:
            self._sync(records)

    def stale(self, records: dict[str, OutputRecord], fp_of: Callable[[str], str | None]) -> set[str]:
        """The ids among ``records`` with a dependency whose fingerprint is no longer the one recorded."""
        self._sync(records)
        out: set[str] = set()
        for (dep, fp), holders in self._holders.items():
            if fp_of(dep) != fp:
                out |= holders
        return out

    def _sync(self, records: dict[str, OutputRecord]) -> None:
        with heap.no_collection():  # (a burst of sets and tuples, no cycles: blogkit/heap.py)
            self._update(records)

    def _update(self, records: dict[str, OutputRecord]) -> None:
        # (only the few records that changed are collected: a list of all 9,000 as tuples
        # set off the cyclic collector mid-build, 25 ms)
        gone = [rid for rid, rec in self._records.items() if records.get(rid) is not rec]
        for rid in gone:
            for pair in self._records.pop(rid).deps:
                holders = self._holders.get(pair)
                if holders is not None:
                    holders.discard(rid)
                    if not holders:
                        del self._holders[pair]
        for rid in [rid for rid in records if rid not in self._records]:
            rec = self._records[rid] = records[rid]
            for pair in rec.deps:
                self._holders.setdefault(pair, set()).add(rid)
