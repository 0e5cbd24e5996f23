"""Command line: parse flags, load the config, call one function, map errors to exit status 1.

Flags mirror ``jekyll build`` / ``jekyll serve`` (spec §13).
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Callable

import click

from . import __version__
from .config import SiteConfig, load_config
from .errors import BlogkitError, BuildFailed, Problem, ProblemLog

SITE_FLAGS: list[Callable[[Callable[..., Any]], Callable[..., Any]]] = [
    click.option("-s", "--source", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
                 show_default=True, help="Site directory (with site.yml or _config.yml)."),
    click.option("-d", "--destination", type=click.Path(file_okay=False, path_type=Path), default=None,
                 help="Output directory [default: SOURCE/_site]."),
    click.option("--config", "config_files", default=None, metavar="A.yml,B.yml",
                 help="Config files to merge, left to right, instead of the default one."),
    click.option("--drafts", "-D", is_flag=True, help="Build posts from _drafts."),
    click.option("--future", is_flag=True, help="Build posts dated in the future."),
    click.option("--unpublished", is_flag=True, help="Build posts with published: false."),
    click.option("--limit_posts", "--limit-posts", "limit_posts", type=click.IntRange(min=0), default=None,
                 help="Keep only the N newest posts."),
    click.option("-b", "--baseurl", default=None, help="Serve and link the site under this path."),
    click.option("--strict_front_matter", "--strict-front-matter", "strict", is_flag=True,
                 help="Accepted for Jekyll compatibility (front-matter errors always fail the build)."),
    click.option("-q", "--quiet", is_flag=True, help="Print errors only."),
    click.option("-V", "--verbose", is_flag=True, help="Print every warning in full."),
]


def site_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(SITE_FLAGS):
        func = option(func)
    return func


def config_from_flags(source: Path, destination: Path | None, config_files: str | None, drafts: bool,
                      future: bool, unpublished: bool, limit_posts: int | None, baseurl: str | None,
                      extra: dict[str, Any] | None = None) -> tuple[SiteConfig, list[Problem]]:
    files = [Path(p.strip()) for p in config_files.split(",") if p.strip()] if config_files else None
    overrides: dict[str, Any] = {"show_drafts": True if drafts else None, "future": True if future else None,
                                 "unpublished": True if unpublished else None, "limit_posts": limit_posts,
                                 "baseurl": baseurl, **(extra or {})}
    config, problems = load_config(source, files, overrides, destination)
    if any(p.is_error for p in problems):
        raise BuildFailed(problems)  # Jekyll aborts on these too (spec §13)
    return config, problems


def print_problems(problems: list[Problem], quiet: bool = False) -> None:
    for problem in problems:
        if quiet and not problem.is_error:
            continue
        label = "error" if problem.is_error else "warning"
        click.echo(f"{label}: {problem}", err=True)


def fail(exc: BlogkitError) -> None:
    if isinstance(exc, BuildFailed):
        print_problems(exc.problems)
        click.echo(f"error: {exc.message}", err=True)
    else:
        click.echo(f"error: {exc}", err=True)
    sys.exit(1)


# Commands that live with their feature, by name -> the module whose COMMANDS holds them. They
# are imported when used (or listed by --help): the preview server's and editor's modules were
# ~45 ms of every `blogkit build`'s start. tests/test_cli_commands.py checks this table against COMMANDS.
LAZY_COMMANDS = {"new": "blogkit.editor.commands", "publish": "blogkit.editor.commands",
                 "check": "blogkit.editor.commands", "import": "blogkit.editor.commands",
                 "serve": "blogkit.server.commands"}


class AliasGroup(click.Group):
    ALIASES = {"b": "build", "s": "serve", "server": "serve"}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        name = self.ALIASES.get(cmd_name, cmd_name)
        if name not in self.commands and name in LAZY_COMMANDS:
            _load_commands(LAZY_COMMANDS[name])
        return super().get_command(ctx, name)


@click.group(cls=AliasGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="blogkit")
def main() -> None:
    """blogkit: a Jekyll-compatible static blog generator."""


def run_build(config: SiteConfig, problems: list[Problem], quiet: bool) -> None:
    from .progress import RichProgress, null_progress
    from .site import build

    print_problems(problems, quiet)
    log = ProblemLog()
    if sys.stderr.isatty() and not quiet:
        with RichProgress() as progress:
            report = build(config, progress, log)
    else:
        report = build(config, null_progress, log)
    print_problems(report.problems, quiet)
    if not quiet:
        click.echo(report.summary(), err=True)


# Set once a build has finished: every file is written and closed, every pool and connection
# shut; what is left is freeing the heap one object at a time (see ``run``).
_BUILD_DONE = False


def run() -> None:
    """The program's entry point (``blogkit``, ``python -m blogkit``): ``main``, and after a
    finished build, leave at once — tearing down a 5,000-post site's objects took 0.25 s of a
    1.5 s edit build. Tests call ``main`` itself, which never does this."""
    try:
        main()
    except SystemExit as done:
        if _BUILD_DONE:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(done.code if isinstance(done.code, int) else 0 if done.code is None else 1)
        raise


@main.command()
@site_options
def build(source: Path, destination: Path | None, config_files: str | None, drafts: bool, future: bool,
          unpublished: bool, limit_posts: int | None, baseurl: str | None, strict: bool, quiet: bool,
          verbose: bool) -> None:
    """Build the site into the destination."""
    global _BUILD_DONE  # noqa: PLW0603 - read by `run` once click returns
    try:
        config, problems = config_from_flags(source, destination, config_files, drafts, future, unpublished,
                                             limit_posts, baseurl)
        run_build(config, problems, quiet)
        _BUILD_DONE = True
    except BlogkitError as exc:
        fail(exc)
    except Exception as exc:  # noqa: BLE001
        internal_error(exc)


def internal_error(exc: BaseException) -> None:
    """A blogkit bug: one line for the user; the traceback only with BLOGKIT_DEBUG=1."""
    if os.environ.get("BLOGKIT_DEBUG"):
        raise exc
    click.echo(f"error: internal error: {type(exc).__name__}: {exc}"[:500], err=True)
    click.echo("hint: this is a blogkit bug; run again with BLOGKIT_DEBUG=1 to see where, and report it", err=True)
    sys.exit(2)


@main.command()
@site_options
def inspect(source: Path, destination: Path | None, config_files: str | None, drafts: bool, future: bool,
            unpublished: bool, limit_posts: int | None, baseurl: str | None, strict: bool, quiet: bool,
            verbose: bool) -> None:
    """Print what the site is made of (posts, URLs, dates, excerpts) as JSON."""
    from .inspect import inspect_site

    try:
        config, problems = config_from_flags(source, destination, config_files, drafts, future, unpublished,
                                             limit_posts, baseurl)
        print_problems(problems, True)
        click.echo(json.dumps(inspect_site(config), ensure_ascii=False, indent=1))
    except BlogkitError as exc:
        fail(exc)


def _load_commands(module_name: str) -> None:
    """Add the commands of one feature module (a feature that is absent adds none)."""
    import importlib

    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name is None or not module_name.startswith(exc.name):
            raise  # a real import error inside the module, not a feature that is absent
        return
    for command in getattr(module, "COMMANDS", []):
        main.add_command(command)
