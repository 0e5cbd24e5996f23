"""The on-disk build cache: rendered Markdown and the last build's fingerprint.

One SQLite file (``.blogkit-cache/cache.sqlite`` in the site directory; stdlib, crash-safe by
its journal). Every key includes blogkit's version and a hash of the Markdown package's own
source, so upgrading blogkit or editing the renderer never serves stale HTML. A value that
fails to unpickle, or a database that fails its integrity check, is dropped and rebuilt —
never trusted.
"""
from __future__ import annotations

import hashlib
import pickle
import sqlite3
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

from . import __version__

# Connections inherited through fork: never used nor closed in the child (SQLite forbids using
# a connection across fork, and finalising it could disturb the parent's locks and journal).
_INHERITED: list[sqlite3.Connection] = []

SCHEMA = "CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value BLOB NOT NULL)"
# Takes effect on a new file only (before its first table): lets ``prune`` give pages back.
AUTO_VACUUM = "PRAGMA auto_vacuum = INCREMENTAL"
# No fsync per transaction: this file is a cache. A power cut can at worst damage it, and damage
# is a miss (checksummed values; a malformed page drops the file, see _broken), while the
# fsyncs were half the time of storing a cold build's documents and Markdown (sqlite3 A/B:
# 40 transactions of 256 x 17 KB, 0.36 -> 0.17 s).
NO_SYNC = "PRAGMA synchronous = OFF"


