"""A document loaded from the read cache keeps its body as the cached bytes until something reads
it (content/model.py): an edit build on a big site decodes only what it renders. These tests
check that the bodies stay undecoded where the build only asks about them (Liquid, Markdown
keys), that what they decode to is the text, and that the answers made from the texts at read
time (the Liquid flag) are the texts' answers."""
from __future__ import annotations

import pickle
import time
from dataclasses import replace
from pathlib import Path

import pytest

import blogkit.content.model as model
from blogkit.cache import Cache
from blogkit.config import load_config
from blogkit.content.model import Document, has_liquid, liquid_in_texts
from blogkit.errors import BuildFailed, ProblemLog
from blogkit.liquid.engine import LiquidEngine
from blogkit.render.site import _markdown_texts
from blogkit.site import build, cache_path, read_site

POSTS = {
    "_posts/2024-01-01-plain.md": "---\ntitle: Plain\n---\n本文です。\n\nSecond paragraph.\n",
    "_posts/2024-01-02-body.md": "---\ntitle: Body\n---\nFirst.\n\nSite: {{ site.title }}\n",
    "_posts/2024-01-03-head.md": "---\ntitle: Head\n---\n{% if true %}yes{% endif %}\n\nrest\n",
    "_posts/2024-01-04-verbatim.md": "---\ntitle: Verbatim\nexcerpt: \"{{ not liquid here }}\"\n---\nplain body\n",
    "_posts/2024-01-05-odd.md": "---\ntitle: Odd\n---\nA brace { alone, and }} closing ones.\n",
}


def _site(root: Path, posts: dict[str, str] = POSTS) -> Path:
    for rel, text in {"_config.yml": "title: T\ntimezone: UTC\n", **posts}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _raw_body(doc: Document) -> object:
    return model._BODY_SLOT.__get__(doc)


def _cached_documents(root: Path) -> list[Document]:
    config, _ = load_config(root, destination=root / "_site")
    build(config)  # fills the read cache
    store = Cache(cache_path(config))
    try:
        site = read_site(config, ProblemLog(), store=store)
    finally:
        store.close()
    return [*site.posts, *site.pages]


def test_a_pickled_body_stays_bytes_until_read_and_reads_back_the_same() -> None:
    doc = Document("post", "a.md", Path("/x/a.md"), "/a/", model.PurePosixPath("a/index.html"), {},
                   "日本語 \udc80 {{ x }}", 1, ".html", True)
    again = pickle.loads(pickle.dumps(doc))
    assert isinstance(_raw_body(again), bytes)
    twice = pickle.loads(pickle.dumps(again))  # pickled again without being read: same bytes
    assert isinstance(_raw_body(twice), bytes)
    assert again.body == doc.body and twice.body == doc.body  # (a lone surrogate survives)
    assert isinstance(_raw_body(again), str)  # decoded once, in place
    assert replace(twice, path=None) == replace(doc, path=None)


def test_cached_documents_answer_liquid_and_markdown_keys_without_decoding(tmp_path: Path) -> None:
    docs = {d.rel_path: d for d in _cached_documents(_site(tmp_path))}
    posts = [d for d in docs.values() if d.is_post]
    assert len(posts) == len(POSTS)
    assert all(isinstance(_raw_body(d), bytes) for d in posts)
    engine_asks = [LiquidEngine._needs_liquid(d) for d in posts]
    texts = _markdown_texts(posts)
    assert all(isinstance(_raw_body(d), bytes) for d in posts)  # nothing above read a body
    # the flags made at read time are the texts' own answers
    expected = {"_posts/2024-01-01-plain.md": False, "_posts/2024-01-02-body.md": True,
                "_posts/2024-01-03-head.md": True, "_posts/2024-01-04-verbatim.md": False,
                "_posts/2024-01-05-odd.md": False}
    assert {d.rel_path: d.liquid for d in posts} == expected
    assert engine_asks == [expected[d.rel_path] for d in posts]
    for d in posts:
        ex = d.excerpt_source
        assert d.liquid == (has_liquid(d.body) or (ex is not None and d.excerpt_verbatim is None and has_liquid(ex)))
    # every body and excerpt is there once, under the digest of its text
    for digest, (doc, part) in texts.items():
        assert digest == model.text_digest(getattr(doc, part))
    assert {id(doc) for doc, part in texts.values() if part == "body"} == {id(d) for d in posts}


def test_a_replaced_body_is_asked_again(tmp_path: Path) -> None:
    plain = next(d for d in _cached_documents(_site(tmp_path)) if d.rel_path.endswith("plain.md"))
    assert plain.liquid is False
    changed = replace(plain, body="now {% if x %}y{% endif %}")
    assert changed.liquid is None and liquid_in_texts(changed) is True


def test_an_edit_build_decodes_no_cached_post_body(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """(Without Liquid in any post: a post's Liquid sees every post's raw content, so then
    every body is read, as it must be.)"""
    root = _site(tmp_path, {k: v for k, v in POSTS.items() if "body" not in k and "head" not in k})
    config, _ = load_config(root, destination=root / "_site")
    build(config)
    decoded: list[str] = []

    def counting(doc: Document) -> str:
        if isinstance(_raw_body(doc), bytes):
            decoded.append(doc.rel_path)
        return model._body(doc)
    monkeypatch.setattr(Document, "body", property(counting, model._BODY_SLOT.__set__))
    post = root / "_posts/2024-01-01-plain.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nAn added line.\n", encoding="utf-8")
    time.sleep(0.01)
    report = build(config)
    assert report.stats.written >= 1
    assert "An added line." in (root / "_site/2024/01/01/plain.html").read_text(encoding="utf-8")
    assert "closing ones" in (root / "_site/2024/01/05/odd.html").read_text(encoding="utf-8")
    assert [p for p in decoded if p.startswith("_posts/")] == []


def test_a_markdown_failure_names_the_document_it_came_from(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import blogkit.render.site as render_site

    real = render_site.render_all

    def failing(texts, md, options, seal=None):  # type: ignore[no-untyped-def]
        for text, result in zip(texts, real(texts, md, options, seal)):
            yield ValueError("boom") if "Second paragraph" in text else result
    monkeypatch.setattr(render_site, "render_all", failing)
    root = _site(tmp_path)
    config, _ = load_config(root, destination=root / "_site")
    with pytest.raises(BuildFailed) as failed:
        build(config)
    problems = [p for p in failed.value.problems if p.code == "markdown"]
    assert [(p.where.path, p.where.line) for p in problems] == [("_posts/2024-01-01-plain.md", 4)]
    assert not (root / "_site").exists()
