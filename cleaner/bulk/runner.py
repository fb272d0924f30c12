"""The driver of ``cleaner bulk``: discovery -> manifest -> engine -> outputs -> report.

Contract: :func:`run` takes :class:`BulkOptions`, cleans every page under the sources into
OUT and returns a :class:`Summary` whose ``exit_code`` is 0 when nothing failed or timed out
and 1 otherwise; 130 when interrupted (Ctrl-C, SIGTERM); 3 (:data:`EXIT_STOPPED`) when OUT
stopped taking writes (full disk, quota, read-only): the run then stops at once, with a
message, since every later page would fail too; nothing half-written is left, the manifest
names only outputs that were written, and the next run resumes. It raises
:class:`~cleaner.bulk.discovery.UsageError` (exit 2) before touching anything
when the options cannot work. Inputs are only ever read.

OUT holds the outputs and a state directory ``OUT/.cleaner/`` with the manifest, a lock and
temporary files (cleared at the start of each run). Runs with ``--shard i/N`` keep their own
manifest, lock and JSONL part names, so N of them can share OUT.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

from .._version import __version__
from ..inputs import DEFAULT_MAX_BYTES, DEFAULT_MAX_ELEMENTS
from ..language import accepts
from .discovery import UsageError, discover, plan_sources
from .engine import Engine, LocalEngine
from .manifest import Manifest
from .outputs import PART_SECONDS, PartWriter, part_pattern, prune_parts
from .report import Reporter
from .tasks import DONE_STATUSES, Finding, Task, in_shard, output_name, printable
from .work import PageWorker

__all__ = ["FORMATS", "BulkOptions", "Summary", "parse_langs", "parse_shard", "run"]

FORMATS = ("txt", "md", "json", "jsonl")
#: The exit code of a run stopped because OUT cannot be written (a full disk): every later
#: page would fail the same way. Finished pages are kept; the next run resumes.
EXIT_STOPPED = 3
ENGINES = ("local", "ray")
STATE_DIR = ".cleaner"


@dataclass
class BulkOptions:
    """Everything ``cleaner bulk`` can be asked; defaults match the command line's."""

    sources: list[str]
    out: str
    fmt: str = "txt"
    jobs: int | None = None
    timeout: float = 30.0
    rules: list[str] = field(default_factory=list)
    url: str | None = None
    html_field: str = "html"
    url_field: str = "url"
    overwrite: bool = False
    dry_run: bool = False
    quiet: bool = False
    report: str | None = None
    shard: tuple[int, int] | None = None
    part_size: int = 1000
    #: a JSONL part open this long is closed (what a SIGKILL can lose); None or 0: by size only
    part_seconds: float | None = PART_SECONDS
    compress: bool = True
    progress: bool | None = None
    reset_every: int = 500
    engine: str = "local"
    ray_address: str | None = None
    batch_size: int = 32
    #: the limits of :class:`cleaner.Cleaner` (None: no limit); a page over one is `failed`
    max_bytes: int | None = DEFAULT_MAX_BYTES
    max_elements: int | None = DEFAULT_MAX_ELEMENTS
    #: the dataset name in JSONL records (None: each SRC's name)
    source: str | None = None
    #: JSONL records carry the list of removals (each with its rule and text)
    with_removed: bool = False
    #: the languages wanted (``--lang en,de``; ``und`` for pages without one); others are
    #: ``filtered``. Empty: every page. Not part of the settings: a run with another
    #: ``--lang`` keeps what was written and cleans the pages it now takes.
    langs: list[str] = field(default_factory=list)
    #: read the comment section into JSONL metadata, md and json (``--comments``)
    comments: bool = False
    #: YAML front matter before txt and md outputs (``--with-metadata``)
    with_metadata: bool = False
    #: write only pages of these kinds (``--only``); the others are ``excluded``, recorded with
    #: their kind and not done: a run with another ``--only`` into the same OUT cleans them
    #: (not part of the settings)
    only: tuple[str, ...] | None = None


@dataclass
class Summary:
    counts: dict[str, int]
    seconds: float
    exit_code: int
    slowest: list[tuple[float, str]]


def parse_shard(text: str) -> tuple[int, int]:
    """``"i/N"`` (1 <= i <= N) as a pair; :class:`UsageError` otherwise.

    >>> parse_shard("2/4")
    (2, 4)
    """
    left, sep, right = text.partition("/")
    try:
        index, count = int(left), int(right)
    except ValueError:
        raise UsageError(f"--shard {text!r}: expected i/N, e.g. 1/4") from None
    if not sep or count < 1 or not 1 <= index <= count:
        raise UsageError(f"--shard {text!r}: i must be between 1 and N")
    return index, count


