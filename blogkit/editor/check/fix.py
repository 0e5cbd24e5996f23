"""``check --fix``: a source file in, a repaired text (or None) and a unified diff out.

Only what is safe is repaired: stray marker lines and *exact* repeated sections (the same
heading and the same text as an earlier section of the post). Front matter is never touched;
every other line is kept byte for byte. ``apply_fix`` first writes the backup ``.<file>.bak``
beside the file: hidden, because a visible ``2025-01-01-x.md.bak`` in ``_posts`` would itself be
read (and published) as a post by Jekyll and by blogkit.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from ...content.frontmatter import parse_front_matter
from .artifacts import analyze


@dataclass(frozen=True)
class Fix:
    path: Path
    old: str
    new: str
    removed: int            # number of lines removed

    def diff(self, shown: str) -> str:
        return "".join(difflib.unified_diff(self.old.splitlines(keepends=True), self.new.splitlines(keepends=True),
                                            f"a/{shown}", f"b/{shown}"))


def plan_fix(path: Path, shown: str) -> Fix | None:
    try:
        old = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None  # `check` reports unreadable files; nothing safe to do here
    text = old.lstrip("\ufeff").replace("\r\n", "\n")
    try:
        parsed = parse_front_matter(text, shown)
    except Exception:  # noqa: BLE001 - bad front matter is reported by check, not fixed
        return None
    found = analyze(parsed.body, parsed.body_line)
    drop: set[int] = set(found.markers)
    for rep in found.sections:
        drop.update(range(rep.line, rep.end))
    if not drop:
        return None
    lines = old.splitlines(keepends=True)
    kept: list[str] = []
    after_cut = False
    for number, line in enumerate(lines, 1):
        if number in drop:
            after_cut = True
            continue
        blank = not line.strip()
        # at a seam, do not leave two blank lines where the removed block had separated them
        if after_cut and blank and kept and not kept[-1].strip():
            continue
        after_cut = after_cut and blank
        kept.append(line)
    new = "".join(kept)
    return Fix(path, old, new, len(lines) - len(kept)) if new != old else None


def backup_path(path: Path) -> Path:
    candidate = path.with_name(f".{path.name}.bak")
    n = 1
    while candidate.exists():
        candidate = path.with_name(f".{path.name}.bak{n}")
        n += 1
    return candidate


def apply_fix(fix: Fix) -> Path:
    """Write the backup, then the repaired file. Returns the backup's path."""
    backup = backup_path(fix.path)
    backup.write_bytes(fix.old.encode("utf-8"))
    fix.path.write_bytes(fix.new.encode("utf-8"))
    return backup
