"""The manifest: which inputs a run finished, so a re-run skips them.

Contract: one JSON line per finished page, appended to ``OUT/.cleaner/manifest-<tag>.jsonl``
with a single ``write`` (O_APPEND) *after* its output is complete on disk. Fields: ``key``
(input identity), ``fp`` (input fingerprint: size and mtime, or content hash), ``cfg`` (a digest
of the settings that shape outputs: format, rules, version), ``status``, ``output`` (relative
to OUT, or ``null``), for an ``ignored`` page ``error`` (why it is no page) and, for a JSONL
record, ``id`` (the record's id in its part, which
:func:`~cleaner.bulk.outputs.prune_parts` goes by). The latest line for a key wins.

An entry counts as done only when its fingerprint and settings match the current run *and*
its output still exists; so a changed input, changed rules or a deleted output are redone.
An ``ignored`` entry without its reason was written by a version that also called a page over
a size limit ``ignored``: it is redone (a page that is no page is only sniffed again).
A line torn by ``kill -9`` is ignored (and a newline is added before the next append, so it
never corrupts the next entry). Failed and timed-out pages are never recorded: a re-run
retries them.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> m = Manifest(d / "m.jsonl", cfg="c1", out_dir=d)
>>> m.add([{"key": "a", "fp": "1:2", "status": "empty", "output": None}])
>>> Manifest(d / "m.jsonl", cfg="c1", out_dir=d).done("a", "1:2")["status"]
'empty'
>>> Manifest(d / "m.jsonl", cfg="c1", out_dir=d).done("a", "9:9") is None
True
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

__all__ = ["Manifest"]


class Manifest:
    """Finished inputs of earlier runs, and appending those of this one."""

    def __init__(self, path: Path, *, cfg: str, out_dir: Path, read_only: bool = False) -> None:
        self.path = path
        self.cfg = cfg
        self.out_dir = out_dir
        self.read_only = read_only
        self.entries: dict[str, dict[str, Any]] = {}
        self.lines = 0
        self._exists: dict[str, bool] = {}
        self._fd: int | None = None
        #: JSONL parts that still hold a record whose page was cleaned again into another part
        self.superseded: set[str] = set()
        self._load()

    def _load(self) -> None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return
        for line in raw.split(b"\n"):
            if not line.strip():
                continue
            self.lines += 1
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # torn by a kill: that page is simply redone
            if isinstance(entry, dict) and isinstance(entry.get("key"), str):
                self._note(entry)
                self.entries[entry["key"]] = entry

    def _note(self, entry: dict[str, Any]) -> None:
        old = self.entries.get(entry["key"])
        previous = old.get("output") if old else None
        if previous and previous != entry.get("output") and ".jsonl" in previous:
            self.superseded.add(previous)

    def parts(self) -> set[str]:
        """Every output named by an entry (JSONL parts included)."""
        return {e["output"] for e in self.entries.values() if e.get("output")}

    def _output_exists(self, output: str) -> bool:
        found = self._exists.get(output)
        if found is None:
            found = (self.out_dir / output).is_file()
            if output.endswith((".jsonl", ".jsonl.gz")):
                self._exists[output] = found  # parts are shared by many entries
        return found

    def done(self, key: str, fingerprint: str) -> dict[str, Any] | None:
        """The entry of a finished input, or ``None`` when it must be (re)done."""
        entry = self.entries.get(key)
        if entry is None or entry.get("fp") != fingerprint or entry.get("cfg") != self.cfg:
            return None
        if entry.get("status") == "ignored" and not entry.get("error"):
            return None  # see the module docstring: an older version's, maybe over a limit
        output = entry.get("output")
        if output and not self._output_exists(output):
            return None
        return entry

    def add(self, entries: list[dict[str, Any]]) -> None:
        """Append entries in one write (durable against a kill of this process)."""
        if not entries or self.read_only:
            return
        if self._fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            size = os.fstat(self._fd).st_size
            if size:
                with open(self.path, "rb") as fh:
                    fh.seek(size - 1)
                    if fh.read(1) != b"\n":
                        os.write(self._fd, b"\n")  # seal a line torn by a kill
        buf = bytearray()
        for entry in entries:
            entry = {**entry, "cfg": self.cfg}
            self._note(entry)
            self.entries[entry["key"]] = entry
            # ASCII escapes: keys from non-UTF-8 file names must round-trip exactly
            buf += json.dumps(entry).encode("ascii") + b"\n"
            self.lines += 1
        _write_all(self._fd, bytes(buf))

    def compact(self) -> None:
        """Rewrite the file with only the latest entry per key, when it holds many stale lines."""
        if self.read_only or self.lines <= 2 * len(self.entries) + 1000:
            return
        self.close()
        tmp = self.path.with_suffix(".compact.tmp")
        with open(tmp, "wb") as fh:
            for entry in self.entries.values():
                fh.write(json.dumps(entry).encode("ascii") + b"\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
        self.lines = len(self.entries)

    def sync(self) -> None:
        if self._fd is not None:
            os.fsync(self._fd)

    def close(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    """``os.write`` until all is written: a full disk can take part of a write and then fail
    (``OSError``), leaving at most one torn line, which the next load ignores."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
