"""urls: spec §5, §7, §9.1, §11 tables; edge cases from `jekyll build` / Addressable 2.8.1."""
from __future__ import annotations

from datetime import datetime
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

import pytest

from blogkit.dates import filename_date, parse_date
from blogkit.urls import (STYLES, absolute_url, document_id, escape_path, expand_template,
                          normalize_uri, page_url, permalink_template, post_url_values,
                          relative_url, sanitize_url, url_to_relpath)

UTC = ZoneInfo("UTC")


def post_url(template: str, date: datetime, slug: str, categories: list[str],
             basename: str | None = None, ext: str = ".html") -> str:
    basename = basename or f"{date:%Y-%m-%d}-{slug}"
    values = post_url_values(date, slug, categories, basename, ext, basename)
    return expand_template(permalink_template(template), values)


def test_styles() -> None:
    assert STYLES["date"] == "/:categories/:year/:month/:day/:title:output_ext"
    assert permalink_template("pretty") == "/:categories/:year/:month/:day/:title/"
    assert permalink_template("/:year/:title/") == "/:year/:title/"


def test_placeholders_table_5_2() -> None:
    v = post_url_values(datetime(2024, 2, 29, 7, 8, 9, tzinfo=UTC), "Hello-World", [],
                        "2024-03-13-placeholders", ".html", "2024-03-13-placeholders")
    assert (v["year"], v["month"], v["day"], v["i_month"], v["i_day"]) == ("2024", "02", "29", "2", "29")
    assert (v["short_year"], v["short_month"], v["long_month"]) == ("24", "Feb", "February")
    assert (v["hour"], v["minute"], v["second"], v["y_day"]) == ("07", "08", "09", "060")
    assert (v["title"], v["name"], v["categories"]) == ("Hello-World", "2024-03-13-placeholders", "")
    assert (v["collection"], v["output_ext"]) == ("posts", ".html")
    end = post_url_values(datetime(2024, 12, 30, tzinfo=UTC), "x", [], "b", ".html", "b")
    assert (end["week"], end["w_year"], end["year"], end["w_day"]) == ("01", "2025", "2024", "1")
    assert post_url_values(datetime(2024, 12, 31, tzinfo=UTC), "x", [], "b", "", "b")["y_day"] == "366"
    sunday = post_url_values(datetime(2021, 1, 3, tzinfo=UTC), "x", [], "b", "", "b")
    assert (sunday["short_day"], sunday["long_day"], sunday["week"]) == ("Sun", "Sunday", "53")
    s = post_url_values(datetime(2024, 1, 1, tzinfo=UTC), "Custom Slug Here", ["Foo Bar", "ＡＩ"], "b", "", "b")
    assert (s["title"], s["slug"]) == ("Custom-Slug-Here", "custom-slug-here")
    assert s["slugified_categories"] == "foo-bar/ａｉ"
    assert post_url_values(datetime(2024, 1, 1, tzinfo=UTC), "v1.2.3-release", [], "b", "", "b")["title"] == "v1.2.3-release"


@pytest.mark.parametrize(("cats", "expected"), [
    (["業界別AI活用"], "業界別ai活用"), (["Foo", "foo", "FOO"], "foo"),
    (["Machine Learning"], "machine learning"), (["Zeta", "Alpha", "Solo"], "zeta/alpha/solo"),
    (["guides", "advanced", "Guides", "Extra"], "guides/advanced/extra"), (["ＡＩニュース"], "ａｉニュース"),
])
def test_categories_5_3(cats: list[str], expected: str) -> None:
    v = post_url_values(datetime(2024, 1, 1, tzinfo=UTC), "x", cats, "b", "", "b")
    assert v["categories"] == expected


