#!/usr/bin/env python3
"""Quality on the dev sets (scrapinghub, wcxb-dev and wcxb-dev-other), with both sets' metrics,
in one table, and word F1 per kind of page on a set whose truth names several (wcxb-dev-other).

Metrics, per system and set:

- **shingle** P/R/F1, the scrapinghub benchmark's metric (its README): tokens are
  ``re.findall(r"\\w+", text)``; predicted and true texts become multisets of 4-token
  shingles; per page tp/fp/fn are normalised to sum to 1; precision and recall are the means
  over pages; F1 = 2PR/(P+R).
- **word** P/R/F1, WCXB's metric (``../shared/datasets/wcxb-dev/README.md``): lowercased
  ``\\w+`` tokens, multiset overlap, precision, recall and F1 per page, each averaged over
  pages.
- **with found / without left**: the share of a set's ``with`` snippets found in the output and
  of its ``without`` snippets left in it (case-insensitive substrings, as WCXB counts them),
  pooled over the set's snippets; "—" on a set without snippets.
- **residue**: pages whose output holds a boilerplate phrase (:data:`RESIDUE_PHRASES`,
  word-bounded, case-insensitive) that the page's truth lacks;
- **empty**: pages with an empty output (as the wcxb-dev README counts them: whatever the
  truth; one wcxb-dev page has an empty truth);
- **catastrophic**: pages where the system's word F1 is below 0.5 while trafilatura alone
  (``trafilatura``, no comments) scores 0.8 or more: the article lost;
- **errors**: pages on which the system raised (an empty output; the run goes on);
- **pages/s**: throughput in this run, timing only the system's own call. Systems take turns
  on each page, so load on the machine weighs on all alike: compare them within one run.

``--worse N`` lists, per set, the N pages where the first system's word F1 falls furthest
below trafilatura's, with both systems' word and shingle F1.

Systems: ``cleaner``, ``trafilatura`` (defaults, ``include_comments=False``),
``trafilatura-comments`` (its true defaults, ``include_comments=True``),
``trafilatura-precision`` (``favor_precision=True``), ``trafilatura-fast`` (``fast=True``),
``readability`` (readability-lxml), ``resiliparse`` (``main_content=True``, no comments).
The other extractors come with the ``bench`` extra (``pip install -e .[bench]``); a system
that is not installed is skipped with a note. The reference system ``trafilatura`` is run
whenever the catastrophic count or ``--worse`` needs it.

**Flattened text** (``--flatten html_text|bs4|truth``): each page is first flattened to text,
as an earlier scrape would have left it, and the systems clean that text (cleaner's text mode,
:mod:`cleaner.textmode`). ``html_text`` is ``html_text.extract_text(html, guess_layout=True)``
(blank lines between blocks, the layout of Common Crawl's WET records); ``bs4`` is
``BeautifulSoup(html, "lxml").get_text("\\n")`` (every inline element's text on a line of its
own); ``truth`` gives each page's ground truth itself (text that is already clean must come back
whole). The systems then are ``cleaner``, ``uncleaned`` (the text as given), ``c4`` (the line
rules of C4's clean-up as datatrove's ``C4QualityFilter`` applies them, used as a line cleaner:
:func:`c4_lines`) and ``justext`` (jusText with each line as a paragraph:
:func:`justext_lines`); the reference for the catastrophic count and ``--worse`` is
``uncleaned``. Set names in the table get the flattener in brackets. ``--flatten`` takes a
comma list to run several in one table (``--flatten html_text,bs4,truth``).

**Structure** (``--structure``, on the sets whose truth has a ``markdown`` field: wcxb-dev and
wcxb-dev-other): the truth's Markdown and each system's are split (markdown-it-py, CommonMark
with GitHub's tables: :func:`split_markdown`) into headings, list items, table cells, code
blocks and links. Each kind scores as a multiset F1 of normalised texts (lowercased ``\\w+``
words; links: their targets resolved against the page's URL; heading levels: (rank of the
level within the page, text), so that ``h2``/``h3`` and ``###``/``####`` compare alike); code as
the similarity of the page's code lines (:func:`code_similarity`). A kind is averaged over the
pages whose truth has it; the table gives each set, all sets together, and each WCXB page
type. The systems: ``cleaner-md`` (``cleaner clean --format md --links``, without its title
line; also its word F1) and ``trafilatura-md`` (trafilatura's Markdown with formatting, links
and tables; cached with ``--cache``). ``--worse N`` lists the N pages where cleaner's scores
fall furthest below trafilatura's; ``--dump DIR`` writes cleaner's Markdown.

``--cache DIR`` keeps the other systems' outputs (and their times) between runs, keyed by the
system, its package version and the page: only ``cleaner`` runs again. ``--dump DIR`` writes
the first system's output of each page (``DIR/<set>/<id>.txt``) to diff two versions.

Usage::

    python benchmarks/quality.py [--data scrapinghub,wcxb-dev,wcxb-dev-other|DIR,...]
                                 [--systems all|NAME,...] [--out FILE] [--worse N] [--residue]
                                 [--cache DIR]
                                 [--dump DIR] [--flatten html_text|bs4|truth,...]
                                 [--structure]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
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
DATASETS = ROOT.parent / "shared" / "datasets"
#: ``--data`` names and the directories they stand for.
SETS = {
    "scrapinghub": DATASETS / "scrapinghub",
    "wcxb-dev": DATASETS / "wcxb-dev",
    "wcxb-dev-other": DATASETS / "wcxb-dev-other",
}
_TOKEN = re.compile(r"\w+")
#: The reference for the catastrophic count and ``--worse``: trafilatura alone.
REFERENCE = "trafilatura"
#: A page is catastrophic when the system scores below the first while the reference scores
#: at least the second (word F1): the issue's definition of an article lost.
CATASTROPHIC_BELOW, CATASTROPHIC_REFERENCE = 0.5, 0.8

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


def shingle_f1(score: tuple[float, float, float]) -> float:
    """One page's shingle F1 from its normalised (tp, fp, fn).

    >>> shingle_f1((1.0, 0.0, 0.0)), shingle_f1((0.0, 0.5, 0.5))
    (1.0, 0.0)
    """
    tp, fp, fn = score
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def word_scores(pred: str, truth: str) -> tuple[float, float, float]:
    """WCXB's per-page word precision, recall and F1 (lowercased ``\\w+`` tokens, multiset
    overlap). Both empty is a perfect page; one empty scores 0.

    >>> word_scores("The cat sat", "the cat sat down")
    (1.0, 0.75, 0.8571428571428571)
    >>> word_scores("", ""), word_scores("", "words")
    ((1.0, 1.0, 1.0), (0.0, 0.0, 0.0))
    """
    p, t = Counter(_TOKEN.findall(pred.lower())), Counter(_TOKEN.findall(truth.lower()))
    np_, nt = sum(p.values()), sum(t.values())
    if not np_ and not nt:
        return 1.0, 1.0, 1.0
    if not np_ or not nt:
        return 0.0, 0.0, 0.0
    overlap = sum((p & t).values())
    precision, recall = overlap / np_, overlap / nt
    f1 = 2 * precision * recall / (precision + recall) if overlap else 0.0
    return precision, recall, f1


def snippets_in(pred: str, snippets: list[str]) -> int:
    """How many of the snippets the output holds (case-insensitive substrings).

    >>> snippets_in("One Two three. Four", ["two THREE", "five"])
    1
    """
    low = pred.lower()
    return sum(1 for s in snippets if s and s.lower() in low)


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


@dataclass(frozen=True)
class Page:
    pid: str
    html: str
    truth: str
    url: str
    with_: tuple[str, ...] = ()
    without: tuple[str, ...] = ()
    #: the page's kind in the truth (WCXB's ``type``; wcxb-dev's pages are all articles)
    kind: str = "article"


def load(data: Path) -> list[Page]:
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    out = []
    for pid in sorted(truth):
        html = gzip.open(data / "html" / f"{pid}.html.gz").read().decode("utf-8")
        t = truth[pid]
        out.append(
            Page(
                pid,
                html,
                t["articleBody"],
                t.get("url") or "",
                tuple(t.get("with") or ()),
                tuple(t.get("without") or ()),
                t.get("type") or "article",
            )
        )
    return out


# -- systems: each factory returns a function (html, url) -> article text -----------------


def run_cleaner(
    containers: bool = True, comments: bool = False
) -> Callable[[str, str], tuple[str, str]]:
    """cleaner, returning the text and the path the page took (``comments``: read the comment
    section too, which must leave the article's text as it is)."""
    from cleaner import Cleaner

    c = Cleaner(containers=containers, comments=comments)

    def run(html: str, url: str) -> tuple[str, str]:
        res = c.clean(html, url=url or None)
        return res.text, res.path

    return run


def run_trafilatura(**kw: bool) -> Callable[[str, str], str]:
    import trafilatura

    kw.setdefault("include_comments", False)
    return lambda html, url: trafilatura.extract(html, **kw) or ""


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


# -- flattened text: the flatteners, and the systems that clean text ----------------------


def flatten_html_text(html: str) -> str:
    """The page as html_text flattens it with ``guess_layout=True``: a block a line (or more),
    blank lines between blocks, as in Common Crawl's WET records."""
    import html_text

    return str(html_text.extract_text(html, guess_layout=True))


def flatten_bs4(html: str) -> str:
    """The page as ``BeautifulSoup.get_text("\\n")`` flattens it: every string of the page a
    line of its own, so inline links and emphasis split sentences (script and style text
    is left out, as bs4 does by default)."""
    from bs4 import BeautifulSoup

    return str(BeautifulSoup(html, "lxml").get_text("\n"))


FLATTENERS: dict[str, Callable[[Page], str]] = {
    "html_text": lambda page: flatten_html_text(page.html),
    "bs4": lambda page: flatten_bs4(page.html),
    "truth": lambda page: page.truth,
}

#: C4's clean-up rules, as datatrove's ``C4QualityFilter`` (datatrove/pipeline/filters/
#: c4_filters.py, after Raffel et al. 2020, the C4 data set) writes them.
C4_END_PUNCTUATION = (".", "?", "!", '"', "'")
C4_ELLIPSIS = "..."
C4_POLICY_SUBSTRINGS = (
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies",
)
C4_CITATION = re.compile(r"\[\d*]|\[edit]|\[citation needed]")
C4_MIN_WORDS_PER_LINE = 3
C4_MAX_WORD_LENGTH = 1000


def c4_lines(text: str) -> str:
    """The line rules of C4's clean-up as datatrove's ``C4QualityFilter`` applies them
    (defaults; ``split_paragraph=True``), used as a line cleaner: a line is kept when it ends
    in terminal punctuation (not an ellipsis), has at least 3 words and no word over 1,000
    characters, and mentions neither "javascript" nor a policy ("privacy policy", "uses
    cookies" ...); citation marks (``[1]``, ``[edit]``) are taken out of kept lines. The
    filter's page-level verdicts (fewer than 5 sentences, "lorem ipsum", a curly bracket)
    drop whole documents from a corpus; a line cleaner keeps the page, so they are not
    applied.

    >>> c4_lines("Home\nThis is a sentence.[1]\nShort one.\nWe use cookies on this site.")
    'This is a sentence.'
    """
    kept = []
    for raw in text.splitlines():
        line = raw.strip()
        words = line.split()
        if words and max(len(w) for w in words) > C4_MAX_WORD_LENGTH:
            continue
        line = C4_CITATION.sub("", line)
        if not line.endswith(C4_END_PUNCTUATION) or line.endswith(C4_ELLIPSIS):
            continue
        if len(words) < C4_MIN_WORDS_PER_LINE:
            continue
        low = line.lower()
        if "javascript" in low or any(p in low for p in C4_POLICY_SUBSTRINGS):
            continue
        kept.append(line)
    return "\n".join(kept)


#: jusText's stop lists for the rule packs' languages; a page gets the one its words hit most.
_JUSTEXT_LANGUAGES = ("English", "German", "French", "Spanish", "Italian", "Portuguese", "Dutch")


def run_justext_lines() -> Callable[[str, str], str]:
    """jusText (defaults) on the text, each non-blank line a paragraph (``<p>``), with the stop
    list of the rule packs' languages that the page's words hit most."""
    import html

    import justext

    stoplists = {lang: justext.get_stoplist(lang) for lang in _JUSTEXT_LANGUAGES}

    def clean(text: str, url: str) -> str:
        lines = [" ".join(line.split()) for line in text.splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            return ""
        words = Counter(_TOKEN.findall(text.lower()))
        lang = max(stoplists, key=lambda k: sum(words[w] for w in stoplists[k] if w in words))
        doc = "<html><body>" + "".join(f"<p>{html.escape(x)}</p>" for x in lines) + "</body></html>"
        paragraphs = justext.justext(doc, stoplists[lang])
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    return clean


#: A system returns the article text, or (text, path) for cleaner's systems.
System = Callable[[str, str], "str | tuple[str, str]"]
SYSTEMS: dict[str, Callable[[], System]] = {
    "cleaner": run_cleaner,
    "cleaner-trafilatura-path": lambda: run_cleaner(False),
    "cleaner-comments": lambda: run_cleaner(comments=True),
    "trafilatura": lambda: run_trafilatura(),
    "trafilatura-comments": lambda: run_trafilatura(include_comments=True),
    "trafilatura-precision": lambda: run_trafilatura(favor_precision=True),
    "trafilatura-fast": lambda: run_trafilatura(fast=True),
    "readability": run_readability,
    "resiliparse": run_resiliparse,
    "uncleaned": lambda: lambda text, url: text,
    "c4": lambda: lambda text, url: c4_lines(text),
    "justext": run_justext_lines,
}
#: The systems that take text (``--flatten``), and those that take HTML.
TEXT_SYSTEMS = ("cleaner", "uncleaned", "c4", "justext")
HTML_SYSTEMS = tuple(name for name in SYSTEMS if name not in TEXT_SYSTEMS[1:])
#: Systems run only when named in --systems: ``cleaner-comments`` checks that reading the
#: comments leaves the article as it is (``--systems cleaner,cleaner-comments``).
ASKED_ONLY = ("cleaner-comments",)
#: The reference of the catastrophic count and ``--worse`` on flattened text.
TEXT_REFERENCE = "uncleaned"
#: The package whose version keys a system's cached outputs (cleaner is never cached).
_PACKAGE = {
    "trafilatura": "trafilatura",
    "trafilatura-comments": "trafilatura",
    "trafilatura-precision": "trafilatura",
    "trafilatura-fast": "trafilatura",
    "readability": "readability-lxml",
    "resiliparse": "resiliparse",
    "justext": "justext",
    "trafilatura-md": "trafilatura",
}


@dataclass
class Run:
    name: str
    scores: list[tuple[float, float, float]] = field(default_factory=list)
    words: list[tuple[float, float, float]] = field(default_factory=list)
    pids: list[str] = field(default_factory=list)
    residue: dict[str, list[str]] = field(default_factory=dict)
    empty: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    with_found: int = 0
    with_total: int = 0
    without_left: int = 0
    without_total: int = 0
    seconds: float = 0.0
    skipped: str | None = None
    outputs: dict[str, str] = field(default_factory=dict)
    #: the path each page took (cleaner's systems)
    paths: dict[str, str] = field(default_factory=dict)
    #: each page's kind in the truth
    kinds: dict[str, str] = field(default_factory=dict)

    def word_f1(self) -> dict[str, float]:
        return {pid: w[2] for pid, w in zip(self.pids, self.words, strict=True)}


class Cache:
    """Outputs of the systems other than cleaner, in ``DIR/<system>-<version>/<set>.json``."""

    def __init__(self, root: Path | None, set_name: str) -> None:
        self.root, self.set_name = root, set_name
        self.data: dict[str, dict[str, list[object]]] = {}

    def _path(self, system: str) -> Path | None:
        if self.root is None or system not in _PACKAGE:
            return None
        from importlib.metadata import PackageNotFoundError, version

        try:
            ver = version(_PACKAGE[system])
        except PackageNotFoundError:
            return None
        return self.root / f"{system}-{ver}" / f"{self.set_name}.json"

    def get(self, system: str) -> dict[str, list[object]]:
        if system not in self.data:
            path = self._path(system)
            loaded = {}
            if path is not None and path.exists():
                loaded = json.loads(path.read_text(encoding="utf-8"))
            self.data[system] = loaded
        return self.data[system]

    def save(self, system: str) -> None:
        path = self._path(system)
        if path is not None and system in self.data:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, json.dumps(self.data[system], ensure_ascii=False))


def _key(page: Page) -> str:
    return f"{page.pid}:{hashlib.sha1(page.html.encode('utf-8', 'replace')).hexdigest()[:12]}"


def run_systems(names: list[str], pages: list[Page] | list[tuple[str, str, str, str]],
                cache: Cache | None = None) -> list[Run]:
    """Run every system on every page. Pages are the outer loop, so that the machine's load
    at any moment weighs on all systems alike and their pages/s compare within one run."""
    pages = [p if isinstance(p, Page) else Page(*p) for p in pages]
    runs = [Run(name) for name in names]
    fns: list[System | None] = []
    for run in runs:
        try:
            fns.append(SYSTEMS[run.name]())
        except ImportError as exc:
            run.skipped = f"not installed ({exc.name or exc}); pip install -e .[bench]"
            fns.append(None)
    for page in pages:
        for run, fn in zip(runs, fns, strict=True):
            if fn is None:
                continue
            cached = cache.get(run.name) if cache is not None else {}
            hit = cached.get(_key(page)) if run.name in _PACKAGE else None
            if hit is not None:
                pred, spent, err = str(hit[0]), float(hit[1]), hit[2]  # type: ignore[arg-type]
            else:
                err = None
                start = time.perf_counter()
                try:
                    got = fn(page.html, page.url)
                except Exception as exc:  # noqa: BLE001 - one bad page never stops a run
                    err = f"{type(exc).__name__}: {exc}"
                    got = ""
                spent = time.perf_counter() - start
                if isinstance(got, tuple):
                    pred, run.paths[page.pid] = got
                else:
                    pred = got
                if cache is not None and run.name in _PACKAGE:
                    cached[_key(page)] = [pred, spent, err]
            if err:
                run.errors[page.pid] = str(err)
            run.seconds += spent
            score(run, page, pred)
    if cache is not None:
        for run in runs:
            cache.save(run.name)
    return runs


def score(run: Run, page: Page, pred: str) -> None:
    """Add one page's output to a run's measures."""
    if not pred.strip():
        run.empty.append(page.pid)
    found = residue(pred, page.truth)
    if found:
        run.residue[page.pid] = found
    run.scores.append(page_scores(pred, page.truth))
    run.words.append(word_scores(pred, page.truth))
    run.pids.append(page.pid)
    run.kinds[page.pid] = page.kind
    run.with_found += snippets_in(pred, list(page.with_))
    run.with_total += len(page.with_)
    run.without_left += snippets_in(pred, list(page.without))
    run.without_total += len(page.without)
    run.outputs[page.pid] = pred


def catastrophic(run: Run, reference: Run | None) -> list[str] | None:
    """Pages where ``run`` lost the article that the reference finds (word F1)."""
    if reference is None or reference.skipped or run.skipped:
        return None
    ref = reference.word_f1()
    return [
        pid
        for pid, f in run.word_f1().items()
        if f < CATASTROPHIC_BELOW and ref.get(pid, 0.0) >= CATASTROPHIC_REFERENCE
    ]


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def table(results: dict[str, list[Run]], shown: list[str], reference: str = REFERENCE) -> str:
    lines = [
        "| set | system | shingle F1 (P / R) | word F1 (P / R) | with found | without left "
        "| residue pages | empty | catastrophic | errors | pages/s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for set_name, runs in results.items():
        ref = next((r for r in runs if r.name == reference), None)
        for run in runs:
            if run.name not in shown:
                continue
            if run.skipped:
                lines.append(f"| {set_name} | {run.name} | {run.skipped} |" + " — |" * 9)
                continue
            p, r, f = f1_of(run.scores)
            wp, wr, wf = (_mean([w[i] for w in run.words]) for i in range(3))
            with_ = f"{run.with_found / run.with_total:.1%}" if run.with_total else "—"
            without = f"{run.without_left / run.without_total:.1%}" if run.without_total else "—"
            cat = catastrophic(run, ref)
            speed = len(run.pids) / run.seconds if run.seconds else 0.0
            lines.append(
                f"| {set_name} | {run.name} | **{f:.3f}** ({p:.3f} / {r:.3f}) "
                f"| **{wf:.3f}** ({wp:.3f} / {wr:.3f}) | {with_} | {without} "
                f"| {len(run.residue)} | {len(run.empty)} "
                f"| {'—' if cat is None else len(cat)} | {len(run.errors)} | {speed:.1f} |"
            )
    return "\n".join(lines) + "\n"


def path_table(results: dict[str, list[Run]]) -> str:
    """Per set and path of ``cleaner``: pages, and the mean word and shingle F1 on those pages
    of cleaner, of ``cleaner-trafilatura-path`` (every page on trafilatura's path) and of
    trafilatura alone, when they ran."""
    lines = [
        "| set | path | pages | cleaner word / shingle F1 | same pages, trafilatura's path "
        "| same pages, trafilatura alone |",
        "|---|---|---|---|---|---|",
    ]
    for set_name, runs in results.items():
        by = {r.name: r for r in runs if not r.skipped}
        mine = by.get("cleaner")
        if mine is None or not mine.paths:
            continue
        for path in sorted(set(mine.paths.values())):
            pids = {pid for pid, p in mine.paths.items() if p == path}
            cells = []
            for name in ("cleaner", "cleaner-trafilatura-path", REFERENCE):
                run = by.get(name)
                if run is None:
                    cells.append("—")
                    continue
                pairs = zip(run.pids, run.words, run.scores, strict=True)
                kept = [(w, s) for pid, w, s in pairs if pid in pids]
                w = [word[2] for word, _ in kept]
                sh = [shingle_f1(score) for _, score in kept]
                cells.append(f"{_mean(w):.3f} / {_mean(sh):.3f}")
            lines.append(f"| {set_name} | {path} | {len(pids)} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def kind_table(results: dict[str, list[Run]], shown: list[str], reference: str) -> str:
    """Per set whose truth names several kinds of page (WCXB's ``type``): word F1 of each
    system on each kind's pages, with the catastrophic count against the reference."""
    lines = []
    for set_name, runs in results.items():
        kinds = sorted({k for r in runs for k in r.kinds.values()})
        if len(kinds) < 2:
            continue
        ref = next((r for r in runs if r.name == reference), None)
        shown_runs = [r for r in runs if r.name in shown and not r.skipped]
        if not lines:
            lines = [
                "| set | kind | pages | " + " | ".join(f"{r.name} word F1" for r in shown_runs)
                + " | catastrophic (first) |",
                "|---|---|---|" + "---|" * len(shown_runs) + "---|",
            ]
        cat = set(catastrophic(shown_runs[0], ref) or []) if shown_runs else set()
        for kind in [*kinds, None]:
            cells = []
            n = 0
            for run in shown_runs:
                f = [
                    w for pid, w in run.word_f1().items() if kind is None or run.kinds[pid] == kind
                ]
                n = len(f)
                cells.append(f"{_mean(f):.3f}")
            first = shown_runs[0] if shown_runs else None
            lost = sum(
                1 for pid in cat if first is not None and (kind is None or first.kinds[pid] == kind)
            )
            lines.append(
                f"| {set_name} | {kind or 'all'} | {n} | " + " | ".join(cells) + f" | {lost} |"
            )
    return "\n".join(lines) + "\n" if lines else ""


def worse(first: Run, ref: Run, n: int) -> list[str]:
    """The first system's pages furthest below the reference, by word F1."""
    mine, theirs = first.word_f1(), ref.word_f1()
    sh_mine = {pid: shingle_f1(s) for pid, s in zip(first.pids, first.scores, strict=True)}
    sh_ref = {pid: shingle_f1(s) for pid, s in zip(ref.pids, ref.scores, strict=True)}
    ranked = sorted(mine, key=lambda pid: mine[pid] - theirs[pid])
    return [
        f"{pid}: word {mine[pid]:.3f} vs {theirs[pid]:.3f}, "
        f"shingle {sh_mine[pid]:.3f} vs {sh_ref[pid]:.3f}"
        for pid in ranked[:n]
        if mine[pid] < theirs[pid]
    ]


def write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def _datasets(spec: str) -> dict[str, Path]:
    out = {}
    for item in spec.split(","):
        path = SETS.get(item, Path(item))
        out[item if item in SETS else path.name] = path
    return out


def flattened(page: Page, how: str) -> Page:
    """The page with its HTML replaced by the text the flattener makes of it."""
    return Page(page.pid, FLATTENERS[how](page), page.truth, page.url, page.with_, page.without)


def report(label: str, runs: list[Run], reference: str, args: argparse.Namespace) -> None:
    """What a set's run prints on stderr besides the table: skipped systems, the first
    system's catastrophic pages, ``--worse``, ``--residue``; and its ``--dump``."""
    first, ref = runs[0], next(r for r in runs if r.name == reference)
    for run in runs:
        if run.skipped:
            print(f"{label}: {run.name}: skipped, {run.skipped}", file=sys.stderr)
    if first.skipped:
        return
    if args.dump:
        out = args.dump / label.replace(" (", "-").rstrip(")")
        out.mkdir(parents=True, exist_ok=True)
        for pid, text in first.outputs.items():
            (out / f"{pid}.txt").write_text(text, encoding="utf-8")
    cat = catastrophic(first, ref) or []
    if cat:
        print(f"{label}: catastrophic: {' '.join(cat)}", file=sys.stderr)
    if args.worse and not ref.skipped:
        for line in worse(first, ref, args.worse):
            print(f"{label}: worse {line}", file=sys.stderr)
    if args.residue:
        for pid, found in first.residue.items():
            print(f"{label}: residue {pid}: {', '.join(found)}", file=sys.stderr)
        for pid in first.empty:
            print(f"{label}: empty {pid}", file=sys.stderr)
        for pid, err in first.errors.items():
            print(f"{label}: error {pid}: {err}", file=sys.stderr)


# -- structure: headings, list items, table cells, code and links of the Markdown -------------

#: The kinds the structure score compares, in the table's order.
STRUCTURE_KINDS = (
    "heading texts", "heading levels", "list items", "table cells", "code", "links",
)
#: The systems of ``--structure``: cleaner's ``--format md --links`` (without its title line)
#: and trafilatura's Markdown with formatting, links and tables.
STRUCTURE_SYSTEMS = ("cleaner-md", "trafilatura-md")


@dataclass
class Structure:
    """The structure of one Markdown document (:func:`split_markdown`)."""

    #: (level, normalised text) of each heading
    headings: list[tuple[int, str]] = field(default_factory=list)
    #: each list item's own text (its paragraphs, not its nested lists), normalised
    items: list[str] = field(default_factory=list)
    #: each table cell's text, normalised (empty cells left out); rows of pipes without a
    #: delimiter row count too (:func:`_pipe_rows`)
    cells: list[str] = field(default_factory=list)
    #: each code block (fenced or indented), as written
    code: list[str] = field(default_factory=list)
    #: each link's target, resolved against the page's URL (:func:`norm_url`); not images
    links: list[str] = field(default_factory=list)


def norm_text(text: str) -> str:
    """A text as the structure score compares it: lowercased ``\\w+`` words, one space apart
    (emphasis, escapes and punctuation do not count).

    >>> norm_text("**Step 1:** Install *it*!")
    'step 1 install it'
    """
    return " ".join(_TOKEN.findall(text.lower()))


def norm_url(href: str, base: str = "") -> str:
    """A link's target as the structure score compares it: resolved against ``base`` (the
    page's URL), scheme and host lowercased, no trailing slash on the path.

    >>> norm_url("/docs/setup/", "https://Blog.example.com/2024/post/")
    'https://blog.example.com/docs/setup'
    >>> norm_url("../other.html", "https://blog.example.com/2024/post/")
    'https://blog.example.com/2024/other.html'
    """
    from urllib.parse import urljoin, urlsplit, urlunsplit

    href = href.strip()
    try:
        parts = urlsplit(urljoin(base, href) if base else href)
    except ValueError:
        return href
    path = parts.path.rstrip("/") if parts.path != "/" else ""
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), path, parts.query, parts.fragment)
    )


