"""Search (issue 8): what `search: true` puts into the built site, read back from Pagefind's files.

Each fragment Pagefind writes is gzip + "pagefind_dcd" + JSON of one indexed page (url,
content, filters, meta), so the tests check the real index, not our intermediate HTML.
"""
from __future__ import annotations

import gzip
import json
import time
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

import pytest

from blogkit.config import load_config
from blogkit.errors import BuildFailed
from blogkit.search import pagefind_run
from blogkit.search.records import SearchOptions, is_indexed
from blogkit.site import build

pytest.importorskip("pagefind_bin_extended", reason="needs the search extra: pip install 'blogkit[search]'")

POST_NVIDIA = """---
title: エヌビディアのGPU戦略
date: 2025-03-01 10:00:00 +0900
categories: [半導体]
tags: [NVIDIA, GPU, "C++, CUDA"]
reading_time: 4
---
生成AI向けのGPU市場でエヌビディアが存在感を増している。<!--more-->

## データセンター投資

クラウド各社のデータセンター投資が拡大している。
"""
POST_OPENAI = """---
title: OpenAIの新しいモデル
date: 2024-11-20 09:00:00 +0900
categories: [生成AI]
tags: [OpenAI]
---
OpenAIが新しい言語モデルを発表した。English words: reasoning benchmark.
"""
ABOUT = """---
title: このブログについて
layout: page
---
編集部が業界の動きを記録するブログです。
"""
HOME = """---
layout: home
---
ホームページの一覧にはエヌビディアのGPU戦略という題名が出る。
"""
HIDDEN = """---
title: 非公開メモ
search: false
---
検索に出してはいけないエヌビディアのメモ。
"""
# Default permalink (/:categories/...): a Japanese category reaches the URL percent-encoded.
NVIDIA = "/" + quote("半導体") + "/2025/03/01/nvidia.html"
OPENAI = "/" + quote("生成ai") + "/2024/11/20/openai.html"
FEED = """---
---
<rss>エヌビディア</rss>
"""


def make_site(root: Path, config: str = "search: true\n") -> Path:
    posts = root / "content" / "_posts"
    posts.mkdir(parents=True)
    (posts / "2025-03-01-nvidia.md").write_text(POST_NVIDIA, encoding="utf-8")
    (posts / "2024-11-20-openai.md").write_text(POST_OPENAI, encoding="utf-8")
    (root / "content" / "about.md").write_text(ABOUT, encoding="utf-8")
    (root / "content" / "index.md").write_text(HOME, encoding="utf-8")
    (root / "content" / "memo.md").write_text(HIDDEN, encoding="utf-8")
    (root / "content" / "feed.xml").write_text(FEED, encoding="utf-8")
    (root / "site.yml").write_text("title: テスト\nlang: ja\ndescription: フッターの説明文\n" + config,
                                   encoding="utf-8")
    return root


def build_site(root: Path, **overrides: Any) -> Path:
    config, _ = load_config(root, overrides=overrides or None, destination=root / "_site")
    build(config)
    return root / "_site"


