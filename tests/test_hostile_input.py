"""Bad input never crashes the tool: random and broken posts in, a built site or located errors out.

A hypothesis strategy writes 1–3 posts into a Jekyll site (Liquid bodies, the default Jinja theme
with its feed, sitemap, search records and JSON-LD) whose front matter is random, broken or
hostile (invalid YAML, every key with the wrong type, dates out of range, NUL bytes, invalid
UTF-8, a BOM, CRLF/CR line ends, unclosed front matter, huge titles and slugs, deep nesting,
alias bombs) and whose bodies mix Markdown with random Liquid. Every build must end in a built
site or a ``BuildFailed`` whose problems each name one of the files (and a line when there is
one), within a per-file time bound, without writing anything outside the destination.

``BLOGKIT_FUZZ_EXAMPLES`` sets the number of examples (default 150); ``BLOGKIT_FUZZ_FIGURES=path``
appends the count of inputs tried, for the README.
"""
from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blogkit.config import load_config
from blogkit.errors import BlogkitError, BuildFailed
from blogkit.site import build

EXAMPLES = int(os.environ.get("BLOGKIT_FUZZ_EXAMPLES", "150"))
PER_FILE_SECONDS = 20  # a hang guard, far above any real build of three posts
REPO = Path(__file__).resolve().parent.parent

KEYS = ["title", "date", "slug", "permalink", "categories", "category", "tags", "tag", "layout",
        "excerpt", "excerpt_separator", "published", "reading_time", "description", "image",
        "author", "lang", "last_modified_at", "toc", "math", "redirect_from", "sitemap", "seo"]

hostile_text = st.sampled_from([
    "", " ", "../../etc/passwd", "/abs/path", "%2e%2e/%2e%2e/x", "..\\..\\win", "a\x00b", "CON", "nul.txt",
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "]]>", "</script>", "{{ site }}",
    "{% raw %}", "日本語のタイトル", "ｆｕｌｌｗｉｄｔｈ", "e\u0301", "\u202e", "\ud7ff", "x" * 300,
    "2024-13-45", "0000-00-00", "99999-01-01", "1e400", "-1", ":year/:nope", "/:categories/:title/",
    "a: b", "- x", "*anchor", "&a", "!!python/object:os.system", "null", "~", ".nan", "true",
])
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-2**70, max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), hostile_text,
    st.text(max_size=40), st.dates().map(str), st.datetimes().map(str),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=12)

BROKEN_YAML = [
    "title: [unclosed", "title: 'open", "a: b: c", "\t- tab", "? [x]\n: y", "title: *missing", "- a\n- b",
    "title: !!binary notbase64", "title: !!int x", "date: !!timestamp nope", "just text", "{", "%YAML 9.9",
    "a: &a [*a]\ntitle: *a",
    "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: [*f,*f,*f,*f,*f,*f,*f,*f,*f]",
    "title: " + "[" * 500 + "]" * 500,
    "".join(" " * i + "k:\n" for i in range(200)),
    "title: " + "t" * 1_000_000,
]

MARKDOWN = ["# h", "## h {#id}", "*a", "**b**", "_c_", "`code", "```\nfence", "> quote", "- item", "1. one",
            "[link](../../x)", "![img](javascript:alert(1))", "<div>raw", "<script>x</script>", "| a | b |\n|---|---|",
            "[^1]\n\n[^1]: note", "---", "***", "\\", "&amp; &#0; &#xD800;", "<!-- more -->", "{::comment}",
            "*a " * 200, "[" * 300, "> " * 200 + "x", "$$x$$", "日本語 *強調*の中", "\t\tcode"]
