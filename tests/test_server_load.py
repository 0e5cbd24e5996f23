"""The preview server under load and change.

Input: a 30-post site served by ``Preview`` (watcher on) on 127.0.0.1; 20 client threads
requesting pages over keep-alive connections while an editor thread edits a post, breaks its
front matter and fixes it again; misbehaving clients (a request cut off half-way, garbage request
lines, an event stream dropped mid-stream, a big page abandoned after a few bytes, a foreign
Host header). Output: counts of responses; the test asserts no 5xx, every page complete and from
one build (title and body of the edited post agree), no growth in open files or threads.

``BLOGKIT_LOAD_SECONDS`` sets the duration (default 10; the README figure uses 30);
``BLOGKIT_LOAD_FIGURES=path`` appends the counts.
"""
from __future__ import annotations

import http.client
import os
import random
import re
import socket
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from blogkit.config import load_config
from blogkit.server.commands import Preview
from blogkit.server.reload import EVENTS_PATH

SECONDS = float(os.environ.get("BLOGKIT_LOAD_SECONDS", "10"))
CLIENTS = 20
EDITED = "2024-03-01-edited.md"


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def make_site(root: Path) -> Path:
    posts = root / "content" / "_posts"
    posts.mkdir(parents=True)
    (root / "site.yml").write_text("title: Load\nurl: http://127.0.0.1\n", encoding="utf-8")
    (root / "content" / "index.md").write_text("---\nlayout: home\n---\n", encoding="utf-8")
    for i in range(30):
        (posts / f"2024-01-{i % 28 + 1:02d}-post{i}.md").write_text(
            f"---\nlayout: post\ntitle: Post {i}\ntags: [t{i % 5}]\n---\n" + f"Paragraph {i}. " * 200 + "\n",
            encoding="utf-8")
    write_edited(root, 0)
    return root


def write_edited(root: Path, version: int, broken: bool = False) -> None:
    head = "title: [unclosed" if broken else f"title: version-{version}-title"
    text = f"---\nlayout: post\n{head}\n---\nversion-{version}-body " + "x " * 2000 + "\n"
    path = root / "content" / "_posts" / EDITED
    tmp = path.with_name(".tmp-edit")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)  # an editor's atomic save


def raw_exchange(addr: tuple[str, int], data: bytes, read: bool = True, close_after: int | None = None) -> bytes:
    with socket.create_connection(addr, timeout=10) as sock:
        sock.sendall(data)
        if not read:
            return b""
        chunks = []
        try:
            while True:
                chunk = sock.recv(close_after or 65536)
                if not chunk:
                    break
                chunks.append(chunk)
                if close_after is not None:
                    break
        except (socket.timeout, ConnectionResetError):
            pass
        return b"".join(chunks)