#: The shape of JSONL records (see :meth:`cleaner.bulk.work.PageWorker.record`): a new shape
#: makes every page's record be written again.
RECORD_SHAPE = "dolma-3"  # 2: ids unique within a run, comments; 3: metadata.page_type


def _settings_digest(opts: BulkOptions) -> str:
    h = hashlib.sha1()
    for part in (__version__, opts.fmt, opts.url or "", opts.html_field, opts.url_field):
        h.update(part.encode() + b"\0")
    h.update(b"gz" if opts.compress else b"plain")
    if opts.comments:
        h.update(b"comments\0")
    if opts.with_metadata and opts.fmt in ("txt", "md"):
        h.update(b"front-matter\0")
    if opts.fmt == "jsonl":  # what only JSONL records hold
        for part in (RECORD_SHAPE, opts.source or "", "removed" if opts.with_removed else ""):
            h.update(part.encode("utf-8", "surrogateescape") + b"\0")
    for rule_file in opts.rules:
        h.update(Path(rule_file).read_bytes() + b"\0")
    return h.hexdigest()[:16]


def _validate(opts: BulkOptions) -> None:
    if opts.fmt not in FORMATS:
        raise UsageError(f"unknown format {opts.fmt!r}; choose one of {', '.join(FORMATS)}")
    if opts.jobs is not None and opts.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if not opts.timeout > 0:
        raise UsageError("--timeout must be more than 0 seconds")
    if opts.part_size < 1:
        raise UsageError("--part-size must be at least 1")
    if opts.part_seconds is not None and opts.part_seconds < 0:
        raise UsageError("--part-seconds must be 0 (by size only) or more")
    if opts.engine not in ENGINES:
        raise UsageError(f"unknown engine {opts.engine!r}; choose one of {', '.join(ENGINES)}")
    if opts.engine != "ray" and opts.ray_address:
        raise UsageError("--ray-address needs --engine ray")
    if opts.batch_size < 1:
        raise UsageError("--batch-size must be at least 1")
    if opts.only is not None:
        from ..kinds import KINDS

        unknown = [k for k in opts.only if k not in KINDS]
        if unknown or not opts.only:
            raise UsageError(f"--only {','.join(opts.only)}: page kinds are {', '.join(KINDS)}")
    for code in opts.langs:
        if not _LANG_CODE.match(code):
            raise UsageError(f"--lang {code!r}: expected language codes, e.g. en,de (und: none)")
    if opts.engine == "ray":
        from .ray_engine import require_ray

        require_ray()
    from ..errors import RuleSyntaxError
    from ..ruleset import rules_from

    for rule_file in opts.rules:
        if not Path(rule_file).is_file():
            raise UsageError(f"{rule_file}: no such rule file")
    try:
        rules_from(opts.rules or None)
    except RuleSyntaxError as exc:
        raise UsageError(f"rule error: {exc}") from exc


def _lock(state: Path, tag: str) -> Any:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        return None
    fh = open(state / f"lock-{tag}", "a+")  # noqa: SIM115 - held for the run
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.close()
        raise UsageError(f"another cleaner bulk run is using {state.parent} ({tag})") from None
    return fh


