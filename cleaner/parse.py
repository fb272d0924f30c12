"""Stage 2, parse: HTML text to one lxml tree, parsed once.

Contract: :func:`parse_html` returns the root ``<html>`` element of an ``lxml.html`` tree,
without comments or processing instructions, or raises :class:`~cleaner.errors.InputError`.
Comments go at parse time because trafilatura parses that way itself, and its extraction
misreads a tree that still holds them: it drops the text after a ``<!-- -->`` inside a
paragraph, as React server rendering emits between text nodes. A page nested deeper than
libxml2's limit (unclosed ``<font>`` tags, say) is parsed again with its higher limit
(2048 levels), and deeper still with BeautifulSoup.

Hostile markup is bounded before and after parsing (:func:`bound_tree`): a tag over
:data:`MAX_TAG_CHARS` characters keeps only its first attributes (libxml2 takes quadratic time
on an element with 100,000 attributes); a tree deeper than :data:`MAX_DEPTH` levels is
flattened below that depth (the text and its paragraphs, headings and list items stay; the
wrappers go), so no recursive walk here, in trafilatura or in jusText meets it; and a tree of
more than ``max_elements`` elements raises :class:`~cleaner.errors.InputTooLarge`. A DOCTYPE's
entities are never expanded (the HTML parser does not read internal subsets), so entity
bombs and external entities are inert.

lxml is the hot path; when it gives up (a document it calls empty, or markup it cannot
recover), BeautifulSoup's tolerant ``html.parser`` parses it and the soup is converted straight
to lxml elements, without re-serialising (:func:`cleaner.inputs.soup_to_lxml`).
"""

from __future__ import annotations

import re
import threading
from typing import Any
from urllib.parse import urlsplit

from .errors import InputError, InputTooLarge

__all__ = ["MAX_DEPTH", "MAX_TAG_CHARS", "bound_tree", "parse_html", "page_url", "host_of"]

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
#: Deeper elements are flattened into their ancestor at this depth (see :func:`bound_tree`).
MAX_DEPTH = 512
#: A start tag longer than this keeps only its first attributes.
MAX_TAG_CHARS = 65536
_OVERLONG_TAG = re.compile(rf"<([a-zA-Z][\w:-]*)(\s[^<>]{{{MAX_TAG_CHARS - 2}}}[^<>]*)>")
_ATTR = re.compile(r"""\s*[^\s=/>"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']*))?""")
#: What flattening keeps of a deep subtree: the elements extraction reads as blocks.
_BLOCKS = frozenset(
    "p h1 h2 h3 h4 h5 h6 li pre blockquote table tr td th dt dd br img figure".split()
)
_local = threading.local()


def _parser(deep: bool = False) -> Any:
    """This thread's lxml parser (parsers are not shared between threads). ``deep`` lifts
    libxml2's nesting limit of 256 levels."""
    name = "deep_parser" if deep else "parser"
    parser = getattr(_local, name, None)
    if parser is None:
        from lxml import etree
        from lxml.html import (
            HtmlComment,
            HtmlElement,
            HtmlEntity,
            HTMLParser,
            HtmlProcessingInstruction,
        )

        parser = HTMLParser(
            collect_ids=False,
            default_doctype=False,
            remove_comments=True,
            remove_pis=True,
            huge_tree=deep,
        )
        # lxml.html picks each element's class in Python (form and input elements get their
        # own), called for every element object created: a tenth of trafilatura's time. Every
        # element as an HtmlElement, chosen in C, is all that trafilatura and we use.
        parser.set_element_class_lookup(
            etree.ElementDefaultClassLookup(
                element=HtmlElement,
                comment=HtmlComment,
                pi=HtmlProcessingInstruction,
                entity=HtmlEntity,
            )
        )
        setattr(_local, name, parser)
    return parser


def _too_deep(parser: Any) -> bool:
    """Whether the last parse stopped descending at libxml2's depth limit. Its parser then
    drops everything nested deeper, silently: old pages that never close ``<font>`` or
    ``<div>`` lose the second half of the article."""
    return any("Excessive depth" in entry.message for entry in parser.error_log)