LIQUID = ["{{ page.title }}", "{{ site.posts | jsonify }}", "{% for p in site.posts %}{{ p.url }}{% endfor %}",
          "{% if %}", "{{ | }}", "{% endfor %}", "{% raw %}", "{% include ../../etc/passwd %}",
          "{% include_relative ../../../x %}", "{{ 'x' | append: page }}", "{% for i in (1..100000000) %}{% endfor %}",
          "{% assign s = 'xx' %}{% for i in (1..64) %}{% assign s = s | append: s %}{% endfor %}",
          "{{ page.date | date: '%Y' }}", "{% highlight %}x{% endhighlight %}", "{% post_url nope %}",
          "{% link ../x.md %}", "{{ nil.foo.bar }}", "{% capture x %}{% endcapture %}", "{%", "{{",
          "{{ 1 | divided_by: 0 }}", "{{ page | where_exp: 'x', 'x.y ==' }}", "{% cycle %}", "{% tablerow %}"]


@st.composite
def front_matter(draw: Any) -> str:
    kind = draw(st.sampled_from(["typed"] * 5 + ["broken", "random", "none", "unclosed", "empty"]))
    if kind == "typed":
        keys = draw(st.lists(st.sampled_from(KEYS), max_size=8, unique=True))
        data = {k: draw(values) for k in keys}
        try:
            fm = yaml.safe_dump(data, allow_unicode=draw(st.booleans()))
        except yaml.YAMLError:
            fm = "title: x\n"
        return f"---\n{fm}---\n"
    if kind == "broken":
        return f"---\n{draw(st.sampled_from(BROKEN_YAML))}\n---\n"
    if kind == "random":
        return f"---\n{draw(st.text(max_size=200))}\n---\n"
    if kind == "unclosed":
        return f"---\ntitle: {draw(hostile_text)}\n"
    if kind == "empty":
        return "---\n---\n"
    return ""


@st.composite
def body(draw: Any) -> str:
    parts = draw(st.lists(st.one_of(st.sampled_from(MARKDOWN), st.sampled_from(LIQUID), st.text(max_size=60)),
                          max_size=10))
    return "\n\n".join(parts) + "\n"


@st.composite
def post_bytes(draw: Any) -> bytes:
    text = draw(front_matter()) + draw(body())
    ending = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    text = text.replace("\n", ending)
    data = text.encode("utf-8", "surrogatepass")
    mangle = draw(st.sampled_from(["none"] * 8 + ["bom", "nul", "bad-utf8", "lone-surrogate"]))
    if mangle == "bom":
        data = b"\xef\xbb\xbf" + data
    elif data and mangle in ("nul", "bad-utf8", "lone-surrogate"):
        at = draw(st.integers(min_value=0, max_value=len(data)))
        insert = {"nul": b"\x00", "bad-utf8": b"\xff\xfe\xc3", "lone-surrogate": b"\xed\xa0\x80"}[mangle]
        data = data[:at] + insert + data[at:]
    return data


slugs = st.one_of(
    st.sampled_from(["post", "日本語", "a" * 300, "CON", "..", "x.y", "a b", "%2e%2e", "ｆｕｌｌ", "e\u0301"]),
    st.text(alphabet=st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)),
            min_size=1, max_size=40),
)
dates = st.sampled_from(["2024-01-01", "2024-02-30", "0001-01-01", "9999-12-31", "2024-1-5", "24-01-01"])


@st.composite
def posts(draw: Any) -> list[tuple[str, bytes]]:
    out = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        slug = draw(slugs).strip().replace("/", "_")
        name = f"{draw(dates)}-{slug}.md"
        if len(name.encode()) > 250 or slug.startswith(("_", ".", "#", "~")):  # the file system's limit, not ours
            name = f"{draw(dates)}-post.md"
        out.append((name, draw(post_bytes())))
    return out


class Hang(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise Hang()


def snapshot(root: Path, skip: tuple[Path, ...]) -> dict[str, tuple[int, int]]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if here / d not in skip]
        for name in filenames:
            st_ = (here / name).lstat()
            out[str(here / name)] = (st_.st_size, st_.st_mtime_ns)
    return out


