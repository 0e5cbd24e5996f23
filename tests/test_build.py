"""The build as a whole: outputs, errors in one pass, and nothing lost on failure."""
from __future__ import annotations

import os
import time
from pathlib import Path

from sitekit import output_files, run_cli

POST = "---\ntitle: {title}\n---\n{body}\n"


def test_build_writes_posts_pages_and_static(make_site, tmp_path: Path) -> None:
    site = make_site({"_config.yml": "title: T\n", "_posts/2024-01-05-hello.md": POST.format(title="Hi", body="x"),
                      "about.md": "---\ntitle: About\n---\nme", "css/site.css": "body{}", "data.bin": b"\x00\x01"})
    dest = tmp_path / "out"
    result = run_cli("build", "-s", str(site), "-d", str(dest))
    assert result.returncode == 0, result.stderr
    assert output_files(dest) == {"2024/01/05/hello.html", "about.html", "css/site.css", "data.bin"}
    assert (dest / "data.bin").read_bytes() == b"\x00\x01"
    assert "built 1 posts, 1 pages, 2 static files" in result.stderr


def test_every_error_reported_in_one_pass_and_nothing_written(make_site, tmp_path: Path) -> None:
    site = make_site({
        "_config.yml": "title: T\n",
        "_posts/2024-01-01-good.md": POST.format(title="Good", body="ok"),
        "_posts/2024-01-02-bad-yaml.md": "---\ntitle: [oops\n---\nx",
        "_posts/2024-01-03-bad-date.md": "---\ntitle: D\ndate: not a date\n---\nx",
        "_posts/2024-01-04-escape.md": "---\npermalink: /../../etc/x\n---\nx",
    })
    dest = tmp_path / "out"
    result = run_cli("build", "-s", str(site), "-d", str(dest))
    assert result.returncode == 1
    err = result.stderr
    assert "_posts/2024-01-02-bad-yaml.md:2: front matter is not valid YAML" in err
    assert "_posts/2024-01-03-bad-date.md:3: invalid date 'not a date'" in err
    assert "_posts/2024-01-04-escape.md:2:" in err and "destination" in err
    assert " \u2014 " in err  # every message says what to do
    assert not dest.exists()


def test_failed_build_keeps_the_last_good_site(make_site, tmp_path: Path) -> None:
    site = make_site({"_config.yml": "", "_posts/2024-01-01-a.md": POST.format(title="A", body="first")})
    dest = tmp_path / "out"
    assert run_cli("build", "-s", str(site), "-d", str(dest)).returncode == 0
    before = {p: (dest / p).read_bytes() for p in output_files(dest)}
    (site / "_posts/2024-01-01-a.md").write_text(POST.format(title="A", body="second"))
    (site / "_posts/2024-01-02-b.md").write_text("---\ndate: nope\n---\n")
    assert run_cli("build", "-s", str(site), "-d", str(dest)).returncode == 1
    assert {p: (dest / p).read_bytes() for p in output_files(dest)} == before


def test_unchanged_files_not_rewritten_and_stale_removed(make_site, tmp_path: Path) -> None:
    site = make_site({"_config.yml": "", "_posts/2024-01-01-a.md": POST.format(title="A", body="a"),
                      "_posts/2024-01-02-b.md": POST.format(title="B", body="b")})
    dest = tmp_path / "out"
    assert run_cli("build", "-s", str(site), "-d", str(dest)).returncode == 0
    (dest / ".git").mkdir()
    (dest / ".git" / "HEAD").write_text("kept")
    a = dest / "2024/01/01/a.html"
    old = time.time() - 1000
    os.utime(a, (old, old))
    (site / "_posts/2024-01-02-b.md").unlink()
    result = run_cli("build", "-s", str(site), "-d", str(dest))
    assert result.returncode == 0
    assert a.stat().st_mtime == old                       # same bytes: not rewritten
    assert not (dest / "2024/01/02").exists()             # stale output and empty dirs removed
    assert (dest / ".git/HEAD").read_text() == "kept"     # keep_files survive
    assert "0 written, 1 unchanged, 1 removed" in result.stderr


def test_destination_containing_source_is_refused(make_site) -> None:
    site = make_site({"_config.yml": "", "a.txt": "x"})
    result = run_cli("build", "-s", str(site), "-d", str(site.parent))
    assert result.returncode == 1 and "is or contains the source" in result.stderr
    assert run_cli("build", "-s", str(site), "-d", str(site)).returncode == 1


def test_two_sources_one_url_is_an_error(make_site, tmp_path: Path) -> None:
    site = make_site({"_config.yml": "", "_posts/2024-01-01-a.md": "---\npermalink: /same/\n---\n",
                      "_posts/2024-01-02-b.md": "---\npermalink: /same/\n---\n"})
    result = run_cli("build", "-s", str(site), "-d", str(tmp_path / "o"))
    assert result.returncode == 1
    assert "both write same/index.html" in result.stderr


