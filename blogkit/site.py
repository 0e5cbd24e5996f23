"""The build: config in, a written site and a ``BuildReport`` out.

Reads like the pipeline it runs (Jekyll's ``Site#process``: read, generate, render, write):

    model   = read_site(config, log)              # discover + front matter + URLs (pure per file)
    outputs = render_site(config, model, log)     # Markdown, templates, generated pages (streamed)
    stage_outputs(writer, outputs, log)           # staged beside the destination, conflicts checked
    writer.commit()                               # journaled move into place

Only ``content.discover`` and ``output`` touch the disk (apart from reading each source file).
"""
from __future__ import annotations

import hashlib
import os
import time as _time
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping

from .config import ALWAYS_EXCLUDED, SiteConfig
from .content.discover import SourceFile, discover
from .content.model import Document, SiteModel, StaticFile, cached_form, with_body
from .content.read import ReadContext, post_sort_key, read_document
from .dates import parse_date, site_zone
from . import heap
from .errors import BlogkitError, BuildFailed, Location, Problem, ProblemLog
from .cache import DOC_PREFIX, Cache, package_fingerprint, seal, unseal
from .unchanged import FileStat, Snapshot, file_stat, inputs_fingerprint, output_stats, still_valid
from .output import OutputWriter, WriteStats, check_destination, recover
from .progress import Progress, null_progress
from .urls import escape_path

if TYPE_CHECKING:
    from .render.incremental import OutputRecord


@dataclass(frozen=True)
class Output:
    """One file of the built site: bytes to write, or a source file to copy."""

    dest: PurePosixPath
    data: bytes | None = None
    source: Path | None = None
    origin: str = ""            # site-relative source, for conflict messages
    kind: str = "page"
    staged: bool | None = None  # a render worker already staged it (True) or found it on disk (False)


@dataclass
class BuildCache:
    """State kept between builds in one process (the preview server keeps one for its lifetime).

    Holds what can be reused when only some sources changed: rendered Markdown keyed by a hash
    of the source and the config, and the output bytes already known to be on disk.
    """

    markdown: dict[str, Any] = field(default_factory=dict)   # markdown key -> Rendered
    docs: dict[str, Any] = field(default_factory=dict)       # read key -> Document
    manifest: Any = None                                     # the last build's render.incremental.Manifest
    unsaved: Any = None                                      # what save_state has still to write
    outputs_digest: str | None = None                        # the last build's output set (output.py)
    dep_index: Any = None                                    # render.delta.DepIndex of `manifest`'s records


@dataclass
class BuildReport:
    posts: int = 0
    pages: int = 0
    static: int = 0
    stats: WriteStats = field(default_factory=WriteStats)
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    engine: str = "jinja"
    up_to_date: bool = False   # nothing changed since the last build: nothing was read or written

    def summary(self) -> str:
        if self.up_to_date:
            return (f"up to date: no source, template or config changed since the last build "
                    f"({self.stats.unchanged} files unchanged, {self.seconds:.2f}s)")
        return (f"built {self.posts} posts, {self.pages} pages, {self.static} static files "
                f"({self.engine} templates): {self.stats.written} written, {self.stats.unchanged} unchanged, "
                f"{self.stats.removed} removed in {self.seconds:.2f}s")


def zone_of(config: SiteConfig) -> tzinfo:
    try:
        return site_zone(config.get("timezone"))
    except ValueError as exc:
        raise BlogkitError(f"invalid timezone: {exc}", config.where("timezone"),
                           "use an IANA zone name such as Asia/Tokyo", code="bad-config") from None


def site_time(config: SiteConfig, zone: tzinfo) -> datetime:
    value = config.get("time")
    if value in (None, ""):
        return datetime.now(zone).replace(microsecond=0)
    try:
        return parse_date(value, zone)
    except ValueError as exc:
        raise BlogkitError(f"invalid 'time': {exc}", config.where("time"),
                           "use a date like 2025-09-29 12:00:00 +0900, or remove the key", code="bad-config") from None


