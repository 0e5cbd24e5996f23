"""Work on every core: Markdown texts in, ``Rendered`` values out (``render_all``), and any pure
per-item function over a list (``fork_map``: reading the documents of a cold build), in order.

Markdown parsing dominates a build (a few ms per long post), is pure, and its inputs and
outputs pickle cheaply. Reading a post (YAML, dates, URL, reading time) is the next largest
per-post cost, and a cold build did it on one core. Workers are forked (Linux): they inherit
what the function needs, and build their own MarkdownIt once in the initializer.
"""
from __future__ import annotations

import os
import signal
from collections import deque
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Sequence, TypeVar

from .markdown import Markdown, Rendered, make_markdown

if TYPE_CHECKING:
    from concurrent.futures import Future

# multiprocessing, concurrent.futures and ctypes are imported where a pool starts: an edit build
# renders a few pages on one core, and importing them was 12 ms of every command.

# Below this many texts a pool costs more than it saves.
MIN_PARALLEL = 64
_worker_md: Markdown | None = None
_worker_fn: Callable[[Any], Any] | None = None   # fork_map's function, inherited through fork

T = TypeVar("T")
R = TypeVar("R")


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """In a forked worker: be killed when the build process dies.

    A build killed with SIGKILL cannot stop its pool, and an orphaned render worker would go on
    writing into the staging directory after the next build's recovery removed it (seen in the
    crash test). Linux's PR_SET_PDEATHSIG closes that; elsewhere this is a no-op. ``parent`` is
    the pid that forked us: if it is already gone the signal would never come, so exit now.
    """
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:
        os._exit(1)


_worker_seal: Callable[[Rendered], bytes] | None = None


def _init(options: Mapping[str, Any] | None, parent: int, seal: Callable[[Rendered], bytes] | None) -> None:
    global _worker_md, _worker_seal  # noqa: PLW0603 - one renderer per worker process, by design
    die_with_parent(parent)
    _worker_md = make_markdown(options)
    _worker_seal = seal


def _render_chunk(texts: Sequence[bytes]) -> list[Rendered | bytes | BaseException]:
    assert _worker_md is not None
    out: list[Rendered | bytes | BaseException] = []
    for text in texts:
        try:
            rendered = _worker_md.render(text.decode("utf-8", "surrogatepass"))
            out.append(rendered if _worker_seal is None else _worker_seal(rendered))
        except Exception as exc:  # noqa: BLE001 - returned so the caller can locate it
            out.append(exc)
    return out


def workers() -> int:
    env = os.environ.get("BLOGKIT_WORKERS")
    if env and env.isdigit():
        return max(1, int(env))
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def render_all(texts: Sequence[str], md: Markdown, options: Mapping[str, Any] | None,
               seal: Callable[[Rendered], bytes] | None = None) -> Iterator[Rendered | bytes | BaseException]:
    """Render every text, yielding results in order as they come (so the caller can store and
    drop them: holding every rendered page at once made the peak memory grow with the site);
    exceptions are yielded in place, not raised. Consume it to the end.

    With ``seal``, each result comes as ``seal(rendered)`` (made in the worker): a caller that
    only stores the results then neither unpickles them nor pickles them again."""
    n = workers()
    if not runs_parallel(len(texts)):
        for result in _render_serial(texts, md):
            yield result if seal is None or isinstance(result, BaseException) else seal(result)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = max(8, len(texts) // (n * 8))
    # Sent as UTF-8 bytes, encoded chunk by chunk: pickling a str makes CPython keep a UTF-8
    # copy inside the (parent's, long-lived) str object — 80 MB of the parent's peak at 5,000 posts.
    chunks = ([t.encode("utf-8", "surrogatepass") for t in texts[i:i + size]]
              for i in range(0, len(texts), size))
    with ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("fork"),
                             initializer=_init, initargs=(dict(options or {}), os.getpid(), seal)) as pool:
        # A sliding window, not pool.map: map submits every chunk at once, and when the caller
        # (storing results in the cache) is slower than the workers, finished chunks pile up in
        # this process — 100 MB of HTML at 5,000 posts, the build's peak.
        pending: deque[Future[list[Rendered | BaseException]]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(_render_chunk, chunk))
            if len(pending) >= n * 3:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _render_serial(texts: Sequence[str], md: Markdown) -> Iterator[Rendered | BaseException]:
    for text in texts:
        try:
            yield md.render(text)
        except Exception as exc:  # noqa: BLE001
            yield exc


def _fork_init(parent: int) -> None:
    die_with_parent(parent)


def _map_chunk(items: Sequence[Any]) -> list[Any]:
    assert _worker_fn is not None
    return [_worker_fn(item) for item in items]


def runs_parallel(count: int, minimum: int | None = None) -> bool:
    """Is a pool worth it for ``count`` items (``minimum``: this stage's threshold, default
    MIN_PARALLEL)? Needs two cores and fork."""
    return workers() >= 2 and count >= (MIN_PARALLEL if minimum is None else minimum) and hasattr(os, "fork")


def fork_map(fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
    """``fn`` over ``items`` on every core, results in order. ``fn`` must not raise (return
    errors as values) and its results must pickle. Serial when a pool would not pay off."""
    global _worker_fn  # noqa: PLW0603 - handed to the forked workers (set while any may start)
    n = workers()
    if not runs_parallel(len(items)):
        yield from (fn(item) for item in items)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = max(8, len(items) // (n * 8))
    _worker_fn = fn
    try:
        with ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_fork_init, initargs=(os.getpid(),)) as pool:
            pending: deque[Future[list[Any]]] = deque()
            for i in range(0, len(items), size):
                pending.append(pool.submit(_map_chunk, items[i:i + size]))
                if len(pending) >= n * 3:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
    finally:
        _worker_fn = None
