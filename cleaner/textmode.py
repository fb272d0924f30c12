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
   labels it. Sentences score their words less :data:`PROSE_OFFSET`; the rest is negative,
   a line that is nothing but links (a Markdown menu) most. A list inside the article (a run
   of list items, headings or table rows between two sentences that no rule labels and that
   reads like no widget: :func:`_list_runs`) weighs nothing.
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
sentence, or with prose within its first lines (list items aside) and no header of menus or
labelled lines but a "Read more: ..." link).

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

from .result import Block, BlockKind, Removal

__all__ = [
    "LANGUAGES",
    "SHAPES",
    "TextPage",
    "clean_text",
    "join_fragments",
    "read_text",
    "stop_words",
    "text_shape",
]

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
#: ... unless the region holds more than END_AFTER_SHARE times as many words of prose after
#: it as before it, and it is no comments header (a thread is often longer than its post):
#: a byline ("Written by") or a "Read more" link under a summary, above the article ...
END_AFTER_SHARE = 2.0
#: ... or it is a ``#run#`` header that prose follows within INLINE_LOOKAHEAD lines (a
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
#: When at least TITLE_HEADER_LINES menu lines come between the first line and the region
#: (a page flattened whole: the site's name, then its menu), the title is the line that
#: reads like one within TITLE_LOOKBACK lines before the region, over the byline's short
#: lines (a name, "Follow", a date, a count).
TITLE_HEADER_LINES = 2
TITLE_LOOKBACK = 12
#: A title has at most this many words (text that is already the article often starts
#: with a sentence that ends without a full stop).
TITLE_MAX_WORDS = 20

#: Lists inside the article (:func:`_list_runs`). Measured on both dev sets, each flattened
#: the seven ways of benchmarks/quality.py --flatten scrapers (shingle F1; "lost": pages under
#: 0.5 where the uncleaned text scores above it). Without list runs: wcxb-dev 0.892-0.912,
#: lost 20-44 per flattener; scrapinghub 0.854-0.918. With the three tests of
#: :func:`_article_run`: wcxb-dev +0.002 to +0.009 on every flattener, lost 11-35;
#: scrapinghub within 0.003 either way. Letting widget-like lines into a run (up to a
#: quarter / half of it) brings wcxb-dev's lost pages to 9-31 / 6-20 but costs scrapinghub's
#: news pages 0.002-0.006 / 0.005-0.008 (related headlines between teasers); letting any
#: run in: wcxb-dev lost 3-9, scrapinghub -0.015 to -0.025.
#:
#: A line that introduces a list has at least this many words (1 / 3: scrapinghub
#: resiliparse -0.004 / +0.003: "More on:", "Sources:").
LIST_INTRO_WORDS = 3
#: A run is a list when this share of its lines are list items ...
LIST_ITEMS_SHARE = 0.5
#: ... or this share are phrases (five words or more, a stop word, not in title case: a
#: checklist's items, a table's rows): wcxb-dev +0.0008, scrapinghub +-0.
LIST_PHRASES_SHARE = 0.7
#: A line of at most this many words with a year in it is a teaser's date: the run is no list.
DATE_MAX_WORDS = 8
#: A line that is nothing but links (Markdown's ``* [Home](/)``, html2text's menus) scores as
#: a menu's line does at least (-3 / -6 / -10: html2text scrapinghub 0.892 / 0.896 / 0.898,
#: wcxb-dev 0.905 / 0.906 / 0.907).
LINKED_SCORE = -10.0

