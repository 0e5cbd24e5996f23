"""``blogkit check``: a ``SiteConfig`` in, every problem of the site (with ``path:line``) out.

One pass: read every document (drafts and future posts included), then run each family of
checks (``frontmatter``, ``taxonomy``, ``artifacts``, ``links``). ``format_text`` and
``format_json`` print the result; the CLI exits 1 when any problem is an error.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from ...config import SiteConfig
from ...errors import Location, Problem, ProblemLog
from ...markdown import make_markdown
from .artifacts import check_artifacts
from .frontmatter import check_front_matter, required_fields
from .links import check_links
from .site import load_for_check
from .taxonomy import check_allowed_categories, check_same_url, check_terms

__all__ = ["CheckResult", "run_check", "format_text", "format_json"]


@dataclass(frozen=True)
class CheckResult:
    problems: tuple[Problem, ...]
    documents: int

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.is_error)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    def summary(self) -> str:
        return f"checked {self.documents} documents: {self.errors} error(s), {self.warnings} warning(s)"


def run_check(config: SiteConfig, config_problems: Iterable[Problem] = ()) -> CheckResult:
    site, problems = load_for_check(config)
    settings = config.get("check") if isinstance(config.get("check"), Mapping) else {}
    problems = [*config_problems, *problems]
    problems += check_front_matter(site.docs, site.now, settings.get("known_keys") or (),
                                   required_fields(config.get("new_post")))
    problems += check_same_url(site.docs, site.statics)
    problems += check_terms(site.docs, "categories") + check_terms(site.docs, "tags")
    allowed = config.get("categories_allowed")
    if isinstance(allowed, list) and allowed:
        problems += check_allowed_categories(site.docs, allowed)
    for doc in site.docs:
        problems += check_artifacts(doc)
    kramdown = config.get("kramdown") if isinstance(config.get("kramdown"), Mapping) else None
    problems += check_links(site.docs, site.statics, make_markdown(kramdown), str(config.get("baseurl") or ""),
                            lambda: _generated_outputs(config))
    shown = [_site_relative(p, config) for p in problems]
    shown.sort(key=lambda p: (p.where.path if p.where else "", p.where.line or 0 if p.where else 0))
    return CheckResult(tuple(shown), len(site.docs))


def _generated_outputs(config: SiteConfig) -> list[str]:
    """Every file a build writes (archives, feeds, pages...) — only computed when a link needs it."""
    from ...render.site import render_site
    from ...site import read_site

    log = ProblemLog()
    model = read_site(config, log)
    return [str(out.dest) for out in list(render_site(config, model, log))]


def _site_relative(problem: Problem, config: SiteConfig) -> Problem:
    """Paths from the reader are relative to content/; show them relative to the site root."""
    where = problem.where
    if where is None or config.content_dir == config.source:
        return problem
    candidate = config.content_dir / where.path
    if not (config.source / where.path).exists() and candidate.exists():
        try:
            shown = candidate.relative_to(config.source).as_posix()
        except ValueError:
            return problem
        return Problem(problem.message, Location(shown, where.line, where.col), problem.hint,
                       problem.severity, problem.code)
    return problem


def format_text(result: CheckResult) -> str:
    lines = []
    for p in result.problems:
        where = f"{p.where}: " if p.where else ""
        hint = f" \u2014 {p.hint}" if p.hint else ""
        lines.append(f"{where}{p.severity.value}: {p.message}{hint}")
    lines.append(result.summary())
    return "\n".join(lines)


def as_records(result: CheckResult) -> list[dict[str, Any]]:
    return [{"path": p.where.path if p.where else None, "line": p.where.line if p.where else None,
             "severity": p.severity.value, "code": p.code, "message": p.message, "hint": p.hint}
            for p in result.problems]


def format_json(result: CheckResult) -> str:
    return json.dumps(as_records(result), ensure_ascii=False, indent=1)
