"""Crash safety: a build killed at any moment leaves the destination as the last completed build
left it or as the killed build would have made it (after ``recover``, which every build runs
first); a corrupted or truncated cache is detected and rebuilt.

Input: a 1,000-post corpus (``make_corpus.py``) built once (reference A), then changed (edits,
deletions, additions) and built again (reference B). Output: for each crash point, the
destination compared byte for byte with A and B.

``BLOGKIT_CRASH_POINTS`` sets how many SIGKILLs are tried (default 4: two anywhere in the build,
two inside the commit); ``BLOGKIT_CRASH_FIGURES=path`` appends the counts for the README.
"""
from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path, PurePosixPath

import pytest

from blogkit import output as output_mod
from blogkit.cache import Cache
from blogkit.output import OutputWriter, recover, staging_dir

REPO = Path(__file__).resolve().parent.parent
MAKE_CORPUS = REPO.parent / "shared" / "bench" / "make_corpus.py"
POINTS = int(os.environ.get("BLOGKIT_CRASH_POINTS", "4"))

# Runs one build; prints COMMIT just before the commit phase starts, so the parent can aim
# a kill inside it (the commit is a small part of a 6 s build and would rarely be hit by chance).
DRIVER = """
import sys
import blogkit.output as o
orig = o.OutputWriter.commit
def commit(self, *args, **kwargs):
    print("COMMIT", flush=True)
    return orig(self, *args, **kwargs)
o.OutputWriter.commit = commit
from blogkit.cli import main
sys.argv = ["blogkit", "build", "-q", "-s", sys.argv[1], "-d", sys.argv[2]]
main()
"""


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def run_build(src: Path, dest: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BLOGKIT_CACHE": "0", "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-c", DRIVER, str(src), str(dest)], env=env, text=True,
                          capture_output=True, timeout=300)


def change_corpus(src: Path) -> None:
    """Edits, deletions, additions and a post whose file becomes a directory: every kind of move."""
    posts = sorted((src / "_posts").glob("*.md"))
    rng = random.Random(9)
    for path in rng.sample(posts[:-40], 40):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("title:", "title: edited", 1), encoding="utf-8")
    for path in posts[-30:]:
        path.unlink()
    for i in range(20):
        (src / "_posts" / f"2020-02-{i + 1:02d}-added-{i}.md").write_text(
            f"---\ntitle: added {i}\n---\nnew post {i}\n", encoding="utf-8")
    (src / "about.md").write_text("---\ntitle: about\npermalink: /about/\n---\nnow a directory\n", encoding="utf-8")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    base = tmp_path_factory.mktemp("crash")
    src = base / "site"
    subprocess.run([sys.executable, str(MAKE_CORPUS), "1000", str(src)], check=True, capture_output=True)
    (src / "_config.yml").write_text("title: corpus\ntime: 2025-01-01 00:00:00 +0000\n", encoding="utf-8")
    (src / "about.md").write_text("---\ntitle: about\npermalink: /about\n---\nabout\n", encoding="utf-8")
    ref_a, ref_b = base / "ref_a", base / "ref_b"
    assert run_build(src, ref_a).returncode == 0
    change_corpus(src)
    assert run_build(src, ref_b).returncode == 0
    assert tree(ref_a) != tree(ref_b)
    return src, ref_a, ref_b


def processes_with(marker: str) -> list[int]:
    """Pids whose environment carries BLOGKIT_CRASH_TRIAL=marker (forked workers inherit it)."""
    needle = f"BLOGKIT_CRASH_TRIAL={marker}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if needle in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                pass  # gone meanwhile, or not ours to read
    return found


