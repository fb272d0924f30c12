#!/usr/bin/env python3
"""How well content sniffing (:mod:`cleaner.decode`) tells pages, texts, style sheets and
scripts apart: every HTML page of the dev sets must be HTML; the same pages flattened (bs4's
``get_text("\\n")``), their ground-truth texts and Markdown must stay text (never a style sheet
or a script, never HTML where the first 4 KB did not already say so); style sheets and scripts
(``--css``/``--js``: files or directories, searched for ``*.css`` / ``*.js``) must be told.

    python benchmarks/sniff.py --data scrapinghub,wcxb-dev,../shared/datasets/wcxb-dev-other \\
        --css /usr/share --js /usr/lib/node_modules

Prints one line per group, ``N inputs, M misread`` and the first misread ones. Run it after a
change to :func:`cleaner.decode.is_html` or :func:`cleaner.decode.script_kind`.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner.decode import _HTML_SNIFF, SNIFF_HEAD, decode, is_html, script_kind  # noqa: E402

DATASETS = ROOT.parent / "shared" / "datasets"
STYLE = "a CSS style sheet"
SCRIPT = "a script (JavaScript or other code)"


def _dataset(name: str) -> Path:
    path = Path(name)
    return path if path.is_dir() else DATASETS / name


def _read(text: str) -> str:
    """What sniffing makes of a text: a style sheet, a script, html or text."""
    return script_kind(text) or ("html" if is_html(text) else "text")


def _files(roots: list[str], suffix: str, limit: int) -> Iterator[tuple[str, str]]:
    seen: set[str] = set()
    for root in roots:
        path = Path(root)
        found = [path] if path.is_file() else sorted(path.rglob(f"*{suffix}"))
        for p in found:
            if not p.is_file() or p.stat().st_size > 5_000_000:
                continue
            data = p.read_bytes()
            digest = hashlib.md5(data).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            try:
                yield str(p), decode(data).text
            except Exception:  # noqa: BLE001 - binary: not what this measures
                continue
            if len(seen) >= limit:
                return


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="scrapinghub,wcxb-dev,wcxb-dev-other")
    ap.add_argument("--css", action="append", default=[], help="file or directory of *.css")
    ap.add_argument("--js", action="append", default=[], help="file or directory of *.js")
    ap.add_argument("--limit", type=int, default=5000, help="files per kind, at most")
    args = ap.parse_args()

    from bs4 import BeautifulSoup

    groups: dict[str, tuple[int, list[str]]] = {}

    def check(group: str, name: str, text: str, want: str) -> None:
        got = _read(text)
        # a text that already looked like HTML in its first 4 KB is not this sniffing's doing
        if want == "text" and got == "html" and _HTML_SNIFF.search(text, 0, SNIFF_HEAD):
            got = "text"
        n, bad = groups.get(group, (0, []))
        groups[group] = (n + 1, bad + ([f"{name}: {got}"] if got != want else []))

    for name in args.data.split(","):
        path = _dataset(name.strip())
        truth = json.loads((path / "ground-truth.json").read_text(encoding="utf-8"))
        for page in sorted((path / "html").glob("*.html.gz")):
            pid = page.name.split(".")[0]
            html = decode(gzip.decompress(page.read_bytes())).text
            check(f"{path.name} pages", pid, html, "html")
            soup = BeautifulSoup(html, "lxml")
            for tag in soup(["script", "style", "noscript"]):
                tag.decompose()
            check(f"{path.name} flattened", pid, soup.get_text("\n"), "text")
            for field in ("articleBody", "markdown"):
                text = (truth.get(pid) or {}).get(field) or ""
                if text.strip():
                    check(f"{path.name} truth {field}", pid, text, "text")
    for name, text in _files(args.css, ".css", args.limit):
        check("style sheets", name, text, STYLE)
    for name, text in _files(args.js, ".js", args.limit):
        check("scripts", name, text, SCRIPT)
    for group, (n, bad) in groups.items():
        print(f"{group}: {n} inputs, {len(bad)} misread")
        for line in bad[:10]:
            print(f"    {line}")


if __name__ == "__main__":
    main()
