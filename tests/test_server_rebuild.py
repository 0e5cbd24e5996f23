"""The rebuild loop, change kinds, debounce and the SSE/overlay state, without a browser."""
from __future__ import annotations

import http.client
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from blogkit.config import load_config
from blogkit.errors import BuildFailed, Location, Problem
from blogkit.server.commands import Preview
from blogkit.server.http import ServeOptions, make_server
from blogkit.server.rebuild import Gate, Rebuilder, SiteState
from blogkit.server.reload import Broadcaster, inject, state_payload, stream_events
from blogkit.server.watch import Change, ChangeKind, Debouncer, classify
from blogkit.site import BuildReport


def make_site(root: Path) -> Path:
    (root / "content" / "_posts").mkdir(parents=True)
    (root / "templates").mkdir()
    (root / "static").mkdir()
    (root / "site.yml").write_text("title: T\n", encoding="utf-8")
    (root / "content" / "_posts" / "2024-05-01-hello.md").write_text(
        "---\ntitle: Hello\n---\n\nfirst body\n", encoding="utf-8")
    return root


def test_classify(tmp_path: Path) -> None:
    config, _ = load_config(make_site(tmp_path))
    src = config.source
    assert classify(src / "site.yml", config) is ChangeKind.CONFIG
    assert classify(src / "content" / "_posts" / "2024-05-01-hello.md", config) is ChangeKind.CONTENT
    assert classify(src / "templates" / "post.html", config) is ChangeKind.TEMPLATE
    assert classify(src / "static" / "a.css", config) is ChangeKind.STATIC
    assert classify(src / "_site" / "index.html", config) is None
    assert classify(src / "content" / "_posts" / ".hello.md.swp", config) is None
    assert classify(src / "content" / ".git" / "index", config) is None


