"""Differential harness: build a fixture site with real Jekyll and with blogkit, compare.

Jekyll's view of a site is captured by injecting a Liquid page (``blogkit-dump.json``) that
prints the same JSON shape as ``python -m blogkit inspect``.  blogkit builds a copy *without*
that page, because blogkit renders Jinja templates, not Liquid — the dump file is simply left
out of Jekyll's output set.

Every build runs at most once per pytest session (``DiffRunner`` caches results).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
SITES = HERE / "sites"
REPO_ROOT = HERE.parent.parent
SEEDS = REPO_ROOT.parent / "shared" / "seeds"
DUMP_NAME = "blogkit-dump.json"
# Lets the suite run against another checkout (e.g. the integrator's /work/main).
BLOGKIT_ROOT = Path(os.environ.get("BLOGKIT_ROOT", str(REPO_ROOT)))

POST_FIELDS = ("url", "date", "id", "slug", "title", "categories", "tags",
               "relative_path", "draft")

# The Liquid page that mirrors `blogkit inspect`.  `excerpt` is captured first because a
# post's excerpt is an Excerpt object, and jsonify on it would not give the rendered HTML.
DUMP_PAGE = """---
layout: null
permalink: /blogkit-dump.json
sitemap: false
---
{%- assign dump_pages = site.pages | where_exp: "p", "p.path != 'blogkit-dump.json'" -%}
{"posts": [{% for post in site.posts %}{% capture ex %}{{ post.excerpt }}{% endcapture %}
{"url": {{ post.url | jsonify }}, "date": {{ post.date | date_to_xmlschema | jsonify }}, \
"id": {{ post.id | jsonify }}, "slug": {{ post.slug | jsonify }}, \
"title": {{ post.title | jsonify }}, "categories": {{ post.categories | jsonify }}, \
"tags": {{ post.tags | jsonify }}, "excerpt": {{ ex | jsonify }}, \
"relative_path": {{ post.relative_path | jsonify }}, "draft": {{ post.draft | jsonify }}}\
{% unless forloop.last %},{% endunless %}{% endfor %}],
"categories": [{% for c in site.categories %}{{ c[0] | jsonify }}{% unless forloop.last %},{% endunless %}{% endfor %}],
"tags": [{% for t in site.tags %}{{ t[0] | jsonify }}{% unless forloop.last %},{% endunless %}{% endfor %}],
"pages": [{% for p in dump_pages %}{"url": {{ p.url | jsonify }}, "relative_path": {{ p.path | jsonify }}}\
{% unless forloop.last %},{% endunless %}{% endfor %}]}
"""


@dataclass(frozen=True)
class Case:
    """One build of one fixture directory with one set of flags."""

    name: str
    site: str
    flags: tuple[str, ...] = ()
    configs: tuple[str, ...] = ()  # --config files, relative to the site copy
    tz: str = "UTC"
    seeds: bool = False  # copy the real seed posts into _posts/
    dump: bool = True  # inject the Liquid dump page (core suite only)


@dataclass
class BuildResult:
    returncode: int
    stdout: str
    stderr: str
    files: set[str] = field(default_factory=set)
    data: dict[str, Any] | None = None
    dest: Path | None = None

    def describe(self) -> str:
        return f"exit {self.returncode}\n--- stderr ---\n{self.stderr[-3000:]}"


def require_jekyll() -> None:
    if shutil.which("jekyll") is None:
        pytest.skip("real Jekyll is not installed (`jekyll` not on PATH)")


def require_seeds() -> None:
    if not SEEDS.is_dir() or not list(SEEDS.glob("*.txt")):
        pytest.skip(f"seed posts not found at {SEEDS}")


def seed_target_name(path: Path) -> str:
    """`000_885ec092a0712be0.txt` + front-matter date → `2025-09-29-885ec092a0712be0.md`."""
    text = path.read_text(encoding="utf-8")
    match = re.search(r"^date:\s*['\"]?(\d{4}-\d{2}-\d{2})", text, re.M)
    if not match:
        raise ValueError(f"{path}: no front-matter date")
    hex_id = path.stem.split("_", 1)[1]
    return f"{match.group(1)}-{hex_id}.md"


def seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


def prepare_source(case: Case, dest: Path, with_dump: bool) -> Path:
    """Copy the fixture (plus seeds / dump page) into a fresh directory."""
    shutil.copytree(SITES / case.site, dest, symlinks=True)
    if case.seeds:
        posts = dest / "_posts"
        posts.mkdir(exist_ok=True)
        for seed in seed_files():
            shutil.copyfile(seed, posts / seed_target_name(seed))
    if with_dump:
        (dest / DUMP_NAME).write_text(DUMP_PAGE, encoding="utf-8")
    return dest


def output_files(root: Path) -> set[str]:
    if not root.is_dir():
        return set()
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def _flags(case: Case, src: Path) -> list[str]:
    args = list(case.flags)
    if case.configs:
        args += ["--config", ",".join(str(src / c) for c in case.configs)]
    return args


def _env(tz: str, pythonpath: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["TZ"] = tz
    env["LC_ALL"] = env["LANG"] = "C.UTF-8"
    env.pop("JEKYLL_ENV", None)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return env


def run_jekyll(case: Case, work: Path) -> BuildResult:
    src = prepare_source(case, work / "src", with_dump=case.dump)
    out = work / "out"
    cmd = ["jekyll", "build", "-s", str(src), "-d", str(out), "--disable-disk-cache",
           *_flags(case, src)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=_env(case.tz),
                          cwd=work, timeout=300)
    res = BuildResult(proc.returncode, proc.stdout, proc.stderr, dest=out)
    if proc.returncode == 0:
        res.files = output_files(out) - {DUMP_NAME}
        dump = out / DUMP_NAME
        if case.dump and dump.is_file():
            res.data = json.loads(dump.read_text(encoding="utf-8"))
    return res


def run_blogkit(case: Case, work: Path) -> BuildResult:
    src = prepare_source(case, work / "src", with_dump=False)
    out = work / "out"
    base = [sys.executable, "-m", "blogkit"]
    env = _env(case.tz, BLOGKIT_ROOT)
    flags = _flags(case, src)
    build = subprocess.run([*base, "build", "-s", str(src), "-d", str(out), *flags],
                           capture_output=True, text=True, env=env, cwd=work, timeout=600)
    res = BuildResult(build.returncode, build.stdout, build.stderr, dest=out)
    if build.returncode != 0:
        return res
    res.files = output_files(out)
    if case.dump:
        insp = subprocess.run([*base, "inspect", "-s", str(src), *flags], capture_output=True,
                              text=True, env=env, cwd=work, timeout=600)
        if insp.returncode != 0:
            res.returncode, res.stderr = insp.returncode, "inspect failed:\n" + insp.stderr
            return res
        res.data = json.loads(insp.stdout)
    return res


class DiffRunner:
    """Session cache: each (side, case) is built once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._cache: dict[tuple[str, str], BuildResult] = {}

    def jekyll(self, case: Case) -> BuildResult:
        require_jekyll()
        if case.seeds:
            require_seeds()
        key = ("jekyll", case.name)
        if key not in self._cache:
            self._cache[key] = run_jekyll(case, self._fresh("jekyll", case))
        return self._cache[key]

    def blogkit(self, case: Case) -> BuildResult:
        key = ("blogkit", case.name)
        if key not in self._cache:
            self._cache[key] = run_blogkit(case, self._fresh("blogkit", case))
        return self._cache[key]

    def _fresh(self, side: str, case: Case) -> Path:
        work = self.root / side / case.name
        if work.exists():
            shutil.rmtree(work)
        work.mkdir(parents=True)
        return work

    def pair(self, case: Case) -> tuple[BuildResult, BuildResult]:
        """Jekyll's result (must succeed) and blogkit's (fails the test if it did not build)."""
        jk = self.jekyll(case)
        assert jk.returncode == 0, f"Jekyll failed on fixture {case.site}: {jk.describe()}"
        bk = self.blogkit(case)
        assert bk.returncode == 0, f"blogkit failed on fixture {case.site}: {bk.describe()}"
        return jk, bk


# ---------------------------------------------------------------------------------------
# comparison helpers

_TAG = re.compile(r"<[^>]*>", re.S)


def excerpt_text(html: str | None) -> str:
    """Liquid's strip_html (tags, comments, script/style) + whitespace collapse."""
    text = re.sub(r"<script.*?</script>|<style.*?</style>|<!--.*?-->", "", html or "",
                  flags=re.S | re.I)
    return " ".join(unescape(_TAG.sub("", text)).split())


def post_key(post: dict[str, Any]) -> str:
    return str(post.get("relative_path"))


def first_set_difference(label_a: str, a: set[str], label_b: str, b: set[str]) -> str:
    only_a, only_b = sorted(a - b), sorted(b - a)
    return (f"only in {label_a} ({len(only_a)}): {only_a[:15]}\n"
            f"only in {label_b} ({len(only_b)}): {only_b[:15]}")
