"""Reading a site for ``check``: a ``SiteConfig`` in, a ``CheckedSite`` (every document) out.

Unlike ``site.read_site`` this keeps drafts, future and unpublished posts: a checker must look
at what *will* be published too. Per-file read errors (bad YAML, bad dates, bad permalinks)
are the core's own ``BlogkitError`` problems, with their lines.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path, PurePosixPath

from ...config import SiteConfig
from ...content.discover import POST_NAME_RE
from ...content.model import Document, StaticFile
from ...content.read import read_document
from ...errors import BlogkitError, Location, Problem, Severity
from ...site import _static_dir_files, discover_sources, read_context, site_time, zone_of
from ...urls import escape_path



@dataclass(frozen=True)
class CheckedSite:
    config: SiteConfig
    docs: tuple[Document, ...]          # posts, drafts and pages that could be read
    statics: tuple[StaticFile, ...]
    now: datetime

    @property
    def posts(self) -> tuple[Document, ...]:
        return tuple(d for d in self.docs if d.kind == "post")


def load_for_check(config: SiteConfig) -> tuple[CheckedSite, list[Problem]]:
    zone = zone_of(config)
    now = site_time(config, zone)
    ctx = read_context(config, zone)
    with_drafts = replace(config, data={**config.data, "show_drafts": True})
    problems: list[Problem] = []
    docs: list[Document] = []
    statics: list[StaticFile] = []
    for src in discover_sources(with_drafts):
        if src.kind == "static":
            statics.append(StaticFile(src.rel_path, src.path, PurePosixPath(src.rel_path),
                                      "/" + escape_path(src.rel_path)))
            continue
        try:
            docs.append(read_document(src, ctx))
        except BlogkitError as exc:
            problems.append(exc.to_problem())
    statics.extend(_static_dir_files(config))
    problems.extend(_misnamed_posts(config.content_dir))
    return CheckedSite(config, tuple(docs), tuple(statics), now), problems


def _misnamed_posts(content_dir: Path) -> list[Problem]:
    """Jekyll silently skips files in _posts without a YYYY-MM-DD- prefix; say so."""
    out: list[Problem] = []
    posts = content_dir / "_posts"
    if not posts.is_dir():
        return out
    for dirpath, dirnames, filenames in os.walk(posts):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        for name in sorted(filenames):
            if name.startswith((".", "_", "#", "~")) or name.endswith("~") or POST_NAME_RE.match(name):
                continue
            rel = (Path(dirpath) / name).relative_to(content_dir).as_posix()
            out.append(Problem("file in _posts is ignored: its name does not start with a date",
                               Location(rel), "rename it YYYY-MM-DD-slug.md (or run `blogkit import` on it)",
                               Severity.WARNING, "post-name"))
    return out
