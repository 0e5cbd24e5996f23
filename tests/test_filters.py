"""filters: spec §10.1 outputs (baseurl /base, url http://styles.test, UTC) and the
outputs of a probe page built with `jekyll build` 4.3.1 (same config)."""
from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from markupsafe import Markup

from blogkit.filters import FilterContext, make_filters

UTC = ZoneInfo("UTC")


def fake_markdownify(text: str) -> str:
    return f"<p>{text}</p>\n"


def fake_smartify(text: str) -> str:
    return text.replace("&", "&amp;").replace("'", "\u2019")


F = make_filters(FilterContext("/base", "http://styles.test", UTC, fake_markdownify, fake_smartify))
ITEMS = [
    {"name": "x", "n": 2, "tags": ["a", "b"], "draft": False},
    {"name": "y", "n": 10, "tags": ["b"], "draft": True},
    {"name": "z", "tags": [], "draft": False},
    {"name": "w", "n": 1, "tags": "a", "draft": False},
]


def names(items: list) -> str:
    return ",".join(i["name"] for i in items)


def test_url_filters() -> None:
    assert F["relative_url"]("/about/") == "/base/about/"
    assert F["relative_url"]("about") == "/base/about"
    assert F["absolute_url"]("/about/") == "http://styles.test/base/about/"
    assert F["absolute_url"]("https://x.test/a") == "https://x.test/a"
    assert F["relative_url"](None) is None

    @dataclass(frozen=True)
    class Doc:
        url: str
    assert F["absolute_url"](Doc("/p/x.html")) == "http://styles.test/base/p/x.html"


def test_date_filters() -> None:
    s = "2024-03-01 09:05:00 +0900"
    assert F["date_to_xmlschema"](s) == "2024-03-01T00:05:00+00:00"
    assert F["date_to_rfc822"](s) == "Fri, 01 Mar 2024 00:05:00 +0000"
    assert F["date_to_string"](s) == "01 Mar 2024"
    assert F["date_to_string"](s, "ordinal", "US") == "Mar 1st, 2024"
    assert F["date_to_long_string"](s) == "01 March 2024"
    assert F["date_to_long_string"](s, "ordinal") == "1st March 2024"
    assert F["date_to_string"](None) == ""
    with pytest.raises(ValueError, match="Invalid Date"):
        F["date_to_string"]("garbage")
    # probe page
    assert F["date_to_xmlschema"]("2024-03-09T23:30:00Z") == "2024-03-09T23:30:00+00:00"
    assert F["date_to_rfc822"]("2024-03-08") == "Fri, 08 Mar 2024 00:00:00 +0000"
    assert F["date_to_xmlschema"](datetime(2024, 3, 1, 9, 5, tzinfo=ZoneInfo("Asia/Tokyo"))) == "2024-03-01T00:05:00+00:00"


def test_liquid_date_filter() -> None:
    # Liquid keeps an explicit offset of a string (jekyll build printed +0900 on a UTC site)
    assert F["date"]("2024-03-01 09:05:00 +0900", "%Y-%m-%d %H:%M %z %Z") == "2024-03-01 09:05 +0900 "
    assert F["date"]("1709251500", "%F %T") == "2024-03-01 00:05:00"
    assert F["date"](1709251500, "%F %T") == "2024-03-01 00:05:00"
    assert F["date"]("", "%Y") == ""
    assert F["date"]("garbage", "%Y") == "garbage"
    assert F["date"]("2024-03-01", "") == "2024-03-01"
    assert F["date"]("now", "%Y") == str(datetime.now(UTC).year)
    tokyo = make_filters(FilterContext("", "", ZoneInfo("Asia/Tokyo"), fake_markdownify, fake_smartify))
    assert tokyo["date"](datetime(2024, 1, 31, 20, tzinfo=UTC), "%-m/%-d %:z") == "2/1 +09:00"


