"""Stage 4 on the container path, walk: an article container turned into blocks, without
trafilatura.

Contract: :func:`walk` takes the element that holds the article's body (pruned by the DOM
rules and reshaped) and returns a :class:`Walk`: its paragraphs, headings, list items, quotes,
code blocks, table rows and loose text runs (split at ``<br>``), in document order, as
:class:`~cleaner.result.Block`, and one ``(reason, text)`` per part it left out. It never
modifies the tree. :func:`narrow` finds the smallest element inside a container that still
holds most of its main text.

What it leaves out, as trafilatura does inside the body it picks:

- elements that never hold article text (:data:`SKIP_TAGS`: scripts, forms, buttons,
  navigation, asides, footers, embedded media, figures other than those holding a table);
- elements whose class or id names an image caption, a gallery or a list of other stories
  (:data:`SKIP_CLASS`, trafilatura's ``DISCARD_IMAGE_ELEMENTS`` and related-story tokens);
- link farms: a ``div``, ``section``, list or table of two or more links whose text is mostly
  link text (:data:`LINK_FARM_SHARE`): menus, tag lists, "more stories" lists;
- a short paragraph that is all link (:data:`LINK_PARAGRAPH_MAX`): "Read more" lines;
- a short block with links (:data:`SHORT_LINKED`): bylines, breadcrumbs, teaser cards;
- headings left at the end, with no text after them (the title of a widget that was removed).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .reshape import INLINE_TAGS
from .result import Block, BlockKind

__all__ = ["Walk", "walk", "narrow", "SKIP_TAGS", "SKIP_CLASS"]

#: Elements that never hold article text (trafilatura's ``MANUALLY_CLEANED``, in substance).
SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "button", "form", "input", "select",
     "textarea", "iframe", "nav", "aside", "footer", "figure", "figcaption", "object", "embed",
     "canvas", "video", "audio", "map", "label", "dialog", "menu", "head", "title", "link",
     "meta", "picture", "source", "math"}
)
#: Class or id words of captions, galleries and lists of other stories. Measured on both dev
#: sets (container pages): captions and galleries cost scrapinghub's news pages 0.03 F1 without
#: this; the related-story words another 0.001, and nothing on wcxb-dev.
SKIP_CLASS = re.compile(
    "caption|elated|-stories|most-popular|more-on|most-read|gallery|slideshow|carousel"
    "|(?:^|\\s)shar|share-|sociable|social|newsletter|subscri|cookie|consent|tag-list|byline"
    "|(?:^|\\s)ad-|-ad-|(?:^|\\s)ads?(?:\\s|$)|advert|outbrain|taboola|dfp-?ad|sponsor"
)
#: A block of two or more links whose link text is more than this share of its text is a link
#: farm. 0.7 and 0.85 measured alike on both sets; 0.7 is a little better on scrapinghub.
LINK_FARM_SHARE = 0.7
#: A ``div``, ``section``, ``header`` or ``span`` with a link, child elements and less text
#: than this is a short block with links: a byline, a breadcrumb, a "0 Comments" link, a
#: teaser card (trafilatura's precision mode drops the same, at the same length). Measured:
#: 100 leaves scrapinghub's container pages 0.002 below trafilatura's path on the same pages,
#: 200 level with it; wcxb-dev's stay 0.010 above with either.
SHORT_LINKED = 200
#: A paragraph that is all link (80% of its text) and shorter than this is a link line.
LINK_PARAGRAPH_MAX = 80
#: :func:`narrow` steps into a child that holds at least this share of the element's main
#: text. 0.85 measured better than 0.95 on both sets (scrapinghub 0.969 against 0.965).
NARROW_SHARE = 0.85
#: Farm tests apply to these (not to ``p`` or ``li``: a paragraph or item with links is text).
_FARM_TAGS = frozenset({"div", "section", "ul", "ol", "table", "span", "header", "dl"})
_BOX_TAGS = frozenset({"div", "section", "header", "span"})
#: :func:`narrow` steps into these only: boxes of blocks, never a block (a paragraph that
#: holds most of the text is one block of the article, not the article).
_NARROW_TAGS = frozenset({"div", "section", "article", "main"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


@dataclass
class Walk:
    """The blocks of a container, and what the walk left out (reason, text)."""

    blocks: list[Block] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _texts(el: Any) -> Iterator[str]:
    """The text of an element without its skipped descendants (tails of those kept)."""
    if el.text:
        yield el.text
    for child in el:
        if isinstance(child.tag, str) and _skip_reason(child) is None:
            yield from _texts(child)
        if child.tail:
            yield child.tail


def text_of(el: Any) -> str:
    return " ".join("".join(_texts(el)).split())


def _link_chars(el: Any) -> tuple[int, int]:
    n = chars = 0
    for a in el.iter("a"):
        n += 1
        chars += len(" ".join("".join(a.itertext()).split()))
    return n, chars


def _skip_reason(el: Any) -> str | None:
    tag = el.tag
    if not isinstance(tag, str):
        return "not an element"
    if tag == "figure":
        return None if el.find(".//table") is not None else "figure"
    if tag in SKIP_TAGS:
        return tag
    words = f"{el.get('class') or ''} {el.get('id') or ''}"
    if words.strip() and SKIP_CLASS.search(words):
        return "caption, gallery or other stories"
    return None


def walk(container: Any) -> Walk:
    """The container's blocks, in document order (module docstring)."""
    out = Walk()
    _walk(container, out, BlockKind.PARAGRAPH)
    while out.blocks and out.blocks[-1].kind is BlockKind.HEADING:
        out.skipped.append(("heading with nothing after it", out.blocks.pop().text))
    return out


