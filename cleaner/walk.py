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
  link text (:data:`LINK_FARM_SHARE`): menus, tag lists, "more stories" lists; but not a list
  that the text before it introduces ("broken down into three sections:"), nor, when the
  page's URL is known, a list whose items are not mostly links to other pages of the site
  (sources, tools, references): those are the article's own (:func:`prose_list`);
- a short paragraph that is all link (:data:`LINK_PARAGRAPH_MAX`): "Read more" lines;
- on articles, a short block with links (:data:`SHORT_LINKED`): bylines, breadcrumbs, teaser
  cards;
- headings left at the end, with no text after them (the title of a widget that was removed),
  unless they read as prose (:func:`prose_heading`): a closing pull quote.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .dom import INLINE_TAGS, SKIP_CLASS, SKIP_TAGS, Measures, skip_reason
from .result import Block, BlockKind

__all__ = ["Walk", "walk", "narrow", "SKIP_TAGS", "SKIP_CLASS"]

#: A block of two or more links whose link text is more than this share of its text is a link
#: farm. 0.7 and 0.85 measured alike on both sets; 0.7 is a little better on scrapinghub.
LINK_FARM_SHARE = 0.7

#: ... and this share on listings and collections, whose items (post teasers, product cards)
#: are links by nature: a card's title, and its price or excerpt beside it. Only a block of
#: links with almost nothing else (a menu, a filter list, a pager) is a farm there. Measured
#: on wcxb-dev-other with the container check below (ladder.py, a walk under 200 characters
#: on another kind than an article is no answer): listing 0.6266 -> 0.6397 (3 pages better by
#: 0.1 or more, none worse), collection 0.5742 -> 0.5879 (4 better: 0.02 -> 0.91, 0.18 -> 0.83,
#: 0.29 -> 0.90, 0.32 -> 0.82; 4 worse, three of them one shop's pages whose cards repeat
#: "Product information page": 0.90 -> 0.69, 0.79 -> 0.59, 0.62 -> 0.50); other kinds
#: unchanged. 0.85 everywhere but articles lost 0.0012.
LINK_FARM_SHARE_ITEMS = 0.95
#: ... except, in an article, a box (not a list) with at least this many characters of text
#: outside its links: a section whose heading and sentences introduce a list of links (a
#: progress report's "Many patches were sent for review:" and the patches). Measured:
#: wcxb-dev +0.0002 word F1 (0389 0.79 -> 0.86, 0358 0.94 -> 0.98, no page worse); on other
#: kinds, whose walker keeps short linked blocks, it took product grids' chrome in
#: (wcxb-dev-other -0.0004), so it applies to articles only. 150 and 300 alike on the dev
#: sets.
LINK_FARM_KEEP = 150
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
#: A heading at the end is prose (a pull quote set as ``<h4>``), not a widget's title
#: ("Related posts", "Leave a Reply", "You must log in to answer this question."), when it is
#: a quotation of at least the first number of words, or a sentence of at least the second.
#: Measured on the dev sets: any heading of 8 words kept widget titles on 3 pages.
PROSE_HEADING_WORDS = (5, 12)
_QUOTES = "\"'“”‘’«»„"
#: Farm tests apply to these (not to ``p`` or ``li``: a paragraph or item with links is text).
_FARM_TAGS = frozenset({"div", "section", "ul", "ol", "table", "span", "header", "dl"})
_BOX_TAGS = frozenset({"div", "section", "header", "span"})
#: The walk writes at most this many levels of nesting; deeper elements are their text (a
#: page nests 5,000 <b> deep: Python's stack is not the place for it).
MAX_DEPTH = 150
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
    """The text of an element without its skipped descendants (tails of those kept), in
    document order; iterative, so a deep tree costs no stack."""
    stack: list[tuple[Any, bool]] = [(el, False)]
    while stack:
        node, tail_only = stack.pop()
        if tail_only:
            if node.tail:
                yield node.tail
            continue
        if node.text:
            yield node.text
        for child in reversed(node):
            stack.append((child, True))
            if isinstance(child.tag, str) and skip_reason(child) is None:
                stack.append((child, False))


def text_of(el: Any) -> str:
    return " ".join("".join(_texts(el)).split())


