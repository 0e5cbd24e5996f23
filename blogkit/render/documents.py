"""The template stage: documents through their layout chains, then the generators — on every
core when the site is big enough.

Input: the build's ``RenderContext`` (views, site, templates, incremental state), the documents
in output order and the generators. Output: every ``Output`` in the serial order (documents,
then each generator's outputs in turn).

The parallel path forks worker processes *after* the views are built, so each worker inherits
the whole context. Jobs are slices of documents and the generators marked ``forkable`` (pure
functions of the context that render many pages: pagination, archives). A worker sends back,
per job, its outputs, the incremental records of its renders and the problems it logged; the
main process merges records and problems in output order (so the log reads as in a serial
build) and books the files, which the workers have already staged when nothing else can write
the same destination (creating files is mostly kernel time: spreading it over the cores is
half of the gain). Rendering is a pure function of the inherited context, so the bytes are the
serial path's. Small sites and ``BLOGKIT_WORKERS=1`` keep the serial path.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from ..cache import Cache
from ..content.model import Document
from ..errors import BlogkitError, Problem
from ..output import Stager
from ..parallel import die_with_parent, runs_parallel, workers
from ..progress import Progress, null_progress
from ..site import Output
from .incremental import KeepBytes, OutputRecord, TaggedBytes
from .tracking import TrackedView

if TYPE_CHECKING:
    from concurrent.futures import Future

if TYPE_CHECKING:
    from .site import Generator, RenderContext

# Below this many documents forking costs more than it saves (a pool costs ~50 ms to start;
# a document's layout chain 0.3-2 ms).
MIN_PARALLEL = 200


@dataclass
class _Job:
    """What a worker inherits through fork (never pickled)."""

    ctx: "RenderContext"
    items: Sequence[tuple[Document, TrackedView]]
    todo: Sequence[int]              # indexes in items of the documents to render in workers
    generators: Sequence["Generator"]
    store: Cache | None
    stager: Stager | None


# One output as it crosses the process boundary (TaggedBytes do not pickle as such):
# (dest, bytes or None if it failed or was staged, rid or "", kept unchanged?, staged?
#  (None: not staged, the bytes are sent), copy source, origin, kind)
_Sent = tuple[PurePosixPath, bytes | None, str, bool, bool | None, Path | None, str, str]
# A job's answer: per unit (a document, or a whole generator), its outputs and the problems it
# logged; plus the incremental records and the number of skipped renders of the whole job.
_Answer = tuple[list[tuple[list[_Sent], list[Problem]]], dict[str, OutputRecord], int]

_job: _Job | None = None


def forkable(generator: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a generator that may run in a render worker: it only reads the context, renders
    through ``ctx.render`` and returns its outputs (no other side effects)."""
    generator.forkable = True  # type: ignore[attr-defined]
    return generator


def _render_doc(ctx: "RenderContext", doc: Document, view: TrackedView) -> Output | None:
    html = ctx.render(doc.layout, view, lambda v=view: str(v["content"]), doc.rel_path,
                      content_fp=view.fingerprint)
    if html is None:
        return None
    return Output(doc.dest, html.encode("utf-8"), origin=doc.rel_path, kind=doc.kind)


def _worker_init(parent: int) -> None:
    die_with_parent(parent)  # an orphan would keep staging files after the build was killed
    assert _job is not None
    if _job.store is not None:
        _job.store.after_fork()  # lazy `content` loads read SQLite: never on the parent's connection


def _send(out: Output) -> _Sent:
    data, rid = out.data, getattr(out.data, "rid", "")
    kept, staged = isinstance(data, KeepBytes), None
    assert _job is not None
    if data is not None and not kept and _job.stager is not None:
        try:
            staged, data = _job.stager.stage(out.dest, data), None
        except (BlogkitError, OSError):
            pass  # sent back as bytes: the parent stages it and reports the problem with its source
    return (out.dest, None if data is None else bytes(data), rid, kept, staged, out.source, out.origin, out.kind)


