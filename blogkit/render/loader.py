"""Layouts: template files that may start with front matter naming a parent layout.

Jekyll layouts chain through ``layout:`` in their own front matter. Jinja has ``extends`` for
this, and both work: the loader strips a layout's front matter (remembering how many lines it
removed, so errors still point at the file's own line) and remembers it, so the renderer can wrap a layout's
output in its parent's, exactly as Jekyll does.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

import jinja2

from ..content.frontmatter import FRONT_MATTER_RE, load_yaml

THEME_DIR = Path(__file__).resolve().parent.parent / "theme" / "templates"


class LayoutLoader(jinja2.BaseLoader):
    """Search the site's template dirs, then the built-in theme; keep each layout's front matter."""

    def __init__(self, searchpath: list[Path]) -> None:
        self.searchpath = [p for p in searchpath if p.is_dir()]
        self.meta: dict[str, dict[str, Any]] = {}
        self.origin: dict[str, Path] = {}
        self.line_offset: dict[str, int] = {}  # file path -> lines of front matter removed

    def find(self, name: str) -> Path | None:
        parts = [p for p in name.replace("\\", "/").split("/") if p and p != ".."]
        for base in self.searchpath:
            candidate = base.joinpath(*parts)
            if candidate.is_file():
                return candidate
        return None

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str | None, Callable[[], bool] | None]:
        path = self.find(template)
        if path is None:
            raise jinja2.TemplateNotFound(template)
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        meta: dict[str, Any] = {}
        match = FRONT_MATTER_RE.match(text) if text.startswith("---") else None
        if match:
            head = match.group(1)
            meta = load_yaml(head[head.index("\n") + 1:], _shown(path), first_line=2)
            # Jekyll drops the front matter from the output; Jinja's line numbers are shifted back
            # by this offset when an error is reported (render/layouts.py).
            self.line_offset[str(path)] = text.count("\n", 0, match.end())
            text = text[match.end():]
        self.meta[template] = meta
        self.origin[template] = path
        mtime = os.path.getmtime(path)
        return text, str(path), lambda: os.path.exists(path) and os.path.getmtime(path) == mtime

    def list_templates(self) -> list[str]:
        names: set[str] = set()
        for base in self.searchpath:
            for p in base.rglob("*"):
                if p.is_file():
                    names.add(p.relative_to(base).as_posix())
        return sorted(names)


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def layout_template_name(layout: str, loader: LayoutLoader) -> str | None:
    """`layout: post` -> 'post.html' (or the name itself if it has an extension)."""
    for name in (f"{layout}.html", layout, f"_layouts/{layout}.html"):
        if loader.find(name) is not None:
            return name
    return None
