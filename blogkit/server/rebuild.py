"""The rebuild loop: batches of ``Change`` in, a rebuilt destination and a published ``SiteState`` out.

One thread runs builds one at a time with a ``BuildCache`` kept for the server's lifetime (the
build makes warm rebuilds fast through it). While a build runs, the ``Gate`` holds page requests
back, so nobody sees a half-moved site; changes that arrive meanwhile are merged into the next
build. A failed build leaves the destination as it was (``build`` writes nothing on failure) and
publishes its problems for the browser overlay and the terminal.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..config import SiteConfig
from ..errors import BlogkitError, BuildFailed, Problem, ProblemLog
from ..progress import Task
from ..search import pagefind_run
from ..site import BuildCache, BuildReport, build, save_state
from .watch import Change, ChangeKind

# The batch the background search indexer submits when a fresh index is ready.
SEARCH_READY = frozenset({Change(Path(".blogkit-search-index"), ChangeKind.CONTENT)})


class Gate:
    """A readers-writer lock: many requests read the site, one rebuild writes it.

    Writers win: once a rebuild is waiting, new requests queue behind it, so a steady stream of
    requests cannot starve the rebuild.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    def acquire_read(self, timeout: float | None = None) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: not self._writing and not self._writers_waiting, timeout) and \
                self._enter_read()

    def _enter_read(self) -> bool:
        self._readers += 1
        return True

    def release_read(self) -> None:
        with self._cond:
            self._readers -= 1
            self._cond.notify_all()

    def acquire_write(self) -> None:
        with self._cond:
            self._writers_waiting += 1
            self._cond.wait_for(lambda: not self._writing and self._readers == 0)
            self._writers_waiting -= 1
            self._writing = True

    def release_write(self) -> None:
        with self._cond:
            self._writing = False
            self._cond.notify_all()

    @property
    def busy(self) -> bool:
        with self._cond:
            return self._writing or bool(self._writers_waiting)


@dataclass(frozen=True)
class SiteState:
    """What the browsers are told: a generation that bumps after every successful build."""

    generation: int = 0
    problems: tuple[Problem, ...] = ()   # errors of the last build; empty when it succeeded
    css_only: bool = False               # the last successful build changed only stylesheets
    building: bool = False


class Cancelled(BaseException):
    """Raised inside a build when the server is stopping (BaseException: build code must not catch it)."""


@dataclass
class _CancelProgress:
    """A Progress whose tasks raise ``Cancelled`` once stop is requested.

    Stages call ``advance`` before their work and the writer's ``commit`` has no progress calls, so
    a cancel lands either before anything was moved into the destination (the writer removes its
    staging dir) or not at all: never half-way through the commit.
    """

    stop: threading.Event

    def task(self, name: str, total: int) -> Task:
        return self

    def advance(self, n: int = 1) -> None:
        if self.stop.is_set():
            raise Cancelled()