def _may_hold_overlong_tag(text: str) -> bool:
    """Whether ``text`` has room for a tag over :data:`MAX_TAG_CHARS`: such a tag holds a run
    of that many characters without ``<`` or ``>``, which covers one of the text's aligned
    windows of half that length. A few ``find`` calls, instead of a regex scan of every page."""
    step = MAX_TAG_CHARS // 2
    for start in range(0, len(text) - step + 1, step):
        end = start + step
        if text.find("<", start, end) < 0 and text.find(">", start, end) < 0:
            return True
    return False


def _cut_tag(m: re.Match[str]) -> str:
    """An overlong start tag with the whole attributes that fit in :data:`MAX_TAG_CHARS`."""
    attrs, pos, kept = m.group(2), 0, []
    while True:
        a = _ATTR.match(attrs, pos)
        if not a or not a.group().strip() or a.end() > MAX_TAG_CHARS:
            break
        kept.append(a.group())
        pos = a.end()
    return f"<{m.group(1)}{''.join(kept)}>"


def parse_html(text: str, *, max_elements: int | None = None) -> Any:
    """Parse HTML text with lxml, falling back to BeautifulSoup's tolerant parser; the tree
    is bounded by :func:`bound_tree`."""
    import lxml.html
    from lxml import etree

    text = _XML_DECL.sub("", text, count=1)
    if _may_hold_overlong_tag(text):
        text = _OVERLONG_TAG.sub(_cut_tag, text)
    try:
        parser = _parser()
        root = lxml.html.document_fromstring(text, parser=parser)
        if _too_deep(parser):  # rare: only then pay for the parser with the higher limit
            parser = _parser(deep=True)
            root = lxml.html.document_fromstring(text, parser=parser)
            if _too_deep(parser):  # deeper than 2048 levels: BeautifulSoup has no limit
                root = None
    except (etree.ParserError, ValueError):
        root = None
    if root is None or len(root) == 0:
        from bs4 import BeautifulSoup

        from .inputs import soup_to_lxml

        root = soup_to_lxml(BeautifulSoup(text, "html.parser"))
        if not len(root) and not (root.text or "").strip():
            raise InputError("could not parse the input as HTML")
        etree.strip_elements(root, etree.Comment, etree.PI, with_tail=False)
    return bound_tree(root, max_elements=max_elements)


def bound_tree(root: Any, *, max_elements: int | None = None) -> Any:
    """``root`` flattened below :data:`MAX_DEPTH` (under each element at that depth, wrappers
    are unwrapped, their text and children moving up, and only block elements stay; if those
    still nest too deep, they are unwrapped too), then refused if it holds more than
    ``max_elements`` elements. Modifies and returns ``root`` (a tree the pipeline owns)."""
    from lxml import etree

    if root.xpath(_DEEPER_THAN):
        for el in _at_depth(root, MAX_DEPTH):
            # iterwalk, not iter(): lxml's iter() takes quadratic time down a deep chain
            tags = {d.tag for _, d in etree.iterwalk(el, events=("start",))} - _BLOCKS
            etree.strip_tags(el, *tags)
            if _depth_below(el) > 64:
                etree.strip_tags(el, "*")
    if max_elements is not None:
        count = int(root.xpath("count(//*)"))
        if count > max_elements:
            raise InputTooLarge(count, max_elements, "elements")
    return root


#: Whether any element lies deeper than MAX_DEPTH (an XPath test in C; no Python walk).
_DEEPER_THAN = "boolean(" + "/*" * (MAX_DEPTH + 2) + ")"


def _at_depth(root: Any, depth: int) -> list[Any]:
    """Elements at ``depth`` (the root at 0) that have children."""
    return [el for el in root.xpath("/*" * (depth + 1)) if len(el)]


def _depth_below(el: Any) -> int:
    from lxml import etree

    depth = deepest = 0
    for event, _ in etree.iterwalk(el, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest - 1


def page_url(root: Any) -> str | None:
    """The page's own URL from ``<link rel=canonical>`` or ``og:url``, if absolute."""
    for xp in (
        '//link[@rel="canonical"]/@href',
        '//meta[@property="og:url"]/@content',
    ):
        for value in root.xpath(xp):
            value = str(value).strip()
            if value.startswith(("http://", "https://")):
                return value
    return None


def host_of(url: str | None) -> str | None:
    """The lower-cased host of a URL, or None.

    >>> host_of("https://Blog.Example.com:8080/post?id=1")
    'blog.example.com'
    """
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    return host.lower() if host else None
