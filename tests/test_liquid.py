"""Liquid for Jekyll sites without running Jekyll: tags, data, errors, engine choice.

Expected strings come from spec §8, §10 and §12.5 (outputs verified against Jekyll 4.3.1).
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from blogkit.config import load_config
from blogkit.content.data import load_data, sanitize_key
from blogkit.errors import BlogkitError, BuildFailed
from blogkit.liquid import close_open_blocks
from blogkit.liquid.env import liquid_str
from blogkit.liquid.tags import rouge_highlight
from blogkit.site import build


def _site(root: Path, files: dict[str, str]) -> Path:
    for rel, text in {"_config.yml": "title: T\ntimezone: UTC\n", **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _build(root: Path):
    config, _ = load_config(root, destination=root / "_site")
    return build(config)


def test_highlight_matches_jekyll_markup() -> None:
    assert rouge_highlight("\nputs 1\n", "ruby", False) == (
        '<figure class="highlight"><pre><code class="language-ruby" data-lang="ruby">'
        '<span class="nb">puts</span> <span class="mi">1</span></code></pre></figure>')


def test_highlight_linenos_and_unknown_language() -> None:
    table = rouge_highlight("a\nb", "nosuchlang", True)
    assert table == ('<figure class="highlight"><pre><code class="language-nosuchlang" data-lang="nosuchlang">'
                     '<table class="rouge-table"><tbody><tr><td class="gutter gl"><pre class="lineno">1\n2\n'
                     '</pre></td><td class="code"><pre>a\nb\n</pre></td></tr></tbody></table></code></pre></figure>')
    assert "&lt;b&gt;" in rouge_highlight("<b>", "text", False)


def test_excerpt_gets_end_tags_for_open_blocks() -> None:
    assert close_open_blocks("{% if a %}x") == "{% if a %}x\n{% endif %}"
    assert close_open_blocks("{% for p in x %}{% if a %}y{% endif %}") == \
        "{% for p in x %}{% if a %}y{% endif %}\n{% endfor %}"
    assert close_open_blocks("{% assign a = 1 %}{{ a }}") == "{% assign a = 1 %}{{ a }}"


def test_values_print_as_ruby_does() -> None:
    tokyo = timezone(timedelta(hours=9))
    assert liquid_str(datetime(2024, 3, 1, 9, 5, tzinfo=tokyo)) == "2024-03-01 09:05:00 +0900"
    assert liquid_str(None) == "" and liquid_str(True) == "true"
    assert liquid_str(["a", 1]) == "a1"
    assert liquid_str({"a": 1}) == '{"a"=>1}'


def test_data_folder_yaml_json_csv_tsv_nested(tmp_path: Path) -> None:
    _site(tmp_path, {"_data/nav.yml": "- a\n- b\n", "_data/s.json": '{"k": [1]}',
                     "_data/team/members.csv": "name,role\n佐藤,editor\n",
                     "_data/team/roles.tsv": "role\tlabel\neditor\t編集\n",
                     "_data/team members.yaml": "x: 1\n", "_data/_private.yml": "no: 1\n"})
    data = load_data(tmp_path / "_data", tmp_path)
    assert data == {"nav": ["a", "b"], "s": {"k": [1]}, "team_members": {"x": 1},
                    "team": {"members": [{"name": "佐藤", "role": "editor"}],
                             "roles": [{"role": "editor", "label": "編集"}]}}
    assert sanitize_key("a.b (c)") == "ab_c"


def test_bad_data_file_is_located(tmp_path: Path) -> None:
    _site(tmp_path, {"_data/bad.yml": "a: 1\nb: [\n"})
    with pytest.raises(BlogkitError) as info:
        load_data(tmp_path / "_data", tmp_path)
    assert info.value.where is not None and info.value.where.path == "_data/bad.yml"


def test_unknown_post_url_is_an_error_with_its_line(tmp_path: Path) -> None:
    _site(tmp_path, {"_posts/2024-01-01-a.md": "---\ntitle: A\n---\none\n\n{% post_url 2020-01-01-nope %}\n"})
    with pytest.raises(BuildFailed) as info:
        _build(tmp_path)
    shown = [str(p) for p in info.value.problems if p.is_error]
    assert any(s.startswith("_posts/2024-01-01-a.md:6: ") and "2020-01-01-nope" in s for s in shown), shown


def test_error_in_include_names_the_include(tmp_path: Path) -> None:
    _site(tmp_path, {"_layouts/default.html": "<main>{{ content }}</main>\n",
                     "_includes/bad.html": "x\n{% if %}{% endif %}\n",
                     "index.md": "---\nlayout: default\n---\n{% include bad.html %}\n"})
    with pytest.raises(BuildFailed) as info:
        _build(tmp_path)
    assert any(p.where is not None and p.where.path == "_includes/bad.html" and p.where.line == 2
               for p in info.value.problems), [str(p) for p in info.value.problems]


def test_site_without_layouts_keeps_jinja_theme_but_runs_liquid_in_bodies(tmp_path: Path) -> None:
    _site(tmp_path, {"_posts/2024-01-01-a.md": "---\ntitle: Alpha\n---\nTitle {{ page.title | upcase }}\n",
                     "_posts/2024-01-02-b.md": "---\ntitle: B\nrender_with_liquid: false\n---\nkeep {{ x }}\n"})
    report = _build(tmp_path)
    assert report.engine == "jinja" and "(jinja templates)" in report.summary()
    assert "<p>Title ALPHA</p>" in (tmp_path / "_site/2024/01/01/a.html").read_text(encoding="utf-8")
    assert "keep {{ x }}" in (tmp_path / "_site/2024/01/02/b.html").read_text(encoding="utf-8")


def test_liquid_layout_chain_with_layout_variables(tmp_path: Path) -> None:
    _site(tmp_path, {"_layouts/base.html": "---\nwho: base\n---\n<b data-who=\"{{ layout.who }}\">{{ content }}</b>",
                     "_layouts/post.html": "---\nlayout: base\nwho: post\n---\n<i>{{ content }}</i>",
                     "_posts/2024-01-01-a.md": "---\nlayout: post\n---\nhi\n"})
    report = _build(tmp_path)
    assert report.engine == "liquid" and "(liquid templates)" in report.summary()
    html = (tmp_path / "_site/2024/01/01/a.html").read_text(encoding="utf-8")
    assert html == '<b data-who="post"><i><p>hi</p>\n</i></b>'


@pytest.mark.parametrize("body", [
    "{% for i in (1..300) %}0123456789{% endfor %}",                       # the page's output
    "{% capture s %}{% for i in (1..300) %}0123456789{% endfor %}{% endcapture %}{{ s | size }}",
], ids=["output", "capture"])
def test_liquid_output_is_limited_and_the_error_names_the_post(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               body: str) -> None:
    # (a post is untrusted input: its Liquid must not fill the machine's memory; the real limit
    # is 64 Mi characters, lowered here to keep the test small)
    from blogkit.liquid.env import JekyllEnvironment
    monkeypatch.setattr(JekyllEnvironment, "output_stream_limit", 2_000)
    _site(tmp_path, {"_posts/2024-01-01-a.md": f"---\ntitle: A\n---\nok\n{body}\n",
                     "_posts/2024-01-02-b.md": "---\ntitle: B\n---\n{% for i in (1..150) %}0123456789{% endfor %}\n"})
    with pytest.raises(BuildFailed) as info:
        _build(tmp_path)
    shown = [str(p) for p in info.value.problems if p.is_error]
    assert len(shown) == 1 and shown[0].startswith("_posts/2024-01-01-a.md:") and "limit" in shown[0], shown
