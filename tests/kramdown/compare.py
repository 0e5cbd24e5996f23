"""Print the kramdown match rate per area: ``python tests/kramdown/compare.py [-v] [area...]``.

``-v`` shows a diff for each mismatching case; ``--write-expected`` adds every case that
matches now to ``expected_to_match.txt`` and every byte-identical one to ``expected_exact.txt``
(the lists the pytest regression tests enforce).
"""
from __future__ import annotations

import difflib
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import EXACT, EXPECTED, compare, load_cases, pretty, read_expected  # noqa: E402


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    areas = [a for a in argv if not a.startswith("-")]
    cases = [c for c in load_cases() if not areas or c.area in areas]
    per: dict[str, list[bool]] = defaultdict(list)
    matching: set[str] = set()
    for case, ok, want, got in compare(cases):
        per[case.area].append(ok)
        if ok:
            matching.add(case.ident)
        if not ok:
            print(f"MISMATCH {case.ident}")
            if verbose:
                for line in difflib.unified_diff(pretty(want).split("\n"),
                                                 pretty(got).split("\n"),
                                                 "kramdown", "blogkit", lineterm="", n=2):
                    print("   ", line)
    exact = {case.ident for case, ok, _w, _g in compare(cases, exact=True) if ok}
    if "--write-expected" in argv:
        EXPECTED.write_text("\n".join(sorted(read_expected() | matching)) + "\n",
                            encoding="utf-8")
        EXACT.write_text("\n".join(sorted(read_expected(EXACT) | exact)) + "\n", encoding="utf-8")
    print(f"{'BYTE-IDENTICAL':14s} {len(exact):3d}/{len(cases):3d}")
    total = sum(len(v) for v in per.values())
    good = sum(sum(v) for v in per.values())
    for area, oks in sorted(per.items()):
        print(f"{area:14s} {sum(oks):3d}/{len(oks):3d}")
    print(f"{'TOTAL':14s} {good:3d}/{total:3d} ({100.0 * good / max(total, 1):.1f}%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