def run(
    opts: BulkOptions,
    *,
    engine: Engine | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> Summary:
    """Clean every page under ``opts.sources`` into ``opts.out`` (see the module docstring)."""
    _validate(opts)
    sources = plan_sources(opts.sources, opts.out)
    out = Path(opts.out)
    tag = f"{opts.shard[0]}of{opts.shard[1]}" if opts.shard else "all"
    prefix = f"shard-{tag}-" if opts.shard else ""
    cfg = _settings_digest(opts)
    state = out / STATE_DIR
    manifest_path = state / f"manifest-{tag}.jsonl"
    if opts.dry_run:
        manifest = Manifest(manifest_path, cfg=cfg, out_dir=out, read_only=True)
        if opts.overwrite:
            manifest.entries.clear()
        return _dry_run(opts, sources, manifest, stdout or sys.stdout, stderr or sys.stderr)

    state.mkdir(parents=True, exist_ok=True)
    lock = _lock(state, tag)
    tmp_dir = state / f"tmp-{tag}"
    shutil.rmtree(tmp_dir, ignore_errors=True)  # leftovers of a killed run
    if opts.overwrite:
        old = Manifest(manifest_path, cfg=cfg, out_dir=out, read_only=True)
        pattern = part_pattern(prefix)
        for part in old.parts() | {p.name for p in out.glob(f"{prefix}part-*")}:
            if pattern.match(part):
                (out / part).unlink(missing_ok=True)  # our own JSONL parts only
        manifest_path.unlink(missing_ok=True)
    manifest = Manifest(manifest_path, cfg=cfg, out_dir=out)
    if manifest.superseded:
        prune_parts(out, tmp_dir, manifest, manifest.superseded)
        manifest.superseded.clear()
        manifest.lines += 10**9  # force the compaction below: the history is no longer needed
    manifest.compact()

    reporter = Reporter(
        report=Path(opts.report) if opts.report else None,
        quiet=opts.quiet,
        progress=opts.progress,
        stream=stderr,
        out_dir=out,
    )
    worker = PageWorker(
        out_dir=str(out),
        tmp_dir=str(tmp_dir),
        fmt=opts.fmt,
        rules=tuple(str(Path(r).resolve()) for r in opts.rules),
        reset_every=opts.reset_every,
        max_bytes=opts.max_bytes,
        max_elements=opts.max_elements,
        added=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        with_removed=opts.with_removed,
        langs=tuple(opts.langs),
        comments=opts.comments,
        with_metadata=opts.with_metadata,
        only=frozenset(opts.only) if opts.only is not None else None,
    )
    engine = engine or _make_engine(opts)
    parts = None
    if opts.fmt == "jsonl":
        parts = PartWriter(
            out,
            tmp_dir,
            manifest,
            prefix=prefix,
            compress=opts.compress,
            part_size=opts.part_size,
            part_seconds=opts.part_seconds,
        )
    if reporter.has_progress:
        _count_in_background(opts, sources, reporter)
    interrupted = False
    stopped: str | None = None
    results: Iterator[Any] | None = None
    previous = _stop_on_sigterm()
    try:
        todo = _pending(opts, sources, manifest, reporter)
        results = engine.run(todo, worker)
        for task, outcome in results:
            entry = {"key": task.key, "fp": task.fingerprint, "status": outcome.status}
            if outcome.record is not None:  # which record of its part is this page's
                entry["id"] = outcome.record["id"]
            if outcome.stop:
                reporter.add(task.input, "failed", None, outcome.error, outcome.seconds)
                raise _Stop(outcome.error or "cannot write to OUT")
            try:
                if outcome.status == "ok" and outcome.record is not None and parts is not None:
                    parts.add(outcome.record, entry)
                elif outcome.status in DONE_STATUSES:
                    if outcome.status == "ignored":  # why it is no page (see Manifest.done)
                        entry["error"] = outcome.error or "not a page"
                    manifest.add([{**entry, "output": outcome.output}])
                elif outcome.status == "filtered":  # not written: redone when --lang takes it
                    manifest.add([{**entry, "output": None, "language": outcome.language}])
                elif outcome.status == "excluded":  # not written: redone when --only takes it
                    manifest.add([{**entry, "output": None, "page_type": outcome.page_type}])
                if parts is not None:
                    parts.tick()  # a part open long enough is closed, whatever came in
            except OSError as exc:
                error = f"cannot write to OUT ({exc.strerror or exc})"
                reporter.add(task.input, "failed", None, error, outcome.seconds)
                raise _Stop(error) from exc
            reporter.add(
                task.input, outcome.status, outcome.output, outcome.error, outcome.seconds,
                page_type=outcome.page_type,
            )
        if parts is not None:
            try:
                parts.commit()
                if manifest.superseded:
                    prune_parts(out, tmp_dir, manifest, manifest.superseded)
                    manifest.superseded.clear()
            except OSError as exc:
                raise _Stop(f"cannot write to OUT ({exc.strerror or exc})") from exc
    except KeyboardInterrupt:
        interrupted = True
        if parts is not None:
            parts.commit()  # finished pages are kept; the rest is redone next time
    except _Stop as exc:
        stopped = str(exc)
        if parts is not None:
            lost = parts.abandon()  # OUT cannot take it: the open part is redone next time
            if lost:
                stopped += f"; the {lost} pages of the open JSONL part will be redone"
    except BaseException:
        if parts is not None:
            parts.abandon()
        raise
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()  # stop the workers now, not when the generator is collected
        try:
            manifest.close()
        except OSError as exc:
            if stopped is None and not interrupted:
                stopped = f"cannot write to OUT ({exc.strerror or exc})"
        reporter.close(interrupted=interrupted, stopped=stopped)
        shutil.rmtree(tmp_dir, ignore_errors=True)
        if lock is not None:
            lock.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    bad = reporter.counts["failed"] + reporter.counts["timeout"]
    if interrupted:
        code = 130
    elif stopped is not None:
        code = EXIT_STOPPED
    else:
        code = 1 if bad or reporter.report_error else 0
    return Summary(dict(reporter.counts), reporter.seconds, code, sorted(reporter.slowest)[::-1])


_LANG_CODE = re.compile(r"^[a-z]{2,3}$")


def parse_langs(text: str) -> list[str]:
    """``--lang``'s comma-separated codes, lower-cased.

    >>> parse_langs("en, DE")
    ['en', 'de']
    """
    return [part.strip().lower() for part in text.split(",") if part.strip()]


class _Stop(Exception):
    """OUT cannot take more writes (full, over quota, read-only): the run stops."""


def _make_engine(opts: BulkOptions) -> Engine:
    if opts.engine == "ray":
        from .ray_engine import RayEngine

        return RayEngine(
            opts.jobs, opts.timeout, address=opts.ray_address, batch_size=opts.batch_size
        )
    return LocalEngine(opts.jobs, opts.timeout)


def _stop_on_sigterm() -> Any:
    """Treat SIGTERM (a Slurm time limit, a shutdown) like Ctrl-C: finished pages are kept,
    the open JSONL part is committed. Only possible from the main thread."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, stop)


def _items(opts: BulkOptions, sources: Any) -> Iterator[Task | Finding]:
    for item in discover(
        sources,
        opts.out,
        html_field=opts.html_field,
        url_field=opts.url_field,
        url_base=opts.url,
        source=opts.source,
    ):
        if isinstance(item, Task) and opts.shard and not in_shard(item.key, *opts.shard):
            continue
        yield item


def _count_in_background(opts: BulkOptions, sources: Any, reporter: Reporter) -> None:
    """Give the progress bar its total (and so an ETA): a second, payload-free pass over
    the inputs in a thread, only when the bar is shown."""

    def count() -> None:
        n = 0
        for item in _items(opts, sources):
            if isinstance(item, Finding) and opts.shard and not in_shard(item.input, *opts.shard):
                continue
            n += 1
        reporter.set_total(n)

    threading.Thread(target=count, name="cleaner-bulk-count", daemon=True).start()


def _pending(
    opts: BulkOptions, sources: Any, manifest: Manifest, reporter: Reporter
) -> Iterator[Task]:
    """The tasks still to do; findings and finished tasks go straight to the report."""
    for item in _items(opts, sources):
        if isinstance(item, Finding):
            if not opts.shard or in_shard(item.input, *opts.shard):
                reporter.add(item.input, item.status, None, item.error)
            continue
        done = manifest.done(item.key, item.fingerprint)
        if done is not None and done.get("status") == "excluded":
            kind = done.get("page_type")
            if opts.only is None or (kind or "article") in opts.only:
                yield item  # excluded by an earlier --only: this one takes it
            else:
                error = f"page kind {kind}, not in --only"
                reporter.add(item.input, "excluded", None, error, page_type=kind)
            continue
        if done is not None and done.get("status") == "filtered":
            if accepts(opts.langs, done.get("language")):
                yield item  # filtered by an earlier --lang: this one takes it
            else:
                reporter.add(item.input, "filtered", None, _filtered(opts, done))
            continue
        if done is not None:
            reporter.add(item.input, "skipped", done.get("output"))
            continue
        yield item


def _filtered(opts: BulkOptions, entry: dict[str, Any]) -> str:
    return f"language {entry.get('language') or 'und'}, not in --lang {','.join(opts.langs)}"


def _dry_run(
    opts: BulkOptions, sources: Any, manifest: Manifest, stdout: TextIO, stderr: TextIO
) -> Summary:
    counts = {"clean": 0, "skip": 0, "ignore": 0, "fail": 0}
    for item in _items(opts, sources):
        if isinstance(item, Finding):
            if opts.shard and not in_shard(item.input, *opts.shard):
                continue
            verb = "ignore" if item.status == "ignored" else "fail"
            print(f"{verb}\t{printable(item.input)}\t{item.error}", file=stdout)
            counts[verb] += 1
            continue
        target = (
            f"{'shard-' if opts.shard else ''}part-*.jsonl"
            if opts.fmt == "jsonl"
            else output_name(item.rel, opts.fmt)
        )
        done = manifest.done(item.key, item.fingerprint)
        if done is not None and done.get("status") == "filtered":
            if not accepts(opts.langs, done.get("language")):
                print(f"skip\t{printable(item.input)}\t({_filtered(opts, done)})", file=stdout)
                counts["skip"] += 1
                continue
            done = None
        if done is not None:
            print(f"skip\t{printable(item.input)}\t(done)", file=stdout)
            counts["skip"] += 1
        else:
            where = printable(os.path.join(opts.out, target))
            print(f"clean\t{printable(item.input)}\t{where}", file=stdout)
            counts["clean"] += 1
    if not opts.quiet:
        print(
            "cleaner bulk --dry-run: would clean {clean}, skip {skip}, ignore {ignore}; "
            "{fail} unreadable".format(**counts),
            file=stderr,
        )
    return Summary({}, 0.0, 0, [])