def _inline_text(token: object) -> str:
    """The plain text of a markdown-it ``inline`` token: its text, code spans and image alt
    texts, line breaks as spaces."""
    out = []
    for child in getattr(token, "children", None) or []:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return "".join(out)


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def _pipe_rows(content: str) -> list[str]:
    """The cells of a paragraph whose every line is a row of pipes (``| a | b |``): a table
    without the delimiter row that GitHub's tables need, as trafilatura writes a table that
    has no header cells. Markdown readers show it as text; the score counts its cells as a
    table's all the same (the issue's figures do). Empty when it is not such a paragraph.

    >>> _pipe_rows("| **Drug** | [Wegovy](/w) |\\n| Tablet | Once |")
    ['drug', 'wegovy', 'tablet', 'once']
    """
    lines = [line.strip() for line in content.splitlines() if line.strip()]
    if not lines or not all(line.startswith("|") and line.endswith("|") for line in lines):
        return []
    cells = []
    for line in lines:
        for cell in _CELL_SPLIT.split(_MD_LINK.sub(r"\1", line)[1:-1]):
            if norm_text(cell):
                cells.append(norm_text(cell))
    return cells


def split_markdown(md: str, url: str = "") -> Structure:
    """Split a Markdown document (CommonMark with GitHub's tables) into its headings, list
    items, table cells, code blocks and links (markdown-it-py's parser).

    >>> s = split_markdown("## Setup\\n\\n- Run [it](/run)\\n  - nested\\n\\n"
    ...     "| a | b |\\n|---|---|\\n| 1 | |\\n\\n```py\\nx = 1\\n```\\n", "https://e.com/p/")
    >>> s.headings, s.items, s.cells, s.code, s.links
    ([(2, 'setup')], ['run it', 'nested'], ['a', 'b', '1'], ['x = 1\\n'], ['https://e.com/run'])
    """
    from markdown_it import MarkdownIt

    out = Structure()
    heading: int | None = None
    cell = False
    items: list[list[str]] = []  # the open list items' texts, innermost last
    opened: list[int] = []  # and their places in out.items
    for token in MarkdownIt("commonmark").enable("table").parse(md):
        kind = token.type
        if kind == "heading_open":
            heading = int(token.tag[1])
        elif kind == "heading_close":
            heading = None
        elif kind in ("th_open", "td_open"):
            cell = True
        elif kind in ("th_close", "td_close"):
            cell = False
        elif kind == "list_item_open":
            items.append([])
            out.items.append("")  # its place, in document order
            opened.append(len(out.items) - 1)
        elif kind == "list_item_close":
            out.items[opened.pop()] = norm_text(" ".join(items.pop()))
        elif kind in ("fence", "code_block"):
            out.code.append(token.content)
        elif kind == "inline":
            text = _inline_text(token)
            for child in token.children or []:
                if child.type == "link_open":
                    out.links.append(norm_url(str(child.attrs.get("href") or ""), url))
            if heading is not None:
                if norm_text(text):
                    out.headings.append((heading, norm_text(text)))
            elif cell:
                if norm_text(text):
                    out.cells.append(norm_text(text))
            elif _pipe_rows(token.content):
                out.cells.extend(_pipe_rows(token.content))
            elif items:
                items[-1].append(text)
    out.items = [text for text in out.items if text]
    return out


