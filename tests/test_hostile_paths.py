"""Nothing written outside the destination, nothing read from outside the source.

Input: Jekyll sites whose permalinks, slugs, categories, tags, ``redirect_from`` and data files
try ``../``, absolute paths, ``%2e%2e``, backslashes, NUL, Windows device names, and whose
source holds symlinks pointing outside it. Output: the built site (or located errors); the test
checks that every file outside the destination is untouched and that no output holds the
secret the symlinks point at.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from blogkit.config import load_config
from blogkit.errors import BuildFailed
from blogkit.site import build

SECRET = "TOP-SECRET-OUTSIDE-THE-SITE"
EVIL = ["../../../escaped", "/../../escaped", "%2e%2e/%2e%2e/escaped", "%2E%2E%2F%2E%2E%2Fescaped",
        "..\\..\\escaped", "/a%00b/escaped", "/CON/escaped", "/nul.txt", "C:/escaped", "//host/share/escaped",
        "/..%2f..%2fescaped", "/%c0%ae%c0%ae/escaped", "/~/escaped", "/.../escaped"]


def snapshot(root: Path, skip: tuple[Path, ...]) -> dict[str, tuple[int, int]]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if here / d not in skip]
        for name in dirnames + filenames:
            st = (here / name).lstat()
            out[str(here / name)] = (st.st_size, st.st_mtime_ns if name in filenames else 0)
    return out


def build_outside_check(root: Path, files: dict[str, str]) -> list[str]:
    """Build ``files`` in ``root/deep/er/site`` into ``root/deep/er/site/_site``; problems as text."""
    site = root / "deep" / "er" / "site"
    for rel, text in files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    dest = site / "_site"
    before = snapshot(root, (dest, site / ".blogkit-cache"))
    config, _ = load_config(site, destination=dest)
    try:
        build(config)
        problems: list[str] = []
    except BuildFailed as exc:
        problems = [str(p) for p in exc.problems]
        assert all(p.where is not None for p in exc.problems)
    assert snapshot(root, (dest, site / ".blogkit-cache")) == before, "something was written outside _site"
    assert not list(root.rglob("escaped*")), "an output escaped the destination"
    if dest.exists():
        for path in dest.rglob("*"):
            assert dest.resolve() in path.resolve().parents
            if path.is_file():
                assert SECRET not in path.read_text(encoding="utf-8", errors="replace")
    return problems


@pytest.mark.parametrize("evil", EVIL)
def test_permalinks_slugs_categories_tags_cannot_escape(tmp_path: Path, evil: str) -> None:
    q = evil.replace("\\", "\\\\").replace('"', '\\"')
    files = {
        "_config.yml": "title: t\ntag_feeds: true\n",
        "_posts/2024-01-01-a.md": f'---\ntitle: a\npermalink: "{q}"\n---\na\n',
        "_posts/2024-01-02-b.md": f'---\ntitle: b\nslug: "{q}"\npermalink: /:slug/:title/\n---\nb\n',
        "_posts/2024-01-03-c.md": f'---\ntitle: c\ncategories: ["{q}"]\ntags: ["{q}"]\n---\nc\n',
        "_posts/2024-01-04-d.md": f'---\ntitle: d\nredirect_from: ["{q}"]\n---\nd\n',
        "page.md": f'---\ntitle: p\npermalink: "{q}"\n---\np\n',
    }
    problems = build_outside_check(tmp_path, files)
    for text in problems:  # a refused URL is named with its file and the line that made it
        assert text.startswith(("_posts/2024-01-01-a.md:3", "page.md:3", "_posts/2024-01-02-b.md:4",
                                "_posts/2024-01-03-c.md:3", "_posts/2024-01-04-d.md")) or "both write" in text, text


def test_config_permalink_and_data_cannot_escape(tmp_path: Path) -> None:
    files = {
        "_config.yml": "title: t\npermalink: /../../../:title/\n",
        "_data/nav.yml": "- url: ../../../escaped\n  title: x\n",
        "_posts/2024-01-01-a.md": "---\ntitle: a\n---\n{% for n in site.data.nav %}{{ n.url }}{% endfor %}\n",
    }
    build_outside_check(tmp_path, files)


def test_symlinks_pointing_outside_the_source_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(f"---\ntitle: s\n---\n{SECRET}\n", encoding="utf-8")
    (outside / "secret.html").write_text(f"{SECRET}\n", encoding="utf-8")
    (outside / "secret.yml").write_text(f"k: {SECRET}\n", encoding="utf-8")
    files = {
        "_config.yml": "title: t\n",
        "_posts/2024-01-01-a.md": "---\ntitle: a\n---\n{% include leak.html %}{{ site.data.leak.k }}\n",
        "_includes/ok.html": "ok\n",
        "_posts/2024-01-03-c.md": "---\ntitle: c\nlayout: secret\n---\nc\n",
        "_layouts/default.html": "{{ content }}",
    }
    site = tmp_path / "deep" / "er" / "site"
    site.mkdir(parents=True)
    (site / "_posts").mkdir()
    (site / "_includes").mkdir()
    (site / "_data").mkdir()
    os.symlink(outside / "secret.md", site / "_posts" / "2024-01-02-leak.md")
    os.symlink(outside / "secret.md", site / "leak-page.md")
    os.symlink(outside, site / "linked-dir")
    os.symlink(outside / "secret.html", site / "_includes" / "leak.html")
    os.symlink(outside / "secret.yml", site / "_data" / "leak.yml")
    (site / "_layouts").mkdir()
    os.symlink(outside / "secret.html", site / "_layouts" / "secret.html")
    problems = build_outside_check(tmp_path, files)
    assert any("leak.html" in p for p in problems)  # the include through a symlink is refused, located


def test_destination_symlink_inside_is_replaced_not_followed(tmp_path: Path) -> None:
    """A symlinked directory inside the destination (left by someone) is not written through."""
    outside = tmp_path / "outside"
    outside.mkdir()
    files = {"_config.yml": "title: t\npermalink: /:year/:title.html\n",
             "_posts/2024-01-01-a.md": "---\ntitle: a\n---\na\n"}
    site = tmp_path / "deep" / "er" / "site"
    (site / "_site").mkdir(parents=True)
    os.symlink(outside, site / "_site" / "2024")
    build_outside_check(tmp_path, files)
    assert not list(outside.iterdir())
    assert (site / "_site" / "2024" / "a.html").is_file() and not (site / "_site" / "2024").is_symlink()