def wait_for_no_process_with(marker: str, within: float = 5.0) -> bool:
    """SIGKILL of a parent reaches its children through the kernel, not instantly: allow a moment."""
    deadline = time.monotonic() + within
    while processes_with(marker):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_sigkill_at_random_points_leaves_old_or_new_site(corpus: tuple[Path, Path, Path], tmp_path: Path) -> None:
    src, ref_a, ref_b = corpus
    old, new = tree(ref_a), tree(ref_b)
    rng = random.Random(int(os.environ.get("BLOGKIT_CRASH_SEED", "1")))
    outcomes = {"old": 0, "new": 0}
    env = {**os.environ, "BLOGKIT_CACHE": "0", "PYTHONPATH": str(REPO)}
    for trial in range(POINTS):
        dest = tmp_path / f"dest{trial}"
        shutil.copytree(ref_a, dest)
        marker = f"{os.getpid()}-{trial}"
        proc = subprocess.Popen([sys.executable, "-c", DRIVER, str(src), str(dest)],
                                env={**env, "BLOGKIT_CRASH_TRIAL": marker},
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert proc.stdout is not None
        if trial % 2 == 0:
            time.sleep(rng.uniform(0.0, 7.0))  # anywhere: reading, rendering, staging, commit, after
        else:
            assert proc.stdout.readline().strip() == "COMMIT"
            time.sleep(rng.uniform(0.0, 0.15))  # inside the commit (journal, moves, deletions)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        # Its render workers die with it: an orphan kept staging files after recovery (CI, once).
        assert wait_for_no_process_with(marker), f"trial {trial}: a worker outlived the killed build"
        recover(dest)  # what the next build (or `serve`) does first
        got = tree(dest)
        assert got in (old, new), f"trial {trial}: destination is neither the old nor the new site"
        outcomes["old" if got == old else "new"] += 1
        assert not staging_dir(dest).exists()
        shutil.rmtree(dest)
    figures = os.environ.get("BLOGKIT_CRASH_FIGURES")
    if figures:
        with open(figures, "a", encoding="utf-8") as fh:
            fh.write(f"sigkill crash points: {POINTS}, old site: {outcomes['old']}, new site: {outcomes['new']}\n")


def test_every_step_of_a_commit_is_recoverable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Interrupt the commit after each single file operation in turn; recovery must finish it."""
    def populate(writer: OutputWriter, version: int) -> None:
        for i in range(12):
            if version == 1 or i % 3:
                writer.write(PurePosixPath(f"p/{i}.html"), f"v{version if i % 2 else 1} {i}".encode())
        if version == 1:
            writer.write(PurePosixPath("a"), b"file a")
            writer.write(PurePosixPath("gone/x.html"), b"x")
        else:
            writer.write(PurePosixPath("a/index.html"), b"dir a")
            writer.write(PurePosixPath("new/y.html"), b"y")

    def reference(version: int) -> dict[str, bytes]:
        dest = tmp_path / f"ref{version}"
        for v in range(1, version + 1):
            w = OutputWriter(dest)
            populate(w, v)
            w.commit()
        return tree(dest)

    old, new = reference(1), reference(2)
    real_replace, real_unlink, real_rmtree = os.replace, Path.unlink, shutil.rmtree
    step = 0
    for crash_at in range(1, 200):
        dest = tmp_path / f"d{crash_at}"
        w = OutputWriter(dest)
        populate(w, 1)
        w.commit()
        counter = {"n": 0}

        class Killed(BaseException):
            pass

        def tick() -> None:
            counter["n"] += 1
            if counter["n"] == crash_at:
                raise Killed()

        def replace(a, b):  # type: ignore[no-untyped-def]
            tick()
            return real_replace(a, b)

        def unlink(self, missing_ok=False):  # type: ignore[no-untyped-def]
            tick()
            return real_unlink(self, missing_ok=missing_ok)

        def rmtree(path, *args, **kwargs):  # type: ignore[no-untyped-def]
            tick()
            return real_rmtree(path, *args, **kwargs)

        w = OutputWriter(dest)
        populate(w, 2)
        monkeypatch.setattr(output_mod.os, "replace", replace)
        monkeypatch.setattr(Path, "unlink", unlink)
        monkeypatch.setattr(output_mod.shutil, "rmtree", rmtree)
        try:
            w.commit()
            finished = True
        except Killed:
            finished = False
        monkeypatch.undo()
        recover(dest)
        assert tree(dest) in (old, new), f"crash after {crash_at} operations"
        step = crash_at
        if finished:
            break
    assert step > 10  # the commit really was interrupted at many different operations
    figures = os.environ.get("BLOGKIT_CRASH_FIGURES")
    if figures:
        with open(figures, "a", encoding="utf-8") as fh:
            fh.write(f"commit interrupted after each of its {step - 1} file operations: all recovered\n")


def test_corrupted_or_truncated_cache_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    c = Cache(path)
    c.put_many({f"k{i}": "x" * 2000 for i in range(200)})
    c.close()
    data = path.read_bytes()
    for damaged in (data[: len(data) // 2], data[:100] + b"\xff" * 4000 + data[4100:], b"garbage" * 10):
        path.write_bytes(damaged)
        c = Cache(path)
        got = c.get_many([f"k{i}" for i in range(200)])
        # whatever survived must be the real value; a damaged database is dropped, not trusted
        assert all(v == "x" * 2000 for v in got.values())
        c.put("fresh", 1)
        assert c.get("fresh") == 1
        assert c.db is not None and c.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        c.close()
    path.write_bytes(data)
    c = Cache(path)
    assert len(c.get_many([f"k{i}" for i in range(200)])) == 200
    c.close()
    # a value whose pickle was damaged inside a healthy database is a miss, not a crash
    db = sqlite3.connect(path)
    db.execute("UPDATE kv SET value = ? WHERE key = 'k1'", (b"\x80\x05broken",))
    db.commit()
    db.close()
    c = Cache(path)
    assert "k1" not in c.get_many(["k1", "k2"]) and c.get("k2") == "x" * 2000
    c.close()