@lru_cache(maxsize=1)
def code_version() -> str:
    """blogkit's version plus a hash of the Markdown stage's source files."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted((Path(__file__).parent / "markdown").glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """A hash of every file of the installed blogkit package (code and theme): a rendered page
    depends on all of it, so a changed blogkit re-renders everything."""
    root = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


MARKDOWN_PREFIX = "md:"
DOC_PREFIX = "doc:"


def markdown_key(options_fingerprint: str, text_digest: str) -> str:
    """The key of a Markdown text's HTML: the code, the options and the text (by its digest,
    ``content.model.text_digest``, which documents carry from where they were read)."""
    return MARKDOWN_PREFIX + hashlib.sha256(f"{code_version()}\0{options_fingerprint}\0{text_digest}".encode()).hexdigest()


FORMAT = 2  # PRAGMA user_version: how values are sealed (2: CRC-32); another is dropped on open
_MISS = object()
_SUM = 4  # bytes of CRC-32 in front of every stored value


def seal(value: Any) -> bytes:
    """A value as it is stored (``Cache.put_sealed``): made where the value is, so a worker
    process can hand over stored bytes instead of an object to unpickle and pickle again."""
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return zlib.crc32(data).to_bytes(_SUM, "big") + data


def _unseal(blob: bytes) -> Any:
    """The value, or _MISS when the stored bytes are damaged (checksum) or do not unpickle.

    CRC-32 catches the damage a cache file meets (torn writes, flipped bits, truncation) and
    runs at memory speed; a cryptographic hash bought nothing more (whoever can write this file
    can write a pickle) and was a tenth of a second per edit build on 5,000 posts."""
    if not isinstance(blob, (bytes, bytearray)) or len(blob) <= _SUM:
        return _MISS
    data = memoryview(blob)[_SUM:]
    if zlib.crc32(data) != int.from_bytes(blob[:_SUM], "big"):
        return _MISS
    try:
        return pickle.loads(data)  # noqa: S301 - our own cache file, checksummed
    except Exception:  # noqa: BLE001 - a damaged entry is a miss
        return _MISS


def unseal(blob: bytes) -> Any:
    """The value ``seal`` made, or None when the bytes are damaged."""
    value = _unseal(blob)
    return None if value is _MISS else value


class Cache:
    """A tiny key -> pickled value store. ``Cache(None)`` is a no-op cache (tests, read-only sites)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.db: sqlite3.Connection | None = None
        self.touched: set[str] = set()  # keys read or written through this Cache (see prune)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = self._open(path)
        except (OSError, sqlite3.Error):
            self.db = None  # an unusable cache only costs speed

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        # A cheap check of the header and schema only: `PRAGMA quick_check` reads the whole file
        # (1.7 s for a 5,000-post site, more than the rest of a warm build). Damage elsewhere is
        # caught where it is read: SQLite raises on a malformed page, and every value carries a
        # checksum (`seal`), so a damaged value is a miss, never trusted.
        try:
            db = sqlite3.connect(path, timeout=5)
            db.execute("PRAGMA schema_version").fetchone()
            db.execute(NO_SYNC)
            db.execute(AUTO_VACUUM)  # (first: a new file's first write fixes its vacuum mode)
            if db.execute("PRAGMA user_version").fetchone()[0] != FORMAT:
                # values sealed another way: unreadable, yet `keys_present` would count them
                with db:
                    db.execute("DROP TABLE IF EXISTS kv")
                    db.execute(f"PRAGMA user_version = {FORMAT}")
            db.execute(SCHEMA)
        except sqlite3.DatabaseError:
            path.unlink(missing_ok=True)  # not a database, or truncated: start again
            db = sqlite3.connect(path, timeout=5)
            db.execute(NO_SYNC)
            db.execute(AUTO_VACUUM)
            db.execute(f"PRAGMA user_version = {FORMAT}")
            db.execute(SCHEMA)
        return db

    def _broken(self) -> None:
        """A read hit a malformed page: stop using the file and start a fresh one next build."""
        if self.db is not None:
            try:
                self.db.close()
            except sqlite3.Error:
                pass
            self.db = None
        if self.path is not None:
            self.path.unlink(missing_ok=True)

    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        if self.db is None:
            return {}
        wanted = list(dict.fromkeys(keys))
        out: dict[str, Any] = {}
        try:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                rows = self.db.execute(f"SELECT key, value FROM kv WHERE key IN ({','.join('?' * len(chunk))})", chunk)
                for key, blob in rows:
                    value = _unseal(blob)
                    if value is not _MISS:
                        out[key] = value
                        self.touched.add(key)
        except sqlite3.DatabaseError:
            self._broken()
            return {}
        except sqlite3.Error:
            return {}
        return out

    def keys_present(self, keys: Iterable[str]) -> set[str]:
        if self.db is None:
            return set()
        wanted = list(dict.fromkeys(keys))
        found: set[str] = set()
        try:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                rows = self.db.execute(f"SELECT key FROM kv WHERE key IN ({','.join('?' * len(chunk))})", chunk)
                found.update(row[0] for row in rows)
        except sqlite3.DatabaseError:
            self._broken()
            return set()
        except sqlite3.Error:
            return set()
        self.touched |= found
        return found

    def get(self, key: str) -> Any:
        return self.get_many([key]).get(key)

    def put_many(self, items: dict[str, Any]) -> None:
        # values pickled as they are inserted, never all at once
        self._insert(items, ((k, seal(v)) for k, v in items.items()))

    def put_sealed(self, items: dict[str, bytes]) -> None:
        """Store values already sealed with ``seal``."""
        self._insert(items, items.items())

    def _insert(self, keys: Mapping[str, Any], rows: Iterable[tuple[str, bytes]]) -> None:
        if self.db is None or not keys:
            return
        self.touched.update(keys)
        try:
            with self.db:  # one transaction
                self.db.executemany("INSERT OR REPLACE INTO kv VALUES (?, ?)", rows)
        except sqlite3.OperationalError:
            pass  # busy or locked (another build writing): not damage, keep the file
        except sqlite3.DatabaseError:
            self._broken()
        except sqlite3.Error:
            pass

    def put(self, key: str, value: Any) -> None:
        self.put_many({key: value})

    def prune(self, keep: Iterable[str], slack: int = 1000) -> int:
        """Delete the entries this Cache never read nor wrote — except those with a key starting
        with one of ``keep`` — once they outnumber the touched ones (plus ``slack``); returns
        how many went.

        Every edited post leaves its old parsed document and rendered Markdown behind, and every
        blogkit upgrade leaves all of them: without this the file only grows (360 MB after a day
        of benchmarking a 5,000-post site). Called after a successful build, whose reads and
        writes are exactly what the next build can use; ``keep`` spares other destinations'
        records. The threshold keeps the DELETE rare.
        """
        if self.db is None:
            return 0
        prefixes = tuple(keep)
        spared = " OR ".join("substr(key, 1, ?) = ?" for _ in prefixes) or "0"
        args = [x for p in prefixes for x in (len(p), p)]
        try:
            total = self.db.execute(f"SELECT count(*) FROM kv WHERE NOT ({spared})", args).fetchone()[0]
            live = sum(1 for k in self.touched if not k.startswith(prefixes))
            if total - live <= live + slack:
                return 0
            with self.db:
                self.db.execute("CREATE TEMP TABLE IF NOT EXISTS live (key TEXT PRIMARY KEY)")
                self.db.execute("DELETE FROM live")
                self.db.executemany("INSERT OR IGNORE INTO live VALUES (?)", ((k,) for k in self.touched))
                gone = self.db.execute(f"DELETE FROM kv WHERE NOT ({spared}) AND key NOT IN (SELECT key FROM live)",
                                       args).rowcount
                self.db.execute("DELETE FROM live")
            # (executescript: the pragma frees one page per step, and execute() steps once)
            self.db.executescript("PRAGMA incremental_vacuum;")  # the file shrinks; a no-op on old files
            return gone
        except sqlite3.DatabaseError:
            self._broken()
        except sqlite3.Error:
            pass
        return 0

    def after_fork(self) -> None:
        """In a forked worker: set the inherited connection aside and open one of its own."""
        if self.db is None or self.path is None:
            return
        _INHERITED.append(self.db)
        try:
            self.db = sqlite3.connect(self.path, timeout=5)
        except sqlite3.Error:
            self.db = None  # lookups then render on demand: slower, same result

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None
