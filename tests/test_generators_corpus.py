"""On a 1,000-post corpus every category/tag archive's pages list exactly that key's posts,
newest first, and the paginator's previous/next paths chain page to page."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from blogkit.config import load_config
from blogkit.errors import ProblemLog
from blogkit.generators import archives
from blogkit.generators.common import page_total
from blogkit.site import read_site

MAKE_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "make_corpus.py"


@pytest.mark.skipif(not MAKE_CORPUS.is_file(), reason=f"corpus generator not found at {MAKE_CORPUS}")
def test_archives_partition_1000_posts(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(MAKE_CORPUS), "1000", str(tmp_path)], check=True, capture_output=True)
    (tmp_path / "_config.yml").write_text("plugins: [jekyll-archives]\npaginate: 7\ntime: 2030-01-01\n"
                                          "features: {paginate_archives: true}\n"
                                          "jekyll-archives: {enabled: [categories, tags]}\n", encoding="utf-8")
    config, _ = load_config(tmp_path)
    log = ProblemLog()
    model = read_site(config, log)
    assert len(model.posts) == 1000
    views = [{"url": p.url, "date": p.date} for p in model.posts]
    ctx = SimpleNamespace(config=config, model=model, log=log, post_views=views)
    by_url = {v["url"]: v for v in views}
    found = archives.collect(ctx)
    assert {a.type for a in found} == {"tag", "category"}
    for archive in found:
        terms = model.tags if archive.type == "tag" else model.categories
        want = [p.url for p in model.posts if any(k in (p.tags if archive.type == "tag" else p.categories)
                                          for k in archive.keys)]
        assert set(want) == {u for k in archive.keys for u in terms[k]}
        posts = [by_url[u] for u in archive.post_urls]
        per = archives.per_page(ctx)
        pages = archives.plan_pages(archive, page_total(len(posts), per))
        pagers = [archives.archive_pager(archive, posts, per, p.number) for p in pages]
        listed = [v["url"] for pg in pagers for v in pg["posts"]]
        assert listed == want   # every post of the key once, newest first (site.posts order)
        dates = [by_url[u]["date"] for u in listed]
        assert dates == sorted(dates, reverse=True)
        for i, pg in enumerate(pagers):
            assert pg["page"] == i + 1 and pg["total_pages"] == len(pages)
            assert len(pg["posts"]) == (7 if i + 1 < len(pages) else len(want) - 7 * i)
            assert pg["next_page_path"] == (pages[i + 1].url if i + 1 < len(pages) else None)
            assert pg["previous_page_path"] == (pages[i - 1].url if i else None)
        assert pages[0].url == archive.url