def test_escaping_filters() -> None:
    out = F["xml_escape"]('<a href="x">R&D\'s</a>')
    assert out == "&lt;a href=&quot;x&quot;&gt;R&amp;D&apos;s&lt;/a&gt;" and isinstance(out, Markup)
    assert F["xml_escape"](None) == ""
    assert F["cgi_escape"]("a b&c/é?") == "a+b%26c%2F%C3%A9%3F"
    assert F["cgi_escape"]("~*'()!") == "~%2A%27%28%29%21"
    assert F["uri_escape"]("/a b/é?q=1#frag[x]") == "/a%20b/%C3%A9?q=1#frag[x]"
    assert F["uri_escape"]("a%20b |^`<>") == "a%20b%20%7C%5E%60%3C%3E"


def test_text_filters() -> None:
    assert F["slugify"]("The _config.yml file?", "pretty") == "the-_config.yml-file"
    assert F["slugify"]("  --Hello--  World--  ") == "hello-world"
    md = F["markdownify"]("Hello *world*")
    assert md == "<p>Hello *world*</p>\n" and isinstance(md, Markup)
    assert isinstance(F["smartify"]("R&D"), Markup) and F["smartify"]("R&D") == "R&amp;D"
    text = "AIインフラ融資拡大 with GPUs"
    assert (F["number_of_words"](text), F["number_of_words"](text, "cjk"), F["number_of_words"](text, "auto")) == (3, 11, 11)
    assert F["number_of_words"]("plain latin words here", "auto") == 4
    assert F["number_of_words"]("한국어 텍스트, 中文。", "cjk") == 10
    assert F["number_of_words"]("") == 0
    assert F["number_of_words"]("データー", "cjk") == 4  # 'ー' is not CJK script: 3 kana + 1 run
    assert F["normalize_whitespace"]("  a \n\t b  ") == "a b"
    assert F["strip_index"]("/foo/index.html") == "/foo/" and F["strip_index"]("/foo/index.htm") == "/foo/"
    assert F["strip_html"]("<p>a<b>b</b></p>") == "ab"
    assert F["strip_html"]("a<script>x</script>b<!-- c -->d") == "abd"


def test_jsonify() -> None:
    out = F["jsonify"]("<a>&\"é'")
    assert isinstance(out, Markup)
    assert out == '"\\u003ca\\u003e\\u0026\\"é\\u0027"'
    import json
    assert json.loads(out) == "<a>&\"é'"  # same value Jekyll prints as "<a>&\"é'"
    assert F["jsonify"](ITEMS) == ('[{"name":"x","n":2,"tags":["a","b"],"draft":false},'
                                   '{"name":"y","n":10,"tags":["b"],"draft":true},'
                                   '{"name":"z","tags":[],"draft":false},'
                                   '{"name":"w","n":1,"tags":"a","draft":false}]')
    assert (F["jsonify"](1.5), F["jsonify"](None), F["jsonify"](True)) == ("1.5", "null", "true")


def test_where_and_find() -> None:
    assert names(F["where"](ITEMS, "tags", "a")) == "x,w"
    assert names(F["where"](ITEMS, "n", 2)) == "x"
    assert names(F["where"](ITEMS, "n", "2")) == "x"
    assert names(F["where"](ITEMS, "draft", False)) == "x,z,w"
    assert names(F["where"](ITEMS, "draft", "false")) == "x,z,w"
    assert names(F["where"]([{"name": "p", "categories": ["News"]}], "categories", "news")) == ""
    assert F["find"](ITEMS, "name", "w") == ITEMS[3]
    assert F["find"](ITEMS, "name", "nope") is None

    @dataclass(frozen=True)
    class Post:
        name: str
        tags: tuple[str, ...]
    posts = [Post("o1", ("a",)), Post("o2", ())]
    assert [p.name for p in F["where"](posts, "tags", "a")] == ["o1"]
    assert [p.name for p in F["where_exp"](posts, "p", "p.tags contains 'a'")] == ["o1"]


