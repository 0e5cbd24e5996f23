"""Generated pages: archives, pagination, feeds, sitemap and the theme's extras.

Each generator is a function ``RenderContext -> list[Output]`` that looks at
``ctx.config.features`` to decide whether it runs.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from ..render.site import Generator


def all_generators() -> list["Generator"]:
    from .search import generate_search  # search: the Pagefind index and /search/ (issue 8)
    return [generate_search]
