"""A plain static server over a built site (no watching, no live reload): used by tests and
anyone who wants to look at `_site` as a host would serve it."""
from __future__ import annotations

from ..config import SiteConfig
from .http import PreviewServer, ServeOptions, make_server as _make_server


def make_server(config: SiteConfig, host: str = "127.0.0.1", port: int = 0) -> PreviewServer:
    options = ServeOptions(root=config.destination, baseurl=str(config.get("baseurl") or ""), livereload=False)
    return _make_server(options, host, port)
