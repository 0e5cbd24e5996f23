"""seo() / feed_links() escaping and tags, related posts ranking, site.tag_cloud."""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from types import SimpleNamespace

from blogkit.generators.related import add_related, related
from blogkit.generators.tagcloud import cloud
from blogkit.render.seo import feed_links, seo

SITE = {"title": "AI & <i>Blog</i>", "url": "https://example.com", "baseurl": "", "lang": "ja",
        "features": ["feed", "tag_feeds"], "author": "編集部"}
POST = {"title": "<script>alert(1)</script> & 生成AI", "url": "/a/b.html", "id": "/a/b", "collection": "posts",
        "date": datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc), "description": "x </script><b>y</b>",
        "categories": ["業界"], "tags": ["LLM"]}


def test_seo_escapes_and_describes_a_post() -> None:
    html = str(seo(POST, SITE))
    assert "<script>alert" not in html and "<b>" not in html
    # as jekyll-seo-tag: a <script> block is stripped with its content; `lang` is the locale as is
    assert "<title>&amp; 生成AI | AI &amp; Blog</title>" in html
    assert '<meta property="og:locale" content="ja" />' in html
    assert '<link rel="canonical" href="https://example.com/a/b.html" />' in html
    assert '<meta property="og:type" content="article" />' in html
    assert '<meta property="article:published_time" content="2025-01-02T03:04:05+00:00" />' in html
    script = re.search(r'<script type="application/ld\+json">\n(.*?)</script>', html, re.S).group(1)
    assert "</" not in script
    ld = json.loads(script)
    assert ld["@type"] == "BlogPosting" and ld["author"] == {"@type": "Person", "name": "編集部"}
    assert ld["datePublished"] == "2025-01-02T03:04:05+00:00"


def test_seo_home_page_and_paginator() -> None:
    html = str(seo({"url": "/", "title": None}, dict(SITE, description="D"), {"page": 2, "total_pages": 4}))
    assert "<title>Page 2 of 4 for AI &amp; Blog | D</title>" in html
    assert '"@type":"WebSite"' in html and 'content="website"' in html


def test_feed_links() -> None:
    html = str(feed_links(POST, SITE))
    assert 'href="/feed.xml"' in html
    assert 'href="/feed/categories/%E6%A5%AD%E7%95%8C.xml"' in html and 'href="/feed/tags/llm.xml"' in html
    assert str(feed_links(POST, dict(SITE, features=[]))) == ""


def v(url: str, day: int, tags: list[str], cats: list[str]) -> dict:
    return {"url": url, "date": datetime(2025, 1, day, tzinfo=timezone.utc), "tags": tags, "categories": cats}


def test_related_ranking_is_deterministic() -> None:
    posts = [v("/e", 5, ["a"], []), v("/d", 4, [], ["c"]), v("/c", 3, ["a", "b"], []),
             v("/b", 3, ["a"], []), v("/a", 1, ["a", "b"], ["c"]), v("/z", 2, ["q"], [])]
    table = related(posts)
    # /a: /d (cat x2) and /c (2 tags) tie at 2 -> date desc; then /e, /b (1 tag) by date then url
    assert [p["url"] for p in table["/a"]] == ["/d", "/c", "/e", "/b"]
    assert table["/z"] == []
    assert [p["url"] for p in related(posts, limit=2)["/a"]] == ["/d", "/c"]


def _related_ctx(views: list[dict], basis: str) -> SimpleNamespace:
    config = SimpleNamespace(has=lambda name: name == "related_posts")
    return SimpleNamespace(config=config, post_views=views, incremental=SimpleNamespace(basis=basis))


def test_related_plan_is_reused_only_for_the_same_basis() -> None:
    # (the preview server's next build after a body edit: new views, the same basis)
    posts = [v("/a", 1, ["a"], []), v("/b", 2, ["a"], []), v("/c", 3, ["b"], [])]
    add_related(_related_ctx(posts, "basis-1"))
    again = [dict(p, related=None) for p in posts]
    again[2]["tags"] = ["a"]   # (unseen: the basis says the structure is the same)
    add_related(_related_ctx(again, "basis-1"))
    assert [r["url"] for r in again[0]["related"]] == ["/b"] and again[0]["related"][0] is again[1]
    retagged = [dict(p, related=None) for p in again]
    add_related(_related_ctx(retagged, "basis-2"))  # a retag changes the basis: planned again
    assert [r["url"] for r in retagged[0]["related"]] == ["/c", "/b"]


def test_tag_cloud_order() -> None:
    items = cloud({"b": ("1", "2"), "a": ("1", "2"), "c": ("1",)}, lambda k: f"/tag/{k}/")
    assert [(i["name"], i["count"], i["url"]) for i in items] == [("a", 2, "/tag/a/"), ("b", 2, "/tag/b/"),
                                                                   ("c", 1, "/tag/c/")]
