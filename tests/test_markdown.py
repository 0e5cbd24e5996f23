"""The Markdown stage against spec §12 examples (verified with Jekyll 4.3.1) and the seeds."""
from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from blogkit.markdown import Heading, Rendered, highlight_css, make_markdown, smartify

SEEDS = sorted((Path(__file__).resolve().parents[2] / "shared" / "seeds").glob("*.txt"))  # ../shared beside the repo
NB = "\u00a0"


@pytest.fixture(scope="module")
def md():
    return make_markdown()


def html(md, text: str) -> str:
    return md.render(text).html


def ids(md, text: str) -> list[str | None]:
    return [m.group(1) if m.group(1) is not None else None
            for m in re.finditer(r'<h\d(?: id="([^"]*)")?>', html(md, text))]


@pytest.mark.parametrize("src, want", [
    ("### 投資家の方々へ：単なるGPUを超えた「エコシステム」全体を見据える",
     "投資家の方々へ単なるgpuを超えたエコシステム全体を見据える"),
    ("## AI インフラ 2024年", "ai-インフラ-2024年"),
    ("## 第1章\u3000はじめに", "第1章はじめに"),
    ("## 10. Conclusion", "10-conclusion"),
    ('## What\'s new? (v2.0) — "Part 1": A/B & C', "whats-new-v20--part-1-ab--c"),
    ("## Tabs\tand  double  spaces", "tabs-and--double--spaces"),
    ("## 🚀 Launch 🎉 Day", "-launch--day"),
    ("## Ünïcödé Ａ全角", "ünïcödé-ａ全角"),
    ("## Link [Jekyll](https://jekyllrb.com) and `code()` and *em* **strong**",
     "link-jekyll-and-code-and-em-strong"),
    ("## He said 'hi' -- and left... <<ok>>", "he-said-hi--and-left-ok"),
    ("## ![Logo](logo.png) Brand", "-brand"),
    ("## ΣΑΣ", "σασ"),
    ("## Custom {#my-id}", "my-id"),
])
def test_heading_ids(md, src: str, want: str) -> None:
    assert ids(md, src) == [want]


def test_heading_duplicates_and_empty(md) -> None:
    assert ids(md, "# Hello World\n## Hello World\n## Hello World") == \
        ["hello-world", "hello-world-1", "hello-world-2"]
    assert ids(md, "## A\n## A-1\n## A") == ["a", "a-1", "a-1"]
    assert ids(md, "## Foo {#foo}\n## Foo") == ["foo", "foo"]
    assert html(md, "## 🚀\n## ---") == '<h2>🚀</h2>\n<h2 id="-1">—</h2>\n'
    assert html(md, "## <kbd>Ctrl</kbd> key &amp; &copy; 2024") == \
        '<h2 id="ctrl-key---2024"><kbd>Ctrl</kbd> key &amp; © 2024</h2>\n'


def test_headings_record(md) -> None:
    r = md.render("# Title *one*\n\n## 第1章\n\n## 🚀")
    assert r.headings == (Heading(1, "title-one", "Title one"), Heading(2, "第1章", "第1章"),
                          Heading(2, "", "🚀"))
    assert pickle.loads(pickle.dumps(r)) == r
    assert isinstance(r, Rendered)


def test_auto_ids_option_off() -> None:
    assert make_markdown({"auto_ids": False, "unknown": 1}).render("# A").html == "<h1>A</h1>\n"


def test_atx_and_setext_edges(md) -> None:
    assert html(md, "#hashtag") == "<p>#hashtag</p>\n"
    assert html(md, "  ## x") == "<p>## x</p>\n"
    assert html(md, "## C++ & C#") == '<h2 id="c--c">C++ &amp; C#</h2>\n'
    assert html(md, "Setext One\n===") == '<h1 id="setext-one">Setext One</h1>\n'
    assert html(md, "Line1\nLine2\n---") == "<p>Line1\nLine2\n—</p>\n"


