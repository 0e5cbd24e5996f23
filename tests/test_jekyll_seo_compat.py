"""Differential test of jekyll-seo-tag's ``{% seo %}`` and jekyll-feed's ``{% feed_meta %}``.

Input: tests/jekyll/sites/seo, a Jekyll site whose layouts call both tags (one layout with
``{% seo title=false %}``), built by the real Jekyll 4.3.1 (+ jekyll-seo-tag 2.8.0) and by blogkit.
Its pages cover what the plugin branches on: site title/description/tagline fallbacks and the
paginator's "Page 2 of 3 for", Markdown and typography in titles and descriptions (the plugin
markdownifies them), authors from a string, a hash, ``authors:`` and ``_data/authors.yml``,
image as a string, a hash with size and alt, a non-ASCII relative path, ``canonical_url``,
``seo: type/name/date_modified``, ``lang``/``locale``, home and about pages (WebSite), site logo
(publisher), social links (sameAs), Twitter, Facebook and verification ids, a baseurl.
Output: every HTML file's ``<head>``, compared byte for byte.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "jekyll"))
import jekyll_harness as H  # noqa: E402

pytestmark = [pytest.mark.jekyll, pytest.mark.plugins]

CASE = H.Case("seo", "seo", dump=False)
HEAD = re.compile(r"<head>(.*?)</head>", re.S)


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[H.BuildResult, H.BuildResult]:
    return H.DiffRunner(tmp_path_factory.mktemp("jekyll-seo-diff")).pair(CASE)


def heads(result: H.BuildResult) -> dict[str, str]:
    assert result.dest is not None
    out = {}
    for rel in sorted(result.files):
        if rel.endswith(".html"):
            match = HEAD.search((result.dest / rel).read_text(encoding="utf-8"))
            assert match, f"{rel}: no <head>"
            out[rel] = match.group(1)
    return out


def test_same_html_files(pair: tuple[H.BuildResult, H.BuildResult]) -> None:
    jk, bk = pair
    assert {f for f in bk.files if f.endswith(".html")} == {f for f in jk.files if f.endswith(".html")}


def test_every_head_is_byte_identical(pair: tuple[H.BuildResult, H.BuildResult]) -> None:
    jk, bk = pair
    theirs, ours = heads(jk), heads(bk)
    assert len(theirs) >= 10 and all("Begin Jekyll SEO tag" in h for h in theirs.values())
    for rel, head in theirs.items():
        assert ours.get(rel) == head, rel


def test_seo_tag_needs_the_plugin(tmp_path: Path) -> None:
    """Without jekyll-seo-tag in `plugins`, Jekyll fails on `{% seo %}`; so does blogkit, with the line."""
    from sitekit import run_cli, write_files
    site = write_files(tmp_path / "s", {"_config.yml": "title: T\n",
                                       "_layouts/default.html": "<head>\n{% seo %}\n</head>{{ content }}",
                                       "index.md": "---\nlayout: default\n---\nhi\n"})
    result = run_cli("build", "-s", str(site), "-d", str(tmp_path / "out"))
    assert result.returncode != 0
    assert "_layouts/default.html:2" in result.stderr and "seo" in result.stderr
