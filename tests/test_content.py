"""Front matter, discovery and reading (the stages before rendering)."""
from __future__ import annotations

import math
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blogkit.content.discover import discover
from blogkit.content.frontmatter import parse_front_matter
from blogkit.content.read import categories_of, compute_reading_time, tags_of, titleize_slug
from blogkit.errors import BlogkitError

from sitekit import SHARED


def test_dates_stay_text_so_offsets_survive() -> None:
    parsed = parse_front_matter("---\ndate: 2025-09-29 04:37:36 +0000\ntitle: x\n---\n\nbody\n", "p.md")
    assert parsed.meta["date"] == "2025-09-29 04:37:36 +0000"
    assert parsed.body == "body\n"          # Jekyll's regex eats blank lines after the closing ---
    assert parsed.body_line == 6
    assert parsed.key_lines == {"date": 2, "title": 3}


def test_bad_yaml_reports_the_file_line() -> None:
    with pytest.raises(BlogkitError) as info:
        parse_front_matter("---\ntitle: ok\nlayout: post\ntags: [a, b\n---\nbody", "_posts/x.md")
    assert str(info.value).startswith("_posts/x.md:")
    assert info.value.where is not None and info.value.where.line in (4, 5)
    assert info.value.code == "bad-yaml"


def test_unclosed_front_matter_is_an_error() -> None:
    with pytest.raises(BlogkitError, match="never closed"):
        parse_front_matter("---\ntitle: x\nbody without end\n", "a.md")


def test_bom_and_no_front_matter() -> None:
    assert parse_front_matter("\ufeff---\ntitle: B\n---\nx", "a.md").meta == {"title": "B"}
    plain = parse_front_matter("just text\n", "a.md")
    assert not plain.has_front_matter and plain.body == "just text\n"


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared/seeds is not beside the repository")
def test_seed_front_matter_reads() -> None:
    for seed in sorted((SHARED / "seeds").glob("*.txt")):
        parsed = parse_front_matter(seed.read_text(encoding="utf-8"), seed.name)
        assert set(parsed.meta) >= {"layout", "title", "date", "categories", "tags", "author", "excerpt"}
        assert isinstance(parsed.meta["date"], str) and parsed.meta["date"].endswith("+0000")


def test_entry_filter_and_post_discovery(make_site) -> None:
    site = make_site({
        "_posts/2024-01-01-a.md": "---\n---\nA", "_posts/2024-01-02-backup.md~": "x",
        "_posts/sub/2024-3-7-deep.md": "x", "_posts/README": "x", "_posts/2024-10-01-noext": "x",
        "guides/advanced/_posts/2024-04-05-deeper.md": "x",
        ".hidden": "x", "_private/x.html": "x", "#tmp": "x", "notes.txt~": "x", "dot.": "x",
        ".htaccess": "x", "keep.md": "---\n---\npage", "img.png": b"\x89PNG", "node_modules/m.js": "x",
        "drafts-here/_drafts/idea.md": "x", "secret/s.md": "---\n---\n",
    })
    found = {s.rel_path: s for s in discover(site, ["node_modules", "secret/"], [".htaccess"])}
    assert set(found) == {"_posts/2024-01-01-a.md", "_posts/sub/2024-3-7-deep.md",
                          "guides/advanced/_posts/2024-04-05-deeper.md", ".htaccess", "keep.md", "img.png"}
    assert found["keep.md"].kind == "page" and found["img.png"].kind == "static"
    assert found["guides/advanced/_posts/2024-04-05-deeper.md"].dir_categories == ("guides", "advanced")
    assert found["_posts/sub/2024-3-7-deep.md"].dir_categories == ()
    drafts = {s.rel_path for s in discover(site, [], [], show_drafts=True) if s.kind == "draft"}
    assert drafts == {"drafts-here/_drafts/idea.md"}


