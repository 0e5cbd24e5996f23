"""Generator plans reused while the site's structure stays the same.

Which archives, feeds and sitemap rows a site has, and in which order, is a function of its
*basis* (render/delta.py): blogkit's code, the config, the templates, and every document's
path and shape (front matter, URL, date, tags, categories — not its body), in site.posts order.
The preview server rebuilds after nearly every save with the same basis (a body edit), and
re-planning all of them walked every post several times: ~40 ms of a 5,000-post rebuild. A
value computed here is kept in the process with the basis it was computed on and returned
again while the build's basis is that one; it is also stored in the build cache under that
basis, for the next command (an old basis's plans are pruned with the cache's other unused
entries).

Only for values made of the basis alone: never of a body, a view (views are made anew each
build, and a view shows its body), the clock or a file's mtime. Values must be immutable
(tuples, frozen dataclasses): every later build with that basis gets the same object — or a
cache that only ever holds answers valid for that basis (render/site.py's view links).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, TypeVar

if TYPE_CHECKING:
    from ..render.site import RenderContext

T = TypeVar("T")

# name -> (basis, value): one entry per name, so memory stays one plan per generator.
_KEPT: dict[str, tuple[str, object]] = {}

PLAN_PREFIX = "plan:"


def by_structure(ctx: "RenderContext", name: str, compute: Callable[[], T]) -> T:
    """``compute()``, or the value it gave for ``name`` on a build with this build's basis: kept
    in this process, and in the on-disk cache, so a command's edit build finds it too (related posts alone are 0.17 s to plan at 5,000 posts). Without a basis (no
    incremental state) it is computed every time."""
    basis = _basis(ctx)
    if not basis:
        return compute()
    kept = _KEPT.get(name)
    if kept is not None and kept[0] == basis:
        return kept[1]  # type: ignore[return-value]
    store = getattr(ctx, "store", None)
    key = _store_key(name, basis)
    value = store.get(key) if store is not None else None
    if value is None:
        value = compute()
        if store is not None:
            store.put(key, value)
    _KEPT[name] = (basis, value)
    return value  # type: ignore[no-any-return]


def _basis(ctx: "RenderContext") -> str:
    inc = getattr(ctx, "incremental", None)  # (a test's stand-in context may have none)
    return inc.basis if inc is not None else ""


def _store_key(name: str, basis: str) -> str:
    return f"{PLAN_PREFIX}{name}:{basis}"


# name -> how many answers the on-disk copy holds (``answers``/``store_answers``)
_STORED: dict[str, int] = {}


def answers(ctx: "RenderContext", name: str) -> dict[str, Any]:
    """A dict the build fills with answers that each hold for this build's basis (render/site.py's
    view links), kept like ``by_structure``'s values: the same dict while the basis is the same,
    in this process, or the one ``store_answers`` left in the cache for the next command."""
    basis = _basis(ctx)
    kept = _KEPT.get(name)
    if basis and kept is not None and kept[0] == basis:
        return kept[1]  # type: ignore[return-value]
    store = getattr(ctx, "store", None)
    found = store.get(_store_key(name, basis)) if store is not None and basis else None
    value: dict[str, Any] = found if isinstance(found, dict) else {}
    _STORED[name] = len(value)
    if basis:
        _KEPT[name] = (basis, value)
    return value


def store_answers(ctx: "RenderContext", name: str) -> None:
    """Put ``answers(ctx, name)`` in the cache if the build added to it (the preview server's
    later builds find it in the process)."""
    basis = _basis(ctx)
    kept = _KEPT.get(name)
    store = getattr(ctx, "store", None)
    if not basis or kept is None or kept[0] != basis or store is None:
        return
    value = kept[1]
    if isinstance(value, dict) and len(value) != _STORED.get(name):
        store.put(_store_key(name, basis), value)
        _STORED[name] = len(value)
