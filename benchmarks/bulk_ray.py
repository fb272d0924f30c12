#!/usr/bin/env python3
"""pages/s of ``cleaner bulk --engine ray`` against the local engine, in one run.

The crawl is the one of ``bulk_speed.py`` (dev-set pages replicated and perturbed). Each round
runs, on the same pages into fresh OUTs, alternately so that other processes on the machine
weigh on both alike:

- ``local``: ``--engine local --jobs J`` (worker start-up included);
- ``ray (up)``: ``--engine ray --jobs J`` on a local Ray started before the round (as a library
  caller or a long-lived cluster would have it; the workers' set-up is included);
- ``ray (cold)``: ``--engine ray --jobs J`` as the command line runs it: the engine starts its
  own local Ray and shuts it down, both inside the timing.

It prints pages/s per run and the cores the whole machine was busy meanwhile (/proc/stat; our
own processes included, Ray's too), and checks that both engines wrote the same outputs.

Usage: ``python benchmarks/bulk_ray.py [--pages 400] [--jobs 2] [--rounds 2]``
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bulk_speed import _busy_core_seconds, make_crawl  # noqa: E402


def timed(src: Path, out: Path, jobs: int, engine: str) -> tuple[float, int, float]:
    """Wall seconds, pages done (ok + empty), and the machine's busy cores meanwhile."""
    from cleaner.bulk import BulkOptions, run

    opts = BulkOptions(sources=[str(src)], out=str(out), jobs=jobs, quiet=True, engine=engine)
    busy0, start = _busy_core_seconds(), time.perf_counter()
    summary = run(opts)
    wall = time.perf_counter() - start
    busy = (_busy_core_seconds() - busy0) / wall
    assert summary.counts["failed"] == summary.counts["timeout"] == 0, summary.counts
    return wall, summary.counts["ok"] + summary.counts["empty"], busy


def slug(name: str) -> str:
    return "".join(c for c in name if c.isalnum())


def tree(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file() and ".cleaner" not in p.parts
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=400)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    import ray

    from cleaner.bulk.ray_engine import start_ray

    rates: dict[str, list[float]] = {"local": [], "ray (up)": [], "ray (cold)": []}
    with tempfile.TemporaryDirectory(prefix="bulk-ray-bench-") as tmp:
        t = Path(tmp)
        make_crawl(t / "crawl", args.pages)
        print(f"crawl: {args.pages} pages, --jobs {args.jobs}; load average {os.getloadavg()}")
        for r in range(args.rounds):
            for name in rates:
                out = t / f"out-{r}-{slug(name)}"
                up = 0.0
                if name == "ray (up)":
                    t0 = time.perf_counter()
                    start_ray(jobs=args.jobs)
                    up = time.perf_counter() - t0
                try:
                    secs, done, busy = timed(t / "crawl", out, args.jobs, name.split()[0])
                finally:
                    if name == "ray (up)":
                        ray.shutdown()
                rates[name].append(done / secs)
                extra = f"; Ray start-up before it {up:.1f} s" if up else ""
                print(
                    f"round {r + 1} {name:10s}: {done} pages in {secs:5.1f} s = "
                    f"{done / secs:5.1f} pages/s (machine busy {busy:.2f} of "
                    f"{os.cpu_count()} cores{extra})"
                )
            local = tree(t / f"out-{r}-local")
            same = bool(local) and all(tree(t / f"out-{r}-{slug(k)}") == local for k in rates)
            print(f"round {r + 1}: outputs identical across engines: {same}")
    best = {k: max(v) for k, v in rates.items()}
    for name in ("ray (up)", "ray (cold)"):
        print(f"best {name} / best local: {best[name] / best['local']:.2f}x")


if __name__ == "__main__":
    main()
