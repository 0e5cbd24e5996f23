"""End to end in real Chromium: edit files on disk, watch open pages follow without touching them."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterator

import pytest

from blogkit.config import load_config
from blogkit.server.commands import Preview

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"Debian's chromium is not installed at {CHROMIUM}"),
]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
WAIT_MS = 20_000
SHOTS = Path(os.environ.get("BLOGKIT_SHOTS", "/tmp/blogkit-shots"))

DEFAULT = """<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>{{ page.title }}</title>
<link rel="stylesheet" href="{{ '/css/site.css' | relative_url }}"></head>
<body><p id="marker">LAYOUT-v1</p>
{{ content }}
</body></html>
"""
POST = """---
layout: default
---
<article><h1>{{ page.title }}</h1>{{ content }}</article>
"""
HOME = """---
layout: default
---
<ul id="posts">{% for post in site.posts %}<li>{{ post.title }}</li>{% endfor %}</ul>
"""


def post(title: str, body: str, tags: str = "[AI]") -> str:
    return f"---\nlayout: post\ntitle: {title}\ntags: {tags}\n---\n\n{body}\n"


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    (tmp_path / "content" / "_posts").mkdir(parents=True)
    (tmp_path / "templates").mkdir()
    (tmp_path / "static" / "css").mkdir(parents=True)
    (tmp_path / "site.yml").write_text("title: 試験ブログ\nbaseurl: /blog\n", encoding="utf-8")
    (tmp_path / "templates" / "default.html").write_text(DEFAULT, encoding="utf-8")
    (tmp_path / "templates" / "post.html").write_text(POST, encoding="utf-8")
    (tmp_path / "templates" / "home.html").write_text(HOME, encoding="utf-8")
    (tmp_path / "content" / "index.html").write_text("---\nlayout: home\ntitle: Home\n---\n", encoding="utf-8")
    (tmp_path / "static" / "css" / "site.css").write_text("#marker { color: rgb(255, 0, 0); }\n", encoding="utf-8")
    (tmp_path / "content" / "_posts" / "2024-05-01-hello.md").write_text(post("最初の記事", "最初の本文"), "utf-8")
    (tmp_path / "content" / "_posts" / "2024-05-02-other.md").write_text(post("二番目", "二番目の本文"), "utf-8")
    return tmp_path


@pytest.fixture()
def preview(site: Path) -> Iterator[Preview]:
    running = Preview(lambda: load_config(site), port=0, quiet_seconds=0.05)
    running.start()
    assert running.rebuilder.wait_idle(60) and not running.rebuilder.state.problems
    yield running
    running.stop()


@pytest.fixture()
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def body_has(page: object, text: str) -> None:
    page.wait_for_function("t => document.body && document.body.innerText.includes(t)", arg=text,
                           timeout=WAIT_MS)


def test_live_editing_in_chromium(site: Path, preview: Preview, browser: object) -> None:
    base = preview.url  # http://127.0.0.1:PORT/blog/
    page = browser.new_page()
    page.goto(base + "2024/05/01/hello.html")
    body_has(page, "最初の本文")
    other = browser.new_page()
    other.goto(base + "2024/05/02/other.html")
    body_has(other, "二番目の本文")
    page.evaluate("window.__sameDocument = true")
    hello = site / "content" / "_posts" / "2024-05-01-hello.md"

    # A CSS change applies without a reload.
    color = "() => getComputedStyle(document.getElementById('marker')).color"
    assert page.evaluate(color) == "rgb(255, 0, 0)"
    (site / "static" / "css" / "site.css").write_text("#marker { color: rgb(0, 128, 0); }\n", encoding="utf-8")
    page.wait_for_function(f"({color})() === 'rgb(0, 128, 0)'", timeout=WAIT_MS)
    assert page.evaluate("window.__sameDocument === true")

    # Edit the Markdown: the open page shows the new text by itself.
    hello.write_text(post("最初の記事", "書き換えた本文です"), encoding="utf-8")
    body_has(page, "書き換えた本文です")
    assert "最初の本文" not in page.inner_text("body")

    # Break the front matter: every open page shows the overlay naming file and line.
    hello.write_text("---\nlayout: post\ntitle: [unclosed\ntags: [AI]\n---\n\nbody\n", encoding="utf-8")
    for p in (page, other):
        p.wait_for_selector("#blogkit-error-overlay", timeout=WAIT_MS)
        text = p.inner_text("#blogkit-error-overlay")
        assert "_posts/2024-05-01-hello.md:4" in text and "YAML" in text
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "overlay.png"))
    # ... while other pages still load (the last good site), with the overlay as well.
    third = browser.new_page()
    response = third.goto(base)
    assert response is not None and response.status == 200
    body_has(third, "二番目")
    third.wait_for_selector("#blogkit-error-overlay", timeout=WAIT_MS)

    # Fix it: the overlay goes away by itself and the page has the fixed text.
    hello.write_text(post("最初の記事", "直した本文"), encoding="utf-8")
    for p in (page, other, third):
        p.wait_for_selector("#blogkit-error-overlay", state="detached", timeout=WAIT_MS)
    body_has(page, "直した本文")

    # Edit a template: every page picks it up.
    (site / "templates" / "default.html").write_text(DEFAULT.replace("LAYOUT-v1", "LAYOUT-v2"), encoding="utf-8")
    for p in (page, other, third):
        body_has(p, "LAYOUT-v2")

    # Add a post: it appears on the home page (and on its tag page when the site has tag pages).
    (site / "content" / "_posts" / "2024-05-03-new.md").write_text(
        post("新しい記事", "新しい本文", "[新タグ]"), encoding="utf-8")
    body_has(third, "新しい記事")
    tag_dirs = [d for d in (site / "_site" / "tag").glob("*") if d.is_dir()] if (site / "_site" / "tag").is_dir() else []
    tag_dir = next((d for d in tag_dirs if (d / "index.html").is_file() and
                    "新しい記事" in (d / "index.html").read_text(encoding="utf-8")), None)
    if tag_dir is not None:
        tag_page = browser.new_page()
        tag_page.goto(base + "tag/" + tag_dir.name + "/")
        body_has(tag_page, "新しい記事")
    assert re.search(r"LAYOUT-v2", (site / "_site" / "index.html").read_text(encoding="utf-8"))
    assert "blogkit-live" not in (site / "_site" / "index.html").read_text(encoding="utf-8")
