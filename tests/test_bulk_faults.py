"""`cleaner bulk` under faults: unreadable, vanishing and changing inputs, symlink tricks, a full
OUT, SIGTERM, gzip bombs, hostile names in WARC and JSONL, malformed containers. Every fault
ends as a status with a reason (or, for a full OUT, a clean stop), never as a crash or a hang.
"""

from __future__ import annotations

import errno
import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from _crawl import by_input as _by_input
from _crawl import http, page, warc_record
from _crawl import output_files as _outputs
from _crawl import part_records as _records
from _crawl import read_report as _report

from cleaner.bulk import BulkOptions, run
from cleaner.bulk import discovery as discovery_mod
from cleaner.bulk.discovery import discover, plan_sources
from cleaner.bulk.engine import LocalEngine
from cleaner.bulk.manifest import Manifest
from cleaner.bulk.outputs import PartWriter
from cleaner.bulk.tasks import Finding, Outcome, Task, output_name
from cleaner.bulk.work import FAULT_ENV, PageWorker, with_data

CLEANER = [sys.executable, "-m", "cleaner"]


# -- helpers --------------------------------------------------------------------------------


def _pages(src: Path, n: int) -> None:
    src.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (src / f"post-{i:02d}").write_text(page(f"Post number {i}"), encoding="utf-8")


class SerialEngine:
    """The engine contract, run in this process (so monkeypatched writes reach the worker)."""

    def run(self, tasks: Iterable[Task], worker: PageWorker) -> Iterator[tuple[Task, Outcome]]:
        worker.setup()
        for task in tasks:
            yield task, worker(task)


class HookedEngine:
    """A real :class:`LocalEngine` that calls ``hook(task)`` after discovery, before the
    worker sees the task: the moment a file vanishes or changes under a running crawl."""

    def __init__(self, hook: Callable[[Task], None]) -> None:
        self.hook = hook
        self.inner = LocalEngine(1, timeout=60)

    def run(self, tasks: Iterable[Task], worker: PageWorker) -> Iterator[tuple[Task, Outcome]]:
        def hooked() -> Iterator[Task]:
            for task in tasks:
                self.hook(task)
                yield task

        return self.inner.run(hooked(), worker)


