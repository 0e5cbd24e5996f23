"""The default theme's HTML: structure, Japanese dates, terms, TOC, neighbours, guards for optional data."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from markupsafe import Markup

from blogkit.config import load_config
from blogkit.render.env import make_env
from blogkit.render.i18n import date_for_lang, ui_text
from blogkit.render.layouts import render_layouts
from blogkit.errors import Location
from sitebuild import EXAMPLE, build_site

JST = timezone(timedelta(hours=9))
RAG = "生成ai/2025/09/29/rag-lessons.html"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("theme") / "_site"
    build_site(EXAMPLE, dest)
    return dest


def doc(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def render(layout: str, page: dict[str, Any], site: dict[str, Any] | None = None,
           globals_: dict[str, Any] | None = None, source: Path = EXAMPLE) -> lxml.html.HtmlElement:
    """Render one layout chain with a hand-made context, for data the generators will provide."""
    config, _ = load_config(source)
    r = make_env(config, lambda s: s, lambda s: s, JST)
    r.env.globals.update(globals_ or {})
    site = {"title": "T", "lang": "ja", "features": ["archives"], "posts": [], "static_files": [], **(site or {})}
    html = render_layouts(r, layout, page.get("content", ""), {"site": site, "page": page, "paginator": None},
                          Location("test"), EXAMPLE)
    return lxml.html.fromstring(html)


def post_view(title: str, day: int, **extra: Any) -> dict[str, Any]:
    return {"title": title, "url": f"/p/{day}.html", "date": datetime(2025, 9, day, 9, tzinfo=JST),
            "categories": [], "tags": [], "toc": [], "content": "<p>x</p>", **extra}


def test_dates_follow_the_site_language() -> None:
    d = datetime(2025, 9, 29, 4, 37, tzinfo=JST)
    assert date_for_lang(d, "ja", "long", JST) == "2025年9月29日"
    assert date_for_lang(d, "ja", "month", JST) == "2025年9月"
    assert date_for_lang(d, "ja", "year", JST) == "2025年"
    assert date_for_lang(d, "en", "long", JST) == "29 September 2025"
    assert date_for_lang(d, "en-GB", "month", JST) == "September 2025"
    assert ui_text("ja-JP", "skip") == "本文へスキップ" and ui_text("fr", "skip") == "Skip to content"


def test_post_page_structure(out: Path) -> None:
    tree = doc(out / RAG)
    assert tree.get("lang") == "ja"
    body = tree.find("body")
    first_link = next(body.iter("a"))
    assert first_link.get("class") == "skip-link" and first_link.get("href") == "#main"
    assert tree.get_element_by_id("main").tag == "main"
    for tag in ("header", "nav", "main", "footer"):
        assert tree.xpath(f"//{tag}"), tag
    assert tree.xpath("string(//time[1])") == "2025年9月29日"
    assert tree.xpath("string(//time[1]/@datetime)") == "2025-09-29T09:30:00+09:00"
    assert "約3分で読めます" in tree.xpath("string(//p[@class='meta'])")
    # Term links are the jekyll-archives paths, slugified and percent-encoded.
    hrefs = tree.xpath("//ul[@class='terms']//a/@href")
    assert "/category/%E7%94%9F%E6%88%90ai/" in hrefs and "/tag/rag/" in hrefs
    # Markdown content is rendered once, not escaped by the layout chain.
    assert tree.xpath("//div[@class='prose']/table") and "&lt;p&gt;" not in (out / RAG).read_text()
    assert tree.xpath("//img/@alt")[0].startswith("文書を分割し")
    assert tree.xpath("//link[@rel='stylesheet']/@href") == ["/assets/blogkit.css"]
    assert (out / "assets" / "blogkit.css").is_file()


def test_toc_only_for_posts_with_three_headings(out: Path) -> None:
    toc = doc(out / RAG).xpath("//nav[@class='toc']//a")
    assert [a.get("href") for a in toc][:2] == ["#1-文書の分割は意味のまとまりで決める", "#2-評価用の質問集を先に作る"]
    assert len(toc) == 6
    assert not doc(out / "お知らせ/2025/06/10/hello.html").xpath("//nav[@class='toc']")


def test_previous_and_next_link_neighbours(out: Path) -> None:
    tree = doc(out / "データセンター/2025/09/15/datacenter-power.html")
    assert tree.xpath("//a[@rel='prev']/@href") == ["/research/2025/09/01/small-models.html"]
    assert tree.xpath("//a[@rel='next']/@href") == ["/%E7%94%9F%E6%88%90ai/2025/09/29/rag-lessons.html"]
    newest = doc(out / RAG)
    assert newest.xpath("//a[@rel='prev']") and not newest.xpath("//a[@rel='next']")


def test_english_post_marks_its_language(out: Path) -> None:
    tree = doc(out / "research/2025/09/01/small-models.html")
    assert tree.xpath("//article/@lang") == ["en"] and tree.get("lang") == "ja"


def test_home_lists_posts_newest_first_with_excerpts(out: Path) -> None:
    tree = doc(out / "index.html")
    titles = tree.xpath("//ol[@class='post-list']//h2/a/text()")
    # site.yml has paginate: 5 — page 1 holds the 5 newest, page 2 the remaining 3
    assert len(titles) == 5 and titles[0] == "社内文書検索にRAGを導入して分かった五つのこと"
    rest = doc(out / "page2" / "index.html").xpath("//ol[@class='post-list']//h2/a/text()")
    assert len(rest) == 3 and rest[-1] == "ブログを始めます"
    assert tree.xpath("//a[@rel='next']/@href") == ["/page2"]  # jekyll-paginate's path for /page:num
    excerpt = tree.xpath("string(//p[@class='card-excerpt'])")
    assert excerpt.startswith("三か月かけて") and "<" not in excerpt
    assert tree.xpath("count(//h1)") == 1


def test_drafts_stay_out(out: Path) -> None:
    assert "下書き" not in (out / "index.html").read_text()


def test_related_posts_render_when_present() -> None:
    page = post_view("A", 10, related=[post_view("Rel", 3)], toc=[{"level": 2, "id": "a", "text": "a"}])
    tree = render("post", page)
    assert tree.xpath("//section[@class='related']//a/@href") == ["/p/3.html"]
    assert not tree.xpath("//nav[@class='toc']")  # one heading is not enough for a TOC
    assert not render("post", post_view("B", 11)).xpath("//section[@class='related']")


def test_archive_titles_by_type() -> None:
    posts = [post_view("One", 2), post_view("Two", 1)]
    tag = render("archive", {"type": "tag", "title": "生成AI", "posts": posts})
    assert tag.xpath("string(//h1)").strip() == "タグ「生成AI」の記事"
    assert len(tag.xpath("//ol[@class='post-list']/li")) == 2
    month = render("archive", {"type": "month", "title": None, "date": datetime(2025, 9, 1, tzinfo=JST), "posts": posts})
    assert month.xpath("string(//h1)").strip() == "アーカイブ: 2025年9月"


def test_tag_cloud_weights_and_absence() -> None:
    cloud = {"categories": [{"name": "生成AI", "count": 10, "url": "/category/生成ai/"}],
             "tags": [{"name": "GPU", "count": 10, "url": "/tag/gpu/"}, {"name": "Rust", "count": 1, "url": "/tag/rust/"}]}
    tree = render("tags", {"title": None}, site={"tag_cloud": cloud})
    assert tree.xpath("//ul[@class='cloud']/li/@class") == ["w5", "w5", "w1"]
    assert tree.xpath("//nav[@class='site-nav']//a[text()='タグ']/@href") == ["/tags/"]
    empty = render("tags", {"title": None})
    assert not empty.xpath("//ul[@class='cloud']") and not empty.xpath("//a[text()='タグ']")


def test_seo_and_feed_globals_replace_the_fallback_title() -> None:
    tree = render("page", {"title": "About"}, globals_={"seo": lambda *a: Markup("<title>SEO</title>"),
                                                       "feed_links": lambda *a: Markup('<link rel="alternate" href="/feed.xml">')})
    assert tree.xpath("//title/text()") == ["SEO"]
    assert tree.xpath("//link[@rel='alternate']/@href") == ["/feed.xml"]
    plain = render("page", {"title": "About"})
    assert plain.xpath("//title/text()") == ["About | T"]


def test_jekyll_site_gets_inline_css_and_no_extra_files(tmp_path: Path) -> None:
    site = tmp_path / "src"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: J\nlang: ja\n", encoding="utf-8")
    (site / "_posts" / "2024-01-02-hi.md").write_text("---\nlayout: post\ntitle: Hi\n---\nこんにちは\n", encoding="utf-8")
    build_site(site, tmp_path / "_site")
    html = (tmp_path / "_site" / "2024" / "01" / "02" / "hi.html").read_text()
    assert "<style>" in html and "font-synthesis: none" in html
    assert not (tmp_path / "_site" / "assets").exists()
    # No archives on a plain Jekyll site: terms are not links to pages that do not exist.
    assert "/category/" not in html


def test_no_external_resources_in_theme() -> None:
    theme = Path(__file__).resolve().parent.parent / "blogkit" / "theme"
    for f in theme.rglob("*"):
        if f.is_file():
            text = f.read_text(encoding="utf-8")
            assert "http://" not in text and "https://" not in text and "@import" not in text, f
