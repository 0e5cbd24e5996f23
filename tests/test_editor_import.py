"""`blogkit import`: loose post files and whole Jekyll sites, byte for byte, never overwriting."""
from __future__ import annotations

from pathlib import Path

import pytest

from test_editor_helpers import SEEDS, SITE_YML, post, run, write


def site(root: Path) -> Path:
    return write(root / "site", {"site.yml": SITE_YML})


def test_import_loose_files_keeps_bytes_and_names_by_date(tmp_path: Path) -> None:
    dest = site(tmp_path)
    src = write(tmp_path / "in", {"000_885ec092a0712be0.txt": post(date="2025-09-29 20:37:36 +0000"),
                                  "nodate.txt": "---\ntitle: x\n---\n\nbody\n", "plain.txt": "no front matter\n"})
    result = run("import", "-s", str(dest), str(src))
    assert result.exit_code == 1
    # 20:37 UTC is the next day in Asia/Tokyo, where the URL's date is taken
    target = dest / "content/_posts/2025-09-30-885ec092a0712be0.md"
    assert target.read_bytes() == (src / "000_885ec092a0712be0.txt").read_bytes()
    assert "nodate.txt:1: not imported: no date in the front matter" in result.output
    assert "plain.txt: not imported: no front matter" in result.output
    again = run("import", "-s", str(dest), str(src / "000_885ec092a0712be0.txt"))
    assert "already exists" in again.output and again.exit_code == 1
    assert target.read_bytes() == (src / "000_885ec092a0712be0.txt").read_bytes()


def test_import_refuses_a_second_file_with_the_same_url(tmp_path: Path) -> None:
    dest = site(tmp_path)
    src = write(tmp_path / "in", {"a.md": post(extra="slug: same\n"), "b.md": post(extra="slug: same\n",
                                                                                     date="2025-10-01 11:00 +0900")})
    result = run("import", "-s", str(dest), str(src / "a.md"), str(src / "b.md"))
    assert "already exists" in result.output
    assert len(list((dest / "content/_posts").iterdir())) == 1


def test_import_jekyll_site(tmp_path: Path) -> None:
    dest = site(tmp_path)
    jekyll = write(tmp_path / "jk", {"_config.yml": "title: old\n", "_posts/2024-01-02-hello.md": post(),
                                     "_drafts/idea.md": "---\ntitle: idea\n---\nx\n", "about.md": "---\n---\nabout\n",
                                     "assets/a.png": "png", "_layouts/post.html": "{{ content }}"})
    result = run("import", "-s", str(dest), str(jekyll))
    for rel in ("_posts/2024-01-02-hello.md", "_drafts/idea.md", "about.md", "assets/a.png"):
        assert (dest / "content" / rel).read_bytes() == (jekyll / rel).read_bytes(), rel
    assert "_layouts/ (Liquid layouts" in result.output
    assert not (dest / "content/_config.yml").exists()


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed posts (<repo>/../shared/seeds) are not present")
def test_import_seeds_then_build(tmp_path: Path) -> None:
    dest = site(tmp_path)
    result = run("import", "-s", str(dest), str(SEEDS))
    assert result.exit_code == 0, result.output
    imported = sorted((dest / "content/_posts").iterdir())
    assert len(imported) == len(list(SEEDS.iterdir()))
    assert {p.read_bytes() for p in imported} == {s.read_bytes() for s in SEEDS.iterdir()}
    assert run("build", "-s", str(dest), "-q").exit_code == 0