@dataclass
class Rebuilder:
    """Runs builds on its own thread; ``submit`` a batch of changes, read ``state``."""

    make_config: Callable[[], tuple[SiteConfig, list[Problem]]]
    on_state: Callable[[SiteState, BuildReport | None, float], None] = lambda s, r, t: None
    gate: Gate = field(default_factory=Gate)
    build_fn: Callable[..., BuildReport] = build
    config: SiteConfig | None = None
    state: SiteState = field(default_factory=SiteState)
    cache: BuildCache = field(default_factory=BuildCache)
    _pending: set[Change] = field(default_factory=set)
    _cond: threading.Condition = field(default_factory=threading.Condition)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _idle: threading.Event = field(default_factory=threading.Event)
    first_done: threading.Event = field(default_factory=threading.Event)  # requests wait for it
    # The last build's records go to disk once the server has been quiet this long (and when it
    # stops): pickling them is a quarter of a second at 5,000 posts, which right after the
    # reload event slowed the browser's fetch of the page (one thread holds the GIL) and made
    # a quick second save wait. The next build uses the copy in memory, so nothing waits for it.
    save_delay: float = 1.0
    _save_at: float | None = None
    _save_final: bool = True

    def start(self) -> None:
        """Start the thread and queue the first build (on that thread, so Ctrl-C can cancel it
        cleanly; requests that arrive meanwhile wait at the gate)."""
        # After an edit, the search index (when `search` is on) is rebuilt on a thread of its own
        # and the site rebuilt again once it is ready, instead of every save waiting for Pagefind.
        pagefind_run.DEFERRAL = pagefind_run.Deferral(on_ready=lambda: self.submit(SEARCH_READY))
        self._thread = threading.Thread(target=self._loop, name="blogkit-rebuild", daemon=True)
        self.submit(frozenset({Change(Path("."), ChangeKind.CONFIG)}))
        self._thread.start()

    def submit(self, batch: frozenset[Change]) -> None:
        with self._cond:
            self._pending.update(batch)
            self._idle.clear()
            self._cond.notify()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """For tests and the benchmark: wait until no build runs or is queued."""
        return self._idle.wait(timeout)

    def stop(self) -> None:
        """Cancel a build in its read/render phase, let a commit finish, end the thread."""
        pagefind_run.DEFERRAL = None
        pagefind_run.stop_indexing()  # a background re-index must not outlive the server
        self._stop.set()
        with self._cond:
            self._cond.notify()
        if self._thread is not None:
            self._thread.join()

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._stop.is_set():
                    self._idle.set()
                    if self._save_at is None:
                        self._cond.wait()
                    elif self._save_at <= time.monotonic():
                        break
                    else:
                        self._cond.wait(self._save_at - time.monotonic())
                stopping = self._stop.is_set()
                batch = frozenset(self._pending)
                self._pending.clear()
            if stopping or not batch:
                self._save()
                if stopping:
                    self._idle.set()
                    return
                continue
            try:
                self._run_build(batch)
            except Cancelled:
                return
            except Exception as exc:  # noqa: BLE001 - a crash in the build must not kill the server
                problem = Problem(f"internal error during rebuild: {type(exc).__name__}: {exc}",
                                  hint="this is a blogkit bug; the last good site is still served")
                self._publish(SiteState(self.state.generation, (problem,)), None, 0.0)

    def _run_build(self, batch: frozenset[Change]) -> None:
        started = time.perf_counter()
        kinds = {c.kind for c in batch}
        if self.config is None or ChangeKind.CONFIG in kinds:
            try:
                config, config_problems = self.make_config()
            except BlogkitError as exc:
                # Keep the previous config (if any) and show the config error like a build error.
                self._publish(SiteState(self.state.generation, (exc.to_problem(),)), None,
                              time.perf_counter() - started)
                return
            errors = [p for p in config_problems if p.is_error]
            if errors:
                self._publish(SiteState(self.state.generation, tuple(errors)), None, time.perf_counter() - started)
                return
            if self.config is not None:
                self.cache = BuildCache()  # a config change can change every output
            self.config = config
        changed = None if ChangeKind.CONFIG in kinds else frozenset(c.path for c in batch)
        css_only = bool(batch) and all(c.kind is ChangeKind.STATIC and c.path.suffix.lower() == ".css"
                                       for c in batch)
        self.gate.acquire_write()
        try:
            report = self.build_fn(self.config, _CancelProgress(self._stop), log=ProblemLog(), cache=self.cache,
                                   changed=changed)
        except BuildFailed as exc:
            errors = tuple(p for p in exc.problems if p.is_error) or tuple(exc.problems)
            new = SiteState(self.state.generation, errors)
            report = None
        except BlogkitError as exc:
            new = SiteState(self.state.generation, (exc.to_problem(),))
            report = None
        else:
            new = SiteState(self.state.generation + 1, (), css_only)
        finally:
            self.gate.release_write()
        self._publish(new, report, time.perf_counter() - started)
        if report is not None:
            deferral = pagefind_run.DEFERRAL
            self._save_final = deferral is None or not deferral.served_stale  # (a fresher index is coming)
            self._save_at = time.monotonic() + self.save_delay

    def _save(self) -> None:
        """Put the last build's manifest (and, unless a fresher search index is coming, its
        "nothing changed" snapshot) on disk, if not done yet."""
        if self._save_at is None or self.config is None:
            return
        self._save_at = None
        try:
            save_state(self.config, self.cache, snapshot=self._save_final)
        except Exception:  # noqa: BLE001 - an unsaved manifest only costs a later build time
            pass

    def _publish(self, state: SiteState, report: BuildReport | None, seconds: float) -> None:
        self.state = state
        self.first_done.set()
        self.on_state(state, report, seconds)