def test_urls_table_5_4() -> None:
    d = filename_date("2025-09-29", UTC)
    url = post_url("date", d, "nvidia-ceo-3-trillion", ["業界別AI活用"])
    assert url == ("/%E6%A5%AD%E7%95%8C%E5%88%A5ai%E6%B4%BB%E7%94%A8/2025/09/29/"
                   "nvidia-ceo-3-trillion.html")
    assert url_to_relpath(url, ".html") == PurePosixPath("業界別ai活用/2025/09/29/nvidia-ceo-3-trillion.html")
    url = post_url("pretty", filename_date("2024-03-10", UTC), "dst-day", [])
    assert url == "/2024/03/10/dst-day/"
    assert url_to_relpath(url, ".html") == PurePosixPath("2024/03/10/dst-day/index.html")
    url = post_url("/:categories/:year/:i_month/:i_day/:title", filename_date("2024-01-05", UTC), "Hello-World", [])
    assert url == "/2024/1/5/Hello-World"
    assert url_to_relpath(url, ".html") == PurePosixPath("2024/1/5/Hello-World.html")
    assert post_url("none", filename_date("2024-01-10", UTC), "first-post", ["General"]) == "/general/first-post.html"
    assert post_url("none", filename_date("2024-01-16", UTC), "plain-notes", [], ext=".txt") == "/plain-notes.txt"
    assert post_url("ordinal", filename_date("2024-02-29", UTC), "leap-day", ["News"]) == "/news/2024/060/leap-day.html"
    assert post_url("weekdate", filename_date("2024-12-30", UTC), "iso-week", ["Weekly"]) == "/weekly/2024/W01/Mon/iso-week.html"
    assert post_url("date", filename_date("2025-10-10", UTC), "english title", ["english"]) == "/english/2025/10/10/english-title.html"
    d = parse_date("2025-11-03 08:00:00 +0900", UTC)
    url = post_url("date", d, "生成AIと日本企業", ["業界分析"])
    assert url == ("/%E6%A5%AD%E7%95%8C%E5%88%86%E6%9E%90/2025/11/02/"
                   "%E7%94%9F%E6%88%90AI%E3%81%A8%E6%97%A5%E6%9C%AC%E4%BC%81%E6%A5%AD.html")
    assert url_to_relpath(url, ".html") == PurePosixPath("業界分析/2025/11/02/生成AIと日本企業.html")
    url = post_url("/lang/:year/:i_month/:i_day/:title:output_ext", filename_date("2024-02-03", UTC), "c++ & rust!", [])
    assert url_to_relpath(url, ".html") == PurePosixPath("lang/2024/2/3/c++-&-rust!.html")
    url = post_url("date", filename_date("2024-01-01", UTC), "x", ["Machine Learning"])
    assert url == "/machine%20learning/2024/01/01/x.html"
    assert url_to_relpath(url, ".html") == PurePosixPath("machine learning/2024/01/01/x.html")


def test_timezone_url_parts_3_3() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    d = parse_date("2024-01-31 20:00:00 +0000", tokyo)
    assert post_url("/:year/:i_month/:i_day/:title/", d, "t", []) == "/2024/2/1/t/"


def test_per_post_permalink_5_5() -> None:
    d = filename_date("2024-05-01", UTC)
    v = post_url_values(d, "templated-permalink", [], "2024-05-01-templated-permalink", ".html", "x")
    assert expand_template("/notes/:year/:title.html", v) == "/notes/2024/templated-permalink.html"
    assert url_to_relpath(expand_template("/about-the-blog/", v), ".html") == PurePosixPath("about-the-blog/index.html")
    # a style name in front matter is literal
    assert expand_template("pretty", v) == "/pretty"


def test_template_rules() -> None:
    v = post_url_values(datetime(2024, 2, 29, tzinfo=UTC), "x", [], "b", ".html", "b")
    assert expand_template("/:month_:day/", v) == "/02_29/"
    with pytest.raises(ValueError, match=":bogus"):
        expand_template("/:bogus/:title", v)
    assert sanitize_url("a/../b/./c//d") == "/a/b/c/d"


@pytest.mark.parametrize(("value", "expected"), [
    ("machine learning", "machine%20learning"), ("c++-&-rust!", "c++-&-rust!"),
    ("生成AI", "%E7%94%9F%E6%88%90AI"), ("%", "%25"), ("a-b.c/d", "a-b.c/d"), ("", ""),
    # ruby -rjekyll -e 'Jekyll::URL.escape_path(...)'
    ("a b?c d#e f#g[h]", "a%20b?c%20d%23e%20f%23g%5Bh%5D"), ("a:b c", "a:b%20c"),
    ("x?y#z?w", "x?y%23z?w"), ("%41", "%2541"), ("{}|\\^`<>\"", "%7B%7D%7C%5C%5E%60%3C%3E%22"),
])
def test_escape_path_7_1(value: str, expected: str) -> None:
    assert escape_path(value) == expected


@pytest.mark.parametrize("bad", [
    "/a/%2E%2E/%2E%2E/etc/passwd", "/../x", "/a/..", "/x%00y", "/a\\b", "/a%5C..%5Cb",
    "/C:/Windows/x", "/con", "/a/NUL.txt", "/lpt1/x.html", "/%FF%FE",
])
def test_url_to_relpath_refuses_escapes(bad: str) -> None:
    with pytest.raises(ValueError):
        url_to_relpath(bad, ".html")


def test_url_to_relpath_extension_rules() -> None:
    assert url_to_relpath("/feed.xml", ".xml") == PurePosixPath("feed.xml")
    assert url_to_relpath("/", ".html") == PurePosixPath("index.html")
    assert url_to_relpath("/notes.txt", ".html") == PurePosixPath("notes.txt.html")
    assert url_to_relpath("/a%2Fb", ".html") == PurePosixPath("a/b.html")