def test_classify_jekyll_site(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("title: J\n", encoding="utf-8")
    config, _ = load_config(tmp_path)
    src = config.source
    assert classify(src / "_config.yml", config) is ChangeKind.CONFIG
    assert classify(src / "_layouts" / "post.html", config) is ChangeKind.TEMPLATE
    assert classify(src / "_posts" / "2024-01-01-a.md", config) is ChangeKind.CONTENT
    assert classify(src / "assets" / "main.css", config) is ChangeKind.STATIC
    assert classify(src / "_site" / "2024" / "a.html", config) is None  # output inside the source
    assert classify(src / "._site.blogkit-staging" / "x.html", config) is None


def test_a_burst_of_saves_gives_one_batch() -> None:
    batches: list[frozenset[Change]] = []
    done = threading.Event()

    def flush(batch: frozenset[Change]) -> None:
        batches.append(batch)
        done.set()

    deb = Debouncer(flush, quiet=0.2, max_wait=5.0)
    try:
        for i in range(20):
            deb.add([Change(Path(f"/s/{i % 3}.md"), ChangeKind.CONTENT)])
        deb.add([Change(Path("/s/0.md"), ChangeKind.CONFIG)])
        assert done.wait(5)
        time.sleep(0.4)  # would let a second (wrong) flush happen
    finally:
        deb.stop()
    assert len(batches) == 1
    kinds = {c.path.name: c.kind for c in batches[0]}
    assert kinds == {"0.md": ChangeKind.CONFIG, "1.md": ChangeKind.CONTENT, "2.md": ChangeKind.CONTENT}


def test_gate_blocks_readers_while_writing() -> None:
    gate = Gate()
    gate.acquire_write()
    assert gate.acquire_read(timeout=0.05) is False
    gate.release_write()
    assert gate.acquire_read(timeout=1)
    gate.release_read()


class SlowBuild:
    """A stand-in for site.build that writes one file and can be held mid-build."""

    def __init__(self, dest: Path) -> None:
        self.dest = dest
        self.entered = threading.Event()
        self.release = threading.Event()
        self.release.set()
        self.version = 0
        self.fail_with: list[Problem] | None = None
        self.calls: list[Any] = []

    def __call__(self, config: Any, progress: Any, log: Any, cache: Any, changed: Any) -> BuildReport:
        self.calls.append(changed)
        self.entered.set()
        assert self.release.wait(10)
        if self.fail_with:
            raise BuildFailed(self.fail_with)
        self.version += 1
        self.dest.mkdir(parents=True, exist_ok=True)
        (self.dest / "index.html").write_text(f"<html><body>v{self.version}</body></html>", encoding="utf-8")
        return BuildReport()


@pytest.fixture()
def rig(tmp_path: Path):
    site = make_site(tmp_path)
    config, _ = load_config(site)
    fake = SlowBuild(config.destination)
    states: list[SiteState] = []
    broadcaster = Broadcaster()
    reb = Rebuilder(lambda: load_config(site), on_state=lambda s, r, t: (states.append(s), broadcaster.publish(s)),
                    build_fn=fake, config=config)
    srv = make_server(ServeOptions(config.destination, ""), "127.0.0.1", 0, rebuilder=reb, broadcaster=broadcaster)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    reb.start()
    assert reb.wait_idle(10)
    yield fake, reb, states, srv.server_address[:2], broadcaster
    broadcaster.close()
    reb.stop()
    srv.shutdown()
    srv.server_close()


def fetch(addr: tuple[str, int], path: str = "/") -> str:
    conn = http.client.HTTPConnection(*addr, timeout=20)
    conn.request("GET", path)
    body = conn.getresponse().read().decode()
    conn.close()
    return body


def test_request_during_a_rebuild_waits_for_it(rig) -> None:
    fake, reb, states, addr, _ = rig
    assert "v1" in fetch(addr)
    fake.release.clear()
    fake.entered.clear()
    reb.submit(frozenset({Change(Path("/x.md"), ChangeKind.CONTENT)}))
    assert fake.entered.wait(5)
    result: list[str] = []
    waiter = threading.Thread(target=lambda: result.append(fetch(addr)))
    waiter.start()
    waiter.join(0.3)
    assert waiter.is_alive() and not result  # held at the gate, not answered from the old site
    fake.release.set()
    waiter.join(10)
    assert result and "v2" in result[0]


def test_failed_build_keeps_last_good_site_and_publishes_problems(rig) -> None:
    fake, reb, states, addr, broadcaster = rig
    fake.fail_with = [Problem("bad date 'tomorrow'", Location("content/_posts/x.md", 3), "use YYYY-MM-DD")]
    reb.submit(frozenset({Change(Path("/x.md"), ChangeKind.CONTENT)}))
    assert reb.wait_idle(10) and states[-1].problems
    assert states[-1].generation == 1 and "v1" in fetch(addr)
    payload = state_payload(broadcaster.snapshot()[1])
    assert payload["problems"] == [{"path": "content/_posts/x.md", "line": 3, "message": "bad date 'tomorrow'",
                                    "hint": "use YYYY-MM-DD"}]
    fake.fail_with = None
    reb.submit(frozenset({Change(Path("/x.md"), ChangeKind.CONTENT)}))
    assert reb.wait_idle(10)
    assert states[-1].problems == () and states[-1].generation == 2 and "v2" in fetch(addr)
    assert fake.calls[-1] == frozenset({Path("/x.md")})


def test_css_only_change_is_flagged(rig) -> None:
    _, reb, states, _, _ = rig
    reb.submit(frozenset({Change(Path("/s/a.css"), ChangeKind.STATIC)}))
    assert reb.wait_idle(10) and states[-1].css_only
    reb.submit(frozenset({Change(Path("/s/a.css"), ChangeKind.STATIC), Change(Path("/p.md"), ChangeKind.CONTENT)}))
    assert reb.wait_idle(10) and not states[-1].css_only


def test_broken_config_is_reported_not_fatal(rig, tmp_path: Path) -> None:
    fake, reb, states, addr, _ = rig
    (tmp_path / "site.yml").write_text("title: [unclosed\n", encoding="utf-8")
    reb.submit(frozenset({Change(tmp_path / "site.yml", ChangeKind.CONFIG)}))
    assert reb.wait_idle(10)
    assert states[-1].problems[0].where.path == "site.yml" and states[-1].problems[0].where.line
    assert "v1" in fetch(addr)


def test_stream_events_sends_state_on_connect_and_on_change() -> None:
    broadcaster = Broadcaster(SiteState(3))
    chunks: list[bytes] = []

    def write(data: bytes) -> None:
        chunks.append(data)
        if len(chunks) == 1:
            broadcaster.publish(SiteState(3, (Problem("<b>bad</b>", Location("a.md", 2)),)))
        elif len(chunks) == 2:
            broadcaster.close()

    stream_events(write, broadcaster, ping=5)
    assert b'"generation": 3' in chunks[0] and b'"problems": []' in chunks[0]
    assert b"event: state" in chunks[1] and b'"path": "a.md"' in chunks[1] and b"<b>bad</b>" in chunks[1]


def test_inject_before_last_body_only() -> None:
    html = b"<html><body><pre>&lt;/body&gt;</pre></BODY ></html>"
    out = inject(html, 7)
    assert out.index(b"blogkit-live") < out.index(b"</BODY >") and b"var generation = 7;" in out
    assert inject(b"<p>fragment</p>", 1).startswith(b"<p>fragment</p><script")


def test_live_build_never_writes_the_script_to_disk(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    preview = Preview(lambda: load_config(site), port=0, watch=False)
    preview.start()
    try:
        assert preview.rebuilder.wait_idle(30)
        page = next((site / "_site").rglob("hello*.html"))
        assert "first body" in page.read_text(encoding="utf-8")
        assert "blogkit-live" not in page.read_text(encoding="utf-8")
        addr = preview.server.server_address[:2]
        assert "blogkit-live" in fetch(addr, "/" + page.relative_to(site / "_site").as_posix())
    finally:
        preview.stop()
    assert not list(tmp_path.glob(".*blogkit-staging"))


def test_jekyll_output_dirs_are_not_watched(tmp_path: Path) -> None:
    """The output inside a Jekyll source must not get inotify watches (thousands of dirs)."""
    from blogkit.server.watch import Watcher

    (tmp_path / "_config.yml").write_text("title: J\n", encoding="utf-8")
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_site" / "2024" / "01").mkdir(parents=True)
    config, _ = load_config(tmp_path)
    watcher = Watcher(lambda: config, lambda batch: None)
    try:
        watcher.start()
        watched = {(Path(e.watch.path), e.watch.is_recursive) for e in watcher.observer.emitters}
    finally:
        watcher.stop()
    assert (config.source, False) in watched and (config.source / "_posts", True) in watched
    assert not any(path == config.destination or config.destination in path.parents for path, _ in watched)


@pytest.mark.parametrize("quiet_for", [0.2, None], ids=["after-a-quiet-spell", "at-stop"])
def test_records_are_saved_after_a_quiet_spell_or_at_stop(tmp_path: Path, quiet_for: float | None) -> None:
    # Saving them right after the reload event slowed the browser's fetch of the new page; the
    # server's next build uses its memory, and a later `blogkit build` the saved copy.
    from blogkit.cache import Cache
    from blogkit.site import build, cache_path, manifest_key_of

    site = make_site(tmp_path)
    config, _ = load_config(site)

    def saved() -> bool:
        store = Cache(cache_path(config))
        try:
            return store.get(manifest_key_of(config)) is not None
        finally:
            store.close()

    reb = Rebuilder(lambda: load_config(site), save_delay=quiet_for if quiet_for is not None else 60.0)
    reb.start()
    try:
        assert reb.wait_idle(30) and reb.state.generation == 1
        post = site / "content" / "_posts" / "2024-05-01-hello.md"
        post.write_text(post.read_text(encoding="utf-8") + "\nmore\n", encoding="utf-8")
        reb.submit(frozenset({Change(post, ChangeKind.CONTENT)}))
        assert reb.wait_idle(30) and reb.state.generation == 2
        assert not saved()  # not in the editor's wait
        if quiet_for is not None:
            deadline = time.monotonic() + 10
            while not saved() and time.monotonic() < deadline:
                time.sleep(0.05)
            assert saved()
    finally:
        reb.stop()
    assert saved()
    assert build(load_config(site)[0]).up_to_date  # the saved snapshot is the last build's
