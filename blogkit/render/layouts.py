"""Rendering content through its layout chain; template errors become located BlogkitErrors."""
from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any, Mapping

import jinja2
from markupsafe import Markup

from ..errors import BlogkitError, Location
from .env import Renderer
from .loader import layout_template_name

MAX_DEPTH = 20


class MissingLayout(BlogkitError):
    pass


def render_layouts(r: Renderer, layout: str | None, content: str, context: Mapping[str, Any],
                   where: Location, shown_root: Path) -> str:
    """Wrap ``content`` in ``layout`` and each parent it names (Jekyll's layout chain)."""
    seen: list[str] = []
    while layout:
        name = layout_template_name(layout, r.loader)
        if name is None:
            raise MissingLayout(f"layout '{layout}' does not exist", where,
                                f"create templates/{layout}.html or change 'layout:'", code="missing-layout")
        if name in seen or len(seen) >= MAX_DEPTH:
            raise BlogkitError(f"layout loop: {' -> '.join(seen + [name])}", where,
                               "remove the 'layout:' that points back", code="layout-loop")
        seen.append(name)
        template = get_template(r, name, shown_root)
        meta = r.loader.meta.get(name, {})
        # `content` is finished HTML (the converted body, then each inner layout's output):
        # Markup keeps autoescaping from escaping it a second time.
        try:
            content = render_template(template, {**context, "content": Markup(content), "layout": meta}, shown_root, r)
        except BlogkitError as exc:
            if exc.where is None or not Path(exc.where.path).is_absolute():
                raise
            # The built-in theme failed on a value of this page ('last_modified_at: true' given to
            # a date filter): the user can only fix the page, so name the page, and the theme line.
            raise BlogkitError(f"{exc.message} (the theme's {Path(exc.where.path).name}, line {exc.where.line}, "
                               "on a value from this file)", where,
                               "check the types of this file's front matter values", code=exc.code) from None
        parent = meta.get("layout")
        layout = None if parent in (None, "none", "null", False) else str(parent)
    return content


def get_template(r: Renderer, name: str, shown_root: Path) -> jinja2.Template:
    try:
        return r.env.get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        raise BlogkitError(f"template syntax error: {exc.message}",
                           Location(_shown(exc.filename or name, shown_root), _line(r, exc.filename, exc.lineno)),
                           "fix the template tag on that line", code="template") from None
    except BlogkitError:
        raise
    except jinja2.TemplateNotFound as exc:
        raise BlogkitError(f"template '{exc.name}' not found", Location(name), code="template") from None


def _line(r: Renderer | None, filename: str | None, line: int | None) -> int | None:
    if r is None or line is None or not filename:
        return line
    return line + r.loader.line_offset.get(filename, 0)


def render_template(template: jinja2.Template, context: Mapping[str, Any], shown_root: Path,
                    r: Renderer | None = None) -> str:
    try:
        return template.render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise BlogkitError(f"template syntax error: {exc.message}",
                           Location(_shown(exc.filename or str(template.name), shown_root),
                                    _line(r, exc.filename, exc.lineno)),
                           "fix the template tag on that line", code="template") from None
    except BlogkitError:
        raise
    except Exception as exc:  # noqa: BLE001 - any template runtime error is reported with its line
        filename, line = _template_frame(exc, template)
        raise BlogkitError(f"template error: {type(exc).__name__}: {exc}",
                           Location(_shown(filename, shown_root), _line(r, filename, line)),
                           "check the variables and filters used on that line", code="template") from None


def _template_frame(exc: BaseException, template: jinja2.Template) -> tuple[str, int | None]:
    """Jinja rewrites tracebacks so template frames carry the template file and line."""
    found: tuple[str, int | None] = (str(template.filename or template.name), None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename and not frame.filename.endswith(".py"):
            found = (frame.filename, frame.lineno)
    return found


def _shown(filename: str, root: Path) -> str:
    try:
        return Path(filename).resolve().relative_to(root).as_posix()
    except (ValueError, OSError):
        return filename
