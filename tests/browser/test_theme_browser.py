"""The default theme in a real Chromium: no console errors, no overflow at 360 px, dark mode,
keyboard access, Japanese typography measurements, and screenshots to look at."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
EXAMPLE_POST = "/%E7%94%9F%E6%88%90ai/2025/09/29/rag-lessons.html"


def first_page(root: Path, pattern: str) -> str | None:
    """URL of the first built file matching ``pattern`` (archives exist once the generators run)."""
    found = sorted(root.glob(pattern))
    if not found:
        return None
    from urllib.parse import quote
    rel = found[0].relative_to(root).as_posix()
    return "/" + quote(rel.removesuffix("index.html"))


def pages_of(site, which: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    urls: dict[str, str | None] = {"home": "/", "post": EXAMPLE_POST if which == "example" else None,
                                   "archive": first_page(site.root, "category/*/index.html"),
                                   "tags": "/tags/" if (site.root / "tags" / "index.html").is_file() else None}
    if which == "corpus":
        urls["post"] = first_page(site.root, "*/20*/*/*/*.html")
        urls["page2"] = "/page2/" if (site.root / "page2" / "index.html").is_file() else None
    return {k: v for k, v in urls.items() if v}


@pytest.fixture
def page(browser) -> Iterator:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE)
    pg = context.new_page()
    pg.problems = []  # type: ignore[attr-defined]
    pg.on("console", lambda m: m.type == "error" and pg.problems.append(f"console: {m.text}"))
    pg.on("pageerror", lambda e: pg.problems.append(f"pageerror: {e}"))
    pg.on("response", lambda r: r.status >= 400 and pg.problems.append(f"{r.status} {r.url}"))
    yield pg
    context.close()


@pytest.mark.parametrize("which", ["example", "corpus"])
def test_pages_load_cleanly_and_fit_a_phone(which: str, page, request) -> None:  # type: ignore[no-untyped-def]
    site = request.getfixturevalue(f"{which}_site")
    urls = pages_of(site, which)
    assert {"home", "post"} <= urls.keys()
    for name, path in urls.items():
        page.goto(site.url(path))
        assert page.problems == [], (name, page.problems)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= page.evaluate("innerWidth"), f"{name} ({path}) is {width}px wide at 360px"
        assert page.locator("h1").count() == 1, name


def test_dark_mode_changes_the_colours(page, example_site, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    bg = "getComputedStyle(document.documentElement).backgroundColor"
    fg = "getComputedStyle(document.body).color"
    page.emulate_media(color_scheme="light")
    page.goto(example_site.url(EXAMPLE_POST))
    light = page.evaluate(bg), page.evaluate(fg)
    page.emulate_media(color_scheme="dark")
    dark = page.evaluate(bg), page.evaluate(fg)
    assert light[0] == "rgb(255, 255, 255)" and dark[0] != light[0] and dark[1] != light[1]
    # Dark background really is dark: the sum of its channels is low.
    assert sum(int(c) for c in dark[0][4:-1].split(",")) < 150
    page.screenshot(path=str(artifacts / "example-post-dark-phone.png"))


def test_skip_link_is_first_and_moves_focus_to_main(page, example_site) -> None:  # type: ignore[no-untyped-def]
    page.goto(example_site.url(EXAMPLE_POST))
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert focused == ["skip-link", "#main"]
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0  # shown on screen when focused
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_japanese_typography(page, example_site) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size(DESKTOP)
    page.goto(example_site.url(EXAMPLE_POST))
    metrics = page.evaluate("""() => {
        const p = document.querySelector('.prose p');
        const s = getComputedStyle(p);
        const t = getComputedStyle(document.querySelector('.post-title'));
        return {size: parseFloat(s.fontSize), line: parseFloat(s.lineHeight),
                width: p.getBoundingClientRect().width, synth: s.fontSynthesis || s.fontSynthesisWeight,
                lineBreak: s.lineBreak, titleBreak: t.wordBreak, titleWrap: t.overflowWrap};
    }""")
    assert 1.8 <= metrics["line"] / metrics["size"] <= 2.0
    assert 35 <= metrics["width"] / metrics["size"] <= 40          # full-width characters per line
    assert metrics["lineBreak"] == "strict" and metrics["titleWrap"] == "anywhere"
    assert metrics["titleBreak"] in ("auto-phrase", "normal")       # auto-phrase where Chromium supports it
    assert metrics["synth"] in ("none",)


SHOTS = [("example", "home"), ("example", "post"), ("corpus", "home"), ("corpus", "post"), ("corpus", "tags"),
         ("example", "tags"), ("corpus", "archive")]


@pytest.mark.parametrize("which,name", SHOTS)
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_screenshots(which: str, name: str, size: str, page, artifacts: Path, request) -> None:  # type: ignore[no-untyped-def]
    site = request.getfixturevalue(f"{which}_site")
    path = pages_of(site, which).get(name)
    if path is None:
        pytest.skip(f"no {name} page in the {which} output yet (generated by the generators branch)")
    page.set_viewport_size(PHONE if size == "phone" else DESKTOP)
    page.goto(site.url(path))
    shot = artifacts / f"{which}-{name}-{size}.png"
    page.screenshot(path=str(shot), full_page=size == "phone" and name != "post")
    assert shot.stat().st_size > 5_000 and page.problems == []
