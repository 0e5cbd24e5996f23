"""``blogkit publish DRAFT``: a draft file in, a dated post in ``_posts`` out (the draft is removed).

Only the ``date:`` line of the front matter changes (added when missing); every other byte of
the draft is kept. Refuses to overwrite a post or to take a URL another post has.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..config import SiteConfig
from ..content.discover import DRAFT_NAME_RE
from ..content.frontmatter import parse_front_matter
from ..errors import BlogkitError, Location
from .new import post_date
from .paths import check_slug, drafts_dir, existing_urls, inside, planned_document, posts_dir, shown_path


@dataclass(frozen=True)
class PlannedPublish:
    draft: Path
    path: Path
    text: str
    url: str


def find_draft(config: SiteConfig, name: Path) -> Path:
    """DRAFT may be a path, or a file name / slug inside _drafts."""
    candidates = [name, drafts_dir(config) / name.name, drafts_dir(config) / f"{name.name}.md"]
    for path in candidates:
        if path.is_file():
            if not inside(path, drafts_dir(config)):
                raise BlogkitError(f"{path} is not in {shown_path(drafts_dir(config), config)}", None,
                                   "publish moves a draft from _drafts into _posts", code="not-a-draft")
            return path
    raise BlogkitError(f"no draft {str(name)!r}", None,
                       f"give a file in {shown_path(drafts_dir(config), config)}", code="no-draft")


def set_date(text: str, stamp: str, shown: str) -> str:
    """Replace (or add) the front matter's date line; the rest of the text is unchanged."""
    parsed = parse_front_matter(text.replace("\r\n", "\n"), shown)
    newline = "\r\n" if "\r\n" in text else "\n"
    if not parsed.has_front_matter:
        return f"---{newline}date: {stamp}{newline}---{newline}{newline}" + text
    lines = text.splitlines(keepends=True)
    line = parsed.key_lines.get("date")
    if line is not None:
        following = lines[line] if line < len(lines) else ""
        if following[:1] in (" ", "\t"):
            raise BlogkitError("the date spans several lines", Location(shown, line), "write it on one line",
                               code="bad-date")
        lines[line - 1] = f"date: {stamp}{newline}"
    else:
        at = parsed.key_lines.get("title", 1)  # after the title, else right after the opening ---
        lines.insert(at, f"date: {stamp}{newline}")
    return "".join(lines)


def plan_publish(config: SiteConfig, draft: Path, date: str | None = None,
                 now: datetime | None = None) -> PlannedPublish:
    source = find_draft(config, draft)
    when = post_date(config, date, now)
    match = DRAFT_NAME_RE.match(source.name)
    if match is None:
        raise BlogkitError(f"{source.name} has no file extension", None, "name drafts slug.md", code="post-name")
    _, slug, ext = match.groups()
    check_slug(slug)
    shown = shown_path(source, config)
    text = set_date(source.read_bytes().decode("utf-8"), when.strftime("%Y-%m-%d %H:%M:%S %z"), shown)
    path = posts_dir(config) / f"{when:%Y-%m-%d}-{slug}{ext}"
    doc = planned_document(config, path, text)
    if path.exists():
        raise BlogkitError(f"{shown_path(path, config)} already exists", Location(shown),
                           "rename the draft or pick another --date; blogkit never overwrites a post", code="exists")
    taken = existing_urls(config).get(doc.url)
    if taken is not None:
        raise BlogkitError(f"the URL {doc.url} is already used by {taken}", Location(shown),
                           "rename the draft (or give it a slug: in its front matter)", code="same-url")
    return PlannedPublish(source, path, text, doc.url)


def write_publish(plan: PlannedPublish) -> None:
    plan.path.parent.mkdir(parents=True, exist_ok=True)
    with open(plan.path, "xb") as fh:
        fh.write(plan.text.encode("utf-8"))
    plan.draft.unlink()
