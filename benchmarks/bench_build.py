#!/usr/bin/env python3
"""Build-speed benchmark: cold, warm and one-edit builds on the shared corpus, side by side with
the peers when they are installed.

    python benchmarks/bench_build.py N [--runs R] [--site jekyll|blogkit] [--peers jekyll,hugo]

* corpus: ``../shared/bench/make_corpus.py N`` (cached under benchmarks/work/, git-ignored);
* ``--site jekyll`` (default) builds the peers' own Jekyll site (its _config.yml, Liquid layouts
  and index.html, from ../shared/bench/peers/jekyll) — the same input Jekyll gets; ``--site
  blogkit`` builds the corpus as a blogkit site (site.yml, built-in theme, every extra on);
* each figure is whole-process wall time of ``python -m blogkit build`` (median of R runs), peak
  RSS of the largest process and the sum over the process tree (sampled from /proc every 20 ms);
* cold = empty destination and no cache; warm = nothing changed; edit = one post's body changed;
  tags = one post's tags changed. Each edit run checks that the change reached the output.
* ``--peers`` runs ../shared/bench/bench_peers.sh for the named peers at the same N, in the same
  run, and prints the ratios.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "bench"
WORK = Path(__file__).resolve().parent / "work"
EDIT_POST = "2025-09-29-885ec092a0712be0.md"   # seed post 000, as bench_peers.sh edits


@dataclass
class Run:
    wall: float
    peak_mib: float
    sum_mib: float
    cpu: float


def tree_rss(pid: int) -> tuple[float, float]:
    """(largest RSS, sum of RSS) in MiB over pid and its descendants."""
    pids, stack = [], [pid]
    while stack:
        p = stack.pop()
        pids.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except OSError:
            continue
    sizes = []
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        sizes.append(int(line.split()[1]) / 1024)
        except OSError:
            pass
    return (max(sizes) if sizes else 0.0, sum(sizes))


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> Run:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = total = 0.0
    while proc.poll() is None:
        big, whole = tree_rss(proc.pid)
        peak, total = max(peak, big), max(total, whole)
        time.sleep(0.02)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({proc.returncode}):\n{err}")
    return Run(wall, peak, total, 0.0)


def corpus(n: int) -> Path:
    target = WORK / f"corpus-{n}"
    if not (target / "_posts").is_dir():
        subprocess.run([sys.executable, str(SHARED / "make_corpus.py"), str(n), str(target)], check=True,
                       stdout=subprocess.DEVNULL)
    return target


def make_site(n: int, kind: str) -> Path:
    site = WORK / f"site-{kind}-{n}"
    shutil.rmtree(site, ignore_errors=True)
    src = corpus(n)
    if kind == "jekyll":
        shutil.copytree(SHARED / "peers" / "jekyll", site)
        shutil.copytree(src / "_posts", site / "_posts")
    else:
        (site / "content").mkdir(parents=True)
        shutil.copytree(src / "_posts", site / "content" / "_posts")
        (site / "site.yml").write_text("title: Lab Blog\nurl: https://example.com\nlang: ja\ntimezone: UTC\n"
                                       "paginate: 10\npaginate_path: /page/:num/\n", encoding="utf-8")
        (site / "content" / "index.md").write_text("---\nlayout: home\n---\n", encoding="utf-8")
    return site


def edit_body(site: Path, kind: str, mark: str) -> Path:
    post = (site / "_posts" if kind == "jekyll" else site / "content" / "_posts") / EDIT_POST
    with open(post, "a", encoding="utf-8") as fh:
        fh.write(f"\n\n{mark}\n")
    return post


def edit_tags(site: Path, kind: str, mark: str) -> None:
    post = (site / "_posts" if kind == "jekyll" else site / "content" / "_posts") / EDIT_POST
    text = post.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\ntags: [")
    post.write_text(f'{head}{sep}"{mark}", {rest}', encoding="utf-8")


def bench(n: int, runs: int, kind: str) -> dict[str, list[Run]]:
    site = make_site(n, kind)
    dest = site / "_site"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    cmd = [sys.executable, "-m", "blogkit", "build", "-s", str(site), "-d", str(dest), "-q"]
    results: dict[str, list[Run]] = {"cold": [], "warm": [], "edit": [], "tags": []}
    for _ in range(runs):
        shutil.rmtree(dest, ignore_errors=True)
        shutil.rmtree(site / ".blogkit-cache", ignore_errors=True)
        results["cold"].append(timed(cmd, site, env))
    for _ in range(runs):
        results["warm"].append(timed(cmd, site, env))
    for i in range(runs):
        mark = f"EDITMARK{time.time_ns()}"
        edit_body(site, kind, mark)
        results["edit"].append(timed(cmd, site, env))
        if not any(mark in p.read_text(encoding="utf-8") for p in dest.rglob("*.html")):
            raise SystemExit("the body edit did not reach the output")
    for i in range(runs):
        mark = f"tagmark{time.time_ns()}"
        edit_tags(site, kind, mark)
        results["tags"].append(timed(cmd, site, env))
        if not (dest / "tag" / mark / "index.html").exists():
            raise SystemExit(f"the tag edit did not make tag/{mark}/")
    files = sum(1 for p in dest.rglob("*") if p.is_file())
    print(f"# {kind} site, {n} posts, {files} output files, {runs} runs each, {os.cpu_count()} cores")
    return results


def report(n: int, results: dict[str, list[Run]]) -> dict[str, float]:
    print(f"{'build':6} {'wall s (median)':>16} {'min':>7} {'max':>7} {'peak MiB':>9} {'sum MiB':>8} {'ms/post':>8}")
    medians = {}
    for name, rs in results.items():
        walls = [r.wall for r in rs]
        med = statistics.median(walls)
        medians[name] = med
        print(f"{name:6} {med:16.2f} {min(walls):7.2f} {max(walls):7.2f} {max(r.peak_mib for r in rs):9.0f} "
              f"{max(r.sum_mib for r in rs):8.0f} {med * 1000 / n:8.2f}")
    return medians


def peers(n: int, names: list[str], runs: int) -> dict[str, float]:
    script = SHARED / "bench_peers.sh"
    out: dict[str, float] = {}
    if not script.exists():
        print("# peers: ../shared/bench/bench_peers.sh not found")
        return out
    for name in names:
        tool = {"jekyll": "jekyll", "hugo": "hugo", "jekyll-incr": "jekyll", "hugo-rebuild": "hugo"}.get(name, name)
        if shutil.which(tool) is None and name != "pelican":
            print(f"# peers: {name} skipped ({tool} not installed)")
            continue
        env = {**os.environ, "RUNS": str(runs), "WARMUP": "1", "WORK": str(WORK / "peers")}
        proc = subprocess.run(["bash", str(script), str(n), name], env=env, capture_output=True, text=True)
        tsv = WORK / "peers" / "results" / str(n) / f"{name}.tsv"
        if proc.returncode == 0 and tsv.exists():
            cols = tsv.read_text().split("\t")
            out[name] = float(cols[4])
            print(f"# peer {name}: {cols[4]} s wall, {cols[6]} MiB peak, {cols[2]} files")
        else:
            print(f"# peer {name} failed: {proc.stderr[-400:]}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--site", choices=["jekyll", "blogkit"], default="jekyll")
    ap.add_argument("--peers", default="", help="comma list: jekyll,hugo,pelican,jekyll-incr,hugo-rebuild")
    a = ap.parse_args()
    medians = report(a.n, bench(a.n, a.runs, a.site))
    if a.peers:
        theirs = peers(a.n, [p for p in a.peers.split(",") if p], a.runs)
        for name, wall in theirs.items():
            ours = medians["edit"] if name.endswith(("-incr", "-rebuild")) else medians["cold"]
            print(f"ratio blogkit/{name}: {ours / wall:.2f} (blogkit {ours:.2f} s vs {wall:.2f} s)")


if __name__ == "__main__":
    main()
