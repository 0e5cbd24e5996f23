"""No script injection: HTML in titles, tags, categories, excerpts, descriptions and config strings
comes out escaped in every page, feed, sitemap, search record and JSON-LD block of the default theme.

Input: a blogkit site whose every text field carries ``<script>``, ``"><img onerror>``, ``]]>``
and ``</script>``. Output: the built site, parsed: no element or attribute the payload could
have created, every XML file well-formed with the payload as text, every JSON-LD block parseable
with the payload as its value.
"""
from __future__ import annotations

import json
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from blogkit.search.records import SearchOptions, records_from_views
from sitebuild import build_site

PAYLOAD = 'X<script>alert(1)</script>"><img src=x onerror=alert(2)>]]></script><!--'


def yaml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # JSON strings are YAML strings


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("xss")
    site = root / "site"
    posts = site / "content" / "_posts"
    posts.mkdir(parents=True)
    p = yaml_str(PAYLOAD)
    (site / "site.yml").write_text(
        f"title: {p}\ndescription: {p}\nurl: http://127.0.0.1:4000\nauthor:\n  name: {p}\n"
        f"nav:\n  - title: {p}\n    url: /\ntag_feeds: true\ntag_cloud: true\nrelated_posts: true\n",
        encoding="utf-8")
    for i in range(2):
        (posts / f"2024-01-0{i + 1}-post{i}.md").write_text(
            f"---\nlayout: post\ntitle: {p}\ndescription: {p}\nexcerpt: {p}\ntags: [{p}, plain]\n"
            f"categories: [{p}]\nimage: {yaml_str('/x.png?a=' + PAYLOAD)}\n---\nBody {i} &lt;ok&gt;\n",
            encoding="utf-8")
    (site / "content" / "about.md").write_text(f"---\nlayout: page\ntitle: {p}\ndescription: {p}\n---\nabout\n",
                                               encoding="utf-8")
    (site / "content" / "index.md").write_text("---\nlayout: home\n---\n", encoding="utf-8")
    (site / "content" / "archive.md").write_text(f"---\nlayout: archive\ntitle: {p}\n---\n", encoding="utf-8")
    dest = root / "out"
    build_site(site, dest)
    return dest


def test_html_pages_have_no_injected_markup(built: Path) -> None:
    pages = sorted(built.rglob("*.html"))
    assert len(pages) >= 5
    for page in pages:
        raw = page.read_bytes()
        assert b"<script>alert" not in raw and b"<img src=x" not in raw, page
        tree = lxml.html.fromstring(raw)
        assert not tree.xpath("//img[@onerror]"), page
        assert not [a for el in tree.iter() if isinstance(el.tag, str) for a in el.attrib if a.startswith("on")], page
        for script in tree.xpath("//script"):
            text = script.text or ""
            assert "alert(" not in text or script.get("type") == "application/ld+json", page
        if page.name.startswith("post"):
            assert "alert(1)" in tree.text_content()  # the payload is shown, as text


def test_json_ld_blocks_parse_and_keep_the_payload_as_data(built: Path) -> None:
    seen = 0
    for page in sorted(built.rglob("*.html")):
        tree = lxml.html.fromstring(page.read_bytes())
        for script in tree.xpath('//script[@type="application/ld+json"]'):
            text = script.text or ""
            assert "</script" not in text.lower() and "<!--" not in text, page
            flat = json.dumps(json.loads(text), ensure_ascii=False)
            assert "<script" not in flat and "<img" not in flat  # markup stripped, as jekyll-seo-tag does
            seen += flat.count("alert(1)")
    assert seen >= 2  # the payload's text reached JSON-LD (headline, author...) as data


@pytest.mark.parametrize("pattern", ["feed.xml", "sitemap.xml", "**/*.xml"])
def test_xml_files_are_well_formed_with_the_payload_as_text(built: Path, pattern: str) -> None:
    files = sorted(built.glob(pattern))
    assert files
    for xml in files:
        tree = lxml.etree.fromstring(xml.read_bytes())  # raises on a broken ]]> or stray markup
        for el in tree.iter():
            assert not (isinstance(el.tag, str) and el.tag.rsplit("}", 1)[-1] in ("script", "img")), xml
    feed = lxml.etree.fromstring((built / "feed.xml").read_bytes())
    texts = [t for t in feed.itertext()]
    assert any(PAYLOAD in t for t in texts)
    # HTML carried in the feed's content (escaped or CDATA) must itself be escaped HTML
    for node in feed.iter("{*}summary", "{*}content", "{*}title"):
        fragment = node.text or ""
        if node.get("type") == "html" and fragment:
            assert "<script>alert" not in fragment and "<img src=x" not in fragment


def test_search_records_escape_every_field() -> None:
    view = {"title": PAYLOAD, "url": "/x/", "excerpt": PAYLOAD, "content": "<p>body</p>",
            "categories": [PAYLOAD], "tags": [PAYLOAD], "layout": "post", "date": None, "collection": "posts"}
    records = records_from_views([view], [], SearchOptions.from_config(True, "en"), "")
    assert records
    for rec in records:
        html = rec.to_html("en\"><script>")
        tree = lxml.html.fromstring(html)
        assert not tree.xpath("//img") and len(tree.xpath("//script")) == 0
        assert tree.xpath("//h1")[0].text_content() == PAYLOAD
