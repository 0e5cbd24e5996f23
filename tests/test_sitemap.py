"""jekyll-sitemap 1.4.0 (spec §9.2): strict structural checks of the 0.9 schema, robots.txt."""
from __future__ import annotations

from sitekit import build_files

from pathlib import Path

from lxml import etree

from blogkit.config import load_config
from blogkit.errors import ProblemLog
from blogkit.site import build

SM = "http://www.sitemaps.org/schemas/sitemap/0.9"


def build_site(root: Path, files: dict[str, str]) -> Path:
    return build_files(root, files)[0]


def check_structure(raw: bytes) -> list[tuple[str, str | None]]:
    """The sitemap 0.9 XSD's rules: urlset > url > loc (1, absolute, < 2048 chars) + lastmod (0..1)."""
    root = etree.fromstring(raw)
    assert root.tag == f"{{{SM}}}urlset"
    rows = []
    for url in root:
        assert url.tag == f"{{{SM}}}url"
        names = [etree.QName(c).localname for c in url]
        assert names in (["loc"], ["loc", "lastmod"]), names
        loc = url[0].text or ""
        assert loc.startswith(("http://", "https://")) and len(loc) < 2048
        rows.append((loc, url[1].text if len(url) > 1 else None))
    return rows


FILES = {"_config.yml": "plugins: [jekyll-sitemap, jekyll-paginate, jekyll-archives, jekyll-feed]\n"
                        "url: https://example.com\npaginate: 1\ntime: 2025-12-01\n"
                        "jekyll-archives: {enabled: [tags]}\n",
         "index.html": "---\n---\nhome",
         "404.html": "---\npermalink: /404.html\n---\nnf",
         "private.md": "---\nsitemap: false\n---\nx",
         "data.xml": "---\n---\n<x/>",
         "doc.pdf": "%PDF",
         "_posts/2025-01-01-a b.md": "---\ntags: [x]\nlast_modified_at: 2025-02-01 00:00:00 +0000\n---\nx\n",
         "_posts/2025-01-02-c.md": "---\ntags: [x]\n---\nx\n"}


def test_sitemap_contents(tmp_path: Path) -> None:
    out = build_site(tmp_path, FILES)
    rows = dict(check_structure((out / "sitemap.xml").read_bytes()))
    assert rows.pop("https://example.com/2025/01/01/a-b.html") == "2025-02-01T00:00:00+00:00"
    assert rows.pop("https://example.com/2025/01/02/c.html") == "2025-01-02T00:00:00+00:00"
    assert rows.pop("https://example.com/") is None          # /index.html -> /
    assert rows.pop("https://example.com/page2/") is None    # paginator page
    assert rows.pop("https://example.com/tag/x/") is None    # the archive: one page, as jekyll-archives
    assert rows.pop("https://example.com/doc.pdf") is not None     # static: file mtime
    assert rows == {}   # no 404, sitemap:false page, .xml page, feed or robots.txt
    assert (out / "robots.txt").read_text() == "Sitemap: https://example.com/sitemap.xml\n"


def test_not_generated_over_a_source(tmp_path: Path) -> None:
    out = build_site(tmp_path, {**FILES, "robots.txt": "User-agent: *\n"})
    assert (out / "robots.txt").read_text() == "User-agent: *\n"
    assert (out / "sitemap.xml").is_file()


def test_off_without_plugin(tmp_path: Path) -> None:
    out = build_site(tmp_path, {"_config.yml": "title: x\n", "_posts/2025-01-01-a.md": "---\n---\nx"})
    assert not (out / "sitemap.xml").exists() and not (out / "robots.txt").exists()


SCHEMA = Path(__file__).parent / "fixtures" / "sitemap-0.9.xsd"


def test_sitemap_validates_against_the_schema(tmp_path: Path) -> None:
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    files = dict(FILES)
    files["_posts/2025-01-03-日本語の記事.md"] = "---\ntags: [生成AI, \"R&D\"]\ncategories: [業界別AI活用]\n---\nx\n"
    out = build_site(tmp_path, files)
    doc = etree.parse(str(out / "sitemap.xml"))
    assert schema.validate(doc), schema.error_log
    # and the schema does reject a broken one (a url without loc), so the check can fail
    bad = etree.fromstring(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><lastmod>2025-01-01</lastmod></url></urlset>')
    assert not schema.validate(bad)
