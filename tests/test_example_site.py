"""Golden test of the embedded example site (site.yml + content/ + templates/ + static/).

The golden file lists every output path and, for each post, its URL — reviewed by hand (and
in the browser screenshots) when it was written. A change to the theme or the generators that
adds, drops or moves an output shows up here. Rewrite it on purpose with
``BLOGKIT_UPDATE_GOLDEN=1 pytest tests/test_example_site.py`` and review the diff.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from blogkit.config import load_config
from blogkit.inspect import inspect_site
from blogkit.site import build
from sitekit import REPO

GOLDEN = Path(__file__).parent / "golden" / "example_site.json"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    dest = tmp_path_factory.mktemp("example") / "_site"
    # pin the clock: the example has no future posts, but site.time must not leak into outputs
    config, problems = load_config(REPO, destination=dest, overrides={"time": "2025-12-01 00:00:00 +0900"})
    assert not [p for p in problems if p.is_error]
    report = build(config)
    assert not report.problems, [str(p) for p in report.problems]  # the example builds clean
    return dest, inspect_site(config)


def facts(dest: Path, model: dict) -> dict:
    return {"files": sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()),
            "posts": [[p["url"], p["date"], p["title"]] for p in model["posts"]],
            "categories": model["categories"], "tags": model["tags"]}


def test_example_site_matches_golden(built: tuple[Path, dict]) -> None:
    got = facts(*built)
    if os.environ.get("BLOGKIT_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert got["posts"] == want["posts"]
    assert got["categories"] == want["categories"] and got["tags"] == want["tags"]
    missing, extra = set(want["files"]) - set(got["files"]), set(got["files"]) - set(want["files"])
    assert not missing and not extra, f"missing {sorted(missing)[:8]}, unexpected {sorted(extra)[:8]}"


def test_example_site_shape(built: tuple[Path, dict]) -> None:
    dest, model = built
    assert len(model["posts"]) >= 8 and not any(p["draft"] for p in model["posts"])
    langs = {p["relative_path"] for p in model["posts"]}
    assert all(r.startswith("_posts/") for r in langs)
    home = (dest / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ja">' in home and "年" in home and "月" in home
    assert (dest / "feed.xml").is_file() and (dest / "sitemap.xml").is_file() and (dest / "tags/index.html").is_file()
    # no absolute reference to anything outside the site (no CDN, no web fonts)
    for page in dest.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "https://fonts." not in text and "cdn" not in text.lower(), page
