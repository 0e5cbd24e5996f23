"""Warm and incremental builds must give byte-identical output to a cold build, after every
kind of edit. The cold build runs with no cache at all into a fresh destination."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from blogkit.config import load_config
from blogkit.generators import structure_memo
from blogkit.site import BuildCache, build
from sitekit import write_files

SITE_YML = """title: Incremental
lang: ja
timezone: Asia/Tokyo
time: 2025-12-01 00:00:00 +0900
url: https://example.com
paginate: 3
"""


def post(i: int, tags: str, body: str = "", title: str | None = None) -> str:
    return (f"---\nlayout: post\ntitle: \"{title or f'記事 {i}'}\"\ndate: 2025-0{1 + i % 9}-{10 + i % 18:02d} 09:00:00 +0900\n"
            f"categories: [{'分析' if i % 2 else 'News'}]\ntags: [{tags}]\n---\n\n"
            f"最初の段落 {i}。{body}\n\n## 見出し\n\n本文 {i} の続き。\n")


def files() -> dict[str, str]:
    out = {"site.yml": SITE_YML, "content/index.md": "---\nlayout: home\n---\n",
           "content/about.md": "---\nlayout: page\ntitle: About\n---\nabout\n", "static/style.css": "a{}"}
    for i in range(12):
        out[f"content/_posts/2025-{1 + i % 9:02d}-{10 + i:02d}-p{i}.md"] = post(i, "AI, GPU" if i % 3 else "AI, 半導体")
    return out


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def cold(site: Path, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """A build with no cache into a fresh destination, planning every generator afresh; the
    plans the warm builds keep in this process (generators/structure_memo.py) are put back
    after it, so the next warm build reuses them as a preview server would."""
    dest = tmp / "cold"
    shutil.rmtree(dest, ignore_errors=True)
    monkeypatch.setenv("BLOGKIT_CACHE", "0")
    config, _ = load_config(site, destination=dest)
    kept = dict(structure_memo._KEPT)
    structure_memo._KEPT.clear()
    try:
        build(config)
    finally:
        structure_memo._KEPT.clear()
        structure_memo._KEPT.update(kept)
    monkeypatch.delenv("BLOGKIT_CACHE")
    return tree(dest)


EDITS = {
    "body": lambda s: _sub(s / "content/_posts/2025-02-11-p1.md", "続き", "書き直した続き"),
    "first paragraph (excerpt)": lambda s: _sub(s / "content/_posts/2025-03-12-p2.md", "最初の段落 2", "新しい書き出し"),
    # past the excerpt, but long enough to change the reading time the lists show
    "longer body (reading time)": lambda s: _sub(s / "content/_posts/2025-06-15-p5.md", "本文 5 の続き。",
                                                 "本文 5 の続き。" + "長い追記の文章。" * 400),
    "title": lambda s: _sub(s / "content/_posts/2025-04-13-p3.md", "記事 3", "改題した記事"),
    "tags": lambda s: _sub(s / "content/_posts/2025-05-14-p4.md", "tags: [AI, GPU]", "tags: [新タグ]"),
    "new post": lambda s: (s / "content/_posts/2025-09-30-new.md").write_text(post(30, "AI, 新規"), encoding="utf-8"),
    "deleted post": lambda s: (s / "content/_posts/2025-06-15-p5.md").unlink(),
    "template": lambda s: write_files(s, {"templates/post.html": "---\nlayout: default\n---\n<article class=\"x\">{{ content }}</article>\n"}),
    "config": lambda s: _sub(s / "site.yml", "title: Incremental", "title: Renamed"),
    "static": lambda s: (s / "static/style.css").write_text("a{color:red}"),
}


def _sub(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def check_every_edit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_process: bool) -> None:
    """Build, then after each kind of edit build incrementally and compare with a cold build."""
    site = write_files(tmp_path / "site", files())
    dest = tmp_path / "warm"
    memory = BuildCache() if in_process else None

    def warm() -> tuple[dict[str, bytes], int]:
        config, _ = load_config(site, destination=dest)
        if memory is None:   # a new command: the generators' plans come from the disk cache
            structure_memo._KEPT.clear()
        report = build(config, cache=memory)
        return tree(dest), report.stats.written

    first, _ = warm()
    assert first == cold(site, tmp_path, monkeypatch)
    again, written = warm()
    assert again == first and written == 0   # nothing changed: nothing rewritten
    for name, edit in EDITS.items():
        edit(site)
        got, written = warm()
        want = cold(site, tmp_path, monkeypatch)
        assert set(got) == set(want), name
        differing = [p for p in want if got[p] != want[p]]
        assert not differing, f"after the {name} edit, these differ from a cold build: {differing[:5]}"
        assert written > 0, name


@pytest.mark.parametrize("in_process", [False, True], ids=["disk-cache", "server-cache"])
def test_incremental_equals_cold_after_each_edit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                in_process: bool) -> None:
    check_every_edit(tmp_path, monkeypatch, in_process)


def test_body_edit_renders_only_what_shows_it(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", files())
    dest = tmp_path / "out"
    config, _ = load_config(site, destination=dest)
    build(config)
    _sub(site / "content/_posts/2025-02-11-p1.md", "続き", "書き直した続き")
    report = build(config)
    # the post itself, plus the feeds and the pages that show its content; not every page
    assert 0 < report.stats.written < len(tree(dest)) // 2


def test_an_edit_past_the_excerpt_renders_only_the_post(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Index pages show a post's excerpt and reading time (its summary), not its whole body: an
    # edit that leaves both re-renders the post's own page only; one of its excerpt, the pages
    # that list it too. (Their bytes are a cold build's: test_incremental_equals_cold...)
    import blogkit.render.site as render_site
    site = write_files(tmp_path / "site", files())
    config, _ = load_config(site, destination=tmp_path / "out")
    build(config)
    rendered: list[str] = []
    real = render_site.render_layouts

    def spy(*args: Any) -> Any:  # (no named arguments: a failure's report would print the views)
        rendered.append(args[4].path)
        return real(*args)

    monkeypatch.setattr(render_site, "render_layouts", spy)
    _sub(site / "content/_posts/2025-02-11-p1.md", "続き", "書き直した続き")
    build(config)
    assert rendered == ["_posts/2025-02-11-p1.md"]
    rendered.clear()
    _sub(site / "content/_posts/2025-02-11-p1.md", "最初の段落 1。", "新しい書き出し。")
    build(config)
    lists = [r for r in rendered if r.startswith("(")]   # generated pages: (archive /tag/ai/) ...
    assert "_posts/2025-02-11-p1.md" in rendered and any("/tag/" in r for r in lists), rendered


def test_nothing_changed_is_up_to_date_and_tampering_is_noticed(tmp_path: Path) -> None:
    from datetime import datetime, timezone

    from blogkit.unchanged import Snapshot, still_valid

    site = write_files(tmp_path / "site", files())
    dest = tmp_path / "out"
    config, _ = load_config(site, destination=dest)
    build(config)
    before = tree(dest)
    assert build(config).up_to_date
    page = dest / "about" / "index.html" if (dest / "about" / "index.html").exists() else next(dest.rglob("*.html"))
    page.write_text("tampered", encoding="utf-8")
    report = build(config)                       # an output changed by hand: a real build restores it
    assert not report.up_to_date and tree(dest) == before
    _sub(site / "content/_posts/2025-02-11-p1.md", "続き", "又の続き")
    assert not build(config).up_to_date          # any source change: a real build
    snap = Snapshot("x", (), due=datetime(2020, 1, 1, tzinfo=timezone.utc).timestamp())
    assert not still_valid(snap, config, "x", datetime.now(timezone.utc))   # a future post became due


LIQUID_EDITS = {
    # a new newest post: every post's site.related_posts (the ten newest others) changes
    "new newest post": lambda s: (s / "_posts/2024-07-01-fresh.md").write_text(
        "---\nlayout: post\ntitle: Fresh\n---\nFresh post.\n", encoding="utf-8"),
    "related post's title": lambda s: _sub(s / "_posts/2024-05-20-beta.md", "title: Post beta", "title: Beta renamed"),
    "deleted post": lambda s: (s / "_posts/2024-05-20-alpha.md").unlink(),
    "include": lambda s: _sub(s / "_includes/header.html", "site-header", "site-header x"),
    "layout": lambda s: _sub(s / "_layouts/post.html", "<article>", "<article class=\"post\">"),
    "page naming a missing layout, then the layout": lambda s: (
        (s / "extra.md").write_text("---\nlayout: special\ntitle: Extra\n---\nx\n", encoding="utf-8")),
    "the missing layout appears": lambda s: (s / "_layouts/special.html").write_text(
        "<div class=\"special\">{{ content }}</div>\n", encoding="utf-8"),
}


@pytest.mark.parametrize("in_process", [False, True], ids=["disk-cache", "server-cache"])
def test_liquid_theme_site_incremental_equals_cold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  in_process: bool) -> None:
    """The minima/lanyon-shaped Jekyll fixture (Liquid layouts and includes, site.related_posts,
    {% seo %}, jekyll-feed): after each edit an incremental build equals a cold one."""
    site = tmp_path / "site"
    shutil.copytree(Path(__file__).parent / "jekyll" / "sites" / "theme_like", site)
    with open(site / "_config.yml", "a", encoding="utf-8") as fh:
        fh.write("time: 2024-07-02 00:00:00 +0000\n")  # the feed's <updated> is site.time
    dest = tmp_path / "warm"
    memory = BuildCache() if in_process else None

    def warm() -> dict[str, bytes]:
        config, _ = load_config(site, destination=dest)
        build(config, cache=memory)
        return tree(dest)

    assert warm() == cold(site, tmp_path, monkeypatch)
    for name, edit in LIQUID_EDITS.items():
        edit(site)
        got, want = warm(), cold(site, tmp_path, monkeypatch)
        assert set(got) == set(want), name
        assert [p for p in want if got[p] != want[p]] == [], name


def test_a_moved_site_reads_its_cached_documents_at_their_new_paths(tmp_path: Path) -> None:
    """Cached documents do not keep the absolute path they were read from (it is not part of
    the cache key): after moving the site, every document names the file where it is now."""
    from blogkit.cache import Cache
    from blogkit.errors import ProblemLog
    from blogkit.site import cache_path, read_site

    first = write_files(tmp_path / "first", files())
    config, _ = load_config(first, destination=tmp_path / "out")
    build(config)
    moved = tmp_path / "moved"
    first.rename(moved)
    config, _ = load_config(moved, destination=tmp_path / "out")
    store = Cache(cache_path(config))
    before = len(store.touched)
    model = read_site(config, ProblemLog(), store=store)
    assert len(store.touched) > before             # the documents came from the cache
    docs = [*model.posts, *model.pages]
    assert docs and all(d.path.is_file() and moved in d.path.parents for d in docs)
    store.close()


NARROW_EDITS = {
    # (edit, posts whose pages must not be rendered again)
    "a new tag on one post": (lambda s: _sub(s / "content/_posts/2025-01-01-a.md", "tags: [x]",
                                             "tags: [x, 新しいタグ]"), "cde"),
    "a new newest post, same year": (lambda s: (s / "content/_posts/2025-06-01-f.md").write_text(
        "---\nlayout: post\ntitle: F\ntags: [w]\n---\n本文 f\n", encoding="utf-8"), "abc"),
    # (d re-renders too: it shows its neighbour e, whose links now include f)
    "an image added to static/": (lambda s: write_files(s, {"static/img/new.svg": "<svg/>"}), "abcde"),
    # the favicon is what every page shows: all of them change (checked against a cold build)
    "a favicon added to static/": (lambda s: write_files(s, {"static/favicon.svg": "<svg/>"}), ""),
}


@pytest.mark.parametrize("edit", NARROW_EDITS, ids=list(NARROW_EDITS))
def test_site_wide_values_rerender_only_what_shows_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        edit: str) -> None:
    """Every page of the built-in theme tests ``site.tag_cloud``, prints the year of the newest
    post and looks for a favicon among the static files. Each of those is tracked narrowly
    (the cloud part by part, ``site.updated_year``, ``static_file()``), so these common edits
    re-render what shows them, not every page; the result still equals a cold build."""
    import blogkit.render.site as render_site

    dated = {"a": ("2025-01-01", "x"), "b": ("2025-01-02", "x"), "c": ("2025-03-01", "y"),
             "d": ("2025-03-02", "y"), "e": ("2025-05-01", "z")}
    site_files = {"site.yml": SITE_YML, "content/index.md": "---\nlayout: home\n---\n"}
    for name, (day, tag) in dated.items():
        site_files[f"content/_posts/{day}-{name}.md"] = (f"---\nlayout: post\ntitle: {name.upper()}\n"
                                                        f"tags: [{tag}]\n---\n本文 {name}\n")
    site = write_files(tmp_path / "site", site_files)
    config, _ = load_config(site, destination=tmp_path / "out")
    build(config)
    rendered: list[str] = []
    real = render_site.render_layouts

    def spy(*args: object, **kwargs: object) -> str:
        rendered.append(str(args[4]))
        return real(*args, **kwargs)  # type: ignore[arg-type]
    monkeypatch.setattr(render_site, "render_layouts", spy)
    change, untouched = NARROW_EDITS[edit]
    change(site)
    build(config)
    redone = {name for name in dated if any(r.endswith(f"-{name}.md") for r in rendered)}
    assert not redone & set(untouched), rendered
    if edit == "a new tag on one post":
        assert "a" in redone and any("tag cloud" in r for r in rendered)
    monkeypatch.undo()
    assert tree(tmp_path / "out") == cold(site, tmp_path, monkeypatch)