_WORD = re.compile(r"\w+")
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_BYLINE = re.compile(r"(by|von|par|por|di|da|door)\s", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
#: An ordered list's number, as text that kept it: "1. ", "2) ", "(3) ".
_NUMBERED = re.compile(r"\(?\d{1,3}[.)]\s")
#: A widget's count after a name: "Recipes (12)".
_COUNTED = re.compile(r"\(\d+\)$")
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
_HAS_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
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
    """The blocks of flattened text's lines as :func:`read_text` reads them (their text, first
    and last line), without their kinds.

    >>> [t for t, _, _ in join_fragments(["Read the ", "docs", " first.", "Then", "Go."])]
    ['Read the docs first.', 'Then', 'Go.']
    """
    return [(p[0], p[1], p[2]) for p in _read(lines)[1]]


def _join(lines: Sequence[str]) -> list[tuple[str, int, int]]:
    """Join the lines that ``get_text("\\n")`` cut at inline elements (text whose lines keep
    the white space around them: :data:`FRAGMENTED_SHARE`). A line that does not
    end a sentence is joined with the next when the white space shows an inline boundary (it
    ends with a space, or the next begins with one), when the next starts in lower case or
    with ``, ; : . ) ]``, or when it ends with ``(``; across a blank line only at such a
    boundary and before lower case. A label ("Share: ") keeps the buttons after it apart.
    Returns ``(text, first line, last line)`` per block (0-based line numbers).

    >>> [t for t, _, _ in _join(["Read the ", "docs", " first.", "Then", "Go."])]
    ['Read the docs first.', 'Then', 'Go.']
    >>> [t for t, _, _ in _join(["See ", "this page", ", and that.", "", "then"])]
    ['See this page, and that.', 'then']
    >>> [t for t, _, _ in _join(["Posted by Ann", "", "at 9:14"])]
    ['Posted by Ann', 'at 9:14']
    """
    out: list[tuple[str, int, int]] = []
    blank = False
    prev_raw = ""
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


# -- shapes: how the flattener laid the page out ------------------------------------------

#: The shapes of flattened text that :func:`read_text` tells apart, from the text alone; the
#: result's notes name the one it saw (``text shape: markdown``).
SHAPES: dict[str, str] = {
    "lines": "a block a line (html_text, a WET record, text that is already the article)",
    "wrapped": "a block a line, prose wrapped at a fixed width",
    "fragments": "get_text('\\n'): inline elements on lines of their own, white space kept",
    "stripped-fragments": "get_text('\\n', strip=True): inline elements on stripped lines",
    "run-together": "get_text(): the page's strings run together, no separator",
    "markdown": "html2text: Markdown links, headings and list marks",
    "bullets": "resiliparse: list items with bullets, nested lists indented",
    "indented": "inscriptis: the page's layout in indentation, list items with marks",
}

#: Markdown: at least MARKDOWN_MIN_LINKS lines, and MARKDOWN_SHARE of the lines, hold a link
#: ``[text](url)`` (html2text's whole pages: 26% of the lines or more on 90% of the dev pages;
#: a get_text dump or a ground truth: none).
MARKDOWN_MIN_LINKS = 3
MARKDOWN_SHARE = 0.05
#: Bullets: at least BULLETS_MIN lines, and BULLETS_SHARE of the lines, are ``• item``
#: (resiliparse's lists: 8% of the lines or more on 90% of the dev pages).
BULLETS_MIN = 3
BULLETS_SHARE = 0.03
#: Indented: at least this share of the lines begin with white space (inscriptis: 99% or
#: more on 90% of the dev pages; get_text() dumps that keep the source's indentation: 8%).
INDENTED_SHARE = 0.9
#: Run together: at least this many places per line where a sentence's end or a lower-case
#: word is glued to the next capitalised word ("body.The", "bodyThe"): get_text() with no
#: separator on minified pages (a tenth of them: 11 per line or more); get_text("\\n") dumps:
#: 0.03 at most on 98% of the dev pages, inscriptis' 0.12.
GLUE_PER_LINE = 0.5
#: Stripped fragments: fewer than STRIPPED_BLANK_SHARE blank lines per line of text, and at
#: least STRIPPED_CONTINUED_SHARE of the lines go on the line before (they start in lower
#: case or with ``, ; : . )`` after a line that ends no sentence): get_text("\\n", strip=True)
#: has no blank line on 98% of the dev pages and continued lines on 90% (2% or more);
#: html_text's and WET's blank lines are half their lines, ground truths' continued lines
#: under 1.1% on 90% of them.
#: Fragments glued: get_text() with no separator keeps the markup's own line breaks (the text
#: reads as fragments) but runs together the strings the markup put side by side ("Share
#: this:Click to share", "Most CommentedColin Kaepernick"); at least this many glued places
#: per line of text and they are split again (:func:`_split_glued`). get_text("\n") dumps:
#: 0.005 at most on 98% of scrapinghub's pages; get_text() dumps: 0.012 / 0.037 (median,
#: scrapinghub / wcxb-dev). bs4-plain 0.854 -> 0.858 on scrapinghub, 0.894 -> 0.898 on
#: wcxb-dev; bs4 unchanged (splitting every camel-case word instead: bs4 on wcxb-dev -0.0015).
GLUED_PER_LINE = 0.02
STRIPPED_BLANK_SHARE = 0.05
STRIPPED_CONTINUED_SHARE = 0.02
#: ... and at least this many of them: a few lower-case lines (list items after a heading)
#: in text that is already stripped, our own output among it, leave it a line a block.
STRIPPED_MIN_CONTINUED = 3

_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)")
_MD_HEADING = re.compile(r"(#{1,6})\s+")
_MD_ITEM = re.compile(r"([*+-]|\d{1,3}[.)])\s+")
_MD_STRONG = re.compile(r"\*\*|__")
_MD_EMPHASIS = re.compile(
    r"(?<![\w*\\])_(?=\S)(.+?)(?<=[^\s\\])_(?!\w)|(?<![\w*\\])\*(?=\S)(.+?)(?<=[^\s\\])\*(?![\w*])"
)
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_MD_RULE = re.compile(r"[-*_ ]{3,}|[-|: ]{3,}")
#: A line that starts with a bullet (the lines of a text joined by "\n").
_DOT_LINE = re.compile(r"^[^\S\n]*[•◦▪‣·][^\S\n]", re.MULTILINE)
_DOT_ITEM = re.compile(r"([•◦▪‣·]|\d{1,3}\.)\s+")
#: Where :data:`_GLUE` may match: a capital and a lower-case letter after a lower-case letter
#: or an end mark (a quicker scan than _GLUE's own; :func:`_glue_count`).
_GLUE_CANDIDATE = re.compile(r"[a-z.!?](?=[A-Z][a-z])")
_GLUE_BEFORE_END = frozenset("abcdefghijklmnopqrstuvwxyz0123456789)")
_GLUE = re.compile(r"\b[a-z]{3,}(?=[A-Z][a-z])|[a-z0-9)][.!?](?=[A-Z][a-z])")
#: A sentence's end or a colon glued to a capitalised word ("body.The", "Share this:Click").
_END_GLUE = re.compile(r"(?<=[a-z0-9)\"”’][.!?:])(?=[A-Z][a-z])")
#: A word in camel case, and where it is cut (:func:`_split_glued`).
_CAMEL = re.compile(r"\b\w*[a-z]{2}[A-Z][a-z]\w*")
_CAMEL_CUT = re.compile(r"(?<=[a-z]{2})(?=[A-Z][a-z])")
#: A line of code: a call, braces, a statement's end, an assignment or a comparison.
_CODE = re.compile(r"\w\(|[{};=<>]")
#: Where run-together text is split again: after a sentence's end or a lower-case letter
#: glued to a capitalised word ("Beds" "For twenty years"; a brand written in camel case is
#: split too: the flattener has lost the boundaries, and these are most of them).
_GLUE_SPLIT = re.compile(r"(?<=[a-z0-9)\"”’][.!?])(?=[A-Z][a-z])|(?<=[a-z]{2})(?=[A-Z][a-z])")


