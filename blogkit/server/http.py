"""Serving the built site: HTTP requests in, files from the destination (mounted under ``baseurl``) out.

Only files inside the destination are served: the request path is percent-decoded, split into
segments, and any ``..``/empty/NUL/backslash segment, or a resolved path (symlinks followed)
outside the destination, is a 404. Requests wait at the rebuild ``Gate`` so a page asked for
during a rebuild comes from the finished build. HTML gets the live-reload script injected here,
at serve time, never on disk. Requests whose Host header is not a local name are refused unless
the user chose the address to listen on (DNS rebinding would otherwise let any web page read the
preview).
"""
from __future__ import annotations

import mimetypes
import socket
import sys
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from .rebuild import Gate, Rebuilder
from .reload import EVENTS_PATH, Broadcaster, inject, stream_events

for _type, _ext in (("text/css", ".css"), ("text/javascript", ".js"), ("text/javascript", ".mjs"),
                    ("application/json", ".json"), ("application/manifest+json", ".webmanifest"),
                    ("application/xml", ".xml"), ("application/atom+xml", ".atom"),
                    ("application/rss+xml", ".rss"), ("image/svg+xml", ".svg"), ("font/woff2", ".woff2"),
                    ("font/woff", ".woff"), ("image/webp", ".webp"), ("image/avif", ".avif"),
                    ("text/plain", ".txt"), ("text/markdown", ".md"), ("application/wasm", ".wasm")):
    mimetypes.add_type(_type, _ext)

_TEXTUAL = ("application/javascript", "application/json", "application/xml", "application/atom+xml",
            "application/rss+xml", "application/manifest+json", "image/svg+xml")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
WAIT_SECONDS = 60.0  # longest a request waits for a running build before getting the current files


def resolve_request(root: Path, baseurl: str, raw_path: str) -> Path | None:
    """Map a request path to a file inside ``root``, or None.

    A directory without its trailing slash comes back as the directory (the caller redirects).
    """
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
    except (OSError, RuntimeError, ValueError):
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


def content_type(path: Path) -> str:
    ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if ctype.startswith("text/") or ctype in _TEXTUAL:
        ctype += "; charset=utf-8"
    return ctype


def is_local_host(header: str | None) -> bool:
    """Whether a Host header names this machine (``localhost``, ``*.localhost``, loopback IPs)."""
    if not header:
        return True  # HTTP/1.0 clients send none; a browser always does
    host = header.strip().lower()
    if host.startswith("["):
        host = host[1:host.find("]")] if "]" in host else host
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host in LOCAL_HOSTS or host.endswith(".localhost") or host.startswith("127.")


@dataclass
class ServeOptions:
    root: Path
    baseurl: str
    livereload: bool = True
    check_host: bool = True


class PreviewHandler(BaseHTTPRequestHandler):
    options: ServeOptions
    gate: Gate
    rebuilder: Rebuilder | None
    broadcaster: Broadcaster
    protocol_version = "HTTP/1.1"
    # A connection that sends nothing (an idle keep-alive, a stalled or slowloris client) would
    # hold its thread forever; socketserver applies this to every read and write on the socket.
    timeout = 60.0

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        self._handle(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._handle(head=True)

    def _handle(self, head: bool) -> None:
        if self.options.check_host and not is_local_host(self.headers.get("Host")):
            self._send(HTTPStatus.FORBIDDEN, b"Forbidden: this preview server only answers to localhost "
                       b"(start it with --host to allow other names)\n", "text/plain; charset=utf-8", head)
            return
        raw = self._raw_path()
        path_only = urlsplit(raw).path
        if path_only in (EVENTS_PATH, self._base() + EVENTS_PATH) and self.options.livereload:
            self._events()
            return
        if self.rebuilder is not None:
            self.rebuilder.first_done.wait(WAIT_SECONDS)
        entered = self.gate.acquire_read(WAIT_SECONDS)
        try:
            self._serve_file(raw, head)
        finally:
            if entered:
                self.gate.release_read()

    def _raw_path(self) -> str:
        # http.server decodes the request line as Latin-1; a client sending raw UTF-8 (curl with a
        # Japanese path) gets its bytes back as UTF-8, then percent-encoded like a browser would.
        path = self.path
        if any(ord(ch) > 127 for ch in path):
            try:
                path = quote(path.encode("latin-1").decode("utf-8"), safe="/%?&=;:@!$'()*+,~#[]")
            except (UnicodeEncodeError, UnicodeDecodeError):
                pass
        return path

    def _base(self) -> str:
        base = self.options.baseurl.strip("/")
        return "/" + base if base else ""

    def _serve_file(self, raw: str, head: bool) -> None:
        root = self.options.root
        try:
            target = resolve_request(root, self.options.baseurl, raw)
        except UnicodeDecodeError:
            target = None
        if target is not None and target.is_dir():
            parts = urlsplit(raw)
            location = parts.path + "/" + (f"?{parts.query}" if parts.query else "")
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if target is None:
            page = root / "404.html"
            body = page.read_bytes() if page.is_file() else self._default_404()
            self._send(HTTPStatus.NOT_FOUND, self._maybe_inject(body), "text/html; charset=utf-8", head)
            return
        try:
            body = target.read_bytes()
        except OSError:  # removed between resolve and read (a build outside this server)
            self._send(HTTPStatus.NOT_FOUND, self._default_404(), "text/html; charset=utf-8", head)
            return
        ctype = content_type(target)
        if ctype.startswith("text/html"):
            body = self._maybe_inject(body)
        self._send(HTTPStatus.OK, body, ctype, head)

    def _default_404(self) -> bytes:
        home = self._base() + "/"
        return (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>404 Not Found</title></head>"
                f"<body><h1>404 Not Found</h1><p>Nothing here. The site is served at "
                f"<a href=\"{home}\">{home}</a>.</p></body></html>").encode()

    def _maybe_inject(self, body: bytes) -> bytes:
        if not self.options.livereload:
            return body
        generation = self.rebuilder.state.generation if self.rebuilder is not None else 0
        return inject(body, generation)

    def _send(self, status: HTTPStatus, body: bytes, ctype: str, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

        def write(data: bytes) -> None:
            self.wfile.write(data)
            self.wfile.flush()

        try:
            stream_events(write, self.broadcaster)
        except (BrokenPipeError, ConnectionResetError, ValueError, OSError):
            pass  # the page went away

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet: the terminal shows builds
        pass


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True          # SSE connections must not hold up Ctrl-C
    allow_reuse_address = True
    block_on_close = False

    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that closes a tab mid-response is normal: no traceback on the terminal
        (socketserver prints one for every BrokenPipe). Anything else is reported in one line."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        print(f"blogkit serve: error while answering {client_address}: {type(exc).__name__}: {exc}",
              file=sys.stderr)


def make_server(options: ServeOptions, host: str, port: int, gate: Gate | None = None,
                rebuilder: Rebuilder | None = None, broadcaster: Broadcaster | None = None) -> PreviewServer:
    handler = type("BoundPreviewHandler", (PreviewHandler,), {
        "options": options, "gate": gate or (rebuilder.gate if rebuilder else Gate()),
        "rebuilder": rebuilder, "broadcaster": broadcaster or Broadcaster()})
    server_class = PreviewServer
    if ":" in host:
        server_class = type("PreviewServer6", (PreviewServer,), {"address_family": socket.AF_INET6})
    return server_class((host, port), handler)
