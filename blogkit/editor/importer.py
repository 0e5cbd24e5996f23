"""``blogkit import PATH...``: existing files in, posts in ``content/_posts`` (and more) out.

* a file with Jekyll front matter (any name, e.g. the seeds' ``000_885ec092a0712be0.txt``)
  becomes ``_posts/YYYY-MM-DD-<slug>.md``: the date from its front matter (in the site's time
  zone, as the URL uses it), the slug from ``slug:`` or the file name; bytes unchanged;
* a Jekyll site directory (with ``_config.yml``) has its posts, drafts, pages and static files
  copied under the same relative paths into the content directory;
* a plain directory has each of its files imported as above.

Nothing is ever overwritten; every file not imported is reported with the reason.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..config import JEKYLL_CONFIG_NAMES, SiteConfig, load_config
from ..content.frontmatter import parse_front_matter
from ..dates import parse_date
from ..errors import BlogkitError, Location, Problem, Severity
from ..site import discover_sources, zone_of
from .paths import check_slug, existing_urls, inside, planned_document, posts_dir, shown_path

_ORDER_PREFIX = re.compile(r"^\d+[_-](?=.)")
_DATE_PREFIX = re.compile(r"^\d{2,4}-\d{1,2}-\d{1,2}-")
NOT_IMPORTED_DIRS = {"_layouts": "Liquid layouts: port them to Jinja templates in templates/",
                     "_includes": "Liquid includes: port them to Jinja templates in templates/",
                     "_plugins": "Ruby plugins cannot run in blogkit", "_sass": "Sass is not compiled by blogkit",
                     "_data": "data files are not imported yet: copy them by hand"}


@dataclass
class ImportReport:
    imported: list[tuple[str, str]] = field(default_factory=list)   # (from, to)
    problems: list[Problem] = field(default_factory=list)

    def skip(self, shown: str, message: str, hint: str | None = None, line: int | None = None,
             code: str = "not-imported") -> None:
        self.problems.append(Problem(f"not imported: {message}", Location(shown, line), hint,
                                     Severity.ERROR, code))


def slug_from_name(path: Path) -> str:
    stem = _DATE_PREFIX.sub("", path.stem)
    return _ORDER_PREFIX.sub("", stem)   # "000_885ec092a0712be0" -> "885ec092a0712be0"


def import_paths(config: SiteConfig, paths: list[Path]) -> ImportReport:
    report = ImportReport()
    urls = existing_urls(config)
    for path in paths:
        if path.is_dir() and any((path / n).is_file() for n in JEKYLL_CONFIG_NAMES):
            _import_jekyll_site(config, path, report)
        elif path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
                _import_post(config, child, report, urls)
        elif path.is_file():
            _import_post(config, path, report, urls)
        else:
            report.skip(str(path), "no such file or directory")
    return report


def _import_post(config: SiteConfig, path: Path, report: ImportReport, urls: dict[str, str]) -> None:
    shown = str(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        report.skip(shown, "the file is not UTF-8", "convert it to UTF-8", raw[:exc.start].count(b"\n") + 1)
        return
    try:
        parsed = parse_front_matter(text.replace("\r\n", "\n"), shown)
    except BlogkitError as exc:
        report.skip(shown, exc.message, exc.hint, exc.where.line if exc.where else None)
        return
    if not parsed.has_front_matter:
        report.skip(shown, "no front matter", "a post starts with '---', its front matter and '---'")
        return
    if parsed.meta.get("date") in (None, ""):
        report.skip(shown, "no date in the front matter", "add 'date: YYYY-MM-DD HH:MM:SS +0900'", 1)
        return
    try:
        date = parse_date(parsed.meta["date"], zone_of(config))
    except ValueError as exc:
        report.skip(shown, f"invalid date: {exc}", "fix the date", parsed.key_lines.get("date"))
        return
    slug = str(parsed.meta.get("slug") or slug_from_name(path))
    try:
        check_slug(slug)
    except BlogkitError as exc:
        report.skip(shown, exc.message, "give the post a 'slug:' in its front matter")
        return
    ext = ".md" if path.suffix.lower() in ("", ".txt", ".text") else path.suffix
    target = posts_dir(config) / f"{date:%Y-%m-%d}-{slug}{ext}"
    _write_new(config, target, raw, text, shown, report, urls)


def _write_new(config: SiteConfig, target: Path, raw: bytes, text: str | None, shown: str,
               report: ImportReport, urls: dict[str, str]) -> None:
    dest = shown_path(target, config)
    if not inside(target, config.content_dir):
        report.skip(shown, f"{dest} would be outside the site", code="unsafe-path")
        return
    if target.exists():
        report.skip(shown, f"{dest} already exists", "blogkit never overwrites; remove or rename one of them",
                    code="exists")
        return
    if text is not None:
        try:
            url = planned_document(config, target, text).url
        except BlogkitError as exc:
            report.skip(shown, exc.message, exc.hint, code=exc.code)
            return
        if url in urls:
            report.skip(shown, f"its URL {url} is already used by {urls[url]}", "give it another 'slug:'",
                        code="same-url")
            return
        urls[url] = dest
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "xb") as fh:
        fh.write(raw)
    report.imported.append((shown, dest))


def _import_jekyll_site(config: SiteConfig, root: Path, report: ImportReport) -> None:
    jekyll, _ = load_config(root)
    jekyll = replace(jekyll, data={**jekyll.data, "show_drafts": True})
    urls = existing_urls(config)
    for name, why in NOT_IMPORTED_DIRS.items():
        if (root / name).is_dir():
            report.problems.append(Problem(f"not imported: {name}/ ({why})", Location(str(root / name)),
                                           severity=Severity.WARNING, code="not-imported"))
    for src in discover_sources(jekyll):
        target = config.content_dir / src.rel_path
        raw = src.path.read_bytes()
        text = raw.decode("utf-8", "replace") if src.kind in ("post", "page") else None
        if src.kind == "page":
            text = None  # pages keep their paths; their URLs follow from them
        _write_new(config, target, raw, text, str(src.path), report, urls)
