"""`blogkit new` and `blogkit publish`: files, front matter, URLs, refusals."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from blogkit.config import load_config
from blogkit.content.frontmatter import parse_front_matter
from blogkit.editor.new import make_slug
from blogkit.urls import url_to_relpath
from test_editor_helpers import SITE_YML, post, run, write


def site(root: Path, extra: str = "") -> Path:
    return write(root, {"site.yml": SITE_YML.replace("time: 2025-12-01 00:00:00 +0900\n", "") + extra})


def test_new_then_build_gives_the_printed_url(tmp_path: Path) -> None:
    site(tmp_path)
    result = run("new", "-s", str(tmp_path), "AIインフラ投資、その真意は？", "-c", "業界分析", "-t", "AI", "-t", "NVIDIA",
                 "--date", "2025-10-01 09:30:00")
    assert result.exit_code == 0, result.output
    path_line, url_line = result.output.strip().splitlines()
    assert path_line == "content/_posts/2025-10-01-aiインフラ投資-その真意は.md"
    meta = parse_front_matter((tmp_path / path_line).read_text(encoding="utf-8"), path_line).meta
    assert meta == {"layout": "post", "title": "AIインフラ投資、その真意は？", "date": "2025-10-01 09:30:00 +0900",
                    "categories": ["業界分析"], "tags": ["AI", "NVIDIA"], "author": "編集部", "excerpt": ""}
    built = run("build", "-s", str(tmp_path), "-q")
    assert built.exit_code == 0, built.output
    assert (tmp_path / "_site" / url_to_relpath(url_line, ".html")).is_file()


def test_new_refuses_to_overwrite_and_to_reuse_a_url(tmp_path: Path) -> None:
    site(tmp_path)
    write(tmp_path, {"content/_posts/2025-10-01-taken.md": post(date="2025-10-01 08:00:00 +0900")})
    again = run("new", "-s", str(tmp_path), "t", "--slug", "taken", "--date", "2025-10-01")
    assert again.exit_code == 1 and "already exists" in again.output
    # another file name, same URL: /:year/:month/:day/:title/ with the same slug and day
    site(tmp_path, "permalink: /:title/\n")
    clash = run("new", "-s", str(tmp_path), "t", "--slug", "taken", "--date", "2025-11-01")
    assert clash.exit_code == 1 and "already used by _posts/2025-10-01-taken.md" in clash.output
    assert not (tmp_path / "content/_posts/2025-11-01-taken.md").exists()


@pytest.mark.parametrize("slug", ["../evil", "a/b", "a\\b", "x\x00y", ".hidden"])
def test_new_refuses_unsafe_slugs(tmp_path: Path, slug: str) -> None:
    site(tmp_path)
    result = run("new", "-s", str(tmp_path), "t", "--slug", slug)
    assert result.exit_code == 1
    assert list(tmp_path.rglob("*.md")) == []


def test_slug_rules() -> None:
    assert make_slug("AIインフラ投資 3600億ドル", "jekyll") == "aiインフラ投資-3600億ドル"
    assert re.fullmatch(r"[0-9a-f]{16}", make_slug("タイトル", "hex"))
    assert len(make_slug("長" * 200, "jekyll")) == 60


def test_romaji_slug() -> None:
    pytest.importorskip("pykakasi", reason="the optional extra 'romaji' (pykakasi) is not installed")
    assert make_slug("東京のAI投資", "romaji") == "toukyou-no-ai-toushi"


def test_hex_rule_from_site_config(tmp_path: Path) -> None:
    site(tmp_path, "new_post: {slug: hex, layout: article}\n")
    result = run("new", "-s", str(tmp_path), "タイトル", "--date", "2025-10-01")
    path = result.output.splitlines()[0]
    assert re.fullmatch(r"content/_posts/2025-10-01-[0-9a-f]{16}\.md", path)
    assert "layout: article\n" in (tmp_path / path).read_text(encoding="utf-8")
    config, problems = load_config(tmp_path)
    assert not [p for p in problems if "new_post" in p.message]


def test_draft_then_publish(tmp_path: Path) -> None:
    site(tmp_path)
    made = run("new", "-s", str(tmp_path), "下書き", "--draft", "--slug", "my-draft", "-c", "業界分析")
    assert made.output.splitlines()[0] == "content/_drafts/my-draft.md"
    draft = tmp_path / "content/_drafts/my-draft.md"
    draft.write_text(draft.read_text(encoding="utf-8") + "本文。\n", encoding="utf-8")
    before = draft.read_text(encoding="utf-8")
    done = run("publish", "-s", str(tmp_path), "my-draft", "--date", "2025-11-02 08:00")
    assert done.exit_code == 0, done.output
    assert done.output.splitlines() == ["content/_posts/2025-11-02-my-draft.md", "/2025/11/02/my-draft/"]
    assert not draft.exists()
    published = (tmp_path / "content/_posts/2025-11-02-my-draft.md").read_text(encoding="utf-8")
    # only the date line changed
    assert [a for a, b in zip(before.splitlines(), published.splitlines()) if a != b][0].startswith("date: ")
    assert "date: 2025-11-02 08:00:00 +0900\n" in published
    assert len(before.splitlines()) == len(published.splitlines())
