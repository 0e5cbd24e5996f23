"""The theme's static files (``blogkit/theme/static/**``) copied into the output.

Input: the render context. Output: one copy ``Output`` per theme file when the ``theme_assets``
feature is on. A Jekyll site leaves it off and gets the CSS inlined by ``default.html`` instead,
so its output holds only the files Jekyll itself would write. A file of the same path in the
site's own static/ or content wins, as a site's templates/ override the theme's.
"""
from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from ..site import Output

if TYPE_CHECKING:
    from ..render.site import RenderContext

THEME_STATIC = Path(__file__).resolve().parent.parent / "theme" / "static"


def theme_assets(ctx: "RenderContext") -> list[Output]:
    if not ctx.config.has("theme_assets") or not THEME_STATIC.is_dir():
        return []
    taken = {str(sf.dest) for sf in ctx.model.static_files}
    out = []
    for path in sorted(THEME_STATIC.rglob("*")):
        rel = path.relative_to(THEME_STATIC).as_posix()
        if rel.startswith("assets/search."):
            continue  # the search generator ships these, only when search is on
        if path.is_file() and rel not in taken:
            out.append(Output(PurePosixPath(rel), source=path, origin=f"theme/static/{rel}", kind="static"))
    return out
