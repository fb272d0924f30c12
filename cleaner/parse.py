"""Stage 2, parse: HTML text to one lxml tree, parsed once.

Contract: :func:`parse_html` returns the root ``<html>`` element of an ``lxml.html`` tree,
without comments or processing instructions, or raises :class:`~cleaner.errors.InputError`.
Comments go at parse time because trafilatura parses that way itself, and its extraction
misreads a tree that still holds them: it drops the text after a ``<!-- -->`` inside a
paragraph, as React server rendering emits between text nodes. A page nested deeper than
libxml2's limit (unclosed ``<font>`` tags, say) is parsed again without the limit.

lxml is the hot path; when it gives up (a document it calls empty, or markup it cannot
recover), BeautifulSoup's tolerant ``html.parser`` parses it and the soup is converted straight
to lxml elements, without re-serialising (:func:`cleaner.inputs.soup_to_lxml`).
"""

from __future__ import annotations

import re
import threading
from typing import Any
from urllib.parse import urlsplit

from .errors import InputError

__all__ = ["parse_html", "page_url", "host_of"]

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
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


def parse_html(text: str) -> Any:
    """Parse HTML text with lxml, falling back to BeautifulSoup's tolerant parser."""
    import lxml.html
    from lxml import etree

    text = _XML_DECL.sub("", text, count=1)
    try:
        parser = _parser()
        root = lxml.html.document_fromstring(text, parser=parser)
        if _too_deep(parser):  # rare: only then pay for the parser without limits
            root = lxml.html.document_fromstring(text, parser=_parser(deep=True))
    except (etree.ParserError, ValueError):
        root = None
    if root is None or len(root) == 0:
        from bs4 import BeautifulSoup

        from .inputs import soup_to_lxml

        root = soup_to_lxml(BeautifulSoup(text, "html.parser"))
        if not len(root) and not (root.text or "").strip():
            raise InputError("could not parse the input as HTML")
        etree.strip_elements(root, etree.Comment, etree.PI, with_tail=False)
    return root


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