class Piece(tuple[str, int, int, BlockKind, int, bool, bool]):
    """One block as read from the text: ``(text, first line, last line, kind, level,
    ordered, linked)``; kind, level and ordered as :class:`~cleaner.result.Block` has them;
    ``linked``: the block is nothing but links (Markdown's ``* [Home](/)``), as menus are."""

    __slots__ = ()

    def __new__(
        cls, text: str, first: int, last: int, kind: BlockKind = BlockKind.PARAGRAPH,
        level: int = 0, ordered: bool = False, linked: bool = False,
    ) -> Piece:
        return super().__new__(cls, (text, first, last, kind, level, ordered, linked))


def text_shape(lines: Sequence[str]) -> str:
    """The shape of flattened text (one of :data:`SHAPES`), from the text alone.

    >>> text_shape(["* [Home](/)", "* [About](/about)", "# Title", "See [this](/x) now."])
    'markdown'
    >>> text_shape(["Read the ", "docs", " first.", "Then go on."])
    'fragments'
    >>> text_shape(["Title", "", "A sentence of the article.", "", "Another one."])
    'lines'
    """
    text = [raw for raw in lines if raw.strip()]
    n = len(text)
    if not n:
        return "lines"
    whole = "\n".join(text)
    if "](" in whole:
        links = sum(1 for raw in text if "](" in raw and _MD_LINK.search(raw))
        if links >= MARKDOWN_MIN_LINKS and links >= MARKDOWN_SHARE * n:
            return "markdown"
    dots = len(_DOT_LINE.findall(whole))
    if dots >= BULLETS_MIN and dots >= BULLETS_SHARE * n:
        return "bullets"
    glue = _glue_count(whole)
    if glue >= GLUE_PER_LINE * n:
        return "run-together"
    led = sum(1 for raw in text if raw[:1].isspace())
    if led >= INDENTED_SHARE * n:
        return "indented"
    edged = sum(1 for raw in text if raw[:1].isspace() or raw[-1:].isspace())
    if edged > FRAGMENTED_SHARE * n:
        return "fragments"
    blanks = len(lines) - n
    if blanks < STRIPPED_BLANK_SHARE * n:
        stripped = [" ".join(raw.split()) for raw in text]
        continued = sum(
            1
            for a, b in zip(stripped, stripped[1:], strict=False)
            if (b[0].islower() or b[0] in _CONTINUES) and not _ends_sentence(a)
        )
        if continued >= max(STRIPPED_MIN_CONTINUED, STRIPPED_CONTINUED_SHARE * n):
            return "stripped-fragments"
    for a, b in zip(text, text[1:], strict=False):
        if len(a) >= WRAP_MIN_CHARS and b.lstrip()[:1].islower() and not _ends_sentence(a):
            return "wrapped"
    return "lines"


