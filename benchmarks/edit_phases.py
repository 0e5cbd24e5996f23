#!/usr/bin/env python3
"""Where a one-post edit build spends its time, in one process: imports, reading the site (and
the cached documents within it), and the rest of the build.

    python benchmarks/edit_phases.py N [--runs R]

Uses the site ``bench_build.py N`` leaves in benchmarks/work/ (run that first); each run appends
a line to one post's body, then times ``build`` with the stage functions wrapped. The import
time is measured in a fresh interpreter per run, as a command pays it.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench_build import EDIT_POST, WORK  # noqa: E402

IMPORTS = "import blogkit.cli, blogkit.render.site, blogkit.liquid.engine, blogkit.generators"


def import_seconds() -> float:
    out = subprocess.run([sys.executable, "-c", f"import time; t = time.perf_counter(); {IMPORTS}; "
                          "print(time.perf_counter() - t)"], cwd=REPO, capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(REPO)})
    return float(out.stdout.strip())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    site = WORK / f"site-jekyll-{a.n}"
    if not (site / "_site").is_dir():
        raise SystemExit(f"{site}/_site not found: run benchmarks/bench_build.py {a.n} first")
    import blogkit.site as stages
    from blogkit.config import load_config

    times: dict[str, float] = {}

    def timed(name: str) -> None:
        inner: Callable[..., Any] = getattr(stages, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                times[name] = times.get(name, 0.0) + time.perf_counter() - started
        setattr(stages, name, wrapper)

    for name in ("read_site", "read_documents"):
        timed(name)
    from blogkit.cache import Cache
    wanted: set[str] = set()
    get_many = Cache.get_many

    def recording(self: Cache, keys: Any) -> Any:
        keys = list(keys)
        wanted.update(k for k in keys if k.startswith("doc:"))
        return get_many(self, keys)
    Cache.get_many = recording  # type: ignore[method-assign]
    for _ in range(a.runs):
        times.clear()
        with open(site / "_posts" / EDIT_POST, "a", encoding="utf-8") as fh:
            fh.write(f"\n\nphase-mark-{time.time_ns()}\n")
        config, _ = load_config(site, destination=site / "_site")
        started = time.perf_counter()
        report = stages.build(config)
        total = time.perf_counter() - started
        print(f"imports {import_seconds():.2f} s | build {total:.2f} s: read_site {times['read_site']:.2f} s "
              f"(cached documents {times['read_documents']:.2f} s), rest {total - times['read_site']:.2f} s "
              f"| {report.stats.written} written")
    documents_load(site, sorted(wanted))


def documents_load(site: Path, keys: list[str]) -> None:
    """What loading the cached documents the last build asked for is made of: reading the rows
    vs unpickling them."""
    import pickle
    import sqlite3

    db = sqlite3.connect(site / ".blogkit-cache" / "cache.sqlite")
    started = time.perf_counter()
    rows = []
    for i in range(0, len(keys), 500):
        chunk = keys[i:i + 500]
        rows += db.execute(f"SELECT value FROM kv WHERE key IN ({','.join('?' * len(chunk))})", chunk).fetchall()
    fetched = time.perf_counter() - started
    started = time.perf_counter()
    for (blob,) in rows:
        pickle.loads(memoryview(blob)[4:])  # (after the CRC-32 blogkit puts in front)
    print(f"cached documents: {len(rows)} rows, {sum(len(b) for (b,) in rows) / 1e6:.0f} MB: "
          f"fetch {fetched:.2f} s, unpickle {time.perf_counter() - started:.2f} s")
    db.close()


if __name__ == "__main__":
    main()