def _run(task: tuple[str, int, int]) -> _Answer:
    """In a worker: ("docs", start, end) renders a slice of documents; ("gen", i, 0) runs a generator."""
    assert _job is not None
    ctx, log, inc = _job.ctx, _job.ctx.log, _job.ctx.incremental
    if inc is not None:
        inc.current, inc.skipped = {}, 0  # this job's records only
    units: list[tuple[list[_Sent], list[Problem]]] = []
    kind, a, b = task
    if kind == "docs":
        for doc, view in (_job.items[i] for i in _job.todo[a:b]):
            seen = len(log.problems)
            out = _render_doc(ctx, doc, view)
            units.append(([] if out is None else [_send(out)], log.problems[seen:]))
    else:
        seen = len(log.problems)
        outs = _job.generators[a](ctx)
        units.append(([_send(o) for o in outs], log.problems[seen:]))
    return units, (inc.current if inc is not None else {}), (inc.skipped if inc is not None else 0)


def _received(sent: _Sent) -> Output:
    dest, data, rid, kept, staged, source, origin, kind = sent
    if data is not None or staged is not None:
        payload: bytes | None = (KeepBytes if kept else TaggedBytes)(data or b"", rid) if rid else (data or b"")
    else:
        payload = None
    return Output(dest, payload, source=source, origin=origin, kind=kind, staged=staged)


def render_outputs(ctx: "RenderContext", items: Sequence[tuple[Document, TrackedView]],
                   generators: Sequence["Generator"], store: Cache | None = None,
                   progress: Progress = null_progress, stager: Stager | None = None) -> Iterator[Output]:
    """Every document's output, then every generator's, in that order. With ``stager``, files
    may already be staged by a worker (``Output.staged``)."""
    task = progress.task("templates", len(items))
    n = workers()
    # Only documents that must be rendered are worth a worker: a warm build keeps nearly all
    # (checking is cheap) and then needs no pool at all.
    todo = [i for i, (doc, view) in enumerate(items)
            if not ctx.will_keep(doc.layout, view, doc.rel_path, view.fingerprint)] if n >= 2 else []
    if not runs_parallel(len(todo), MIN_PARALLEL):
        for doc, view in items:
            task.advance()
            out = _render_doc(ctx, doc, view)
            if out is not None:
                yield out
        for generate in generators:
            yield from generate(ctx)
        return
    import multiprocessing  # (here: an edit build renders on one core, see parallel.py)
    from concurrent.futures import ProcessPoolExecutor

    global _job  # noqa: PLW0603 - handed to the forked workers, cleared once they are started
    # Small slices: results stream back (the main process books files meanwhile) and the last
    # slices keep both workers busy after a long generator job.
    size = max(4, len(todo) // (n * 16))
    slices = [("docs", i, min(i + size, len(todo))) for i in range(0, len(todo), size)]
    forked = [i for i, g in enumerate(generators) if getattr(g, "forkable", False)]
    _job = _Job(ctx, items, todo, generators, store, stager)
    inc = ctx.incremental
    try:
        with ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_worker_init, initargs=(os.getpid(),)) as pool:
            # The longest jobs first (a worker takes jobs in submission order); answers are
            # consumed in output order.
            gen_futures: dict[int, Future[_Answer]] = {i: pool.submit(_run, ("gen", i, 0)) for i in forked}
            doc_futures = [pool.submit(_run, s) for s in slices]
            _job = None  # the workers have their copy; the parent must not keep a second reference

            def receive(future: Future[_Answer]) -> Iterator[list[Output]]:
                """Per unit (document or generator), its outputs, once its problems are logged."""
                units, records, skipped = future.result()
                if inc is not None:
                    inc.current.update(records)
                    inc.skipped += skipped
                for sent, problems in units:
                    for problem in problems:
                        ctx.log.add(problem)
                    yield [_received(one) for one in sent]

            rendered = (unit for future in doc_futures for unit in receive(future))
            forked_docs = set(todo)
            for i, (doc, view) in enumerate(items):
                task.advance()
                if i in forked_docs:
                    yield from next(rendered)
                else:  # kept as it is: nothing to render
                    out = _render_doc(ctx, doc, view)
                    if out is not None:
                        yield out
            for i, generate in enumerate(generators):
                if i in gen_futures:
                    for outs in receive(gen_futures[i]):
                        yield from outs
                else:
                    yield from generate(ctx)
    finally:
        _job = None