def read_context(config: SiteConfig, zone: tzinfo) -> ReadContext:
    permalink, where = config.get("permalink") or "date", config.where("permalink")
    collections = config.get("collections")
    if isinstance(collections, dict) and isinstance(collections.get("posts"), dict) \
            and collections["posts"].get("permalink"):
        permalink, where = collections["posts"]["permalink"], config.where("collections")
    rates = config.get("reading_time") if isinstance(config.get("reading_time"), dict) else {}
    sep = config.get("excerpt_separator")
    return ReadContext(
        zone=zone, permalink=str(permalink), markdown_exts=config.markdown_exts,
        excerpt_separator="" if sep is None else str(sep),
        defaults=tuple(config.get("defaults") or ()),
        cjk_per_minute=_rate(config, rates, "cjk_chars_per_minute", 500),
        words_per_minute=_rate(config, rates, "words_per_minute", 200),
        now=site_time(config, zone), permalink_where=where)


def _rate(config: SiteConfig, rates: dict[str, Any], key: str, default: float) -> float:
    """A reading speed from the config; anything but a positive number is a config error."""
    value = rates.get(key, default)
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if isinstance(value, bool) or not number > 0 or number == float("inf"):
        raise BlogkitError(f"reading_time.{key} must be a positive number, not {value!r}",
                           config.where("reading_time"), f"write e.g. {key}: {default:g}", code="bad-config")
    return number


def discover_sources(config: SiteConfig) -> list[SourceFile]:
    exclude = [*ALWAYS_EXCLUDED, *(config.get("exclude") or [])]
    include = list(config.get("include") or [])
    skip = [config.destination, config.destination.parent / f".{config.destination.name}.blogkit-staging"]
    return discover(config.content_dir, exclude, include, skip=skip,
                    show_drafts=bool(config.get("show_drafts")),
                    collections_dir=str(config.get("collections_dir") or ""))


def is_visible(doc: Document, config: SiteConfig, now: datetime) -> bool:
    """Spec §3.4: `published: false` or an empty `published:` hides; so does a future date."""
    if "published" in doc.data and doc.data["published"] in (False, None) and not config.get("unpublished"):
        return False
    if doc.date is not None and not config.get("future"):
        if doc.date.replace(microsecond=0) > now.replace(microsecond=0):
            return False
    return True


# The last answer per attribute, with what it was made of: the preview server's rebuild after a
# body edit asks again with the same posts in the same order (14 ms at 5,000 posts). Callers
# only read the answer (its values are tuples).
_TERMS: dict[str, tuple[tuple[tuple[str, tuple[str, ...]], ...], dict[str, tuple[str, ...]]]] = {}


def index_terms(posts_newest_first: list[Document], attr: str) -> dict[str, tuple[str, ...]]:
    """site.categories / site.tags: keys in first-seen order walking oldest -> newest."""
    made_of = tuple((post.url, getattr(post, attr)) for post in posts_newest_first)
    known = _TERMS.get(attr)
    if known is not None and known[0] == made_of:
        return known[1]
    keys: dict[str, list[str]] = {}
    for post in reversed(posts_newest_first):
        for term in getattr(post, attr):
            keys.setdefault(term, [])
    for post in posts_newest_first:
        for term in dict.fromkeys(getattr(post, attr)):
            keys[term].append(post.url)
    answer = {k: tuple(v) for k, v in keys.items()}
    _TERMS[attr] = (made_of, answer)
    return answer