def _glue_count(text: str) -> int:
    """How many places of ``text`` :data:`_GLUE` matches, found faster: the places where a
    capital follows a lower-case letter or an end mark, then each tested as :data:`_GLUE`
    would ("bodyThe" when "body" is a word of its own; "body.The").

    >>> sample = "The endThe start.Next WordPress iPhone a.B xyzAb."
    >>> _glue_count(sample), len(_GLUE.findall(sample))
    (3, 3)
    """
    count = 0
    for m in _GLUE_CANDIDATE.finditer(text):
        i = m.start()
        if text[i] in ".!?":
            count += i > 0 and (text[i - 1] in _GLUE_BEFORE_END)
            continue
        j = i
        while j > 0 and "a" <= text[j - 1] <= "z":
            j -= 1
        count += i - j + 1 >= 3 and not (j > 0 and (text[j - 1].isalnum() or text[j - 1] == "_"))
    return count


def read_text(text: str) -> tuple[str, list[Piece]]:
    """The shape of flattened text (:func:`text_shape`) and its blocks, read the way that
    shape asks: fragments joined into their sentences, Markdown's marks and the list
    bullets taken off (list items and headings keep their kind), run-together sentences
    split apart again.

    >>> shape, pieces = read_text("* [Home](/)\\n* [About](/a)\\n## Hello\\nSee [it](/x).\\n")
    >>> shape, [(p[0], p[3].value) for p in pieces]
    ('markdown', [('Home', 'li'), ('About', 'li'), ('Hello', 'h'), ('See it.', 'p')])
    """
    if _HAS_INVISIBLE.search(text):
        text = text.translate(_INVISIBLE)
    return _read(text.splitlines())


def _read(lines: Sequence[str]) -> tuple[str, list[Piece]]:
    shape = text_shape(lines)
    if shape == "markdown":
        return shape, _read_markdown(lines)
    if shape in ("bullets", "indented"):
        return shape, _read_items(lines, _DOT_ITEM if shape == "bullets" else _MD_ITEM)
    if shape == "fragments":
        if _glued(lines):
            # get_text() with no separator: blocks the markup put side by side run together
            split = _split_glued(lines)
            return shape, [
                Piece(t, split[a][1], split[b][1]) for t, a, b in _join([p for p, _ in split])
            ]
        return shape, [Piece(*p) for p in _join(lines)]
    if shape == "stripped-fragments":
        return shape, [Piece(*p) for p in _join_stripped(lines)]
    if shape == "run-together":
        split = [(part, i) for i, raw in enumerate(lines) for part in _GLUE_SPLIT.split(raw)]
        return shape, [
            Piece(t, split[a][1], split[b][1]) for t, a, b in _unwrap([p for p, _ in split])
        ]
    return shape, [Piece(*p) for p in _unwrap(lines)]