def multiset_f1(pred: list[object], truth: list[object]) -> float:
    """F1 of two multisets (each element matched at most as often as it occurs in both).

    >>> multiset_f1(["a", "a", "b"], ["a", "b", "c"])
    0.6666666666666666
    >>> multiset_f1([], ["a"])
    0.0
    """
    overlap = sum((Counter(pred) & Counter(truth)).values())
    if not overlap:
        return 0.0
    return 2 * overlap / (len(pred) + len(truth))


def heading_ranks(headings: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Headings with their level replaced by its rank among the page's levels, so that a page
    whose headings are ``h2``/``h3`` and a Markdown of ``###``/``####`` compare alike.

    >>> heading_ranks([(3, "a"), (4, "b"), (3, "c")])
    [(1, 'a'), (2, 'b'), (1, 'c')]
    """
    rank = {level: i + 1 for i, level in enumerate(sorted({lv for lv, _ in headings}))}
    return [(rank[level], text) for level, text in headings]


def code_lines(blocks: list[str]) -> list[str]:
    """The code blocks' lines, joined, each with its white space collapsed; blank lines left
    out."""
    return [" ".join(line.split()) for b in blocks for line in b.splitlines() if line.strip()]


def code_similarity(pred: list[str], truth: list[str]) -> float:
    """How alike two pages' code is: the similarity (difflib's ratio) of their code blocks'
    lines, joined. A line counts when it matches whole, so a block flattened to one line, or
    with line numbers or button labels in its lines, scores low.

    >>> code_similarity(["def f():\\n    return 1\\n"], ["def f():\\n  return 1"])
    1.0
    >>> code_similarity(["def f(): return 1 Copy"], ["def f():\\n  return 1"])
    0.0
    """
    from difflib import SequenceMatcher

    a, b = code_lines(pred), code_lines(truth)
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def structure_scores(pred: Structure, truth: Structure) -> dict[str, float]:
    """One page's score per kind, for the kinds its truth has (the others are left out: a
    kind is averaged over the pages whose truth has it).

    >>> t = split_markdown("# A\\n\\n## B\\n\\n- one\\n- two\\n")
    >>> p = split_markdown("## A\\n\\n### B\\n\\n- one\\n")
    >>> sorted(structure_scores(p, t).items())
    [('heading levels', 1.0), ('heading texts', 1.0), ('list items', 0.6666666666666666)]
    """
    out: dict[str, float] = {}
    if truth.headings:
        out["heading texts"] = multiset_f1(
            [t for _, t in pred.headings], [t for _, t in truth.headings]
        )
        out["heading levels"] = multiset_f1(
            list(heading_ranks(pred.headings)), list(heading_ranks(truth.headings))
        )
    if truth.items:
        out["list items"] = multiset_f1(list(pred.items), list(truth.items))
    if truth.cells:
        out["table cells"] = multiset_f1(list(pred.cells), list(truth.cells))
    if code_lines(truth.code):
        out["code"] = code_similarity(pred.code, truth.code)
    if truth.links:
        out["links"] = multiset_f1(list(pred.links), list(truth.links))
    return out


def run_cleaner_md() -> Callable[[str, str], tuple[str, str]]:
    """cleaner as ``cleaner clean --format md --links`` writes a page, without the title line
    (the truth has none); and its plain text, for the word F1."""
    from dataclasses import replace

    from cleaner import Cleaner
    from cleaner.format import render

    c = Cleaner(formatting=True, links=True)

    def run(html: str, url: str) -> tuple[str, str]:
        res = c.clean(html, url=url or None)
        return render(replace(res, title=None), "md"), res.text

    return run


def run_trafilatura_md() -> Callable[[str, str], str]:
    """trafilatura's Markdown, with formatting, links and tables (no comments)."""
    import trafilatura

    def run(html: str, url: str) -> str:
        return (
            trafilatura.extract(
                html, url=url or None, output_format="markdown", include_formatting=True,
                include_links=True, include_tables=True, include_comments=False,
            )
            or ""
        )

    return run


