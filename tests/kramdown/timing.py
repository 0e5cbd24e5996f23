"""Time ``Markdown.render`` on the seed posts: ``python tests/kramdown/timing.py [rounds]``.

Not a test (timings are machine-dependent); prints ms per post and ms per 12,000 characters.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import seed_cases  # noqa: E402

from blogkit.markdown import make_markdown  # noqa: E402


def main(rounds: int) -> None:
    t0 = time.perf_counter()
    md = make_markdown()
    print(f"make_markdown: {1000 * (time.perf_counter() - t0):.1f} ms")
    posts = [c.text for c in seed_cases()]
    for text in posts:  # warm caches (lexers, regexes)
        md.render(text)
    chars = sum(len(t) for t in posts)
    t0 = time.perf_counter()
    for _ in range(rounds):
        for text in posts:
            md.render(text)
    per_post = 1000 * (time.perf_counter() - t0) / (rounds * len(posts))
    print(f"{len(posts)} posts, {chars // len(posts)} chars avg: {per_post:.2f} ms/post, "
          f"{per_post * 12000 * len(posts) / chars:.2f} ms per 12,000 chars")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
