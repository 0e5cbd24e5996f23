"""Writing the site: output files in, a destination that matches them out.

Nothing touches the destination until the whole build has succeeded: files that differ are
first written to a staging directory beside it, then moved into place, and only then are outputs
that no longer correspond to a source removed. Files whose bytes did not change are never
rewritten (their mtimes stay, so rsync and browsers caches see no change). Every path is checked
to stay inside the destination.
"""
from __future__ import annotations

import filecmp
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .errors import BlogkitError, Location


@dataclass
class WriteStats:
    written: int = 0
    unchanged: int = 0
    removed: int = 0


def _under(root: Path, rel: PurePosixPath) -> Path:
    parts = rel.parts
    if not parts or rel.is_absolute() or any(p in ("", ".", "..") or "\x00" in p or "\\" in p for p in parts):
        raise BlogkitError(f"refusing to write {str(rel)!r} outside the destination", code="unsafe-path")
    return root.joinpath(*parts)


@dataclass
class Stager:
    """Writes files into the staging directory. Holds nothing but paths and a memo of the
    directories it made, so forked render workers can stage their own outputs (creating files
    is mostly kernel time, and a cold build creates thousands) while the writer keeps the books
    (``OutputWriter.adopt``)."""

    dest: Path
    staging: Path
    # Staging directories already made: mkdir(parents=True) per file was a large share of a
    # cold build's time.
    _made: set[Path] = field(default_factory=set)

    def already_there(self, rel: PurePosixPath, data: bytes) -> bool:
        """Does the destination already hold exactly these bytes?"""
        current = _under(self.dest, rel)
        try:
            return current.stat().st_size == len(data) and current.read_bytes() == data
        except OSError:
            return False

    def path(self, rel: PurePosixPath, make_parent: bool = False) -> Path:
        target = _under(self.staging, rel)
        if make_parent and target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)
        return target

    def stage(self, rel: PurePosixPath, data: bytes) -> bool:
        """Stage ``data`` for ``rel`` unless the destination already holds it; True if staged."""
        if self.already_there(rel, data):
            return False
        self.path(rel, make_parent=True).write_bytes(data)
        return True


@dataclass
class OutputWriter:
    dest: Path
    keep_files: tuple[str, ...] = (".git", ".svn")
    staging: Path = field(init=False)
    stager: Stager = field(init=False)
    _staged: dict[PurePosixPath, Path] = field(default_factory=dict, init=False)
    _outputs: set[PurePosixPath] = field(default_factory=set, init=False)
    stats: WriteStats = field(default_factory=WriteStats, init=False)

    def __post_init__(self) -> None:
        self.staging = self.dest.parent / f".{self.dest.name}.blogkit-staging"
        if self.staging.exists():
            shutil.rmtree(self.staging, ignore_errors=True)  # left by a build that was killed
        self.stager = Stager(self.dest, self.staging)

    def _stage_path(self, rel: PurePosixPath) -> Path:
        target = self.stager.path(rel, make_parent=True)
        self._staged[rel] = target
        return target

    def _unstage(self, rel: PurePosixPath) -> None:
        stale = self._staged.pop(rel, None)
        if stale is not None:
            stale.unlink(missing_ok=True)

    def write(self, rel: PurePosixPath, data: bytes) -> bool:
        """Stage ``data`` for ``rel`` unless the destination already holds these bytes."""
        self._outputs.add(rel)
        if self.stager.already_there(rel, data):
            self._unstage(rel)
            return False
        self._stage_path(rel).write_bytes(data)
        return True

    def adopt(self, rel: PurePosixPath, staged: bool) -> None:
        """Book an output a worker handled with ``Stager.stage`` (``staged``: what it returned)."""
        self._outputs.add(rel)
        if staged:
            self._staged[rel] = self.stager.path(rel)
        else:
            self._unstage(rel)

    def keep(self, rel: PurePosixPath) -> None:
        """The destination already holds the right file (an incremental build checked it)."""
        self._outputs.add(rel)
        self._unstage(rel)

    def copy(self, rel: PurePosixPath, source: Path) -> bool:
        self._outputs.add(rel)
        current = _under(self.dest, rel)
        try:
            if current.is_file() and filecmp.cmp(source, current, shallow=False):
                self._staged.pop(rel, None)
                return False
        except OSError:
            pass
        shutil.copy2(source, self._stage_path(rel))
        return True

    @property
    def outputs(self) -> frozenset[PurePosixPath]:
        return frozenset(self._outputs)

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def commit(self) -> WriteStats:
        """Move staged files into place, then remove stale outputs."""
        if not os.path.lexists(self.dest) and self._staged and self.staging.is_dir():
            # A first build: every output is staged, nothing is kept, so the staging tree *is*
            # the site — one rename instead of a mkdir, checks and a rename per file.
            os.replace(self.staging, self.dest)
            self.stats.written = len(self._staged)
            self.stats.unchanged = len(self._outputs) - self.stats.written
            self.stats.removed = self._prune()  # (empty directories a replaced file left)
            return self.stats
        self.dest.mkdir(parents=True, exist_ok=True)
        for rel, staged in sorted(self._staged.items()):
            target = _under(self.dest, rel)
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)  # a file now lives where a directory used to
            parent = target.parent
            for ancestor in reversed([parent, *parent.parents]):
                if ancestor == self.dest or self.dest not in ancestor.parents:
                    continue
                if ancestor.exists() and not ancestor.is_dir():
                    ancestor.unlink()  # a directory now lives where a file used to
            parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
            self.stats.written += 1
        self.stats.unchanged = len(self._outputs) - self.stats.written
        self.stats.removed = self._prune()
        shutil.rmtree(self.staging, ignore_errors=True)
        return self.stats

    def _kept(self, rel: str) -> bool:
        return any(rel == k.strip("/") or rel.startswith(k.strip("/") + "/") for k in self.keep_files)

    def _prune(self) -> int:
        keep = {str(p) for p in self._outputs}
        removed = 0
        for dirpath, dirnames, filenames in os.walk(self.dest, topdown=False):
            here = Path(dirpath)
            rel_dir = here.relative_to(self.dest).as_posix()
            for name in filenames:
                rel = name if rel_dir == "." else f"{rel_dir}/{name}"
                if rel not in keep and not self._kept(rel):
                    (here / name).unlink()
                    removed += 1
            if here != self.dest and not self._kept(rel_dir):
                try:
                    here.rmdir()  # only succeeds when empty
                except OSError:
                    pass
        return removed


def check_destination(source: Path, content_dir: Path, dest: Path) -> None:
    """Jekyll refuses a destination that is the source or contains it; so do we."""
    dest = dest.resolve()
    for root in {source.resolve(), content_dir.resolve()}:
        if dest == root or dest in root.parents:
            raise BlogkitError(f"destination {dest} is or contains the source {root}",
                               Location(str(dest)), "choose another directory with -d/--destination",
                               code="bad-destination")
