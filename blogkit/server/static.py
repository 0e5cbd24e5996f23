"""A plain static server for the built site, mounted under ``baseurl``, on 127.0.0.1 by default.

Only files inside the destination are served: the request path is percent-decoded, split into
segments, and any ``..``/empty/NUL segment or a resolved path outside the destination is a 404.
"""
from __future__ import annotations

import mimetypes
import posixpath
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import click

from ..config import SiteConfig

mimetypes.add_type("text/css", ".css")
mimetypes.add_type("application/javascript", ".js")


def resolve_request(root: Path, baseurl: str, raw_path: str) -> Path | None:
    """Map a request path to a file inside ``root``, or None."""
    path = unquote(urlsplit(raw_path).path, errors="strict") if raw_path else "/"
    base = "/" + baseurl.strip("/") if baseurl.strip("/") else ""
    if base:
        if path == base:
            path = base + "/"
        if not path.startswith(base + "/"):
            return None
        path = path[len(base):]
    segments = path.split("/")
    if any(s in (".", "..") or "\x00" in s or "\\" in s for s in segments):
        return None
    candidate = root.joinpath(*[s for s in segments if s])
    try:
        resolved = candidate.resolve()
        root_resolved = root.resolve()
    except (OSError, RuntimeError):
        return None
    if resolved != root_resolved and root_resolved not in resolved.parents:
        return None
    if resolved.is_dir():
        if not path.endswith("/"):
            return resolved  # caller redirects to the slash form
        resolved = resolved / "index.html"
    elif not resolved.exists() and resolved.with_name(resolved.name + ".html").is_file():
        resolved = resolved.with_name(resolved.name + ".html")  # extension-less permalinks
    return resolved if resolved.is_file() else None


class SiteHandler(SimpleHTTPRequestHandler):
    root: Path
    baseurl: str

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        self._serve(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(head=True)

    def _serve(self, head: bool) -> None:
        try:
            target = resolve_request(self.root, self.baseurl, self.path)
        except UnicodeDecodeError:
            target = None
        if target is not None and target.is_dir():
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", urlsplit(self.path).path + "/")
            self.end_headers()
            return
        status = HTTPStatus.OK
        if target is None:
            status = HTTPStatus.NOT_FOUND
            target = self.root / "404.html"
            body = target.read_bytes() if target.is_file() else b"<!doctype html><title>404</title><h1>404 Not Found</h1>"
            ctype = "text/html; charset=utf-8"
        else:
            body = target.read_bytes()
            ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if ctype.startswith("text/") or ctype in ("application/javascript", "application/json", "application/xml"):
                ctype += "; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def make_server(config: SiteConfig, host: str, port: int) -> ThreadingHTTPServer:
    handler = type("BoundHandler", (SiteHandler,), {"root": config.destination,
                                                    "baseurl": str(config.get("baseurl") or "")})
    return ThreadingHTTPServer((host, port), handler)


def serve_forever(config: SiteConfig, host: str, port: int) -> None:
    server = make_server(config, host, port)
    base = "/" + str(config.get("baseurl") or "").strip("/")
    click.echo(f"Serving {config.destination} at http://{host}:{port}{base.rstrip('/')}/  (Ctrl-C to stop)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    finally:
        server.server_close()
