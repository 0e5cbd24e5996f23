"""Edit builds that skip the per-output argument check (render/delta.py) must give exactly the
cold build's bytes. Each body-only edit below is asserted to take that path (a spy on
``keep_plan``), so a silent fallback to the full check cannot make these tests pass."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import blogkit.render.site as render_site
from blogkit.config import load_config
from blogkit.site import BuildCache, build
from sitekit import write_files
from test_incremental import _sub, cold, tree

CONFIG = """title: Delta
url: https://example.com
timezone: Asia/Tokyo
time: 2025-12-01 00:00:00 +0900
paginate: 2
plugins: [jekyll-paginate, jekyll-feed]
"""


def post(i: int, body: str) -> str:
    return (f"---\nlayout: post\ntitle: Post {i}\ntags: [t{i % 2}]\ncategories: [c{i % 3}]\n---\n"
            f"First paragraph of {i}. {body}\n\nSecond paragraph of {i}.\n")


def site_files() -> dict[str, str]:
    files = {
        "_config.yml": CONFIG,
        "_layouts/default.html": "<html><title>{{ page.title }}</title><body>{{ content }}</body></html>\n",
        "_layouts/post.html": ("---\nlayout: default\n---\n<article>{{ content }}</article>\n"
                               "{% if page.previous %}<a href=\"{{ page.previous.url }}\">{{ page.previous.title }}</a>{% endif %}\n"),
        # a paginated index whose own body is the template (rendered without reading its view)
        "index.html": ("---\nlayout: default\n---\n<h1>Newest</h1>\n"
                       "{% for p in paginator.posts %}<section>{{ p.excerpt }}</section>{% endfor %}\n"),
        # a page whose body shows another post's content through Liquid
        "latest.md": "---\nlayout: default\ntitle: Latest\n---\n{{ site.posts.first.content }}\n",
        "about.md": "---\nlayout: default\ntitle: About\n---\nAbout this blog.\n",
    }
    for i in range(7):
        files[f"_posts/2025-0{i + 1}-10-post-{i}.md"] = post(i, "")
    return files


BODY_EDITS: dict[str, Callable[[Path], None]] = {
    "an old post's second paragraph": lambda s: _sub(s / "_posts/2025-02-10-post-1.md", "Second paragraph of 1",
                                                     "Rewritten second paragraph"),
    "the newest post's excerpt (home page, feed, latest.md)": lambda s: _sub(
        s / "_posts/2025-07-10-post-6.md", "First paragraph of 6.", "A new opening for 6."),
    "the paginated index's own body": lambda s: _sub(s / "index.html", "<h1>Newest</h1>", "<h1>Latest posts</h1>"),
    "a post body that now uses Liquid": lambda s: _sub(s / "_posts/2025-04-10-post-3.md", "Second paragraph of 3.",
                                                       "Written for {{ site.title }}."),
    "a page's body": lambda s: _sub(s / "about.md", "About this blog.", "About this *new* blog."),
}


@pytest.mark.parametrize("in_process", [False, True], ids=["disk-cache", "server-cache"])
def test_body_edits_take_the_plan_and_equal_a_cold_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        in_process: bool) -> None:
    site = write_files(tmp_path / "site", site_files())
    dest = tmp_path / "warm"
    memory = BuildCache() if in_process else None
    plans: list[int] = []
    real = render_site.keep_plan

    def spy(*args: Any) -> Any:
        plan = real(*args)
        plans.append(len(plan))
        return plan

    monkeypatch.setattr(render_site, "keep_plan", spy)

    def warm() -> tuple[dict[str, bytes], int]:
        config, _ = load_config(site, destination=dest)
        report = build(config, cache=memory)
        return tree(dest), report.stats.written

    assert warm()[0] == cold(site, tmp_path, monkeypatch)
    for name, edit in BODY_EDITS.items():
        plans.clear()
        edit(site)
        got, written = warm()
        assert plans and plans[0] > 0, f"{name}: the edit build did not use the plan"
        want = cold(site, tmp_path, monkeypatch)
        assert set(got) == set(want), name
        assert [p for p in want if got[p] != want[p]] == [], f"after {name}"
        assert written > 0, name

    # front-matter edits change the site's structure: the plan then covers documents' own pages
    # only, generated pages (home, archives, feed) get the full check; still a cold build's bytes
    middle = site / "_posts/2025-04-20-inserted.md"
    for name, old, new in (("2025-03-10-post-2.md", "title: Post 2", "title: Post two"),
                           ("2025-05-10-post-4.md", "tags: [t0]", "tags: [t0, fresh]"),
                           # shifts the home page's later pages: the last page must gain a post
                           # although none of the views it read before changed
                           (middle.name, "", post(9, "Inserted."))):
        plans.clear()
        if old:
            _sub(site / "_posts" / name, old, new)
        else:
            middle.write_text(new, encoding="utf-8")
        got, _ = warm()
        assert plans, name
        want = cold(site, tmp_path, monkeypatch)
        assert set(got) == set(want) and [p for p in want if got[p] != want[p]] == [], name
    # a Liquid layout is a recorded read (file: dependency) of each output that used it
    _sub(site / "_layouts/post.html", "<article>", "<article class=\"p\">")
    got, _ = warm()
    want = cold(site, tmp_path, monkeypatch)
    assert [p for p in want if got.get(p) != want[p]] == []
    # a config edit changes the global fingerprint: no plan at all
    plans.clear()
    _sub(site / "_config.yml", "title: Delta", "title: Delta renamed")
    got, _ = warm()
    assert plans == []
    want = cold(site, tmp_path, monkeypatch)
    assert [p for p in want if got.get(p) != want[p]] == []


def test_a_hand_edited_output_is_restored_by_an_edit_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = write_files(tmp_path / "site", site_files())
    dest = tmp_path / "out"
    config, _ = load_config(site, destination=dest)
    build(config)
    about = dest / "about.html"
    about.write_text("tampered", encoding="utf-8")
    _sub(site / "_posts/2025-02-10-post-1.md", "Second paragraph of 1", "Another second paragraph")
    build(config)
    assert tree(dest) == cold(site, tmp_path, monkeypatch)


def test_an_output_that_shows_the_clock_is_rendered_again(tmp_path: Path) -> None:
    """site.time is now (no `time:` in the config): it changes between two edit builds, and a
    page that shows it must follow although its structure and body did not change."""
    files = site_files()
    files["_config.yml"] = CONFIG.replace("time: 2025-12-01 00:00:00 +0900\n", "")
    files["about.md"] = "---\nlayout: default\ntitle: About\n---\nBuilt at {{ site.time | date: '%s' }}.\n"
    site = write_files(tmp_path / "site", files)
    dest = tmp_path / "out"
    config, _ = load_config(site, destination=dest)
    build(config)
    first = (dest / "about.html").read_text(encoding="utf-8")
    time.sleep(1.1)  # site.time has whole seconds
    _sub(site / "_posts/2025-02-10-post-1.md", "Second paragraph of 1", "Edited")
    config, _ = load_config(site, destination=dest)
    build(config)
    assert (dest / "about.html").read_text(encoding="utf-8") != first


def test_shape_ignores_the_body_and_sees_the_front_matter(tmp_path: Path) -> None:
    from blogkit.site import read_site
    from blogkit.errors import ProblemLog

    site = write_files(tmp_path / "site", site_files())
    config, _ = load_config(site, destination=tmp_path / "out")
    shapes = {d.rel_path: d.shape for d in read_site(config, ProblemLog()).posts}
    _sub(site / "_posts/2025-02-10-post-1.md", "Second paragraph of 1", "Other words")
    _sub(site / "_posts/2025-03-10-post-2.md", "tags: [t0]", "tags: [t0, extra]")
    again = {d.rel_path: d.shape for d in read_site(config, ProblemLog()).posts}
    assert again["_posts/2025-02-10-post-1.md"] == shapes["_posts/2025-02-10-post-1.md"]
    assert again["_posts/2025-03-10-post-2.md"] != shapes["_posts/2025-03-10-post-2.md"]


def test_a_body_edit_leaves_pages_that_list_only_titles_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reads are recorded at two grains (render/tracking.py): a tag archive that lists titles
    and dates does not read any body, so a body edit does not render it again; the home page
    that shows the post's excerpt is rendered again. Both still equal a cold build."""
    from blogkit.liquid.engine import LiquidEngine

    files = site_files()
    files["_config.yml"] = CONFIG.replace("plugins: [", "plugins: [jekyll-archives, ") + \
        "jekyll-archives: {enabled: [tags], layout: archive}\n"
    files["_layouts/archive.html"] = ("---\nlayout: default\n---\n"
                                      "{% for p in page.posts %}<li>{{ p.title }} {{ p.date | date: '%F' }}</li>{% endfor %}\n")
    site = write_files(tmp_path / "site", files)
    dest = tmp_path / "out"
    config, _ = load_config(site, destination=dest)
    build(config)
    rendered: list[str] = []
    real = LiquidEngine.render_layouts

    def spy(self: Any, layout: Any, content: Any, context: dict[str, Any], where: Any) -> Any:
        rendered.append(str(dict.get(context["page"], "url")))
        return real(self, layout, content, context, where)

    monkeypatch.setattr(LiquidEngine, "render_layouts", spy)
    _sub(site / "_posts/2025-07-10-post-6.md", "First paragraph of 6.", "A new opening for 6.")
    build(config)
    assert "/tag/t0/" not in rendered           # post 6 is tagged t0: its archive lists only titles
    assert "/" in rendered and any(u.endswith("post-6.html") for u in rendered)
    assert tree(dest) == cold(site, tmp_path, monkeypatch)


