"""Running Pagefind: ``SearchRecord``s in, the files of the ``/pagefind/`` bundle out (path -> bytes).

Why a scratch directory and ``add_directory`` rather than one ``add_custom_record`` per post:
the Python API's reader takes one reply off the service's pipe per 100 ms, so per-record calls
cost 0.1-0.17 s each (8-14 minutes for 5,000 posts), and ``get_files`` hangs once the bundle
passes its 2 MiB pipe buffer. One ``add_directory`` and one ``write_files`` are two round trips
whatever the site's size, and the Rust side parses the pages on every core. The scratch
directory is private and removed afterwards; the bundle reaches the site only as ``Output``s
through the staged writer, so a failed build never leaves a half-written index.

The last bundle is remembered per process, keyed by a hash of every record's HTML, so the
preview server's rebuilds after an edit that does not touch content (a template, a static file)
reuse it instead of re-indexing.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Coroutine, Sequence, TypeVar

from .records import SearchRecord

T = TypeVar("T")

# The bundle files our own search.js needs; Pagefind's prebuilt UIs (~400 KiB) are left out.
_UI_FILES = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")


class SearchIndexError(Exception):
    """Pagefind is missing or failed; the message says which."""


@dataclass
class _Memo:
    key: str = ""
    files: dict[str, bytes] | None = None


_LAST = _Memo()


def pagefind_version() -> str:
    try:
        from importlib.metadata import version
        return version("pagefind")
    except Exception:  # noqa: BLE001 - not installed: reported when indexing is attempted
        return ""


def bundle_key(records: Sequence[SearchRecord], language: str) -> str:
    digest = hashlib.sha256(f"{pagefind_version()}\0{language}".encode())
    for record in records:
        digest.update(str(record.file_path()).encode("utf-8") + b"\0")
        digest.update(record.to_html(language).encode("utf-8") + b"\0")
    return digest.hexdigest()


def build_bundle(records: Sequence[SearchRecord], language: str, use_memo: bool = True) -> dict[str, bytes]:
    """Index ``records`` and return the bundle as ``{"pagefind.js": b"...", "fragment/...": ...}``."""
    key = bundle_key(records, language)
    if use_memo and _LAST.key == key and _LAST.files is not None:
        return _LAST.files
    with tempfile.TemporaryDirectory(prefix="blogkit-search-") as tmp:
        pages, out = Path(tmp) / "pages", Path(tmp) / "bundle"
        written: set[PurePosixPath] = set()
        for record in records:
            rel = record.file_path()
            if rel in written:
                continue  # two URLs that differ only in escaping: the first one wins
            written.add(rel)
            target = pages.joinpath(*rel.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(record.to_html(language), encoding="utf-8")
        pages.mkdir(exist_ok=True)
        _run(_index(pages, out, language))
        files = {p.relative_to(out).as_posix(): p.read_bytes()
                 for p in sorted(out.rglob("*")) if p.is_file() and not p.name.startswith(_UI_FILES)}
    _LAST.key, _LAST.files = key, files
    return files


async def _index(pages: Path, out: Path, language: str) -> None:
    try:
        from pagefind.index import IndexConfig, PagefindIndex
    except ImportError:
        raise SearchIndexError("Pagefind is not installed") from None
    # force_language: one index for the whole site, whatever a page's own lang says.
    config = IndexConfig(force_language=language, output_path=str(out))
    try:
        async with PagefindIndex(config) as index:
            result = await index.add_directory(str(pages))
            if result.get("page_count", 0) == 0 and any(pages.rglob("*.html")):
                raise SearchIndexError("Pagefind indexed no pages")
    except FileNotFoundError as exc:  # the pagefind_bin_extended wheel is missing
        raise SearchIndexError(f"Pagefind binary not found: {exc}") from None
    except SearchIndexError:
        raise
    except Exception as exc:  # noqa: BLE001 - the service reports its errors as bare Exceptions
        raise SearchIndexError(f"Pagefind failed: {exc}") from None
    if not (out / "pagefind.js").is_file():
        raise SearchIndexError("Pagefind wrote no pagefind.js")


def _run(coro: Coroutine[object, object, T]) -> T:
    """asyncio.run, or in a worker thread when the caller already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