def test_destination_and_outside_symlinks_are_not_read(make_site, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    site = make_site({"a.txt": "x", "out/old.html": "x"})
    os.symlink(outside, site / "leak.txt")
    os.symlink(site / "a.txt", site / "inside-link.txt")
    found = {s.rel_path for s in discover(site, [], [], skip=[site / "out"])}
    assert found == {"a.txt", "inside-link.txt"}


def test_categories_and_tags_parsing() -> None:
    # spec §6.1
    assert categories_of({"categories": "AI活用 Tech"}, ()) == ("AI活用", "Tech")
    assert categories_of({"category": "Ruby on Rails"}, ()) == ("Ruby on Rails",)
    assert categories_of({"category": "Solo", "categories": ["Zeta", "Alpha"]}, ()) == ("Zeta", "Alpha", "Solo")
    assert categories_of({"categories": ["B", "c"]}, ("a", "b")) == ("a", "b", "B", "c")
    assert categories_of({"categories": ["Own"]}, (), ["Default"]) == ("Default", "Own")
    assert tags_of({"tags": "css html"}) == ("css", "html")
    assert tags_of({"tags": ["python データ分析"]}) == ("python データ分析",)
    assert tags_of({"tag": "one two", "tags": ["x"]}) == ("one two",)


def test_titles_from_slugs() -> None:
    assert titleize_slug("my-great-post") == "My Great Post"
    assert titleize_slug("iPhone-tips") == "Iphone Tips"
    assert titleize_slug("Hello World") == "Hello world"


def test_reading_time_counts_japanese_characters() -> None:
    japanese = "生成AIの導入は、日本企業にとって大きな転換点です。" * 100   # ~2,500 CJK characters
    english = "word " * 1000
    # a naive whitespace count would call the Japanese text a single word (one minute)
    assert compute_reading_time(japanese, 500, 200) == 5
    assert compute_reading_time(english, 500, 200) == 5
    assert compute_reading_time("", 500, 200) == 1


# The definition the fast counter must keep: one match per CJK character, and words counted
# with every CJK character blanked out first.
_CJK_ONE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u3005\u30fc]")
_WORD = re.compile(r"[A-Za-z0-9\u00C0-\u024F]+(?:['’][A-Za-z]+)*")


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(st.sampled_from(list("生成AIのはー々가 ’'abcXYZ09é\n.、。")), max_size=300),
                 st.text(max_size=100)),
       st.sampled_from([1, 2, 3, 500]), st.sampled_from([1, 2, 3, 200]))  # small rates: every count shows
def test_reading_time_equals_its_definition(text: str, cjk_rate: int, word_rate: int) -> None:
    cjk = len(_CJK_ONE.findall(text))
    words = len(_WORD.findall(_CJK_ONE.sub(" ", text)))
    expected = max(1, math.ceil(cjk / cjk_rate + words / word_rate))
    assert compute_reading_time(text, cjk_rate, word_rate) == expected


def test_text_digests_describe_the_texts_they_were_made_from(tmp_path: Path) -> None:
    # The Markdown cache is keyed by these digests: one left on a changed text would serve
    # another text's HTML. Made at reading; a replaced document (Liquid-rendered body, moved
    # site) gets none; a cached (pickled) one keeps them.
    import pickle
    from dataclasses import replace

    from blogkit.config import load_config
    from blogkit.content.model import shape_of, text_digest
    from blogkit.site import read_site
    from blogkit.errors import ProblemLog
    from sitekit import write_files

    site = write_files(tmp_path / "s", {"site.yml": "title: T\n",
                                        "content/_posts/2025-01-02-a.md": "---\ntitle: A\n---\n最初の段落。\n\n続き {{ x }}\n",
                                        "content/_posts/2025-01-03-b.md": "---\ntitle: B\nexcerpt: 手書き\n---\n本文\n"})
    config, _ = load_config(site)
    posts = read_site(config, ProblemLog()).posts
    assert posts and all(p.body_digest == text_digest(p.body) for p in posts)
    assert all(p.excerpt_digest == (text_digest(p.excerpt_source) if p.excerpt_source is not None else "")
               for p in posts)
    changed = replace(posts[0], body="別の本文")
    assert changed.body_digest == "" and changed.excerpt_digest == ""
    again = pickle.loads(pickle.dumps(posts[1]))
    assert (again.body_digest, again.excerpt_digest) == (posts[1].body_digest, posts[1].excerpt_digest)
    assert again.shape == posts[1].shape
    # a view's fingerprints, made where the document is read (and cached with it): reset with
    # the body, never stale
    from blogkit.content.model import view_fingerprints
    made = posts[0].view_fps
    assert made is not None and again.view_fps == posts[1].view_fps is not None
    assert view_fingerprints(posts[0]) is made
    rewritten = replace(posts[0], body="別の本文", source_hash="other")
    assert rewritten.view_fps is None and view_fingerprints(rewritten)[1] != made[1]
    assert shape_of(rewritten) == shape_of(posts[0])   # (not part of the document's shape)
