"""Generated pages: archives, pagination, feeds, sitemap and the theme's extras.

Each generator is a function ``RenderContext -> list[Output]`` that looks at
``ctx.config.features`` to decide whether it runs. View hooks (``RenderContext -> None``)
run before any document is rendered and add to the shared views (``site.tag_cloud``,
``page.related``), so every template can use what they add.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from ..render.site import Generator, RenderContext


def all_generators() -> list["Generator"]:
    from . import archives, feed, paginate, sass, sitemap, tagcloud
    from .search import generate_search  # search: the Pagefind index and /search/ (issue 8)
    from .theme_assets import theme_assets
    # sitemap last: it lists the pages the others generate (it plans them again, cheaply)
    return [paginate.generate, archives.generate, tagcloud.generate, feed.generate, generate_search,
            theme_assets, sass.generate, sitemap.generate]


def all_view_hooks() -> list[Callable[["RenderContext"], Any]]:
    from . import related, tagcloud
    return [tagcloud.add_to_site, related.add_related]