def walk(
    container: Any,
    markup: Any = None,
    measures: Measures | None = None,
    url: str | None = None,
    *,
    kind: str = "article",
) -> Walk:
    """The container's blocks, in document order (module docstring). ``markup``
    (:class:`cleaner.blocks.Markup`) is what their Markdown keeps beyond structure and inline
    code, as on trafilatura's path; ``measures`` those of the tree (or of the container),
    made anew when not given; ``url`` is the page's address (which links lead to other pages
    of the site); ``kind`` the page's kind: short blocks with links are left out of articles
    only (elsewhere they are a forum's short replies, a listing's teasers, a shop's cards)."""
    from lxml.etree import Element

    from .blocks import Markup, body_blocks

    markup = markup or Markup()
    out = Walk()
    body = Element("body")
    measured = (measures or Measures(container)).detail(container)
    farm = LINK_FARM_SHARE_ITEMS if kind in ("listing", "collection") else LINK_FARM_SHARE
    _Convert(markup, out, measured, url, kind == "article", farm).element(container, body)
    out.blocks = body_blocks(body, container, links=markup.links)
    while out.blocks and out.blocks[-1].kind is BlockKind.HEADING:
        if prose_heading(out.blocks[-1].text):
            break
        out.skipped.append(("heading with nothing after it", out.blocks.pop().text))
    return out


def prose_heading(text: str) -> bool:
    """Whether a heading reads as prose (:data:`PROSE_HEADING_WORDS`): a closing pull quote.

    >>> prose_heading("“Ship it when it is boring, not when it is new.”")
    True
    >>> prose_heading("You must log in to answer this question."), prose_heading("Related posts")
    (False, False)
    """
    words = len(text.split())
    quoted, sentence = PROSE_HEADING_WORDS
    text = text.strip()
    if text[:1] in _QUOTES or text[-1:] in _QUOTES:
        return words >= quoted
    return words >= sentence and text[-1:] in ".!?"


def _introduced(el: Any) -> bool:
    """Whether the text right before a list ends with a colon: the article's sentence that
    introduces it ("broken down into three sections:")."""
    prev = el.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    before = prev.tail if prev is not None else el.getparent().text
    if before and before.strip():
        return str(before).strip().endswith(":")
    if prev is None or prev.tag not in ("p", "div", "span", "strong", "b", "em"):
        return False
    return text_of(prev).endswith(":")


def _site_page(href: str | None, page: Any) -> bool:
    """Whether a link leads to another page of the page's site (``page``: the page's URL,
    split)."""
    from urllib.parse import urljoin, urlsplit

    if not href:
        return False
    try:
        target = urlsplit(urljoin(page.geturl(), href.strip()))
    except ValueError:
        return False
    if target.scheme not in ("http", "https"):
        return False
    host, mine = (target.hostname or "").removeprefix("www."), (page.hostname or "")
    if host != mine.removeprefix("www."):
        return False
    return (target.path.rstrip("/"), target.query) != (page.path.rstrip("/"), page.query)


def prose_list(el: Any, url: str | None) -> bool:
    """Whether a list of links is the article's own: introduced by the text before it, or,
    with the page's URL known, with at most half of its items holding a link to another page
    of the site (the others lead elsewhere, or nowhere).

    >>> from lxml.html import fragment_fromstring as f
    >>> tools = f("<div><p>Tools:</p><ul><li><a href='/a'>A</a></li><li><a href='/b'>B</a></li>"
    ...           "</ul></div>").find("ul")
    >>> prose_list(tools, None)
    True
    >>> links = f("<ul><li><a href='https://x.org'>X</a></li><li><a href='/b'>B</a></li></ul>")
    >>> prose_list(links, "https://e.com/post"), prose_list(links, None)
    (True, False)
    """
    if _introduced(el):
        return True
    if not url:
        return False
    from urllib.parse import urlsplit

    try:
        page = urlsplit(url)
    except ValueError:
        return False
    items = [li for li in el if li.tag == "li"]
    site = sum(1 for li in items if any(_site_page(a.get("href"), page) for a in li.iter("a")))
    return bool(items) and site <= len(items) / 2