def _glued(lines: Sequence[str]) -> bool:
    """Whether get_text()'s fragments also hold strings run together (:data:`GLUED_PER_LINE`)."""
    text = [raw for raw in lines if raw.strip()]
    glued = sum(_glue_count(raw) for raw in text if not _CODE.search(raw))
    return bool(text) and glued >= GLUED_PER_LINE * len(text)


def _split_glued(lines: Sequence[str]) -> list[tuple[str, int]]:
    """The lines split where a sentence's end is glued to a capital ("body.The"), and where a
    word in lower case is glued to a capitalised one ("CommentedColin") unless the page writes
    that word so more than once (a name in camel case: "WordPress", "YouTube"); each part with
    its line number. Lines of code (a call, braces, ``;``, ``=``) stay whole."""
    counts = Counter(_CAMEL.findall("\n".join(lines)))
    out: list[tuple[str, int]] = []
    for i, raw in enumerate(lines):
        if _CODE.search(raw):
            out.append((raw, i))
            continue
        for part in _END_GLUE.split(raw):
            pos = 0
            for m in _CAMEL.finditer(part):
                if counts[m.group(0)] > 1:
                    continue
                for cut in _CAMEL_CUT.finditer(m.group(0)):
                    at = m.start() + cut.start()
                    out.append((part[pos:at], i))
                    pos = at
            out.append((part[pos:], i))
    return [(p, i) for p, i in out if p]


def _read_markdown(lines: Sequence[str]) -> list[Piece]:
    """html2text's Markdown a line a block, without its marks: link targets, images,
    emphasis, escapes; headings and list items keep their kind."""
    out: list[Piece] = []
    for i, raw in enumerate(lines):
        text = raw.strip()
        if not text or _MD_RULE.fullmatch(text):
            continue
        kind, level, ordered = BlockKind.PARAGRAPH, 0, False
        m = _MD_HEADING.match(text)
        if m:
            kind, level, text = BlockKind.HEADING, len(m.group(1)), text[m.end() :]
        else:
            m = _MD_ITEM.match(text)
            if m:
                kind, ordered, text = BlockKind.ITEM, m.group(1)[0].isdigit(), text[m.end() :]
            elif text.startswith(">"):
                kind, text = BlockKind.QUOTE, text.lstrip("> ")
        linked = "](" in text and not _WORD.search(_MD_LINK.sub("", _MD_IMAGE.sub("", text)))
        text = _md_inline(text)
        if text and kind is BlockKind.PARAGRAPH and out and _wrapped(out[-1], text):
            out[-1] = Piece(out[-1][0] + " " + text, out[-1][1], i)
        elif text:
            out.append(Piece(text, i, i, kind, level, ordered, linked))
    return out


def _md_inline(text: str) -> str:
    """A Markdown line's words: images dropped, links their text, emphasis and escapes
    undone."""
    if "](" in text:
        text = _MD_IMAGE.sub("", text)
        text = _MD_LINK.sub(r"\1", text)
    if "*" in text or "_" in text:
        text = _MD_STRONG.sub("", text)
        text = _MD_EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text)
    if "\\" in text:
        text = _MD_ESCAPE.sub(r"\1", text)
    return " ".join(text.split())


def _read_items(lines: Sequence[str], bullet: re.Pattern[str]) -> list[Piece]:
    """Text whose lists carry a mark (resiliparse's bullets, inscriptis' ``*``): a block a
    line, indentation dropped, each marked line a list item without its mark."""
    out: list[Piece] = []
    for i, raw in enumerate(lines):
        text = " ".join(raw.split())
        if not text:
            continue
        m = bullet.match(text)
        if m and m.end() < len(text):
            ordered = m.group(0)[0].isdigit()
            out.append(Piece(text[m.end() :], i, i, BlockKind.ITEM, 0, ordered))
        elif out and _wrapped(out[-1], text):
            out[-1] = Piece(out[-1][0] + " " + text, out[-1][1], i)
        else:
            out.append(Piece(text, i, i))
    return out


