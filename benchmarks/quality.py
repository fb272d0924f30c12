#!/usr/bin/env python3
"""Quality on the scrapinghub article-extraction dev set, with the benchmark's own metric.

Metric (the dataset's README): tokens are ``re.findall(r"\\w+", text)``; predicted and true
texts become multisets of 4-token shingles; per page tp/fp/fn are normalised to sum to 1;
precision and recall are the means over pages; F1 = 2PR/(P+R).

Usage: ``python benchmarks/quality.py [--data DIR] [--systems cleaner,trafilatura] [--out FILE]``
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATA = ROOT.parent / "shared" / "datasets" / "scrapinghub"
_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(0, len(tokens) - n + 1)))


def page_scores(pred: str, truth: str) -> tuple[float, float, float]:
    p, t = shingles(pred), shingles(truth)
    tp = sum((p & t).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    if total == 0:
        return 1.0, 0.0, 0.0  # both empty: a perfect page
    return tp / total, fp / total, fn / total


def f1_of(scores: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    precisions = [tp / (tp + fp) if tp + fp else 0.0 for tp, fp, _ in scores]
    recalls = [tp / (tp + fn) if tp + fn else 0.0 for tp, _, fn in scores]
    p = sum(precisions) / len(precisions)
    r = sum(recalls) / len(recalls)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def load(data: Path) -> list[tuple[str, str, str, str]]:
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    out = []
    for pid in sorted(truth):
        html = gzip.open(data / "html" / f"{pid}.html.gz").read().decode("utf-8")
        out.append((pid, html, truth[pid]["articleBody"], truth[pid].get("url") or ""))
    return out


def run_cleaner() -> Callable[[str, str], str]:
    from cleaner import Cleaner

    c = Cleaner()
    return lambda html, url: c.clean(html, url=url or None).text


def run_trafilatura(**kw: bool) -> Callable[[str, str], str]:
    import trafilatura

    return lambda html, url: trafilatura.extract(html, include_comments=False, **kw) or ""


SYSTEMS: dict[str, Callable[[], Callable[[str, str], str]]] = {
    "cleaner": run_cleaner,
    "trafilatura": lambda: run_trafilatura(),
    "trafilatura-precision": lambda: run_trafilatura(favor_precision=True),
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--systems", default="cleaner")
    ap.add_argument("--out", type=Path, help="write a markdown table here")
    ap.add_argument(
        "--worst", type=int, default=0, help="list the N worst pages of the first system"
    )
    args = ap.parse_args()
    pages = load(args.data)
    rows = []
    for name in args.systems.split(","):
        fn = SYSTEMS[name]()
        scores = []
        per_page = []
        start = time.perf_counter()
        empty = 0
        for pid, html, truth, url in pages:
            pred = fn(html, url)
            if not pred.strip() and truth.strip():
                empty += 1
            s = page_scores(pred, truth)
            scores.append(s)
            per_page.append((s, pid))
        elapsed = time.perf_counter() - start
        p, r, f = f1_of(scores)
        rows.append((name, p, r, f, empty, len(pages) / elapsed))
        if args.worst and name == args.systems.split(",")[0]:
            for (tp, fp, fn_), pid in sorted(per_page, key=lambda x: x[0][0])[: args.worst]:
                print(f"  worst {pid}: tp={tp:.2f} fp={fp:.2f} fn={fn_:.2f}", file=sys.stderr)
    table = ["| system | precision | recall | F1 | empty | pages/s |", "|---|---|---|---|---|---|"]
    for name, p, r, f, empty, speed in rows:
        table.append(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} | {empty} | {speed:.0f} |")
    text = "\n".join(table) + "\n"
    print(text, end="")
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