def check_build(root: Path, files: dict[str, bytes]) -> str:
    """Build a site made of ``files``; 'built' or 'failed', asserting the error contract."""
    site = root / "site"
    dest = root / "out"
    for rel, data in files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    before = snapshot(root, (dest, site / ".blogkit-cache"))
    config, problems = load_config(site, destination=dest)
    assert not [p for p in problems if p.is_error]
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(PER_FILE_SECONDS * max(1, len(files)))
    try:
        build(config)
        outcome = "built"
    except BuildFailed as exc:
        outcome = "failed"
        assert exc.problems
        for problem in exc.problems:
            assert problem.code != "internal", str(problem)
            assert problem.where is not None, f"problem without a file: {problem}"
            assert problem.where.path in files or problem.where.path.startswith("_posts/"), str(problem)
            if problem.where.line is not None:
                assert 1 <= problem.where.line <= max(1, files.get(problem.where.path, b"").count(b"\n") + 2)
    except Hang:
        pytest.fail(f"build did not finish in {PER_FILE_SECONDS}s per file: {sorted(files)}")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    after = snapshot(root, (dest, site / ".blogkit-cache"))
    assert after == before, "a file outside the destination was written"
    if dest.exists():
        real = dest.resolve()
        for path in dest.rglob("*"):
            assert real in path.resolve().parents
    return outcome


_counts = {"built": 0, "failed": 0}


@settings(max_examples=EXAMPLES, deadline=None, derandomize=os.environ.get("BLOGKIT_FUZZ_RANDOM") is None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(files=posts())
def test_random_posts_build_or_fail_with_located_errors(tmp_path_factory: pytest.TempPathFactory,
                                                        files: list[tuple[str, bytes]]) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    # every post goes through the theme's post layout (SEO tags, JSON-LD, related posts)
    site_files = {"_config.yml": b"title: fuzz\nurl: http://127.0.0.1:4000\ntag_feeds: true\nrelated_posts: true\n"
                                 b"defaults:\n  - scope: {path: ''}\n    values: {layout: post}\n"}
    site_files.update({f"_posts/{name}": data for name, data in files})
    _counts[check_build(root, site_files)] += 1


def test_zz_fuzz_figures() -> None:
    """Writes the count of inputs tried (runs after the fuzz test, in file order)."""
    path = os.environ.get("BLOGKIT_FUZZ_FIGURES")
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"fuzz inputs: {sum(_counts.values())} builds ({_counts['built']} built, "
                     f"{_counts['failed']} failed with located errors)\n")
    assert sum(_counts.values()) >= min(EXAMPLES, 1) or not _counts


# --- regressions: each found by the fuzz suite or by hand, each once a crash, hang or memory blow-up

BOMB = ("a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
        "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n")
REGRESSIONS = {
    "alias-bomb": (f"---\n{BOMB}---\nx\n", "failed", 2),
    "deep-yaml-list": ("---\ntitle: " + "[" * 20000 + "]" * 20000 + "\n---\nx\n", "failed", 2),
    "deep-yaml-map": ("---\n" + "".join(" " * i + "a:\n" for i in range(3000)) + "---\nx\n", "failed", 2),
    "self-containing": ("---\na: &a [*a]\n---\nx\n", "failed", 2),
    "tags-mapping": ("---\ntitle: t\ntags: {x: 1}\n---\nx\n", "failed", 3),
    "liquid-huge-loop": ("---\ntitle: t\n---\n{% for i in (1..999999999) %}x{% endfor %}\n", "failed", 4),
    "liquid-nested-loops": ("---\ntitle: t\n---\n{% for i in (1..100000) %}{% for j in (1..100000) %}"
                            "{% endfor %}{% endfor %}\n", "failed", 4),
    "liquid-append-doubling": ("---\ntitle: t\n---\n{% assign s = 'xxxxxxxxxx' %}{% for i in (1..40) %}"
                               "{% assign s = s | append: s %}{% endfor %}{{ s | size }}\n", "failed", 4),
    "unclosed-emphasis-quadratic": ("---\ntitle: t\n---\n" + "*a _b " * 20000 + "\n", "built", None),
}