#: HTML inline elements and the trafilatura element each becomes; the others give their text.
_INLINE_AS: dict[str, tuple[str, str | None]] = {
    "b": ("hi", "#b"), "strong": ("hi", "#b"), "i": ("hi", "#i"), "em": ("hi", "#i"),
    "u": ("hi", "#u"), "sub": ("hi", "#sub"), "sup": ("hi", "#sup"),
    "code": ("code", None), "kbd": ("code", None), "samp": ("code", None),
    "tt": ("code", None), "var": ("code", None),
    "del": ("del", None), "s": ("del", None), "strike": ("del", None),
}


def _append_text(parent: Any, text: str | None) -> None:
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _inline(el: Any) -> bool:
    return el.tag in INLINE_TAGS and not any(
        isinstance(d.tag, str) and d.tag not in INLINE_TAGS for d in el.iterdescendants()
    )


class _Convert:
    """The kept part of a container written as trafilatura's output tree (``p``, ``head``,
    ``list``/``item``, ``quote``, ``code``, ``table``/``row``/``cell``, ``hi``, ``ref``,
    ``graphic``, ``lb``), so that one reader (:func:`cleaner.blocks.body_blocks`) turns both
    paths into blocks, their structure and their Markdown alike."""

    def __init__(
        self,
        markup: Any,
        out: Walk,
        measures: Measures,
        url: str | None = None,
        short_links: bool = True,
        farm_share: float = LINK_FARM_SHARE,
    ) -> None:
        self.markup, self.out, self.url = markup, out, url
        #: whether a short block with links is left out (on articles)
        self.short_links = short_links
        #: a block whose link text is more than this share of its text is a link farm
        self.farm_share = farm_share
        self.depth = 0
        #: (text characters, links, link characters) of every element, its left-out parts
        #: not counted, and why elements are left out (:class:`cleaner.dom.Measures`)
        self.stats, self._skip = measures.stats, measures.skip

    def skip(self, el: Any) -> str | None:
        """Why ``el`` is left out (:func:`cleaner.dom.skip_reason`), as measured."""
        return self._skip.get(el)

    def element(self, el: Any, parent: Any) -> None:
        """Write a block-level element (or the container) into ``parent``, or record why it
        is left out. Past :data:`MAX_DEPTH` levels, an element is its text."""
        self._nested(self._element, el, parent, " ")

    def _nested(self, write: Any, el: Any, into: Any, pad: str) -> None:
        """``write(el, into)`` one level deeper; past :data:`MAX_DEPTH`, ``el``'s text."""
        if self.depth > MAX_DEPTH:
            _append_text(into, pad + text_of(el) + pad)
            return
        self.depth += 1
        try:
            write(el, into)
        finally:
            self.depth -= 1

    def _element(self, el: Any, parent: Any) -> None:
        tag = el.tag
        if tag == "figure" and self.markup.images and el.find(".//table") is None:
            for img in el.iter("img"):  # a figure's images, not its caption
                self.inline(img, parent)
            return
        reason = self.skip(el)
        if reason is not None:
            if reason != "not an element":
                text = text_of(el) if tag not in ("script", "style") else ""
                if text:
                    self.out.skipped.append((reason, text))
            return
        chars, n, links = self.stats.get(el, (0, 0, 0))
        if tag in _FARM_TAGS and n:
            if (
                n >= 2
                and (not chars or links > self.farm_share * chars)
                and not (tag in ("ul", "ol") and chars and prose_list(el, self.url))
                and not (
                    self.short_links and tag not in ("ul", "ol") and chars - links >= LINK_FARM_KEEP
                )
            ):
                if chars:
                    self.out.skipped.append(("link list", text_of(el)))
                return
            if self.short_links and tag in _BOX_TAGS and chars < SHORT_LINKED and len(el):
                self.out.skipped.append(("short block with links", text_of(el)))
                return
        sub = parent.makeelement
        if tag in _HEADINGS:
            head = sub("head", {"rend": tag})
            parent.append(head)
            self.inline_content(el, head)
        elif tag == "p":
            if not chars:
                return
            if chars < LINK_PARAGRAPH_MAX and links > 0.8 * chars:
                self.out.skipped.append(("link line", text_of(el)))
                return
            p = sub("p", {})
            parent.append(p)
            self.inline_content(el, p)
        elif tag == "pre":
            code = sub("code", {})
            code.text = "".join(el.itertext())
            parent.append(code)
        elif tag in ("ul", "ol"):
            lst = sub("list", {"rend": tag})
            parent.append(lst)
            for child in el:
                if child.tag == "li":
                    item = sub("item", {})
                    lst.append(item)
                    self.content(child, item, box=False)
                elif isinstance(child.tag, str):
                    self.element(child, lst)
        elif tag == "table":
            table = sub("table", {})
            parent.append(table)
            for row in el.iter("tr"):
                xrow = sub("row", {})
                for cell in row:
                    if cell.tag in ("td", "th"):
                        xcell = sub("cell", {"role": "head"} if cell.tag == "th" else {})
                        self.inline_content(cell, xcell)
                        xrow.append(xcell)
                if len(xrow):
                    table.append(xrow)
        elif tag == "blockquote":
            quote = sub("quote", {})
            parent.append(quote)
            self.content(el, quote, box=True)
        else:
            div = sub("div", {})
            parent.append(div)
            self.content(el, div, box=True)

    def content(self, el: Any, into: Any, *, box: bool) -> None:
        """An element's children and text: block children as blocks, and runs of text and
        inline children as paragraphs of their own (``box``) or as ``into``'s own text (a list
        item's), split at ``<br>``."""
        run: Any = None  # the open paragraph of loose text in a box

        def target() -> Any:
            nonlocal run
            if not box:
                return into
            if run is None:
                run = into.makeelement("p", {})
                into.append(run)
            return run

        def text(value: str | None) -> None:
            if value and (not box or run is not None or value.strip()):
                _append_text(target(), value)

        text(el.text)
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                pass
            elif tag == "br":
                if box:
                    run = None
                else:
                    into.append(into.makeelement("lb", {}))
            elif self.skip(child) is not None:
                self.element(child, into)  # records why it was left out
            elif _inline(child):
                self.inline(child, target())
            else:
                run = None
                self.element(child, into)
            text(child.tail)

    def inline_content(self, el: Any, into: Any) -> None:
        """The text and inline children of a block (a paragraph, heading or cell), its line
        breaks as ``lb``; block elements inside it count as inline."""
        _append_text(into, el.text)
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                pass
            elif tag == "br":
                into.append(into.makeelement("lb", {}))
            elif self.skip(child) is None:
                self.inline(child, into)
            _append_text(into, child.tail)

    def inline(self, el: Any, into: Any) -> None:
        """One inline element, as trafilatura writes it: emphasis only with ``formatting``, a
        link's target only with ``links``, an image only with ``images``. Past
        :data:`MAX_DEPTH` levels, an element is its text."""
        self._nested(self._inline, el, into, "")

    def _inline(self, el: Any, into: Any) -> None:
        tag = el.tag
        markup = self.markup
        if tag == "img":
            if markup.images and el.get("src"):
                attrs = {"src": el.get("src"), "alt": el.get("alt") or ""}
                into.append(into.makeelement("graphic", attrs))
            return
        if tag == "br":
            into.append(into.makeelement("lb", {}))
            return
        mapped = _INLINE_AS.get(tag)
        if tag == "a" and markup.links and el.get("href"):
            node = into.makeelement("ref", {"target": el.get("href")})
        elif mapped is not None and (mapped[0] != "hi" or markup.formatting):
            name, rend = mapped
            node = into.makeelement(name, {"rend": rend} if rend else {})
        else:
            self.inline_content(el, into)  # its text, in place
            return
        into.append(node)
        self.inline_content(el, node)


def narrow(container: Any, main: dict[Any, int]) -> Any:
    """The smallest box (``div``, ``section``, ``article``, ``main``) inside ``container``
    that holds at least :data:`NARROW_SHARE` of its main text (``main``: main-text characters
    per element, see :func:`cleaner.dom.held_main_text`): a container that also holds the
    page's header, share bar or related stories gives way to the element of the body text."""
    el = container
    while True:
        total = main.get(el, 0)
        step = next(
            (
                c
                for c in el
                if c.tag in _NARROW_TAGS
                and skip_reason(c) is None
                and main.get(c, 0) >= NARROW_SHARE * total
            ),
            None,
        )
        if step is None or total == 0:
            return el
        el = step
