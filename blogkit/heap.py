"""The cyclic garbage collector during a build.

A build holds thousands of documents and views for its whole length and allocates them in
bursts. Each full collection walks every live object, so while 5,000 documents are unpickled
or 5,000 views are built, the collector's passes cost more than the work itself (measured:
loading cached documents 0.48-0.58 s with it, 0.32-0.37 s without), and in forked workers
they also write to every inherited page, undoing copy-on-write. Those bursts make no cycles.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


# Between ``keep`` and ``release`` (a build), a burst is kept like everything before it: left
# to the collector, its objects sat in the youngest generation, and the first collection after
# the burst walked all of them (50,000 containers after loading 5,000 cached documents: 0.03 s,
# and again after the views and the records).
_keeping = False


@contextmanager
def no_collection() -> Iterator[None]:
    """No cyclic collection inside the block (a burst of allocations that makes no cycles);
    during a build (``keep``) what it made is kept out of collection until ``release``."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _keeping:
            gc.freeze()
        if collecting:
            gc.enable()


def keep() -> None:
    """Exempt everything alive now from collection until ``release`` (what a build keeps to
    its end: documents, views, the render context), and every ``no_collection`` burst after it."""
    global _keeping
    gc.freeze()
    _keeping = True


def release() -> None:
    """Give it back (the preview server runs many builds: old views must become collectable)."""
    global _keeping
    _keeping = False
    gc.unfreeze()
