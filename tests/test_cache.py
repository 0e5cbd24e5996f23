"""The on-disk cache: values come back as stored, damage is a miss (never trusted), and a file
that is not a database is replaced."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from blogkit.cache import Cache


def test_round_trip_and_damaged_values_are_misses(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    cache = Cache(path)
    cache.put_many({"a": {"x": [1, 2]}, "b": "日本語"})
    assert cache.get_many(["a", "b", "z"]) == {"a": {"x": [1, 2]}, "b": "日本語"}
    cache.close()
    db = sqlite3.connect(path)
    blob = bytearray(db.execute("SELECT value FROM kv WHERE key='a'").fetchone()[0])
    blob[-3] ^= 0xFF   # flip a byte inside the pickled value: it may still unpickle, to something else
    db.execute("UPDATE kv SET value=? WHERE key='a'", (bytes(blob),))
    db.commit()
    db.close()
    again = Cache(path)
    assert again.get_many(["a", "b"]) == {"b": "日本語"}   # the damaged value is a miss
    assert again.keys_present(["a", "b"]) == {"a", "b"}


def test_garbage_file_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    cache = Cache(path)
    assert cache.get("a") is None
    cache.put("a", 1)
    assert cache.get("a") == 1