@pytest.mark.parametrize("src, want", [
    ("It's the '90s and rock 'n' roll, the dogs' bowls.",
     "It’s the ’90s and rock ‘n’ roll, the dogs’ bowls."),
    ("\"Double 'nested' quotes\" and 'single \"nested\" quotes'.",
     "“Double ‘nested’ quotes” and ‘single “nested” quotes’."),
    ("彼は\"最高\"と言った。'単一'も。", "彼は”最高”と言った。’単一’も。"),
    ("He said \"「日本語」\"and\"テスト\"ok. 「引用」'単' \"二\"",
     "He said “「日本語」”and”テスト”ok. 「引用」’単’ “二”"),
    ("(\"p\") ['q'] {'r'} -\"s\" 5'10\" tall '1990s' 'tis",
     "(“p”) [‘q’] {‘r’} -“s” 5’10” tall ‘1990s’ ‘tis"),
    ("a--b a---b ---- ----- 2020--2024 Ellipsis... . . . .... ?....",
     "a–b a—b —- —– 2020–2024 Ellipsis… . . . …. ?…."),
    ("<<a>> <<日本>> x <<< y (c) (tm) +- ->", "«a» «日本» x «&lt; y (c) (tm) +- -&gt;"),
    ("<< b >>", f"«{NB}b{NB}»"),  # checked with jekyll build: laquo_space / raquo_space
    ("\\\"x\\\" \\'x\\' \\-- \\... \\<<", "\"x\" 'x' -- ... &lt;&lt;"),
    ("---END---", "—END—"),
    ("**bold**\"x\" and *em*'s", "<strong>bold</strong>“x” and <em>em</em>’s"),
])
def test_typography(md, src: str, want: str) -> None:
    assert html(md, src) == f"<p>{want}</p>\n"


def test_typography_skips_code_and_urls(md) -> None:
    out = html(md, "`it's` [x](/a--b \"t\")")
    assert '<code class="language-plaintext highlighter-rouge">it\'s</code>' in out
    assert 'href="/a--b"' in out


def test_paragraphs_and_breaks(md) -> None:
    assert html(md, "日本語の行です。\n次の行です。") == "<p>日本語の行です。\n次の行です。</p>\n"
    assert html(md, "Two spaces  \nnext") == "<p>Two spaces<br />\nnext</p>\n"
    assert html(md, "Text line\n---END---") == "<p>Text line\n—END—</p>\n"
    assert html(md, "Para\n***") == "<p>Para\n***</p>\n"
    assert "<table>" not in html(md, "Para\n| a | b |\n|---|---|")
    assert html(md, "2024. we grew").startswith("<ol>")
    assert html(md, "**Foxconn is here and\nnothing closes it.") == \
        "<p>**Foxconn is here and\nnothing closes it.</p>\n"


def test_emphasis(md) -> None:
    assert html(md, "**「強調」**です") == "<p><strong>「強調」</strong>です</p>\n"
    assert html(md, "日本語*斜体*です") == "<p>日本語<em>斜体</em>です</p>\n"
    assert html(md, "snake_case_word 日本語__下線__です") == \
        "<p>snake_case_word 日本語__下線__です</p>\n"
    assert html(md, "__init__.py") == "<p><strong>init</strong>.py</p>\n"
    assert html(md, "**foo* x") == "<p><em>*foo</em> x</p>\n"
    assert html(md, "~~x~~ a~~b~~c ~x~") == "<p><del>x</del> a<del>b</del>c ~x~</p>\n"
    assert html(md, "\\@ \\*") == "<p>\\@ *</p>\n"


def test_math(md) -> None:
    assert html(md, "$$E = mc^2$$ and $5") == "<p>\\(E = mc^2\\) and $5</p>\n"
    assert html(md, "$$\\sum_{i=1}^n i$$") == "\\[\\sum_{i=1}^n i\\]\n"


def test_code(md) -> None:
    out = html(md, '```ruby\nputs "hi"\n```')
    assert out.startswith('<div class="language-ruby highlighter-rouge"><div class="highlight">'
                          '<pre class="highlight"><code><span class="nb">puts</span>')
    assert out.endswith('<span class="s2">"hi"</span>\n</code></pre></div></div>\n')
    assert html(md, "Para\n\n    indented <b>").endswith(
        '<div class="language-plaintext highlighter-rouge"><div class="highlight"><pre class='
        '"highlight"><code>indented &lt;b&gt;\n</code></pre></div></div>\n')
    assert html(md, "```nosuchlang\nfoo\n```") == \
        '<pre><code class="language-nosuchlang">foo\n</code></pre>\n'
    assert html(md, "```Python\nfoo\n```") == '<pre><code class="language-Python">foo\n</code></pre>\n'
    assert html(md, "Use `a < b`.") == \
        '<p>Use <code class="language-plaintext highlighter-rouge">a &lt; b</code>.</p>\n'
    assert "<pre" not in html(md, "```python\nnever closed")


