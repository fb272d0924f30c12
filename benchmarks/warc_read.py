#!/usr/bin/env python3
"""How fast ``cleaner bulk`` reads WARC files: records/s of discovery, no cleaning.

Writes a synthetic crawl of ``--captures`` captures (default 1,000) as a WARC, plain and
gzipped per record (the usual ``.warc.gz``). Each capture is what Heritrix writes: a request
record, a response record (HTTP headers and one of the 181 scrapinghub dev-set pages, so
bodies are real pages of 170 KB on average; one response in five gzip Content-Encoded) and a
metadata record; one warcinfo record leads. Then it times
:func:`cleaner.bulk.discovery.discover` over each file: every record read, classified and,
for pages, turned into a task (body hashed, output name built); that is all the driver does
with a WARC before the workers clean. Each figure is the best of ``--rounds`` (default 3), in
wall time and in CPU time (steadier on a shared machine).

Run it with another checkout's code to compare (the script only uses ``discover``, which
every version has)::

    .venv/bin/python benchmarks/warc_read.py
    PYTHONPATH=../main .venv/bin/python benchmarks/warc_read.py   # the lead's checkout

It prints which ``cleaner`` it imported.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "datasets" / "scrapinghub" / "html"


def _record(kind: str, uri: str, block: bytes, ctype: str) -> bytes:
    head = (
        "WARC/1.0\r\n"
        f"WARC-Type: {kind}\r\n"
        f"WARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
        "WARC-Date: 2024-03-01T12:00:00Z\r\n"
        f"WARC-Target-URI: {uri}\r\n"
        f"Content-Type: {ctype}\r\n"
        f"Content-Length: {len(block)}\r\n\r\n"
    )
    return head.encode() + block + b"\r\n\r\n"


def make_warc(path: Path, captures: int, *, gz: bool) -> tuple[int, int]:
    """Write the synthetic WARC; returns (records, uncompressed bytes)."""
    pages = [gzip.decompress(p.read_bytes()) for p in sorted(DATA.glob("*.html.gz"))]
    if not pages:
        sys.exit(f"no pages under {DATA}")
    n = size = 0
    with open(path, "wb") as fh:

        def put(rec: bytes) -> None:
            nonlocal n, size
            n += 1
            size += len(rec)
            fh.write(gzip.compress(rec, 1) if gz else rec)

        put(_record("warcinfo", "", b"software: warc_read.py\r\n", "application/warc-fields"))
        for i in range(captures):
            uri = f"https://blog{i % 13}.example.com/{i // 13}/post-{i}/"
            body = pages[i % len(pages)].replace(b"</body>", b"<!-- %d --></body>" % i, 1)
            headers = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            if i % 5 == 0:
                body = gzip.compress(body, 6)
                headers += "Content-Encoding: gzip\r\n"
            headers += f"Content-Length: {len(body)}\r\n\r\n"
            request = f"GET /{i} HTTP/1.1\r\nHost: blog{i % 13}.example.com\r\n\r\n".encode()
            put(_record("request", uri, request, "application/http; msgtype=request"))
            response = headers.encode() + body
            put(_record("response", uri, response, "application/http; msgtype=response"))
            outlinks = f"outlink: {uri}next L a/@href\r\n".encode() * 20
            put(_record("metadata", uri, outlinks, "application/warc-fields"))
    return n, size


def time_discovery(path: Path, rounds: int) -> tuple[float, float, int, int]:
    """Best wall and CPU seconds of ``rounds`` discoveries; tasks and findings of the last.
    CPU time moves less than wall time when other processes share the cores."""
    from cleaner.bulk.discovery import Task, discover, plan_sources

    best = best_cpu = float("inf")
    tasks = findings = 0
    for _ in range(rounds):
        out = str(path.parent / "out")
        start, cpu = time.perf_counter(), time.process_time()
        items = list(discover(plan_sources([str(path)], out), out))
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        tasks = sum(isinstance(i, Task) for i in items)
        findings = len(items) - tasks
    return best, best_cpu, tasks, findings


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--captures", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    import cleaner

    print(f"cleaner from {Path(cleaner.__file__).parent}")
    with tempfile.TemporaryDirectory(prefix="warc-bench-") as tmp:
        for gz in (False, True):
            path = Path(tmp) / ("crawl.warc.gz" if gz else "crawl.warc")
            records, size = make_warc(path, args.captures, gz=gz)
            secs, cpu, tasks, findings = time_discovery(path, args.rounds)
            print(
                f"{path.name}: {records} records ({size / 2**20:.0f} MiB unpacked, "
                f"{path.stat().st_size / 2**20:.0f} MiB on disk) in {secs:.2f} s = "
                f"{records / secs:,.0f} records/s, {tasks / secs:,.0f} pages/s, "
                f"{size / 2**20 / secs:.0f} MiB/s; {records / cpu:,.0f} records per CPU "
                f"second ({tasks} tasks, {findings} findings)"
            )
            path.unlink()


if __name__ == "__main__":
    main()
