"""jekyll-feed 0.17.0 (spec §9.1), parsed with feedparser and lxml; tag feeds (blogkit extra)."""
from __future__ import annotations

from sitekit import build_files

from pathlib import Path

import feedparser
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from blogkit.config import load_config
from blogkit.errors import ProblemLog
from blogkit.generators.common import cdata
from blogkit.site import build

ATOM = "{http://www.w3.org/2005/Atom}"


def build_site(root: Path, files: dict[str, str]) -> Path:
    return build_files(root, files)[0]


JEKYLL = {"_config.yml": "plugins: [jekyll-feed]\nurl: https://example.com\ntitle: \"Test's Blog -- AI\"\n"
                         "lang: ja\ntime: 2025-12-01 09:00:00 +0000\nauthor: {name: 編集部, email: e@example.com}\n",
          "_posts/2025-03-01-english title.md": "---\ntitle: English title\ncategories: [English]\n---\nOne ]]> two\n",
          "_posts/2025-03-05-slugged.md": "---\ntitle: \"R&D <b>Lab</b> 研究所\"\nslug: Custom Slug Here\n"
                                          "category: Solo\ncategories: [Zeta]\ntags: [AI]\n---\nx\n",
          "_posts/2025-03-10-fixed.md": "---\ntitle: Fixed\npermalink: /about-the-blog/\ndescription: D\n---\nx\n"}


def test_feed_ids_links_titles(tmp_path: Path) -> None:
    raw = (build_site(tmp_path, JEKYLL) / "feed.xml").read_bytes()
    feed = feedparser.parse(raw)
    assert not feed.bozo
    assert feed.feed.title == "Test’s Blog – AI"
    assert feed.feed.id == "https://example.com/feed.xml"
    ids = [e.id for e in feed.entries]
    links = [e.link for e in feed.entries]
    assert ids == ["https://example.com/fixed", "https://example.com/zeta/solo/2025/03/05/Custom%20Slug%20Here",
                   "https://example.com/english/2025/03/01/english%20title"]
    assert links == ["https://example.com/about-the-blog/", "https://example.com/zeta/solo/2025/03/05/Custom-Slug-Here.html",
                     "https://example.com/english/2025/03/01/english-title.html"]
    root = etree.fromstring(raw)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "ja"
    entries = root.findall(ATOM + "entry")
    assert entries[1].findtext(ATOM + "title") == "R&amp;D Lab 研究所"   # double-escaped, as Jekyll
    assert [c.get("term") for c in entries[1].findall(ATOM + "category")] == ["Solo", "AI"]
    assert entries[0].findtext(ATOM + "summary") == "D"
    assert entries[0].find(ATOM + "author").findtext(ATOM + "name") == "編集部"


def test_cdata_split() -> None:
    text = "a]]>b]]>"
    parsed = etree.fromstring(f"<x>{cdata(text)}</x>".encode())
    assert parsed.text == text


def test_posts_limit_path_and_occupied(tmp_path: Path) -> None:
    files = {"_config.yml": "plugins: [jekyll-feed]\nfeed: {path: atom.xml, posts_limit: 2}\n"}
    for d in range(1, 5):
        files[f"_posts/2025-01-0{d}-p{d}.md"] = f"---\ntitle: P{d}\n---\nx\n"
    out = build_site(tmp_path / "a", files)
    assert not (out / "feed.xml").exists()
    assert [e.title for e in feedparser.parse((out / "atom.xml").read_bytes()).entries] == ["P4", "P3"]
    files["atom.xml"] = "mine"   # a static file at the feed's path wins
    out = build_site(tmp_path / "b", files)
    assert (out / "atom.xml").read_text() == "mine"


def test_tag_feeds_blogkit_site(tmp_path: Path) -> None:
    files = {"site.yml": "title: T\nurl: https://b.example\ntime: 2025-12-01\n",
             "content/_posts/2025-01-01-a.md": "---\ntitle: A\ncategories: [業界別AI活用]\ntags: [LLM, 生成AI]\n---\nx\n",
             "content/_posts/2025-01-02-b.md": "---\ntitle: B\ntags: [llm]\n---\nx\n"}
    out = build_site(tmp_path, files)
    cat = feedparser.parse((out / "feed/categories/業界別ai活用.xml").read_bytes())
    assert [e.title for e in cat.entries] == ["A"] and cat.feed.title == "T | 業界別AI活用"
    llm = feedparser.parse((out / "feed/tags/llm.xml").read_bytes())
    assert [e.title for e in llm.entries] == ["B", "A"]   # LLM/llm share one feed
    assert (out / "feed/tags/生成ai.xml").is_file()


@given(st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=0, max_size=12), st.data())
@settings(max_examples=300, deadline=None)
def test_one_sort_orders_every_feed_as_its_own_sort_would(days: list[int | None], data: st.DataObject) -> None:
    # Few distinct dates and missing ones: ties are where a stable sort shows its order.
    from datetime import datetime, timezone

    from blogkit.generators.feed import feed_order, orderer
    posts = [{"url": f"/p{i}/", **({} if d is None else {"date": datetime(2025, 1, 1 + d, tzinfo=timezone.utc)})}
             for i, d in enumerate(days)]
    picks = data.draw(st.lists(st.booleans(), min_size=len(posts), max_size=len(posts)))
    feed = tuple(p for p, keep in zip(posts, picks) if keep)
    assert orderer(posts)(feed) == feed_order(feed)