def test_where_exp_family() -> None:
    assert names(F["where_exp"](ITEMS, "p", "p.tags contains 'a' and p.draft == false")) == "x,w"
    assert names(F["where_exp"](ITEMS, "p", "p.n > 1")) == "x,y"
    assert names(F["where_exp"](ITEMS, "p", "p.n >= 1 or p.name == 'z'")) == "x,y,z,w"
    assert F["find_exp"](ITEMS, "p", "p.draft")["name"] == "y"
    assert names(F["where_exp"](ITEMS, "p", "p.n == nil")) == "z"
    # right-to-left: x or (y and n)
    assert names(F["where_exp"](ITEMS, "p", "p.name contains 'x' or p.name == 'y' and p.n")) == "x,y"
    assert names(F["where_exp"](ITEMS, "p", "p.tags == empty")) == "z"
    assert names(F["where_exp"](ITEMS, "p", "p.tags.size == 1")) == "y,w"
    with pytest.raises(ValueError, match="comparison"):
        F["where_exp"]([{"n": "10"}], "p", "p.n > 1")
    with pytest.raises(ValueError):
        F["where_exp"](ITEMS, "p", "p.n ==")
    with pytest.raises(ValueError):
        F["where_exp"](ITEMS, "p", "__import__('os')")


def test_grouping() -> None:
    groups = F["group_by"](ITEMS, "draft")
    assert [(g["name"], names(g["items"]), g["size"]) for g in groups] == [("false", "x,z,w", 3), ("true", "y", 1)]
    assert [g["name"] for g in F["group_by_exp"](ITEMS, "p", "p.tags.size")] == [2, 1, 0]
    posts = [{"date": datetime(2024, 5, 1, tzinfo=UTC)}, {"date": datetime(2023, 1, 1, tzinfo=UTC)}]
    assert [g["name"] for g in F["group_by_exp"](posts, "post", "post.date | date: '%Y'")] == ["2024", "2023"]


def test_sort() -> None:
    assert F["sort"](["c", "a", "B", "10", "9"]) == ["10", "9", "B", "a", "c"]
    assert names(F["sort"](ITEMS, "n")) == "z,w,x,y"
    assert names(F["sort"](ITEMS, "n", "last")) == "w,x,y,z"
    assert [i["v"] for i in F["sort"]([{"v": "10"}, {"v": "9"}, {"v": "1.5"}], "v")] == ["1.5", "9", "10"]
    with pytest.raises(ValueError):
        F["sort"](None)


def test_array_filters() -> None:
    arr = ["c", "a", "B", "10", "9"]
    assert F["array_to_sentence_string"](arr) == "c, a, B, 10, and 9"
    assert F["array_to_sentence_string"](["a", "b", "c"], "or") == "a, b, or c"
    assert F["array_to_sentence_string"](["solo"]) == "solo"
    assert F["array_to_sentence_string"](["a", "b"]) == "a and b"
    assert F["push"](arr, "z") == arr + ["z"] and len(arr) == 5
    assert F["pop"](arr) == ["c", "a", "B", "10"] and F["pop"](arr, 2) == ["c", "a", "B"]
    assert F["shift"](arr) == ["a", "B", "10", "9"]
    assert F["unshift"](arr, "q") == ["q"] + arr
    assert (F["to_integer"]("12abc"), F["to_integer"](3.7), F["to_integer"](True)) == (12, 3, 1)
    assert F["inspect"](ITEMS[0]) == html.escape('{"name"=>"x", "n"=>2, "tags"=>["a", "b"], "draft"=>false}').replace("&#x27;", "&apos;")
    assert (F["inspect"]("x"), F["inspect"](None)) == ("&quot;x&quot;", "nil")
    assert F["sample"](arr) in arr
    picked = F["sample"](arr, 3)
    assert len(picked) == 3 and set(picked) <= set(arr)
