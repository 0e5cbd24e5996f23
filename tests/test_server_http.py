"""The preview server's HTTP side: path safety, baseurl mount, Japanese URLs, 404, types, Host check."""
from __future__ import annotations

import http.client
import os
import socket
import threading
from pathlib import Path
from typing import Iterator

import pytest

from blogkit.server.http import ServeOptions, is_local_host, make_server, resolve_request


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    root = tmp_path / "_site"
    (root / "2024" / "05").mkdir(parents=True)
    (root / "index.html").write_text("<html><body><h1>home</h1></body></html>", encoding="utf-8")
    (root / "2024" / "05" / "日本語.html").write_text("<html><body>にほんご</body></html>", encoding="utf-8")
    (root / "tag" / "半導体").mkdir(parents=True)
    (root / "tag" / "半導体" / "index.html").write_text("<html><body>tag page</body></html>", encoding="utf-8")
    (root / "assets").mkdir()
    (root / "assets" / "site.css").write_text("body{}", encoding="utf-8")
    (root / "feed.xml").write_text("<feed/>", encoding="utf-8")
    (root / "about.html").write_text("<p>about</p>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("top secret", encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", root / "link.txt")
    os.symlink(tmp_path, root / "up")
    return root


@pytest.mark.parametrize("raw", [
    "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/assets/..%2f..%2fsecret.txt",
    "/..%5csecret.txt", "/link.txt", "/up/secret.txt", "/index.html%00.css", "/./index.html",
])
def test_nothing_outside_the_site_is_reachable(site: Path, raw: str) -> None:
    assert resolve_request(site, "", raw) is None


def test_japanese_paths_resolve_encoded_and_decoded(site: Path) -> None:
    want = site / "2024" / "05" / "日本語.html"
    assert resolve_request(site, "", "/2024/05/%E6%97%A5%E6%9C%AC%E8%AA%9E.html") == want
    assert resolve_request(site, "", "/2024/05/日本語.html") == want
    assert resolve_request(site, "", "/2024/05/日本語") == want  # extension-less permalink
    assert resolve_request(site, "", "/tag/%E5%8D%8A%E5%B0%8E%E4%BD%93/") == site / "tag" / "半導体" / "index.html"


def test_baseurl_mount(site: Path) -> None:
    assert resolve_request(site, "/blog", "/blog/") == site / "index.html"
    assert resolve_request(site, "/blog", "/blog") == site / "index.html"
    assert resolve_request(site, "/blog/", "/blog/about.html") == site / "about.html"
    assert resolve_request(site, "/blog", "/about.html") is None
    assert resolve_request(site, "/blog", "/blogabout.html") is None


@pytest.mark.parametrize("host,ok", [
    ("localhost:4000", True), ("127.0.0.1:4000", True), ("[::1]:4000", True), ("blog.localhost", True),
    (None, True), ("evil.example:4000", False), ("localhost.evil.example", False), ("192.168.1.5:4000", False),
])
def test_local_host_names(host: str | None, ok: bool) -> None:
    assert is_local_host(host) is ok


@pytest.fixture()
def server(site: Path) -> Iterator[tuple[str, int]]:
    srv = make_server(ServeOptions(site, "/blog"), "127.0.0.1", 0)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield srv.server_address[:2]
    srv.shutdown()
    srv.server_close()


def get(addr: tuple[str, int], path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(*addr, timeout=10)
    conn.request("GET", path, headers=headers or {})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body


def raw_get(addr: tuple[str, int], path_bytes: bytes) -> bytes:
    """A request line with raw (not percent-encoded) UTF-8, as curl sends it."""
    with socket.create_connection(addr, timeout=10) as sock:
        sock.sendall(b"GET " + path_bytes + b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return data


def test_served_with_types_and_injection(server: tuple[str, int]) -> None:
    status, headers, body = get(server, "/blog/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert b'id="blogkit-live"' in body and body.index(b"blogkit-live") < body.index(b"</body>")
    status, headers, body = get(server, "/blog/assets/site.css")
    assert headers["content-type"] == "text/css; charset=utf-8" and body == b"body{}"
    assert get(server, "/blog/feed.xml")[1]["content-type"] == "application/xml; charset=utf-8"


def test_japanese_url_over_http(server: tuple[str, int]) -> None:
    status, _, body = get(server, "/blog/2024/05/%E6%97%A5%E6%9C%AC%E8%AA%9E.html")
    assert status == 200 and "にほんご" in body.decode()
    reply = raw_get(server, "/blog/2024/05/日本語.html".encode())
    assert reply.startswith(b"HTTP/1.1 200") and "にほんご".encode() in reply


def test_directory_redirect_keeps_encoding(server: tuple[str, int]) -> None:
    status, headers, _ = get(server, "/blog/tag/%E5%8D%8A%E5%B0%8E%E4%BD%93")
    assert status == 301 and headers["location"] == "/blog/tag/%E5%8D%8A%E5%B0%8E%E4%BD%93/"


def test_404_page(server: tuple[str, int], site: Path) -> None:
    status, headers, body = get(server, "/blog/nope.html")
    assert status == 404 and headers["content-type"].startswith("text/html")
    assert b"404" in body and b'href="/blog/"' in body
    (site / "404.html").write_text("<html><body>custom missing</body></html>", encoding="utf-8")
    status, _, body = get(server, "/outside-baseurl")
    assert status == 404 and b"custom missing" in body


@pytest.mark.parametrize("path", ["/blog/../secret.txt", "/blog/%2e%2e/secret.txt", "/blog/link.txt",
                                  "/blog/up/secret.txt", "/blog/%2e%2e%2fsecret.txt"])
def test_traversal_over_http(server: tuple[str, int], path: str) -> None:
    status, _, body = get(server, path)
    assert status == 404 and b"top secret" not in body


def test_foreign_host_is_refused(server: tuple[str, int]) -> None:
    status, _, body = get(server, "/blog/", {"Host": "attacker.example"})
    assert status == 403 and b"home" not in body
    assert get(server, "/blog/", {"Host": "localhost:4000"})[0] == 200