def _walk(el: Any, out: Walk, kind: BlockKind) -> None:
    tag = el.tag
    reason = _skip_reason(el)
    if reason is not None:
        if reason != "not an element":
            text = text_of(el) if tag not in ("script", "style") else ""
            if text:
                out.skipped.append((reason, text))
        return
    if tag in _FARM_TAGS:
        n, links = _link_chars(el)
        if n:
            text = text_of(el)
            if n >= 2 and (not text or links > LINK_FARM_SHARE * len(text)):
                if text:
                    out.skipped.append(("link list", text))
                return
            if tag in _BOX_TAGS and len(text) < SHORT_LINKED and len(el):
                out.skipped.append(("short block with links", text))
                return
    if tag in _HEADINGS:
        text = text_of(el)
        if text:
            out.blocks.append(Block(text, BlockKind.HEADING))
        return
    if tag == "p":
        text = text_of(el)
        if not text:
            return
        if len(text) < LINK_PARAGRAPH_MAX and _link_chars(el)[1] > 0.8 * len(text):
            out.skipped.append(("link line", text))
            return
        inner = BlockKind.QUOTE if kind is BlockKind.QUOTE else BlockKind.PARAGRAPH
        if el.find(".//br") is not None:
            _runs(el, out, inner)
        else:
            out.blocks.append(Block(text, inner))
        return
    if tag == "pre":
        code = "".join(el.itertext()).strip("\n")
        if code.strip():
            out.blocks.append(Block(code, BlockKind.CODE))
        return
    if tag in ("ul", "ol"):
        for child in el:
            if child.tag == "li":
                _runs(child, out, BlockKind.ITEM)
            elif isinstance(child.tag, str):
                _walk(child, out, kind)
        return
    if tag == "table":
        for row in el.iter("tr"):
            cells = [text_of(c) for c in row if c.tag in ("td", "th")]
            text = " | ".join(c for c in cells if c)
            if text:
                out.blocks.append(Block(text, BlockKind.ROW))
        return
    if tag == "blockquote":
        _runs(el, out, BlockKind.QUOTE)
        return
    _runs(el, out, kind)


def _inline(el: Any) -> bool:
    return el.tag in INLINE_TAGS and not any(
        isinstance(d.tag, str) and d.tag not in INLINE_TAGS for d in el.iterdescendants()
    )


def _runs(el: Any, out: Walk, kind: BlockKind) -> None:
    """An element's loose text and inline children as blocks of ``kind`` (split at ``<br>``
    and at block children), its block children walked in turn."""
    run: list[str] = []

    def flush() -> None:
        text = " ".join("".join(run).split())
        run.clear()
        if text:
            out.blocks.append(Block(text, kind))

    if el.text:
        run.append(el.text)
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            pass
        elif tag == "br":
            flush()
        elif _skip_reason(child) is not None:
            _walk(child, out, kind)  # records why it was left out

        elif _inline(child):
            run.append("".join(_texts(child)))
        else:
            flush()
            _walk(child, out, kind)
        if child.tail:
            run.append(child.tail)
    flush()


def narrow(container: Any, main: dict[Any, int]) -> Any:
    """The smallest box (``div``, ``section``, ``article``, ``main``) inside ``container``
    that holds at least :data:`NARROW_SHARE` of its main text (``main``: main-text characters
    per element, see :func:`cleaner.ladder.held_main_text`): a container that also holds the
    page's header, share bar or related stories gives way to the element of the body text."""
    el = container
    while True:
        total = main.get(el, 0)
        step = next(
            (
                c
                for c in el
                if c.tag in _NARROW_TAGS
                and _skip_reason(c) is None
                and main.get(c, 0) >= NARROW_SHARE * total
            ),
            None,
        )
        if step is None or total == 0:
            return el
        el = step
