"""The read cache stores documents without their bodies, and a body is read from its source file
when something needs it (content/model.py); a pickled document keeps its body as UTF-8 bytes
until read. An edit build on a big site reads only the bodies it renders. These tests check
that bodies stay unread where the build only asks about them (Liquid, Markdown keys), that
what is read is the body, that a file changed since it was cached is an error naming it, and
that the answers made from the texts at read time (the Liquid flag) are the texts' answers."""
from __future__ import annotations

import pickle
import time
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import blogkit.content.model as model
from blogkit.cache import Cache
from blogkit.config import load_config
from blogkit.content.model import Document, has_liquid, liquid_in_texts
from blogkit.errors import BlogkitError, BuildFailed, ProblemLog
from blogkit.liquid.engine import LiquidEngine
from blogkit.render.site import _markdown_texts
from blogkit.site import build, cache_path, read_site
from test_hostile_input import post_bytes  # the fuzz suite's posts

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


def _unread(doc: Document) -> bool:
    return not isinstance(_raw_body(doc), str)


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
    assert all(isinstance(_raw_body(d), model._BodyInFile) for d in posts)
    engine_asks = [LiquidEngine._needs_liquid(d) for d in posts]
    texts = _markdown_texts(posts)
    assert all(_unread(d) for d in posts)  # nothing above read a body
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
        if _unread(doc):
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


@pytest.mark.parametrize("text", [
    "---\ntitle: A\n---\n本文です。\r\n\r\n二段落目 {{ no }}\r\n",   # CRLF, read as LF
    "\ufeff---\ntitle: A\n---\nbody after a BOM\n",
    "---\ntitle: A\n---\n",                                      # an empty body
    "---\ntitle: A\n---   \n\n\n  indented start\n---END---\n",
    "---\ntitle: A\n---\n---\nnot: front matter\n---\nno newline at the end",
], ids=["crlf", "bom", "empty", "blank-lines", "dashes-in-body"])
def test_a_cached_body_is_read_back_from_its_file_as_it_was_read(tmp_path: Path, text: str) -> None:
    root = _site(tmp_path, {"_posts/2024-01-01-a.md": "---\ntitle: A\n---\nx\n"})
    name = "_posts/2024-01-01-a.md"
    (root / name).write_bytes(text.encode("utf-8"))
    config, _ = load_config(root, destination=root / "_site")
    store = Cache(cache_path(config))
    try:
        fresh = {d.rel_path: d for d in (lambda m: [*m.posts, *m.pages])(read_site(config, ProblemLog(), store=store))}
        cached = {d.rel_path: d for d in (lambda m: [*m.posts, *m.pages])(read_site(config, ProblemLog(), store=store))}
        assert isinstance(_raw_body(cached[name]), model._BodyInFile)
        assert cached[name].body == fresh[name].body
        # the cache rows hold no body (a part of it that is not in the excerpt, which they hold)
        tail = fresh[name].body.rstrip()[-8:]
        if tail and tail not in (fresh[name].excerpt_source or ""):
            rows = [bytes(v) for (v,) in store.db.execute("select value from kv where key like 'doc:%'")]
            assert rows and all(tail.encode("utf-8") not in row for row in rows)
    finally:
        store.close()


def test_a_file_changed_after_it_was_cached_is_an_error_naming_it(tmp_path: Path) -> None:
    root = _site(tmp_path)
    config, _ = load_config(root, destination=root / "_site")
    store = Cache(cache_path(config))
    try:
        read_site(config, ProblemLog(), store=store)
        cached = next(d for d in read_site(config, ProblemLog(), store=store).posts if d.rel_path.endswith("odd.md"))
    finally:
        store.close()
    (root / cached.rel_path).write_text(POSTS[cached.rel_path].replace("brace", "BRACE"), encoding="utf-8")
    with pytest.raises(BlogkitError) as changed:
        cached.body
    assert changed.value.code == "changed" and changed.value.where.path == "_posts/2024-01-05-odd.md"
    assert changed.value.where.line == cached.body_line == 4  # (where the body starts)
    assert "changed while the site was being built" in str(changed.value)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(head=st.sampled_from(["---\ntitle: A\n---\n", "---\r\ntitle: A\r\n---\r\n", "\ufeff---\n---\n",
                             "---\ntitle: A\n---  \n", "---\n---"]),
       body=st.text(st.sampled_from(list("ab \n\r-{}%本\t\ufeff")) | st.characters(blacklist_categories=("Cs",)),
                    max_size=60))