def test_the_preview_servers_state_is_saved_after_the_build_and_a_stale_one_is_safe(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server keeps the manifest and snapshot in memory and saves them after announcing the
    page. If they never got saved (killed in between), a later command-line build has no
    snapshot and an older manifest: every record is checked against files and fingerprints,
    so it is still right."""
    from blogkit.cache import Cache
    from blogkit.site import cache_path, manifest_key_of, save_state

    site = write_files(tmp_path / "site", site_files())
    dest = tmp_path / "out"
    config, _ = load_config(site, destination=dest)
    build(config)                                   # a command-line build leaves manifest A
    memory = BuildCache()
    for post, old, new in (("2025-02-10-post-1.md", "Second paragraph of 1", "Server edit one"),
                           ("2025-07-10-post-6.md", "First paragraph of 6.", "Server edit two.")):
        _sub(site / "_posts" / post, old, new)
        build(config, cache=memory)                 # server builds: manifest in memory only
        assert memory.unsaved is not None
    _sub(site / "_posts/2025-04-10-post-3.md", "Second paragraph of 3.", "Edited after the server died.")
    build(config)                                   # starts from manifest A, now stale
    assert tree(dest) == cold(site, tmp_path, monkeypatch)
    build(config, cache=memory)
    save_state(config, memory)
    assert memory.unsaved is None
    store = Cache(cache_path(config))
    assert store.get(manifest_key_of(config)).records.keys() == memory.manifest.records.keys()
    store.close()
    assert build(config).up_to_date   # the saved snapshot says nothing changed since


# The preview server's dependency index (render/delta.py DepIndex) against the plain check, over
# a run of builds: records re-rendered (new objects), dropped and added between them, files
# touched, fingerprints moving.
_DEPS = [f"doc:{i}" for i in range(6)] + ["list:site.posts", "site.title"]


@given(st.lists(st.tuples(
    st.dictionaries(st.sampled_from([f"r{i}" for i in range(10)]),
                    st.lists(st.tuples(st.sampled_from(_DEPS), st.sampled_from("ab")), max_size=4, unique_by=lambda p: p[0]),
                    max_size=10),
    st.dictionaries(st.sampled_from(_DEPS), st.sampled_from("ab")),
    st.sets(st.sampled_from([f"r{i}" for i in range(10)]))), min_size=1, max_size=5))
@settings(max_examples=150, deadline=None)
def test_the_server_index_plans_exactly_as_the_plain_check(builds: list[Any]) -> None:
    import os
    import tempfile

    from blogkit.render.delta import DepIndex, keep_plan
    from blogkit.render.incremental import OutputRecord

    index = DepIndex()
    records: dict[str, OutputRecord] = {}
    with tempfile.TemporaryDirectory() as root:
        for changed, now, touched in builds:
            for rid, deps in changed.items():   # re-rendered (or new): a new record object
                path = os.path.join(root, rid)
                with open(path, "w") as fh:
                    fh.write(rid)
                st_ = os.stat(path)
                records[rid] = OutputRecord("base", tuple(deps), (), rid, st_.st_size, st_.st_mtime_ns)
            for rid in sorted(touched)[:2]:     # gone from the manifest
                records.pop(rid, None)
            for rid in sorted(touched)[2:3]:    # its file changed by hand
                if os.path.exists(os.path.join(root, rid)):
                    with open(os.path.join(root, rid), "a") as fh:
                        fh.write("!")
            fp_of = lambda dep: now.get(dep)  # noqa: E731 - (None: a dependency now unknown)
            assert keep_plan(records, fp_of, Path(root), index) == keep_plan(records, fp_of, Path(root))
