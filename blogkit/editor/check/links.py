"""Link checks: documents rendered with the site's Markdown in, problems for dead targets out.

Every ``href``/``src`` that stays inside the site is resolved against the files the build
writes: documents and static files first, then (only when something is still unresolved)
the generated pages (archives, feeds, pagination) from a full render. ``#anchors`` are
checked against the ids in the target document's HTML (headings, footnotes).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Callable, Iterable, Sequence
from urllib.parse import unquote, urljoin, urlsplit

from ...content.model import Document, StaticFile
from ...errors import Location, Problem, Severity
from ...markdown import Markdown

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_TEMPLATE = ("{{", "{%", "%7B%7B", "%7B%25")


@dataclass(frozen=True, slots=True)
class Link:
    attr: str       # "href" or "src"
    value: str


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[Link] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            elif (name == "href" and tag == "a") or (name == "src" and tag in ("img", "source", "video", "audio")):
                self.links.append(Link(name, value))


def scan_html(html: str) -> tuple[list[Link], set[str]]:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.links, collector.ids


def path_keys(dest: str) -> set[str]:
    """The request paths that reach one output file: /a/b/index.html, /a/b/, /a/b; /x.html, /x."""
    path = "/" + dest
    keys = {path}
    if path.endswith("/index.html"):
        keys.update({path[:-len("index.html")], path[:-len("/index.html")] or "/"})
    elif path.endswith(".html"):
        keys.add(path[:-5])
    return keys


@dataclass
class Targets:
    """Known output paths (decoded) and each document's ids, keyed by its decoded path keys."""

    paths: set[str]
    ids: dict[str, set[str]]
    generated: Callable[[], Iterable[str]] | None = None   # lazily computed extra outputs
    _loaded: bool = False

    def exists(self, path: str) -> bool:
        if path in self.paths:
            return True
        if self.generated is not None and not self._loaded:
            self._loaded = True
            try:
                for dest in self.generated():
                    self.paths.update(path_keys(dest))
            except Exception:  # noqa: BLE001 - a template problem is the build's to report, not ours
                pass
        return path in self.paths


def check_links(docs: Sequence[Document], statics: Sequence[StaticFile], md: Markdown, baseurl: str,
                generated: Callable[[], Iterable[str]] | None = None) -> list[Problem]:
    out: list[Problem] = []
    rendered: dict[str, tuple[list[Link], set[str]]] = {}
    targets = Targets(set(), {}, generated)
    for sf in statics:
        targets.paths.update(path_keys(str(sf.dest)))
    for doc in docs:
        if doc.kind == "draft":
            continue
        keys = path_keys(str(doc.dest))
        targets.paths.update(keys)
    for doc in docs:
        if not doc.is_markdown:
            continue
        try:
            links, ids = scan_html(md.render(doc.body).html)
        except Exception as exc:  # noqa: BLE001 - report a Markdown crash as this file's problem
            out.append(Problem(f"Markdown rendering failed: {type(exc).__name__}: {exc}",
                               Location(doc.rel_path, doc.body_line), "simplify the Markdown near that line",
                               Severity.ERROR, "markdown"))
            continue
        rendered[doc.rel_path] = (links, ids)
        if doc.kind != "draft":
            for key in path_keys(str(doc.dest)):
                targets.ids[key] = ids
    base = "/" + baseurl.strip("/") if baseurl.strip("/") else ""
    for doc in docs:
        if doc.rel_path not in rendered:
            continue
        links, ids = rendered[doc.rel_path]
        cursor = 0
        for link in links:
            problem, cursor = _check_one(doc, link, ids, targets, base, cursor)
            if problem:
                out.append(problem)
    return out


def _check_one(doc: Document, link: Link, own_ids: set[str], targets: Targets, base: str,
               cursor: int) -> tuple[Problem | None, int]:
    value = link.value.strip()
    if not value or value.startswith("//") or _SCHEME.match(value) or any(t in value for t in _TEMPLATE):
        return None, cursor
    line, cursor = _line_of(doc, value, cursor)
    where = Location(doc.rel_path, line)
    kind = "image" if link.attr == "src" else "link"
    code = "broken-image" if kind == "image" else "broken-link"
    parts = urlsplit(value)
    fragment = unquote(parts.fragment)
    if not parts.path:
        if fragment and fragment not in own_ids:
            return Problem(f"anchor '#{fragment}' matches no heading or id in this post", where,
                           "use the id of a heading (see the built page) or fix the anchor", Severity.ERROR,
                           "broken-anchor"), cursor
        return None, cursor
    path = unquote(urljoin(unquote(doc.url), unquote(parts.path)))
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base):] or "/"
    if not targets.exists(path):
        return Problem(f"{kind} to '{value}' points nowhere in the site", where,
                       "fix the path (site-relative, e.g. /2025/09/29/slug.html or /assets/img.png)",
                       Severity.ERROR, code), cursor
    if fragment and link.attr == "href":
        ids = targets.ids.get(path)
        if ids is not None and fragment not in ids:
            return Problem(f"anchor '#{fragment}' does not exist in {path}", where,
                           "use the id of a heading in that post", Severity.ERROR, "broken-anchor"), cursor
    return None, cursor


def _line_of(doc: Document, value: str, cursor: int) -> tuple[int, int]:
    """File line of the link in the source; searched from the previous link onwards."""
    body = doc.body
    for needle in (value, unquote(value)):
        index = body.find(needle, cursor)
        if index < 0:
            index = body.find(needle)
        if index >= 0:
            return doc.body_line + body.count("\n", 0, index), index + len(needle)
    return doc.body_line, cursor
