"""The fingerprint function every stage shares: a short hash of a sequence of values.

Used for incremental builds (render/tracking.py, render/delta.py) and for the fingerprints a
document carries (content/model.py). Each part is hashed as its ``str`` followed by a NUL, so
("ab", "c") and ("a", "bc") differ.
"""
from __future__ import annotations

import hashlib


def digest(*parts: object) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(str(part).encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()
