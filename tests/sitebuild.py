"""Helpers shared by the theme tests: build a site into a folder, list the links of a built site."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import unquote, urlsplit

import lxml.html

from blogkit.config import SiteConfig, load_config
from blogkit.site import build

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO                       # the example site lives at the repository root (site.yml)
SHARED = REPO.parent / "shared"
MAKE_CORPUS = SHARED / "bench" / "make_corpus.py"


def build_site(source: Path, dest: Path, **overrides: Any) -> SiteConfig:
    config, _ = load_config(source, destination=dest, overrides=overrides or None)
    build(config)  # raises BuildFailed, listing every problem, if anything is wrong
    return config


@dataclass(frozen=True)
class Link:
    page: Path          # the HTML file, relative to the output root
    attr: str           # href or src
    value: str
    in_content: bool    # inside the author's Markdown (.prose), not the theme's chrome


def iter_links(root: Path) -> Iterator[Link]:
    for html in sorted(root.rglob("*.html")):
        tree = lxml.html.fromstring(html.read_bytes())
        for el in tree.iter():
            if not isinstance(el.tag, str):
                continue
            for attr in ("href", "src"):
                value = el.get(attr)
                if value is None:
                    continue
                in_content = any("prose" in (a.get("class") or "").split() for a in el.iterancestors())
                yield Link(html.relative_to(root), attr, value, in_content)


def resolve(root: Path, baseurl: str, link: Link) -> Path | None:
    """The output file an internal link points to, or None. External links are not asked."""
    parts = urlsplit(link.value)
    path = unquote(parts.path)
    if not path:                                  # "#frag" or "?q": the page itself
        return root / link.page
    if not path.startswith("/"):
        path = "/" + (link.page.parent / path).as_posix().lstrip("./")
    base = "/" + baseurl.strip("/") if baseurl.strip("/") else ""
    if base:
        if not (path == base or path.startswith(base + "/")):
            return None
        path = path[len(base):] or "/"
    target = root / path.lstrip("/")
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def is_external(value: str) -> bool:
    parts = urlsplit(value)
    return bool(parts.scheme or parts.netloc) or value.startswith(("mailto:", "tel:", "data:"))


def ids_of(html: Path) -> set[str]:
    tree = lxml.html.fromstring(html.read_bytes())
    return {el.get("id") for el in tree.iter() if isinstance(el.tag, str) and el.get("id")}