def _ends(fn: Callable[[], Any], seconds: float = 60) -> Any:
    """Run ``fn`` in a thread and return its result; fail (instead of hanging the suite) when
    it blocks. A guard against hangs, not a speed assertion: the bound is far above need."""
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(fn()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "blocked (a FIFO opened for reading?)"
    return result[0]


def _findings(paths: list[Path], out: Path, **kw: str) -> dict[str, str]:
    found = {}
    for item in discover(plan_sources([str(p) for p in paths], str(out)), str(out), **kw):
        if isinstance(item, Finding):
            found[os.path.basename(item.input)] = f"{item.status}: {item.error}"
    return found


def _bomb(prefix: bytes, size: int, fill: bytes = b"a", suffix: bytes = b"") -> bytes:
    """Gzip data that unpacks to about ``size`` bytes: one 1 MiB member repeated (gzip allows
    many members), so making it costs nothing."""
    member = gzip.compress(fill * 2**20, 1)
    return gzip.compress(prefix) + member * (size // 2**20) + gzip.compress(suffix)


# -- unreadable, vanishing, changing inputs; special files; symlinks --------------------------


def test_unreadable_file_is_failed_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # We run as root, so chmod 000 would not stop a read: the open itself is made to fail.
    src = tmp_path / "src"
    _pages(src, 3)
    locked = str(src / "post-01")
    real_open = open

    def guarded_open(file: Any, *args: Any, **kw: Any) -> Any:
        if str(file) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", file)
        return real_open(file, *args, **kw)

    monkeypatch.setattr(discovery_mod, "open", guarded_open, raising=False)
    rep = tmp_path / "r.json"
    summary = run(
        BulkOptions([str(src)], str(tmp_path / "out"), jobs=1, quiet=True, report=str(rep))
    )
    assert summary.exit_code == 1
    files = _by_input(_report(rep), src)
    assert files["post-01"] == {
        "input": locked, "status": "failed", "output": None,
        "error": "cannot read (Permission denied)",
    }  # fmt: skip
    assert files["post-00"]["status"] == files["post-02"]["status"] == "ok"


def test_file_unreadable_in_the_worker_is_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "post"
    path.write_text(page("Locked"), encoding="utf-8")
    task = Task("post", str(path), str(path), "post", "1:1", path=str(path))
    real_open = os.open

    def guarded(file: Any, *args: Any, **kw: Any) -> int:
        if str(file) == str(path):
            raise PermissionError(errno.EACCES, "Permission denied", file)
        return real_open(file, *args, **kw)

    monkeypatch.setattr(os, "open", guarded)
    outcome = with_data(task)
    assert isinstance(outcome, Outcome)
    assert (outcome.status, outcome.error) == ("failed", "cannot read (Permission denied)")


def test_special_files_are_never_opened(tmp_path: Path) -> None:
    src = tmp_path / "src"
    _pages(src, 1)
    os.mkfifo(src / "fifo")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(src / "sock"))
    os.symlink("/dev/zero", src / "zeros")  # a device that never ends
    try:
        found = _ends(lambda: _findings([src], tmp_path / "out"))
        # a FIFO given as SRC (reading it would block until someone writes)
        alone = _ends(lambda: _findings([src / "fifo"], tmp_path / "out"))
    finally:
        sock.close()
    for name in ("fifo", "sock", "zeros"):
        assert found[name] == "ignored: not a regular file", name
    assert alone == {"fifo": "ignored: not a regular file"}
    # a page that became a FIFO after discovery fails in the worker instead of blocking it
    task = Task("fifo", str(src / "fifo"), "fifo", "fifo", "1:1", path=str(src / "fifo"))
    outcome = _ends(lambda: with_data(task))
    assert isinstance(outcome, Outcome)
    assert (outcome.status, outcome.error) == ("failed", "cannot read (no longer a regular file)")


def test_symlink_tricks(tmp_path: Path) -> None:
    src = tmp_path / "src"
    _pages(src / "a", 1)
    (src / "b").mkdir()
    os.symlink("self", src / "self")  # points at itself
    os.symlink("ping", src / "pong")  # two links pointing at each other
    os.symlink("pong", src / "ping")
    os.symlink("../b", src / "a" / "to-b")  # two directories linking to each other
    os.symlink("../a", src / "b" / "to-a")
    os.symlink(str(tmp_path / "gone"), src / "dangling")
    os.symlink("a/post-00", src / "alias")  # a link to a file is read like the file
    items = _ends(
        lambda: list(discover(plan_sources([str(src)], str(tmp_path / "o")), str(tmp_path / "o")))
    )
    found = {
        os.path.relpath(i.input, src): f"{i.status}: {i.error}"
        for i in items
        if isinstance(i, Finding)
    }
    tasks = sorted(i.key for i in items if isinstance(i, Task))
    assert found == {
        "self": "ignored: symlink loop, not followed",
        "ping": "ignored: symlink loop, not followed",
        "pong": "ignored: symlink loop, not followed",
        "dangling": "ignored: broken symlink",
        # b was walked through a/to-b (sorted order), whose link back to a is a loop
        "a/to-b/to-a": "ignored: symlink loop, not followed",
        "b": "ignored: directory seen before",
    }
    assert tasks == ["a/post-00", "alias"]  # b holds no files; nothing walked twice


def test_file_vanishing_or_changing_mid_run(tmp_path: Path) -> None:
    src = tmp_path / "src"
    _pages(src, 4)
    out, rep = tmp_path / "out", tmp_path / "r.json"

    def hook(task: Task) -> None:
        if task.key == "post-01":
            os.unlink(src / "post-01")
        if task.key == "post-02":
            (src / "post-02").write_text(page("Edited While Queued"), encoding="utf-8")
            os.utime(src / "post-02", ns=(1, 10**18))  # a new mtime whatever the clock

    opts = BulkOptions([str(src)], str(out), jobs=1, quiet=True, report=str(rep))
    summary = run(opts, engine=HookedEngine(hook))
    assert summary.exit_code == 1
    files = _by_input(_report(rep), src)
    assert files["post-01"]["status"] == "failed"
    assert files["post-01"]["error"] == "cannot read (the file is gone since discovery)"
    assert files["post-00"]["status"] == files["post-03"]["status"] == "ok"
    # the changed file: cleaned as it is now; the manifest holds the fingerprint seen at
    # discovery, so the next run sees a change and cleans it again rather than trusting it
    assert (out / "post-02.txt").read_text(encoding="utf-8").startswith("Edited While Queued")
    summary = run(opts)
    assert summary.exit_code == 0
    files = _by_input(_report(rep), src)
    assert files["post-02"]["status"] == "ok"
    assert files["post-00"]["status"] == files["post-03"]["status"] == "skipped"
    assert "post-01" not in files


# -- OUT out of space --------------------------------------------------------------------------


class _FullDisk:
    """File objects whose writes fail with ENOSPC once ``budget`` writes were made."""

    def __init__(self, budget: int, under: Path) -> None:
        self.budget = budget
        self.under = str(under)

    def fdopen(self, real: Callable[..., Any]) -> Callable[..., Any]:
        disk = self

        class Full:
            def __init__(self, fh: Any) -> None:
                self._fh = fh

            def write(self, data: bytes) -> int:
                if disk.budget <= 0:
                    raise OSError(errno.ENOSPC, "No space left on device")
                disk.budget -= 1
                return self._fh.write(data)

            def __getattr__(self, name: str) -> Any:
                return getattr(self._fh, name)

            def __enter__(self) -> Full:
                return self

            def __exit__(self, *exc: object) -> None:
                self._fh.close()

        def fdopen(fd: int, *a: Any, **kw: Any) -> Any:
            fh = real(fd, *a, **kw)
            where = os.readlink(f"/proc/self/fd/{fd}")
            return Full(fh) if where.startswith(disk.under + os.sep) else fh

        return fdopen


def test_write_atomic_on_a_full_disk_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cleaner import _files

    target = tmp_path / "out.txt"
    target.write_bytes(b"the old output")
    monkeypatch.setattr(_files.os, "fdopen", _FullDisk(0, tmp_path).fdopen(os.fdopen))
    with pytest.raises(OSError) as err:
        _files.write_atomic(target, b"the new output")
    assert err.value.errno == errno.ENOSPC
    assert target.read_bytes() == b"the old output"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]  # no temporary left


