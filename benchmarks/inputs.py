#!/usr/bin/env python3
"""Input kinds on the dev set: does each give the same text as ``str`` input, and what does
turning it into the pipeline's tree cost next to serialising and re-parsing it?

For every page: the text of ``clean()`` on bytes, an ``lxml.html`` document, an
``lxml.etree.HTML`` tree, and BeautifulSoup documents (lxml and html.parser builders) is
compared with ``clean(str)``, and the caller's object is checked unchanged. Then, per kind, the
time of :func:`cleaner.inputs.to_page` is set against the round trip it replaces
(``tostring``/``str(soup)`` then parse), and against a whole ``clean()`` of the page.

Usage: ``python benchmarks/inputs.py [--data DIR] [--limit N]``
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATA = ROOT.parent / "shared" / "datasets" / "scrapinghub"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=0, help="first N pages only")
    args = ap.parse_args()

    import lxml.html
    from bs4 import BeautifulSoup
    from lxml import etree

    from cleaner import Cleaner
    from cleaner.decode import decode
    from cleaner.inputs import to_page
    from cleaner.parse import parse_html

    files = sorted((args.data / "html").glob("*.html.gz"))
    if args.limit:
        files = files[: args.limit]
    texts = [decode(gzip.decompress(f.read_bytes())).text for f in files]
    cleaner = Cleaner()

    kinds: dict[str, tuple[Callable[[str], Any], Callable[[Any], str]]] = {
        "lxml.html": (lxml.html.document_fromstring, lambda t: etree.tostring(t, encoding=str)),
        "lxml.etree": (etree.HTML, lambda t: etree.tostring(t, encoding=str)),
        "soup (lxml)": (lambda s: BeautifulSoup(s, "lxml"), str),
        "soup (html.parser)": (lambda s: BeautifulSoup(s, "html.parser"), str),
    }
    ref = [cleaner.clean(t).text for t in texts]
    t0 = time.perf_counter()
    for t in texts:
        cleaner.clean(t)
    clean_s = time.perf_counter() - t0
    same_bytes = sum(
        cleaner.clean(t.encode("utf-8")).text == r for t, r in zip(texts, ref, strict=True)
    )
    print(f"{len(texts)} pages; clean(str) {1000 * clean_s / len(texts):.1f} ms/page")
    print(f"bytes: same text on {same_bytes}/{len(texts)}")
    print(
        f"{'kind':<20} {'same text':>10} {'unchanged':>10} {'to_page ms':>11} {'round trip ms':>14}"
    )
    for name, (make, dump) in kinds.items():
        objs = [make(t) for t in texts]
        before = [dump(o) for o in objs]
        same = sum(cleaner.clean(o).text == r for o, r in zip(objs, ref, strict=True))
        unchanged = sum(dump(o) == b for o, b in zip(objs, before, strict=True))
        t0 = time.perf_counter()
        for o in objs:
            to_page(o, url=None)
        direct = time.perf_counter() - t0
        t0 = time.perf_counter()
        for o in objs:
            parse_html(dump(o))
        trip = time.perf_counter() - t0
        n = len(objs)
        print(
            f"{name:<20} {same:>6}/{n:<3} {unchanged:>6}/{n:<3} {1000 * direct / n:>11.2f} "
            f"{1000 * trip / n:>14.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
