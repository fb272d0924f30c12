"""Train the page-kind model of :mod:`cleaner.kinds` on WCXB's dev pages, and measure it.

    .venv/bin/python scripts/train_kinds.py            # cross-validate, then write the model
    .venv/bin/python scripts/train_kinds.py --cv-only  # measure only

Needs scikit-learn (``pip install -e .[train]``); the package itself reads the model in plain
Python. Pages: ``wcxb-dev`` (all articles) and ``wcxb-dev-other`` (a ``type`` per page) under
``../shared/datasets``. The figures are cross-validated by site (5 folds, no site in two
folds), through :func:`cleaner.kinds.decide`: the platform rules, the model and
:data:`~cleaner.kinds.MIN_OTHER`, as the package decides. The model written at the end is
trained on all the pages.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import pickle
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cleaner.kinds import KINDS, Model, decide, signals  # noqa: E402
from cleaner.parse import parse_html  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets"
SETS = ("wcxb-dev", "wcxb-dev-other")
OUT = Path(__file__).resolve().parent.parent / "cleaner" / "kinds_model.json"
#: The trees: few and shallow, so the model stays small and cheap in plain Python (measured:
#: more rounds or leaves did not raise the cross-validated accuracy).
PARAMS: dict[str, Any] = {"max_iter": 60, "max_leaf_nodes": 8, "learning_rate": 0.15,
                          "l2_regularization": 1.0, "min_samples_leaf": 8}


def site(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def load(data: Path, names: tuple[str, ...], cache: Path | None) -> list[dict[str, Any]]:
    """Each page's signals, URL, site and kind (cached: parsing 1,500 pages takes minutes)."""
    if cache and cache.exists():
        return pickle.loads(cache.read_bytes())  # type: ignore[no-any-return]
    rows = []
    for name in names:
        truth = json.loads((data / name / "ground-truth.json").read_text())
        for pid, page in truth.items():
            html = gzip.decompress((data / name / "html" / f"{pid}.html.gz").read_bytes())
            root = parse_html(html.decode("utf-8", "replace"))
            found = signals(root, page["url"])
            rows.append({"set": name, "id": pid, "url": page["url"], "site": site(page["url"]),
                         "kind": page.get("type", "article"), "signals": found})
    if cache:
        cache.write_bytes(pickle.dumps(rows))
    return rows


def features(rows: list[dict[str, Any]]) -> list[str]:
    """Every signal some page has, but the generator names (too few pages each to learn)."""
    return sorted({k for r in rows for k in r["signals"] if not k.startswith("gen_")})


def without_url(found: dict[str, float]) -> dict[str, float]:
    """A page's signals as when it is cleaned without its URL."""
    return {k: v for k, v in found.items() if not k.startswith(("url_", "host_"))}


def fit(rows: list[dict[str, Any]], names: list[str]) -> Model:
    """Trees on the pages' signals, exported to :class:`cleaner.kinds.Model`. Each page is
    learnt twice, with its URL and without (a library user may not give it): every page of
    the dev sets has one, and a model that never saw a page without is lost on one."""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier

    rows = rows + [{**r, "signals": without_url(r["signals"])} for r in rows]
    x = np.array([[math.log1p(r["signals"].get(f, 0.0)) for f in names] for r in rows])
    y = np.array([KINDS.index(r["kind"]) for r in rows])
    clf = HistGradientBoostingClassifier(random_state=0, **PARAMS).fit(x, y)
    kinds = [KINDS[c] for c in clf.classes_]
    trees = [
        [[[int(n["feature_idx"]) if not n["is_leaf"] else -1, float(n["num_threshold"]),
           int(n["left"]), int(n["right"]), round(float(n["value"]), 5)] for n in p.nodes]
         for p in predictors]
        for predictors in clf._predictors
    ]
    baseline = [float(b) for b in np.ravel(clf._baseline_prediction)]
    return Model({"features": names, "kinds": kinds, "baseline": baseline, "trees": trees})


