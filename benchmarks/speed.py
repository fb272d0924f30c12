#!/usr/bin/env python3
"""Single-process speed of ``clean()`` against trafilatura and a bare lxml parse.

On the pages of each dev set named by ``--data`` (default both: scrapinghub's 181 and
wcxb-dev's 793, ``../shared/datasets/<set>/html``), each given as ``str`` with its URL, in one
process, one set after the other:

- ``cleaner``: ``cleaner.clean(html, url=url)`` (built-in rules, title and metadata);
- ``trafilatura``: ``trafilatura.extract(html, url=url)``, all defaults;
- ``trafilatura-fast``: the same with ``fast=True``;
- ``lxml``: ``lxml.html.document_fromstring(html)``, the floor of any of them.

Every system first runs over the pages once untimed (imports, caches). Then ``--rounds``
rounds; in each, every system runs over all the pages, the systems taking turns on chunks of
ten pages, in an order that rotates from round to round, so drift on the machine weighs on all
alike. Reported per system: the median of the
rounds' pages/s, MB/s (of UTF-8 input), and the ratio to trafilatura's defaults. Compare
ratios within one run, never absolute figures across runs or machines.

``--profile`` then runs ``clean()`` over the pages again with its stages timed (wrapped with
``perf_counter``; nested stages are subtracted from the stage around them) and prints where
the time goes. ``--memory N`` runs ``clean()`` over the pages N times and prints peak and
current RSS after each pass (the first pass, then whether later passes grow); run it on its own
(``--skip-speed``) so the other systems' memory is not in the figures.

After the rounds, one more pass of ``clean()`` reports the share of pages on each path
(``container``: the container a ``#body#`` rule names, walked; ``trafilatura``: trafilatura's
extraction ladder) and each path's pages/s.

``--floor`` adds parts of ``clean()`` as systems of their own (parse and first extraction;
plus the DOM rules; plus metadata): what the rest of the pipeline costs on top.

Usage::

    python benchmarks/speed.py [--rounds 5] [--floor] [--profile] [--memory 20]
                               [--data scrapinghub,wcxb-dev|DIR,...]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATASETS = ROOT.parent / "shared" / "datasets"
#: ``--data`` names and the directories they stand for.
SETS = {
    "scrapinghub": DATASETS / "scrapinghub",
    "wcxb-dev": DATASETS / "wcxb-dev",
    "wcxb-dev-other": DATASETS / "wcxb-dev-other",
}

Page = tuple[str, str]  # (html, url)


def load(data: Path) -> list[Page]:
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    out = []
    for pid in sorted(truth):
        html = gzip.open(data / "html" / f"{pid}.html.gz").read().decode("utf-8")
        out.append((html, truth[pid].get("url") or ""))
    return out


def systems(floor: bool = False) -> dict[str, Callable[[str, str], Any]]:
    import lxml.html
    import trafilatura

    import cleaner

    found: dict[str, Callable[[str, str], Any]] = {
        "cleaner": lambda html, url: cleaner.clean(html, url=url or None),
        "trafilatura": lambda html, url: trafilatura.extract(html, url=url or None),
        "trafilatura-fast": lambda html, url: trafilatura.extract(html, url=url or None, fast=True),
        "lxml": lambda html, url: lxml.html.document_fromstring(html),
    }
    if floor:
        found.update(_floor_systems())
    return found


def _floor_systems() -> dict[str, Callable[[str, str], Any]]:
    """Parts of clean(), cumulatively: its parse, the strip of trafilatura's discards and
    its first (precise, fast) extraction; then the DOM rules; then the metadata. What is
    left between the last and ``cleaner`` is the extraction ladder, title, text rules."""
    from cleaner.fallback import extract_blocks, strip_discarded
    from cleaner.metadata import extract_metadata
    from cleaner.parse import parse_html
    from cleaner.pipeline import _default_cleaner
    from cleaner.prune import prune

    dom, _ = _default_cleaner()._matchers(None)

    def part(rules: bool, meta: bool) -> Callable[[str, str], Any]:
        def run(html: str, url: str) -> Any:
            root = parse_html(html)
            if meta:
                extract_metadata(root, url=url or None)
            if rules:
                prune(dom.scan(root).hiding)
            strip_discarded(root)
            return extract_blocks(root, url=url or None, precision=True, fast=True)

        return run

    return {
        "floor: parse+extract": part(False, False),
        "floor: +rules": part(True, False),
        "floor: +rules+metadata": part(True, True),
    }


def run_once(fn: Callable[[str, str], Any], pages: list[Page]) -> float:
    start = time.perf_counter()
    for html, url in pages:
        fn(html, url)
    return time.perf_counter() - start


#: Pages per turn: within a round, the systems take turns on chunks of this many pages.
CHUNK = 10


def speed(pages: list[Page], rounds: int, floor: bool = False) -> dict[str, list[float]]:
    fns = systems(floor)
    for fn in fns.values():  # warm-up: imports, compiled rules, caches
        run_once(fn, pages)
    names = list(fns)
    times: dict[str, list[float]] = {n: [] for n in names}
    for r in range(rounds):
        order = names[r % len(names) :] + names[: r % len(names)]
        spent = dict.fromkeys(names, 0.0)
        for i in range(0, len(pages), CHUNK):
            for name in order:
                spent[name] += run_once(fns[name], pages[i : i + CHUNK])
        for name in names:
            times[name].append(spent[name])
        line = "  ".join(f"{n} {len(pages) / times[n][-1]:.1f}" for n in names)
        print(f"round {r + 1}: pages/s  {line}", file=sys.stderr)
    return times


def report(pages: list[Page], times: dict[str, list[float]]) -> str:
    mb = sum(len(h.encode("utf-8")) for h, _ in pages) / 1e6
    med = {n: statistics.median(len(pages) / t for t in ts) for n, ts in times.items()}
    base = med["trafilatura"]
    lines = [
        f"{len(pages)} pages, {mb:.1f} MB, {len(next(iter(times.values())))} rounds; "
        f"Python {platform.python_version()}, {platform.machine()}",
        "",
        "| system | pages/s (median) | MB/s | vs trafilatura | rounds (pages/s) |",
        "|---|---|---|---|---|",
    ]
    for name, ts in times.items():
        rates = ", ".join(f"{len(pages) / t:.1f}" for t in ts)
        lines.append(
            f"| {name} | {med[name]:.1f} | {med[name] * mb / len(pages):.2f} | "
            f"{med[name] / base:.2f}x | {rates} |"
        )
    # the ratio per round too: each round's systems ran close together
    ratios = [times["trafilatura"][i] / times["cleaner"][i] for i in range(len(times["cleaner"]))]
    lines += [
        "",
        f"cleaner / trafilatura per round: {', '.join(f'{x:.2f}x' for x in ratios)} "
        f"(median {statistics.median(ratios):.2f}x)",
    ]
    return "\n".join(lines)


# -- profile ------------------------------------------------------------------------------

#: (label, module, attribute): the stages of clean(), as the pipeline calls them.
STAGES = [
    ("decode + parse (to_page)", "cleaner.pipeline", "to_page"),
    ("metadata", "cleaner.metadata", "extract_metadata"),
    ("match DOM rules", "cleaner.prune", "DomMatcher.match"),
    ("prune", "cleaner.prune", "prune"),
    ("strip trafilatura's discards", "cleaner.fallback", "strip_discarded"),
    ("extract (trafilatura)", "cleaner.fallback", "extract_blocks"),
    ("main-text measure", "cleaner.ladder", "held_main_text"),
    ("reshape", "cleaner.reshape", "reshape"),
    ("container path: walk", "cleaner.walk", "walk"),
    ("split-body check", "cleaner.ladder", "join_split_body"),
    ("settle title", "cleaner.revise", "settle_title"),
    ("text rules", "cleaner.revise", "apply_text_rules"),
]


@contextmanager
def _timed(module: str, attr: str, label: str, acc: dict[str, float], stack: list[float]):
    import importlib

    mod = importlib.import_module(module)
    owner: Any = mod
    name = attr
    if "." in attr:
        cls, name = attr.split(".")
        owner = getattr(mod, cls)
    original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
    func = original.__func__ if isinstance(original, staticmethod) else original

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        stack.append(0.0)
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            spent = time.perf_counter() - start
            inner = stack.pop()
            acc[label] = acc.get(label, 0.0) + spent - inner
            if stack:
                stack[-1] += spent

    setattr(owner, name, staticmethod(wrapper) if isinstance(original, staticmethod) else wrapper)
    try:
        yield
    finally:
        setattr(owner, name, original)


def profile(pages: list[Page]) -> str:
    import cleaner

    acc: dict[str, float] = {}
    stack: list[float] = []
    with ExitStack() as stack_cm:
        for label, module, attr in STAGES:
            stack_cm.enter_context(_timed(module, attr, label, acc, stack))
        start = time.perf_counter()
        for html, url in pages:
            cleaner.clean(html, url=url or None)
        total = time.perf_counter() - start
    lines = [
        f"clean() stage by stage over {len(pages)} pages ({total * 1000 / len(pages):.1f} ms/page)",
        "",
        "| stage | ms/page | share |",
        "|---|---|---|",
    ]
    for label, _, _ in STAGES:
        t = acc.get(label, 0.0)
        lines.append(f"| {label} | {t * 1000 / len(pages):.2f} | {t / total:.0%} |")
    rest = total - sum(acc.values())
    lines.append(f"| everything else | {rest * 1000 / len(pages):.2f} | {rest / total:.0%} |")
    return "\n".join(lines)


def memory(pages: list[Page], passes: int) -> str:
    import cleaner

    lines = ["| pass | peak RSS (MiB) | RSS after the pass (MiB) |", "|---|---|---|"]
    page_size = os.sysconf("SC_PAGE_SIZE")
    for i in range(passes):
        for html, url in pages:
            cleaner.clean(html, url=url or None)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with open("/proc/self/statm") as fh:
            current = int(fh.read().split()[1]) * page_size / 2**20
        lines.append(f"| {i + 1} | {peak:.1f} | {current:.1f} |")
    return "\n".join(lines)


def paths(pages: list[Page]) -> str:
    """Share of pages on each of clean()'s paths, and each path's pages/s (one timed pass;
    each page's time counts for the path it took)."""
    import cleaner

    spent: dict[str, float] = {}
    count: dict[str, int] = {}
    for html, url in pages:
        start = time.perf_counter()
        res = cleaner.clean(html, url=url or None)
        t = time.perf_counter() - start
        spent[res.path] = spent.get(res.path, 0.0) + t
        count[res.path] = count.get(res.path, 0) + 1
    lines = ["| path | pages | share | pages/s | ms/page |", "|---|---|---|---|---|"]
    for path in sorted(count):
        n, t = count[path], spent[path]
        lines.append(
            f"| {path} | {n} | {n / len(pages):.0%} | {n / t:.1f} | {t * 1000 / n:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--data", default=",".join(SETS),
        help=f"comma list of set names ({', '.join(SETS)}) or directories",
    )
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--profile", action="store_true", help="time clean()'s stages")
    ap.add_argument("--memory", type=int, default=0, metavar="N", help="N passes, peak RSS")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--floor", action="store_true", help="also time parts of clean()")
    args = ap.parse_args()
    for item in args.data.split(","):
        path = SETS.get(item, Path(item))
        print(f"## {item}\n")
        pages = load(path)
        if not args.skip_speed:
            print(report(pages, speed(pages, args.rounds, args.floor)))
            print()
            print(paths(pages))
        if args.profile:
            print()
            print(profile(pages))
        if args.memory:
            print()
            print(memory(pages, args.memory))
        print()


if __name__ == "__main__":
    main()
