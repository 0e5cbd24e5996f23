"""The ``related_posts`` extra: ``page.related`` on every post view (a view hook).

Input: post views (categories, tags, date, url). Output: each view's ``related`` = up to 5
other posts scored shared tags x1 + shared categories x2, ties by date desc then url.
Posts sharing nothing are not related. Deterministic for a given site.
"""
from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:
    from ..render.site import RenderContext

LIMIT = 5


def related(post_views: Sequence[dict[str, Any]], limit: int = LIMIT) -> dict[str, list[dict[str, Any]]]:
    """url -> related views. Indexes by term so 1,000s of posts are not compared pairwise."""
    by_tag: dict[str, list[int]] = defaultdict(list)
    by_cat: dict[str, list[int]] = defaultdict(list)
    for i, v in enumerate(post_views):
        for t in set(v.get("tags") or ()):
            by_tag[t].append(i)
        for c in set(v.get("categories") or ()):
            by_cat[c].append(i)
    # Tie-break keys computed once per post, not once per comparison (a TrackedView read records
    # a dependency each time; sorting every post's candidates made this quadratic in reads).
    order = [(-dict.__getitem__(v, "date").timestamp(), dict.__getitem__(v, "url")) for v in post_views]
    out = {}
    for i, v in enumerate(post_views):
        score: dict[int, int] = defaultdict(int)
        for t in set(v.get("tags") or ()):
            for j in by_tag[t]:
                score[j] += 1
        for c in set(v.get("categories") or ()):
            for j in by_cat[c]:
                score[j] += 2
        score.pop(i, None)
        ranked = sorted(score, key=lambda j: (-score[j], *order[j]))
        out[v["url"]] = [post_views[j] for j in ranked[:limit]]
    return out


def add_related(ctx: "RenderContext") -> None:
    if not ctx.config.has("related_posts"):
        return
    table = related(ctx.post_views)
    for v in ctx.post_views:
        v["related"] = table[v["url"]]
