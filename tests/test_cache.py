"""The on-disk cache: values come back as stored, damage is a miss (never trusted), and a file
that is not a database is replaced."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from blogkit.cache import Cache


def test_round_trip_and_damaged_values_are_misses(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    cache = Cache(path)
    cache.put_many({"a": {"x": [1, 2]}, "b": "日本語"})
    assert cache.get_many(["a", "b", "z"]) == {"a": {"x": [1, 2]}, "b": "日本語"}
    cache.close()
    db = sqlite3.connect(path)
    blob = bytearray(db.execute("SELECT value FROM kv WHERE key='a'").fetchone()[0])
    blob[-3] ^= 0xFF   # flip a byte inside the pickled value: it may still unpickle, to something else
    db.execute("UPDATE kv SET value=? WHERE key='a'", (bytes(blob),))
    db.commit()
    db.close()
    again = Cache(path)
    assert again.get_many(["a", "b"]) == {"b": "日本語"}   # the damaged value is a miss
    assert again.keys_present(["a", "b"]) == {"a", "b"}


def test_values_sealed_by_another_format_are_dropped_on_open(tmp_path: Path) -> None:
    """An older blogkit's cache (another checksum) would have every key 'present' and every
    value unreadable: such a file starts empty instead."""
    path = tmp_path / "c.sqlite"
    Cache(path).put_many({"a": 1})
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    again = Cache(path)
    assert again.keys_present(["a"]) == set()
    again.put_many({"b": 2})
    assert Cache(path).get_many(["b"]) == {"b": 2}   # the current format is kept


def test_garbage_file_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    cache = Cache(path)
    assert cache.get("a") is None
    cache.put("a", 1)
    assert cache.get("a") == 1


def test_prune_drops_only_untouched_entries_not_spared(tmp_path: Path) -> None:
    first = Cache(tmp_path / "c.sqlite")
    first.put_many({f"doc:{i}": i for i in range(30)} | {f"md:{i}": i for i in range(30)} | {"manifest:/x": 1,
                    "0123legacy": 2})
    first.close()
    cache = Cache(tmp_path / "c.sqlite")
    assert cache.get_many([f"doc:{i}" for i in range(5)]) == {f"doc:{i}": i for i in range(5)}
    cache.keys_present(["md:7"])
    cache.put("md:new", "fresh")
    assert cache.prune(("manifest:",), slack=100) == 0        # below the threshold: untouched
    size = (tmp_path / "c.sqlite").stat().st_size
    cache.put_many({f"big:{i}": "x" * 20000 for i in range(20)})
    assert (tmp_path / "c.sqlite").stat().st_size > size + 300_000
    cache.touched -= {f"big:{i}" for i in range(20)}  # as if written by an earlier build
    assert cache.prune(("manifest:",), slack=0) == 25 + 29 + 1 + 20  # now every stale one goes
    assert (tmp_path / "c.sqlite").stat().st_size < size + 100_000   # and the file gives the room back
    cache.close()
    left = Cache(tmp_path / "c.sqlite")
    assert left.keys_present([f"doc:{i}" for i in range(30)] + ["md:7", "md:new", "md:8", "manifest:/x"]) == \
        {*(f"doc:{i}" for i in range(5)), "md:7", "md:new", "manifest:/x"}


def test_repeated_edits_do_not_grow_the_cache_without_bound(tmp_path: Path) -> None:
    """Each edit leaves an old parsed post and its old rendered Markdown behind; builds prune
    them once they outnumber the live entries (plus slack), and keep what the next build uses."""
    from blogkit import cache as cache_mod
    from blogkit.config import load_config
    from blogkit.site import build, cache_path
    from sitekit import write_files

    site = write_files(tmp_path / "site", {"site.yml": "title: T\ntimezone: UTC\n",
                                          **{f"content/_posts/2024-01-{d:02d}-p{d}.md": f"---\ntitle: P{d}\n---\nbody {d}\n"
                                             for d in range(1, 6)}})
    config, _ = load_config(site)
    real_prune = Cache.prune

    def small_slack(self: Cache, keep: tuple[str, ...], slack: int = 0) -> int:
        return real_prune(self, keep, slack=4)

    import pytest
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Cache, "prune", small_slack)
        counts = []
        for n in range(12):
            post = site / "content/_posts/2024-01-01-p1.md"
            post.write_text(f"---\ntitle: P1\n---\nbody edited {n}\n", encoding="utf-8")
            build(config)
            db = sqlite3.connect(cache_path(config))
            counts.append(db.execute("SELECT count(*) FROM kv WHERE key LIKE 'doc:%' OR key LIKE 'md:%'").fetchone()[0])
            db.close()
    live = 5 + 5  # five posts: a parsed document and a rendered body each (no excerpts that differ)
    assert max(counts) <= 2 * live + 4 + 2, counts
    assert counts[-1] >= live
    # what survived is what the next build needs: an unchanged rebuild renders no Markdown
    rendered: list[str] = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cache_mod.Cache, "prune", small_slack)
        import blogkit.render.site as render_site
        real = render_site.render_all
        mp.setattr(render_site, "render_all", lambda texts, *a: (rendered.extend(texts), real(texts, *a))[1])
        (site / "content/_posts/2024-01-02-p2.md").touch()  # not up to date: a real (incremental) build
        build(config)
    assert rendered == []


def test_compiled_templates_are_kept_per_config(tmp_path: Path) -> None:
    # Jinja folds `'/' | relative_url` at compile time: a compiled theme kept from a build
    # without baseurl must not serve a build with one (and back).
    from blogkit.config import load_config
    from blogkit.site import build
    from sitekit import write_files

    site = write_files(tmp_path / "site", {"site.yml": "title: T\n", "content/index.md": "---\nlayout: home\n---\n",
                                          "content/_posts/2025-01-02-a.md": "---\ntitle: A\n---\nx\n"})

    def home_link(baseurl: str) -> bool:
        dest = tmp_path / f"out{baseurl.replace('/', '-')}"
        config, _ = load_config(site, overrides={"baseurl": baseurl} if baseurl else None, destination=dest)
        build(config)
        return f'class="site-title" href="{baseurl}/"' in (dest / "index.html").read_text(encoding="utf-8")

    assert home_link("") and home_link("/blog") and home_link("")
    compiled = site / ".blogkit-cache" / "jinja"
    assert len(list(compiled.iterdir())) == 2 and any(compiled.rglob("*.cache"))  # (kept, per config)
    from blogkit.render import env
    for n in range(env.KEEP_COMPILED + 3):
        home_link(f"/b{n}")
    assert len(list(compiled.iterdir())) == env.KEEP_COMPILED   # bounded
