"""Writing the site: output files in, a destination that matches them out.

Nothing touches the destination until the whole build has succeeded: files that differ are
first written to a staging directory beside it (``.<dest>.blogkit-staging/files/``). Files whose
bytes did not change are never rewritten (their mtimes stay, so rsync and browser caches see no
change). Every path is checked to stay inside the destination.

The commit is atomic as a whole, not per file, through a journal: the complete list of moves
and deletions is written to ``.<dest>.blogkit-staging/journal.json`` (written to a temporary
name, fsynced, then renamed, so it exists either whole or not at all) before the destination is
touched. Applying the journal is idempotent (a move whose staged file is gone already happened;
deleting a missing file is a no-op), so a build killed at any moment is finished by the next
one: ``recover(dest)`` rolls a found journal forward before anything reads the destination, and
a staging directory without a journal (killed while staging) is simply thrown away. Either way
the destination ends up exactly as the last completed build left it or exactly as the killed
build would have made it. (This protects against the process dying, SIGKILL included; staged
files are not fsynced one by one, so a power cut during a commit is not covered.)
"""
from __future__ import annotations

import filecmp
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .errors import BlogkitError, Location
from .fswalk import is_dir, scan_tree

JOURNAL = "journal.json"
FILES = "files"


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


def staging_dir(dest: Path) -> Path:
    return dest.parent / f".{dest.name}.blogkit-staging"


def recover(dest: Path) -> bool:
    """Finish or discard what a killed build left beside ``dest``; True if a commit was rolled forward."""
    staging = staging_dir(dest)
    journal = staging / JOURNAL
    rolled = False
    if journal.is_file():
        try:
            plan = json.loads(journal.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            plan = None  # cannot happen through os.replace; if it does, the moves never started
        if isinstance(plan, dict):
            _apply(dest, staging / FILES, plan)
            rolled = True
        journal.unlink(missing_ok=True)
    if staging.exists():
        shutil.rmtree(staging, ignore_errors=True)
    return rolled


def _apply(dest: Path, files: Path, plan: dict) -> int:
    """Apply a commit plan; safe to run again after being interrupted anywhere."""
    dest.mkdir(parents=True, exist_ok=True)
    removed = 0
    for rel in plan.get("delete", []):
        path = _under(dest, PurePosixPath(rel))
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:
            pass
        except (IsADirectoryError, NotADirectoryError, PermissionError):
            # a directory where a stale file was, or an ancestor became a file: the moves below
            # decide what lives there
            pass
    for rel in plan.get("move", []):
        staged = _under(files, PurePosixPath(rel))
        if not staged.exists():
            continue  # moved before the interruption
        target = _under(dest, PurePosixPath(rel))
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)  # a file now lives where a directory used to
        parent = target.parent
        for ancestor in reversed([parent, *parent.parents]):
            if ancestor == dest or dest not in ancestor.parents:
                continue
            if ancestor.is_symlink() or (ancestor.exists() and not ancestor.is_dir()):
                ancestor.unlink()  # a directory now lives where a file used to
        parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, target)
    _remove_empty_parents(dest, plan.get("delete", []), tuple(plan.get("keep_dirs", [])))
    return removed


def _remove_empty_parents(dest: Path, removed: list[str] | set[str], keep: tuple[str, ...]) -> None:
    """Directories can only have become empty above a file that went away: try those, upwards
    (walking the whole destination for them cost more than a one-post build's rendering)."""
    for rel in sorted(removed, key=lambda r: -r.count("/")):
        parts = rel.split("/")[:-1]
        while parts:
            rel_dir = "/".join(parts)
            if _kept(rel_dir, keep):
                break
            try:
                (dest.joinpath(*parts)).rmdir()  # only succeeds when empty
            except OSError:
                break
            parts.pop()


def _kept(rel: str, keep_files: tuple[str, ...]) -> bool:
    return any(rel == k.strip("/") or rel.startswith(k.strip("/") + "/") for k in keep_files)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _make_parent(target: Path, rel: PurePosixPath) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        # another output is a file where this one needs a directory ('a' and 'a/index.html')
        raise BlogkitError(f"{rel} cannot be written: a parent of it is also an output file",
                           Location(str(rel)), "give one of the two outputs another permalink",
                           code="conflict") from None
    if target.is_dir():
        raise BlogkitError(f"{rel} cannot be written: other outputs live in a directory of that name",
                           Location(str(rel)), "give one of the two outputs another permalink",
                           code="conflict")


