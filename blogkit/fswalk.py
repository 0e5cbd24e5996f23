"""Walking a directory tree fast: scandir entries and strings, in os.walk's order.

Discovery, the "nothing changed" fingerprint and the stale-file check each walk a tree of
thousands of files on every build; Path objects per entry were most of their cost. Each
caller decides what to descend into and what to do with an entry.
"""
from __future__ import annotations

import os
from typing import Callable, Iterator


def scan_tree(root: str, descend: Callable[[os.DirEntry[str], str], bool]) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every entry below ``root`` as (its path relative to ``root``, POSIX, and the entry): top
    down, each directory's entries sorted by name and yielded before any of its
    subdirectories' (os.walk's order with sorted names). A directory is entered when
    ``descend(entry, rel)`` says so; one that cannot be read is skipped."""
    stack = [(root, "")]
    while stack:
        here, rel_dir = stack.pop()
        try:
            with os.scandir(here) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        subdirs = []
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            yield rel, entry
            if descend(entry, rel):
                subdirs.append((entry.path, rel))
        stack.extend(reversed(subdirs))


def is_dir(entry: os.DirEntry[str], follow_symlinks: bool = True) -> bool:
    """``entry.is_dir()``, False when it cannot be told."""
    try:
        return entry.is_dir(follow_symlinks=follow_symlinks)
    except OSError:
        return False
