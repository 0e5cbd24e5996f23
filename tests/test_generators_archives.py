"""jekyll-archives 2.2.1 (spec §9.3): URLs, slugs, collisions merged with a warning."""
from __future__ import annotations

from sitekit import build_files

from pathlib import Path

from blogkit.config import load_config
from blogkit.errors import ProblemLog
from blogkit.generators.archives import archive_url, page_url
from blogkit.site import build


def build_site(root: Path, files: dict[str, str]) -> tuple[Path, ProblemLog]:
    return build_files(root, files)


ARCHIVE = "{{ page.type }}|{{ page.title or '' }}|{% for p in page.posts %}{{ p.title }},{% endfor %}"


def test_spec_slugs() -> None:
    assert archive_url("/category/:name/", {"name": "業界別ai活用"}) == \
        "/category/%E6%A5%AD%E7%95%8C%E5%88%A5ai%E6%B4%BB%E7%94%A8/"
    assert page_url("/tag/c/", 2) == "/tag/c/page/2/"
    assert page_url("/t/ai.html", 3) == "/t/ai/page/3/"


def test_case_collision_is_merged_and_warned(tmp_path: Path) -> None:
    files = {"site.yml": "time: 2025-12-01\n", "templates/archive.html": ARCHIVE,
             "content/_posts/2025-01-01-a.md": "---\ntitle: A\ntags: [AI]\n---\nx\n",
             "content/_posts/2025-01-02-b.md": "---\ntitle: B\ntags: [ai]\n---\nx\n",
             "content/_posts/2025-01-03-c.md": "---\ntitle: C\ntags: [AI]\ncategories: [R&D, C++]\n---\nx\n"}
    out, log = build_site(tmp_path, files)
    assert (out / "tag/ai/index.html").read_text() == "tag|ai|C,B,A,"   # both keys, newest first
    warnings = [p.message for p in log.warnings if p.code == "archive-collision"]
    assert len(warnings) == 1 and "'AI'" in warnings[0] and "'ai'" in warnings[0]
    assert (out / "category/r-d/index.html").read_text() == "category|R&amp;D|C,"
    assert (out / "category/c/index.html").is_file()


def test_jekyll_site_date_archives_and_layouts(tmp_path: Path) -> None:
    files = {"_config.yml": "plugins: [jekyll-archives]\ntime: 2025-12-01\njekyll-archives:\n"
                            "  enabled: [year, month, day]\n  layouts: {year: y}\n",
             "_templates/archive.html": "A {{ page.date.strftime('%Y-%m-%d') }} " + ARCHIVE,
             "_templates/y.html": "Y " + ARCHIVE,
             "_posts/2024-12-31-a.md": "---\ntitle: A\n---\nx\n",
             "_posts/2025-02-03-b.md": "---\ntitle: B\n---\nx\n",
             "_posts/2025-02-09-c.md": "---\ntitle: C\n---\nx\n"}
    out, _ = build_site(tmp_path, files)
    assert (out / "2025/index.html").read_text() == "Y year||C,B,"
    assert (out / "2025/02/index.html").read_text() == "A 2025-02-01 month||C,B,"
    assert (out / "2025/02/03/index.html").read_text() == "A 2025-02-03 day||B,"
    assert (out / "2024/12/31/index.html").is_file()
    assert not (out / "tag").exists() and not (out / "category").exists()


def test_missing_layout_writes_empty_pages_warns_once(tmp_path: Path) -> None:
    # `nosuch` is in neither the site nor the built-in theme (which supplies `archive`)
    files = {"_config.yml": "plugins: [jekyll-archives]\njekyll-archives: {enabled: [tags], layout: nosuch}\n",
             "_posts/2025-01-01-a.md": "---\ntags: [x, y]\n---\nx\n"}
    out, log = build_site(tmp_path, files)
    assert (out / "tag/x/index.html").read_bytes() == b"" == (out / "tag/y/index.html").read_bytes()
    assert sum(p.code == "missing-layout" for p in log.warnings) == 1



def _seven_posts(config_name: str, config: str) -> dict[str, str]:
    jekyll = config_name == "_config.yml"
    files = {config_name: config, ("_templates" if jekyll else "templates") + "/archive.html": ARCHIVE}
    for i in range(1, 8):
        files[f"{'' if jekyll else 'content/'}_posts/2025-01-0{i}-p{i}.md"] = f"---\ntitle: P{i}\ntags: [x]\n---\nx\n"
    return files


def test_paginated_archives_are_a_blogkit_extra(tmp_path: Path) -> None:
    """A blogkit site pages its archives (`paginate` posts each); a Jekyll site writes one page
    per archive, as jekyll-archives does, unless `features: {paginate_archives: true}`."""
    blog, _ = build_site(tmp_path / "b", _seven_posts("site.yml", "time: 2025-12-01\npaginate: 3\n"))
    assert (blog / "tag/x/index.html").read_text() == "tag|x|P7,P6,P5,"
    assert (blog / "tag/x/page/3/index.html").read_text() == "tag|x|P1,"
    off, _ = build_site(tmp_path / "o", _seven_posts(
        "site.yml", "time: 2025-12-01\npaginate: 3\nfeatures: {paginate_archives: false}\n"))
    assert (off / "tag/x/index.html").read_text() == "tag|x|P7,P6,P5,P4,P3,P2,P1,"
    assert not (off / "tag/x/page").exists()
    jekyll_config = ("plugins: [jekyll-archives, jekyll-paginate]\ntime: 2025-12-01\npaginate: 3\n"
                     "jekyll-archives: {enabled: [tags]}\n")
    jekyll, _ = build_site(tmp_path / "j", _seven_posts("_config.yml", jekyll_config))
    assert (jekyll / "tag/x/index.html").read_text() == "tag|x|P7,P6,P5,P4,P3,P2,P1,"
    assert not (jekyll / "tag/x/page").exists()
    opted, _ = build_site(tmp_path / "p", _seven_posts(
        "_config.yml", jekyll_config + "features: {paginate_archives: true}\n"))
    assert (opted / "tag/x/page/3/index.html").read_text() == "tag|x|P1,"
