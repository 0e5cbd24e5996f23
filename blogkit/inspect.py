"""``blogkit inspect``: the site model as JSON (the same shape the Jekyll differential tests dump)."""
from __future__ import annotations

from typing import Any

from .config import SiteConfig
from .dates import xmlschema
from .errors import BuildFailed, ProblemLog
from .site import read_site


def inspect_site(config: SiteConfig) -> dict[str, Any]:
    from .markdown import make_markdown

    log = ProblemLog()
    model = read_site(config, log)
    if log.errors:
        raise BuildFailed(log.problems)
    md = make_markdown(config.get("kramdown") if isinstance(config.get("kramdown"), dict) else None)
    posts = []
    for p in model.posts:
        if p.excerpt_verbatim is not None:
            excerpt = p.excerpt_verbatim
        elif p.excerpt_source is not None:
            excerpt = md.render(p.excerpt_source).html if p.is_markdown else p.excerpt_source
        else:
            excerpt = ""
        posts.append({"url": p.url, "date": xmlschema(p.date) if p.date else None, "id": p.doc_id,
                      "slug": p.slug, "title": p.title, "categories": list(p.categories), "tags": list(p.tags),
                      "excerpt": excerpt, "relative_path": p.rel_path, "draft": p.kind == "draft",
                      "reading_time": p.reading_time, "dest": str(p.dest)})
    return {"posts": posts, "categories": list(model.categories), "tags": list(model.tags),
            "pages": [{"url": p.url, "relative_path": p.rel_path} for p in model.pages]}
