"""The per-page work, run inside a worker process: read, clean, render, write.

Contract: :class:`PageWorker` is a small picklable object built in the driver and sent to
every worker (a local process, or a remote one for other engines). Calling it with a
:class:`~cleaner.bulk.tasks.Task` returns an :class:`~cleaner.bulk.tasks.Outcome` and never
raises for a page's fault: binary data is ``ignored``, a page without article text is
``empty`` (no output; a stale output of an earlier version is removed), any error is
``failed`` with a one-line message (a page over a size limit too: it is not done, and a rerun
with a higher limit cleans it; and a page read as text whose article is still mostly tags);
with ``langs`` (``--lang``), a page whose identified language is not one of them is
``filtered`` (no output, its language in the message and in ``Outcome.language``); with
``only`` (``--only``), a page of another kind is ``excluded`` (no output; an earlier output is
kept; its kind in the message). Every cleaned page's outcome carries its kind. For
``txt``, ``md`` and ``json`` it writes the output itself, atomically (a temporary file in
OUT's state directory, fsync, rename), so a killed worker leaves no half-written output; a
write refused because OUT is full, over quota or read-only gives ``failed`` with
``Outcome.stop`` set, and the driver stops the run; for ``jsonl`` it returns the record and
the driver writes it. The :class:`~cleaner.Cleaner` (rules compiled once) is built on first
use in each process, and trafilatura's caches are reset every ``reset_every`` pages so memory
stays flat on long runs.

Workers that may not see the driver's files (:mod:`cleaner.bulk.ray_engine`) are built with
``deliver=True`` and ``ruleset`` (the user's rules, parsed by the driver): they read nothing but
the task's bytes (:func:`with_data`, called by the driver) and write nothing; a per-file output
comes back in ``Outcome.payload`` and the driver's :meth:`PageWorker.commit` writes it (or
removes the stale output of a page now empty) exactly as a writing worker would have.

Test-only hook: the environment variable ``CLEANER_BULK_TEST_FAULT`` is read here, in the
worker, and only by tests: ``hang=TEXT`` makes every page whose input contains TEXT sleep
forever, ``crash=TEXT`` kills the worker process on such a page, ``sleep=SECONDS`` slows every
page down. Entries are separated by commas. Never set it outside tests.
"""

from __future__ import annotations

import errno
import os
import re
import resource
import stat
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .._files import write_atomic
from ..inputs import DEFAULT_MAX_BYTES, DEFAULT_MAX_ELEMENTS
from ..language import accepts
from .tasks import MAX_PAGE_BYTES, Outcome, Task, output_name, printable, record_id

__all__ = ["FAULT_ENV", "PageWorker", "with_data", "write_atomic"]

FAULT_ENV = "CLEANER_BULK_TEST_FAULT"
_WARM_UP = (
    "<html><head><title>Warm up</title></head><body><article><h1>Warm up</h1>"
    "<p>A paragraph of text that is long enough to look like an article body.</p>"
    "</article></body></html>"
)
_HTTRACK = re.compile(rb"<!--\s*Mirrored from\s+(\S+)\s+by HTTrack", re.I)
#: A page read as text whose article is still mostly tags (as ``cleaner clean`` says it).
MARKUP_LEFT = "read as text, but its article is still mostly HTML tags; not cleaned"
#: Write errors that no later page can escape: the run stops (see ``Outcome.stop``).
OUT_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})


def with_data(task: Task) -> Task | Outcome:
    """``task`` carrying its bytes (read from ``task.path`` when it has none), or the
    ``failed`` outcome of a file that cannot be read: gone since discovery, unreadable, no
    longer a regular file (never blocks on a FIFO), or over :data:`MAX_PAGE_BYTES`."""
    if task.data is not None or task.path is None:
        return task
    try:
        fd = os.open(task.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return Outcome("failed", error="cannot read (the file is gone since discovery)")
    except OSError as exc:
        return Outcome("failed", error=f"cannot read ({exc.strerror})")
    try:
        with open(fd, "rb", closefd=True) as fh:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return Outcome("failed", error="cannot read (no longer a regular file)")
            data = fh.read(MAX_PAGE_BYTES + 1)
    except OSError as exc:
        return Outcome("failed", error=f"cannot read ({exc.strerror})")
    if len(data) > MAX_PAGE_BYTES:
        limit = MAX_PAGE_BYTES // 2**20
        return Outcome("failed", error=f"file over the {limit} MiB limit for a page; not read")
    return replace(task, data=data)


def _rss_kb() -> tuple[int, int]:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    try:
        with open("/proc/self/statm") as fh:
            current = int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError, IndexError):
        current = peak
    return current, peak


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:299] + "…"


