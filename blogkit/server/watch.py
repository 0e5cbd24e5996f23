"""Watching the site's sources: watchdog events in, debounced batches of ``Change`` out.

Each changed path is sorted by what it is to the site (config, template, static, content), as
Zola's ``fs_utils::ChangeKind`` does, so the rebuild loop can decide how much to redo and whether
a browser needs a full reload or just fresh stylesheets. Editors save in bursts (a temp file, a
rename, a chmod); the ``Debouncer`` waits for a short quiet spell and hands over one batch.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Callable, Iterable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from ..config import SiteConfig


class ChangeKind(str, Enum):
    CONFIG = "config"      # site.yml / _config.yml / --config files: rebuild everything
    TEMPLATE = "template"  # layouts, includes, Jinja templates: every page may change
    STATIC = "static"      # copied as is; CSS alone can be swapped without a reload
    CONTENT = "content"    # posts, pages, data


@dataclass(frozen=True, slots=True)
class Change:
    path: Path
    kind: ChangeKind


# Editor droppings and VCS internals never affect the site.
_IGNORED_NAMES = {"4913", ".DS_Store"}
_IGNORED_SUFFIXES = (".swp", ".swx", ".swo", "~", ".tmp", ".part")
_IGNORED_DIRS = {".git", ".hg", ".svn", ".jekyll-cache", ".sass-cache", "node_modules", "__pycache__",
                 ".blogkit-cache"}
_TEMPLATE_DIRS = {"_layouts", "_includes"}


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def classify(path: Path, config: SiteConfig) -> ChangeKind | None:
    """What a change to ``path`` (absolute) means for the site; None if it does not matter."""
    name = path.name
    if name in _IGNORED_NAMES or name.endswith(_IGNORED_SUFFIXES) or name.startswith(".#"):
        return None
    dest = config.destination
    # The build's own output and staging area live inside a Jekyll site's source: never a trigger.
    if _inside(path, dest) or name == f".{dest.name}.blogkit-staging" or \
            _inside(path, dest.parent / f".{dest.name}.blogkit-staging"):
        return None
    try:
        rel_parts = path.relative_to(config.source).parts
    except ValueError:
        rel_parts = ()
    if any(part in _IGNORED_DIRS for part in rel_parts):
        return None
    if path in {f.resolve() for f in config.config_files} or \
            (not config.config_files and name in ("site.yml", "_config.yml", "_config.yaml")
             and path.parent == config.source):
        return ChangeKind.CONFIG
    if any(_inside(path, t) for t in config.templates_dirs):
        return ChangeKind.TEMPLATE
    if config.static_dir is not None and _inside(path, config.static_dir):
        return ChangeKind.STATIC
    if _inside(path, config.content_dir):
        try:
            first = path.relative_to(config.content_dir).parts[0]
        except (ValueError, IndexError):
            first = ""
        if first in _TEMPLATE_DIRS:
            return ChangeKind.TEMPLATE
        if first.startswith("_") or path.suffix.lower() in config.markdown_exts | {".html", ".htm"}:
            return ChangeKind.CONTENT
        # Anything else in a Jekyll tree (css, images) is a static file; Jekyll reads front
        # matter from it only when it has some, so CONTENT is the safe choice for non-CSS files.
        return ChangeKind.STATIC if path.suffix.lower() == ".css" else ChangeKind.CONTENT
    return None


def watched_roots(config: SiteConfig) -> list[Path]:
    """Directories to watch: the source (covers config files), plus any dirs outside it."""
    roots = [config.source]
    extra = [config.content_dir, *config.templates_dirs, *([config.static_dir] if config.static_dir else []),
             *(f.parent for f in config.config_files)]
    for path in extra:
        path = path.resolve()
        if path.is_dir() and not any(_inside(path, r) for r in roots):
            roots.append(path)
    return roots


class Debouncer:
    """Collects changes and calls ``flush(batch)`` once no change arrived for ``quiet`` seconds.

    ``max_wait`` bounds the delay when changes keep coming (a long-running `git checkout`).
    """

    def __init__(self, flush: Callable[[frozenset[Change]], None], quiet: float = 0.08,
                 max_wait: float = 1.0) -> None:
        self.flush, self.quiet, self.max_wait = flush, quiet, max_wait
        self._pending: dict[Path, Change] = {}
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._first = 0.0
        self._last = 0.0
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="blogkit-debounce", daemon=True)
        self._thread.start()

    def add(self, changes: Iterable[Change]) -> None:
        import time

        with self._wake:
            now = time.monotonic()
            for change in changes:
                if not self._pending:
                    self._first = now
                # A path seen twice keeps the stronger kind (config beats everything).
                old = self._pending.get(change.path)
                if old is None or _RANK[change.kind] > _RANK[old.kind]:
                    self._pending[change.path] = change
                self._last = now
            self._wake.notify()

    def _run(self) -> None:
        import time

        while True:
            with self._wake:
                while not self._pending and not self._stopped:
                    self._wake.wait()
                if self._stopped:
                    return
                now = time.monotonic()
                due = min(self._last + self.quiet, self._first + self.max_wait)
                if now < due:
                    self._wake.wait(due - now)
                    continue
                batch = frozenset(self._pending.values())
                self._pending.clear()
            self.flush(batch)

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify()
        self._thread.join(timeout=2)


_RANK = {ChangeKind.STATIC: 0, ChangeKind.CONTENT: 1, ChangeKind.TEMPLATE: 2, ChangeKind.CONFIG: 3}


class _Handler(FileSystemEventHandler):
    def __init__(self, config_ref: Callable[[], SiteConfig], sink: Debouncer,
                 on_dir_created: Callable[[Path], None]) -> None:
        self.config_ref, self.sink, self.on_dir_created = config_ref, sink, on_dir_created

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return  # reads (our own build reading sources) are not changes
        if event.event_type == "closed" or (event.is_directory and event.event_type == "modified"):
            return  # a close after write duplicates "modified"; a dir mtime bump says nothing new
        if event.is_directory and event.event_type in ("created", "moved"):
            raw_dir = event.dest_path if event.event_type == "moved" else event.src_path
            self.on_dir_created(Path(raw_dir if isinstance(raw_dir, str) else raw_dir.decode()))
        config = self.config_ref()
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        changes = []
        for raw in paths:
            if not raw:
                continue
            path = Path(raw if isinstance(raw, str) else raw.decode())
            kind = classify(path, config)
            if kind is not None:
                changes.append(Change(path, kind))
        if changes:
            self.sink.add(changes)


class Watcher:
    """A watchdog observer over the site's roots feeding a Debouncer.

    A Jekyll site's output lives inside its source. Watching the source recursively would put an
    inotify watch on every output directory (thousands, plus the staging dir on every build), so
    such a root is watched flat and each of its other subdirectories recursively; a directory
    created there later gets its own watch when its creation is seen.
    """

    def __init__(self, config_ref: Callable[[], SiteConfig], on_batch: Callable[[frozenset[Change]], None],
                 quiet: float = 0.08) -> None:
        self.config_ref = config_ref
        self.debouncer = Debouncer(on_batch, quiet)
        self.observer = Observer()
        self._handler = _Handler(config_ref, self.debouncer, self._dir_created)
        self._flat_roots: set[Path] = set()
        config = config_ref()
        for root in watched_roots(config):
            if _inside(config.destination, root) and config.destination != root:
                self._flat_roots.add(root)
                self.observer.schedule(self._handler, str(root), recursive=False)
                for child in sorted(root.iterdir()):
                    self._dir_created(child)
            else:
                self.observer.schedule(self._handler, str(root), recursive=True)

    def _dir_created(self, path: Path) -> None:
        if path.parent not in self._flat_roots or not path.is_dir() or path.is_symlink():
            return
        config = self.config_ref()
        if path.name in _IGNORED_DIRS or _inside(path, config.destination) or path.name.endswith("blogkit-staging"):
            return
        self.observer.schedule(self._handler, str(path), recursive=True)

    def start(self) -> None:
        self.observer.start()

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join(timeout=5)
        self.debouncer.stop()
