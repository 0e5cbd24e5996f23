"""``blogkit serve``: CLI flags in, a running preview (build, watch, rebuild, serve, live reload) out.

``Preview`` wires the parts together and can be started and stopped in-process (tests and the
benchmark do); the ``serve`` command adds the terminal output, ``--open`` and Ctrl-C/SIGTERM.
"""
from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from typing import Any, Callable

import click

from ..cli import config_from_flags, print_problems, site_options
from ..config import SiteConfig
from ..errors import BlogkitError, Problem
from ..site import BuildReport
from .http import PreviewServer, ServeOptions, make_server
from .rebuild import Rebuilder, SiteState
from .reload import Broadcaster
from .watch import Watcher


class Preview:
    """Builds, watches and serves one site until ``stop``."""

    def __init__(self, make_config: Callable[[], tuple[SiteConfig, list[Problem]]], host: str = "127.0.0.1",
                 port: int = 4000, livereload: bool = True, watch: bool = True, check_host: bool = True,
                 on_state: Callable[[SiteState, BuildReport | None, float], None] | None = None,
                 quiet_seconds: float = 0.08) -> None:
        self.config, problems = make_config()  # a broken config at start-up is the user's to fix first
        if any(p.is_error for p in problems):
            from ..errors import BuildFailed
            raise BuildFailed(problems)
        self.startup_problems = problems
        self.broadcaster = Broadcaster()
        self._on_state = on_state
        self.rebuilder = Rebuilder(make_config, on_state=self._published, config=self.config)
        self.options = ServeOptions(self.config.destination, str(self.config.get("baseurl") or ""),
                                    livereload, check_host)
        self.server: PreviewServer = make_server(self.options, host, port, rebuilder=self.rebuilder,
                                                 broadcaster=self.broadcaster)
        self.watcher = Watcher(lambda: self.rebuilder.config or self.config, self.rebuilder.submit,
                               quiet_seconds) if watch else None
        self._server_thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2},
                                               name="blogkit-http", daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else host
        return f"http://{shown}:{port}{self.options.baseurl.rstrip('/') if self.options.baseurl.strip('/') else ''}/"

    def _published(self, state: SiteState, report: BuildReport | None, seconds: float) -> None:
        self.broadcaster.publish(state)
        if self._on_state is not None:
            self._on_state(state, report, seconds)

    def start(self) -> None:
        # Watch before the first build so a save during it is not lost.
        if self.watcher is not None:
            self.watcher.start()
        self.rebuilder.start()
        self._server_thread.start()

    def stop(self) -> None:
        """Stop watching, cancel or finish the running build, close every connection."""
        if self.watcher is not None:
            self.watcher.stop()
        self.broadcaster.close()
        self.rebuilder.stop()
        self.rebuilder.first_done.set()  # release requests still waiting for a first build
        self.server.shutdown()
        self.server.server_close()


def _report(quiet: bool) -> Callable[[SiteState, BuildReport | None, float], None]:
    last_failed = [False]

    def on_state(state: SiteState, report: BuildReport | None, seconds: float) -> None:
        if state.problems:
            print_problems(list(state.problems))
            click.secho(f"build failed in {seconds:.2f}s; still serving the last good site", fg="red", err=True)
        elif report is not None:
            if report.problems:
                print_problems(report.problems, quiet)
            if not quiet or last_failed[0]:
                note = " (fixed)" if last_failed[0] else ""
                click.echo(f"{report.summary()}{note}", err=True)
        last_failed[0] = bool(state.problems)
    return on_state


@click.command()
@site_options
@click.option("-H", "--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("-P", "--port", default=4000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0 = any free port).")
@click.option("--livereload/--no-livereload", default=True, show_default="on",
              help="Reload open pages after each rebuild and show build errors in them.")
@click.option("--watch/--no-watch", default=True, show_default="on", help="Rebuild when files change.")
@click.option("-o", "--open", "open_browser", is_flag=True, help="Open the site in the default browser.")
@click.pass_context
def serve(ctx: click.Context, source: Path, destination: Path | None, config_files: str | None, drafts: bool,
          future: bool, unpublished: bool, limit_posts: int | None, baseurl: str | None, strict: bool,
          quiet: bool, verbose: bool, host: str, port: int, livereload: bool, watch: bool,
          open_browser: bool) -> None:
    """Build the site, serve it at http://HOST:PORT/BASEURL/ and rebuild on changes."""
    def make_config() -> tuple[SiteConfig, list[Problem]]:
        return config_from_flags(source, destination, config_files, drafts, future, unpublished,
                                 limit_posts, baseurl)

    explicit_host = ctx.get_parameter_source("host") is not click.core.ParameterSource.DEFAULT
    try:
        preview = Preview(make_config, host, port, livereload, watch, check_host=not explicit_host,
                          on_state=_report(quiet))
    except BlogkitError as exc:
        from ..cli import fail
        fail(exc)
        return
    except OSError as exc:
        click.echo(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}", err=True)
        click.echo("hint: another server may be using the port; try --port 4001 (or --port 0 for any)", err=True)
        sys.exit(1)
    print_problems(preview.startup_problems, quiet)
    stop = threading.Event()
    handlers = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        preview.start()
        click.echo(f"Serving {preview.config.destination} at {preview.url}  (Ctrl-C to stop)", err=True)
        if open_browser:
            import webbrowser
            webbrowser.open(preview.url)
        while not stop.wait(0.5):
            pass
        click.echo("stopping...", err=True)
    finally:
        preview.stop()
        for sig, old in handlers.items():
            signal.signal(sig, old)
    click.echo("stopped", err=True)


COMMANDS: list[Any] = [serve]
