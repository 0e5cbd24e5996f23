"""`blogkit check`: planted defects are each found once with the right line; clean sites pass."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from blogkit.config import load_config
from blogkit.editor.check import run_check
from test_editor_helpers import SEEDS, SITE_YML, post, run, write

REPEATED = "## 見出し\n\nこの段落はセクションごと二回貼り付けられた長い文章で、三十文字を超えています。\n\n"
PARA = "この段落だけが二回繰り返されているが、見出しは付いていない長めの段落です。\n\n"


def clean_site(root: Path) -> Path:
    return write(root, {
        "site.yml": SITE_YML,
        "content/_posts/2025-10-01-clean.md": post(body="[他の記事](/2025/10/02/other/)と[見出し](#まとめ)。\n\n"
                                                   "![図](/assets/fig.png)\n\n## まとめ\n\n以上です。\n"),
        "content/_posts/2025-10-02-other.md": post(title="別の記事", date="2025-10-02 10:00:00 +0900"),
        "content/about.md": "---\ntitle: About\n---\n\nこのサイトについて。\n",
        "content/assets/fig.png": "png",
    })


def test_clean_site_exits_0_with_only_a_summary(tmp_path: Path) -> None:
    clean_site(tmp_path)
    result = run("check", "-s", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines() == ["checked 3 documents: 0 error(s), 0 warning(s)"]


PLANTED = {
    # file -> (line, code) planted in it
    "content/_posts/2025-10-03-yaml.md": "---\ntitle: \"ok\"\ndate: 2025-10-03\ncategories: [a, b\n---\n\nx\n",
    "content/_posts/2025-10-04-keys.md": post(extra="categries: [x]\n"),
    "content/_posts/2025-10-05-type.md": post(extra="published: yes please\n"),
    "content/_posts/2025-10-06-missing.md": "---\nlayout: post\ntitle: \"t\"\ndate: 2025-10-06\n---\n\nx\n",
    "content/_posts/2025-10-07-baddate.md": post(date="2025-13-45"),
    "content/_posts/2025-10-08-future.md": post(date="2030-01-01 10:00:00 +0900"),
    "content/_posts/2025-10-09-rt.md": post(extra="reading_time: -3\n"),
    "content/_posts/2025-10-10-dup.md": post(extra="permalink: /same/\n"),
    "content/_posts/2025-10-11-dup2.md": post(extra="permalink: /same/\n"),
    "content/_posts/2025-10-12-case.md": post(tags='["ai"]'),
    "content/_posts/2025-10-13-width.md": post(tags='["ＡＩ"]'),
    "content/_posts/2025-10-14-look.md": post(categories='["業界 分析"]'),
    "content/_posts/2025-10-15-notallowed.md": post(categories='["雑記"]'),
    "content/_posts/2025-10-16-link.md": post(body="前文。\n\n[リンク](/nowhere/)\n"),
    "content/_posts/2025-10-17-img.md": post(body="前文。\n\n![図](/assets/missing.png)\n"),
    "content/_posts/2025-10-18-anchor.md": post(body="## はじめに\n\n[ここ](#おわりに)\n"),
    "content/_posts/2025-10-19-marker.md": post(body="本文。\n\n---END---\n"),
    "content/_posts/2025-10-20-section.md": post(body="前文。\n\n" + REPEATED + REPEATED),
    "content/_posts/2025-10-21-para.md": post(body=PARA + "間の文。\n\n" + PARA),
    "content/_posts/2025-10-22-title.md": post(title="**太字が閉じない"),
    "content/_posts/2025-10-23-excerpt.md": post(title="同じ文", extra='excerpt: "同じ文"\n'),
    "content/_posts/2025-10-24-firstline.md": post(title="最初の行", body="最初の行\n\n本文。\n"),
}
EXPECTED = {
    ("content/_posts/2025-10-03-yaml.md", 4, "bad-yaml"),  # the line with the unclosed [
    ("content/_posts/2025-10-04-keys.md", 7, "unknown-key"),
    ("content/_posts/2025-10-05-type.md", 7, "bad-type"),
    ("content/_posts/2025-10-06-missing.md", 1, "missing-field"),
    ("content/_posts/2025-10-07-baddate.md", 4, "bad-date"),
    ("content/_posts/2025-10-08-future.md", 4, "future-date"),
    ("content/_posts/2025-10-09-rt.md", 7, "bad-reading-time"),
    ("content/_posts/2025-10-11-dup2.md", 7, "same-url"),
    ("content/_posts/2025-10-12-case.md", 6, "tag-variant"),
    ("content/_posts/2025-10-13-width.md", 6, "tag-variant"),
    ("content/_posts/2025-10-14-look.md", 5, "category-variant"),
    ("content/_posts/2025-10-14-look.md", 5, "category-not-allowed"),
    ("content/_posts/2025-10-15-notallowed.md", 5, "category-not-allowed"),
    ("content/_posts/2025-10-16-link.md", 11, "broken-link"),
    ("content/_posts/2025-10-17-img.md", 11, "broken-image"),
    ("content/_posts/2025-10-18-anchor.md", 11, "broken-anchor"),
    ("content/_posts/2025-10-19-marker.md", 11, "marker-line"),
    ("content/_posts/2025-10-20-section.md", 15, "repeated-section"),
    ("content/_posts/2025-10-21-para.md", 13, "repeated-paragraph"),
    ("content/_posts/2025-10-22-title.md", 3, "title-markup"),
    ("content/_posts/2025-10-23-excerpt.md", 7, "excerpt-is-title"),
    ("content/_posts/2025-10-24-firstline.md", 9, "title-repeated"),
}


@pytest.fixture()
def planted(tmp_path: Path) -> Path:
    clean_site(tmp_path)
    (tmp_path / "site.yml").write_text(SITE_YML + "categories_allowed: [業界分析]\n", encoding="utf-8")
    return write(tmp_path, PLANTED)


def test_each_planted_defect_is_found_once_with_its_line(planted: Path) -> None:
    config, problems = load_config(planted)
    result = run_check(config, problems)
    found = Counter((p.where.path, p.where.line, p.code) for p in result.problems if p.where)
    assert set(found) == EXPECTED, sorted(set(found) ^ EXPECTED)
    assert all(n == 1 for n in found.values())


def test_text_format_and_exit_status(planted: Path) -> None:
    result = run("check", "-s", str(planted))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert ("content/_posts/2025-10-19-marker.md:11: error: stray marker line '---END---' \u2014 "
            "delete the line (`blogkit check --fix` does it)") in lines
    assert lines[-1].startswith(f"checked {len(PLANTED) + 3 - 2} documents: ")  # yaml + bad date unreadable


def test_json_format(planted: Path) -> None:
    result = run("check", "-s", str(planted), "--format", "json")
    records = json.loads(result.output)
    assert {(r["path"], r["line"], r["code"]) for r in records} == EXPECTED
    assert set(records[0]) == {"path", "line", "severity", "code", "message", "hint"}
    assert {r["severity"] for r in records} == {"error", "warning"}


def test_fix_removes_markers_and_exact_repeats_with_backup_and_diff(tmp_path: Path) -> None:
    clean_site(tmp_path)
    original = post(body="前文。\n\n---END---\n\n" + REPEATED + REPEATED + "## 結び\n\n以上。\n")
    path = write(tmp_path, {"content/_posts/2025-10-25-fixme.md": original}) / "content/_posts/2025-10-25-fixme.md"
    result = run("check", "-s", str(tmp_path), "--fix")
    assert "-## 見出し" in result.output and "----END---" in result.output   # the diff
    assert (path.parent / f".{path.name}.bak").read_text(encoding="utf-8") == original
    fixed = path.read_text(encoding="utf-8")
    assert fixed == post(body="前文。\n\n" + REPEATED + "## 結び\n\n以上。\n")
    assert result.exit_code == 0, result.output


def test_check_without_fix_changes_nothing(planted: Path) -> None:
    before = {p: p.read_bytes() for p in planted.rglob("*") if p.is_file()}
    run("check", "-s", str(planted))
    assert {p: p.read_bytes() for p in planted.rglob("*") if p.is_file()} == before


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed posts (<repo>/../shared/seeds) are not present")
def test_seed_posts_real_artifacts_are_found(tmp_path: Path) -> None:
    write(tmp_path, {"site.yml": SITE_YML})
    posts = tmp_path / "content/_posts"
    posts.mkdir(parents=True)
    for seed in sorted(SEEDS.iterdir()):
        (posts / f"2025-01-01-{seed.stem}.md").write_bytes(seed.read_bytes())
    config, problems = load_config(tmp_path)
    found = {(p.where.path.rsplit("_", 1)[-1], p.where.line, p.code) for p in run_check(config, problems).problems}
    # what a reader of the seeds sees: excerpt = title, the title again as the first line,
    # '---END---' lines, sections pasted twice, and a title with an unclosed '**'
    assert ("885ec092a0712be0.md", 8, "excerpt-is-title") in found
    assert ("885ec092a0712be0.md", 12, "title-repeated") in found
    assert ("885ec092a0712be0.md", 109, "repeated-section") in found
    assert ("3113bbf1b2ed782f.md", 50, "marker-line") in found
    assert ("3113bbf1b2ed782f.md", 134, "repeated-section") in found
    assert ("b8fa68eb6a450baa.md", 3, "title-markup") in found
    assert ("b8fa68eb6a450baa.md", 69, "marker-line") in found
    assert ("e164dcb01f6f6b76.md", 50, "marker-line") in found
    assert ("d4f7f66be851e954.md", 126, "repeated-section") in found
    markers = sum(1 for _, _, code in found if code == "marker-line")
    assert markers == sum(seed.read_text(encoding="utf-8").count("\n---END---") for seed in SEEDS.iterdir())
