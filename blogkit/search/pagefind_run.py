"""Running Pagefind: ``SearchRecord``s in, the files of the ``/pagefind/`` bundle out (path -> bytes).

Each record is written as a small HTML file into a private scratch directory and Pagefind's own
command-line indexer is run once over it (the Rust side parses the pages on every core). Why
the command line and not the Python API's service mode:

- the service acknowledges ``write_files`` before its writes reach the disk and the API kills it
  on close, so under load files come out truncated at a 4 KiB boundary or empty (seen in our CI:
  a zero-byte ``pagefind.js``, "pf.options is not a function" in the browser; Pagefind's fix,
  "flush output files before they drop", #1272, is not in a release yet). The command-line
  process returns only after its runtime has finished every write;
- per-record calls cost 0.1-0.17 s each (the reader takes one reply per 100 ms) and
  ``get_files`` hangs once the bundle passes the 2 MiB pipe buffer;
- the command runs in the scratch directory with ``PAGEFIND_*`` variables removed, so a
  ``pagefind.yml`` in the user's working directory cannot change blogkit's index.

The bundle is then checked whole (every compressed file decompresses to its end, the entry file
parses) before it reaches the site, and only as ``Output``s through the staged writer, so a
failed or damaged index fails the build and never replaces the last good site.

The last bundle is remembered per process, keyed by a hash of every record's HTML, so the
preview server's rebuilds after an edit that does not touch content (a template, a static file)
reuse it instead of re-indexing.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Mapping, Sequence

from .records import SearchRecord

# The bundle files our own search.js needs; Pagefind's prebuilt UIs (~400 KiB) are left out.
_UI_FILES = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")
# Every file Pagefind gzips: the index, fragment, filter and meta chunks and the WebAssembly.
_GZIPPED = (".pf_fragment", ".pf_index", ".pf_filter", ".pf_meta", ".pagefind")
_TIMEOUT_S = 600  # a hung indexer must not hang the build (5,000 posts index in about 10 s)


class SearchIndexError(Exception):
    """Pagefind is missing or failed, or its bundle is damaged; the message says which."""


@dataclass(frozen=True)
class _Memo:
    key: str = ""
    language: str = ""
    files: dict[str, bytes] | None = None


# Replaced whole, never mutated: the preview server's background indexer swaps it while a build
# may be reading it.
_LAST = _Memo()


@dataclass
class Deferral:
    """Set by the preview server (``DEFERRAL``): after an edit, a build takes the last bundle as
    it is and the site is re-indexed on a thread, which calls ``on_ready`` (the server then
    rebuilds, and that build finds the fresh bundle remembered). Pagefind has no incremental
    index: re-indexing inside the build made every save wait ~10 s at 1,000 posts. The first
    build, a language change and ``blogkit build`` index synchronously; a failed background run
    makes the next build index synchronously, which reports the error like any build error."""

    on_ready: Callable[[], None]
    failed: bool = False
    # The last build published the previous bundle: the server must not record that site as up
    # to date (its "nothing changed" snapshot), or the rebuild that brings the index would stop.
    served_stale: bool = False
    _wanted: tuple[str, list[tuple[PurePosixPath, str]], str] | None = None
    _running: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def request(self, key: str, pages: list[tuple[PurePosixPath, str]], language: str) -> None:
        with self._lock:
            self._wanted = (key, pages, language)  # the newest request wins
            if self._running:
                return
            self._running = True
        threading.Thread(target=self._work, name="blogkit-search-index", daemon=True).start()

    def _work(self) -> None:
        global _LAST  # noqa: PLW0603 - the module's one remembered bundle
        while True:
            with self._lock:
                job, self._wanted = self._wanted, None
                if job is None:
                    self._running = False
                    return
            key, pages, language = job
            try:
                _LAST = _Memo(key, language, _index_pages(pages, language))
            except Exception:  # noqa: BLE001 - the next (synchronous) build reports it
                self.failed = True
            self.on_ready()


DEFERRAL: Deferral | None = None


def pagefind_version() -> str:
    try:
        from importlib.metadata import version
        return version("pagefind")
    except Exception:  # noqa: BLE001 - not installed: reported when indexing is attempted
        return ""


def bundle_key(pages: Sequence[tuple[PurePosixPath, str]], language: str) -> str:
    digest = hashlib.sha256(f"{pagefind_version()}\0{language}".encode())
    for rel, html in pages:
        digest.update(str(rel).encode("utf-8") + b"\0")
        digest.update(html.encode("utf-8") + b"\0")
    return digest.hexdigest()


def build_bundle(records: Sequence[SearchRecord], language: str, use_memo: bool = True) -> dict[str, bytes]:
    """Index ``records`` and return the bundle as ``{"pagefind.js": b"...", "fragment/...": ...}``."""
    global _LAST  # noqa: PLW0603 - the module's one remembered bundle
    pages = _pages_of(records, language)
    key = bundle_key(pages, language)
    last, deferral = _LAST, DEFERRAL
    if use_memo and last.key == key and last.files is not None:
        if deferral is not None:
            deferral.served_stale = False
        return last.files
    if use_memo and deferral is not None and not deferral.failed and last.files is not None \
            and last.language == language:
        deferral.request(key, pages, language)
        deferral.served_stale = True
        return last.files  # until the thread has the new one (the server rebuilds then)
    files = _index_pages(pages, language)
    _LAST = _Memo(key, language, files)
    if deferral is not None:
        deferral.failed = deferral.served_stale = False
    return files


def _pages_of(records: Sequence[SearchRecord], language: str) -> list[tuple[PurePosixPath, str]]:
    """Each record's file in the scratch site and its HTML; two URLs that differ only in
    escaping share a file: the first one wins."""
    pages: dict[PurePosixPath, str] = {}
    for record in records:
        pages.setdefault(record.file_path(), record.to_html(language))
    return list(pages.items())


def _index_pages(pages: list[tuple[PurePosixPath, str]], language: str) -> dict[str, bytes]:
    with tempfile.TemporaryDirectory(prefix="blogkit-search-") as tmp:
        root, out = Path(tmp) / "pages", Path(tmp) / "bundle"
        root.mkdir()
        for rel, html in pages:
            target = root.joinpath(*rel.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
        _index(root, out, language)
        files = {p.relative_to(out).as_posix(): p.read_bytes()
                 for p in sorted(out.rglob("*")) if p.is_file() and not p.name.startswith(_UI_FILES)}
    check_bundle(files, expect_pages=len(pages))
    return files


def _executable() -> Path:
    try:
        from pagefind.service import get_executable  # prefers the extended build (Japanese)
    except ImportError:
        raise SearchIndexError("Pagefind is not installed") from None
    exe = get_executable()
    if exe is None:
        raise SearchIndexError("Pagefind's binary (pagefind_bin_extended) is not installed")
    return exe


# Pagefind processes running now: the preview server stops them when it stops (a background
# re-index would otherwise run on, with its scratch directory, after the server is gone).
_RUNNING: set[subprocess.Popen[bytes]] = set()
_RUNNING_LOCK = threading.Lock()


def stop_indexing() -> None:
    """Terminate every Pagefind process of this process (the server calls this when it stops)."""
    with _RUNNING_LOCK:
        running = list(_RUNNING)
    for proc in running:
        proc.terminate()


def _index(pages: Path, out: Path, language: str) -> None:
    """Run Pagefind's indexer over ``pages``, writing the bundle to ``out``."""
    # force_language: one index for the whole site, whatever a page's own lang says.
    command = [str(_executable()), "--site", str(pages), "--output-path", str(out),
               "--force-language", language, "--quiet"]
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("PAGEFIND_")}
    try:
        proc = subprocess.Popen(command, cwd=pages.parent, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
    except OSError as exc:
        raise SearchIndexError(f"Pagefind could not be started: {exc}") from None
    with _RUNNING_LOCK:
        _RUNNING.add(proc)
    try:
        stdout, stderr = proc.communicate(timeout=_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise SearchIndexError(f"Pagefind did not finish in {_TIMEOUT_S} s") from None
    finally:
        with _RUNNING_LOCK:
            _RUNNING.discard(proc)
    if proc.returncode != 0:
        said = (stderr or stdout).decode("utf-8", "replace").strip().splitlines()[-3:]
        raise SearchIndexError(f"Pagefind failed (exit {proc.returncode}): {' / '.join(said) or 'no output'}")
    if not (out / "pagefind.js").is_file():
        raise SearchIndexError("Pagefind wrote no pagefind.js")


def check_bundle(files: Mapping[str, bytes], expect_pages: int) -> None:
    """Raise SearchIndexError unless the bundle is whole: a truncated file would ship a search
    page that cannot search, which a build must never do quietly."""
    for name in ("pagefind.js", "pagefind-entry.json"):
        if not files.get(name):
            raise SearchIndexError(f"Pagefind's {name} is missing or empty")
    for name, data in files.items():
        if name.endswith(".js") and not data:  # pagefind-worker.js (Pagefind 1.5+) and the like
            raise SearchIndexError(f"Pagefind's {name} is empty")
    try:
        entry = json.loads(files["pagefind-entry.json"])
        indexed = sum(int(lang["page_count"]) for lang in entry["languages"].values())
    except (ValueError, KeyError, TypeError, AttributeError):
        raise SearchIndexError("Pagefind's pagefind-entry.json is unreadable") from None
    if expect_pages and indexed == 0:
        raise SearchIndexError("Pagefind indexed no pages")
    for name, data in files.items():
        if name.endswith(_GZIPPED) and not _whole_gzip(data):
            raise SearchIndexError(f"Pagefind's {name} is truncated ({len(data)} bytes)")


def _whole_gzip(data: bytes) -> bool:
    stream = zlib.decompressobj(wbits=31)
    try:
        stream.decompress(data)  # chunks are small (Pagefind splits its index), so all at once
    except zlib.error:
        return False
    return stream.eof
