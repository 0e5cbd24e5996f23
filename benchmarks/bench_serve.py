"""Benchmark: save a post -> the page served with the change, through the real preview server.

Input: a make_corpus.py site (1,000 posts; 5,000 with ``--big``): with ``--site bare`` (the
default) a Jekyll site of the posts and a one-line _config.yml (no layouts, feeds or archives:
the built-in theme's post pages only); with ``--site blogkit``, the corpus as a blogkit site with
every extra on (tag and category archives, paginated home, feeds per tag, tag cloud, related
posts), as ``bench_build.py --site blogkit`` builds it. Output: printed figures.
Each round appends a unique marker to one post's body, then times until (a) the SSE stream
announces a new generation and (b) an HTTP GET of that post's page contains the marker, which
is what a reloaded browser tab would show. No browser is needed.

    /work/venv/bin/python benchmarks/bench_serve.py [--big] [--rounds 5] [--site bare|blogkit] [--keep DIR]
"""
from __future__ import annotations

import argparse
import http.client
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from blogkit.config import load_config  # noqa: E402
from blogkit.server.commands import Preview  # noqa: E402
from blogkit.server.reload import EVENTS_PATH  # noqa: E402

# the shared corpus generator, beside the repository as CI lays it out
MAKE_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "bench" / "make_corpus.py"


class EventWatcher:
    """Reads the SSE stream on a thread and records (time, generation) of every state event."""

    def __init__(self, host: str, port: int) -> None:
        self.events: list[tuple[float, int]] = []
        self.cond = threading.Condition()
        self.conn = http.client.HTTPConnection(host, port, timeout=600)
        self.conn.request("GET", EVENTS_PATH)
        self.resp = self.conn.getresponse()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for raw in self.resp:
                line = raw.decode().strip()
                if line.startswith("data: "):
                    gen = json.loads(line[6:])["generation"]
                    with self.cond:
                        self.events.append((time.perf_counter(), gen))
                        self.cond.notify_all()
        except (OSError, ValueError):
            pass

    def wait_for(self, generation: int, timeout: float) -> float | None:
        with self.cond:
            ok = self.cond.wait_for(lambda: any(g >= generation for _, g in self.events), timeout)
            return next(t for t, g in self.events if g >= generation) if ok else None


def fetch(host: str, port: int, path: str) -> str:
    conn = http.client.HTTPConnection(host, port, timeout=600)
    conn.request("GET", path)
    body = conn.getresponse().read().decode("utf-8", "replace")
    conn.close()
    return body


BLOGKIT_SITE = ("title: Lab Blog\nurl: https://example.com\nlang: ja\ntimezone: UTC\n"
                "paginate: 10\npaginate_path: /page/:num/\n")   # (bench_build.py's blogkit site)


def make_site(work: Path, n_posts: int, kind: str) -> Path:
    """The corpus as a site of ``kind``; returns its posts folder."""
    posts = work / "_posts" if kind == "bare" else work / "content" / "_posts"
    if not posts.is_dir():
        subprocess.run([sys.executable, str(MAKE_CORPUS), str(n_posts), str(posts.parent)], check=True,
                       stdout=subprocess.DEVNULL)
        if kind == "bare":
            (work / "_config.yml").write_text("title: bench\n", encoding="utf-8")
        else:
            (work / "site.yml").write_text(BLOGKIT_SITE, encoding="utf-8")
            (work / "content" / "index.md").write_text("---\nlayout: home\n---\n", encoding="utf-8")
    return posts


def output_page(site: Path, post: Path) -> Path | None:
    """The built page of ``post`` (``slug.html`` or ``slug/index.html``, whatever the permalink)."""
    slug = post.stem[11:]
    return next((p for p in site.rglob("*.html") if p.stem == slug or (p.name == "index.html" and p.parent.name == slug)),
                None)


def run(n_posts: int, rounds: int, keep: Path | None, kind: str = "bare") -> None:
    work = keep or Path(tempfile.mkdtemp(prefix=f"bench-serve-{n_posts}-"))
    posts_dir = make_site(work, n_posts, kind)
    started = time.perf_counter()
    preview = Preview(lambda: load_config(work), port=0)
    preview.start()
    assert preview.rebuilder.wait_idle(1800), "first build did not finish"
    first = time.perf_counter() - started
    if preview.rebuilder.state.problems:
        raise SystemExit(f"first build failed: {preview.rebuilder.state.problems[0]}")
    host, port = preview.server.server_address[:2]
    sse = EventWatcher(host, port)
    posts = sorted(posts_dir.glob("*.md"))
    target = posts[len(posts) // 2]
    page = output_page(work / "_site", target)
    if page is None:
        raise SystemExit(f"cannot find the output page of {target.name}")
    url = "/" + "/".join(page.relative_to(work / "_site").parts)
    from urllib.parse import quote
    url = quote(url)
    original = target.read_text(encoding="utf-8")
    to_event: list[float] = []
    to_page: list[float] = []
    try:
        for i in range(rounds):
            generation = preview.rebuilder.state.generation + 1
            marker = f"bench-marker-{i}-{time.time_ns()}"
            saved = time.perf_counter()
            target.write_text(original + f"\n\n{marker}\n", encoding="utf-8")
            event_at = sse.wait_for(generation, 600)
            if event_at is None:
                raise SystemExit("no reload event")
            body = fetch(host, port, url)
            done = time.perf_counter()
            if marker not in body:
                raise SystemExit(f"round {i}: page does not show the change")
            to_event.append(event_at - saved)
            to_page.append(done - saved)
            preview.rebuilder.wait_idle(600)
            time.sleep(0.3)  # let the watcher settle so rounds do not merge
    finally:
        target.write_text(original, encoding="utf-8")
        preview.stop()
    print(f"{n_posts} posts ({kind} site): first build {first:.2f}s; save -> reload event "
          f"median {statistics.median(to_event):.3f}s; save -> updated page fetched "
          f"median {statistics.median(to_page):.3f}s (min {min(to_page):.3f}, max {max(to_page):.3f}, "
          f"{rounds} rounds)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--big", action="store_true", help="also run the 5,000-post corpus")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--site", choices=["bare", "blogkit"], default="bare")
    parser.add_argument("--keep", type=Path, default=None, help="reuse/keep the corpus in this directory")
    args = parser.parse_args()
    run(1000, args.rounds, args.keep, args.site)
    if args.big:
        run(5000, args.rounds, None, args.site)


if __name__ == "__main__":
    main()
