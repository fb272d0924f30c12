#!/usr/bin/env python3
"""How well and how fast :mod:`cleaner.kinds` tells the kind of a page.

On WCXB's dev split (``wcxb-dev``, 793 articles, and ``wcxb-dev-other``, 704 pages of six
other kinds, a ``type`` per page) and scrapinghub's 181 articles, under
``../shared/datasets``:

- the confusion matrix (rows: the truth; columns: the kind decided), accuracy, macro-F1 over
  the seven kinds, per-kind recall and precision, and how many articles were taken for
  another kind (``cleaner bulk --only article`` would drop them);
- the cost of :func:`cleaner.kinds.classify` per page (median, mean, 95th percentile; the
  parse not included), in this process.

By default the shipped model decides: on the WCXB pages it was trained on, so those figures
are in-sample (an upper bound). ``--cv`` decides each WCXB page with a model trained without
its site (5 folds by site, as ``scripts/train_kinds.py`` does; needs scikit-learn): the
figure to quote. Scrapinghub's pages are never trained on.

Usage::

    python benchmarks/kinds.py [--cv] [--data DIR]
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner.kinds import decide, default_model, signals  # noqa: E402
from cleaner.parse import parse_html  # noqa: E402

DATA = ROOT.parent / "shared" / "datasets"


def _trainer() -> Any:
    path = ROOT / "scripts" / "train_kinds.py"
    spec = importlib.util.spec_from_file_location("train_kinds", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pages(data: Path, name: str) -> list[dict[str, Any]]:
    """Each page's signals (timed), URL, site and true kind."""
    train = _trainer()
    truth = json.loads((data / name / "ground-truth.json").read_text())
    rows = []
    for pid, page in truth.items():
        html = gzip.decompress((data / name / "html" / f"{pid}.html.gz").read_bytes())
        root = parse_html(html.decode("utf-8", "replace"))
        start = time.perf_counter()
        found = signals(root, page["url"])
        seconds = time.perf_counter() - start
        rows.append({"set": name, "url": page["url"], "site": train.site(page["url"]),
                     "kind": page.get("type", "article"), "signals": found, "seconds": seconds})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--cv", action="store_true", help="WCXB decided by models trained without "
                    "the page's site (5 folds by site; needs scikit-learn)")
    args = ap.parse_args()
    train = _trainer()
    wcxb = pages(args.data, "wcxb-dev") + pages(args.data, "wcxb-dev-other")
    other = pages(args.data, "scrapinghub")
    model = default_model()
    # the decision's own cost (the model's trees), on top of the signals
    start = time.perf_counter()
    shipped = [decide(r["signals"], model).kind for r in wcxb]
    per_decision = (time.perf_counter() - start) / len(wcxb)
    if args.cv:
        models = train.cross_validate(wcxb)
        got = [decide(r["signals"], m).kind for r, m in zip(wcxb, models, strict=True)]
        train.show(train.measure(wcxb, got), "WCXB dev, cross-validated by site (5 folds)")
    else:
        train.show(train.measure(wcxb, shipped), "WCXB dev, shipped model (in-sample)")
    got = [decide(r["signals"], model).kind for r in other]
    train.show(train.measure(other, got), "scrapinghub (never trained on)")
    rules = [decide(r["signals"], None).kind for r in wcxb]
    train.show(train.measure(wcxb, rules), "WCXB dev, platform rules and teasers alone")
    secs = sorted(r["seconds"] for r in wcxb + other)
    print(f"\nsignals per page: median {statistics.median(secs) * 1e3:.3f} ms, mean "
          f"{statistics.mean(secs) * 1e3:.3f} ms, p95 {secs[int(0.95 * len(secs))] * 1e3:.3f} ms"
          f"; the decision: {per_decision * 1e3:.3f} ms ({len(secs)} pages)")


if __name__ == "__main__":
    main()