@dataclass
class StructurePage:
    """One page's structure scores (per system) and its WCXB page type."""

    pid: str
    kind: str
    scores: dict[str, dict[str, float]]
    #: word F1 of the systems that give their plain text too (cleaner's)
    words: dict[str, float]


def run_structure(
    path: Path,
    set_name: str,
    cache_root: Path | None,
    systems: tuple[str, ...],
    dump: Path | None = None,
) -> list[StructurePage]:
    """The structure scores of every page of a set whose truth has a ``markdown`` field, for
    each system (trafilatura's outputs cached as the other systems'); with ``dump``, the first
    system's Markdown of each page in ``dump/<set>/<id>.md``."""
    truth = json.loads((path / "ground-truth.json").read_text(encoding="utf-8"))
    pages = [p for p in load(path) if (truth[p.pid].get("markdown") or "").strip()]
    cache = Cache(cache_root, set_name)
    fns = {
        "cleaner-md": run_cleaner_md(),
        "trafilatura-md": run_trafilatura_md(),
    }
    out = []
    for page in pages:
        t = split_markdown(truth[page.pid]["markdown"], page.url)
        scores: dict[str, dict[str, float]] = {}
        words: dict[str, float] = {}
        for name in systems:
            cached = cache.get(name) if name in _PACKAGE else {}
            hit = cached.get(_key(page))
            text: str | None = None
            if hit is not None:
                md = str(hit[0])
            else:
                try:
                    got = fns[name](page.html, page.url)
                except Exception as exc:  # noqa: BLE001 - one bad page never stops a run
                    print(f"{set_name}: {name}: {page.pid}: {exc!r}", file=sys.stderr)
                    got = ""
                md, text = got if isinstance(got, tuple) else (got, None)
                if name in _PACKAGE:
                    cached[_key(page)] = [md, 0.0, None]
            if dump is not None and name == systems[0]:
                (dump / set_name).mkdir(parents=True, exist_ok=True)
                (dump / set_name / f"{page.pid}.md").write_text(md, encoding="utf-8")
            scores[name] = structure_scores(split_markdown(md, page.url), t)
            if text is not None:
                words[name] = word_scores(text, page.truth)[2]
        out.append(StructurePage(page.pid, str(truth[page.pid].get("type") or ""), scores, words))
    for name in systems:
        cache.save(name)
    return out


