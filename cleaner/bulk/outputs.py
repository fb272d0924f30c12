"""JSONL outputs: records gathered into parts, each part committed whole.

Contract: :class:`PartWriter` streams records into a temporary part file in OUT's state
directory. A part is committed when it holds ``part_size`` records, when it has been open
``part_seconds`` (checked as records arrive and at each :meth:`PartWriter.tick`, which the
driver calls as every page finishes), or when the run ends: the file is fsynced, its manifest
entries are appended, then it is renamed to ``OUT/<prefix>part-NNNNN.jsonl[.gz]``. A run
killed at any point leaves either a committed part with its entries, or entries that name a
part which does not exist (not done: redone), or nothing; so after a resume every page is in
exactly one part, and a ``kill -9`` loses at most the open part: ``part_seconds`` of work
(plus the page being finished), whatever the rate of pages.

When an input changes (or the rules do) its page is cleaned again into a new part; the old
record is then removed from its old part by :func:`prune_parts` (a rewrite, whole or not at
all) so no page is ever in two parts. Part numbers never repeat: a new run starts after the
highest number on disk or in the manifest.

Per-file formats (txt, md, json) are written by the workers themselves
(:func:`cleaner.bulk.work.write_atomic`).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any, BinaryIO

from .._files import create_temp, write_atomic
from .manifest import Manifest
from .tasks import stable_id

__all__ = ["PART_SECONDS", "PartWriter", "part_pattern", "prune_parts"]

#: Seconds a JSONL part stays open at most (``--part-seconds``): what a ``kill -9`` (the OOM
#: killer, a preempted machine) can cost. At the ~19 pages/s of a busy machine a part of 1,000
#: records took 53 s to fill, and six SIGKILLs 20-52 s apart kept no work at all; with this
#: bound each run keeps all but its last half minute or so (plus the page then being cleaned).
PART_SECONDS = 30.0


def part_pattern(prefix: str) -> re.Pattern[str]:
    return re.compile(re.escape(prefix) + r"part-(\d{5,})\.jsonl(?:\.gz)?$")


def _open_records(path: Path) -> BinaryIO:
    fh = open(path, "rb")  # noqa: SIM115 - returned
    if fh.read(2) == b"\x1f\x8b":
        fh.seek(0)
        return gzip.GzipFile(fileobj=fh, mode="rb")  # type: ignore[return-value]
    fh.seek(0)
    return fh


class PartWriter:
    """Writes JSONL records into parts and commits them with their manifest entries."""

    def __init__(
        self,
        out_dir: Path,
        tmp_dir: Path,
        manifest: Manifest,
        *,
        prefix: str = "",
        compress: bool = True,
        part_size: int = 1000,
        part_seconds: float | None = PART_SECONDS,
    ) -> None:
        self.out_dir = out_dir
        self.tmp_dir = tmp_dir
        self.manifest = manifest
        self.prefix = prefix
        self.compress = compress
        self.part_size = max(1, part_size)
        #: a part open this long is committed (None or 0: by size only)
        self.part_seconds = part_seconds or None
        self._opened = 0.0
        self._pending: list[dict[str, Any]] = []
        self._raw: BinaryIO | None = None
        self._fh: BinaryIO | None = None
        self._tmp: str | None = None
        self.committed: list[str] = []
        pattern = part_pattern(prefix)
        numbers = [
            int(m.group(1)) for p in out_dir.glob(f"{prefix}part-*") if (m := pattern.match(p.name))
        ]
        numbers += [int(m.group(1)) for p in manifest.parts() if (m := pattern.match(p))]
        self._next = max(numbers, default=-1) + 1

    def _name(self, number: int) -> str:
        return f"{self.prefix}part-{number:05d}.jsonl" + (".gz" if self.compress else "")

    def add(self, record: dict[str, Any], entry: dict[str, Any]) -> None:
        """Add one record; ``entry`` is its manifest entry (``output`` is filled in here)."""
        if self._fh is None:
            self.tmp_dir.mkdir(parents=True, exist_ok=True)
            fd, self._tmp = create_temp(self.tmp_dir, ".part-")
            self._raw = os.fdopen(fd, "wb")
            if self.compress:
                self._fh = gzip.GzipFile(fileobj=self._raw, mode="wb", mtime=0)  # type: ignore[assignment]
            else:
                self._fh = self._raw
            self._opened = time.monotonic()
        assert self._fh is not None
        try:
            line = json.dumps(record, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate (from JSON input): keep it, escaped
            line = json.dumps(record).encode("ascii")
        self._fh.write(line + b"\n")
        self._pending.append(entry)
        if len(self._pending) >= self.part_size:
            self.commit()
        else:
            self.tick()

    def tick(self) -> None:
        """Commit the open part if it has been open ``part_seconds`` or more."""
        if (
            self._fh is not None
            and self.part_seconds is not None
            and time.monotonic() - self._opened >= self.part_seconds
        ):
            self.commit()

    def commit(self) -> None:
        """Make the open part durable and visible (see the module docstring for the order)."""
        if self._fh is None or self._raw is None or self._tmp is None:
            return
        if self._fh is not self._raw:
            self._fh.close()
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        name = self._name(self._next)
        self._next += 1
        self.manifest.add([{**e, "output": name} for e in self._pending])
        self.manifest.sync()
        os.replace(self._tmp, self.out_dir / name)
        self.committed.append(name)
        self._pending, self._fh, self._raw, self._tmp = [], None, None, None

    def abandon(self) -> int:
        """Drop the open part (its pages have no manifest entry and are redone next time);
        returns how many pages it held."""
        lost = len(self._pending)
        for fh in (self._fh, self._raw):
            try:
                if fh is not None:
                    fh.close()
            except OSError:
                pass
        if self._tmp:
            Path(self._tmp).unlink(missing_ok=True)
        self._pending, self._fh, self._raw, self._tmp = [], None, None, None
        return lost


def prune_parts(out_dir: Path, tmp_dir: Path, manifest: Manifest, parts: set[str]) -> int:
    """Remove from ``parts`` the records whose page now lives elsewhere; returns how many."""
    if not parts:
        return 0
    # how many records of each id each part keeps: two pages may share an id (the same
    # bytes under the same file name), and only as many records as pages may stay
    keep_by_part: dict[str, Counter[str]] = {}
    for key, entry in manifest.entries.items():
        if entry.get("output") in parts:
            rid = entry.get("id") or stable_id(key)  # entries of older versions have no id
            keep_by_part.setdefault(entry["output"], Counter())[rid] += 1
    removed = 0
    for part in sorted(parts):
        path = out_dir / part
        if not path.is_file():
            continue
        keep = keep_by_part.get(part, Counter())
        kept = bytearray()
        dropped = 0
        with _open_records(path) as fh:
            for line in fh:
                try:
                    rid = json.loads(line).get("id")
                except ValueError:
                    rid = None
                if isinstance(rid, str) and keep[rid] > 0:
                    keep[rid] -= 1
                    kept += line
                else:
                    dropped += 1
        if not dropped:
            continue
        removed += dropped
        if not kept:
            path.unlink()
            continue
        data = bytes(kept)
        if part.endswith(".gz"):
            buf = io.BytesIO()
            with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as gz:
                gz.write(data)
            data = buf.getvalue()
        write_atomic(path, data, tmp_dir)  # keeps the part's mode
    return removed
