"""Sass/SCSS pages → CSS, as jekyll-sass-converter 2.2 (sassc, i.e. libsass) writes them.

Input: pages whose file ends in ``.scss``/``.sass`` and has front matter (their Liquid already
rendered, for a Jekyll site), the ``sass:`` config (``style``, default ``compact`` as the sassc
converter; ``sass_dir``, default ``_sass``; ``load_paths``; ``sourcemap``: always / development /
never; ``line_comments``). Output: ``name.css`` and, unless source maps are off, ``name.css.map``
with its ``sourceMappingURL`` comment — the CSS byte for byte what Jekyll writes (libsass is
the engine on both sides; tests/test_jekyll_sass_compat.py compares them).

libsass comes with the optional extra ``blogkit[sass]``; without it such a page is reported as
a warning naming the file and how to install it, and the rest of the site builds.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Mapping

from ..content.discover import inside
from ..content.model import Document
from ..errors import BlogkitError, Location, Severity
from ..site import Output
from ..render.tracking import files_digest

if TYPE_CHECKING:
    from ..render.site import RenderContext

SASS_EXTS = (".scss", ".sass")
STYLES = ("nested", "expanded", "compact", "compressed")


def is_sass(doc: Document) -> bool:
    return doc.kind == "page" and os.path.splitext(doc.rel_path)[1].lower() in SASS_EXTS


def options(config: Mapping[str, Any]) -> dict[str, Any]:
    raw = config.get("sass") if isinstance(config.get("sass"), Mapping) else {}
    style = str(raw.get("style") or "compact").lstrip(":")
    sourcemap = str(raw.get("sourcemap") or "always").lstrip(":")
    production = os.environ.get("JEKYLL_ENV", "development") != "development"
    return {"style": style if style in STYLES else "compact",
            "sass_dir": str(raw.get("sass_dir") or "_sass"),
            "load_paths": [str(p) for p in (raw.get("load_paths") or []) if isinstance(p, (str, int))],
            "maps": sourcemap == "always" or (sourcemap == "development" and not production),
            "line_comments": bool(raw.get("line_comments", False))}


def load_paths(source: Path, opts: Mapping[str, Any]) -> list[Path]:
    """The converter's load paths: ``load_paths`` then ``sass_dir``, existing folders inside the site."""
    out: list[Path] = []
    for entry in [*opts["load_paths"], opts["sass_dir"]]:
        for found in sorted(source.glob(entry)) if any(c in entry for c in "*?[") else [source / entry]:
            path = found.resolve()
            if path.is_dir() and inside(path, source) and path not in out:
                out.append(path)
    return out


def generate(ctx: "RenderContext") -> list[Output]:
    sheets = [doc for doc in ctx.model.pages if is_sass(doc)]
    if not sheets:
        return []
    try:
        import sass  # libsass: the optional extra blogkit[sass]
    except ImportError:
        for doc in sheets:
            ctx.log.add(BlogkitError(
                "this Sass/SCSS page needs libsass to become CSS; it was not written",
                Location(doc.rel_path, 1), "pip install 'blogkit[sass]' (or remove its front matter to "
                "copy it as it is)", code="sass-missing").to_problem(Severity.WARNING))
        return []
    opts = options(ctx.config.data)
    paths = load_paths(ctx.config.source, opts)
    tree = files_digest(paths)  # every partial an import could reach
    out: list[Output] = []
    for doc in sheets:
        css_dest = doc.dest
        map_dest = PurePosixPath(str(css_dest) + ".map")
        compiled: dict[str, tuple[str, str]] = {}

        def compile_once(doc: Document = doc) -> tuple[str, str]:
            if "result" not in compiled:
                compiled["result"] = _compile(sass, doc, ctx.config.source, paths, opts)
            return compiled["result"]

        inputs = [doc.body, json.dumps(opts, sort_keys=True), tree, str(css_dest)]
        try:
            out.append(ctx.output_unless_unchanged(css_dest, doc.rel_path, "page", inputs,
                                                   lambda: compile_once()[0]))
            if opts["maps"]:
                out.append(ctx.output_unless_unchanged(map_dest, doc.rel_path, "page", inputs,
                                                       lambda: compile_once()[1]))
        except BlogkitError as exc:
            ctx.log.add(exc.to_problem())
    return out


def _compile(sass: Any, doc: Document, source: Path, paths: list[Path],
             opts: Mapping[str, Any]) -> tuple[str, str]:
    """(css, map) for one sheet. libsass makes a source map only for a file, so the sheet's
    text (after Liquid) is compiled from a scratch copy at the same relative place; the map's
    sources are then written relative to the site, as Jekyll run from the site folder has them."""
    rel = PurePosixPath(doc.rel_path)
    css_name = rel.with_suffix(".css").name
    with tempfile.TemporaryDirectory(prefix="blogkit-sass-") as tmp:
        scratch = Path(tmp) / rel
        scratch.parent.mkdir(parents=True, exist_ok=True)
        scratch.write_text(doc.body, encoding="utf-8")
        try:
            css, smap = sass.compile(
                filename=str(scratch), output_style=opts["style"],
                include_paths=[str(p) for p in paths] + [str((source / rel).parent)],
                source_comments=opts["line_comments"],
                source_map_filename=str(scratch.with_name(css_name + ".map")),
                output_filename_hint=str(scratch.with_name(css_name)),
                source_map_contents=True, omit_source_map_url=not opts["maps"])
        except sass.CompileError as exc:
            raise _located(str(exc), doc, scratch, source) from None
        smap = _relative_sources(smap, scratch.parent, Path(tmp), source)
    return css, smap


_WHERE = re.compile(r"on line (\d+)(?::\d+)? of (\S+)")


def _located(message: str, doc: Document, scratch: Path, source: Path) -> BlogkitError:
    """libsass's "Error: …\n on line 2:12 of <path>" as blogkit's ``file:line: message``: the
    sheet's own line (counted from its front matter) or the partial's."""
    first = message.strip().splitlines()[0] if message.strip() else "Sass error"
    first = first.removeprefix("Error: ")[:300]
    where = Location(doc.rel_path, doc.body_line)
    found = _WHERE.search(message)
    if found:
        line, path = int(found.group(1)), Path(os.path.normpath(Path.cwd() / found.group(2)))
        if path == scratch:
            where = Location(doc.rel_path, doc.body_line + line - 1)
        elif path.is_relative_to(source):
            where = Location(path.relative_to(source).as_posix(), line)
    return BlogkitError(f"Sass: {first}", where, "fix the stylesheet there", code="sass")


def _relative_sources(smap: str, map_dir: Path, tmp: Path, source: Path) -> str:
    """Rewrite each ``sources`` entry (relative to the scratch map) as a site-relative path."""
    data = json.loads(smap)
    fixed = []
    for entry in data.get("sources", []):
        absolute = Path(os.path.normpath(map_dir / entry))
        if absolute.is_relative_to(tmp):
            fixed.append(absolute.relative_to(tmp).name if absolute.parent == map_dir
                         else absolute.relative_to(tmp).as_posix())
        elif absolute.is_relative_to(source):
            fixed.append(absolute.relative_to(source).as_posix())
        else:
            fixed.append(entry)
    for old, new in zip(data.get("sources", []), fixed):
        smap = smap.replace(json.dumps(old), json.dumps(new), 1)
    return smap
