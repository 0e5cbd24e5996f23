"""Discovery: the source tree in, a list of ``SourceFile`` records out (spec §1.4, §2.1).

The only module that walks the content directory. It applies Jekyll's entry filter
(``.``/``_``/``#``/``~`` prefixes, ``~`` and ``.`` endings, ``exclude``/``include`` globs),
finds ``_posts``/``_drafts`` at any depth, and sorts the rest into pages (a front-matter header)
and static files. Symlinks that point outside the source are skipped: a source tree must
never be a way to read (and publish) files from elsewhere on the machine.
"""
from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Iterable, Literal

from ..fastpaths import absolute
from ..fswalk import is_dir, scan_tree
from .frontmatter import has_front_matter

Kind = Literal["post", "draft", "page", "static"]

POST_NAME_RE = re.compile(r"^(\d{2,4}-\d{1,2}-\d{1,2})-(.*)(\.[^.]+)$", re.S)
DRAFT_NAME_RE = re.compile(r"^(?:(\d{2,4}-\d{1,2}-\d{1,2})-)?(.*)(\.[^.]+)$", re.S)


@dataclass(frozen=True, slots=True)
class SourceFile:
    kind: Kind
    rel_path: str            # POSIX, relative to the content root: "blog/_posts/2024/2024-01-05-x.md"
    path: Path               # absolute path on disk
    dir_categories: tuple[str, ...] = ()   # directories above _posts/_drafts (spec §2.3)
    name_date: str | None = None           # "2024-1-5" from the file name
    name_slug: str = ""                    # raw slug from the file name (case, spaces kept)
    ext: str = ""                          # ".md"


@dataclass(frozen=True)
class EntryFilter:
    exclude: tuple[str, ...]
    include: tuple[str, ...]

    def allowed(self, rel_path: str) -> bool:
        name = rel_path.rsplit("/", 1)[-1]
        if self._include.matches(rel_path) or name in self.include:
            return True
        if name[:1] in (".", "_", "#", "~") or name.endswith("~") or name.endswith("."):
            return False
        return not self._exclude.matches(rel_path)

    @cached_property
    def _include(self) -> "_Patterns":
        return _Patterns.of(self.include)

    @cached_property
    def _exclude(self) -> "_Patterns":
        return _Patterns.of(self.exclude)


@dataclass(frozen=True)
class _Patterns:
    """``exclude``/``include`` globs, compiled once: a path matches a glob (fnmatch, case
    sensitive), is the pattern itself, or lies under it. (Testing each glob with fnmatch for
    each of 5,000 posts was half of discovery.)"""

    glob: re.Pattern[str] | None
    exact: frozenset[str]
    prefixes: tuple[str, ...]

    @staticmethod
    def of(patterns: Iterable[str]) -> "_Patterns":
        bare = [p.strip("/") for p in patterns if p.strip("/")]
        glob = re.compile("|".join(fnmatch.translate(b) for b in bare)) if bare else None
        return _Patterns(glob, frozenset(bare), tuple(b + "/" for b in bare))

    def matches(self, rel_path: str) -> bool:
        return self.glob is not None and (rel_path in self.exact or rel_path.startswith(self.prefixes)
                                          or self.glob.match(rel_path) is not None)


def _inside(path: Path, root: Path) -> bool:
    """Whether ``path``, symlinks followed, lies inside ``root`` (the site source)."""
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except (ValueError, OSError, RuntimeError):
        return False


def _entries(directory: Path, root: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(directory) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return []
    return [e for e in entries if not e.is_symlink() or _inside(Path(e.path), root)]


def discover(content_dir: Path, exclude: Iterable[str], include: Iterable[str],
             skip: Iterable[Path] = (), show_drafts: bool = False,
             collections_dir: str = "") -> list[SourceFile]:
    """Walk ``content_dir``; ``skip`` holds directories never read (the destination)."""
    root = content_dir.resolve()
    flt = EntryFilter(tuple(str(p) for p in exclude), tuple(str(p) for p in include))
    skipped = {Path(os.path.abspath(p)) for p in skip}
    out: list[SourceFile] = []
    posts_root = collections_dir.strip("/")

    def walk(directory: Path, rel: str) -> None:
        if Path(os.path.abspath(directory)) in skipped:
            return
        entries = _entries(directory, root)
        for entry in entries:
            if entry.name in ("_posts", "_drafts") and entry.is_dir():
                in_collection = (rel == posts_root) if posts_root else True
                if in_collection and (entry.name == "_posts" or show_drafts):
                    cats = tuple(p for p in rel.split("/") if p)
                    if posts_root:
                        cats = tuple(cats[len(posts_root.split("/")):])
                    _read_posts(Path(entry.path), f"{rel}/{entry.name}".lstrip("/"),
                                "post" if entry.name == "_posts" else "draft", cats, flt, root, out)
        for entry in entries:
            child = f"{rel}/{entry.name}".lstrip("/")
            if not flt.allowed(child):
                continue
            if entry.is_dir():
                walk(Path(entry.path), child)
            elif entry.is_file():
                out.append(_page_or_static(Path(entry.path), child))

    walk(root, "")
    return out


def _page_or_static(path: Path, rel: str) -> SourceFile:
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        head = b""
    kind: Kind = "page" if has_front_matter(head) else "static"
    return SourceFile(kind, rel, path, ext=os.path.splitext(path.name)[1])


def _read_posts(base: Path, rel_base: str, kind: Kind, cats: tuple[str, ...], flt: EntryFilter,
                root: Path, out: list[SourceFile]) -> None:
    # Strings and scandir entries (their type is known without a stat): the walk over 5,000
    # posts was 0.18 s with a Path built and a symlink tested per file.
    name_re = POST_NAME_RE if kind == "post" else DRAFT_NAME_RE

    def wanted(entry: os.DirEntry[str]) -> bool:
        name = entry.name
        if name[:1] in (".", "_", "#", "~") or name.endswith("~"):
            return False
        return not entry.is_symlink() or _inside(Path(entry.path), root)

    # (as os.walk: a link to a directory is not followed)
    for rel_in, entry in scan_tree(str(base), lambda e, _: is_dir(e) and not e.is_symlink() and wanted(e)):
        if is_dir(entry) or not wanted(entry):
            continue
        if not flt.allowed(f"{rel_base}/{rel_in}") and entry.name not in flt.include:
            continue
        match = name_re.match(entry.name)
        if not match:
            continue  # Jekyll ignores such files silently; `blogkit check` reports them
        date, slug, ext = match.groups()
        out.append(SourceFile(kind, f"{rel_base}/{rel_in}", _path(entry.path), cats, date, slug.rstrip("."), ext))


# A post's Path object, kept for the next walk of the same tree (the preview server walks
# 5,000 posts on every rebuild; making their Paths was half of it). Bounded: a process that
# walks many sites (tests) starts afresh past the limit.
_PATHS: dict[str, Path] = {}


def _path(text: str) -> Path:
    found = _PATHS.get(text)
    if found is None:
        if len(_PATHS) >= 200_000:
            _PATHS.clear()
        found = _PATHS[text] = absolute(text)
    return found


inside = _inside  # for the readers outside discovery (data files, includes, layouts)
