"""The ``tag_cloud`` extra: ``site.tag_cloud`` for every template and a ``/tags/`` page.

Input: the ``RenderContext`` (site.categories/tags, archive URLs). Output: the ``tags``-layout
page at ``/tags/index.html``; ``add_to_site`` (a view hook) sets ``site.tag_cloud`` =
``{"categories": [{name, count, url}], "tags": [...]}``, count desc then name.
"""
from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from ..render.i18n import ui_text
from ..render.tracking import TrackedBranch
from ..site import Output
from ..slugify import slugify
from . import archives
from .common import occupied_urls

if TYPE_CHECKING:
    from ..render.site import RenderContext


def cloud(terms: Mapping[str, Sequence[str]], url_of: Any) -> list[dict[str, Any]]:
    items = [{"name": k, "count": len(v), "url": url_of(k)} for k, v in terms.items()]
    return sorted(items, key=lambda d: (-d["count"], d["name"]))


def add_to_site(ctx: "RenderContext") -> None:
    if not ctx.config.has("tag_cloud"):
        return
    cfg = archives.archive_config(ctx.config)

    def url_for(kind: str) -> Any:
        if not (ctx.config.has("archives") and archives.is_enabled(cfg, kind)):
            return lambda key: None   # no archive page to link to
        template = cfg["permalinks"][kind]
        return lambda key: archives.archive_url(template, {"name": slugify(key, "default")})

    # (tracked part by part: every page's layout tests it, only the tags page lists it)
    ctx.site["tag_cloud"] = TrackedBranch({"categories": cloud(ctx.model.categories, url_for("category")),
                                           "tags": cloud(ctx.model.tags, url_for("tag"))}, "site.tag_cloud")


def generate(ctx: "RenderContext") -> list[Output]:
    if not ctx.config.has("tag_cloud") or "/tags/" in occupied_urls(ctx):
        return []
    # titled in the site's language (カテゴリーとタグ for ja) unless the site names it
    title = ctx.site.get("tag_page_title") or ui_text(str(ctx.site.get("lang") or "en"), "all_tags")
    page = {"url": "/tags/", "title": title, "layout": "tags", "type": "tags",
            "tag_cloud": ctx.site.get("tag_cloud")}
    html = ctx.render("tags", page, "", "(tag cloud /tags/)")
    if html is None:
        return []
    return [Output(PurePosixPath("tags/index.html"), html.encode("utf-8"), origin="(tag cloud /tags/)", kind="page")]