def test_twenty_clients_while_posts_are_edited_broken_and_fixed(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    site = make_site(tmp_path)
    preview = Preview(lambda: load_config(site), port=0, watch=True, quiet_seconds=0.05)
    preview.start()
    stop = threading.Event()
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    lock = threading.Lock()
    try:
        assert preview.rebuilder.wait_idle(60)
        addr = preview.server.server_address[:2]
        dest = site / "_site"
        edited_url = "/" + next(dest.rglob("edited.html")).relative_to(dest).as_posix()
        urls = ["/", "/feed.xml", "/sitemap.xml", "/tags/", edited_url] + [
            "/" + p.relative_to(dest).as_posix() for p in sorted(dest.rglob("post*.html"))[:10]]
        # warm up, then take the baseline of open files and threads
        conn = http.client.HTTPConnection(*addr, timeout=30)
        for url in urls:
            conn.request("GET", url)
            assert conn.getresponse().read() and True
        conn.close()
        time.sleep(0.3)
        fds_before, threads_before = open_fds(), threading.active_count()

        def client(seed: int) -> None:
            rng = random.Random(seed)
            conn = http.client.HTTPConnection(*addr, timeout=90)
            while not stop.is_set():
                url = rng.choice(urls)
                try:
                    conn.request("GET", url, headers={"Host": "localhost"})
                    resp = conn.getresponse()
                    body = resp.read()
                except (http.client.HTTPException, OSError) as exc:
                    with lock:
                        failures.append(f"{url}: {type(exc).__name__}: {exc}")
                    conn.close()
                    conn = http.client.HTTPConnection(*addr, timeout=90)
                    continue
                problem = None
                if resp.status >= 500 or resp.status != 200:
                    problem = f"{url}: status {resp.status}"
                elif url.endswith(".html") or url.endswith("/"):
                    if not body.rstrip().endswith(b"</html>"):
                        problem = f"{url}: incomplete page ({len(body)} bytes)"
                    elif url == edited_url:
                        text = body.decode("utf-8")
                        title = re.search(r"<h1[^>]*>\s*version-(\d+)-title", text)
                        main = re.search(r"version-(\d+)-body", text)
                        if not (title and main and title[1] == main[1]):
                            problem = f"{url}: page mixes two builds"
                with lock:
                    statuses[resp.status] += 1
                    if problem:
                        failures.append(problem)
            conn.close()

        edits = Counter[str]()

        def editor() -> None:
            version = 0
            while not stop.is_set():
                version += 1
                write_edited(site, version)
                edits["edited"] += 1
                time.sleep(0.4)
                write_edited(site, version, broken=True)
                edits["broken"] += 1
                time.sleep(0.4)
                write_edited(site, version)
                edits["fixed"] += 1
                time.sleep(0.4)

        misbehaved = Counter[str]()

        def misbehaving() -> None:
            rng = random.Random(7)
            while not stop.is_set():
                kind = rng.choice(["cut", "garbage", "sse-drop", "abandon", "foreign-host"])
                try:
                    if kind == "cut":
                        raw_exchange(addr, b"GET / HTTP/1.1\r\nHost: local", read=False)
                    elif kind == "garbage":
                        got = raw_exchange(addr, b"\x16\x03\x01\x02\x00 nonsense \xff\xfe\r\n\r\n")
                        # a 400 (http.server answers an unparsable request line HTTP/0.9-style)
                        assert not got or b"400" in got[:600] and not got.startswith(b"HTTP/1.1 5"), got[:60]
                    elif kind == "sse-drop":
                        raw_exchange(addr, f"GET {EVENTS_PATH} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode(),
                                     close_after=20)
                    elif kind == "abandon":
                        raw_exchange(addr, f"GET {edited_url} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode(),
                                     close_after=100)
                    else:
                        got = raw_exchange(addr, b"GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
                        assert got.startswith(b"HTTP/1.1 403"), got[:40]
                    misbehaved[kind] += 1
                except AssertionError as exc:
                    with lock:
                        failures.append(f"misbehaving {kind}: {exc}")
                except OSError:
                    misbehaved[kind] += 1  # the server closing on us is fine
                time.sleep(0.02)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        threads += [threading.Thread(target=editor), threading.Thread(target=misbehaving)]
        for t in threads:
            t.start()
        time.sleep(SECONDS)
        stop.set()
        for t in threads:
            t.join(120)
        assert not any(t.is_alive() for t in threads)
        # the last state must be the fixed post, built
        write_edited(site, 999_999)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "version-999999-body" not in \
                (dest / edited_url.lstrip("/")).read_text(encoding="utf-8"):
            time.sleep(0.1)
        assert "version-999999-body" in (dest / edited_url.lstrip("/")).read_text(encoding="utf-8")
        assert preview.rebuilder.wait_idle(60)
        time.sleep(1.0)  # handler threads of closed connections finish
        fds_after, threads_after = open_fds(), threading.active_count()
        assert not failures, "\n".join(failures[:10])
        assert "Traceback" not in capfd.readouterr().err  # dropped clients print nothing on the terminal
        assert statuses[200] > CLIENTS * 5 and set(statuses) == {200}
        assert edits["broken"] >= 1 and sum(misbehaved.values()) >= 5
        assert fds_after <= fds_before + 3, (fds_before, fds_after)
        assert threads_after <= threads_before + 2, (threads_before, threads_after)
        figures = os.environ.get("BLOGKIT_LOAD_FIGURES")
        if figures:
            with open(figures, "a", encoding="utf-8") as fh:
                fh.write(f"load: {SECONDS:.0f}s, {CLIENTS} clients, {sum(statuses.values())} requests served "
                         f"({dict(statuses)}), {edits['edited']} edits / {edits['broken']} breaks / "
                         f"{edits['fixed']} fixes, misbehaving clients {dict(misbehaved)}, "
                         f"open files {fds_before}->{fds_after}, threads {threads_before}->{threads_after}\n")
    finally:
        stop.set()
        preview.stop()


def test_foreign_host_refused_unless_host_chosen(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    for check, want in ((True, 403), (False, 200)):
        preview = Preview(lambda: load_config(site), port=0, watch=False, check_host=check)
        preview.start()
        try:
            assert preview.rebuilder.wait_idle(60)
            conn = http.client.HTTPConnection(*preview.server.server_address[:2], timeout=30)
            conn.request("GET", "/", headers={"Host": "attacker.example:4000"})
            assert conn.getresponse().status == want
            conn.close()
        finally:
            preview.stop()


def test_idle_connections_are_closed_and_their_threads_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten clients that connect and send nothing must not hold ten threads forever."""
    from blogkit.server.http import PreviewHandler

    assert PreviewHandler.timeout is not None and 0 < PreviewHandler.timeout <= 120  # the default bounds idling
    monkeypatch.setattr(PreviewHandler, "timeout", 1.0)  # the same mechanism, faster
    site = make_site(tmp_path)
    preview = Preview(lambda: load_config(site), port=0, watch=False)
    preview.start()
    socks = []
    try:
        assert preview.rebuilder.wait_idle(60)
        time.sleep(0.3)
        threads_before = threading.active_count()
        addr = preview.server.server_address[:2]
        socks = [socket.create_connection(addr, timeout=10) for _ in range(10)]
        for sock in socks:
            sock.settimeout(10)
            assert sock.recv(100) == b""  # the server hung up on the idle client
        time.sleep(0.5)
        assert threading.active_count() <= threads_before + 1
        conn = http.client.HTTPConnection(*addr, timeout=10)
        conn.request("GET", "/")
        assert conn.getresponse().status == 200  # everyone else is still served
        conn.close()
    finally:
        for sock in socks:
            sock.close()
        preview.stop()
