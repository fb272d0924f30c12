"""Tasks: one per input page, with a stable identity and a deterministic output name.

Contract:

- :class:`Task` is one page to clean. ``key`` is its identity within a run, for the manifest
  and shards, stable across runs and machines (built from paths *relative* to each SRC, never
  absolute ones); ``fingerprint`` changes when the input changes (size and mtime for files, a
  content hash for records); ``rel`` is the output path without its format suffix, so
  :func:`output_name` maps two different tasks to two different files. A task carries its
  bytes (``data``) or a ``path`` the worker reads, and what a JSONL record says of it: its
  dataset (``source``) and its crawl date (``created``).
- :func:`record_id` is the ``id`` of a page's JSONL record: a hash of the task's ``key``
  (where the page was read: its path relative to SRC, and the WARC record or JSONL line in
  it) and its bytes. Keys are unique within a run, so two records never share an id, not
  even the same page saved at two paths (the same URL, the same bytes) or a WARC file copied
  twice; and it does not depend on how SRC was spelled or where the crawl lies. (A WARC
  record's WARC-Record-ID is in its record's metadata.)
- :class:`Finding` is an input that needs no worker: ``ignored`` (not a page, with the reason)
  or ``failed`` (unreadable, malformed container).
- :class:`Outcome` is what a worker returns for a task; :data:`STATUSES` are the statuses.
- :func:`in_shard` splits tasks deterministically by their key.

>>> output_name("site/index.html?p=2", "txt")
'site/index.html?p=2.txt'
>>> long = output_name("a/" + "x" * 300, "md")
>>> long.endswith(".md"), len(long) < 260
(True, True)
>>> [in_shard("site/post", i, 3) for i in (1, 2, 3)].count(True)
1
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any

__all__ = [
    "DONE_STATUSES",
    "MAX_PAGE_BYTES",
    "STATUSES",
    "Finding",
    "Outcome",
    "Task",
    "in_shard",
    "iso_time",
    "output_name",
    "printable",
    "record_id",
    "slug",
    "stable_id",
]

#: Every status a page can end with. ``ok``: cleaned, output written; ``empty``: cleaned but
#: no article text (no output); ``filtered``: cleaned, but its language is not one ``--lang``
#: asks for (no output; the message names its language); ``excluded``: cleaned, but of a page
#: kind ``--only`` does not ask for (no output; the message names its kind; not finished: a run
#: with another ``--only`` cleans it); ``skipped``: finished in an earlier run; ``ignored``: not
#: a page; ``failed``: an error (the message says which); ``timeout``: the page exceeded
#: ``--timeout``.
STATUSES = ("ok", "empty", "filtered", "excluded", "skipped", "ignored", "failed", "timeout")
#: Statuses a manifest records as finished (failed and timed-out pages are retried; a
#: ``filtered`` page is recorded with its language, and done again by a run whose ``--lang``
#: takes it).
DONE_STATUSES = frozenset({"ok", "empty", "ignored"})

#: The largest page ``cleaner bulk`` reads: a file, a JSONL line or a WARC record (also once
#: unpacked). A bigger one is ``failed`` with the reason and never held in memory.
MAX_PAGE_BYTES = 64 * 1024 * 1024

#: File-name bytes above which a name is shortened with a hash (NAME_MAX is 255 on most systems).
_NAME_MAX = 240
_SLUG_BAD = re.compile(r"[^A-Za-z0-9._-]+")
#: Surrogates that ``surrogateescape`` did not make (those come from JSON text, not file names)
_LONE_SURROGATE = re.compile("[\ud800-\udc7f\udd00-\udfff]")


def printable(text: str) -> str:
    """A path or name for people and for JSON: bytes that were not UTF-8 in a file name
    (kept by Python as lone surrogates) become U+FFFD.

    >>> printable(b"caf\\xe9".decode("utf-8", "surrogateescape"))
    'caf\ufffd'
    >>> printable("lone \\ud800 surrogate (from JSON text)")
    'lone \ufffd surrogate (from JSON text)'
    """
    text = _LONE_SURROGATE.sub("\ufffd", text)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def stable_id(key: str) -> str:
    """A short stable hash of a task key (hex, 20 characters): the ``id`` of JSONL records
    written before :func:`record_id`, still recognised in old parts."""
    return hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest()[:20]


def slug(text: str, limit: int = 80) -> str:
    """A file-name-safe form of a URL or title, at most ``limit`` characters.

    >>> slug("https://blog.example.com/2019/05/my-post/?p=2")
    'blog.example.com_2019_05_my-post_p_2'
    """
    text = re.sub(r"^[a-z]+://", "", text or "")
    out = _SLUG_BAD.sub("_", text).strip("._")
    return out[:limit].rstrip("._") or "page"


def _short_name(name: str, suffix: str) -> str:
    if len((name + suffix).encode("utf-8", "surrogateescape")) <= _NAME_MAX:
        return name + suffix
    digest = hashlib.sha1(name.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    raw = name.encode("utf-8", "surrogateescape")[: _NAME_MAX - len(suffix) - 14]
    head = raw.decode("utf-8", "ignore")
    return f"{head}~{digest}{suffix}"


def output_name(rel: str, fmt: str) -> str:
    """The output path (relative to OUT) of a task: its ``rel`` plus ``.fmt``.

    Injective: the suffix is appended, never substituted (``index.html`` and ``index.htm``
    stay apart), and over-long names are cut with a hash of the full name.
    """
    parts = rel.split("/")
    parts[-1] = _short_name(parts[-1], f".{fmt}")
    parts[:-1] = [_short_name(p, "") for p in parts[:-1]]
    return "/".join(parts)


def in_shard(key: str, index: int, count: int) -> bool:
    """Whether a task belongs to shard ``index`` (1-based) of ``count``; stable everywhere."""
    digest = hashlib.sha1(key.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % count == index - 1


@dataclass(frozen=True)
class Task:
    """One page to clean."""

    key: str
    input: str
    #: the dataset the page belongs to (``--source``, or the name of its SRC)
    source: str
    rel: str
    fingerprint: str
    path: str | None = None
    data: bytes | str | None = None
    url: str | None = None
    declared: str | None = None
    #: the page is flattened text (a WET ``conversion`` record): never taken for HTML
    text: bool = False
    #: when the page was captured (``WARC-Date``), or its file last written (ISO 8601)
    created: str | None = None
    #: provenance for the JSONL record's metadata (e.g. ``warc_record_id``)
    meta: tuple[tuple[str, str], ...] = ()

    def light(self) -> Task:
        """The same task without its bytes (for bookkeeping while it runs)."""
        return self if self.data is None else replace(self, data=None)


def iso_time(ns: int) -> str:
    """A file time (ns since the epoch) as ISO 8601 UTC, to the second.

    >>> iso_time(1_704_067_200 * 10**9)
    '2024-01-01T00:00:00Z'
    """
    return datetime.fromtimestamp(ns // 10**9, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def record_id(task: Task, data: bytes | str) -> str:
    """The ``id`` of a page's JSONL record (see the module docstring); ``data`` is its bytes
    as read.

    >>> a = Task("a/index.html", "crawl/a/index.html", "crawl", "a/index.html", "1:1")
    >>> b = Task("b/index.html", "crawl/b/index.html", "crawl", "b/index.html", "1:1")
    >>> record_id(a, b"<p>one</p>") == record_id(b, b"<p>one</p>")  # one page, two paths
    False
    >>> record_id(a, b"<p>one</p>") == record_id(a, b"<p>one</p>")
    True
    """
    h = hashlib.blake2b(digest_size=16)
    # surrogatepass: JSON text may hold lone surrogates ("\ud800"), which must not crash
    h.update(task.key.encode("utf-8", "surrogatepass") + b"\0")
    h.update(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
    return h.hexdigest()


@dataclass(frozen=True)
class Finding:
    """An input that needs no worker: ``ignored`` or ``failed``, with the reason."""

    input: str
    status: str
    error: str


@dataclass
class Outcome:
    """What became of one task. ``output`` is relative to OUT; ``record`` is the JSONL record
    (``--format jsonl``, written by the driver); ``rss_kb`` the worker's current and peak
    resident memory when it finished the page; ``payload`` the bytes of a per-file output
    that a delivering worker returns instead of writing (the driver writes them; see
    :meth:`cleaner.bulk.work.PageWorker.commit`); ``stop`` that OUT cannot be written to."""

    status: str
    output: str | None = None
    error: str | None = None
    seconds: float = 0.0
    record: dict[str, Any] | None = None
    rss_kb: int = 0
    peak_rss_kb: int = 0
    worker: int = 0
    payload: bytes | None = None
    #: The output could not be written because OUT cannot take it (full, over quota,
    #: read-only): every later page would fail the same way, so the driver stops the run.
    stop: bool = False
    #: The language identified for a ``filtered`` page ("und": none could be).
    language: str | None = None
    #: the page's kind (:mod:`cleaner.kinds`), when it was cleaned as HTML
    page_type: str | None = None
