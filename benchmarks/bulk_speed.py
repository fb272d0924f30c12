#!/usr/bin/env python3
"""Speed and memory of ``cleaner bulk`` on a generated crawl.

The crawl replicates the 181 dev-set pages (``../shared/datasets/scrapinghub/html``) into a
wget-like tree, each copy perturbed (a different first paragraph and a comment) so no two
pages are identical, some copies gzipped, names without extensions.

Measures, in one run:

1. pages/s of ``--jobs 1`` and ``--jobs 2`` on the same ``--pages`` pages (default 1,000),
   and their ratio (target: jobs 2 at least 1.8x jobs 1). Wall time of the whole run,
   worker start-up included.
2. resident memory of one worker (``--jobs 1``) over ``--mem-pages`` pages (default 5,000):
   peak (``ru_maxrss``) and current RSS after its 1,000th page and after its last
   (target: peak no higher at the end than after 1,000). ``--control`` repeats it with
   trafilatura's cache reset turned off, to show what the reset buys.

Other processes on the machine depress the ratio: the cores they used during each run
(from /proc/stat, minus our own CPU time) are printed with it.

Usage: ``python benchmarks/bulk_speed.py [--pages 1000] [--rounds 1] [--mem-pages 5000]
[--control] [--skip-speed] [--skip-memory]``. On a shared machine, ``--rounds 3`` repeats the
speed pair so one round with little interference can be read.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "datasets" / "scrapinghub" / "html"


def make_crawl(dest: Path, pages: int) -> None:
    sources = sorted(DATA.glob("*.html.gz"))
    originals = [gzip.decompress(p.read_bytes()) for p in sources]
    for i in range(pages):
        base = originals[i % len(originals)]
        copy = i // len(originals)
        html = re.sub(
            rb"<p([ >])",
            b"<p\\1Copy %d of this page, kept for the benchmark. " % copy,
            base,
            count=1,
        )
        html = html.replace(b"</body>", b"<!-- copy %d --></body>" % copy, 1)
        target = dest / f"site-{i % 7}" / f"{copy:03d}" / f"{sources[i % len(sources)].name[:16]}"
        target.parent.mkdir(parents=True, exist_ok=True)
        if i % 5 == 0:
            target.with_name(target.name + ".gz").write_bytes(gzip.compress(html, 1))
        else:
            target.write_bytes(html)


def _busy_core_seconds() -> float:
    """Core-seconds the whole machine has spent busy since boot (/proc/stat)."""
    with open("/proc/stat") as fh:
        fields = [int(x) for x in fh.readline().split()[1:]]
    busy = sum(fields) - fields[3] - fields[4]  # minus idle and iowait
    return busy / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def timed_run(
    src: Path, out: Path, jobs: int, **extra: object
) -> tuple[float, dict[str, int], float, float]:
    """Wall seconds, counts, our CPU seconds, and the cores other processes used meanwhile."""
    from cleaner.bulk import BulkOptions, run

    opts = BulkOptions(sources=[str(src)], out=str(out), jobs=jobs, quiet=True, **extra)  # type: ignore[arg-type]
    busy0, own0 = _busy_core_seconds(), _own_cpu()
    start = time.perf_counter()
    summary = run(opts)
    wall = time.perf_counter() - start
    own = _own_cpu() - own0
    others = max(0.0, _busy_core_seconds() - busy0 - own) / wall
    return wall, summary.counts, own, others


class _Watch:
    """An engine wrapper recording one worker's memory as it goes."""

    def __init__(self, inner: object, marks: Iterable[int]) -> None:
        self.inner = inner
        self.marks = set(marks)
        self.seen: dict[int, int] = {}
        self.at: dict[int, tuple[int, int]] = {}
        self.last: tuple[int, int, int] = (0, 0, 0)

    def run(self, tasks: Iterable[object], worker: object) -> Iterator[tuple[object, object]]:
        for task, outcome in self.inner.run(tasks, worker):  # type: ignore[attr-defined]
            n = self.seen[outcome.worker] = self.seen.get(outcome.worker, 0) + 1
            if n in self.marks:
                self.at[n] = (outcome.peak_rss_kb, outcome.rss_kb)
            self.last = (n, outcome.peak_rss_kb, outcome.rss_kb)
            yield task, outcome


def memory_run(src: Path, out: Path, pages: int, reset_every: int) -> _Watch:
    from cleaner.bulk import BulkOptions, run
    from cleaner.bulk.engine import LocalEngine

    watch = _Watch(LocalEngine(1, 60.0), [1000, pages])
    opts = BulkOptions(
        sources=[str(src)], out=str(out), jobs=1, quiet=True, reset_every=reset_every
    )
    run(opts, engine=watch)  # type: ignore[arg-type]
    return watch


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--mem-pages", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=1, help="repeat the jobs 1 / jobs 2 pair")
    ap.add_argument("--control", action="store_true", help="also run without cache resets")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--skip-memory", action="store_true")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="bulk-bench-") as tmp:
        t = Path(tmp)
        if not args.skip_speed:
            make_crawl(t / "crawl", args.pages)
            print(f"crawl: {args.pages} pages; load average before: {os.getloadavg()}")
            for round_ in range(1, args.rounds + 1):
                rates, busy = {}, {}
                for jobs in (1, 2):
                    out = t / f"out-{round_}-{jobs}"
                    secs, counts, own, others = timed_run(t / "crawl", out, jobs)
                    done = counts["ok"] + counts["empty"]
                    rates[jobs], busy[jobs] = done / secs, others
                    print(
                        f"--jobs {jobs}: {done} pages in {secs:.1f} s = {rates[jobs]:.1f} pages/s "
                        f"(failed {counts['failed']}, timeout {counts['timeout']}); our CPU "
                        f"{own / done * 1000:.0f} ms/page; other processes used {others:.2f} of "
                        f"{os.cpu_count()} cores meanwhile"
                    )
                    shutil.rmtree(out)
                print(
                    f"round {round_}: speed-up jobs 2 / jobs 1: {rates[2] / rates[1]:.2f}x "
                    f"(target >= 1.8x; other processes took {busy[1]:.2f} and {busy[2]:.2f} cores)"
                )
        if not args.skip_memory:
            make_crawl(t / "mem", args.mem_pages)
            variants = [("reset every 500 pages", 500)]
            if args.control:
                variants.append(("no cache reset (control)", 0))
            for name, reset in variants:
                watch = memory_run(t / "mem", t / f"mem-out-{reset}", args.mem_pages, reset)
                p1, c1 = watch.at.get(1000, (0, 0))
                n, pe, ce = watch.last
                print(
                    f"memory, one worker, {name}: after 1,000 pages peak {p1 / 1024:.0f} MiB "
                    f"(current {c1 / 1024:.0f}); after {n:,} pages peak {pe / 1024:.0f} MiB "
                    f"(current {ce / 1024:.0f}); growth of the peak {(pe - p1) / 1024:+.0f} MiB"
                )


if __name__ == "__main__":
    main()