@pytest.mark.parametrize(("rel", "ext", "style", "expected"), [
    ("about.md", ".html", "date", "/about.html"), ("about.md", ".html", "pretty", "/about/"),
    ("docs/index.md", ".html", "date", "/docs/"), ("index.html", ".html", "pretty", "/"),
    ("feed.xml", ".xml", "pretty", "/feed.xml"), ("a/notes.txt", ".txt", "date", "/a/notes.txt"),
    ("about.md", ".html", "/:year/:title", "/about"), ("about.md", ".html", "/:title/", "/about/"),
    ("about.md", ".html", "/:title:output_ext", "/about.html"), ("about.md", ".html", "weekdate", "/about"),
    ("about.md", ".html", "ordinal", "/about.html"), ("会社 概要.md", ".html", "none", "/%E4%BC%9A%E7%A4%BE%20%E6%A6%82%E8%A6%81.html"),
])
def test_page_url_5_6(rel: str, ext: str, style: str, expected: str) -> None:
    assert page_url(rel, ext, style) == expected


def test_document_id_9_1_and_11() -> None:
    assert document_id("/2024/01/15/my-custom-slug.html", "My Custom Slug") == "/2024/01/15/My Custom Slug"
    assert document_id("/about-the-blog/", "fixed-permalink") == "/fixed-permalink"
    assert document_id("/english/2025/10/10/english-title.html", "english title") == "/english/2025/10/10/english title"
    feed_id = absolute_url(document_id("/%E6%8A%95%E8%B3%87%E5%88%86%E6%9E%90/2025/11/23/post2.html", "post2"),
                           "https://example.com", "")
    assert feed_id == "https://example.com/%E6%8A%95%E8%B3%87%E5%88%86%E6%9E%90/2025/11/23/post2"
    assert absolute_url(document_id("/a/b/x.html", "english title"), "http://h", "") == "http://h/a/b/english%20title"


@pytest.mark.parametrize(("path", "expected"), [
    ("/about/", "/base/about/"), ("about", "/base/about"),
    ("/カテゴリ/a b/", "/base/%E3%82%AB%E3%83%86%E3%82%B4%E3%83%AA/a%20b/"),
    # jekyll build ground truth (baseurl /base)
    ("https://x.test/a b", "https://x.test/a b"), ("/a/./b/../c/%7euser/%e3%82%ab", "/base/a/c/~user/%E3%82%AB"),
    ("", "/base"), ("/a%2Fb/%41", "/base/a%2Fb/A"), ("//host/x", "/base//host/x"),
    ("/a:b/c@d/[x]/|/^/`/<>", "/base/a:b/c@d/%5Bx%5D/%7C/%5E/%60/%3C%3E"), ("mailto:a@b.c", "mailto:a@b.c"),
    ("/x/../../y", "/y"), ("/a+b/c&d=e;f/!$'()*,/~", "/base/a+b/c&d=e;f/!$'()*,/~"),
    ("/①/㍻/ﬁ", "/base/1/%E5%B9%B3%E6%88%90/fi"), ("/%zz/%/%4", "/base/%25zz/%25/%254"),
])
def test_relative_url_7_2(path: str, expected: str) -> None:
    assert relative_url(path, "/base") == expected


def test_relative_url_baseurl_variants() -> None:
    assert relative_url("/x", "/sub/") == "/sub/x"
    assert relative_url("/x", None) == "/x"
    assert relative_url("x", "sub") == "/sub/x"
    assert relative_url(None, "/base") == ""


def test_absolute_url_7_3() -> None:
    assert absolute_url("/about/", "http://styles.test", "/base") == "http://styles.test/base/about/"
    assert absolute_url("https://other.test/x", "http://styles.test", "/base") == "https://other.test/x"
    assert absolute_url("/", "http://styles.test", "/base") == "http://styles.test/base/"
    assert absolute_url("/ａｉ/x?q=a b#f g", "http://styles.test", "/base") == "http://styles.test/base/ai/x?q=a%20b#f%20g"
    assert absolute_url("/x/", "https://example.net/", "/sub/") == "https://example.net//sub/x/"  # BUG kept
    assert absolute_url("/x", "", "/base") == "/base/x"
    nfkc = "/%EF%BD%81%EF%BD%89%E3%83%8B%E3%83%A5%E3%83%BC%E3%82%B9/2024/2/6/fullwidth"
    assert absolute_url(nfkc, "https://custom.example.com", "") == \
        "https://custom.example.com/ai%E3%83%8B%E3%83%A5%E3%83%BC%E3%82%B9/2024/2/6/fullwidth"


def test_normalize_uri_addressable() -> None:
    # ruby -raddressable/uri -e 'Addressable::URI.parse(x).normalize.to_s'
    assert normalize_uri("http://h/x?a=1%2b2&b=%2B;c") == "http://h/x?a=1%2B2&b=%2B%3Bc"
    assert normalize_uri("HTTP://Ex.COM:80/a") == "http://ex.com/a"
    assert normalize_uri("https://例え.jp/ü") == "https://xn--r8jz45g.jp/%C3%BC"
    assert normalize_uri("https://example.net//sub/x") == "https://example.net//sub/x"