def test_missing_layout_is_a_warning_and_content_is_written(make_site, tmp_path: Path) -> None:
    site = make_site({"_config.yml": "", "_posts/2024-01-01-a.md": "---\nlayout: nosuch\n---\nhello"})
    result = run_cli("build", "-s", str(site), "-d", str(tmp_path / "o"))
    assert result.returncode == 0
    assert "_posts/2024-01-01-a.md: layout 'nosuch' does not exist" in result.stderr
    assert (tmp_path / "o/2024/01/01/a.html").read_text() == "<p>hello</p>\n"


def test_template_error_names_template_file_and_line(make_site, tmp_path: Path) -> None:
    site = make_site({"site.yml": "title: T\nfeatures: {archives: false, paginate: false, feed: false, sitemap: false, tag_feeds: false, tag_cloud: false}\n",
                      "content/_posts/2024-01-01-a.md": "---\nlayout: broken\n---\nhello",
                      "templates/broken.html": "<p>\n{{ page.title | nosuchfilter }}\n</p>\n"})
    result = run_cli("build", "-s", str(site), "-d", str(tmp_path / "o"))
    assert result.returncode == 1
    assert "templates/broken.html:2:" in result.stderr and "nosuchfilter" in result.stderr


def test_layout_chain_from_front_matter(make_site, tmp_path: Path) -> None:
    site = make_site({"_config.yml": "title: Site\n", "_templates/outer.html": "<main>{{ content }}</main>",
                      "_templates/inner.html": "---\nlayout: outer\n---\n<article>{{ page.title }}|{{ content }}</article>",
                      "_posts/2024-01-01-a.md": "---\nlayout: inner\ntitle: R&D\n---\n*x*"})
    assert run_cli("build", "-s", str(site), "-d", str(tmp_path / "o")).returncode == 0
    html = (tmp_path / "o/2024/01/01/a.html").read_text()
    assert html == "<main><article>R&amp;D|<p><em>x</em></p>\n</article></main>"


def test_python_dash_m_and_aliases(make_site, tmp_path: Path) -> None:
    site = make_site({"_config.yml": "", "_posts/2024-01-01-a.md": "x"})
    assert run_cli("b", "-s", str(site), "-d", str(tmp_path / "o")).returncode == 0
    assert (tmp_path / "o/2024/01/01/a.html").exists()
    assert "build" in run_cli("--help").stdout


def test_a_finished_build_leaves_at_once_with_everything_saved(make_site, tmp_path: Path) -> None:
    """`blogkit build` exits without tearing its heap down (cli.run): the summary is still
    printed, and the cache and snapshot it wrote are complete — the next build is up to date."""
    site = make_site({"_config.yml": "title: T\n", "_posts/2024-01-05-hello.md": POST.format(title="Hi", body="x")})
    dest = tmp_path / "out"
    cached = {"BLOGKIT_CACHE": "1"}
    first = run_cli("build", "-s", str(site), "-d", str(dest), env=cached)
    assert first.returncode == 0 and "built 1 posts" in first.stderr, first.stderr
    again = run_cli("build", "-s", str(site), "-d", str(dest), env=cached)
    assert again.returncode == 0 and "up to date" in again.stderr, again.stderr
    broken = make_site({"_config.yml": "title: T\n", "_posts/2024-01-05-bad.md": "---\ntitle: [oops\n---\nx"})
    failed = run_cli("build", "-s", str(broken), "-d", str(tmp_path / "bad"))
    assert failed.returncode == 1 and "2024-01-05-bad.md:2" in failed.stderr, failed.stderr


def test_stale_files_are_found_as_os_walk_would(tmp_path: Path) -> None:
    # Files no output writes, top down and sorted; a link to a directory is not followed (its
    # target's files are not the site's), a link to a file is a stale file; kept files stay.
    from pathlib import PurePosixPath

    from blogkit.output import OutputWriter
    dest = tmp_path / "_site"
    for rel in ("a/b/x.html", "a/keep.html", "z.txt", ".git/HEAD", "b/y.html"):
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_text(rel)
    outside = tmp_path / "outside"
    (outside / "sub").mkdir(parents=True)
    (outside / "sub/secret.txt").write_text("s")
    (dest / "linked").symlink_to(outside / "sub")
    (dest / "flink").symlink_to(dest / "z.txt")
    writer = OutputWriter(dest)
    writer._outputs = {PurePosixPath("a/keep.html")}
    assert writer._stale() == ["flink", "z.txt", "a/b/x.html", "b/y.html"]
    writer.abort()