@pytest.mark.parametrize("name", sorted(REGRESSIONS))
def test_regressions(tmp_path: Path, name: str) -> None:
    text, outcome, line = REGRESSIONS[name]
    files = {"_config.yml": b"title: t\n", "_posts/2024-01-01-p.md": text.encode()}
    assert check_build(tmp_path, files) == outcome
    if outcome == "failed":
        with pytest.raises(BuildFailed) as info:
            build(load_config(tmp_path / "site", destination=tmp_path / "out")[0])
        assert [p.where.line for p in info.value.problems if p.where] == [line]


def test_bad_data_files_are_located_errors(tmp_path: Path) -> None:
    for name, data in {"bad.yml": b"a: \xff\n", "bomb.yml": BOMB.encode(), "deep.json": b"[" * 100000 + b"]" * 100000,
                       "self.yml": b"a: &a [*a]\n"}.items():
        root = tmp_path / name
        files = {"_config.yml": b"title: t\n", f"_data/{name}": data,
                 "_posts/2024-01-01-p.md": b"---\ntitle: t\n---\n{{ site.data | jsonify }}\n"}
        assert check_build(root, files) == "failed"


def test_memory_stays_bounded(tmp_path: Path) -> None:
    """The alias bomb and the doubling string in a process limited to 1.5 GB of address space."""
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: t\n")
    (site / "_posts" / "2024-01-01-a.md").write_text(f"---\n{BOMB}---\nx\n")
    (site / "_posts" / "2024-01-02-b.md").write_text(REGRESSIONS["liquid-append-doubling"][0])
    limit = 1536 * 1024 * 1024

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    proc = subprocess.run([sys.executable, "-m", "blogkit", "build", "-s", str(site), "-d", str(tmp_path / "out")],
                          cwd=REPO, env={**os.environ, "BLOGKIT_CACHE": "0"}, capture_output=True, text=True,
                          timeout=120, preexec_fn=cap)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr
    assert "_posts/2024-01-01-a.md:2" in proc.stderr and "_posts/2024-01-02-b.md:4" in proc.stderr


