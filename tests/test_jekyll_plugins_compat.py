"""Differential tests for the plugin outputs: jekyll-feed, jekyll-sitemap, jekyll-archives,
jekyll-paginate (spec §7.3, §9).  blogkit is expected to fail these until plugins land.

Feeds are parsed twice — with feedparser (what readers see) and with lxml (the raw Atom
elements, so feedparser's normalisation cannot hide a difference).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "jekyll"))
import jekyll_harness as H  # noqa: E402

feedparser = pytest.importorskip("feedparser")
etree = pytest.importorskip("lxml.etree")

pytestmark = [pytest.mark.jekyll, pytest.mark.plugins]

Case = H.Case
CASES = [
    Case("plugins", "plugins", dump=False),
    Case("plugins-doubleslash", "plugins", dump=False,
         configs=("_config.yml", "_config.doubleslash.yml")),
    Case("plugins-feedpath-archives-all", "plugins", dump=False,
         configs=("_config.yml", "_config.feedpath.yml")),
    Case("plugins-tokyo-process", "plugins", dump=False, tz="Asia/Tokyo"),
    Case("plugins-paginated-archives", "plugins", dump=False,
         configs=("_config.yml", "_config.paginated.yml")),
    Case("plugins-feed-options", "plugins", dump=False, configs=("_config.yml", "_config.feedopts.yml")),
]
# The cases that switch on blogkit's paginated archives; every other case must give exactly
# Jekyll's files.
PAGINATED = {"plugins-paginated-archives"}
CASE_IDS = [c.name for c in CASES]
FEED_PATH = {"plugins-feedpath-archives-all": "atom.xml"}
ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="session")
def plugin_runner(tmp_path_factory: pytest.TempPathFactory) -> H.DiffRunner:
    return H.DiffRunner(tmp_path_factory.mktemp("jekyll-plugins-diff"))


def _read(res: H.BuildResult, rel: str) -> bytes:
    path = res.dest / rel
    assert path.is_file(), f"{rel} was not written"
    return path.read_bytes()


def _feed_rel(case: Case) -> str:
    return FEED_PATH.get(case.name, "feed.xml")


# --- feedparser view -------------------------------------------------------------------

def _fp_head(raw: bytes) -> dict[str, Any]:
    f = feedparser.parse(raw).feed
    return {"id": f.get("id"), "updated": f.get("updated"), "title": f.get("title"),
            "links": sorted((l.get("rel"), l.get("href")) for l in f.get("links", []))}


def _fp_entries(raw: bytes) -> list[dict[str, Any]]:
    return [{"id": e.get("id"), "link": e.get("link"), "published": e.get("published"),
             "updated": e.get("updated"), "title": e.get("title"),
             "terms": [t.get("term") for t in e.get("tags", [])],
             "summary": e.get("summary")}
            for e in feedparser.parse(raw).entries]


# --- lxml view -------------------------------------------------------------------------

def _text(el: Any, tag: str) -> str | None:
    found = el.find(ATOM + tag)
    return None if found is None else found.text


def _lx_head(raw: bytes) -> dict[str, Any]:
    root = etree.fromstring(raw)
    return {"id": _text(root, "id"), "updated": _text(root, "updated"),
            "title": _text(root, "title"),
            "links": sorted((l.get("rel"), l.get("href")) for l in root.findall(ATOM + "link"))}


def _lx_entries(raw: bytes) -> list[dict[str, Any]]:
    out = []
    for e in etree.fromstring(raw).findall(ATOM + "entry"):
        alt = [l.get("href") for l in e.findall(ATOM + "link") if l.get("rel") == "alternate"]
        out.append({"id": _text(e, "id"), "link": alt, "published": _text(e, "published"),
                    "updated": _text(e, "updated"), "title": _text(e, "title"),
                    "terms": [c.get("term") for c in e.findall(ATOM + "category")]})
    return out


def _sitemap(raw: bytes) -> list[tuple[str | None, str | None]]:
    """(loc, lastmod) pairs as a sorted multiset: page order is not part of the contract,
    duplicates (archive collisions, §9.3) are."""
    root = etree.fromstring(raw)
    return sorted(((u.findtext(SM + "loc"), u.findtext(SM + "lastmod"))
                   for u in root.findall(SM + "url")), key=lambda p: (p[0] or "", p[1] or ""))


# --- the opt-in extra: paginated archives ----------------------------------------------
# jekyll-archives writes one page per archive; with `features: {paginate_archives: true}`
# blogkit paginates them (`paginate` posts per page, page n >= 2 at `<archive url>page/n/`).
# Without it a Jekyll site gets exactly Jekyll's files.  The extra files are predicted from
# JEKYLL's own output: every archive page of the fixture layout starts with `<h1>` and lists
# its posts as `<li>`s.  (Collided archives — AI/ai, Tech/tech — show only the winning key's
# posts in Jekyll's file; in this fixture their merged lists still fit on one page.)

def _paginate(case: Case) -> int:
    import yaml
    per = 0
    for name in case.configs or ("_config.yml",):
        data = yaml.safe_load((H.SITES / case.site / name).read_text(encoding="utf-8")) or {}
        per = int(data.get("paginate", per) or per)
    return per


def _archive_extras(jk: H.BuildResult, case: Case) -> dict[str, str]:
    """Extra blogkit file -> its URL path (no baseurl), for archives over `paginate` posts."""
    per = _paginate(case)
    extras: dict[str, str] = {}
    if case.name not in PAGINATED:
        return extras
    for rel in sorted(jk.files):
        text = (jk.dest / rel).read_text(encoding="utf-8", errors="replace")
        if not rel.endswith(".html") or not text.startswith("<h1>"):
            continue
        count = text.count("<li>")
        base = "/" + (rel[:-len("index.html")] if rel.endswith("/index.html") else rel[:-len(".html")] + "/")
        for n in range(2, -(-count // per) + 1):
            extras[f"{base[1:]}page/{n}/index.html"] = f"{base}page/{n}/"
    return extras


def _extra_locs(jk_locs: list[str], extras: dict[str, str]) -> list[str]:
    import unicodedata
    from urllib.parse import quote
    root = min(jk_locs, key=len)   # the home page: url + baseurl + "/"
    return [root + quote(unicodedata.normalize("NFKC", path[1:]), safe="/") for path in extras.values()]


def _first_diff(want: list[Any], got: list[Any]) -> str:
    if len(want) != len(got):
        return f"count: jekyll={len(want)} blogkit={len(got)}"
    for i, (w, g) in enumerate(zip(want, got)):
        if w != g:
            return f"entry {i}: jekyll={w!r}\n         blogkit={g!r}"
    return "equal"


# ---------------------------------------------------------------------------------------
# Jekyll side on its own.

@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_reference_plugins_build(plugin_runner: H.DiffRunner, case: Case) -> None:
    jk = plugin_runner.jekyll(case)
    assert jk.returncode == 0, jk.describe()
    for rel in (_feed_rel(case), "sitemap.xml", "robots.txt", "page2/index.html"):
        assert rel in jk.files


def test_reference_double_slash(plugin_runner: H.DiffRunner) -> None:
    jk = plugin_runner.jekyll(CASES[1])
    robots = _read(jk, "robots.txt").decode()
    assert "https://example.net//sub/sitemap.xml" in robots
    assert all(loc.startswith("https://example.net//sub/")
               for loc, _ in _sitemap(_read(jk, "sitemap.xml")))


def test_reference_feed_nfkc_and_limit(plugin_runner: H.DiffRunner) -> None:
    jk = plugin_runner.jekyll(CASES[0])
    entries = _lx_entries(_read(jk, "feed.xml"))
    assert len(entries) == 10  # default posts_limit; the future post is not built
    links = [e["link"][0] for e in entries]
    assert "https://example.com/ai%E3%83%8B%E3%83%A5%E3%83%BC%E3%82%B9/2025/01/10/fullwidth.html" \
        not in links  # too old for the 10 newest — covered by the sitemap instead
    locs = [loc for loc, _ in _sitemap(_read(jk, "sitemap.xml"))]
    assert "https://example.com/ai%E3%83%8B%E3%83%A5%E3%83%BC%E3%82%B9/2025/01/10/fullwidth.html" \
        in locs
    assert "ａｉニュース/2025/01/10/fullwidth.html" in jk.files


# ---------------------------------------------------------------------------------------
# Differential comparisons.

@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_plugin_output_paths(plugin_runner: H.DiffRunner, case: Case) -> None:
    jk, bk = plugin_runner.pair(case)
    extras = _archive_extras(jk, case)
    if case.name in PAGINATED:
        assert extras, "the fixture is meant to have archives longer than `paginate`"
    want = jk.files | set(extras)
    assert bk.files == want, H.first_set_difference("jekyll+pages", want, "blogkit", bk.files)


@pytest.mark.parametrize("case", [c for c in CASES if c.name not in PAGINATED],
                         ids=[c.name for c in CASES if c.name not in PAGINATED])
def test_archive_pages_list_every_post_as_jekyll(plugin_runner: H.DiffRunner, case: Case) -> None:
    """Without the opt-in, an archive is one page listing all its posts: Jekyll's bytes.
    (Not the fixture's colliding keys AI/ai and Tech/tech: Jekyll's file shows the posts of
    the key written last, blogkit merges both and warns — a documented difference.)"""
    import re
    from urllib.parse import unquote
    jk, bk = plugin_runner.pair(case)
    shared = re.findall(r"share the archive (\S+);", bk.stderr)
    assert len(shared) == 2, bk.stderr[-2000:]   # blogkit names both collisions
    collided = {unquote(u.lstrip("/")) + ("index.html" if u.endswith("/") else "") for u in shared}
    pages = [rel for rel in sorted(jk.files) if rel.endswith(".html") and rel not in collided
             and _read(jk, rel).startswith(b"<h1>")]
    assert any(_read(jk, rel).count(b"<li>") > _paginate(case) for rel in pages)
    differing = [rel for rel in pages if _read(bk, rel) != _read(jk, rel)]
    assert differing == [], differing[:5]


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
@pytest.mark.parametrize("parser", ["feedparser", "lxml"])
def test_feed_head(plugin_runner: H.DiffRunner, case: Case, parser: str) -> None:
    jk, bk = plugin_runner.pair(case)
    head = _fp_head if parser == "feedparser" else _lx_head
    rel = _feed_rel(case)
    assert head(_read(bk, rel)) == head(_read(jk, rel))


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
@pytest.mark.parametrize("parser", ["feedparser", "lxml"])
@pytest.mark.parametrize("field", ["count", "id", "link", "published", "updated", "title",
                                   "terms"])
def test_feed_entries(plugin_runner: H.DiffRunner, case: Case, parser: str, field: str) -> None:
    jk, bk = plugin_runner.pair(case)
    entries = _fp_entries if parser == "feedparser" else _lx_entries
    rel = _feed_rel(case)
    want, got = entries(_read(jk, rel)), entries(_read(bk, rel))
    if field == "count":
        assert len(got) == len(want)
        return
    w, g = [e[field] for e in want], [e[field] for e in got]
    assert g == w, _first_diff(w, g)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_feed_summaries(plugin_runner: H.DiffRunner, case: Case) -> None:
    jk, bk = plugin_runner.pair(case)
    rel = _feed_rel(case)
    w = [H.excerpt_text(e["summary"]) for e in _fp_entries(_read(jk, rel))]
    g = [H.excerpt_text(e["summary"]) for e in _fp_entries(_read(bk, rel))]
    assert g == w, _first_diff(w, g)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
@pytest.mark.parametrize("part", ["loc", "lastmod"])
def test_sitemap(plugin_runner: H.DiffRunner, case: Case, part: str) -> None:
    jk, bk = plugin_runner.pair(case)
    want, got = _sitemap(_read(jk, "sitemap.xml")), _sitemap(_read(bk, "sitemap.xml"))
    extra = _extra_locs([loc or "" for loc, _ in want], _archive_extras(jk, case))
    want = sorted(want + [(loc, None) for loc in extra], key=lambda p: (p[0] or "", p[1] or ""))
    if part == "loc":
        w, g = [loc for loc, _ in want], sorted(loc for loc, _ in got)
        assert g == w, H.first_set_difference("jekyll", set(w), "blogkit", set(g)) \
            + f"\ncounts: jekyll={len(w)} blogkit={len(g)}"
    else:
        assert got == want, _first_diff(want, got)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_robots(plugin_runner: H.DiffRunner, case: Case) -> None:
    jk, bk = plugin_runner.pair(case)
    assert _read(bk, "robots.txt").decode().strip() == _read(jk, "robots.txt").decode().strip()


def test_category_and_tag_feeds_select_what_jekyll_feed_selects(plugin_runner: H.DiffRunner) -> None:
    """`feed: {categories: [...], tags: true}`: every extra feed Jekyll writes, with the same
    entries (ids and titles, in order)."""
    case = next(c for c in CASES if c.name == "plugins-feed-options")
    jk, bk = plugin_runner.pair(case)
    feeds = sorted(rel for rel in jk.files if rel.startswith("feed/") and rel.endswith(".xml"))
    assert any(rel.startswith("feed/by_tag/") for rel in feeds) and len(feeds) >= 4, feeds
    for rel in feeds:
        want = [(e["id"], e["title"]) for e in _lx_entries(_read(jk, rel))]
        got = [(e["id"], e["title"]) for e in _lx_entries(_read(bk, rel))]
        assert got == want, f"{rel}: {_first_diff(want, got)}"
