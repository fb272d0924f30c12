#!/usr/bin/env python3
"""Quality on the scrapinghub article-extraction dev set, with the benchmark's own metric.

Metric (the dataset's README): tokens are ``re.findall(r"\\w+", text)``; predicted and true
texts become multisets of 4-token shingles; per page tp/fp/fn are normalised to sum to 1;
precision and recall are the means over pages; F1 = 2PR/(P+R).

Besides F1 it counts, per system:

- **residue**: pages whose output holds a boilerplate phrase (:data:`RESIDUE_PHRASES`,
  word-bounded, case-insensitive) that the page's truth lacks;
- **empty**: pages with an empty output while the truth is not empty;
- **errors**: pages on which the system raised (counted as an empty output; the run goes on);
- **pages/s**: throughput in this run, timing only the system's own call. Systems take turns
  on each page, so load on the machine weighs on all alike: compare them within one run.

Systems: ``cleaner``, ``trafilatura`` (defaults, ``include_comments=False``),
``trafilatura-precision`` (``favor_precision=True``), ``trafilatura-fast`` (``fast=True``),
``readability`` (readability-lxml), ``resiliparse`` (``main_content=True``, no comments).
The other extractors come with the ``bench`` extra (``pip install -e .[bench]``); a system
that is not installed is skipped with a note.

Usage::

    python benchmarks/quality.py [--data DIR] [--systems all|NAME,...] [--out FILE]
                                 [--worst N] [--residue]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATA = ROOT.parent / "shared" / "datasets" / "scrapinghub"
_TOKEN = re.compile(r"\w+")

#: Boilerplate phrases; a page has residue when its output holds one that its truth lacks.
RESIDUE_PHRASES = (
    "leave a reply",
    "share this",
    "like this",
    "log in",
    "sign up",
    "subscribe",
    "related posts",
    "posted in",
    "tagged",
    "loading...",
    "comments",
    "reply",
    "cookie",
    "newsletter",
    "follow us",
)
_RESIDUE = {
    phrase: re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", re.IGNORECASE)
    for phrase in RESIDUE_PHRASES
}


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


def residue(pred: str, truth: str) -> list[str]:
    """Boilerplate phrases in the output that the truth lacks.

    >>> residue("Great post. Leave a Reply", "Great post.")
    ['leave a reply', 'reply']
    >>> residue("Read the comments below", "Read the comments below")
    []
    >>> residue("Loading... Tagged: news", "news")
    ['tagged', 'loading...']
    """
    return [p for p, rx in _RESIDUE.items() if rx.search(pred) and not rx.search(truth)]


def load(data: Path) -> list[tuple[str, str, str, str]]:
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    out = []
    for pid in sorted(truth):
        html = gzip.open(data / "html" / f"{pid}.html.gz").read().decode("utf-8")
        out.append((pid, html, truth[pid]["articleBody"], truth[pid].get("url") or ""))
    return out


# -- systems: each factory returns a function (html, url) -> article text -----------------


def run_cleaner() -> Callable[[str, str], str]:
    from cleaner import Cleaner

    c = Cleaner()
    return lambda html, url: c.clean(html, url=url or None).text


def run_trafilatura(**kw: bool) -> Callable[[str, str], str]:
    import trafilatura

    return lambda html, url: trafilatura.extract(html, include_comments=False, **kw) or ""


def run_readability() -> Callable[[str, str], str]:
    import lxml.html
    from readability import Document

    def extract(html: str, url: str) -> str:
        summary = Document(html, url=url or None).summary(html_partial=True)
        if not summary.strip():
            return ""
        root = lxml.html.fragment_fromstring(summary, create_parent="div")
        return " ".join(" ".join(root.itertext()).split())

    return extract


def run_resiliparse() -> Callable[[str, str], str]:
    from resiliparse.extract.html2text import extract_plain_text

    return lambda html, url: extract_plain_text(html, main_content=True, comments=False)


SYSTEMS: dict[str, Callable[[], Callable[[str, str], str]]] = {
    "cleaner": run_cleaner,
    "trafilatura": lambda: run_trafilatura(),
    "trafilatura-precision": lambda: run_trafilatura(favor_precision=True),
    "trafilatura-fast": lambda: run_trafilatura(fast=True),
    "readability": run_readability,
    "resiliparse": run_resiliparse,
}


@dataclass
class Run:
    name: str
    scores: list[tuple[float, float, float]] = field(default_factory=list)
    pids: list[str] = field(default_factory=list)
    residue: dict[str, list[str]] = field(default_factory=dict)
    empty: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    skipped: str | None = None


def run_systems(names: list[str], pages: list[tuple[str, str, str, str]]) -> list[Run]:
    """Run every system on every page. Pages are the outer loop, so that the machine's load
    at any moment weighs on all systems alike and their pages/s compare within one run."""
    runs = [Run(name) for name in names]
    fns: list[Callable[[str, str], str] | None] = []
    for run in runs:
        try:
            fns.append(SYSTEMS[run.name]())
        except ImportError as exc:
            run.skipped = f"not installed ({exc.name or exc}); pip install -e .[bench]"
            fns.append(None)
    for pid, html, truth, url in pages:
        for run, fn in zip(runs, fns, strict=True):
            if fn is None:
                continue
            start = time.perf_counter()
            try:
                pred = fn(html, url)
            except Exception as exc:  # noqa: BLE001 - one bad page never stops a run
                run.errors[pid] = f"{type(exc).__name__}: {exc}"
                pred = ""
            run.seconds += time.perf_counter() - start
            if not pred.strip() and truth.strip():
                run.empty.append(pid)
            found = residue(pred, truth)
            if found:
                run.residue[pid] = found
            run.scores.append(page_scores(pred, truth))
            run.pids.append(pid)
    return runs


def table(runs: list[Run], pages: int) -> str:
    lines = [
        "| system | precision | recall | F1 | residue pages | empty | errors | pages/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        if run.skipped:
            lines.append(f"| {run.name} | — | — | — | — | — | — | {run.skipped} |")
            continue
        p, r, f = f1_of(run.scores)
        speed = pages / run.seconds if run.seconds else 0.0
        lines.append(
            f"| {run.name} | {p:.3f} | {r:.3f} | **{f:.3f}** | {len(run.residue)} "
            f"| {len(run.empty)} | {len(run.errors)} | {speed:.1f} |"
        )
    return "\n".join(lines) + "\n"


def write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument(
        "--systems", default="all", help=f"'all' or a comma list of: {', '.join(SYSTEMS)}"
    )
    ap.add_argument("--out", type=Path, help="write the markdown table here")
    ap.add_argument("--worst", type=int, default=0, help="list the first system's N worst pages")
    ap.add_argument("--residue", action="store_true", help="list the first system's residue")
    args = ap.parse_args()
    names = list(SYSTEMS) if args.systems == "all" else args.systems.split(",")
    unknown = [n for n in names if n not in SYSTEMS]
    if unknown:
        ap.error(f"unknown system(s): {', '.join(unknown)}; known: {', '.join(SYSTEMS)}")
    pages = load(args.data)
    runs = run_systems(names, pages)
    for run in runs:
        if run.skipped:
            print(f"{run.name}: skipped, {run.skipped}", file=sys.stderr)
    first = runs[0]
    if args.worst and not first.skipped:
        ranked = sorted(zip(first.scores, first.pids, strict=True), key=lambda x: x[0][0])
        for (tp, fp, fn), pid in ranked[: args.worst]:
            extra = f" residue={first.residue[pid]}" if pid in first.residue else ""
            print(f"worst {pid}: tp={tp:.2f} fp={fp:.2f} fn={fn:.2f}{extra}", file=sys.stderr)
    if args.residue and not first.skipped:
        for pid, found in first.residue.items():
            print(f"residue {pid}: {', '.join(found)}", file=sys.stderr)
        for pid in first.empty:
            print(f"empty {pid}", file=sys.stderr)
        for pid, err in first.errors.items():
            print(f"error {pid}: {err}", file=sys.stderr)
    text = table(runs, len(pages))
    print(text, end="")
    if args.out:
        write_atomic(args.out, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
