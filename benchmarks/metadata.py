#!/usr/bin/env python3
"""Metadata accuracy on the dev sets whose truth has it (wcxb-dev, wcxb-dev-other): title,
author and date of ``clean()`` against the ground truth's ``title``, ``author`` and ``date``.

Per field, over the pages whose truth gives it:

- **title**: *exact*, the same text once white space is collapsed; *loose*, the same words
  (lowercased ``\\w+`` tokens, in order);
- **author**: *exact* as for the title; *loose*, the truth's words all among ours or ours all
  among the truth's (a byline "By Ann Lee" and "Ann Lee" agree; "Ann Lee, Bo Chan" and
  "Ann Lee" too);
- **date**: the same day (``YYYY-MM-DD``);
- **given**: pages where cleaner gives the field at all, and **wrong**: pages where it gives
  one and it is not (loosely) right: a wrong value is worse than none.

Pages whose truth lacks a field are counted apart: there a value of ours is neither right nor
wrong (the truth's annotators left it out).

Usage::

    python benchmarks/metadata.py [--data wcxb-dev,wcxb-dev-other|DIR,...] [--out FILE]
                                  [--list title|author|date]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATASETS = ROOT.parent / "shared" / "datasets"
SETS = {"wcxb-dev": DATASETS / "wcxb-dev", "wcxb-dev-other": DATASETS / "wcxb-dev-other"}
FIELDS = ("title", "author", "date")
_WORD = re.compile(r"\w+")


def _space(text: str | None) -> str:
    return " ".join((text or "").split())


def _words(text: str | None) -> list[str]:
    return _WORD.findall((text or "").lower())


def agree(field: str, ours: str | None, truth: str) -> tuple[bool, bool]:
    """(exact, loose) agreement of one field.

    >>> agree("title", "Peas  and beans", "Peas and beans")
    (True, True)
    >>> agree("title", "PEAS: and beans!", "Peas and beans")
    (False, True)
    >>> agree("author", "By Ann Lee", "Ann Lee")
    (False, True)
    >>> agree("date", "2024-01-02T10:00:00", "2024-01-02")
    (True, True)
    """
    if not ours:
        return False, False
    if field == "date":
        same = ours[:10] == truth[:10]
        return same, same
    exact = _space(ours) == _space(truth)
    if field == "title":
        return exact, exact or _words(ours) == _words(truth)
    mine, theirs = set(_words(ours)), set(_words(truth))
    return exact, exact or bool(theirs) and (theirs <= mine or mine <= theirs) and bool(mine)


def measure(data: Path, listing: str | None) -> tuple[dict[str, dict[str, int]], float]:
    from cleaner import Cleaner

    cleaner = Cleaner()
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    counts = {f: dict.fromkeys(("pages", "exact", "loose", "given", "wrong", "extra"), 0)
              for f in FIELDS}
    spent = 0.0
    for pid in sorted(truth):
        t = truth[pid]
        html = gzip.open(data / "html" / f"{pid}.html.gz").read().decode("utf-8")
        start = time.perf_counter()
        res = cleaner.clean(html, url=t.get("url") or None)
        spent += time.perf_counter() - start
        for field in FIELDS:
            ours = getattr(res, field)
            want = t.get(field)
            c = counts[field]
            if not want:
                c["extra"] += bool(ours)
                continue
            c["pages"] += 1
            exact, loose = agree(field, ours, want)
            c["exact"] += exact
            c["loose"] += loose
            c["given"] += bool(ours)
            c["wrong"] += bool(ours) and not loose
            if listing == field and not loose:
                print(f"{data.name} {pid} {field}: ours {ours!r} truth {want!r}", file=sys.stderr)
    return counts, spent / max(1, len(truth))


def table(results: dict[str, tuple[dict[str, dict[str, int]], float]]) -> str:
    lines = [
        "| set | field | pages with truth | exact | loose | given | wrong "
        "| given where truth has none |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, (counts, _) in results.items():
        for field in FIELDS:
            c = counts[field]
            n = max(1, c["pages"])
            lines.append(
                f"| {name} | {field} | {c['pages']} | {c['exact'] / n:.1%} | {c['loose'] / n:.1%}"
                f" | {c['given'] / n:.1%} | {c['wrong'] / n:.1%} | {c['extra']} |"
            )
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--data", default=",".join(SETS))
    ap.add_argument("--out", type=Path)
    ap.add_argument("--list", choices=FIELDS, help="list the pages where a field is not right")
    args = ap.parse_args()
    results = {}
    for item in args.data.split(","):
        path = SETS.get(item, Path(item))
        results[item if item in SETS else path.name] = measure(path, args.list)
    text = table(results)
    for name, (_, per_page) in results.items():
        text += f"\n{name}: clean() {per_page * 1000:.1f} ms a page"
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