def _wrapped(prev: Piece, text: str) -> bool:
    """A paragraph's line that the source or the flattener wrapped: the one before is a
    paragraph of at least :data:`WRAP_MIN_CHARS` that ends no sentence, and this one starts in
    lower case."""
    before = prev[0]
    return (
        text[0].islower()
        and prev[3] is BlockKind.PARAGRAPH
        and len(before) >= WRAP_MIN_CHARS
        and not _ends_sentence(before)
        and before[-1] != ":"
    )


#: In stripped fragments, a line that ends with one of these words (articles, prepositions,
#: conjunctions of the packs' languages) goes on in the next line: a link or an emphasis cut
#: out of its sentence ("Read the" / "Docs" / "first.").
_OPEN_ENDS = frozenset(
    "a an the of to for with from by and or but as into than via about "
    "der die das den dem des ein eine einen und oder mit von zu für "
    "le la les un une des du au aux et ou avec pour sur par "
    "el los las una del al y con para por sobre "
    "il lo gli uno della dei delle di da per con "
    "o os um uma do dos das da em com "
    "het een van en met voor naar".split()
)


def _join_stripped(lines: Sequence[str]) -> list[tuple[str, int, int]]:
    """``get_text("\\n", strip=True)``: every string stripped on a line of its own, so the
    white space no longer shows where a sentence goes on. A line that ends no sentence (nor
    a label, ``:``) goes on in the next when that starts in lower case or with
    ``, ; : . ) ]``, or when it ends with ``(`` or with an article, a preposition or a
    conjunction (:data:`_OPEN_ENDS`).

    >>> [t for t, _, _ in _join_stripped(["Read the", "Docs", "first, then", "Go", "on."])]
    ['Read the Docs first, then', 'Go on.']
    """
    out: list[tuple[str, int, int]] = []
    for i, raw in enumerate(lines):
        text = " ".join(raw.split())
        if not text:
            continue
        if out:
            prev, first, _ = out[-1]
            if text[0] in _CONTINUES:
                join = not _ends_sentence(prev) or text[0] in ",;:)]"
            elif _ends_sentence(prev) or prev.endswith(":"):
                join = False
            else:
                tail = prev.rsplit(" ", 1)[-1].casefold()
                join = text[0].islower() or prev[-1] in _OPENERS or tail in _OPEN_ENDS
            if join:
                sep = "" if text[0] in _CONTINUES or prev[-1] in _OPENERS else " "
                out[-1] = (prev + sep + text, first, i)
                continue
        out.append((text, i, i))
    return out


@dataclass
class Line:
    """One block of the page and what its score is made of."""

    text: str
    first: int
    last: int
    kind: BlockKind = BlockKind.PARAGRAPH
    level: int = 0
    ordered: bool = False
    linked: bool = False
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


