"""Differential test: every case in tests/kramdown/expected_to_match.txt must render like
the real Jekyll 4.3.1 + kramdown (after the cosmetic normalisation of spec §12.11), and every
case in expected_exact.txt byte for byte."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "kramdown"))

from harness import EXACT, compare, jekyll_available, load_cases, pretty, read_expected  # noqa: E402

pytestmark = pytest.mark.jekyll


@pytest.mark.skipif(not jekyll_available(), reason="`jekyll` is not on PATH (needed to render "
                                                   "the reference HTML)")
def test_expected_cases_match_kramdown() -> None:
    expected = read_expected()
    cases = [c for c in load_cases() if c.ident in expected]
    assert cases, "expected_to_match.txt names no existing case"
    missing = expected - {c.ident for c in cases}
    assert not missing, f"listed cases not in the corpus: {sorted(missing)}"
    failures = [f"{c.ident}\n kramdown: {pretty(w)}\n blogkit:  {pretty(g)}"
                for c, ok, w, g in compare(cases) if not ok]
    assert not failures, "\n\n".join(failures)


@pytest.mark.skipif(not jekyll_available(), reason="`jekyll` is not on PATH")
def test_exact_cases_are_byte_identical() -> None:
    """Layout too (kramdown's indentation and kept blank lines): the bytes of Jekyll's page."""
    expected = read_expected(EXACT)
    cases = [c for c in load_cases() if c.ident in expected]
    assert len(cases) == len(expected) and len(cases) > 200
    failures = [f"{c.ident}\n kramdown: {w!r}\n blogkit:  {g!r}"
                for c, ok, w, g in compare(cases, exact=True) if not ok]
    assert not failures, "\n\n".join(failures[:5])


def test_normalisation_keeps_meaningful_differences() -> None:
    from harness import normalise

    # Cosmetic: indentation, attribute order, <br> spelling, entity vs character.
    assert normalise('<p class="a" id="b">x &amp; &#8217;<br />\ny</p>\n') == \
        normalise('<p id="b" class="a">\n  x &amp; \u2019<br>\ny</p>')
    # Not cosmetic: text characters, the newline between Japanese lines, <p> in <li>.
    assert normalise("<p>a\u2019</p>") != normalise("<p>a'</p>")
    assert normalise("<p>日本\n語</p>") != normalise("<p>日本語</p>")
    assert normalise("<li><p>x</p></li>") != normalise("<li>x</li>")