def test_internal_errors_become_a_located_problem_not_a_traceback(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The safety net: a reader bug names the file; the CLI prints one line, no traceback."""
    import blogkit.site as site_mod

    def broken_reader(src: Any, ctx: Any) -> Any:
        raise ZeroDivisionError("simulated reader bug")

    monkeypatch.setattr(site_mod, "read_document", broken_reader)
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: t\n")
    (site / "_posts" / "2024-01-01-a.md").write_text("---\ntitle: a\n---\na\n")
    with pytest.raises(BuildFailed) as info:
        build(load_config(site, destination=tmp_path / "out")[0])
    [problem] = info.value.problems
    assert problem.code == "internal" and problem.where is not None and problem.where.path == "_posts/2024-01-01-a.md"
    from click.testing import CliRunner

    from blogkit import cli

    monkeypatch.setattr(cli, "run_build", lambda *a: (_ for _ in ()).throw(KeyError("boom")))
    result = CliRunner().invoke(cli.main, ["build", "-s", str(site), "-d", str(tmp_path / "out")])
    assert result.exit_code == 2 and "internal error: KeyError" in result.output
    assert "Traceback" not in result.output


def test_theme_errors_on_a_bad_value_name_the_post(tmp_path: Path) -> None:
    """Found by the fuzz suite: `last_modified_at: true` failed in the theme's post.html and the
    error named that file (inside the installed package), which the user cannot fix."""
    files = {"_config.yml": b"title: t\ndefaults:\n  - scope: {path: ''}\n    values: {layout: post}\n",
             "_posts/2024-01-01-p.md": b"---\nlast_modified_at: true\n---\nx\n"}
    assert check_build(tmp_path, files) == "failed"
    with pytest.raises(BuildFailed) as info:
        build(load_config(tmp_path / "site", destination=tmp_path / "out")[0])
    [problem] = info.value.problems
    assert problem.where is not None and problem.where.path == "_posts/2024-01-01-p.md"
    assert "post.html" in problem.message


@pytest.mark.parametrize("front", ["slug: " + "x" * 300, "permalink: /" + "y" * 300 + "/", "tags: [" + "z" * 300 + "]",
                                   "categories: [" + "c" * 300 + "]", "title: " + "t" * 300])
def test_names_longer_than_a_file_system_allows_are_located_errors(tmp_path: Path, front: str) -> None:
    """Found by the fuzz suite: a 300-character slug crashed the build with ENAMETOOLONG."""
    files = {"_config.yml": b"title: t\ntag_feeds: true\npermalink: /:categories/:slug/\n",
             "_posts/2024-01-01-p.md": f"---\n{front}\n---\nx\n".encode()}
    outcome = check_build(tmp_path, files)
    # a slug, permalink or category is a file name here: refused with its line; a title or tag is
    # not (or is shortened by the tag page's slug), and builds
    assert outcome == ("failed" if front.startswith(("slug", "permalink", "categories")) else "built")


@pytest.mark.parametrize("value", ["x", "[1]", "-3", ".nan", "true"])
def test_bad_reading_speed_in_config_is_a_config_error(tmp_path: Path, value: str) -> None:
    """Found by probing config keys with wrong types: `words_per_minute: x` crashed (float('x'))."""
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text(f"title: t\nreading_time:\n  words_per_minute: {value}\n")
    (site / "_posts" / "2024-01-01-a.md").write_text("---\ntitle: a\n---\na\n")
    with pytest.raises(BlogkitError) as info:  # a config error stops the build before any file is read
        build(load_config(site, destination=tmp_path / "out")[0])
    assert info.value.code == "bad-config" and info.value.where is not None
    assert info.value.where.path == "_config.yml"


# --- the config: every known key with a value of the wrong type --------------------------------

from blogkit.config import KNOWN_KEYS  # noqa: E402

CONFIG_KEYS = sorted(KNOWN_KEYS - {"source", "destination", "search", "data_dir", "layouts_dir", "includes_dir",
                                   "plugins_dir", "collections_dir"})


@settings(max_examples=max(20, EXAMPLES // 3), deadline=None, derandomize=os.environ.get("BLOGKIT_FUZZ_RANDOM") is None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(config=st.dictionaries(st.sampled_from(CONFIG_KEYS), values, max_size=6), blogkit_site=st.booleans())
def test_random_config_values_build_or_fail_with_a_config_error(tmp_path_factory: pytest.TempPathFactory,
                                                                config: dict[str, Any], blogkit_site: bool) -> None:
    root = tmp_path_factory.mktemp("cfg")
    try:
        text = yaml.safe_dump({"title": "t", **config}, allow_unicode=True)
    except yaml.YAMLError:
        return
    name, posts = ("site.yml", "content/_posts") if blogkit_site else ("_config.yml", "_posts")
    site = root / "site"
    (site / posts).mkdir(parents=True)
    (site / name).write_text(text, encoding="utf-8")
    (site / posts / "2024-01-01-a.md").write_text("---\nlayout: post\ntitle: a\ntags: [x]\n---\nhi {{ site.title }}\n",
                                                  encoding="utf-8")
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(PER_FILE_SECONDS)
    try:
        loaded, problems = load_config(site, destination=root / "out")
        if not [p for p in problems if p.is_error]:
            build(loaded)
        _counts["built"] += 1
    except BlogkitError as exc:
        problems = exc.problems if isinstance(exc, BuildFailed) else [exc.to_problem()]
        for problem in problems:
            assert problem.code != "internal", str(problem)
            assert problem.where is not None and problem.where.path, str(problem)
        _counts["failed"] += 1
    except Hang:
        pytest.fail(f"config build did not finish in {PER_FILE_SECONDS}s: {config!r}"[:500])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