@dataclass
class Stager:
    """Writes files into the staging directory. Holds nothing but paths and a memo of the
    directories it made, so forked render workers can stage their own outputs (creating files
    is mostly kernel time, and a cold build creates thousands) while the writer keeps the books
    (``OutputWriter.adopt``)."""

    dest: Path
    files: Path   # the staging tree: staging_dir(dest) / FILES
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
        target = _under(self.files, rel)
        if make_parent and target.parent not in self._made:
            _make_parent(target, rel)
            self._made.add(target.parent)
        elif make_parent and target.is_dir():
            _make_parent(target, rel)  # raises: a directory of outputs has this name
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
    _unstaged: set[PurePosixPath] = field(default_factory=set, init=False)
    stats: WriteStats = field(default_factory=WriteStats, init=False)
    _digest: tuple[int, str] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.staging = staging_dir(self.dest)
        recover(self.dest)  # a killed build's commit is finished before anything else happens
        self.stager = Stager(self.dest, self.staging / FILES)

    def _stage_path(self, rel: PurePosixPath) -> Path:
        target = self.stager.path(rel, make_parent=True)
        if rel not in self._staged and target.exists():
            # two different names reached one file: the file system folds case or normalization
            # (macOS, Windows); writing would silently replace the other output
            raise BlogkitError(f"{rel} is the same file as another output on this file system "
                               "(names differing only in case or Unicode normalization)",
                               Location(str(rel)), "rename one of them", code="conflict")
        self._staged[rel] = target
        return target

    def _unstage(self, rel: PurePosixPath) -> None:
        """Drop what an earlier output of this build staged for ``rel`` (a later one replaces it)."""
        stale = self._staged.pop(rel, None)
        if stale is not None:
            stale.unlink(missing_ok=True)
            self._unstaged.add(rel)

    def write(self, rel: PurePosixPath, data: bytes) -> bool:
        """Stage ``data`` for ``rel`` unless the destination already holds these bytes."""
        self._outputs.add(rel)
        current = _under(self.dest, rel)
        try:
            if current.stat().st_size == len(data) and current.read_bytes() == data:
                self._unstage(rel)
                return False
        except OSError:
            pass
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
                self._unstage(rel)
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

    def outputs_digest(self) -> str:
        # (asked up to three times per build, after staging; 9,000 names sorted and hashed each
        # time. The set only grows, so its size tells whether the last answer still holds.)
        if self._digest is not None and self._digest[0] == len(self._outputs):
            return self._digest[1]
        h = hashlib.blake2b(digest_size=16)
        for rel in sorted(str(p) for p in self._outputs):
            h.update(rel.encode("utf-8", "surrogatepass") + b"\0")
        self._digest = (len(self._outputs), h.hexdigest())
        return self._digest[1]

    def commit(self, unchanged_since: str | None = None) -> WriteStats:
        """Journal every move and deletion, then apply them (see the module docstring).

        ``unchanged_since``: the outputs digest of the last build that left this destination.
        When it matches and nothing was staged, the destination already is this build's site and
        is not even scanned for stale files (a warm build of a big site would spend most of its
        time walking it); a file someone put there by hand is then removed by the next build
        whose outputs differ."""
        if unchanged_since is not None and not self._staged and unchanged_since == self.outputs_digest() \
                and self.dest.is_dir():
            self.stats.unchanged = len(self._outputs)
            shutil.rmtree(self.staging, ignore_errors=True)
            return self.stats
        files = self.staging / FILES
        if not os.path.lexists(self.dest) and self._staged and files.is_dir():
            # A first build: nothing is kept, so the staging tree *is* the site — one atomic
            # rename (the destination either does not exist or is complete) instead of a
            # journal and a move per file.
            os.replace(files, self.dest)
            # (an output replaced while staging may have left its directory empty)
            _remove_empty_parents(self.dest, {str(r) for r in self._unstaged}, self.keep_files)
            self.stats.written = len(self._staged)
            self.stats.unchanged = len(self._outputs) - self.stats.written
            shutil.rmtree(self.staging, ignore_errors=True)
            return self.stats
        moves = sorted(str(rel) for rel in self._staged)
        # The same set of outputs as the last build: nothing can be stale but files put there by
        # hand, which the next build whose outputs differ removes (see above).
        same_outputs = unchanged_since is not None and unchanged_since == self.outputs_digest()
        plan = {"move": moves, "delete": [] if same_outputs else self._stale(), "keep_dirs": list(self.keep_files)}
        self.staging.mkdir(parents=True, exist_ok=True)
        tmp = self.staging / (JOURNAL + ".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(plan, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.staging / JOURNAL)  # from here on, the commit will happen
        _fsync_dir(self.staging)
        self.stats.removed = _apply(self.dest, self.staging / FILES, plan)
        self.stats.written = len(moves)
        self.stats.unchanged = len(self._outputs) - self.stats.written
        (self.staging / JOURNAL).unlink()
        shutil.rmtree(self.staging, ignore_errors=True)
        return self.stats

    def _stale(self) -> list[str]:
        """Files in the destination that no output of this build writes (kept files aside), in
        os.walk's order (top down, names sorted; a link to a directory is not followed). (With
        os.walk and a Path per directory, this walk of a 5,000-post site's 7,000 directories
        was a sixth of an edit build that adds a post or a tag.)"""
        keep = {str(p) for p in self._outputs}
        return [rel for rel, entry in scan_tree(str(self.dest), lambda e, _: is_dir(e) and not e.is_symlink())
                if not is_dir(entry) and rel not in keep and not _kept(rel, self.keep_files)]


def check_destination(source: Path, content_dir: Path, dest: Path) -> None:
    """Jekyll refuses a destination that is the source or contains it; so do we."""
    dest = dest.resolve()
    for root in {source.resolve(), content_dir.resolve()}:
        if dest == root or dest in root.parents:
            raise BlogkitError(f"destination {dest} is or contains the source {root}",
                               Location(str(dest)), "choose another directory with -d/--destination",
                               code="bad-destination")
