#!/usr/bin/env python3
"""Hostile input: what ``clean()`` does with each case of tests/_hostile.py, and what it costs.

Each case runs in a fresh child process (so a hang is cut off and the peak RSS is that case's
own), with a wall-clock limit. The table gives the case, its outcome (``result`` and the
number of blocks, or the error class and its message), the seconds ``clean()`` took (building
the input not counted), and the child's peak RSS (the interpreter with lxml and trafilatura
loaded is about 100 MB of it).

Usage: ``python benchmarks/hostile.py [--timeout S] [--only NAME ...] [--markdown]``
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r}); sys.path.insert(0, {tests!r})
import _hostile
from cleaner import CleanerError, clean
import cleaner.pipeline, lxml.html, trafilatura, bs4  # loaded before the clock starts
name = {name!r}
build = _hostile.CASES[name][0] if name in _hostile.CASES else _hostile.soup_cases()[name]
source = build()
clean("<html><body><p>warm up</p></body></html>")
t = time.perf_counter()
try:
    res = clean(source)
    outcome = "result: %d blocks, %d chars" % (len(res.blocks), len(res.text))
except CleanerError as exc:
    outcome = "%s: %s" % (type(exc).__name__, exc)
except BaseException as exc:
    outcome = "ESCAPED %s: %s" % (type(exc).__name__, str(exc)[:200])
secs = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"outcome": outcome, "seconds": secs, "rss": rss}}))
"""


def run_case(name: str, timeout: float) -> dict[str, object]:
    code = _CHILD.format(root=str(ROOT), tests=str(ROOT / "tests"), name=name)
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {"outcome": f"HANG (killed after {timeout:.0f} s)", "seconds": None, "rss": None}
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return {
            "outcome": f"CRASH (exit {proc.returncode}): {tail[:150]}",
            "seconds": time.perf_counter() - start,
            "rss": None,
        }
    return dict(json.loads(lines[-1]))


def main() -> int:
    import _hostile

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per case")
    ap.add_argument("--only", nargs="*", help="these cases only")
    ap.add_argument("--markdown", action="store_true", help="a Markdown table")
    args = ap.parse_args()

    described = {name: what for name, (_, what) in _hostile.CASES.items()}
    described.update({name: "" for name in _hostile.soup_cases()})
    names = args.only or list(described)
    rows = []
    for name in names:
        row = run_case(name, args.timeout)
        rows.append((name, described.get(name, ""), row))
        secs = "-" if row["seconds"] is None else f"{row['seconds']:.2f}"
        rss = "-" if row["rss"] is None else f"{row['rss']:.0f}"
        if not args.markdown:
            print(f"{name:26} {secs:>7} s {rss:>6} MB  {row['outcome']}", flush=True)
    if args.markdown:
        print("| case | input | outcome | seconds | peak RSS (MB) |")
        print("|---|---|---|---:|---:|")
        for name, what, row in rows:
            secs = "-" if row["seconds"] is None else f"{row['seconds']:.2f}"
            rss = "-" if row["rss"] is None else f"{row['rss']:.0f}"
            outcome = str(row["outcome"]).replace("|", "\\|")
            print(f"| {name} | {what} | {outcome} | {secs} | {rss} |")
    bad = [n for n, _, r in rows if str(r["outcome"]).startswith(("ESCAPED", "HANG", "CRASH"))]
    if bad:
        print(f"\n{len(bad)} case(s) escaped, hung or crashed: {', '.join(bad)}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
