"""The ground floor: what the stages share about elements and text, importing no stage.

- :func:`normalise`: the form text rules and title comparisons see;
- :func:`element_text`: an element's visible text, white space collapsed;
- :func:`remove`: an element out of its tree, its tail text kept and no two words glued;
- :class:`Marks`: the elements a stage asks the rule matcher's pass to collect for it;
- the main-text measures (:func:`main_text`, :func:`held_main_text`, paragraph text): how much
  of the page's prose an element holds, in one pass from the leaves up.

Stages import these from here, never from each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = [
    "INLINE_TAGS",
    "Marks",
    "Measures",
    "PROSE_RUN",
    "SKIP_CLASS",
    "SKIP_TAGS",
    "attached",
    "element_text",
    "held_main_text",
    "held_paragraph_text",
    "main_text",
    "normalise",
    "own_paragraph_text",
    "remove",
    "skip_reason",
]

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)


def normalise(text: str) -> str:
    """The form text rules and title comparisons see.

    >>> normalise("  Syria\u2019s   Aleppo:  ")
    "syria's aleppo"
    """
    if not text.isascii():  # every character _QUOTES maps is outside ASCII
        text = text.translate(_QUOTES)
    # white space made one space (str.split knows the white space re's \s does), case
    # folded, and trailing white space, ":", ".", "…" and "!" dropped
    return " ".join(text.split()).casefold().rstrip(" :.\u2026!")



def element_text(el: Any) -> str:
    """Visible text of an element, whitespace collapsed (scripts and styles left out)."""
    parts: list[str] = []
    for node in el.iter():
        if isinstance(node.tag, str) and node.tag not in ("script", "style", "noscript"):
            parts.append(node.text or "")
        if node is not el:
            parts.append(node.tail or "")
    return " ".join(" ".join(parts).split())


def remove(el: Any) -> None:
    """Remove an element from its tree, keeping its tail text in place."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        before = (prev.tail if prev is not None else parent.text) or ""
        if before and not before[-1].isspace() and not tail[0].isspace():
            tail = " " + tail  # the text on either side was apart: do not glue two words
        if prev is not None:
            prev.tail = before + tail
        else:
            parent.text = before + tail
    parent.remove(el)


#: A text run of at least this many characters counts as main text wherever it sits (menus,
#: buttons and labels are shorter).
PROSE_RUN = 80
#: Elements whose text is never main text.
_NOT_TEXT = frozenset(
    {"script", "style", "noscript", "template", "head", "title", "svg", "button", "select",
     "option", "textarea"}
)


def own_paragraph_text(root: Any) -> dict[Any, int]:
    """Characters of text in each ``<p>``."""
    return {p: len(" ".join("".join(p.itertext()).split())) for p in root.iter("p")}


def held_paragraph_text(
    root: Any, own: dict[Any, int] | None = None
) -> tuple[dict[Any, int], int]:
    """Characters of ``<p>`` text inside each element (its own text not counted for a ``<p>``),
    and in the whole page. One pass from the leaves up, so a deeply nested page costs no more
    than a flat one."""
    if own is None:
        own = own_paragraph_text(root)
    held: dict[Any, int] = {}
    for el in reversed(list(root.iter())):
        n = 0
        for child in el:
            n += own.get(child, 0) + held.get(child, 0)
        if n:
            held[el] = n
    return held, sum(own.values())


def held_main_text(root: Any) -> dict[Any, int]:
    """Characters of main text in each element (see :func:`main_text`), in one pass from the
    leaves up."""
    runs: dict[Any, int] = {}
    paras: dict[Any, int] = {}
    for el in reversed(list(root.iter())):
        tag = el.tag
        if not isinstance(tag, str):
            continue
        r = p = 0
        if tag not in _NOT_TEXT:
            if el.text:
                n = len(el.text.strip())
                r += n if n >= PROSE_RUN else 0
            for child in el:
                r += runs.get(child, 0)
                p += paras.get(child, 0)
                if child.tail:
                    n = len(child.tail.strip())
                    r += n if n >= PROSE_RUN else 0
        if tag == "p":
            p = len(" ".join("".join(el.itertext()).split()))
        runs[el] = r
        paras[el] = p
    return {el: max(r, paras[el]) for el, r in runs.items()}


def main_text(root: Any) -> int:
    """Characters of the page's main text: its ``<p>`` text, or its text runs of at least
    :data:`PROSE_RUN` characters wherever they sit (``<div>``, ``<td>``, between ``<br>``),
    whichever is more. Scripts, styles, buttons and form fields do not count.

    >>> from cleaner.parse import parse_html
    >>> run = "A sentence of an article that runs on and on, long enough to be prose. " * 2
    >>> main_text(parse_html(f"<div>{run}<br>{run}<br><a>Home</a></div>")) == 2 * len(run.strip())
    True
    """
    return held_main_text(root).get(root, 0)


@dataclass(frozen=True)
class Marks:
    """Elements a caller wants from the matcher's pass, besides the rules' matches: those of
    ``tags``, those with one of the ``attrs``, and those whose class or id, in lower case,
    ``words`` searches (lower case and a case-sensitive pattern: seven times faster than
    ``re.IGNORECASE`` over the dev sets' classes)."""

    tags: frozenset[str]
    attrs: frozenset[str]
    words: re.Pattern[str]


def attached(el: Any, root: Any) -> bool:
    """Whether ``el`` is still in ``root``'s tree (not inside a removed element)."""
    return el is root or any(a is root for a in el.iterancestors())