def test_table(md) -> None:
    # Expected: Jekyll 4.3.1 (kramdown 2.4) on the same text, byte for byte, layout included.
    assert html(md, "| L | R |\n|:--|--:|\n| *em* |  |") == (
        '<table>\n  <thead>\n    <tr>\n      <th style="text-align: left">L</th>\n'
        '      <th style="text-align: right">R</th>\n    </tr>\n  </thead>\n  <tbody>\n    <tr>\n'
        '      <td style="text-align: left"><em>em</em></td>\n'
        f'      <td style="text-align: right">{NB}</td>\n    </tr>\n  </tbody>\n</table>\n')


def test_lists(md) -> None:
    out = html(md, "- tight a\n- tight b\n  - nested c\n- tight e\n\n* loose a\n\n* loose b\n\n"
                   "3. three\n10. ten")
    assert re.sub(r"\s+", "", out) == re.sub(r"\s+", "", (
        "<ul><li>tight a</li><li>tight b<ul><li>nested c</li></ul></li><li><p>tight e</p></li>"
        "<li><p>loose a</p></li><li>loose b</li></ul><ol><li>three</li><li>ten</li></ol>"))
    assert html(md, "- a\n- b\n\n- c").count("<p>") == 1
    assert html(md, "1) x") == "<p>1) x</p>\n"
    assert html(md, "- plain first\n- [ ] todo\n- [x] done\n- plain") == (  # Jekyll's bytes
        '<ul class="task-list">\n  <li>plain first</li>\n  <li class="task-list-item"><input '
        'type="checkbox" class="task-list-item-checkbox" disabled="disabled" />todo</li>\n'
        '  <li class="task-list-item"><input type="checkbox" class="task-list-item-checkbox" '
        'disabled="disabled" checked="checked" />done</li>\n  <li class="task-list-item">plain'
        '</li>\n</ul>\n')


def test_links_and_entities(md) -> None:
    assert html(md, "See https://example.com") == "<p>See https://example.com</p>\n"
    assert html(md, "<https://例え.jp/パス>") == \
        '<p><a href="https://例え.jp/パス">https://例え.jp/パス</a></p>\n'
    assert html(md, '[日本語リンク](/日本語/パス?q=値 "タイトル")') == \
        '<p><a href="/日本語/パス?q=値" title="タイトル">日本語リンク</a></p>\n'
    assert 'href="javascript:alert(1)"' in html(md, "[x](javascript:alert(1))")
    assert html(md, '![a *b* "c"](x.png)') == \
        '<p><img src="x.png" alt="a *b* &quot;c&quot;" /></p>\n'
    assert html(md, "&amp; &lt; &quot; &copy; &nbsp;x &#x2014; &bogus; AT&T") == \
        f'<p>&amp; &lt; " © {NB}x — &amp;bogus; AT&amp;T</p>\n'


def test_footnotes(md) -> None:
    assert html(md, "Para with footnote[^a].\n\n[^a]: Only one.") == (  # Jekyll's bytes
        '<p>Para with footnote<sup id="fnref:a" role="doc-noteref"><a href="#fn:a" '
        'class="footnote" rel="footnote">1</a></sup>.</p>\n\n<div class="footnotes" '
        'role="doc-endnotes">\n  <ol>\n    <li id="fn:a" role="doc-endnote">\n      <p>Only one.'
        f'{NB}<a href="#fnref:a" class="reversefootnote" role="doc-backlink">&#8617;</a></p>\n'
        "    </li>\n  </ol>\n</div>\n")
    out = html(md, "A[^a] B[^a]\n\n[^a]: x")
    assert 'id="fnref:a:1"' in out and "&#8617;<sup>2</sup></a>" in out