def _manifest_entries(out: Path) -> list[dict]:
    manifest = Manifest(out / ".cleaner" / "manifest-all.jsonl", cfg="", out_dir=out)
    return list(manifest.entries.values())


def test_full_out_stops_the_run_cleanly_and_the_next_run_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from cleaner import _files

    src, out, rep = tmp_path / "src", tmp_path / "out", tmp_path / "r.json"
    _pages(src, 6)
    opts = BulkOptions([str(src)], str(out), jobs=1, report=str(rep))
    with monkeypatch.context() as m:
        m.setattr(_files.os, "fdopen", _FullDisk(2, out).fdopen(os.fdopen))  # room for 2 outputs
        summary = run(opts, engine=SerialEngine())
    assert summary.exit_code == 3
    assert summary.counts["ok"] == 2 and summary.counts["failed"] == 1
    err = capsys.readouterr().err
    assert "cleaner: failed: " in err and "cannot write post-02.txt: No space left on device" in err
    assert "cleaner bulk stopped: cannot write post-02.txt: No space left on device" in err
    assert "run the same command again to resume" in err
    # nothing half-written; the manifest names only outputs that exist, and all of them
    assert [p.name for p in _outputs(out)] == ["post-00.txt", "post-01.txt"]
    assert not list(out.rglob("*.tmp")) and not list((out / ".cleaner").glob("tmp-*"))
    entries = _manifest_entries(out)
    assert sorted(e["output"] for e in entries) == ["post-00.txt", "post-01.txt"]
    # the report was still written (it is elsewhere)
    assert _report(rep)["counts"]["failed"] == 1
    summary = run(opts)
    assert summary.exit_code == 0
    assert summary.counts["skipped"] == 2 and summary.counts["ok"] == 4
    assert len(_outputs(out)) == 6


def test_full_out_with_jsonl_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cleaner.bulk import outputs

    src, out = tmp_path / "src", tmp_path / "out"
    _pages(src, 9)
    opts = BulkOptions(
        [str(src)], str(out), fmt="jsonl", jobs=1, quiet=True, part_size=2, compress=False
    )
    with monkeypatch.context() as m:
        # one write per record (no gzip): 2 parts of 2 records, then the 5th record fails
        m.setattr(outputs.os, "fdopen", _FullDisk(4, out).fdopen(os.fdopen))
        summary = run(opts, engine=SerialEngine())
    assert summary.exit_code == 3
    parts = sorted(p.name for p in out.glob("part-*"))
    assert parts == ["part-00000.jsonl", "part-00001.jsonl"]
    ids = {r["id"] for r in _records(out)}
    entries = _manifest_entries(out)
    assert all((out / e["output"]).exists() for e in entries)
    assert len(entries) == len(ids) == 4
    assert not list(out.rglob("*.tmp"))
    summary = run(opts)
    assert summary.exit_code == 0 and summary.counts["skipped"] == 4
    titles = sorted(r["metadata"]["title"] for r in _records(out))
    assert titles == sorted(f"Post number {i}" for i in range(9))  # each page exactly once


