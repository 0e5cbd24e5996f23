"""Template fragments rendered once per build: ``{{ once(m.post_card, post, site) }}``.

A theme's post card appears on the home page that lists the post, on each archive page of its
tags and categories, in related-post lists: at 5,000 posts the theme renders ~42,000 cards for
5,000 posts on a cold build, and ~11,000 for ~5,000 after a new post shifts every list.

Within a build a macro called with the same arguments gives the same HTML: a post's view is
made once per build, ``site`` is the build's, and the macro's globals (filters, ``t``, the
time zone, the baseurl) are the build's. What the first call read (the post's view, its
summary, ``site.features``…) is recorded, and every output that uses the fragment records those
reads again (``render/tracking.py``), so an incremental build sees the same dependencies as if
the macro had run in each.

An argument is taken by identity (a view, the site) or by value (strings, numbers); the memo
keeps the arguments it was called with, so an identity is never reused while it is remembered.
"""
from __future__ import annotations

from typing import Any, Callable

from .tracking import Recording, replay

_SCALARS = (str, int, float, bool, type(None))


def _key(value: Any) -> Any:
    return (type(value), value) if isinstance(value, _SCALARS) else ("id", id(value))


class Fragments:
    """The ``once`` template global: one per build (``render/env.py``)."""

    def __init__(self, limit: int = 50_000) -> None:
        self._done: dict[tuple[Any, ...], tuple[Any, frozenset[str], tuple[Any, ...]]] = {}
        self._limit = limit

    def __call__(self, macro: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        key = (id(macro), *map(_key, args), *((name, _key(v)) for name, v in sorted(kwargs.items())))
        done = self._done.get(key)
        if done is None:
            with Recording() as reads:
                html = macro(*args, **kwargs)
            if len(self._done) >= self._limit:
                self._done.clear()  # (bounded: a pathological theme cannot grow it without end)
            done = self._done[key] = (html, frozenset(reads), (macro, args, kwargs))
        replay(done[1])
        return done[0]