def test_smartify() -> None:
    # Expected values: Jekyll 4.3.1's `smartify` on the same strings.
    assert smartify('It\'s "quoted" -- really...') == "It’s “quoted” – really…"
    assert smartify('R&D <b>"x"</b> & AT&T &amp; <<a>> &copy;') == \
        "R&amp;D <b>“x”</b> &amp; AT&amp;T &amp; «a» ©"
    assert smartify('日本語の"二重"と"x"') == "日本語の”二重”と”x”"
    assert smartify("a < b > c") == "a &lt; b &gt; c"
    assert smartify('<a href="x">It"s</a> "q"') == '<a href="x">It”s</a> “q”'


def test_highlight_css() -> None:
    css = highlight_css("default", "monokai")
    assert ".highlight .nb" in css
    assert "@media (prefers-color-scheme: dark)" in css


@pytest.mark.skipif(not SEEDS, reason="../shared/seeds is not beside the repository")
@pytest.mark.parametrize("seed", SEEDS or [Path("missing")], ids=[p.name[:3] for p in SEEDS] or ["none"])
def test_seeds_render(md, seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    out = md.render(body).html
    assert out.startswith("<p>")
    if "**MLOps（Machine Learning Operations）やLLMOps" in body:
        assert "<strong>MLOps（Machine Learning Operations）やLLMOps（Large Language Model " \
               "Operations）</strong>のスキル" in out
    if "\n---END---" in body:
        assert "—END—" in out and "---END---" not in out


from hypothesis import given, settings, strategies as st  # noqa: E402

_PIECES = st.sampled_from(["*", "**", "_", "__", "~~", "`", "``", "[", "](", ")", "<div>",
                           "</div>", "<em>", "\n", "\n\n", "- ", "1. ", "> ", "# ", "|", "---",
                           "$$", "[^a]", "[^a]: ", "{: .c}", "{::comment}", ": ", "\"", "'",
                           "日本語", "text ", "  ", "\t", "```", "&amp;", "\\"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_render_never_raises(pieces: list[str]) -> None:
    r = make_markdown().render("".join(pieces))
    assert isinstance(r.html, str)


def test_unclosed_delimiters_stay_text(md) -> None:
    # Budgeted probing must not change the result (Jekyll: no <em>/<strong> here either).
    out = html(md, "**a *b " * 50)
    assert "<em>" not in out and "<strong>" not in out


def test_kramdown_options_as_jekyll_renders_them() -> None:
    """Expected HTML from `jekyll build` with this `kramdown:` config (run 2026-11-22)."""
    import sys
    sys.path.insert(0, str(Path(__file__).parent / "kramdown"))
    from harness import normalise

    opts = {"smart_quotes": "apos,apos,quot,quot", "auto_id_prefix": "p-",
            "toc_levels": "2..3", "hard_wrap": True}
    src = ("* TOC\n{:toc}\n\n# It's \"x\"\n## Two\n### Three\n#### Four\n\n"
           "\"a\" 'b'\nline two\n")
    want = (
        '<ul id="markdown-toc">\n  <li><a href="#p-two" id="markdown-toc-p-two">Two</a>    <ul>\n'
        '      <li><a href="#p-three" id="markdown-toc-p-three">Three</a></li>\n    </ul>\n'
        '  </li>\n</ul>\n\n<h1 id="p-its-x">It\'s "x"</h1>\n<h2 id="p-two">Two</h2>\n'
        '<h3 id="p-three">Three</h3>\n<h4 id="p-four">Four</h4>\n\n'
        "<p>\"a\" 'b'<br />\nline two</p>\n")
    assert normalise(make_markdown(opts).render(src).html) == normalise(want)


def test_template_markdownify_renders_a_short_text_once_per_build() -> None:
    """{% seo %} formats every page's title through Markdown; render_site remembers short texts
    (bounded), and renders long ones every time."""
    from blogkit.render.site import _short_texts_remembered

    calls: list[str] = []

    def render(text: str) -> str:
        calls.append(text)
        return f"<p>{text}</p>"
    markdownify = _short_texts_remembered(render, longest=10, most=3)
    assert markdownify("a") == markdownify("a") == "<p>a</p>" and calls == ["a"]
    long = "x" * 11
    assert markdownify(long) == markdownify(long) and calls.count(long) == 2
    for text in "bcde":   # past `most`: forgotten, not grown
        markdownify(text)
    markdownify("a")
    assert calls.count("a") == 2
