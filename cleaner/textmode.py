"""Text mode: find the article in text that an earlier scrape flattened from a whole page.

Contract: :func:`clean_text` takes the page's text (a Common Crawl WET record, html_text's or
resiliparse's output, a ``BeautifulSoup.get_text("\\n")`` dump, or text that is already the
article) and the page's :class:`~cleaner.revise.TextMatcher`, and returns a
:class:`TextPage`: the title, the kept blocks (each a line of the input, or the fragments of
one sentence joined) and one :class:`~cleaner.result.Removal` per removed span, each naming
its reason. It never changes a kept line's words; it only joins fragments and drops
characters that show nothing (zero-width spaces).

Steps:

1. **Lines.** Each non-blank line is a block. The fragments that ``get_text("\\n")`` cuts at
   inline elements are joined first (:func:`join_fragments`).
2. **Scores.** Each line is scored on signals that hold across languages and sites: its
   words, the share of them that are stop words (:data:`LANGUAGES`' stop lists, package
   data), end punctuation (seen through closing quotes), headline shape, whether the page
   repeats it, teaser endings, comment metadata and date lines, and whether a text rule
   labels it. Sentences score their words less :data:`PROSE_OFFSET`; the rest is negative.
3. **Region.** The contiguous run of lines with the largest sum (a maximum-sum subarray,
   :func:`best_region`) is the main region. When the page repeats its title (its ``<h1>``),
   the best region starting right after that line wins unless it is much poorer. The region
   ends early at an end-of-article header (:func:`end_marker`: a ``#cut#`` rule, or a
   ``#run#`` rule of the related-posts or comments packs, unless the article's prose goes on
   right after it), once it holds :data:`END_MIN_WORDS` words of prose.
4. **Title.** The first line that no rule labels, or the line before the region that repeats
   it (whole, or its longest part split at `` | – — : - · • ``): the first line of a
   flattened page is often its ``<title>``, ahead of the menus, and the article's own title
   comes later as a line of its own.
5. **Rules.** The text rule packs then run from the region's start to the page's end, so
   labelled widgets inside the region, and what follows it, go with their rule's
   ``file:line`` where one matches; lines above the region are matched apart, so that a
   comment count in a byline cuts nothing. What no rule explains outside the region goes as
   ``builtin:region`` "outside the main region (lines a-b)" or, after an end-of-article
   header, as ``builtin:end-of-article`` "end of article at '<header>' (<rule's file:line>)".
   Then, as for any text: a comment label left at the end, a repeated title, date lines.

Text that is already the article stays whole (:func:`_already_clean`: it starts with a
sentence, or with prose within its first lines and no header of menus or labelled lines).

>>> from cleaner.ruleset import builtin_rules
>>> from cleaner.revise import TextMatcher
>>> textm = TextMatcher([r for r in builtin_rules().rules if r.action.is_text])
>>> page = "\\n".join(["My Post | Blog", "Home", "About", "Contact", "My Post",
...     "This is the first paragraph of the post, and it says what the post is about.",
...     "The second paragraph has more to say about it, with a sentence of its own.",
...     "Related posts", "Another post", "Yet another post", "Privacy", "Terms"])
>>> res = clean_text(page, textm)
>>> res.title, [b.text[:20] for b in res.blocks]
('My Post', ['This is the first pa', 'The second paragraph'])
>>> [(r.where, r.rule) for r in res.removed]  # doctest: +NORMALIZE_WHITESPACE
[('builtin:region:0', 'outside the main region (lines 1-4)'),
 ('cleaner/rules/related.txt:50', '#run# Related posts')]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import chain
from pathlib import Path
from typing import Any

from .result import Block, Removal

__all__ = ["LANGUAGES", "TextPage", "clean_text", "join_fragments", "stop_words"]

#: The languages of the rule packs, with a stop list each (``cleaner/stoplists/<code>.txt``).
LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "es", "it", "pt", "nl")

# -- tunables ------------------------------------------------------------------------------
# Measured on both dev sets together (scrapinghub 181 pages, wcxb-dev 793), each flattened
# with html_text and with bs4 (benchmarks/quality.py --flatten): "mean" is the mean shingle
# F1 of those four runs, and each figure the change against the value kept. "Truth" is the
# ground truth given as input (--flatten truth).

#: Lines are joined as fragments only in text whose lines keep the white space around inline
#: elements, as ``get_text("\\n")`` leaves it: more than this share of its lines begin or end
#: with a space (5% of the dev pages flattened so have 4% or fewer, html_text's and WET's
#: lines none). Text of stripped lines, our own output among it, is read line by line, so
#: that cleaning cleaned text changes nothing.
FRAGMENTED_SHARE = 0.01

#: In text of stripped lines, a line at least this long that ends no sentence is wrapped
#: prose when the next starts in lower case (:func:`_unwrap`).
WRAP_MIN_CHARS = 40

#: Line scores. A sentence (end punctuation, and at least PROSE_STOP_SHARE of its words stop
#: words of any of the packs' languages) scores its words less PROSE_OFFSET, so that the
#: short sentences of teasers and promos weigh little (0 / 4 / 8 / 12 instead of 6: scrapinghub
#: 0.873 / 0.876 / 0.885 / 0.882, wcxb-dev 0.905 / 0.905 / 0.901 / 0.894, html_text).
PROSE_OFFSET = 6.0
PROSE_STOP_SHARE = 0.2  # 0.1 / 0.3: mean -0.0025 / -0.0031
#: A line of at least LONG_WORDS words without end punctuation counts UNPUNCTUATED_SHARE of
#: its words (LONG_WORDS 15 / 40: -0.0003 / 0.0000; the share 0.3 / 0.8: -0.0001 / -0.0002).
LONG_WORDS = 25
UNPUNCTUATED_SHARE = 0.5
#: Any other line: per line and per word (line -1 / -3: -0.0012 / -0.0022; word 0: +0.0005
#: but bs4 on scrapinghub -0.010).
OTHER_LINE_SCORE = -2.0
OTHER_WORD_SCORE = -0.3
#: A line the page repeats: menus, headlines listed twice (-3 / -8 / -10: -0.0022 / -0.0008 /
#: +0.0003) ...
REPEAT_SCORE = -6.0
#: ... but the first copy of a block longer than this many words, shown twice by a
#: responsive layout, scores as itself (wcxb-dev +0.003, scrapinghub bs4 -0.006: even).
REPEAT_FIRST_FREE_WORDS = 10
#: A line a text rule labels ("Share this", "Related posts"; -4 / -8: -0.0031 / -0.0023).
LABEL_SCORE = -16.0
#: Only lines of at most this many words, and not repeated, are looked up in the rules to
#: score them (the rules still see every line of the region): longer lines are prose, and
#: a repeated line already scores as a menu. It spares a third of the lookups, the most
#: costly part of scoring (mean shingle F1 +0.001).
LABEL_MAX_WORDS = 30
#: A line of 3 to HEADLINE_MAX_WORDS words, no sentence, HEADLINE_CAPS_SHARE of them
#: capitalised: a headline of a related list, or a heading (-2 / -6: -0.0009 / -0.0003;
#: without the test: -0.0002. It weighs little, and is kept for the lists it does catch).
HEADLINE_MAX_WORDS = 20
HEADLINE_CAPS_SHARE = 0.7
HEADLINE_SCORE = -4.0
#: A commenter's line ("Ann says:", "Reply") or a date line (-2 / -12: -0.0001 / +0.0008).
META_SCORE = -6.0
#: A line without words: numbers, symbols, table cells (0 / -2: -0.0001 / -0.0003).
EMPTY_SCORE = -0.5
#: The page is in a language of the stop lists when at least this share of its words are
#: stop words of the best one; otherwise every line counts as having stop words (English
#: prose: about 0.45; an Indonesian page: 0.05). Scrapinghub, html_text: 0.885 -> 0.902.
KNOWN_LANGUAGE_SHARE = 0.1

#: The region. When the page repeats its title (its <h1>) and the best region does not start
#: within ANCHOR_WINDOW lines after the first repeat, the best region starting there wins if
#: its sum is at least ANCHOR_SHARE of the best one's: footers with more prose than a short
#: article (share 0.3 / no anchor: -0.0009 / -0.0073; window 3 / 20, measured with share
#: 0.3: -0.0030 / +0.0005).
ANCHOR_WINDOW = 10
ANCHOR_SHARE = 0.15
#: The region starts right after the title when at most this many lines lie between and
#: they read like a subtitle (:func:`_subtitle`; 0 / 3: +0.0001 / -0.0009).
TITLE_GAP = 1
#: The rules run on the region and this many lines after it (what they remove there is
#: named by its rule); the rest of a footer is outside the region without looking each of
#: its lines up (about 10% of text mode's time on wcxb-dev's html_text pages).
TAIL_RULE_LINES = 60
#: The region is carried over a widget inside the article, after the title or before its
#: end, of at most this many lines (:func:`_bridge`).
BRIDGE_LINES = 10
#: ... whose lines no rule labels have at most this many words (a form field, a heading).
#: Both bridges together cost 0.002 mean shingle F1 on the dev sets, and keep the article's
#: first paragraph before a table of contents and its last section after a sign-up form.
BRIDGE_MAX_WORDS = 6
#: An edge outside the region stays when its negative scores add up to less than
#: EDGE_MIN_NEGATIVE and it has no repeated or labelled line and fewer than
#: EDGE_MAX_MENU_LINES menu-like lines: a heading or a caption at an edge of text that is
#: the article (20 / 80: +0.0004 / -0.0008; truth: 0 gave 0.975 / 0.977, 40 0.982 / 0.980
#: before the tests of :func:`_already_clean`).
EDGE_MIN_NEGATIVE = 40.0
EDGE_MAX_MENU_LINES = 3
#: End-of-article headers cut the region once it holds this many words of prose (20 / 100:
#: -0.0027 / +0.0004) ...
END_MIN_WORDS = 50
#: ... unless it is a ``#run#`` header that prose follows within INLINE_LOOKAHEAD lines (a
#: "Read more:" link, a "Don't miss" box inside the article; 1 / 3 / 5: -0.0077 / -0.0047 /
#: -0.0028) ...
INLINE_LOOKAHEAD = 8
#: ... and the next TEASER_WINDOW lines do not hold TEASER_LIST prose lines each alone
#: between other lines: teasers under headlines (1 / 3 / never: -0.0027 / +0.0006 /
#: +0.0009: on the dev sets a wash, kept for the related lists it stops).
TEASER_WINDOW = 8
TEASER_LIST = 2

#: Text that is already the article stays whole (:func:`_already_clean`). It starts with a
#: sentence of at least CLEAN_FIRST_WORDS words (so start 74% of the dev pages' ground truths
#: and 0.5% of the pages flattened) ...
CLEAN_FIRST_WORDS = 15
#: ... or its first prose line comes within CLEAN_HEAD_LINES lines, no text rule labels a
#: line of it, and its first CLEAN_HEAD_WINDOW lines hold fewer than CLEAN_MAX_MENU_LINES
#: menu-like lines (at most 3 words, no stop word, digit, bullet or sentence end): of the
#: ground truths that pass the first two tests, 93% have fewer than 5 menu-like lines in
#: their first 20; of the flattened pages that pass them (2%), a third. Truth: 0.975 / 0.976
#: without these tests, 0.997 / 0.996 with them.
CLEAN_HEAD_LINES = 2
CLEAN_HEAD_WINDOW = 20
CLEAN_MAX_MENU_LINES = 5
#: A title has at most this many words (text that is already the article often starts
#: with a sentence that ends without a full stop).
TITLE_MAX_WORDS = 20

_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
#: List items as Markdown and plain-text exports write them: never a menu.
_BULLETS = ("- ", "* ", "• ", "· ", "– ")
#: End punctuation, seen through closing quotes and brackets.
_CLOSERS = "\"'”’»)]*"
_END = frozenset(".!?…。")
#: From here on, scripts without spaces between words (CJK): a run of them counts a word per
#: two characters.
_CJK = "\u2e80"
_TEASER_ENDS = ("...", "…", "[…]", "[...]", "(…)", "(...)")
#: A commenter's line: "Ann says:", "Reply", "12 likes" (the comment packs' languages).
_COMMENT_META = re.compile(
    r"(\b(says|said|wrote|sagt|schrieb|dit|écrit|dice|escribió|dice:|scrive|diz|escreveu|zegt|schreef)"
    r" ?:$)|^(reply|antworten|répondre|responder|rispondi|beantwoorden|reageren)$"
)
#: Characters that show nothing: a line of them is blank.
_INVISIBLE = str.maketrans(dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_CONTINUES = frozenset(",;:.)]")
_OPENERS = frozenset("([")


@cache
def stop_words(language: str) -> frozenset[str]:
    """The stop words of one of :data:`LANGUAGES` (case-folded), from the package data.

    >>> "the" in stop_words("en") and "und" in stop_words("de")
    True
    """
    text = resources.files("cleaner").joinpath(f"stoplists/{language}.txt").read_text("utf-8")
    return frozenset(w.strip().casefold() for w in text.splitlines() if w.strip())


@cache
def _all_stop_words() -> frozenset[str]:
    """The stop words of all :data:`LANGUAGES`: a line's share of stop words is counted with
    them all, so that an article in one language on a site whose menus are in another still
    reads as prose (against the page's language alone: mean +0.0016)."""
    return frozenset().union(*(stop_words(lang) for lang in LANGUAGES))


def page_language(counts: Counter[str]) -> str | None:
    """The language whose stop words the page's words hold most of, if any."""
    best, hits = None, 0
    for lang in LANGUAGES:
        stops = stop_words(lang)
        n = sum(counts[w] for w in stops.intersection(counts))
        if n > hits:
            best, hits = lang, n
    return best


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip(_CLOSERS + " ")
    return bool(stripped) and stripped[-1] in _END


def join_fragments(lines: Sequence[str]) -> list[tuple[str, int, int]]:
    """Join the lines that ``get_text("\\n")`` cut at inline elements, in text laid out that
    way (:data:`FRAGMENTED_SHARE`; other text is read a line a block). A line that does not
    end a sentence is joined with the next when the white space shows an inline boundary (it
    ends with a space, or the next begins with one), when the next starts in lower case or
    with ``, ; : . ) ]``, or when it ends with ``(``; across a blank line only at such a
    boundary and before lower case. A label ("Share: ") keeps the buttons after it apart.
    Returns ``(text, first line, last line)`` per block (0-based line numbers).

    >>> [t for t, _, _ in join_fragments(["Read the ", "docs", " first.", "Then", "Go."])]
    ['Read the docs first.', 'Then', 'Go.']
    >>> [t for t, _, _ in join_fragments(["See ", "this page", ", and that.", "", "then"])]
    ['See this page, and that.', 'then']
    >>> [t for t, _, _ in join_fragments(["Posted by Ann", "", "at 9:14"])]
    ['Posted by Ann', 'at 9:14']
    """
    out: list[tuple[str, int, int]] = []
    blank = False
    prev_raw = ""
    edged = sum(1 for raw in lines if raw.strip() and (raw[:1].isspace() or raw[-1:].isspace()))
    if edged <= FRAGMENTED_SHARE * sum(1 for raw in lines if raw.strip()):
        return _unwrap(lines)
    for i, raw in enumerate(lines):
        text = " ".join(raw.split())
        if not text:
            blank = True
            continue
        if out:
            prev, first, _ = out[-1]
            lower = text[0].islower() or text[0] in _CONTINUES
            # "text <a>link</a> more" gives "text \nlink\n more": the spaces stay
            inline = prev_raw[-1:].isspace() or raw[:1].isspace()
            if blank:
                join = lower and inline and not prev.endswith(":")
            else:
                join = lower or inline or prev[-1] in _OPENERS
                # "Share: " then "Facebook" is a label and its buttons; "Note:" then
                # " the text" is one sentence
                join = join and (not prev.endswith(":") or raw[:1].isspace() or lower)
            if join and not _ends_sentence(prev):
                sep = "" if text[0] in _CONTINUES or prev[-1] in _OPENERS else " "
                out[-1] = (prev + sep + text, first, i)
                blank, prev_raw = False, raw
                continue
        out.append((text, i, i))
        blank, prev_raw = False, raw
    return out


def _unwrap(lines: Sequence[str]) -> list[tuple[str, int, int]]:
    """Stripped lines (WET, html_text, our own output) are a block each, but for text
    wrapped at a fixed width (plain-text mail, Markdown): a line of at least
    :data:`WRAP_MIN_CHARS` that ends no sentence goes on in the next when that starts in lower
    case, blank lines between or not, so that no such pair is left and cleaning the output
    again changes nothing."""
    out: list[tuple[str, int, int]] = []
    for i, raw in enumerate(lines):
        text = " ".join(raw.split())
        if not text:
            continue
        if out and text[0].islower():
            prev, first, _ = out[-1]
            if len(prev) >= WRAP_MIN_CHARS and not _ends_sentence(prev) and prev[-1] != ":":
                out[-1] = (prev + " " + text, first, i)
                continue
        out.append((text, i, i))
    return out


@dataclass
class Line:
    """One block of the page and what its score is made of."""

    text: str
    first: int
    last: int
    words: int = 0
    stops: int = 0
    ends: bool = False
    repeated: bool = False
    rule: Any = None
    title: bool = False
    headline: bool = False
    teaser: bool = False
    meta: bool = False
    menu: bool = False


def _features(blocks: list[tuple[str, int, int]], textm: Any) -> list[Line]:
    from .revise import dateline

    lines = [Line(t, a, b) for t, a, b in blocks]
    folded = [ln.text.casefold() for ln in lines]
    tokens = [_WORD.findall(f) for f in folded]
    counts: Counter[str] = Counter(chain.from_iterable(tokens))
    lang = page_language(counts)
    stops = stop_words(lang) if lang else frozenset()
    line_stops = _all_stop_words()
    # a page in none of the stop lists' languages: stop words tell nothing, so every
    # line counts as having them
    known = sum(counts[w] for w in stops.intersection(counts)) >= KNOWN_LANGUAGE_SHARE * sum(
        counts.values()
    )
    seen = Counter(folded)
    met: set[str] = set()
    for ln, f, toks in zip(lines, folded, tokens, strict=True):
        words = [t for t in toks if not t.isdigit()]
        ln.words = len(words)
        if not f.isascii():
            ln.words += sum(len(t) // 2 for t in words if t[0] >= _CJK)
        ln.stops = sum(map(line_stops.__contains__, words)) if known else ln.words
        ln.ends = _ends_sentence(ln.text)
        ln.repeated = seen[f] > 1
        if ln.repeated and ln.words > REPEAT_FIRST_FREE_WORDS and f not in met:
            ln.repeated = False  # the first copy of a block the page shows twice
        met.add(f)
        if textm and not ln.repeated and ln.words <= LABEL_MAX_WORDS:
            ln.rule = textm.rule_for(ln.text)
        if not ln.ends and 3 <= ln.words <= HEADLINE_MAX_WORDS:
            spelled = [w for w in ln.text.split() if w[0].isalpha()]
            caps = sum(1 for w in spelled if w[0].isupper())
            ln.headline = caps >= HEADLINE_CAPS_SHARE * len(spelled)
        ln.teaser = ln.text.endswith(_TEASER_ENDS)
        ln.menu = (
            0 < ln.words <= 3
            and not ln.stops
            and not ln.ends
            and not _DIGIT.search(ln.text)
            and not ln.text.startswith(_BULLETS)
        )
        if ln.words <= 15:
            ln.meta = bool(ln.words <= 6 and _COMMENT_META.search(f)) or (
                not ln.menu and bool(_DIGIT.search(ln.text)) and dateline(ln.text)
            )
    return lines


def _score(ln: Line) -> float:
    if ln.rule is not None:
        return LABEL_SCORE
    if ln.repeated and not ln.title:
        return REPEAT_SCORE
    if not ln.words:
        return EMPTY_SCORE
    if ln.meta:
        return META_SCORE
    if ln.stops >= PROSE_STOP_SHARE * ln.words and not ln.teaser:
        if ln.ends:
            return ln.words - PROSE_OFFSET
        if ln.words >= LONG_WORDS:
            return UNPUNCTUATED_SHARE * ln.words - PROSE_OFFSET
    if ln.headline:
        return HEADLINE_SCORE
    return OTHER_LINE_SCORE + OTHER_WORD_SCORE * ln.words


def best_region(scores: Sequence[float]) -> tuple[int, int]:
    """The contiguous run ``[start, end)`` with the largest sum (Kadane); ``(0, 0)`` when no
    score is positive.

    >>> best_region([-1, 3, -1, 2, -5, 1])
    (1, 4)
    """
    best, best_span = 0.0, (0, 0)
    run, start = 0.0, 0
    for i, s in enumerate(scores):
        if run <= 0:
            run, start = s, i
        else:
            run += s
        if run > best:
            best, best_span = run, (start, i + 1)
    return best_span


def best_region_from(scores: Sequence[float], lo: int, hi: int) -> tuple[int, int]:
    """The run ``[start, end)`` with the largest sum among those starting in ``[lo, hi]``.

    >>> best_region_from([5, -1, 3, -9, 1], 1, 2)
    (2, 3)
    """
    n = len(scores)
    prefix = [0.0]
    for s in scores:
        prefix.append(prefix[-1] + s)
    best_end = [0] * (n + 1)
    best_end[n] = n
    for e in range(n - 1, -1, -1):
        best_end[e] = e if prefix[e] > prefix[best_end[e + 1]] else best_end[e + 1]
    best, span = float("-inf"), (0, 0)
    for start in range(max(0, lo), min(hi, n - 1) + 1):
        end = best_end[start + 1]
        if prefix[end] - prefix[start] > best:
            best, span = prefix[end] - prefix[start], (start, end)
    return span


@dataclass(frozen=True)
class TextPage:
    """What :func:`clean_text` returns."""

    title: str | None
    blocks: tuple[Block, ...]
    removed: tuple[Removal, ...]
    notes: tuple[str, ...] = field(default=())


_REGION = "builtin:region"
_END_OF_ARTICLE = "builtin:end-of-article"
#: Rule packs whose ``#run#`` headers end an article (a ``#cut#`` of any pack does).
_END_PACKS = frozenset({"related", "comments"})


def end_marker(rule: Any) -> bool:
    """Whether a text rule's match ends the article: a ``#cut#`` rule, or a ``#run#`` rule
    of the related-posts or comments packs."""
    from .ruleset import RuleAction

    if rule is None:
        return False
    if rule.action is RuleAction.CUT:
        return True
    return rule.action is RuleAction.RUN and Path(rule.source).stem in _END_PACKS


Revise = Callable[[Any, list[Block]], tuple[list[Block], list[Removal], list[str]]]


def _span_removal(source: str, reason: str, lines: Sequence[Line]) -> Removal:
    return Removal(source, 0, reason, "text", "\n".join(ln.text for ln in lines))


def clean_text(text: str, textm: Any, revise: Revise | None = None) -> TextPage:
    """Find the article in flattened text (see the module docstring). ``textm`` is the
    :class:`~cleaner.revise.TextMatcher` of the page's rules (or None); ``revise`` applies
    it with the pipeline's safety ladder (default: the matcher alone)."""
    from .revise import drop_datelines, drop_title_repeats, drop_trailing_labels, same_title

    if revise is None:
        revise = _plain_revise
    if textm:
        textm = _Memo(textm)
    lines = _features(join_fragments(text.translate(_INVISIBLE).splitlines()), textm)
    if not lines:
        return TextPage(None, (), ())
    _mark_title_repeats(lines)
    scores = [_score(ln) for ln in lines]
    first = next((i for i, ln in enumerate(lines) if ln.rule is None), 0)
    h1s = _title_repeats(lines, first)
    start, end = best_region(scores)
    if h1s and not h1s[0] < start <= h1s[0] + 1 + ANCHOR_WINDOW:
        # the page's own title (its <h1>) marks where the article starts
        lo = h1s[0] + 1
        anchored = best_region_from(scores, lo, lo + ANCHOR_WINDOW)
        if sum(scores[anchored[0] : anchored[1]]) >= ANCHOR_SHARE * sum(scores[start:end]):
            start, end = anchored
    clean = start == end or _already_clean(lines, scores)
    if clean:
        start, end = 0, len(lines)
    if _slight(lines[:start], scores[:start]):
        start = 0
    if _slight(lines[end:], scores[end:]):
        end = len(lines)
    # the title: the first line no rule labels, or a line that repeats it before the region
    title_at = _title_line(lines, first, start, h1s)
    title: str | None = None
    title_line = -1
    body_from = first
    if title_at is not None:
        exact = title_at == first or same_title(lines[title_at].text, lines[first].text)
        title_line = first if exact else title_at
        title = lines[title_line].text
        # an exact repeat right after the title is left to drop_title_repeats
        body_from = first + 1 if exact and title_at <= first + 1 else title_at + 1
        gap = lines[title_at + 1 : start]
        if len(gap) <= TITLE_GAP and all(_subtitle(ln) for ln in gap):
            start = title_at + 1
        elif (
            len(gap) <= BRIDGE_LINES
            and any(scores[i] > 0 for i in range(title_at + 1, start))
            and any(ln.rule is not None for ln in gap)
        ):
            # the article's first lines, then a widget (a table of contents, an ad) that
            # split the region: it starts at the title
            start = title_at + 1
        start = max(start, title_at + 1)
        end = max(end, start)
    if not clean:
        end = _bridge(lines, scores, end)
    # in text that is only the article, a header ends nothing: the rules alone act on it
    cut_at = None if clean else _end_of_article(lines, scores, start, end)
    if cut_at is not None:
        end = cut_at
    blocks = [Block(ln.text) for ln in lines]
    where = {id(b): i for i, b in enumerate(blocks)}
    # labelled lines above the title, and the lines between the title and the region, are
    # matched on their own: a comment count in a byline must not cut the article after it
    kept: list[Block] = []
    removed: list[Removal] = []
    for lo, hi in ((0, first), (body_from, start)):
        if lo < hi and textm:
            k, r = textm.apply(blocks[lo:hi])
            kept += k
            removed += r
        elif lo < hi:
            kept += blocks[lo:hi]
    # the rules explain the region's end and the lines just after it; a long footer beyond
    # goes as outside the region without a lookup per line
    ruled = blocks[max(body_from, start) : end + TAIL_RULE_LINES]
    main, main_removed, notes = revise(textm, ruled)
    kept += main + blocks[end + TAIL_RULE_LINES :]
    removed += main_removed
    kept, repeats = drop_title_repeats(kept, title)
    kept, datelines = drop_datelines(kept)
    inside = [b for b in kept if start <= where[id(b)] < end]
    before = [lines[i] for i in range(first, body_from) if i != title_line]
    before += [lines[where[id(b)]] for b in kept if where[id(b)] < start]
    after = [lines[where[id(b)]] for b in kept if where[id(b)] >= end]
    inside, labels = drop_trailing_labels(inside)
    head: list[Removal] = []
    if before:
        head.append(_span_removal(_REGION, _outside(before), before))
    tail: list[Removal] = []
    if after:
        if cut_at is not None:
            marker = lines[cut_at]
            reason = f"end of article at '{marker.text}' ({marker.rule.where})"
            tail.append(_span_removal(_END_OF_ARTICLE, reason, after))
        else:
            tail.append(_span_removal(_REGION, _outside(after), after))
    return TextPage(
        title=title,
        blocks=tuple(inside),
        removed=tuple(head + repeats + datelines + removed + labels + tail),
        notes=tuple(notes),
    )


def _inline(lines: Sequence[Line], scores: Sequence[float], at: int) -> bool:
    """A ``#run#`` header that the article's prose follows soon: a "Read more" link or a
    "Don't miss" box inside the article. Not when what follows is a list of teasers: lines
    of prose each on its own between headlines."""
    from .ruleset import RuleAction

    if lines[at].rule.action is RuleAction.CUT:
        return False
    near = [s > 0 for s in scores[at + 1 : at + 1 + INLINE_LOOKAHEAD]]
    if not any(near):
        return False
    after = [s > 0 for s in scores[at : at + 1 + TEASER_WINDOW]] + [False]
    alone = sum(
        1 for j in range(1, len(after) - 1) if after[j] and not after[j - 1] and not after[j + 1]
    )
    return alone < TEASER_LIST


def _already_clean(lines: Sequence[Line], scores: Sequence[float]) -> bool:
    """Text that is the article alone: prose within its first lines (a page has a header of
    menus first) and no line that a text rule labels."""
    if lines[0].words >= CLEAN_FIRST_WORDS and lines[0].ends:
        return True
    head = next((i for i, s in enumerate(scores) if s > 0), len(scores))
    if head > CLEAN_HEAD_LINES or any(ln.rule is not None for ln in lines):
        return False
    return sum(1 for ln in lines[:CLEAN_HEAD_WINDOW] if ln.menu) < CLEAN_MAX_MENU_LINES


def _bridge(lines: Sequence[Line], scores: Sequence[float], end: int) -> int:
    """The region's end, carried over the widgets inside the article: when at most
    :data:`BRIDGE_LINES` lines after the region, each labelled by a rule (no end-of-article
    header) or of at most :data:`BRIDGE_MAX_WORDS` words (a field, a heading), one of them
    labelled, lead to prose, the region goes on
    to the best end from there (the rules then remove the widget, a sign-up form, an ad)."""
    while end < len(lines):
        j, labelled = end, False
        while j < len(lines) and j - end < BRIDGE_LINES and scores[j] <= 0:
            ln = lines[j]
            if ln.rule is not None and not end_marker(ln.rule):
                labelled = True
            elif ln.rule is not None or ln.words > BRIDGE_MAX_WORDS:
                return end
            j += 1
        if j >= len(lines) or scores[j] <= 0 or not labelled:
            return end
        end = max(end, best_region_from(scores, j, j)[1])
    return end


def _subtitle(ln: Line) -> bool:
    """A line between the title and the text that reads like a subtitle, not a byline or
    a date: some words, a stop word, no digit, not capitalised like a name or headline."""
    return (
        ln.words >= 4
        and ln.stops > 0
        and not (ln.headline or ln.meta or ln.rule is not None)
        and not _DIGIT.search(ln.text)
    )


def _slight(lines: Sequence[Line], scores: Sequence[float]) -> bool:
    """Lines outside the region that weigh too little to be a page's header or footer: a
    heading, a caption or a short list at an edge of text that is already the article."""
    if any(ln.rule is not None or (ln.repeated and not ln.title) for ln in lines):
        return False
    if sum(1 for ln in lines if ln.menu) >= EDGE_MAX_MENU_LINES:
        return False
    return -sum(s for s in scores if s < 0) < EDGE_MIN_NEGATIVE


def _mark_title_repeats(lines: Sequence[Line]) -> None:
    """Lines that repeat the first line (the title, as a page repeats it) are no menu."""
    from .dom import normalise

    first = normalise(lines[0].text)
    for ln in lines[1:]:
        if ln.repeated and ln.words == lines[0].words and normalise(ln.text) == first:
            ln.title = True


def _outside(lines: Sequence[Line]) -> str:
    return f"outside the main region (lines {lines[0].first + 1}-{lines[-1].last + 1})"


def _end_of_article(
    lines: Sequence[Line], scores: Sequence[float], start: int, end: int
) -> int | None:
    """The first end marker in the region once the region holds prose, if any."""
    prose = 0
    for i in range(start, end):
        ln = lines[i]
        if prose >= END_MIN_WORDS and end_marker(ln.rule) and not _inline(lines, scores, i):
            return i
        if scores[i] > 0:
            prose += ln.words
    return None


class _Memo:
    """A page's text matcher that looks each distinct line up once: scoring asks about every
    line, and the rules ask again when they run."""

    def __init__(self, matcher: Any) -> None:
        from .revise import TextMatcher

        self._matcher: TextMatcher = matcher
        self._seen: dict[str, Any] = {}
        self.apply = TextMatcher.apply.__get__(self)

    @property
    def rules(self) -> Any:
        return self._matcher.rules

    def __bool__(self) -> bool:
        return bool(self._matcher)

    def rule_for(self, text: str) -> Any:
        try:
            return self._seen[text]
        except KeyError:
            found = self._seen[text] = self._matcher.rule_for(text)
            return found


def _plain_revise(textm: Any, blocks: list[Block]) -> tuple[list[Block], list[Removal], list[str]]:
    if not textm:
        return blocks, [], []
    kept, removed = textm.apply(blocks)
    return kept, removed, []


def _title_repeats(lines: Sequence[Line], first: int) -> list[int]:
    """Indices of the lines after ``first`` that repeat it, whole or its longest part (split
    at `` | – — : - · • ``; two words or more), when it reads like a title."""
    from .dom import normalise

    if not _reads_like_title(lines[first]):
        return []
    text = lines[first].text
    # the whole line, or its longest part: the others name the site ("| Blog Name")
    longest = max(_TITLE_PARTS.split(text), key=lambda p: len(p.split()))
    parts = {normalise(text)}
    if len(longest.split()) >= 2:
        parts.add(normalise(longest))
    # normalising only shortens a line (by its trailing punctuation): a cheap test first
    sizes = {len(p) + extra for p in parts for extra in range(4)}
    return [
        i
        for i in range(first + 1, len(lines))
        if len(lines[i].text) in sizes and lines[i].words and normalise(lines[i].text) in parts
    ]


def _title_line(lines: Sequence[Line], first: int, start: int, repeats: list[int]) -> int | None:
    """Index of the title line: the last line before the region (or among its first two
    lines) that repeats the first line; else the first line itself when it reads like a
    title; else None."""

    before = [i for i in repeats if i < start + 2]
    if before:
        return before[-1]
    return first if _reads_like_title(lines[first]) else None


def _reads_like_title(ln: Line) -> bool:
    """A title: a short line (:data:`TITLE_MAX_WORDS`) that ends no sentence nor a label."""
    from .revise import _title_like

    stripped = ln.text.rstrip(_CLOSERS + " ")
    return (
        _title_like(ln.text)
        and not stripped.endswith((".", ":", "…", "。"))
        and ln.words <= TITLE_MAX_WORDS
    )


_TITLE_PARTS = re.compile(r"\s+[|–—\-·•:]\s+|:\s+")
