"""The ``related_posts`` extra: ``page.related`` on every post view (a view hook).

Input: post views (categories, tags, date, url). Output: each view's ``related`` = up to 5
other posts scored shared tags x1 + shared categories x2, ties by date desc then url.
Posts sharing nothing are not related. Deterministic for a given site.
"""
from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any, Sequence

from .structure_memo import by_structure

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
    info = _info(post_views)
    return {row[0]: [post_views[j] for j in picks] for row, picks in zip(info, _related(info, limit))}


def _info(post_views: Sequence[dict[str, Any]]) -> list[tuple[Any, Any, set[Any], set[Any]]]:
    get = dict.get  # plain dict reads: these are tracked views, and this is not a template
    return [(get(v, "url"), get(v, "date"), set(get(v, "tags") or ()), set(get(v, "categories") or ()))
            for v in post_views]


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
    """Every post view's ``related``. Which posts relate is the site's structure alone (dates,
    tags, categories): planned once per structure (generators/structure_memo.py), as indexes
    into the post views, and given this build's views (0.17 s of a 5,000-post rebuild, then
    0.025 s while the whole input was compared each time)."""
    if not ctx.config.has("related_posts"):
        return
    chosen = by_structure(ctx, "related", lambda: tuple(map(tuple, _related(_info(ctx.post_views), LIMIT))))
    for v, picks in zip(ctx.post_views, chosen):
        dict.__setitem__(v, "related", [ctx.post_views[j] for j in picks])