def _httrack_url(data: bytes | str) -> str | None:
    head = data[:4096] if isinstance(data, bytes) else data[:4096].encode("utf-8", "replace")
    if head.startswith(b"\x1f\x8b"):
        return None  # checked after gunzip in the pipeline's decode; rare for HTTrack
    m = _HTTRACK.search(head)
    if not m:
        return None
    url = m.group(1).decode("utf-8", "replace")
    return url if "://" in url else "http://" + url


@dataclass
class PageWorker:
    """Cleans pages for one run's settings (see the module docstring)."""

    out_dir: str
    tmp_dir: str
    fmt: str = "txt"
    rules: tuple[str, ...] = ()
    reset_every: int = 500
    #: Return per-file outputs in ``Outcome.payload`` instead of writing them (see above).
    deliver: bool = False
    #: The user's rules already parsed (a :class:`~cleaner.ruleset.RuleSet`): used instead of
    #: reading the files named in ``rules``.
    ruleset: Any = None
    #: the cleaner's size limits (see :class:`cleaner.Cleaner`)
    max_bytes: int | None = DEFAULT_MAX_BYTES
    max_elements: int | None = DEFAULT_MAX_ELEMENTS
    #: JSONL records: when they were added (the run's start, ISO 8601), and whether they
    #: carry the list of removals (``--with-removed``)
    added: str | None = None
    with_removed: bool = False
    #: ``--lang``: the languages wanted (empty: all); ``--comments``: read the comment
    #: section (JSONL metadata, md, json); ``--with-metadata``: front matter in txt and md
    langs: tuple[str, ...] = ()
    comments: bool = False
    with_metadata: bool = False
    #: the page kinds to write (``--only``; :data:`cleaner.kinds.KINDS`); None: every kind.
    #: Text input, whose kind is not told, counts as an article.
    only: frozenset[str] | None = None
    _state: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_state"] = {}
        return state

    def setup(self) -> None:
        """Build the cleaner and import the heavy modules (workers call this before work)."""
        if "cleaner" in self._state:
            return
        from ..fallback import reset_caches
        from ..pipeline import Cleaner

        rules = self.ruleset if self.ruleset is not None else (list(self.rules) or None)
        self._state["cleaner"] = Cleaner(
            rules,
            max_bytes=self.max_bytes,
            max_elements=self.max_elements,
            formatting=self.fmt == "md",  # emphasis, as `cleaner clean --format md`
            comments=self.comments,
        )
        self._state["reset"] = reset_caches
        self._state["pages"] = 0
        self._state["fault"] = _parse_fault(os.environ.get(FAULT_ENV, ""))
        # pay the lazy imports and rule compilation before the first page's clock starts
        from ..errors import CleanerError

        try:
            self._state["cleaner"].clean(_WARM_UP)
        except CleanerError:  # limits below the warm-up page's size: the pages will say so
            pass

    def __call__(self, task: Task) -> Outcome:
        self.setup()
        start = time.perf_counter()
        try:
            outcome = self._clean(task)
        except Exception as exc:  # noqa: BLE001 - one bad page never stops a run
            outcome = Outcome("failed", error=f"{type(exc).__name__}: {_one_line(exc)}")
        outcome.seconds = time.perf_counter() - start
        self._state["pages"] += 1
        if self.reset_every and self._state["pages"] % self.reset_every == 0:
            self._state["reset"]()
        outcome.rss_kb, outcome.peak_rss_kb = _rss_kb()
        outcome.worker = os.getpid()
        return outcome

    def _fault(self, task: Task) -> None:
        fault = self._state["fault"]
        if not fault:
            return
        if fault.get("sleep"):
            time.sleep(float(fault["sleep"]))
        if fault.get("hang") and fault["hang"] in task.input:
            while True:
                time.sleep(3600)
        if fault.get("crash") and fault["crash"] in task.input:
            os._exit(70)

    def _clean(self, task: Task) -> Outcome:
        from ..decode import decode, holds_markup
        from ..errors import InputError, InputTooLarge
        from ..format import render

        loaded = with_data(task)
        if isinstance(loaded, Outcome):
            return loaded
        assert loaded.data is not None
        data: bytes | str = loaded.data
        self._fault(task)
        url = task.url or _httrack_url(data)
        cleaner = self._state["cleaner"]
        try:
            page: bytes | str = data
            if (task.declared or task.text) and isinstance(data, bytes):
                page = decode(data, declared=task.declared, max_bytes=self.max_bytes).text
            if task.text:
                # Flattened text by nature (a WET record): cleaned as text even when it quotes
                # markup near its start, which would make clean() take it for HTML.
                res = cleaner.clean_text(page, url=url)
            else:
                res = cleaner.clean(page, url=url)
        except InputError as exc:
            msg = str(exc)
            # Not a page (binary data, a feed) is a fact of the input: `ignored`, and the
            # manifest marks it done. A page over a limit is a page: `failed`, never done, so a
            # rerun with a higher limit cleans it.
            not_a_page = msg.startswith(("input is", "input looks binary"))
            if not_a_page and not isinstance(exc, InputTooLarge):
                return Outcome("ignored", error=msg.replace("input ", "page ", 1))
            return Outcome("failed", error=msg)
        if res.input_kind == "text" and holds_markup(res.text):
            return Outcome("failed", error=MARKUP_LEFT)  # markup is never an `ok` article
        kind = res.page_type
        if self.only is not None and (kind or "article") not in self.only:
            return Outcome("excluded", error=f"page kind {kind}, not in --only", page_type=kind)
        if not res.text.strip():
            if self.fmt != "jsonl" and not self.deliver:  # an earlier output is stale
                Path(self.out_dir, output_name(task.rel, self.fmt)).unlink(missing_ok=True)
            return Outcome("empty", error="no article text found", page_type=kind)
        if not accepts(self.langs, res.language):
            if self.fmt != "jsonl" and not self.deliver:  # an earlier output is stale
                Path(self.out_dir, output_name(task.rel, self.fmt)).unlink(missing_ok=True)
            lang = res.language or "und"
            sure = f" ({res.language_confidence:.2f})" if res.language_confidence else ""
            why = f"language {lang}{sure}, not in --lang {','.join(self.langs)}"
            return Outcome("filtered", error=why, language=lang, page_type=kind)
        if self.fmt == "jsonl":
            return Outcome("ok", record=self.record(task, data, url, res), page_type=kind)
        name = output_name(task.rel, self.fmt)
        payload = render(res, self.fmt, with_metadata=self.with_metadata).encode("utf-8")
        if self.deliver:
            return Outcome("ok", output=name, payload=payload, page_type=kind)
        return replace(self._store(name, payload), page_type=kind)

    def record(self, task: Task, data: bytes | str, url: str | None, res: Any) -> dict[str, Any]:
        """The JSONL record of a cleaned page, in the shape Dolma and datatrove read: ``id``,
        ``text``, ``source``, ``added``, ``created``, ``metadata`` (and ``removed`` when asked).
        ``url`` is the URL the page was fetched from; ``canonical_url`` the one the page
        gives for itself (else ``url``); ``language`` the one identified from the text,
        ``declared_language`` the page's own, ``warc_identified_content_language`` a WET
        record's header; ``comments`` with ``--comments``."""
        meta = {
            **res.metadata,  # every field the result has (one list: CleanResult.metadata)
            "url": printable(url) if url else None,
            "canonical_url": printable(res.canonical_url) if res.canonical_url else None,
            "input": printable(task.input),
            "warc_record_id": None,
            "warc_refers_to": None,
            "warc_identified_content_language": None,
        }
        meta.update(task.meta)
        if self.comments:
            meta["comments"] = [c.to_dict() for c in res.comments or ()]
        record: dict[str, Any] = {
            "id": record_id(task, data),
            "text": res.text,
            "source": printable(task.source),
            "added": self.added,
            "created": task.created,
            "metadata": meta,
        }
        if self.with_removed:
            record["removed"] = [r.to_dict() for r in res.removed]
        return record

    def _store(self, name: str, payload: bytes) -> Outcome:
        target = Path(self.out_dir, name)
        if target.is_dir():
            return Outcome("failed", error=f"output path {target} is a directory")
        try:
            write_atomic(target, payload, Path(self.tmp_dir))
        except OSError as exc:
            if exc.errno in OUT_FULL:  # write_atomic left nothing half-written
                return Outcome("failed", error=f"cannot write {name}: {exc.strerror}", stop=True)
            raise
        return Outcome("ok", output=name)

    def commit(self, task: Task, outcome: Outcome) -> Outcome:
        """In the driver, for a delivering worker's outcome: write its payload, or remove the
        stale output of a page now empty, as a writing worker would have (same statuses and
        errors). The outcome returned carries no payload."""
        if not self.deliver or self.fmt == "jsonl":
            return outcome
        try:
            if outcome.status in ("empty", "filtered"):
                Path(self.out_dir, output_name(task.rel, self.fmt)).unlink(missing_ok=True)
            elif outcome.status == "ok" and outcome.payload is not None and outcome.output:
                stored = self._store(outcome.output, outcome.payload)
                return replace(outcome, status=stored.status, output=stored.output,
                               error=stored.error, stop=stored.stop, payload=None)  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - one bad page never stops a run
            error = f"{type(exc).__name__}: {_one_line(exc)}"
            return replace(outcome, status="failed", output=None, error=error, payload=None)
        return replace(outcome, payload=None)


def _parse_fault(spec: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in spec.split(","):
        name, sep, value = item.partition("=")
        if sep and name.strip() in ("hang", "crash", "sleep") and value:
            out[name.strip()] = value
    return out
