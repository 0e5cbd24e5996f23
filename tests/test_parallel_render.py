"""Documents rendered in forked workers (render/documents.py) must give what the serial path
gives: the same bytes, the same problems with their locations and in the same order, and
incremental records that let the next build skip exactly as after a serial build."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from blogkit.config import load_config
from blogkit.errors import BuildFailed, ProblemLog
from blogkit import parallel as parallel_mod
from blogkit.render import documents
from blogkit.site import build
from sitekit import write_files
from test_incremental import check_every_edit, files, tree


@pytest.fixture
def parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Force the worker paths (reading, Markdown, templates) even for a tiny site."""
    monkeypatch.setattr(documents, "MIN_PARALLEL", 0)
    monkeypatch.setattr(parallel_mod, "MIN_PARALLEL", 0)
    monkeypatch.setenv("BLOGKIT_WORKERS", "2")


def _build(site: Path, dest: Path) -> tuple[dict[str, bytes], list[str]]:
    config, _ = load_config(site, destination=dest)
    log = ProblemLog()
    try:
        build(config, log=log)
    except BuildFailed:
        pass
    return (tree(dest) if dest.exists() else {}), [f"{p.where}: {p.message}" for p in log.problems]


JEKYLL = {
    "_config.yml": "title: T\ntimezone: UTC\nurl: https://example.com\n",
    "_layouts/default.html": "<html>{{ page.title }}|{{ content }}|{{ site.posts | size }}</html>",
    "_layouts/post.html": "---\nlayout: default\n---\n<article>{{ page.date | date: '%-d %b %Y' }}"
                          "{% for p in site.posts limit: 3 %}<a href=\"{{ p.url }}\">{{ p.title }}</a>{% endfor %}"
                          "{{ content }}</article>",
    "index.md": "---\nlayout: default\ntitle: Home\n---\nhello *world*\n",
    "_posts/2024-01-03-nolayout.md": "---\nlayout: missing\ntitle: Missing\n---\ntext\n",
}
for _i in range(9):
    JEKYLL[f"_posts/2024-02-{10 + _i}-p{_i}.md"] = f"---\nlayout: post\ntitle: P{_i}\n---\nBody **{_i}**\n"


@pytest.mark.parametrize("kind", ["blogkit", "jekyll"])
def test_workers_equal_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    site = write_files(tmp_path / "site", files() if kind == "blogkit" else JEKYLL)
    monkeypatch.setenv("BLOGKIT_WORKERS", "1")
    serial = _build(site, tmp_path / "serial")
    monkeypatch.setattr(documents, "MIN_PARALLEL", 0)
    monkeypatch.setattr(parallel_mod, "MIN_PARALLEL", 0)
    monkeypatch.setenv("BLOGKIT_WORKERS", "2")
    forked = _build(site, tmp_path / "forked")
    assert forked[0] == serial[0] and len(serial[0]) > 10
    assert forked[1] == serial[1]
    if kind == "jekyll":
        assert any("nolayout" in p and "missing" in p for p in serial[1])  # a warning with its location


def test_workers_report_errors_with_locations(tmp_path: Path, parallel: None) -> None:
    broken = {**JEKYLL, "_posts/2024-02-15-p5.md": "---\nlayout: post\ntitle: P5\n---\n{{ 'x' | no_such_filter }}\n",
              "_layouts/post.html": JEKYLL["_layouts/post.html"] + "{% if %}"}
    site = write_files(tmp_path / "site", broken)
    _, problems = _build(site, tmp_path / "out")
    assert problems and all(p.split(":")[0].endswith((".md", ".html")) for p in problems)
    assert not (tmp_path / "out").exists()  # nothing written on error


def test_fork_map_runs_in_workers_and_keeps_order(parallel: None) -> None:
    import os
    got = list(parallel_mod.fork_map(lambda i: (i * i, os.getpid()), list(range(100))))
    assert [v for v, _ in got] == [i * i for i in range(100)]
    assert os.getpid() not in {pid for _, pid in got}   # forked, not run here


def test_forked_reading_reports_what_serial_reading_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = {**JEKYLL, "_posts/2024-02-15-p5.md": "---\nlayout: post\ntitle: [unclosed\n---\nx\n",
           "_posts/2024-02-16-p6.md": "---\nlayout: post\ndate: 2024-13-45\n---\nx\n"}
    site = write_files(tmp_path / "site", bad)
    monkeypatch.setenv("BLOGKIT_CACHE", "0")
    monkeypatch.setenv("BLOGKIT_WORKERS", "1")
    serial = _build(site, tmp_path / "serial")
    monkeypatch.setattr(parallel_mod, "MIN_PARALLEL", 0)
    monkeypatch.setenv("BLOGKIT_WORKERS", "2")
    forked = _build(site, tmp_path / "forked")
    assert forked[1] == serial[1]
    assert any("2024-02-15-p5.md:3" in p for p in serial[1]) and any("2024-02-16-p6.md:3" in p for p in serial[1])


@pytest.mark.parametrize("in_process", [False, True], ids=["disk-cache", "server-cache"])
def test_incremental_after_forked_render_equals_cold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     parallel: None, in_process: bool) -> None:
    check_every_edit(tmp_path, monkeypatch, in_process)


def test_markdown_pool_gives_serial_html_and_leaves_texts_lean(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Markdown pool returns what the serial renderer returns, in order, and does not make
    the parent's texts grow: pickling a str caches a UTF-8 copy inside it (sys.getsizeof sees
    it), which on a 5,000-post Japanese site was 80 MB of the parent's peak memory."""
    from blogkit import parallel
    from blogkit.markdown import make_markdown

    monkeypatch.setattr(parallel, "MIN_PARALLEL", 0)
    monkeypatch.setenv("BLOGKIT_WORKERS", "2")
    texts = [f"# 見出し{i}\n\n本文 *{i}* は日本語です。" + "あ" * (i * 37 % 500) for i in range(40)]
    sizes = [sys.getsizeof(t) for t in texts]
    md = make_markdown(None)
    got = list(parallel.render_all(texts, md, None))
    assert [r.html for r in got] == [md.render(t).html for t in texts]
    assert [sys.getsizeof(t) for t in texts] == sizes
    import pickle
    pickle.dumps(texts[0])  # the effect the test guards against is real on this interpreter
    assert sys.getsizeof(texts[0]) > sizes[0]


def test_a_document_damaged_on_its_way_from_a_worker_is_read_again(tmp_path: Path) -> None:
    """Read workers hand back documents sealed for the cache; bytes that do not unseal (a pipe
    fault) must not lose the post: it is read again in the parent."""
    import blogkit.site as stages
    from blogkit.cache import seal
    from blogkit.content.model import cached_form

    site = write_files(tmp_path / "site", JEKYLL)
    config, _ = load_config(site, destination=tmp_path / "out")
    ctx = stages.read_context(config, stages.zone_of(config))
    src = next(s for s in stages.discover_sources(config) if s.rel_path.endswith("p3.md"))
    good = stages._read_one(src, ctx)
    body = good.body.encode("utf-8")
    doc, blob = stages._received((seal(cached_form(good)), body), src, ctx)
    assert blob is not None and doc.body == good.body and doc.url == good.url
    damaged = bytearray(seal(cached_form(good)))
    damaged[-3] ^= 0xFF
    doc, blob = stages._received((bytes(damaged), body), src, ctx)
    assert blob is None and doc.body == good.body and doc.url == good.url
