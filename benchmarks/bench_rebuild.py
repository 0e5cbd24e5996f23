#!/usr/bin/env python3
"""The preview server's rebuilds, in one process: how long each kind of edit takes to rebuild
a blogkit site that is already built (no watcher, no HTTP: ``bench_serve.py`` times those).

    python benchmarks/bench_rebuild.py N [--rounds R] [--site DIR]

Uses the blogkit site ``bench_build.py N --site blogkit`` leaves in benchmarks/work/ (or
``--site``: any blogkit site whose posts are in content/_posts). One ``BuildCache`` is kept
across builds, as ``blogkit serve`` keeps it. Each round: a line appended to a post's body; a new
post (the newest, on the newest post's day); that post deleted; a tag added to an old post and
removed again. Every edit is undone at the end. Prints the
median and range of each kind's rebuild seconds.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import EDIT_POST, WORK  # noqa: E402



def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--site", type=Path, default=None)
    a = ap.parse_args()
    site = a.site or WORK / f"site-blogkit-{a.n}"
    posts = site / "content" / "_posts"
    if not posts.is_dir():
        raise SystemExit(f"{posts} not found: run benchmarks/bench_build.py {a.n} --site blogkit first")
    from blogkit.config import load_config
    from blogkit.site import BuildCache, build

    edited = posts / EDIT_POST
    original = edited.read_text(encoding="utf-8")
    # The new post is the newest, on the newest post's day: it shifts every home page and its
    # tags' archive pages, as an editor's new post does. (On a later year, every page would
    # change too: the theme's footer shows the newest post's year.)
    day = max(p.name[:10] for p in posts.glob("*.md"))
    new = posts / f"{day}-bench-rebuild-new.md"
    cache = BuildCache()
    config, _ = load_config(site)
    build(config, cache=cache)
    times: dict[str, list[float]] = {"body": [], "new post": [], "deleted post": [], "retag": [], "untag": []}

    def timed(kind: str) -> None:
        started = time.perf_counter()
        build(config, cache=cache)
        times[kind].append(time.perf_counter() - started)

    try:
        for i in range(a.rounds):
            edited.write_text(original + f"\n\nrebuild-mark-{time.time_ns()}\n", encoding="utf-8")
            timed("body")
            text = re.sub(r"^title:.*$", 'title: "新しい記事"', original, count=1, flags=re.M)
            new.write_text(re.sub(r"^date:.*$", f"date: {day} 23:59:00 +0000", text, count=1, flags=re.M),
                           encoding="utf-8")
            timed("new post")
            new.unlink()
            timed("deleted post")
            head, sep, rest = original.partition("\ntags: [")
            edited.write_text(f'{head}{sep}"rebuildtag{i}", {rest}', encoding="utf-8")
            timed("retag")
            edited.write_text(original, encoding="utf-8")
            timed("untag")
    finally:
        edited.write_text(original, encoding="utf-8")
        new.unlink(missing_ok=True)
        build(config, cache=cache)
    print(f"# {site}: one process, one BuildCache, {a.rounds} rounds")
    for kind, values in times.items():
        print(f"{kind:13} median {statistics.median(values):.3f} s  (min {min(values):.3f}, max {max(values):.3f})")


if __name__ == "__main__":
    main()