def test_full_out_while_appending_to_the_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cleaner.bulk import manifest as manifest_mod

    src, out = tmp_path / "src", tmp_path / "out"
    _pages(src, 5)
    opts = BulkOptions([str(src)], str(out), jobs=1, quiet=True)
    real_write = os.write
    calls = {"n": 0}

    def write(fd: int, data: Any) -> int:
        if os.readlink(f"/proc/self/fd/{fd}").endswith("manifest-all.jsonl"):
            calls["n"] += 1
            if calls["n"] == 3:  # the kernel takes part of the line, then the disk is full
                return real_write(fd, bytes(data)[: len(data) // 2])
            if calls["n"] > 3:
                raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    with monkeypatch.context() as m:
        m.setattr(manifest_mod.os, "write", write)
        summary = run(opts, engine=SerialEngine())
    assert summary.exit_code == 3 and summary.counts["ok"] == 2
    raw = (out / ".cleaner" / "manifest-all.jsonl").read_bytes()
    assert not raw.endswith(b"\n")  # a torn line, as a full disk leaves it
    assert len(_manifest_entries(out)) == 2
    summary = run(opts)
    assert summary.exit_code == 0
    assert summary.counts["skipped"] == 2 and summary.counts["ok"] == 3
    assert len(_manifest_entries(out)) == 5


def test_jsonl_record_with_a_lone_surrogate_is_written(tmp_path: Path) -> None:
    m = Manifest(tmp_path / "m.jsonl", cfg="c", out_dir=tmp_path)
    parts = PartWriter(tmp_path, tmp_path / "tmp", m, compress=False)
    parts.add({"id": "x", "text": "lone \ud800 surrogate"}, {"key": "k", "fp": "1", "status": "ok"})
    parts.commit()
    (line,) = (tmp_path / "part-00000.jsonl").read_bytes().splitlines()
    assert json.loads(line)["text"] == "lone \ud800 surrogate"


# -- signals -----------------------------------------------------------------------------------


def test_sigterm_with_per_file_outputs(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    _pages(src, 30)
    env = {**os.environ, FAULT_ENV: "sleep=0.05"}
    args = ["bulk", str(src), "-o", str(out), "-j", "1", "-q"]
    proc = subprocess.Popen([*CLEANER, *args], env=env, stderr=subprocess.DEVNULL)
    manifest = out / ".cleaner" / "manifest-all.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if manifest.exists() and manifest.read_bytes().count(b"\n") >= 3:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the run ended before it could be stopped"
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(30) == 130
    done = _manifest_entries(out)
    assert 0 < len(done) < 30
    assert all((out / e["output"]).exists() for e in done)
    assert not list(out.rglob("*.tmp")) and not list((out / ".cleaner").glob("tmp-*"))
    res = subprocess.run([*CLEANER, *args], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert len(_outputs(out)) == 30


def test_sigkill_every_few_seconds_still_finishes(tmp_path: Path) -> None:
    """Preemption without notice (the OOM killer, a spot instance): a soak killed with
    SIGKILL six times, 20-52 s apart, kept no work at all, since a 1,000-record part took
    53 s to fill and only SIGTERM closes the open part. Parts now close after --part-seconds
    too. Here each run is killed 1.2 s after its first page is done, on a slow input (0.25 s
    a page, 16 pages: 4 s of work), and the runs still get through, nothing lost, nothing
    twice. (Without the time limit no run would ever keep a page.)"""
    src, out = tmp_path / "src", tmp_path / "out"
    _pages(src, 16)
    env = {**os.environ, FAULT_ENV: "sleep=0.25"}
    args = ["bulk", str(src), "-o", str(out), "-j", "1", "-q", "--format", "jsonl"]
    args += ["--part-seconds", "0.5"]
    tmp = out / ".cleaner" / "tmp-all"
    kills = 0
    for _ in range(12):
        before = set(tmp.glob(".part-*")) if tmp.exists() else set()
        proc = subprocess.Popen([*CLEANER, *args], env=env, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120  # a guard against a hang, not a speed assertion
        while proc.poll() is None and time.monotonic() < deadline:
            if tmp.exists() and set(tmp.glob(".part-*")) - before:  # its first record is in
                break
            time.sleep(0.02)
        if proc.poll() is None:
            time.sleep(1.2)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)  # only the driver: its worker sees the pipe close
            proc.wait(30)
            kills += 1
            continue
        assert proc.returncode == 0
        break
    else:
        pytest.fail(f"still not finished after {kills} runs killed with SIGKILL")
    assert kills >= 2, "the runs ended before they could be killed: slow the pages down"
    recs = _records(out)
    assert sorted(r["metadata"]["title"] for r in recs) == sorted(
        f"Post number {i}" for i in range(16)
    )
    assert len({r["id"] for r in recs}) == 16


# -- gzip bombs and oversize records -----------------------------------------------------------

_BOUNDED = r"""
import json, resource, sys
from cleaner.bulk import discovery, warc
from cleaner.bulk.discovery import discover, plan_sources
discovery.MAX_PAGE_BYTES = warc.MAX_BLOCK = 2**20  # a 1 MiB page limit, 256 MiB bombs
src, out = sys.argv[1], sys.argv[2]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
items = [
    [type(i).__name__, i.input, getattr(i, "status", ""), getattr(i, "error", "")]
    for i in discover(plan_sources([src], out), out)
]
grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"items": items, "grew_kb": grew}))
"""


def test_gzip_bombs_in_containers_are_read_in_bounded_memory(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    size = 256 * 2**20
    good = json.dumps({"url": "https://a.example/ok", "html": page("After The Bomb")}).encode()
    # JSONL.gz: a first record that never ends, then a good one
    (src / "bomb.jsonl.gz").write_bytes(
        _bomb(b'{"url": "https://a.example/bomb", "html": "', size, suffix=b'"}\n' + good + b"\n")
    )
    # WARC.gz: a header line that never ends
    (src / "header.warc.gz").write_bytes(_bomb(b"WARC/1.0\r\nWARC-Type: ", size))
    # WARC.gz: a huge record (its Content-Length is honest), then a good record
    ok_record = warc_record(
        "response", "https://w.example/ok", http(page("Warc Ok").encode()), "ok"
    )
    head = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:big>\r\n"
        b"Content-Length: %d\r\n\r\n" % (len(http(b"")) + size)
    ) + http(b"")
    (src / "big.warc.gz").write_bytes(_bomb(head, size, suffix=b"\r\n\r\n" + ok_record))
    # WARC: a small record whose HTTP body is a gzip bomb (Content-Encoding: gzip)
    squeeze = zlib.compressobj(1, zlib.DEFLATED, 31)  # one gzip member of 16 MiB
    body = b"".join(squeeze.compress(b"<p>" + b"a" * 2**20) for _ in range(16)) + squeeze.flush()
    block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n" + body
    (src / "encoded.warc").write_bytes(warc_record("response", "https://e.example/", block, "enc"))
    # bombs of blank lines: a billion readline calls would take minutes, not memory
    newlines = gzip.compress(b"\n" * 2**20, 9) * 1024  # 1 GiB of newlines
    (src / "newlines.jsonl.gz").write_bytes(gzip.compress(good + b"\n") + newlines)
    (src / "newlines.warc.gz").write_bytes(gzip.compress(ok_record) + newlines)
    res = subprocess.run(
        [sys.executable, "-c", _BOUNDED, str(src), str(tmp_path / "out")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    data = json.loads(res.stdout)
    assert data["grew_kb"] < 64 * 1024, data["grew_kb"]  # each bomb unpacks to 256 MiB
    found = {
        os.path.relpath(i, src): f"{status}: {error}"
        for kind, i, status, error in data["items"]
        if kind == "Finding"
    }
    tasks = [os.path.relpath(i, src) for kind, i, _, _ in data["items"] if kind == "Task"]
    assert found == {
        "bomb.jsonl.gz:1": "failed: line over the 1 MiB limit; not read",
        "header.warc.gz": "failed: WARC header line over 64 KiB in the record at byte 0",
        "big.warc.gz#<urn:uuid:big>": "failed: record of 256 MiB, over the 1 MiB limit for a page; not read",
        "encoded.warc#<urn:uuid:enc>": "failed: gzip HTTP body unpacks to more than 1 MiB (a gzip bomb?), not read",
        "newlines.jsonl.gz:100002": "failed: over 100000 blank lines in a row; the rest of the file is not read",
        "newlines.warc.gz": f"failed: over 1000 blank lines at byte {len(ok_record) + 999}",
    }
    assert sorted(tasks) == [
        "big.warc.gz#<urn:uuid:ok>", "bomb.jsonl.gz:2", "newlines.jsonl.gz:1",
        "newlines.warc.gz#<urn:uuid:ok>",
    ]  # fmt: skip


def test_gzip_bomb_page_and_oversize_file_fail_and_the_run_goes_on(tmp_path: Path) -> None:
    src, out, rep = tmp_path / "src", tmp_path / "out", tmp_path / "r.json"
    _pages(src, 2)
    squeeze = zlib.compressobj(1, zlib.DEFLATED, 31)  # one gzip member of 128 MiB
    chunk = b"<p>" + b"a" * (2**20 - 3)
    bomb = b"".join(squeeze.compress(chunk) for _ in range(128)) + squeeze.flush()
    (src / "bomb.html.gz").write_bytes(bomb)
    (src / "huge.html").write_bytes(b"<html><body><p>" + b"word " * (13 * 2**20))  # 65 MiB
    summary = run(BulkOptions([str(src)], str(out), jobs=1, quiet=True, report=str(rep)))
    assert summary.exit_code == 1
    files = _by_input(_report(rep), src)
    assert files["bomb.html.gz"]["status"] == "failed"
    assert "gzip" in files["bomb.html.gz"]["error"] and "limit" in files["bomb.html.gz"]["error"]
    assert files["huge.html"] == {
        "input": str(src / "huge.html"), "status": "failed", "output": None,
        "error": "file over the 64 MiB limit for a page; not read",
    }  # fmt: skip
    assert files["post-00"]["status"] == files["post-01"]["status"] == "ok"


def test_size_limits_reach_the_workers(tmp_path: Path) -> None:
    """--max-bytes / --max-elements are the cleaner's limits in every worker: a page over
    one fails with the cleaner's message, and a rerun with the limit lifted cleans it."""
    src, out, rep = tmp_path / "src", tmp_path / "out", tmp_path / "r.json"
    _pages(src, 1)
    small = run(
        BulkOptions([str(src)], str(out), jobs=1, quiet=True, report=str(rep), max_elements=5)
    )
    assert small.exit_code == 1
    entry = _by_input(_report(rep), src)["post-00"]
    assert entry["status"] == "failed" and "elements" in entry["error"]
    again = run(
        BulkOptions([str(src)], str(out), jobs=1, quiet=True, report=str(rep), max_elements=None)
    )
    assert again.exit_code == 0
    assert _by_input(_report(rep), src)["post-00"]["status"] == "ok"


def test_page_over_max_bytes_is_failed_not_done_and_a_higher_limit_cleans_it(
    tmp_path: Path,
) -> None:
    """A page over --max-bytes is a page, not "no page": `failed` (exit 1), never recorded as
    done, so the same run again retries it and a run with the limit raised cleans it. (It
    was `ignored`, exit 0, and the manifest kept it done for good.) An `ignored` entry of an
    older version, which has no reason, is redone too."""
    src, out, rep = tmp_path / "src", tmp_path / "out", tmp_path / "r.json"
    _pages(src, 1)
    (src / "huge.html").write_text(page("Huge Post", head="<!-- pad -->" * 3000), "utf-8")
    limited = BulkOptions([str(src)], str(out), quiet=True, report=str(rep), max_bytes=20_000)
    for _ in range(2):  # the second run retries it: not skipped
        summary = run(limited, engine=SerialEngine())
        assert summary.exit_code == 1
        huge = _by_input(_report(rep), src)["huge.html"]
        assert huge["status"] == "failed", huge
        assert "over the limit of 20,000; raise max_bytes (--max-bytes)" in huge["error"]
    assert not any(e["key"] == "huge.html" for e in _manifest_entries(out))
    lifted = BulkOptions([str(src)], str(out), quiet=True, report=str(rep), max_bytes=None)
    assert run(lifted, engine=SerialEngine()).exit_code == 0
    files = _by_input(_report(rep), src)
    assert files["huge.html"]["status"] == "ok" and files["post-00"]["status"] == "skipped"
    assert "Huge Post" in (out / "huge.html.txt").read_text("utf-8")
    # what an older version left: the page `ignored`, without a reason, and its output gone
    cfg = _manifest_entries(out)[0]["cfg"]
    fp = next(e["fp"] for e in _manifest_entries(out) if e["key"] == "huge.html")
    legacy = {"key": "huge.html", "fp": fp, "status": "ignored", "output": None, "cfg": cfg}
    (out / "huge.html.txt").unlink()
    with open(out / ".cleaner" / "manifest-all.jsonl", "a") as fh:
        fh.write(json.dumps(legacy) + "\n")
    assert run(lifted, engine=SerialEngine()).exit_code == 0
    assert _by_input(_report(rep), src)["huge.html"]["status"] == "ok"


def test_ignored_pages_keep_their_reason_in_the_manifest(tmp_path: Path) -> None:
    """A record labelled HTML whose body is an image: the worker finds it is no page, and the
    manifest keeps it done with that reason (so the next run skips it)."""
    crawl, out, rep = tmp_path / "crawl.warc", tmp_path / "out", tmp_path / "r.json"
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    crawl.write_bytes(warc_record("response", "https://i.example/a", http(png), "img"))
    opts = BulkOptions([str(crawl)], str(out), quiet=True, report=str(rep))
    assert run(opts, engine=SerialEngine()).exit_code == 0
    (entry,) = _manifest_entries(out)
    assert entry["status"] == "ignored" and entry["error"] == "page is a PNG image, not HTML or text"
    run(opts, engine=SerialEngine())
    assert [f["status"] for f in _report(rep)["files"]] == ["skipped"]


# -- names from URLs ---------------------------------------------------------------------------

HOSTILE_URLS = [
    "../x",
    "../../etc/x",
    "/etc/passwd",
    "file:///etc/passwd",
    "C:\\Windows\\system32\\x",
    "\\\\server\\share\\x",
    "http://a.example/\x00nul",
    "http://a.example/" + "long-" * 400,
    ".",
    "..",
    "",
    "CON",
    "aux.txt",
    "http://a.example/%2e%2e/%2e%2e/x",
    "http://a.example/\u202e\u2215..\u2215x",  # right-to-left override, division slash
    "http://a.example/\uff0e\uff0e\uff0fx",  # fullwidth ../
    "http://a.example/caf\u00e9",
    "http://a.example/cafe\u0301",  # the same word, decomposed
    "http://a.example/a/b",
    "http://a.example/a_b",  # slugs alike
    "http://A.example/a/b",  # differs only by case
]


def _hostile_inputs(src: Path) -> int:
    src.mkdir()
    records = []
    for i, url in enumerate(HOSTILE_URLS):
        body = http(page(f"Hostile {i}").encode())
        uri = url.replace("\r", "").replace("\n", "")
        records.append(warc_record("response", uri, body, f"h{i}"))
    (src / "crawl.warc").write_bytes(b"".join(records))
    lines = [
        json.dumps({"url": u, "html": page(f"Hostile line {i}")})
        for i, u in enumerate(HOSTILE_URLS)
    ]
    (src / "pages.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 2 * len(HOSTILE_URLS)


def test_names_from_urls_stay_inside_out_and_stay_distinct(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    n = _hostile_inputs(src)
    tasks = [
        i for i in discover(plan_sources([str(src)], str(out)), str(out)) if isinstance(i, Task)
    ]
    again = [
        i.rel for i in discover(plan_sources([str(src)], str(out)), str(out)) if isinstance(i, Task)
    ]
    assert len(tasks) == n
    assert [t.rel for t in tasks] == again  # deterministic
    for fmt in ("txt", "json"):
        names = [output_name(t.rel, fmt) for t in tasks]
        assert len(set(names)) == n  # distinct
        root = os.path.realpath(out)
        for name in names:
            assert "\x00" not in name and "\\" not in name
            parts = name.split("/")
            assert all(p not in ("", ".", "..") and len(p.encode()) <= 255 for p in parts), name
            assert os.path.realpath(os.path.join(root, name)).startswith(root + os.sep), name
    summary = run(BulkOptions([str(src)], str(out), jobs=1, quiet=True))
    assert summary.exit_code == 0 and summary.counts["ok"] == n
    written = _outputs(out)
    assert len(written) == n
    root = out.resolve()
    for p in written:
        assert p.resolve().is_relative_to(root), p
    assert not (tmp_path / "etc").exists() and not list(tmp_path.glob("*.txt"))


# -- malformed JSONL and WARC ------------------------------------------------------------------


def test_malformed_jsonl_lines_are_reported_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "pages.jsonl"
    lines = [
        json.dumps({"url": "https://a.example/1", "html": page("First Line")}),
        "{not json",
        json.dumps({"url": "https://a.example/3", "body": "no html field"}),
        json.dumps({"url": "https://a.example/4", "html": 42}),
        json.dumps({"url": "https://a.example/5", "html": ["<p>", "</p>"]}),
        json.dumps({"url": "https://a.example/6", "html": None}),
        json.dumps(["an", "array"]),
        "[" * 100_000 + "]" * 100_000,  # nested past the JSON parser's recursion limit
        json.dumps({"url": 7, "html": page("Url Not A String")}),
        json.dumps({"url": "https://a.example/\ud800", "html": "<p>lone \ud800 surrogate</p>"}),
        json.dumps({"url": "https://a.example/11", "html": page("Last Line")}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(discover(plan_sources([str(path)], str(tmp_path / "out")), str(tmp_path / "o")))
    found = {
        i.input.rsplit(":", 1)[1]: f"{i.status}: {i.error}" for i in items if isinstance(i, Finding)
    }
    assert found["2"].startswith("failed: not a JSON object (Expecting property name")
    assert found["3"] == "ignored: no 'html' text in the record"
    assert found["4"] == "failed: 'html' is a JSON number, not text"
    assert found["5"] == "failed: 'html' is a JSON array, not text"
    assert found["6"] == "ignored: no 'html' text in the record"
    assert found["7"] == "failed: not a JSON object"
    assert found["8"] == "failed: not a JSON object (nested too deeply)"
    assert len(found) == 7
    tasks = {t.key.rsplit(":", 1)[1]: t for t in items if isinstance(t, Task)}
    assert sorted(tasks, key=int) == ["1", "9", "10", "11"]
    assert tasks["9"].url is None  # a URL that is not a string is dropped, the page kept
    # the whole file through a run: the bad lines do not stop the good ones
    rep = tmp_path / "r.json"
    summary = run(
        BulkOptions(
            [str(path)], str(tmp_path / "out"), jobs=1, quiet=True, report=str(rep), fmt="jsonl"
        )
    )
    assert summary.exit_code == 1
    counts = _report(rep)["counts"]
    assert counts["failed"] >= 5 and counts["ok"] >= 3
    titles = {r["metadata"]["title"] for r in _records(tmp_path / "out")}
    assert {"First Line", "Url Not A String", "Last Line"} <= titles


def test_truncated_warcs_keep_their_complete_records(tmp_path: Path) -> None:
    records = [
        warc_record(
            "response", f"https://t.example/{i}", http(page(f"Trunc {i}").encode()), f"t{i}"
        )
        for i in range(3)
    ]
    whole = b"".join(records)
    cut = len(records[0]) + len(records[1]) + 200  # in the middle of the third record
    (tmp_path / "cut.warc").write_bytes(whole[:cut])
    gz = b"".join(gzip.compress(r) for r in records)
    (tmp_path / "cut.warc.gz").write_bytes(gz[: len(gz) - 50])
    for name, complete in (("cut.warc", 2), ("cut.warc.gz", 2)):
        items = list(
            discover(plan_sources([str(tmp_path / name)], str(tmp_path / "o")), str(tmp_path / "o"))
        )
        tasks = [i for i in items if isinstance(i, Task)]
        (finding,) = [i for i in items if isinstance(i, Finding)]
        assert len(tasks) == complete, name
        assert finding.input == str(tmp_path / name) and finding.status == "failed"
        if name == "cut.warc":
            assert finding.error.startswith(f"truncated WARC record at byte {cut - 200} (")
        else:  # the byte where the unpacked WARC ends, in the third record
            start = len(records[0]) + len(records[1])
            last = gzip.compress(records[2])
            unpacked = len(zlib.decompressobj(31).decompress(last[:-50]))
            assert finding.error.startswith(
                f"truncated gzip data at byte {start + unpacked} of the unpacked WARC, inside "
                f"the record at byte {start} (Compressed file ended"
            ), finding.error


def test_revisit_records_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    page_rec = warc_record("response", "https://r.example/", http(page("Original").encode()), "r1")
    revisit = warc_record(
        "revisit", "https://r.example/", b"HTTP/1.1 200 OK\r\n\r\n", "r2"
    ).replace(b"WARC-Date", b"WARC-Refers-To: <urn:uuid:r1>\r\nWARC-Date")
    request = warc_record("request", "https://r.example/", b"GET / HTTP/1.1\r\n\r\n", "r0")
    path.write_bytes(request + page_rec + revisit)
    found = _findings([path], tmp_path / "out")
    assert found == {
        "crawl.warc#<urn:uuid:r2>": "ignored: revisit record (repeats an earlier capture)",
        "crawl.warc#<urn:uuid:r0>": "ignored: request record: what the crawler sent, not a page",
    }


def test_out_that_cannot_be_written_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from cleaner.cli import app

    src, out = tmp_path / "src", tmp_path / "out"
    _pages(src, 1)
    real_mkdir = Path.mkdir

    def mkdir(self: Path, *args: Any, **kw: Any) -> None:
        if str(self).startswith(str(out)):
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        real_mkdir(self, *args, **kw)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    res = CliRunner().invoke(app, ["bulk", str(src), "-o", str(out), "-q"])
    assert res.exit_code == 3
    assert res.stderr.strip() == f"cleaner: {out / '.cleaner'}: Read-only file system"
