"""Click shells for the editor commands; ``COMMANDS`` is picked up by ``blogkit.cli``.

Each command loads the site config from ``-s/--source``, calls one planning function, prints
the result, and exits 1 on a ``BlogkitError`` (printed as ``path:line: message — what to do``).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..config import SiteConfig, load_config
from ..errors import BlogkitError, Problem

source_option = click.option("-s", "--source", type=click.Path(file_okay=False, path_type=Path),
                             default=Path("."), show_default=True,
                             help="Site directory (with site.yml or _config.yml).")


def _load(source: Path) -> tuple[SiteConfig, list[Problem]]:
    return load_config(source)


def _fail(exc: BlogkitError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(1)


def _warn(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(f"{problem.severity.value}: {problem}", err=True)


@click.command("new")
@source_option
@click.argument("title")
@click.option("-c", "--category", "categories", multiple=True, help="A category (repeatable).")
@click.option("-t", "--tag", "tags", multiple=True, help="A tag (repeatable).")
@click.option("--slug", default=None, help="The slug (default: from the title by new_post.slug).")
@click.option("--draft", is_flag=True, help="Create _drafts/<slug>.md instead of a dated post.")
@click.option("--date", default=None, help="Date and time (default: now, in the site's time zone).")
@click.option("-e", "--edit", is_flag=True, help="Open the new file in $EDITOR.")
def new_command(source: Path, title: str, categories: tuple[str, ...], tags: tuple[str, ...],
                slug: str | None, draft: bool, date: str | None, edit: bool) -> None:
    """Create a post (or draft) with complete front matter; print its path and URL."""
    from .new import plan_new, write_new
    from .paths import public_url, shown_path

    try:
        config, problems = _load(source)
        _warn([p for p in problems if p.is_error])
        plan = plan_new(config, title, categories, tags, slug, draft, date)
        write_new(plan)
    except BlogkitError as exc:
        _fail(exc)
        return
    click.echo(shown_path(plan.path, config))
    click.echo(public_url(config, plan.url) + (" (drafts are built with --drafts)" if draft else ""))
    if edit and os.environ.get("EDITOR"):
        click.edit(filename=str(plan.path))


@click.command("publish")
@source_option
@click.argument("draft", type=click.Path(path_type=Path))
@click.option("--date", default=None, help="Publication date (default: now, in the site's time zone).")
def publish_command(source: Path, draft: Path, date: str | None) -> None:
    """Move a draft into _posts with today's date (or --date)."""
    from .paths import public_url, shown_path
    from .publish import plan_publish, write_publish

    try:
        config, _ = _load(source)
        plan = plan_publish(config, draft, date)
        write_publish(plan)
    except BlogkitError as exc:
        _fail(exc)
        return
    click.echo(shown_path(plan.path, config))
    click.echo(public_url(config, plan.url))


@click.command("check")
@source_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--fix", is_flag=True, help="Remove marker lines and exact repeated sections (backup: .<file>.bak).")
def check_command(source: Path, fmt: str, fix: bool) -> None:
    """Check the whole site; exit status 1 when there is any error."""
    from .check import format_json, format_text, run_check

    try:
        config, problems = _load(source)
        if fix:
            _run_fix(config)
        result = run_check(config, problems)
    except BlogkitError as exc:
        _fail(exc)
        return
    click.echo(format_json(result) if fmt == "json" else format_text(result))
    sys.exit(1 if result.errors else 0)


def _run_fix(config: SiteConfig) -> None:
    from .check.fix import apply_fix, plan_fix
    from .check.site import load_for_check
    from .paths import shown_path

    site, _ = load_for_check(config)
    for doc in site.docs:
        shown = shown_path(doc.path, config)
        fix = plan_fix(doc.path, shown)
        if fix is None:
            continue
        click.echo(fix.diff(shown), nl=False, err=True)
        backup = apply_fix(fix)
        click.echo(f"fixed {shown}: {fix.removed} line(s) removed; backup {shown_path(backup, config)}", err=True)


@click.command("import")
@source_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def import_command(source: Path, paths: tuple[Path, ...]) -> None:
    """Import post files or a whole Jekyll site; never overwrites."""
    from .importer import import_paths

    try:
        config, _ = _load(source)
        report = import_paths(config, list(paths))
    except BlogkitError as exc:
        _fail(exc)
        return
    for src, dest in report.imported:
        click.echo(f"{src} -> {dest}")
    _warn(report.problems)
    click.echo(f"imported {len(report.imported)} file(s), {len(report.problems)} not imported", err=True)
    sys.exit(1 if any(p.is_error for p in report.problems) else 0)


COMMANDS = [new_command, publish_command, check_command, import_command]
