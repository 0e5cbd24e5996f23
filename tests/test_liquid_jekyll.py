"""Differential tests: Liquid bodies and Liquid layouts against real Jekyll 4.3.1.

Each fixture in tests/liquid_sites/<name>/ is built by ``jekyll build`` and by blogkit;
the output path sets must be equal, and every HTML file equal after collapsing whitespace.
Highlighted code is compared as text plus markup: Pygments names a few tokens differently
from Rouge (``s2`` vs ``s``), so span classes are dropped before comparing (spec §12.5).
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.jekyll

SITES = Path(__file__).resolve().parent / "liquid_sites"
NAMES = sorted(p.name for p in SITES.iterdir() if (p / "_config.yml").is_file())
_BUILT: dict[str, tuple[Path, Path]] = {}


def _build(name: str, tmp: Path) -> tuple[Path, Path]:
    if name in _BUILT:
        return _BUILT[name]
    if shutil.which("jekyll") is None:
        pytest.skip("real Jekyll is not on PATH (apt-get install jekyll); differential test skipped")
    jk, bk = tmp / "jekyll", tmp / "blogkit"
    ref = subprocess.run(["jekyll", "build", "-q", "-s", str(SITES / name), "-d", str(jk)],
                         capture_output=True, text=True, timeout=300)
    assert ref.returncode == 0, ref.stderr[-2000:]
    ours = subprocess.run([sys.executable, "-m", "blogkit", "build", "-s", str(SITES / name), "-d", str(bk)],
                          capture_output=True, text=True, timeout=300,
                          cwd=Path(__file__).resolve().parent.parent, env={"BLOGKIT_CACHE": "0", "PATH": ""})
    assert ours.returncode == 0, ours.stdout[-2000:] + ours.stderr[-2000:]
    assert "(liquid templates)" in ours.stdout + ours.stderr
    _BUILT[name] = (jk, bk)
    return jk, bk


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def normalise(html: str) -> str:
    html = re.sub(r'<span class="[^"]*">', "<span>", html)
    return re.sub(r"\s+", " ", html).strip()


@pytest.fixture(params=NAMES)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _build(request.param, tmp_path_factory.mktemp(request.param))


def test_same_output_paths(built: tuple[Path, Path]) -> None:
    jk, bk = built
    assert _files(bk) == _files(jk)


def test_same_html_after_whitespace_normalisation(built: tuple[Path, Path]) -> None:
    jk, bk = built
    pages = sorted(f for f in _files(jk) if f.endswith(".html"))
    assert pages, "fixture produced no HTML"
    for rel in pages:
        ours = normalise((bk / rel).read_text(encoding="utf-8"))
        ref = normalise((jk / rel).read_text(encoding="utf-8"))
        assert ours == ref, rel