def _features(blocks: Sequence[Piece], textm: Any) -> list[Line]:
    from .revise import dateline

    lines = [Line(*p) for p in blocks]
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
        # numbers are no words (and no stop word is one)
        ln.words = len(toks) - sum(map(str.isdigit, toks))
        if not f.isascii():
            ln.words += sum(len(t) // 2 for t in toks if t[0] >= _CJK)
        ln.stops = sum(map(line_stops.__contains__, toks)) if known else ln.words
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
        if ln.words <= 15:
            digit = _DIGIT.search(ln.text) is not None
            ln.menu = (
                0 < ln.words <= 3
                and not ln.stops
                and not ln.ends
                and not digit
                and not ln.text.startswith(_BULLETS)
            )
            ln.meta = bool(ln.words <= 6 and _COMMENT_META.search(f)) or (
                not ln.menu and digit and dateline(ln.text)
            )
    return lines


def _sentence(ln: Line) -> bool:
    """A sentence of prose, however short: what introduces a list and follows it."""
    return (
        ln.ends
        and ln.words >= 3
        and ln.stops >= PROSE_STOP_SHARE * ln.words
        and not (ln.teaser or ln.meta or ln.rule is not None)
    )


def _intro(ln: Line) -> bool:
    """A line that introduces a list: a phrase in sentence case that ends with ``:`` ("Break
    your budget into these categories:"), not a label ("Tags:", "Filed Under:")."""
    return (
        ln.text.endswith(":")
        and ln.words >= LIST_INTRO_WORDS
        and ln.stops > 0
        and not ln.headline
    )


def _listed(ln: Line) -> bool:
    """A list item: read as one (a bullet or Markdown's mark taken off), or a bullet or a
    number before it."""
    return (
        ln.kind is BlockKind.ITEM or ln.text.startswith(_BULLETS) or bool(_NUMBERED.match(ln.text))
    )


def _boilerplate(ln: Line) -> bool:
    """A line that reads like a widget's, not like a list item of the post: a line the page
    repeats, a menu's word, nothing but links, a teaser, a count ("Recipes (12)"), a
    copyright, a line without words."""
    return bool(
        ln.repeated
        or ln.menu
        or ln.linked
        or ln.teaser
        or not ln.words
        or _nav_word(ln)
        or _COUNTED.search(ln.text)
        or "©" in ln.text
    )


def _list_runs(lines: Sequence[Line], scores: list[float]) -> None:
    """Lists inside the article weigh nothing: a run of lines that are no sentence (list
    items, headings, table rows, a recipe's ingredients, a guide's steps) between two
    sentences, up to the first end-of-article header. The run counts as the article's when
    no rule labels a line of it, it holds no commenter's or date line and no line twice in a
    row (a card's image and title), and

    - a line that introduces a list (:func:`_intro`) starts it, or
    - most of its lines are list items (:data:`LIST_ITEMS_SHARE`) or phrases of five words or
      more with a stop word (:data:`LIST_PHRASES_SHARE`), and the page repeats none of them,
      or
    - none of its lines reads like a widget's (:func:`_boilerplate`).

    Its lines' negative scores then become 0 (``scores`` is changed in place), so that the
    region goes on over it to the prose after it; a menu or a footer between two sentences
    keeps its weight."""
    n = len(lines)
    sentence = [_sentence(ln) for ln in lines]
    stop = next((i for i, ln in enumerate(lines) if ln.rule is not None and end_marker(ln.rule)), n)
    i = 0
    while i < stop:
        if not sentence[i]:
            i += 1
            continue
        j = i + 1
        while j < stop and not sentence[j]:
            j += 1
        if j < stop and j > i + 1 and _article_run(lines, i, j):
            for k in range(i + 1, j):
                scores[k] = max(scores[k], 0.0)
        i = j


def _article_run(lines: Sequence[Line], i: int, j: int) -> bool:
    """Whether the run between the sentences ``i`` and ``j`` is the article's (see
    :func:`_list_runs`)."""
    run = lines[i + 1 : j]
    if any(ln.rule is not None or ln.meta for ln in run):
        return False
    if any(ln.words <= DATE_MAX_WORDS and _YEAR.search(ln.text) for ln in run):
        return False  # a teaser's date
    folded = [ln.text.casefold() for ln in run]
    if any(a == b for a, b in zip(folded, folded[1:], strict=False)):
        return False
    if any(_intro(ln) for ln in lines[i:j]):
        return True
    if not any(ln.repeated for ln in run):
        items = sum(1 for ln in run if _listed(ln))
        phrases = sum(1 for ln in run if ln.stops and ln.words >= 5 and not ln.headline)
        if items >= LIST_ITEMS_SHARE * len(run) or phrases >= LIST_PHRASES_SHARE * len(run):
            return True
    return not any(_boilerplate(ln) for ln in run)


def _score(ln: Line) -> float:
    if ln.rule is not None:
        return LABEL_SCORE
    if ln.repeated and not ln.title:
        return REPEAT_SCORE
    if not ln.words:
        return EMPTY_SCORE
    if ln.meta:
        return META_SCORE
    if ln.linked and not ln.ends:
        return LINKED_SCORE
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


def _comments(rule: Any) -> bool:
    """Whether a rule is of the comments pack: a thread is often longer than its post."""
    return Path(rule.source).stem == "comments"


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
    shape, pieces = read_text(text)
    lines = _features(pieces, textm)
    if not lines:
        return TextPage(None, (), ())
    _mark_title_repeats(lines)
    scores = [_score(ln) for ln in lines]
    _list_runs(lines, scores)
    # the first line no rule labels (a repeated line was not looked up to score it)
    first = next(
        (
            i
            for i, ln in enumerate(lines)
            if ln.rule is None and not (ln.repeated and textm and textm.rule_for(ln.text))
        ),
        0,
    )
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
    title_at = _title_line(lines, scores, first, start, h1s)
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
    blocks = [Block(ln.text, ln.kind, level=ln.level, ordered=ln.ordered) for ln in lines]
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
        notes=(f"text shape: {shape}", *notes),
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
    """Text that is the article alone: prose within its first lines, list items aside ("Key
    takeaways" and their bullets; a page has a header of menus first), and no line that a text
    rule labels but a "Read more: <title>" link inside the post (:func:`_inline_link`)."""
    if lines[0].words >= CLEAN_FIRST_WORDS and lines[0].ends:
        return True
    head = next((i for i, s in enumerate(scores) if s > 0), len(scores))
    if sum(1 for ln in lines[:head] if ln.linked or not _listed(ln)) > CLEAN_HEAD_LINES:
        return False
    if any(ln.rule is not None and not _inline_link(ln.rule) for ln in lines):
        return False
    return sum(1 for ln in lines[:CLEAN_HEAD_WINDOW] if ln.menu or ln.linked) < CLEAN_MAX_MENU_LINES


def _inline_link(rule: Any) -> bool:
    """A ``#drop#`` rule of the related-posts pack: a "Read more: <title>" link inside the
    post, which text that is the article alone holds too."""
    from .ruleset import RuleAction

    return rule.action is RuleAction.DROP and Path(rule.source).stem == "related"


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
    if sum(1 for ln in lines if _nav_word(ln)) >= EDGE_MAX_MENU_LINES:
        return False  # "Home", "About", "Contact": stop words of some language, still a menu
    return -sum(s for s in scores if s < 0) < EDGE_MIN_NEGATIVE


def _nav_word(ln: Line) -> bool:
    """A navigation link: one or two capitalised words and nothing else ("Home", "About
    me")."""
    text = ln.text
    return (
        0 < ln.words <= 2
        and text[0].isupper()
        and all(w[0].isupper() for w in text.split())
        and not ln.ends
        and not _DIGIT.search(text)
    )


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
    """The first end marker in the region once the region holds prose, if any; not one that
    more prose follows in the region than it has before it (:data:`END_AFTER_SHARE`)."""
    prose = 0
    total = sum(lines[i].words for i in range(start, end) if scores[i] > 0)
    for i in range(start, end):
        ln = lines[i]
        if (
            prose >= END_MIN_WORDS
            and end_marker(ln.rule)
            and (total - prose <= END_AFTER_SHARE * prose or _comments(ln.rule))
            and not _inline(lines, scores, i)
        ):
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


def _title_line(
    lines: Sequence[Line], scores: Sequence[float], first: int, start: int, repeats: list[int]
) -> int | None:
    """Index of the title line: the last line before the region (or among its first two
    lines) that repeats the first line; else the first line itself when it reads like a
    title; else None."""

    before = [i for i in repeats if i < start + 2]
    if before:
        return before[-1]
    # a page flattened whole: the site's name and its menu, then the post's title just
    # before the byline and the first prose
    header = sum(1 for ln in lines[first + 1 : start] if ln.menu or _nav_word(ln))
    if header >= TITLE_HEADER_LINES:
        for i in range(start - 1, max(first, start - 1 - TITLE_LOOKBACK), -1):
            ln = lines[i]
            if (
                ln.rule is not None
                or ln.meta
                or ln.words < 3
                or _YEAR.search(ln.text)
                or _BYLINE.match(ln.text)
            ):
                continue  # the byline: a name, a date, "Follow", a count
            if not _reads_like_title(ln) or any(scores[j] > 0 for j in range(first, i)):
                break  # not after prose: a table of contents' entry under a first paragraph
            above = lines[i - 1]
            if not ln.headline and i - 1 > first and above.headline and _reads_like_title(above):
                return i - 1  # a subtitle in sentence case under the title
            return i
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