def _read_key(ctx_fp: str, src: SourceFile, stats: Mapping[str, FileStat] | None = None) -> str | None:
    """The read cache's key of a source file: the reading context, its path, and its size,
    mtime, ctime and inode. (The ctime too: a tool can set a file's mtime back after changing
    it — `touch -d`, `cp -p` — but not its ctime, which the kernel sets on every change; and the
    cached document's body is read from the file, checked against its digest: a change the key
    missed would fail every build.) ``stats``: what the build's inputs fingerprint saw of each
    file (taken before the file is read, as a stat here would be)."""
    known = stats.get(str(src.path)) if stats else None
    if known is None:
        try:
            st = os.stat(src.path)
        except OSError:
            return None
        known = file_stat(st)
    size, mtime, ctime, inode = known
    return DOC_PREFIX + hashlib.blake2b(
        f"{ctx_fp}\0{src.kind}\0{src.rel_path}\0{size}\0{mtime}\0{ctime}\0{inode}"
        .encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _read_one(src: SourceFile, ctx: ReadContext) -> Document | Problem:
    """One document, or the problem that stops it (a value: this may run in a worker)."""
    try:
        return read_document(src, ctx)
    except BlogkitError as exc:
        return exc.to_problem()
    except Exception as exc:  # noqa: BLE001
        # A reader bug must still name the file, not end the build in a traceback;
        # the fuzz suite fails on this code, so such bugs do not stay hidden.
        return Problem(f"internal error while reading this file: {type(exc).__name__}: {exc}"[:300],
                       Location(src.rel_path), "this is a blogkit bug; please report it with the file",
                       code="internal")


def _read_sealed(src: SourceFile, ctx: ReadContext) -> tuple[bytes, bytes] | Problem:
    result = _read_one(src, ctx)
    if isinstance(result, Problem):
        return result
    return seal(cached_form(result)), result.body.encode("utf-8", "surrogatepass")


def _read_all(sources: list[SourceFile], ctx: ReadContext) -> Iterator[Document | tuple[bytes, bytes] | Problem]:
    """Read on every core when there are many (a cold build: YAML, dates, URLs and reading
    time were 2-3 s on one core for 5,000 posts); in order. A document read in a worker comes
    sealed for the cache (``cache.seal`` of its ``cached_form``), with its body: this process
    unpickles it once and stores the same bytes, instead of pickling every document again for
    the store (0.3 s at 5,000 posts)."""
    from .parallel import fork_map, runs_parallel  # (late: loads the Markdown stage, which a warm build skips)

    if runs_parallel(len(sources)):
        return fork_map(lambda src: _read_sealed(src, ctx), sources)
    return (_read_one(src, ctx) for src in sources)


def _received(result: Document | tuple[bytes, bytes] | Problem, src: SourceFile,
              ctx: ReadContext) -> tuple[Document | Problem, bytes | None]:
    """A reader's result as a document (or its problem), with the sealed bytes it came in."""
    if not isinstance(result, tuple):
        return result, None
    sealed, body = result
    doc = unseal(sealed)
    if isinstance(doc, Document):
        return with_body(doc, body), sealed
    return _read_one(src, ctx), None  # damaged on the way (short of a pipe fault, never): read it here


def read_documents(config: SiteConfig, sources: list[SourceFile], ctx: ReadContext, log: ProblemLog,
                   progress: Progress, store: Cache | None, memo: dict[str, Any] | None,
                   stats: Mapping[str, FileStat] | None = None) -> list[Document]:
    """Read every post and page; a file whose size and mtime are unchanged comes from the cache."""
    # `now` only matters to reading when the config pins `time` (the date-equals-site.time quirk).
    # (sets are sorted: their repr order changes from process to process with hash randomisation)
    stable = replace(ctx, markdown_exts=tuple(sorted(ctx.markdown_exts)))  # type: ignore[arg-type]
    ctx_fp = f"{package_fingerprint()}\0{stable if config.get('time') else replace(stable, now=None)!r}"
    keys = {src.rel_path: _read_key(ctx_fp, src, stats) for src in sources}
    found: dict[str, Any] = {}
    if memo is not None:
        found.update({k: memo[k] for k in keys.values() if k is not None and k in memo})
    missing = [k for k in keys.values() if k is not None and k not in found]
    if store is not None and missing:
        with heap.no_collection():  # 5,000 documents unpickled in a burst (blogkit/heap.py)
            found.update(store.get_many(missing))
    fresh: dict[str, Document] = {}
    sealed: dict[str, bytes] = {}
    to_store: dict[str, Any] = {}  # read here, not in a worker: pickled when stored
    docs: list[Document] = []
    task = progress.task("reading", len(sources))
    unread = [src for src in sources if not isinstance(found.get(keys[src.rel_path] or ""), Document)]
    results = _read_all(unread, ctx)
    for src in sources:
        task.advance()
        key = keys[src.rel_path]
        doc = found.get(key) if key is not None else None
        if not isinstance(doc, Document):
            result, blob = _received(next(results), src, ctx)
            if isinstance(result, Problem):
                log.add(result)
                continue
            if key is not None and store is not None:
                if blob is None:
                    to_store[key] = cached_form(result)
                else:
                    sealed[key] = blob
                    if len(sealed) >= 256:
                        store.put_sealed(sealed)  # in batches: the bytes never pile up in memory
                        sealed.clear()
            doc = result.at(src.path)  # (read in a worker: came back without its path)
            if key is not None:
                fresh[key] = doc
        else:
            doc = found[key] = doc.at(src.path)   # from the cache: the file's path as found now
        docs.append(doc)
    results.close()  # (every result is taken: this only stops the pool now rather than at exit)
    if store is not None:
        store.put_sealed(sealed)
        store.put_many(to_store)
    if memo is not None:
        wanted = set(keys.values())  # (once: built inside the filter it made this quadratic)
        memo.clear()
        memo.update({k: v for k, v in {**found, **fresh}.items() if k in wanted})
    return docs


def read_site(config: SiteConfig, log: ProblemLog, progress: Progress = null_progress,
              store: Cache | None = None, memo: dict[str, Any] | None = None,
              stats: Mapping[str, FileStat] | None = None) -> SiteModel:
    """The site's model. ``stats``: the sources' ``FileStat`` by path, as the build's inputs
    fingerprint saw them (``unchanged.inputs_fingerprint``); files missing there are stat'ed."""
    zone = zone_of(config)
    now = site_time(config, zone)
    ctx = read_context(config, zone)
    sources = discover_sources(config)
    statics = [StaticFile(src.rel_path, src.path, PurePosixPath(src.rel_path), "/" + escape_path(src.rel_path))
               for src in sources if src.kind == "static"]
    documents = read_documents(config, [s for s in sources if s.kind != "static"], ctx, log, progress,
                               store, memo, stats)
    posts = [d for d in documents if d.kind != "page"]
    pages = [d for d in documents if d.kind == "page"]
    statics.extend(_static_dir_files(config))
    visible = [p for p in posts if is_visible(p, config, now)]
    visible.sort(key=post_sort_key, reverse=True)
    limit = config.get("limit_posts") or 0
    if isinstance(limit, int) and limit > 0:
        visible = visible[:limit]
    future = [p.date.timestamp() for p in posts if p.date is not None and p.date > now]
    return SiteModel(posts=tuple(visible), pages=tuple(pages), static_files=tuple(statics),
                     categories=index_terms(visible, "categories"), tags=index_terms(visible, "tags"),
                     time=now, next_due=min(future) if future and not config.get("future") else None)


def _static_dir_files(config: SiteConfig) -> list[StaticFile]:
    """A blogkit site's static/ folder is copied to the destination root as is."""
    root = config.static_dir
    if root is None or not root.is_dir():
        return []
    out = []
    resolved = root.resolve()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or any(part.startswith(".") for part in rel.split("/")):
            continue
        if path.is_symlink() and resolved not in path.resolve().parents:
            continue  # never publish a file from outside the site through a symlink
        out.append(StaticFile(rel, path, PurePosixPath(rel), "/" + escape_path(rel)))
    return out


SNAPSHOT_PREFIX = "snapshot:"


def manifest_key_of(config: SiteConfig) -> str:
    return "manifest:" + str(config.destination)


def cache_path(config: SiteConfig) -> Path | None:
    """`.blogkit-cache/` in the site directory (like Jekyll's .jekyll-cache); BLOGKIT_CACHE=0 disables."""
    if os.environ.get("BLOGKIT_CACHE", "1") in ("0", "off", "false"):
        return None
    return config.source / ".blogkit-cache" / "cache.sqlite"


def build(config: SiteConfig, progress: Progress = null_progress,
          log: ProblemLog | None = None, cache: BuildCache | None = None,
          changed: frozenset[Path] | None = None) -> BuildReport:
    """Build the whole site. Raises BuildFailed (with every problem) and writes nothing on error.

    ``cache`` (kept by the preview server between builds) holds parsed documents, rendered
    Markdown and the last build's output records in memory; without it they come from the
    on-disk cache. ``changed`` is a hint from the file watcher; correctness never depends on it
    (every input is fingerprinted), so it is accepted and not needed.
    """
    from .liquid import template_engine
    from .render.incremental import Manifest
    from .render.site import render_site  # late import: rendering pulls in Markdown and Jinja

    started = _time.perf_counter()
    log = log if log is not None else ProblemLog()
    check_destination(config.source, config.content_dir, config.destination)
    # A build killed mid-commit left a journal: finish that commit before anything (the
    # incremental check included) looks at the destination.
    recover(config.destination)
    store = Cache(cache_path(config))
    snapshot_key = SNAPSHOT_PREFIX + str(config.destination)
    try:
        seen: dict[str, FileStat] = {}
        inputs = inputs_fingerprint(config, seen)
        snap = store.get(snapshot_key)
        if still_valid(snap, config, inputs, site_time(config, zone_of(config))):
            # Nothing changed since the last build and its output is intact (blogkit/unchanged.py).
            return BuildReport(stats=WriteStats(unchanged=len(snap.outputs)),
                               seconds=_time.perf_counter() - started, engine=template_engine(config),
                               up_to_date=True)
        store.put(snapshot_key, None)  # invalid until this build succeeds
        # The documents live as long as the build: exempt them from the cyclic collector, whose
        # full passes walked all of them (0.1-0.3 s of an edit build on 5,000 posts, at random
        # places) and, in forked workers, wrote to every inherited page. Released in `finally`,
        # so the preview server's old builds stay collectable (blogkit/heap.py).
        heap.keep()
        model = read_site(config, log, progress, store, cache.docs if cache is not None else None, seen)
        heap.keep()  # (what reading made outside its burst, too)
        manifest_key = manifest_key_of(config)
        if cache is not None and cache.manifest is not None:
            previous = cache.manifest
        else:
            with heap.no_collection():  # 5,000 output records unpickled in a burst
                loaded = store.get(manifest_key)
            previous = loaded if isinstance(loaded, Manifest) else Manifest({})
        contexts: list[Any] = []
        writer = OutputWriter(config.destination, tuple(str(k) for k in (config.get("keep_files") or [])))
        outputs = render_site(config, model, log, progress, store=store,
                              memo=cache.markdown if cache is not None else None,
                              previous=previous.records, previous_basis=previous.basis,
                              previous_global=previous.global_fp, contexts=contexts, stager=writer.stager,
                              dep_index=_dep_index(cache))
        try:
            tagged = stage_outputs(writer, outputs, log, progress)
            if log.errors:
                raise BuildFailed(log.problems)
            digest_key = "outputs:" + str(config.destination)
            last = cache.outputs_digest if cache is not None and cache.outputs_digest else store.get(digest_key)
            stats = writer.commit(unchanged_since=last if isinstance(last, str) else None)
            now_digest = writer.outputs_digest()
            store.put(digest_key, now_digest)
            if cache is not None:
                cache.outputs_digest = now_digest
        except BaseException:
            outputs.close()  # stops render workers first: none may stage a file after the abort
            writer.abort()
            raise
        inc = contexts[0].incremental if contexts and contexts[0].incremental is not None else None
        if inc is not None:
            for rid, rel in tagged:
                inc.record_written(rid, rel)
            manifest = inc.finished()
            if cache is not None:
                cache.manifest = manifest
                _dep_index(cache).prime(manifest.records)
            else:
                store.put(manifest_key, manifest)
        if cache is not None:
            # The preview server saves the manifest and the "nothing changed" snapshot once it has
            # been quiet for a moment (save_state: ~0.25 s at 5,000 posts). Until then the disk holds an
            # older manifest, which a later build checks record by record, and no snapshot (it
            # was cleared above), so a later build is a real one: both safe. (Its memory hits do
            # not touch the disk cache, so nothing is pruned here.)
            cache.unsaved = (inputs, frozenset(writer.outputs), model.next_due)
        else:
            _save_snapshot(store, config, inputs, writer.outputs, model.next_due,
                           manifest.records if inc is not None else None)
            store.prune(("manifest:", SNAPSHOT_PREFIX, "outputs:"))  # other destinations' records stay
    finally:
        heap.release()
        store.close()
    return BuildReport(posts=len(model.posts), pages=len(model.pages), static=len(model.static_files),
                       stats=stats, seconds=_time.perf_counter() - started, problems=list(log.problems),
                       engine=template_engine(config))


def _dep_index(cache: BuildCache | None) -> Any:
    """The preview server's index of its records' dependencies (none for a one-off build:
    making it costs what it saves once)."""
    if cache is None:
        return None
    if cache.dep_index is None:
        from .render.delta import DepIndex
        cache.dep_index = DepIndex()
    return cache.dep_index


def _save_snapshot(store: Cache, config: SiteConfig, inputs: str, outputs: Iterable[PurePosixPath],
                   due: float | None, records: Mapping[str, OutputRecord] | None) -> None:
    if inputs == inputs_fingerprint(config):  # no source changed while the build ran
        seen = {str(r.dest): (r.size, r.mtime_ns) for r in records.values()} if records else None
        store.put(SNAPSHOT_PREFIX + str(config.destination),
                  Snapshot(inputs, output_stats(config.destination, outputs, seen), due))


def save_state(config: SiteConfig, cache: BuildCache, snapshot: bool = True) -> None:
    """Put what the last build left in memory on disk: its manifest and snapshot (the preview
    server calls this once it has been quiet for a moment, so it is not in the editor's wait).
    ``snapshot=False``: the site is not final (a search index is still being made), so the next
    build must not be skipped as "nothing changed"."""
    if cache.unsaved is None:
        return
    inputs, outputs, due = cache.unsaved
    store = Cache(cache_path(config))
    try:
        if cache.manifest is not None:
            store.put(manifest_key_of(config), cache.manifest)
        if snapshot:
            _save_snapshot(store, config, inputs, outputs, due,
                           cache.manifest.records if cache.manifest is not None else None)
        cache.unsaved = None
    finally:
        store.close()


@lru_cache(maxsize=1 << 15)  # (pure; every build folds the same 9,000 names at 5,000 posts)
def fold_name(path: str) -> str:
    """The name case-insensitive, normalization-insensitive file systems (APFS, NTFS) see."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", path).casefold())


def stage_outputs(writer: OutputWriter, outputs: Iterable[Output], log: ProblemLog,
                  progress: Progress) -> list[tuple[str, str]]:
    """Stage each output as it is rendered (memory stays flat), checking for two sources writing
    one file (Jekyll only warns and lets the last win; that is an error here). A page that a
    generator writes itself (the paginated home) is not rendered on its own
    (``generate.replaces``), so no file is written twice."""
    from .render.incremental import KeepBytes, TaggedBytes

    origins: dict[PurePosixPath, str] = {}
    folded: dict[str, PurePosixPath] = {}
    tagged: list[tuple[str, str]] = []
    task = progress.task("writing", 0)
    for out in outputs:
        task.advance()
        first = origins.get(out.dest)
        if first is not None:
            log.error(f"'{out.origin}' and '{first}' both write {out.dest}", Location(out.origin),
                      "give one of them another permalink or slug", code="conflict")
        origins[out.dest] = out.origin
        # Jekyll (on Linux) writes 'A.html' and 'a.html', or an NFC and an NFD 'が', as two files;
        # so do we, but macOS and Windows file systems see one file, and a copy of the site made
        # there (or served from there) silently loses one of them: report it.
        key = fold_name(str(out.dest))
        other = folded.setdefault(key, out.dest)
        if other is not out.dest and other != out.dest:  # (pathlib's == is Python code: 9,000 calls)
            log.warn(f"'{out.origin}' writes {out.dest} and '{origins[other]}' writes {other}: the names differ "
                     "only in letter case or Unicode normalization, one file on macOS and Windows",
                     Location(out.origin), "rename one of them", code="name-collision")
        try:
            if out.staged is not None:  # a render worker already wrote it into the staging dir
                writer.adopt(out.dest, out.staged)
                if isinstance(out.data, TaggedBytes):
                    tagged.append((out.data.rid, str(out.dest)))
            elif isinstance(out.data, KeepBytes):
                writer.keep(out.dest)
            elif out.data is not None:
                writer.write(out.dest, out.data)
                if isinstance(out.data, TaggedBytes):
                    tagged.append((out.data.rid, str(out.dest)))
            elif out.source is not None:
                writer.copy(out.dest, out.source)
        except BlogkitError as exc:  # an output that cannot coexist with another: name its source
            log.error(f"{exc.message} (written by '{out.origin}')", Location(out.origin), exc.hint, code=exc.code)
        except OSError as exc:  # a name the file system refuses (too long, invalid): name the source
            log.error(f"cannot write {str(out.dest)[:120]}: {exc.strerror or exc}", Location(out.origin),
                      "shorten the slug, title, tag or permalink that names this output", code="io")
    return tagged
