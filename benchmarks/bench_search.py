"""Index time and index size for N posts: a benchmark corpus in, one line of figures out.

    python benchmarks/bench_search.py N [--corpus-script PATH] [--keep DIR]

Writes N seed-shaped Japanese posts with the shared corpus generator into a scratch site
(``site.yml`` with ``search: true`` + ``content/_posts``), renders it with the real pipeline,
then times only the search index (``build_bundle``: writing the records, Pagefind's extended
binary, reading the bundle back) and reports the bundle's size. Markdown/template time is the
build's, not search's, so it is left out of the index time but printed for scale.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from blogkit.config import load_config  # noqa: E402
from blogkit.errors import ProblemLog  # noqa: E402
from blogkit.render.site import RenderContext, render_site  # noqa: E402
from blogkit.search.pagefind_run import build_bundle  # noqa: E402
from blogkit.search.records import SearchOptions, records_from_views  # noqa: E402
from blogkit.site import read_site  # noqa: E402

CORPUS_SCRIPT = Path(os.environ.get("BLOGKIT_CORPUS_SCRIPT",
                              Path(__file__).resolve().parents[2] / "shared" / "bench" / "make_corpus.py"))


def make_site(n: int, root: Path, script: Path) -> Path:
    subprocess.run([sys.executable, str(script), str(n), str(root / "content")], check=True,
                   stdout=subprocess.DEVNULL)
    (root / "site.yml").write_text("title: bench\nlang: ja\nsearch: true\n", encoding="utf-8")
    return root


def render_context(site: Path) -> tuple[RenderContext, float]:
    config, _ = load_config(site, destination=site / "_site")
    captured: list[RenderContext] = []
    started = time.perf_counter()
    log = ProblemLog()
    # render_site streams its outputs: consume it, or nothing (the generator included) runs
    for _output in render_site(config, read_site(config, log), log,
                               generators=[lambda ctx: captured.append(ctx) or []]):
        pass
    return captured[0], time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--corpus-script", type=Path, default=CORPUS_SCRIPT)
    parser.add_argument("--keep", type=Path, help="build the site here and keep it")
    args = parser.parse_args()
    os.environ.setdefault("BLOGKIT_CACHE", "0")
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-search-"))
    try:
        if not (root / "site.yml").is_file():
            make_site(args.n, root, args.corpus_script)
        ctx, render_s = render_context(root)
        options = SearchOptions.from_config(ctx.config.get("search"), ctx.config.get("lang"))
        started = time.perf_counter()
        records = records_from_views(ctx.post_views, ctx.page_views, options, "")
        files = build_bundle(records, options.language, use_memo=False)
        index_s = time.perf_counter() - started
        size = sum(len(b) for b in files.values())
        by_dir: dict[str, int] = {}
        for rel, data in files.items():
            top = rel.split("/")[0] if "/" in rel else "(top)"
            by_dir[top] = by_dir.get(top, 0) + len(data)
        parts = ", ".join(f"{k} {v / 2**20:.1f} MiB" for k, v in sorted(by_dir.items()))
        print(f"posts={args.n} records={len(records)} render={render_s:.1f}s index={index_s:.2f}s "
              f"bundle={size / 2**20:.1f} MiB in {len(files)} files ({parts})")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
