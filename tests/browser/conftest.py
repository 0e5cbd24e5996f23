"""Build the example site and a 1,000-post corpus once, serve each over HTTP, share one Chromium."""
from __future__ import annotations

import struct
import subprocess
import sys
import threading
import zlib
from pathlib import Path
from typing import Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/sitebuild.py

from sitebuild import EXAMPLE, MAKE_CORPUS, build_site  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]

# A Jekyll-layout corpus with the plugins and blogkit extras switched on, so archives, the paginated
# home and the tag page exist whenever the generators do. The theme CSS is inlined (theme_assets off).
CORPUS_CONFIG = """\
title: 負荷試験ブログ
description: 1,000件の記事で組んだテスト用サイト
lang: ja
timezone: Asia/Tokyo
permalink: /:categories/:year/:month/:day/:title.html
paginate: 10
plugins: [jekyll-archives, jekyll-paginate, jekyll-feed, jekyll-seo-tag]
jekyll-archives:
  enabled: [categories, tags, year, month]
features: {tag_cloud: true, related_posts: true}
"""


def placeholder_png(width: int = 640, height: int = 240) -> bytes:
    """A plain grey PNG: the corpus generator's bodies reference /assets/img/x.png, which it never writes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\xc8\xcd\xd4" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


class Served:
    def __init__(self, root: Path, base: str) -> None:
        self.root, self.base = root, base

    def url(self, path: str) -> str:
        return self.base + path


def _serve(config) -> Iterator[Served]:  # type: ignore[no-untyped-def]
    from blogkit.server.static import make_server
    server = make_server(config, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(config.destination, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    config = build_site(EXAMPLE, tmp_path_factory.mktemp("example") / "_site")
    yield from _serve(config)


@pytest.fixture(scope="session")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    if not MAKE_CORPUS.is_file():
        pytest.skip(f"benchmark corpus generator not found at {MAKE_CORPUS} (../shared is absent)")
    src = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, str(MAKE_CORPUS), "1000", str(src)], check=True, capture_output=True)
    (src / "_config.yml").write_text(CORPUS_CONFIG, encoding="utf-8")
    (src / "index.html").write_text("---\nlayout: home\n---\n", encoding="utf-8")  # jekyll-paginate needs index.html
    (src / "assets" / "img").mkdir(parents=True)
    (src / "assets" / "img" / "x.png").write_bytes(placeholder_png())
    config = build_site(src, src / "_site")
    yield from _serve(config)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
