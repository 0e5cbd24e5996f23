"""The "nothing changed" check: a fingerprint of every input, and of the destination it left.

A warm build of a big site with nothing changed should cost a directory walk, not a build.
After each successful build the fingerprint of every input (blogkit's code, the config, every
file of the content, templates and static trees with its size, mtime, ctime and inode) is stored with the
list of output files (size and mtime) and the moment a hidden future post becomes due. The next
build returns at once when the inputs fingerprint is the same, no future post has become due,
and every output file is still the one that was written. Anything else — one byte, one mtime,
one missing output — runs the normal (incremental) build.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Iterable, Mapping

from .cache import package_fingerprint
from .config import SiteConfig
from .fswalk import is_dir, scan_tree

# Never part of a site's inputs (and often huge): tools' folders and blogkit's own state.
SKIP_DIRS = {".git", ".svn", ".hg", ".venv", "venv", "node_modules", ".blogkit-cache", ".jekyll-cache",
             "__pycache__", ".pytest_cache", ".sass-cache"}


@dataclass(frozen=True)
class Snapshot:
    inputs: str
    outputs: tuple[tuple[str, int, int], ...]   # (path, size, mtime_ns) of every output file
    due: float | None                            # timestamp when a hidden future post becomes visible


# A file's identity for the checks: size, mtime, ctime (a tool can set an mtime back after a
# change, not a ctime) and inode.
FileStat = tuple[int, int, int, int]


def file_stat(st: os.stat_result) -> FileStat:
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def _walk(root: Path, skip: set[str], h: "hashlib._Hash", stats: dict[str, FileStat] | None) -> None:
    # Strings, not Path objects (fswalk): this runs twice per build over every input file.
    if not root.is_dir():
        return

    def descend(entry: os.DirEntry[str], _: str) -> bool:
        return (is_dir(entry, follow_symlinks=False) and entry.name not in SKIP_DIRS and entry.path not in skip
                and not entry.name.startswith(".blogkit"))

    for _, entry in scan_tree(str(root), descend):
        if is_dir(entry, follow_symlinks=False):
            continue
        try:
            st = entry.stat()
        except OSError:
            continue
        size, mtime, ctime, inode = known = file_stat(st)
        h.update(f"{entry.path}\0{size}\0{mtime}\0{ctime}\0{inode}\n".encode("utf-8", "surrogateescape"))
        if stats is not None:
            stats[entry.path] = known


def inputs_fingerprint(config: SiteConfig, stats: dict[str, FileStat] | None = None) -> str:
    """The fingerprint of every input; ``stats`` (if given) receives each file's ``FileStat`` by
    its path, for the read cache's keys (``site._read_key``: 5,000 stats fewer per build)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(package_fingerprint().encode())
    h.update(json.dumps(config.data, sort_keys=True, default=str).encode("utf-8", "surrogatepass"))
    h.update(repr(sorted(config.features)).encode())
    skip = {str(config.destination), str(config.destination.parent / f".{config.destination.name}.blogkit-staging")}
    for path in config.config_files:
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"missing")
    # A Jekyll site's inputs are its whole source tree (_layouts, _includes, _data included);
    # a blogkit site's are its content, templates and static trees.
    roots = [config.content_dir, *config.templates_dirs] + ([config.static_dir] if config.static_dir else [])
    for root in dict.fromkeys(roots):
        h.update(f"\n[{root}]\n".encode("utf-8", "surrogateescape"))
        _walk(root, skip, h, stats)
    return h.hexdigest()


def output_stats(dest: Path, outputs: Iterable[PurePosixPath | str],
                 known: Mapping[str, tuple[int, int]] | None = None) -> tuple[tuple[str, int, int], ...]:
    """(path, size, mtime_ns) of each of this build's output files. Only these are checked next
    time, so only these are looked at: statting a known list costs a third of walking the tree.
    ``known``: (size, mtime_ns) this build already saw of some (its output records: each file
    stat'ed where it was kept or written; 9,000 stats were 0.03 s of every edit command). A file
    changed since it was seen only makes the next check fail: a real build then."""
    out = []
    base = str(dest)
    seen = known or {}
    for rel in sorted(str(r) for r in outputs):
        stat = seen.get(rel)
        if stat is None:
            try:
                st = os.stat(f"{base}/{rel}")
            except OSError:
                continue  # the next check sees it missing and rebuilds
            stat = (st.st_size, st.st_mtime_ns)
        out.append((rel, *stat))
    return tuple(out)


def still_valid(snapshot: object, config: SiteConfig, inputs: str, now: datetime) -> bool:
    if not isinstance(snapshot, Snapshot) or snapshot.inputs != inputs:
        return False
    if snapshot.due is not None and now.timestamp() >= snapshot.due:
        return False
    for rel, size, mtime in snapshot.outputs:
        try:
            st = os.stat(config.destination / rel)
        except OSError:
            return False
        if st.st_size != size or st.st_mtime_ns != mtime:
            return False
    return True