def fragments(dest: Path) -> dict[str, dict[str, Any]]:
    """Every indexed page's record, keyed by the URL our UI links to (meta.url)."""
    out: dict[str, dict[str, Any]] = {}
    for path in (dest / "pagefind" / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(b"pagefind_dcd")
        record = json.loads(raw[len(b"pagefind_dcd"):])
        out[record["meta"]["url"]] = record
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pagefind_run._LAST = pagefind_run._Memo()  # a fresh index, not one remembered from another test
    return build_site(make_site(tmp_path_factory.mktemp("site")))


def test_bundle_search_page_and_assets_are_written(built: Path) -> None:
    assert (built / "pagefind" / "pagefind.js").is_file()
    entry = json.loads((built / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["ja"] and entry["languages"]["ja"]["page_count"] == 3
    assert not list((built / "pagefind").glob("pagefind-ui.*"))  # Pagefind's own UI is not shipped
    page = (built / "search" / "index.html").read_text(encoding="utf-8")
    assert 'data-bundle="/pagefind/"' in page and 'src="/assets/search.js"' in page
    assert "<section" in page  # not escaped by the layout chain
    assert (built / "assets" / "search.js").is_file() and (built / "assets" / "search.css").is_file()


def test_only_posts_and_content_pages_are_indexed(built: Path) -> None:
    records = fragments(built)
    assert sorted(records) == sorted([OPENAI, NVIDIA, "/about.html"])
    nvidia = records[NVIDIA]["content"].replace("\u200b", "")
    assert "データセンター投資" in nvidia and "エヌビディア" in nvidia
    everything = "".join(r["content"] for r in records.values())
    assert "フッターの説明文" not in everything and "テスト" not in everything  # footer, site title


def test_filters_and_meta_carry_category_tag_date_excerpt_reading_time(built: Path) -> None:
    nvidia = fragments(built)[NVIDIA]
    assert nvidia["filters"] == {"category": ["半導体"], "tag": ["NVIDIA", "GPU", "C++, CUDA"],
                                 "year": ["2025"], "type": ["post"]}
    meta = nvidia["meta"]
    assert meta["title"] == "エヌビディアのGPU戦略" and meta["date"] == "2025-03-01"
    assert meta["reading_time"] == "4"
    assert meta["summary"] == "生成AI向けのGPU市場でエヌビディアが存在感を増している。"
    about = fragments(built)["/about.html"]
    assert about["filters"] == {"type": ["page"]} and "date" not in about["meta"]


def test_search_off_writes_no_index(tmp_path: Path) -> None:
    dest = build_site(make_site(tmp_path, config=""))
    assert not (dest / "pagefind").exists() and not (dest / "search").exists()
    assert not (dest / "assets" / "search.js").exists()


def test_a_site_with_nothing_to_index_builds_and_says_so(tmp_path: Path) -> None:
    """A new blog with search on and no post yet: Pagefind's indexer refuses an empty site, so
    no bundle is made and the search page is marked empty (search.js then says so); adding a
    post brings the index."""
    (tmp_path / "content").mkdir()
    (tmp_path / "site.yml").write_text("title: 新しいブログ\nlang: ja\nsearch: true\n", encoding="utf-8")
    dest = build_site(tmp_path)
    page = (dest / "search" / "index.html").read_text(encoding="utf-8")
    assert "data-empty" in page and "まだ検索できる記事がありません" in page
    assert not (dest / "pagefind").exists()
    posts = tmp_path / "content" / "_posts"
    posts.mkdir()
    (posts / "2025-03-01-nvidia.md").write_text(POST_NVIDIA, encoding="utf-8")
    dest = build_site(tmp_path)
    assert "data-empty" not in (dest / "search" / "index.html").read_text(encoding="utf-8")
    assert NVIDIA in fragments(dest)


def test_baseurl_reaches_result_links_bundle_and_forms(tmp_path: Path) -> None:
    site = make_site(tmp_path, config="search:\n  language: ja\n")
    dest = build_site(site, baseurl="/blog")
    assert "/blog" + NVIDIA in fragments(dest)
    page = (dest / "search" / "index.html").read_text(encoding="utf-8")
    assert 'data-bundle="/blog/pagefind/"' in page and 'action="/blog/search/"' in page
    assert 'href="/blog/assets/search.css"' in page


def test_options_exclude_and_pages_off(tmp_path: Path) -> None:
    site = make_site(tmp_path, config="search:\n  pages: false\n  exclude: ['/生成ai/*']\n")
    assert sorted(fragments(build_site(site))) == [NVIDIA]


def test_pagefind_failure_fails_the_build_and_leaves_the_old_site(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path)
    dest = build_site(site)
    before = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*"))
    (site / "content" / "_posts" / "2025-03-02-new.md").write_text(
        "---\ntitle: 新しい記事\n---\n本文\n", encoding="utf-8")

    def broken(*args: Any) -> None:
        raise pagefind_run.SearchIndexError("Pagefind failed: simulated")
    monkeypatch.setattr(pagefind_run, "_index", broken)
    with pytest.raises(BuildFailed) as info:
        build_site(site)
    assert any(p.code == "search" for p in info.value.problems)
    assert sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*")) == before


def test_unchanged_content_reuses_the_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`serve` rebuilds after every save: an edit that changes no content must not re-index."""
    site = make_site(tmp_path)
    build_site(site)
    calls: list[int] = []
    real = pagefind_run._index

    def counting(*args: Any) -> None:
        calls.append(1)
        real(*args)
    monkeypatch.setattr(pagefind_run, "_index", counting)
    build_site(site)
    assert calls == []
    about = site / "content" / "about.md"
    about.write_text(ABOUT.replace("記録する", "書き留める"), encoding="utf-8")
    dest = build_site(site)
    assert calls == [1]
    assert "書き留める" in fragments(dest)["/about.html"]["content"].replace("\u200b", "")


def test_a_damaged_bundle_fails_the_build_and_leaves_the_old_site(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind's service mode once shipped files cut at a 4 KiB boundary or empty (CI saw an
    empty pagefind.js): whatever the cause, a bundle that is not whole must not be published."""
    site = make_site(tmp_path)
    dest = build_site(site)
    before = {p.relative_to(dest).as_posix(): p.read_bytes() for p in dest.rglob("*") if p.is_file()}
    about = site / "content" / "about.md"
    about.write_text(ABOUT.replace("記録する", "書き留める"), encoding="utf-8")
    real = pagefind_run._index

    def truncating(pages: Path, out: Path, language: str) -> None:
        real(pages, out, language)
        chunk = next((out / "fragment").glob("*.pf_fragment"))
        chunk.write_bytes(chunk.read_bytes()[:-9])  # the gzip trailer and a byte of data lost
    monkeypatch.setattr(pagefind_run, "_index", truncating)
    with pytest.raises(BuildFailed) as info:
        build_site(site)
    problem = next(p for p in info.value.problems if p.code == "search")
    assert "truncated" in problem.message and ".pf_fragment" in problem.message
    assert str(problem.where).startswith("site.yml:") and "build again" in (problem.hint or "")
    assert {p.relative_to(dest).as_posix(): p.read_bytes() for p in dest.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("name, data, says", [
    ("pagefind.js", b"", "pagefind.js is missing or empty"),
    ("pagefind-worker.js", b"", "pagefind-worker.js is empty"),
    ("pagefind-entry.json", b'{"version": "1', "unreadable"),
    ("pagefind-entry.json", b'{"version": "1", "languages": {"ja": {"page_count": 0}}}', "indexed no pages"),
    ("wasm.unknown.pagefind", gzip.compress(b"x" * 5000)[:-4], "wasm.unknown.pagefind is truncated"),
    ("index/ja_1.pf_index", b"not gzip", "truncated"),
], ids=["empty-js", "empty-worker", "cut-entry", "no-pages", "cut-wasm", "not-gzip"])
def test_check_bundle_names_what_is_damaged(name: str, data: bytes, says: str) -> None:
    whole = {"pagefind.js": b"export{};", "pagefind-worker.js": b"//",
             "pagefind-entry.json": b'{"version": "1", "languages": {"ja": {"page_count": 3}}}',
             "wasm.unknown.pagefind": gzip.compress(b"wasm"), "index/ja_1.pf_index": gzip.compress(b"i")}
    pagefind_run.check_bundle(whole, expect_pages=3)  # the whole one passes
    pagefind_run.check_bundle({k: v for k, v in whole.items() if k != "pagefind-worker.js"}, 3)  # Pagefind < 1.5
    with pytest.raises(pagefind_run.SearchIndexError, match=says):
        pagefind_run.check_bundle({**whole, name: data}, expect_pages=3)


def test_pagefind_settings_from_the_environment_or_working_directory_are_ignored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind reads PAGEFIND_* variables and a pagefind.yml in its working directory; neither
    may change blogkit's index (here both would make it index nothing)."""
    site = make_site(tmp_path / "site")
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    (elsewhere / "pagefind.yml").write_text("glob: 'nothing/**/*.html'\n", encoding="utf-8")
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("PAGEFIND_GLOB", "nothing/**/*.html")
    pagefind_run._LAST = pagefind_run._Memo()
    assert sorted(fragments(build_site(site))) == sorted([OPENAI, NVIDIA, "/about.html"])


@pytest.mark.parametrize("view, expected", [
    ({"collection": "posts", "url": "/a.html"}, True),
    ({"collection": "posts", "url": "/a.html", "search": False}, False),
    ({"url": "/", "layout": "home"}, False),
    ({"url": "/archive/", "layout": "archive"}, False),
    ({"url": "/blog/page2/", "pagination": {"enabled": True}}, False),
    ({"url": "/404.html"}, False),
    ({"url": "/feed.xml", "output_ext": ".xml"}, False),
    ({"url": "/about/", "layout": "page"}, True),
])
def test_is_indexed(view: dict[str, Any], expected: bool) -> None:
    assert is_indexed(view, SearchOptions()) is expected


def test_options_from_config() -> None:
    assert SearchOptions.from_config(True, "en-US").language == "en"
    assert SearchOptions.from_config({"language": "ja", "exclude": "/x/*"}, "en") == \
        SearchOptions(language="ja", pages=True, exclude=("/x/*",))
    assert SearchOptions.from_config(True, None).language == "ja"


def test_the_preview_server_reindexes_in_the_background(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`serve`: after an edit the rebuild does not wait for Pagefind (it keeps the last bundle);
    the index is rebuilt on a thread and the site rebuilt again with it. The first build indexes
    in the build, as `blogkit build` always does."""
    import threading

    from blogkit.server.rebuild import Rebuilder

    site = make_site(tmp_path / "site")
    pagefind_run._LAST = pagefind_run._Memo()
    release = threading.Event()
    real = pagefind_run._index
    calls: list[str] = []

    def gated(pages: Path, out: Path, language: str) -> None:
        calls.append(threading.current_thread().name)
        if len(calls) > 1:
            assert release.wait(30)   # the background index waits until the test lets it go
        real(pages, out, language)
    monkeypatch.setattr(pagefind_run, "_index", gated)
    builds: list[float] = []
    reb = Rebuilder(lambda: load_config(site, destination=site / "_site"),
                    on_state=lambda s, r, t: builds.append(t) if r is not None else None)
    reb.start()
    try:
        assert reb.wait_idle(60) and len(builds) == 1 and calls == ["blogkit-rebuild"]
        about = site / "content" / "about.md"
        about.write_text(ABOUT.replace("記録する", "書き留める"), encoding="utf-8")
        from blogkit.server.watch import Change, ChangeKind
        reb.submit(frozenset({Change(about, ChangeKind.CONTENT)}))
        assert reb.wait_idle(60) and len(builds) == 2   # done while the index is still held back
        dest = site / "_site"
        assert "書き留める" in (dest / "about.html").read_text(encoding="utf-8")
        assert "書き留める" not in fragments(dest)["/about.html"]["content"].replace("\u200b", "")
        assert calls[1] == "blogkit-search-index"
        release.set()
        deadline = time.monotonic() + 60
        while len(builds) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert reb.wait_idle(60) and len(builds) == 3   # the server rebuilt with the new index
        assert "書き留める" in fragments(dest)["/about.html"]["content"].replace("\u200b", "")
    finally:
        release.set()
        reb.stop()
    assert pagefind_run.DEFERRAL is None


def test_stopping_the_server_stops_a_background_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A re-index still running when `serve` stops is terminated, and its scratch directory
    goes with it (a stand-in indexer that would run for a minute)."""
    import stat
    import tempfile
    import threading

    slow = tmp_path / "slow-indexer"
    slow.write_text("#!/bin/sh\nexec sleep 60\n", encoding="utf-8")
    slow.chmod(slow.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(pagefind_run, "_executable", lambda: slow)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    ready = threading.Event()
    deferral = pagefind_run.Deferral(on_ready=ready.set)
    deferral.request("k", [(PurePosixPath("a/index.html"), "<html><body>本文</body></html>")], "ja")
    deadline = time.monotonic() + 10
    while not pagefind_run._RUNNING and time.monotonic() < deadline:
        time.sleep(0.02)
    (proc,) = list(pagefind_run._RUNNING)
    pagefind_run.stop_indexing()
    assert ready.wait(10) and deferral.failed      # the thread ended, the next build indexes itself
    assert proc.poll() is not None and not pagefind_run._RUNNING
    assert not list(scratch.iterdir())