def test_any_body_read_back_from_the_file_is_the_body_read(tmp_path: Path, head: str, body: str) -> None:
    """The read cache's promise (``_body_from_file``): a document's body is the last
    ``len(body)`` characters of its file as read, so the file gives it back."""
    import pickle

    import blogkit.site as stages
    from blogkit.content.model import cached_form

    root = tmp_path / "site"
    post = root / "_posts" / "2024-01-01-a.md"
    post.parent.mkdir(parents=True, exist_ok=True)
    (root / "_config.yml").write_text("title: T\n", encoding="utf-8")
    post.write_bytes((head + body).encode("utf-8"))
    config, _ = load_config(root, destination=root / "_site")
    src = next(s for s in stages.discover_sources(config) if s.rel_path.endswith("a.md"))
    read = stages._read_one(src, stages.read_context(config, stages.zone_of(config)))
    if not isinstance(read, Document):
        return  # (a file that does not read is not cached)
    again = pickle.loads(pickle.dumps(cached_form(read))).at(post)
    assert isinstance(_raw_body(again), model._BodyInFile)
    assert again.body == read.body


def test_an_edit_that_keeps_size_and_mtime_is_still_read(tmp_path: Path) -> None:
    """A file changed with its size kept and its mtime set back (`touch -d`, `cp -p`): the
    read cache's key has the ctime too, so the post is read again, not served from the cache
    (whose body, read from the file, would no longer match)."""
    import os

    root = _site(tmp_path, {k: v for k, v in POSTS.items() if "plain" in k})
    config, _ = load_config(root, destination=root / "_site")
    build(config)
    post = root / "_posts/2024-01-01-plain.md"
    before = post.stat()
    time.sleep(0.02)
    post.write_text(POSTS["_posts/2024-01-01-plain.md"].replace("Second", "Fixed!"), encoding="utf-8")
    os.utime(post, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert post.stat().st_size == before.st_size and post.stat().st_mtime_ns == before.st_mtime_ns
    build(config)
    assert "Fixed! paragraph." in (root / "_site/2024/01/01/plain.html").read_text(encoding="utf-8")


def test_a_cached_document_found_at_a_new_path_reads_its_body_there(tmp_path: Path) -> None:
    """(The preview server keeps documents between builds; one found at another path — the site
    moved — takes the new path without reading its body from the old one.)"""
    import pickle
    import shutil

    root = _site(tmp_path / "a", {k: v for k, v in POSTS.items() if "plain" in k})
    cached = next(d for d in _cached_documents(root) if d.rel_path.endswith("plain.md"))
    moved_root = tmp_path / "b"
    shutil.move(str(root), str(moved_root))
    moved = cached.at(moved_root / cached.rel_path)
    assert moved is not cached and isinstance(_raw_body(moved), model._BodyInFile)
    assert moved.body == "本文です。\n\nSecond paragraph.\n" and moved.view_fps == cached.view_fps
    assert pickle.loads(pickle.dumps(moved)).body == moved.body


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_a_hostile_post_read_back_from_its_file_is_the_post_read(tmp_path: Path, data: st.DataObject) -> None:
    """The fuzz suite's posts (any front matter, BOMs, CR/CRLF endings, NULs, broken UTF-8):
    whatever reads, its body comes back from the file as it was read."""
    import pickle

    import blogkit.site as stages
    from blogkit.content.model import cached_form

    root = tmp_path / "site"
    shutil_rmtree(root)
    post = root / "_posts" / "2024-01-01-a.md"
    post.parent.mkdir(parents=True, exist_ok=True)
    (root / "_config.yml").write_text("title: T\n", encoding="utf-8")
    post.write_bytes(data.draw(post_bytes()))
    config, _ = load_config(root, destination=root / "_site")
    sources = [s for s in stages.discover_sources(config) if s.rel_path.endswith("a.md")]
    if not sources:
        return  # (no front matter: a static file, not a post)
    read = stages._read_one(sources[0], stages.read_context(config, stages.zone_of(config)))
    if not isinstance(read, Document):
        return  # (a file that does not read is not cached)
    again = pickle.loads(pickle.dumps(cached_form(read))).at(post)
    assert again.body == read.body and again.excerpt_source == read.excerpt_source


def shutil_rmtree(path: Path) -> None:
    import shutil
    shutil.rmtree(path, ignore_errors=True)
