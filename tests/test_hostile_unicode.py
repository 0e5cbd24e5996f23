"""Unicode and case in file names: NFC/NFD twins, case twins, full-width variants, file/directory clashes.

Input: Jekyll sites whose post and page names differ only in Unicode normalization (as macOS
editors write NFD), in letter case, or in width. Output: the built site — each name its own file,
as Jekyll writes them on Linux — plus a ``name-collision`` warning naming both sources when the
names would be one file on macOS/Windows; two sources that really write one path are an error.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from blogkit.config import load_config
from blogkit.errors import BuildFailed, ProblemLog
from blogkit.site import build

GA_NFC = unicodedata.normalize("NFC", "がぎぐ")
GA_NFD = unicodedata.normalize("NFD", "がぎぐ")


def make(root: Path, files: dict[str, str]) -> Path:
    site = root / "site"
    for rel, text in files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return site


def run(site: Path) -> tuple[Path, ProblemLog]:
    config, _ = load_config(site, destination=site / "_site")
    log = ProblemLog()
    build(config, log=log)
    return site / "_site", log


def test_nfc_and_nfd_names_are_two_files_and_reported(tmp_path: Path) -> None:
    assert GA_NFC != GA_NFD
    site = make(tmp_path, {"_config.yml": "title: t\n",
                           f"_posts/2024-01-01-{GA_NFC}.md": "---\ntitle: nfc\n---\nNFC body\n",
                           f"_posts/2024-01-01-{GA_NFD}.md": "---\ntitle: nfd\n---\nNFD body\n"})
    dest, log = run(site)
    day = dest / "2024" / "01" / "01"
    assert (day / f"{GA_NFC}.html").read_text(encoding="utf-8").count("NFC body") == 1
    assert (day / f"{GA_NFD}.html").read_text(encoding="utf-8").count("NFD body") == 1
    warned = [p for p in log.warnings if p.code == "name-collision"]
    assert len(warned) == 1 and GA_NFC in str(warned[0]) and GA_NFD in str(warned[0])


def test_case_twins_are_two_files_and_reported_width_variants_are_not(tmp_path: Path) -> None:
    site = make(tmp_path, {"_config.yml": "title: t\n",
                           "_posts/2024-01-01-Hello.md": "---\ntitle: upper\n---\nUPPER\n",
                           "_posts/2024-01-01-hello.md": "---\ntitle: lower\n---\nlower\n",
                           "_posts/2024-01-02-ｈｅｌｌｏ.md": "---\ntitle: wide\n---\nWIDE\n",
                           "_posts/2024-01-02-hello.md": "---\ntitle: narrow\n---\nNARROW\n"})
    dest, log = run(site)
    assert "UPPER" in (dest / "2024/01/01/Hello.html").read_text(encoding="utf-8")
    assert "lower" in (dest / "2024/01/01/hello.html").read_text(encoding="utf-8")
    assert "WIDE" in (dest / "2024/01/02/ｈｅｌｌｏ.html").read_text(encoding="utf-8")
    assert "NARROW" in (dest / "2024/01/02/hello.html").read_text(encoding="utf-8")
    warned = [str(p) for p in log.warnings if p.code == "name-collision"]
    assert len(warned) == 1 and "Hello.html" in warned[0] and "hello.html" in warned[0]


def test_two_sources_writing_one_path_is_an_error_naming_both(tmp_path: Path) -> None:
    site = make(tmp_path, {"_config.yml": "title: t\n",
                           f"_posts/2024-01-01-{GA_NFD}.md": f"---\ntitle: a\nslug: {GA_NFC}\npermalink: /x/:slug/\n---\na\n",
                           f"_posts/2024-01-02-{GA_NFC}.md": "---\ntitle: b\npermalink: /x/:slug/\n---\nb\n"})
    with pytest.raises(BuildFailed) as info:
        run(site)
    text = " ".join(str(p) for p in info.value.problems)
    assert "both write" in text and GA_NFD in text and GA_NFC in text
    assert not (site / "_site").exists()  # nothing was written


def test_a_file_where_another_output_needs_a_directory_is_a_located_error(tmp_path: Path) -> None:
    site = make(tmp_path, {"_config.yml": "title: t\n", "docs": "plain static file\n",
                           "guide.md": "---\ntitle: g\npermalink: /docs/\n---\ng\n"})
    with pytest.raises(BuildFailed) as info:
        run(site)
    problems = info.value.problems
    assert problems and all(p.where is not None and p.where.path in ("docs", "guide.md") for p in problems)
