"""jekyll-paginate (spec §9.4) and the paginated archives (§9.3 + blogkit's pagination)."""
from __future__ import annotations

from sitekit import build_files

import re
from pathlib import Path

import pytest

from blogkit.errors import ProblemLog
from blogkit.generators.common import paginate
from blogkit.generators.paginate import page_path, template_page


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def build_site(root: Path, files: dict[str, str]) -> tuple[Path, ProblemLog]:
    return build_files(root, files)


def post(day: int, title: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\ndate: 2025-01-{day:02d} 10:00:00 +0000\n{extra}---\nBody {title}.\n"


# Liquid, since a Jekyll site's pages are Liquid (nil prints nothing, as the expected text needs)
PAGER_TEMPLATE = ("{{ paginator.page }}/{{ paginator.total_pages }} "
                  "prev={{ paginator.previous_page_path }} next={{ paginator.next_page_path }} "
                  "[{% for p in paginator.posts %}{{ p.title }},{% endfor %}]")
# The same for a blogkit site's Jinja templates, where None would print "None"
JINJA_PAGER = PAGER_TEMPLATE.replace("_path }}", "_path or '' }}")


def test_spec_example_14_visible_1_hidden_paginate_3(tmp_path: Path) -> None:
    files = {"_config.yml": "plugins: [jekyll-paginate]\npaginate: 3\npaginate_path: /page:num/\ntime: 2025-12-01\n",
             "index.html": "---\ntitle: Home\n---\n" + PAGER_TEMPLATE}
    for d in range(1, 15):
        files[f"_posts/2025-01-{d:02d}-p{d}.md"] = post(d, f"P{d}")
    files["_posts/2025-01-20-h.md"] = post(20, "H", "hidden: true\n")
    out, _ = build_site(tmp_path, files)
    pages = {1: out / "index.html", **{n: out / f"page{n}" / "index.html" for n in range(2, 6)}}
    assert not (out / "page6").exists()
    texts = {n: p.read_text() for n, p in pages.items()}
    assert texts[1].startswith("1/5 prev= next=/page2/ [P14,P13,P12,]")
    assert texts[2].startswith("2/5 prev=/ next=/page3/ [P11,P10,P9,]")
    assert texts[5].startswith("5/5 prev=/page4/ next= [P2,P1,]")   # page 5 holds 2
    assert all("H," not in t for t in texts.values())
    assert (out / "2025/01/20/h.html").is_file()   # hidden posts are still built


def test_paginate_math() -> None:
    pages = paginate(list(range(7)), 3, lambda n: f"/p{n}")
    assert [len(p["posts"]) for _, p in pages] == [3, 3, 1]
    first, last = pages[0][1], pages[-1][1]
    assert (first["previous_page"], first["next_page"], first["next_page_path"]) == (None, 2, "/p2")
    assert (last["previous_page_path"], last["next_page"], last["total_posts"]) == ("/p2", None, 7)
    assert len(paginate([], 3, str)) == 1   # the list page still exists


@pytest.mark.parametrize("fmt,n,want", [("/page:num", 2, "/page2"), ("/page/:num/", 3, "/page/3/"),
                                        ("blog/page:num/", 2, "/blog/page2/"), ("/page:num", 1, "/")])
def test_page_path(fmt: str, n: int, want: str) -> None:
    assert page_path(fmt, n, "/") == want


class P:
    def __init__(self, rel: str) -> None:
        self.rel_path = rel


def test_template_page_only_index_html_deepest_wins() -> None:
    pages = [P("index.html"), P("blog/index.html"), P("about/index.html"), P("blog/index.md")]
    assert template_page(pages, "/blog/page:num/", "jekyll").rel_path == "blog/index.html"
    assert template_page(pages, "/page:num/", "jekyll").rel_path == "index.html"
    assert template_page([P("index.md")], "/page:num/", "jekyll") is None
    assert template_page([P("index.md")], "/page:num/", "blogkit").rel_path == "index.md"


def test_archive_pages_paginated_with_paginator(tmp_path: Path) -> None:
    files = {"site.yml": "title: T\npaginate: 2\ntime: 2025-12-01\n",
             "templates/archive.html": "{{ page.type }}:{{ page.title }}:{{ page.url }} "
                                       "[{% for p in page.posts %}{{ p.title }},{% endfor %}] "
                                       + JINJA_PAGER}
    for d in range(1, 6):
        files[f"content/_posts/2025-01-{d:02d}-p{d}.md"] = post(d, f"P{d}", "tags: [生成AI]\n")
    out, _ = build_site(tmp_path, files)
    base = out / "tag" / "生成ai"
    p1, p2, p3 = base / "index.html", base / "page/2/index.html", base / "page/3/index.html"
    assert p1.read_text().startswith("tag:生成AI:/tag/%E7%94%9F%E6%88%90ai/ [P5,P4,]")
    assert "prev=/tag/%E7%94%9F%E6%88%90ai/ next=/tag/%E7%94%9F%E6%88%90ai/page/3/" in p2.read_text()
    assert re.search(r"\[P1,\] 3/3 prev=\S+page/2/ next= ", p3.read_text())
    assert not (base / "page/4").exists()


@pytest.mark.parametrize("kind", ["jekyll", "blogkit"])
def test_paginated_page_is_rendered_only_with_its_paginator(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            kind: str) -> None:
    # Jekyll renders the paginated index once per pager page. A plain render first (paginator
    # nil) is wasted, and the theme's home page then lists every post of the site.
    from blogkit.render.site import RenderContext

    calls: list[tuple[str, bool]] = []
    real = RenderContext.render

    def spy(self: RenderContext, layout: object, page: object, content: object, origin: str,
            paginator: object = None, **kw: object) -> object:
        calls.append((origin, paginator is not None))
        return real(self, layout, page, content, origin, paginator, **kw)  # type: ignore[arg-type]
    monkeypatch.setattr(RenderContext, "render", spy)
    if kind == "jekyll":
        files = {"_config.yml": "plugins: [jekyll-paginate]\npaginate: 2\ntime: 2025-12-01\n",
                 "index.html": "---\ntitle: Home\n---\n" + PAGER_TEMPLATE}
        home = "index.html"
    else:
        files = {"site.yml": "title: T\npaginate: 2\ntime: 2025-12-01\n", "content/index.md": "---\nlayout: home\n---\n"}
        home = "index.md"
    posts = "_posts" if kind == "jekyll" else "content/_posts"
    for d in range(1, 6):
        files[f"{posts}/2025-01-{d:02d}-p{d}.md"] = post(d, f"P{d}")
    out, log = build_site(tmp_path, files)
    assert not log.errors
    assert [paged for origin, paged in calls if origin == home] == [True, True, True]
    first = (out / "index.html").read_text()
    assert "P5" in first and "P4" in first and "P3" not in first   # page 1: the two newest


@pytest.mark.parametrize("fmt, count", [("/page:num/", 7), ("/blog/p:num", 6), ("/page:num", 0), ("/page:num/", 2)])
def test_sitemap_lists_the_pages_pagination_writes(tmp_path: Path, fmt: str, count: int) -> None:
    # (the sitemap computes the URLs of pages 2.. without making their paginators)
    from blogkit.generators import paginate as pg
    from blogkit.render.site import RenderContext

    seen: dict[str, list[str]] = {}
    real = pg.plan

    def spy(ctx: RenderContext, report: bool = True):  # type: ignore[no-untyped-def]
        planned = real(ctx, report)
        if report:   # (the generator's call; the sitemap's comes back here with report=False)
            seen["plan"] = [p.url for p in planned[1][1:]] if planned else []
            seen["urls"] = pg.later_page_urls(ctx)
        return planned
    files = {"_config.yml": f"plugins: [jekyll-paginate]\npaginate: 2\npaginate_path: {fmt}\ntime: 2025-12-01\n",
             "index.html": "---\n---\n{{ paginator.page }}", "blog/index.html": "---\n---\nblog"}
    for d in range(1, count + 1):
        files[f"_posts/2025-01-{d:02d}-p{d}.md"] = post(d, f"P{d}", "hidden: true\n" if d == 3 else "")
    import unittest.mock
    with unittest.mock.patch.object(pg, "plan", spy):
        build_site(tmp_path, files)
    assert seen["urls"] == seen["plan"] and len(seen["plan"]) == max(0, -(-(count - (count >= 3)) // 2) - 1)
