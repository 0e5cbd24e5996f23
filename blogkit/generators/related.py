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
    """url -> related views.

    A popular tag (say `AI` on most posts) makes every pair of posts share something, so
    counting scores pair by pair is quadratic. Instead each term is a bitset of posts (a Python
    int; bit r = the post ranked r-th by date desc, then url) and a post's scores are added up
    as bit-sliced counters: a few big-integer operations per term, whatever the number of posts.
    The top posts are then read off from the highest score down, lowest bit (newest) first,
    which is exactly the order "score desc, date desc, url".
    """
    global _LAST  # noqa: PLW0603
    get = dict.get  # plain dict reads: these are tracked views, and this is not a template
    info = [(get(v, "url"), get(v, "date"), set(get(v, "tags") or ()), set(get(v, "categories") or ()))
            for v in post_views]
    if _LAST is None or _LAST[0] != limit or _LAST[1] != info:
        _LAST = (limit, info, _related(info, limit))
    return {url: [post_views[j] for j in chosen] for (url, *_), chosen in zip(info, _LAST[2])}


# The last answer, by its whole input: the preview server rebuilds after every save, and an
# edit seldom changes any post's date, tags or categories (0.17 s of a rebuild at 5,000 posts).
_LAST: tuple[int, list[Any], list[list[int]]] | None = None


def _related(info: list[tuple[Any, Any, set[Any], set[Any]]], limit: int) -> list[list[int]]:
    """Per post (by index), the indexes of its related posts, best first."""
    n = len(info)
    order = sorted(range(n), key=lambda i: (-info[i][1].timestamp() if info[i][1] else 0.0, info[i][0]))
    rank = {i: r for r, i in enumerate(order)}
    by_tag: dict[Any, int] = defaultdict(int)
    by_cat: dict[Any, int] = defaultdict(int)
    for i, (_, _, tags, cats) in enumerate(info):
        for t in tags:
            by_tag[t] |= 1 << rank[i]
        for c in cats:
            by_cat[c] |= 1 << rank[i]
    out: list[list[int]] = []
    for i, (url, _, tags, cats) in enumerate(info):
        slices: list[int] = [0] * 8
        for masks, weight_bit in ((tags and [by_tag[t] for t in tags], 0), (cats and [by_cat[c] for c in cats], 1)):
            for mask in masks or ():
                carry, b = mask, weight_bit          # weight 1 adds at bit 0, weight 2 at bit 1
                while carry:
                    if b == len(slices):
                        slices.append(0)
                    slices[b], carry = slices[b] ^ carry, slices[b] & carry
                    b += 1
        me = ~(1 << rank[i])
        slices = [s & me for s in slices]
        best = len(tags) + 2 * len(cats)
        found: list[int] = []
        for score in range(best, 0, -1):
            eq = (1 << n) - 1
            for b, s in enumerate(slices):
                eq &= s if (score >> b) & 1 else ~s
            while eq and len(found) < limit:
                low = eq & -eq
                found.append(low.bit_length() - 1)
                eq ^= low
            if len(found) >= limit:
                break
        out.append([order[r] for r in found])
    return out


def add_related(ctx: "RenderContext") -> None:
    if not ctx.config.has("related_posts"):
        return
    table = related(ctx.post_views)
    for v in ctx.post_views:
        dict.__setitem__(v, "related", table[dict.get(v, "url")])