def structure_table(results: dict[str, list[StructurePage]], systems: tuple[str, ...]) -> str:
    """Per set (and over all sets, and per WCXB page type over all sets): each kind's mean
    score per system, over the pages whose truth has the kind, and how many they are."""
    groups: dict[str, list[StructurePage]] = dict(results)
    everything = [p for pages in results.values() for p in pages]
    if len(results) > 1:
        groups["all sets"] = everything
    for kind in sorted({p.kind for p in everything if p.kind}):
        groups[f"type {kind}"] = [p for p in everything if p.kind == kind]
    worded = [s for s in systems if everything and s in everything[0].words]
    head = " | ".join(f"{k} ({' / '.join(systems)})" for k in STRUCTURE_KINDS)
    lines = [
        f"| pages | word F1 ({' / '.join(worded)}) | {head} |",
        "|---|---|" + "---|" * len(STRUCTURE_KINDS),
    ]
    for label, pages in groups.items():
        cells = [" / ".join(f"{_mean([p.words[s] for p in pages]):.3f}" for s in worded)]
        for kind in STRUCTURE_KINDS:
            having = [p for p in pages if kind in p.scores[systems[0]]]
            if not having:
                cells.append("—")
                continue
            means = " / ".join(f"{_mean([p.scores[s][kind] for p in having]):.3f}" for s in systems)
            cells.append(f"{means} ({len(having)})")
        lines.append(f"| {label} ({len(pages)}) | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def structure_main(args: argparse.Namespace) -> int:
    """``--structure``: the structure scores of the sets whose truth has Markdown."""
    results: dict[str, list[StructurePage]] = {}
    for set_name, path in _datasets(args.data).items():
        pages = run_structure(path, set_name, args.cache, STRUCTURE_SYSTEMS, args.dump)
        if not pages:
            print(f"{set_name}: no Markdown in its truth; left out", file=sys.stderr)
            continue
        results[set_name] = pages
        if args.worse:
            ranked = sorted(
                pages,
                key=lambda p: sum(p.scores[STRUCTURE_SYSTEMS[0]].values())
                - sum(p.scores[STRUCTURE_SYSTEMS[1]].values()),
            )
            for p in ranked[: args.worse]:
                pairs = ", ".join(
                    f"{k} {p.scores[STRUCTURE_SYSTEMS[0]][k]:.2f} vs "
                    f"{p.scores[STRUCTURE_SYSTEMS[1]][k]:.2f}"
                    for k in STRUCTURE_KINDS
                    if k in p.scores[STRUCTURE_SYSTEMS[0]]
                )
                print(f"{set_name}: structure {p.pid} ({p.kind}): {pairs}", file=sys.stderr)
    text = structure_table(results, STRUCTURE_SYSTEMS)
    print(text, end="")
    if args.out:
        write_atomic(args.out, text)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument(
        "--data", default=",".join(SETS),
        help=f"comma list of set names ({', '.join(SETS)}) or directories",
    )
    ap.add_argument(
        "--systems", default="all",
        help=f"'all' or a comma list of: {', '.join(HTML_SYSTEMS)}; with --flatten, of: "
        f"{', '.join(TEXT_SYSTEMS)}",
    )
    ap.add_argument("--out", type=Path, help="write the markdown table here")
    ap.add_argument("--worse", type=int, default=0, metavar="N",
                    help="list the first system's N pages furthest below the reference's "
                    "(trafilatura; with --flatten, the uncleaned text), per set")
    ap.add_argument("--residue", action="store_true", help="list the first system's residue")
    ap.add_argument("--cache", type=Path, help="keep the other systems' outputs here")
    ap.add_argument("--dump", type=Path, help="write the first system's outputs here")
    ap.add_argument(
        "--flatten", metavar="HOW",
        help=f"clean the pages flattened to text first: comma list of {', '.join(FLATTENERS)}",
    )
    ap.add_argument(
        "--structure", action="store_true",
        help="score structure instead (headings, lists, tables, code, links of the truth's "
        "Markdown): cleaner's --format md --links against trafilatura's Markdown",
    )
    args = ap.parse_args()
    if args.structure:
        return structure_main(args)
    flatteners = args.flatten.split(",") if args.flatten else [None]
    unknown = [f for f in flatteners if f is not None and f not in FLATTENERS]
    if unknown:
        ap.error(f"unknown flattener(s): {', '.join(unknown)}; known: {', '.join(FLATTENERS)}")
    for how in flatteners:
        if how in ("html_text", "bs4"):
            try:
                __import__("html_text" if how == "html_text" else "bs4")
            except ImportError:
                ap.error(f"--flatten {how} needs the {how} package: pip install -e '.[bench]'")
    offered = TEXT_SYSTEMS if args.flatten else HTML_SYSTEMS
    reference = TEXT_REFERENCE if args.flatten else REFERENCE
    if args.systems == "all":
        names = [n for n in offered if n not in ASKED_ONLY]
    else:
        names = args.systems.split(",")
    unknown = [n for n in names if n not in offered]
    if unknown:
        ap.error(f"unknown system(s): {', '.join(unknown)}; known: {', '.join(offered)}")
    shown = list(names)
    if reference not in names:  # the catastrophic count and --worse compare with it
        names.append(reference)
    results: dict[str, list[Run]] = {}
    for set_name, path in _datasets(args.data).items():
        if not (path / "ground-truth.json").exists():
            ap.error(f"{path}: no ground-truth.json (not a data set)")
        pages = load(path)
        for how in flatteners:
            label = set_name if how is None else f"{set_name} ({how})"
            given = pages if how is None else [flattened(p, how) for p in pages]
            cache = Cache(args.cache, set_name if how is None else f"{set_name}-{how}")
            runs = run_systems(names, given, cache)
            results[label] = runs
            report(label, runs, reference, args)
    text = table(results, shown, reference)
    by_kind = kind_table(results, shown, reference)
    if by_kind:
        text += "\n" + by_kind
    if not args.flatten and any(r.paths for runs in results.values() for r in runs):
        text += "\n" + path_table(results)
    print(text, end="")
    if args.out:
        write_atomic(args.out, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
