"""Rendering documents through their layout chains, on every core when the site is big enough.

Input: the build's ``RenderContext`` (views, site, templates, incremental state) and the
documents in output order. Output: per document, in that same order, the bytes to write
(``TaggedBytes``), a ``KeepBytes`` marker (incremental: the file on disk is still right) or
None (rendering failed; the problem is in the log).

The parallel path forks worker processes *after* the views are built, so each worker inherits
the whole context and renders a contiguous slice of documents; it sends back, per document,
the bytes, the incremental record of that render and the problems it logged. The main
process only merges records and problems (in document order, so the log reads as in a serial
build) and stages files. Rendering is a pure function of the inherited context, so the bytes
are the serial path's; small sites and ``BLOGKIT_WORKERS=1`` keep the serial path.
"""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, Sequence

from ..cache import Cache
from ..content.model import Document
from ..errors import Problem
from ..parallel import workers
from ..progress import Progress, null_progress
from .incremental import KeepBytes, OutputRecord, TaggedBytes
from .tracking import TrackedView

if TYPE_CHECKING:
    from .site import RenderContext

# Below this many documents forking costs more than it saves (measured: a worker pool costs
# ~50 ms to start; a document's layout chain ~0.5-2 ms).
MIN_PARALLEL = 200


@dataclass
class _Job:
    """What a worker inherits through fork (never pickled)."""

    ctx: "RenderContext"
    items: Sequence[tuple[Document, TrackedView]]
    store: Cache | None


# (bytes or None if it failed, rid or "", kept unchanged?, incremental record, problems logged)
_Result = tuple[bytes | None, str, bool, OutputRecord | None, list[Problem]]

_job: _Job | None = None


def _render_one(ctx: "RenderContext", doc: Document, view: TrackedView) -> bytes | None:
    html = ctx.render(doc.layout, view, lambda v=view: str(v["content"]), doc.rel_path,
                      content_fp=view.fingerprint())
    return None if html is None else html.encode("utf-8")


def _worker_init() -> None:
    assert _job is not None
    if _job.store is not None:
        _job.store.after_fork()  # lazy `content` loads read SQLite: never on the parent's connection


def _render_slice(bounds: tuple[int, int]) -> list[_Result]:
    assert _job is not None
    ctx, log, inc = _job.ctx, _job.ctx.log, _job.ctx.incremental
    out: list[_Result] = []
    for doc, view in _job.items[bounds[0]:bounds[1]]:
        seen = len(log.problems)
        data = _render_one(ctx, doc, view)
        rid = getattr(data, "rid", "")
        record = inc.current.pop(rid, None) if inc is not None and rid else None
        out.append((None if data is None else bytes(data), rid, isinstance(data, KeepBytes), record,
                    log.problems[seen:]))
    return out


def render_documents(ctx: "RenderContext", items: Sequence[tuple[Document, TrackedView]],
                     store: Cache | None = None, progress: Progress = null_progress
                     ) -> Iterator[tuple[Document, bytes | None]]:
    """Each document with its output bytes (``TaggedBytes``/``KeepBytes``) or None, in order."""
    task = progress.task("templates", len(items))
    n = workers()
    if n < 2 or len(items) < MIN_PARALLEL or "fork" not in multiprocessing.get_all_start_methods():
        for doc, view in items:
            task.advance()
            yield doc, _render_one(ctx, doc, view)
        return
    global _job  # noqa: PLW0603 - handed to the forked workers, cleared once they are started
    # Small slices: results stream back (the main process stages files meanwhile) and a slice
    # of long posts does not leave the other worker idle at the end.
    size = max(4, len(items) // (n * 16))
    bounds = [(i, min(i + size, len(items))) for i in range(0, len(items), size)]
    _job = _Job(ctx, items, store)
    try:
        with ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_worker_init) as pool:
            results = pool.map(_render_slice, bounds)
            _job = None  # the workers have their copy; the parent must not keep a second reference
            inc = ctx.incremental
            docs = iter(items)
            for chunk in results:
                for data, rid, kept, record, problems in chunk:
                    doc = next(docs)[0]
                    task.advance()
                    for problem in problems:
                        ctx.log.add(problem)
                    if inc is not None and record is not None:
                        inc.current[rid] = record
                        inc.skipped += kept
                    yield doc, None if data is None else (KeepBytes if kept else TaggedBytes)(data, rid)
    finally:
        _job = None