def measure(rows: list[dict[str, Any]], got: list[str]) -> dict[str, Any]:
    """Accuracy, macro-F1, per-kind precision/recall, articles taken for another kind, and
    the confusion matrix (rows: the truth, columns: the decision)."""
    matrix = {a: {b: 0 for b in KINDS} for a in KINDS}
    for r, g in zip(rows, got, strict=True):
        matrix[r["kind"]][g] += 1
    f1s, per = [], {}
    for k in KINDS:
        tp = matrix[k][k]
        fp = sum(matrix[o][k] for o in KINDS) - tp
        fn = sum(matrix[k].values()) - tp
        p = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        per[k] = (p, rc)
        f1s.append(2 * p * rc / (p + rc) if p + rc else 0.0)
    n = len(rows)
    arts = sum(matrix["article"].values())
    return {"n": n, "accuracy": sum(matrix[k][k] for k in KINDS) / n,
            "macro_f1": sum(f1s) / len(f1s), "per_kind": per, "matrix": matrix,
            "articles_lost": arts - matrix["article"]["article"], "articles": arts}


def show(m: dict[str, Any], title: str) -> None:
    print(f"\n{title}: {m['n']} pages, accuracy {m['accuracy']:.3f}, macro-F1 "
          f"{m['macro_f1']:.3f}, articles taken for another kind {m['articles_lost']}/"
          f"{m['articles']} ({m['articles_lost'] / max(m['articles'], 1):.2%})")
    print("truth \\ decided " + " ".join(f"{k[:5]:>6}" for k in KINDS) + "  recall")
    for k in KINDS:
        row = m["matrix"][k]
        if sum(row.values()):
            print(f"{k:<15} " + " ".join(f"{row[c]:>6}" for c in KINDS)
                  + f"  {m['per_kind'][k][1]:.2f}")
    print("precision       " + " ".join(f"{m['per_kind'][k][0]:>6.2f}" for k in KINDS))


def cross_validate(rows: list[dict[str, Any]], folds: int = 5) -> list[Model]:
    """For each page, a model that never saw its site."""
    from sklearn.model_selection import GroupKFold

    names = features(rows)
    models: list[Any] = [None] * len(rows)
    split = GroupKFold(folds).split(rows, groups=[r["site"] for r in rows])
    for train, test in split:
        model = fit([rows[i] for i in train], names)
        for i in test:
            models[i] = model
    return models


def importance(model: Model, top: int = 25) -> list[tuple[str, float]]:
    """The signals the trees lean on most: the change of output at each split on a signal,
    summed over the trees."""
    gain: dict[str, float] = {}
    for round_ in model.trees:
        for tree in round_:
            for node in tree:
                if node[0] >= 0:
                    name = model.features[int(node[0])]
                    left, right = tree[int(node[2])], tree[int(node[3])]
                    moved = abs(left[4] - node[4]) + abs(right[4] - node[4])
                    gain[name] = gain.get(name, 0.0) + moved
    return sorted(gain.items(), key=lambda kv: -kv[1])[:top]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--cache", type=Path, help="a pickle of the pages' signals (made if absent)")
    ap.add_argument("--cv-only", action="store_true", help="measure, do not write the model")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    rows = load(args.data, SETS, args.cache)
    models = cross_validate(rows)
    for min_other in (0.5, 0.6, 0.7, 0.8, 0.9):
        got = [decide(r["signals"], md, min_other).kind for r, md in zip(rows, models, strict=True)]
        m = measure(rows, got)
        print(f"min_other {min_other}: accuracy {m['accuracy']:.3f}, macro-F1 {m['macro_f1']:.3f},"
              f" articles lost {m['articles_lost']}")
    got = [decide(r["signals"], md).kind for r, md in zip(rows, models, strict=True)]
    show(measure(rows, got), "cross-validated by site, 5 folds, MIN_OTHER per kind")
    got = [decide(without_url(r["signals"]), md).kind
           for r, md in zip(rows, models, strict=True)]
    show(measure(rows, got), "the same pages without their URL")
    rules = [decide(r["signals"], None).kind for r in rows]
    show(measure(rows, rules), "platform rules alone (everything else an article)")
    if args.cv_only:
        return
    model = fit(rows, features(rows))
    data = {"features": model.features, "kinds": model.kinds, "baseline": model.baseline,
            "trees": model.trees}
    args.out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print("\nthe signals the model leans on most:")
    for name, gain in importance(model):
        print(f"  {name:<24} {gain:8.1f}")
    print(f"\nwrote {args.out} ({args.out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
