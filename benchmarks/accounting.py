#!/usr/bin/env python3
"""The accounting invariant, checked on the dev sets: every prose run of a page is in
``clean()``'s output or in one of its removals.

A prose run is what :func:`cleaner.account.prose_runs` calls one (a ``<p>`` of at least
:data:`cleaner.dom.PROSE_RUN` characters, or a run of text that long wherever it sits), read
here from the page **as given**, before any rule prunes it: so a run that a DOM rule, the
walker, the ladder, a text rule or the revisions took out must be in that removal's text, and
one outside the chosen article in a ``builtin:outside`` removal. A run is found as
:class:`cleaner.account.Known` finds it in the title, the article's text and the removals'
texts: by its first and last characters, by most of its word pairs (a paragraph may leave in
pieces, its "Posted in ..." span by one rule and its "Tagged ..." span by another), or whole
once white space is taken out (a removal's text may space inline elements apart).

Prints, per set, the pages checked, the runs, and the pages where a run is unaccounted
(the invariant's target: 0), with the first few failures::

    python benchmarks/accounting.py [--data scrapinghub,wcxb-dev,wcxb-dev-other|DIR,...]
                                    [--limit N] [--show N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATASETS = ROOT.parent / "shared" / "datasets"
SETS = {name: DATASETS / name for name in ("scrapinghub", "wcxb-dev", "wcxb-dev-other")}


def check(html: str, url: str | None = None) -> tuple[int, list[str]]:
    """How many prose runs ``html`` has, and those that ``clean()`` neither keeps nor removes
    with a reason (:func:`cleaner.account.audit`; none for a page read as text)."""
    from cleaner import clean
    from cleaner.account import audit
    from cleaner.parse import parse_html

    result = clean(html, url=url)
    if result.input_kind != "html":
        return 0, []
    runs, lost = audit(parse_html(html), result)
    return len(runs), lost


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=",".join(SETS))
    ap.add_argument("--limit", type=int, default=0, help="the first N pages of each set")
    ap.add_argument("--show", type=int, default=5, help="failures printed per set")
    args = ap.parse_args(argv)
    failed_sets = 0
    for name in args.data.split(","):
        path = SETS.get(name, Path(name))
        truth = json.loads((path / "ground-truth.json").read_text())
        pids = sorted(truth)[: args.limit or None]
        pages = runs_total = 0
        failures: list[tuple[str, str]] = []
        t0 = time.perf_counter()
        for pid in pids:
            html = gzip.open(path / "html" / f"{pid}.html.gz").read().decode("utf-8", "replace")
            runs, lost = check(html, truth[pid].get("url") or None)
            pages += 1
            runs_total += runs
            failures += [(pid, run) for run in lost]
        bad = len({pid for pid, _ in failures})
        failed_sets += bad > 0
        print(
            f"{path.name}: {pages} pages, {runs_total} prose runs, {len(failures)} unaccounted "
            f"on {bad} pages ({time.perf_counter() - t0:.0f} s)"
        )
        for pid, run in failures[: args.show]:
            print(f"  {pid}: {run[:100]}")
    return 1 if failed_sets else 0


if __name__ == "__main__":
    sys.exit(main())
