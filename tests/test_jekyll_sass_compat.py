"""Differential test of Sass pages (jekyll-sass-converter 2.2 on sassc) against real Jekyll.

Input: tests/jekyll/sites/sass — an SCSS page importing partials from `_sass/` (nested folder,
mixins, a colour function, a media query, a Liquid value, `@charset`, Japanese in a comment),
an indented-syntax `.sass` page, an `.scss` file without front matter (copied as it is); built
with the default options and with `style: compressed` + `sourcemap: never`.
Output: every output file, byte for byte (CSS and source maps included).
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "jekyll"))
import jekyll_harness as H  # noqa: E402

pytest.importorskip("sass")
pytestmark = [pytest.mark.jekyll]

CASES = [H.Case("sass", "sass", dump=False),
         H.Case("sass-compressed", "sass", dump=False, configs=("_config.yml", "_config.compressed.yml"))]


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> H.DiffRunner:
    return H.DiffRunner(tmp_path_factory.mktemp("jekyll-sass-diff"))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_file_is_byte_identical(runner: H.DiffRunner, case: H.Case) -> None:
    jk, bk = runner.pair(case)
    assert bk.files == jk.files
    assert {"assets/css/main.css", "assets/css/indented.css", "assets/raw/plain.scss"} <= jk.files
    assert ("assets/css/main.css.map" in jk.files) == (case.name == "sass")
    assert jk.dest is not None and bk.dest is not None
    for rel in sorted(jk.files):
        assert (bk.dest / rel).read_bytes() == (jk.dest / rel).read_bytes(), rel


def test_without_libsass_the_page_is_a_warning_and_the_rest_builds(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from blogkit.config import load_config
    from blogkit.errors import ProblemLog
    from blogkit.site import build
    from sitekit import write_files

    real_import = builtins.__import__

    def no_sass(name: str, *args: object, **kwargs: object) -> object:
        if name == "sass":
            raise ImportError("no libsass here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_sass)
    monkeypatch.setenv("BLOGKIT_CACHE", "0")
    site = write_files(tmp_path / "s", {"_config.yml": "title: T\n", "index.md": "---\n---\nhi\n",
                                       "css/site.scss": "---\n---\na { b: c; }\n"})
    config, _ = load_config(site, destination=tmp_path / "out")
    log = ProblemLog()
    build(config, log=log)
    assert (tmp_path / "out" / "index.html").is_file()
    assert not (tmp_path / "out" / "css" / "site.css").exists()
    [problem] = [p for p in log.problems if p.code == "sass-missing"]
    assert str(problem.where) == "css/site.scss:1" and "blogkit[sass]" in (problem.hint or "")


def test_an_edited_partial_recompiles_incrementally(tmp_path: Path) -> None:
    """A warm build after a change in `_sass/` equals a cold one (the partials are an input)."""
    import shutil

    from blogkit.config import load_config
    from blogkit.site import build

    site = tmp_path / "site"
    shutil.copytree(H.SITES / "sass", site)
    config, _ = load_config(site, destination=tmp_path / "warm")
    build(config)
    before = (tmp_path / "warm" / "assets/css/main.css").read_bytes()
    vars_file = site / "_sass" / "_vars.scss"
    vars_file.write_text(vars_file.read_text(encoding="utf-8").replace("12px", "20px"), encoding="utf-8")
    build(config)
    after = (tmp_path / "warm" / "assets/css/main.css").read_bytes()
    cold_config, _ = load_config(site, destination=tmp_path / "cold")
    shutil.rmtree(site / ".blogkit-cache")
    build(cold_config)
    assert after != before and b"padding: 20px" in after
    assert after == (tmp_path / "cold" / "assets/css/main.css").read_bytes()


def test_a_sass_error_names_the_file_and_line(tmp_path: Path) -> None:
    """In the sheet: its line in the file (front matter counted); in a partial: the partial's."""
    from sitekit import run_cli, write_files
    site = write_files(tmp_path / "s", {"_config.yml": "title: T\n",
                                       "css/broken.scss": "---\n---\nb { c: d; }\na { color: $nowhere; }\n",
                                       "css/via.scss": "---\n---\n@import \"bad\";\n",
                                       "_sass/_bad.scss": "x {\n  y: $missing;\n}\n"})
    result = run_cli("build", "-s", str(site), "-d", str(tmp_path / "out"))
    assert result.returncode != 0
    assert 'css/broken.scss:4: Sass: Undefined variable: "$nowhere".' in result.stderr
    assert '_sass/_bad.scss:2: Sass: Undefined variable: "$missing".' in result.stderr