#: Elements that sit inside a paragraph: a run of these (and text) is one paragraph.
INLINE_TAGS = frozenset(
    {
        "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "br", "cite", "code", "data", "del",
        "dfn", "em", "font", "i", "img", "ins", "kbd", "mark", "q", "s", "samp", "small",
        "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
    }
)
#: Elements that never hold article text (trafilatura's ``MANUALLY_CLEANED``, in substance).
SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "button", "form", "input", "select",
     "textarea", "iframe", "nav", "aside", "footer", "figure", "figcaption", "object", "embed",
     "canvas", "video", "audio", "map", "label", "dialog", "menu", "head", "title", "link",
     "meta", "picture", "source", "math"}
)
#: Class or id words of captions, galleries, lists of other stories, widgets (share, social,
#: newsletter, cookie consent, tags, bylines and author boxes) and ads: trafilatura's own
#: discard words that hold on modern pages (its "widget", "meta", "banner" and "button" words
#: hit the body classes of site builders: tried, 0.007 F1 lost on wcxb-dev). Measured on both
#: dev sets (container pages): captions and galleries cost scrapinghub's news pages 0.03 F1
#: without this; the related-story words another 0.001; "author" made 14 wcxb-dev pages
#: better and none worse.
SKIP_CLASS = re.compile(
    "caption|elated|-stories|most-popular|more-on|most-read|gallery|slideshow|carousel"
    "|(?:^|\\s)shar|share-|sociable|social|newsletter|subscri|cookie|consent|tag-list|byline|author"
    "|(?:^|\\s)ad-|-ad-|(?:^|\\s)ads?(?:\\s|$)|advert|outbrain|taboola|dfp-?ad|sponsor"
)

#: Of those words, the ones that hold on every kind of page: widgets, ads, related items,
#: upsells and recommendations. Captions, galleries, carousels, bylines and tags are what a
#: shop's product, a
#: listing's items or a forum's posts are made of (a product's name and description sit in
#: its "product-gallery" wrapper, a shop's product box is "subscription-eligible"): on pages
#: that are not articles only these are left out.
SKIP_CLASS_ANY_KIND = re.compile(
    "elated|upsell|up-sell|cross-sell|crosssell|recommend|recently-viewed"
    "|(?:^|\\s)shar|share-|sociable|social|newsletter|cookie|consent"
    "|(?:^|\\s)ad-|-ad-|(?:^|\\s)ads?(?:\\s|$)|advert|outbrain|taboola|dfp-?ad|sponsor"
)


def skip_reason(el: Any, article: bool = True) -> str | None:
    """Why an element never holds article text (:data:`SKIP_TAGS`, :data:`SKIP_CLASS`; on
    pages that are not articles, ``article`` False, :data:`SKIP_CLASS_ANY_KIND`), or None."""
    tag = el.tag
    if not isinstance(tag, str):
        return "not an element"
    if tag == "figure":
        return None if el.find(".//table") is not None else "figure"
    if tag in SKIP_TAGS:
        return tag
    cls, ident = el.get("class"), el.get("id")
    if (cls or ident) and _skip_words(f"{cls or ''} {ident or ''}", article):
        return "caption, gallery or other stories" if article else "widget or ad"
    return None


@lru_cache(maxsize=65536)
def _skip_words(words: str, article: bool = True) -> bool:
    """Whether class and id words name a part that never holds article text (cached: a page
    repeats its classes, and a crawl its templates)."""
    return (SKIP_CLASS if article else SKIP_CLASS_ANY_KIND).search(words) is not None


def _norm_len(text: str | None) -> int:
    """Characters of a piece of text once its white space is collapsed."""
    if not text or text.isspace():
        return 0
    return len(" ".join(text.split()))


class Measures:
    """What the stages measure of a pruned tree, each in one pass from the leaves up:

    - ``main``: characters of main text of every element (:func:`held_main_text`), at once;
    - for the subtree of an element once :meth:`detail` has measured it (the container the
      walker walks, or the whole page for the candidate boxes): ``stats``, ``(text
      characters, links, link characters)`` with the parts that never hold article text
      (:func:`skip_reason`) left out, as the walker's link tests read them; ``prose``,
      characters of main text with those parts left out too; ``skip``, the elements left
      out so, with the reason.

    Measure after pruning: a removed element's counts stay with the tree it was in.
    """

    def __init__(self, root: Any, *, article: bool = True) -> None:
        self.main = held_main_text(root)
        #: whether the page is an article (:func:`skip_reason` leaves out more of those)
        self.article = article
        self.stats: dict[Any, tuple[int, int, int]] = {}
        self.prose: dict[Any, int] = {}
        self.skip: dict[Any, str] = {}

    def detail(self, top: Any) -> Measures:
        """Measure ``stats``, ``prose`` and ``skip`` for the subtree of ``top`` (once)."""
        if top in self.stats:
            return self
        stats, prose, skip = self.stats, self.prose, self.skip
        for el in reversed(list(top.iter())):
            tag = el.tag
            if not isinstance(tag, str):
                continue
            why = skip_reason(el, self.article)
            if why is not None:
                skip[el] = why
            text = el.text
            chars = _norm_len(text)
            links = link_chars = 0
            counts = tag not in _NOT_TEXT
            runs = kept = 0
            if counts and text:
                n = len(text.strip())
                runs = n if n >= PROSE_RUN else 0
            for child in el:
                tail = child.tail
                if child not in skip:
                    found = stats.get(child)
                    if found is not None:
                        chars += found[0]
                        links += found[1]
                        link_chars += found[2]
                        kept += prose.get(child, 0)
                if tail:
                    chars += _norm_len(tail)
                    if counts:
                        n = len(tail.strip())
                        runs += n if n >= PROSE_RUN else 0
            if tag == "a":
                links, link_chars = links + 1, chars
            stats[el] = (chars, links, link_chars)
            if counts:
                kept += runs
                prose[el] = chars if tag == "p" and chars > kept else kept
        return self
