"""Stage 0, inputs: whatever the caller hands over, turned into what the pipeline cleans.

Contract: :func:`to_page` takes one of the kinds below and returns a :class:`Page`: either an
``lxml.html`` tree that the pipeline owns (and may prune), or flattened text; plus the page's
URL. It never modifies the caller's object, and raises :class:`~cleaner.errors.InputError` for
anything else.

- ``str`` / ``bytes`` (also ``bytearray``, ``memoryview``): decoded (stage 1); HTML is parsed
  once (stage 2), anything else is flattened text.
- A BeautifulSoup document or any ``bs4.Tag``: converted node by node into a new
  ``lxml.html`` tree, without serialising and re-parsing. A tag that is not ``<html>`` is
  wrapped in ``<html><body>``.
- An lxml element or ``ElementTree``, from ``lxml.html`` or ``lxml.etree`` (XHTML namespaces
  are dropped): deep-copied in C, never re-parsed; an element other than ``<html>`` is
  wrapped in ``<html><body>``.
- A response: anything with ``.body`` (Scrapy) or ``.content`` (requests, httpx) holding the
  page's bytes, and a ``.url``. The charset of its ``Content-Type`` header is the declared
  encoding (an object without headers: its ``.encoding``); its URL is the page's URL unless the
  caller gives one.

bs4 and lxml are imported only when such an object arrives (they are in ``sys.modules`` then).

Limits: ``max_bytes`` bounds ``str``/``bytes`` input and response bodies (before and after
gzip; :class:`~cleaner.errors.InputTooLarge`), ``max_elements`` every tree, parsed or given;
every tree is flattened below :data:`cleaner.parse.MAX_DEPTH`. An RSS or Atom feed, or a
sitemap, is refused with an :class:`~cleaner.errors.InputError` that names it: it is a list of
pages, not a page (clean the pages its items link to); so is a CSS style sheet or a script,
told by its syntax (:func:`~cleaner.decode.script_kind`), however short.

>>> page = to_page(b"<html><body><p>caf\\xc3\\xa9</p></body></html>", url=None)
>>> page.tree.findtext(".//p"), page.text
('café', None)
>>> to_page(3.14, url=None)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
cleaner.errors.InputError: cannot clean a float: give HTML or text (str or bytes), ...
"""

from __future__ import annotations

import copy
import re
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, Union

from .decode import charset_of, decode, is_html, not_a_page, script_kind
from .errors import InputError

if TYPE_CHECKING:
    from bs4 import Tag
    from lxml.etree import _Element, _ElementTree

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_ELEMENTS",
    "Page",
    "ResponseLike",
    "ContentResponseLike",
    "Source",
    "soup_to_lxml",
    "to_page",
]


class ResponseLike(Protocol):
    """A Scrapy-style response: the page's bytes in ``.body``, its address in ``.url``."""

    @property
    def body(self) -> bytes: ...

    @property
    def url(self) -> Any: ...


class ContentResponseLike(Protocol):
    """A requests/httpx-style response: the page's bytes in ``.content``, address in ``.url``."""

    @property
    def content(self) -> bytes: ...

    @property
    def url(self) -> Any: ...


#: Everything :func:`cleaner.clean` accepts.
Source = Union[
    str,
    bytes,
    bytearray,
    memoryview,
    "Tag",
    "_Element",
    "_ElementTree",
    ResponseLike,
    ContentResponseLike,
]

#: Default size limits of :class:`cleaner.Cleaner`: trafilatura's own download limit, and a
#: tree size no real page reaches (the largest of the 181 dev pages has 1,709 elements; cleaning
#: costs about 0.4 ms per element, so the limit bounds a page at about 40 s).
DEFAULT_MAX_BYTES = 20_000_000
DEFAULT_MAX_ELEMENTS = 100_000

_UNSUPPORTED = (
    "cannot clean a {}: give HTML or text (str or bytes), a BeautifulSoup document or tag, "
    "an lxml element or tree, or a response with .body/.content and .url"
)
#: Characters an lxml tree cannot hold (XML 1.0 forbids them); the HTML parser drops them too.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Top-level tags of a soup fragment that belong in ``<head>`` (as lxml's parser puts them).
_HEAD_TAGS = frozenset({"title", "meta", "link", "base"})


@dataclass(frozen=True)
class Page:
    """What the pipeline cleans: a tree it owns (HTML) or text, and the page's URL."""

    tree: Any = None
    text: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class _Limits:
    max_bytes: int | None = None
    max_elements: int | None = None


def to_page(
    source: Source,
    *,
    url: str | None,
    max_bytes: int | None = None,
    max_elements: int | None = None,
) -> Page:
    """Turn one input into a :class:`Page` (see the module docstring for the kinds)."""
    limits = _Limits(max_bytes, max_elements)
    if isinstance(source, (str, bytes, bytearray, memoryview)):
        return _from_markup(source if isinstance(source, str) else bytes(source), url, limits)
    bs4 = sys.modules.get("bs4")
    if bs4 is not None and isinstance(source, bs4.element.Tag):
        return Page(tree=_bounded(soup_to_lxml(source), limits), url=url)
    etree = sys.modules.get("lxml.etree")
    if etree is not None and isinstance(source, (etree._Element, etree._ElementTree)):
        return Page(tree=_bounded(_own_lxml(source), limits), url=url)
    return _from_response(source, url, limits)


def to_text_page(
    source: str | bytes, *, url: str | None, max_bytes: int | None = None
) -> Page:
    """Flattened text, whatever markup it quotes: decoded, scrubbed and bounded like any
    input, never sniffed as HTML (a WET record that quotes ``<p>`` is still text)."""
    text = decode(source, max_bytes=max_bytes).text
    return Page(text=text, url=url)


def _bounded(root: Any, limits: _Limits) -> Any:
    from .parse import bound_tree

    return bound_tree(root, max_elements=limits.max_elements)


def _from_markup(
    source: str | bytes, url: str | None, limits: _Limits, declared: str | None = None
) -> Page:
    text = decode(source, declared=declared, max_bytes=limits.max_bytes).text
    what = not_a_page(text)
    if what:
        raise InputError(f"input is {what}, not a web page: clean the pages it links to instead")
    what = script_kind(text)
    if what:
        raise InputError(f"input is {what}, not a web page")
    if is_html(text):
        from .parse import parse_html

        return Page(tree=parse_html(text, max_elements=limits.max_elements), url=url)
    return Page(text=text, url=url)


# -- responses --------------------------------------------------------------------------


def _from_response(source: Any, url: str | None, limits: _Limits) -> Page:
    body = None
    for attr in ("body", "content"):
        value = getattr(source, attr, None)
        if isinstance(value, (bytes, bytearray, memoryview, str)):
            body = value
            break
    address = getattr(source, "url", None)
    if body is None or address is None:
        raise InputError(_UNSUPPORTED.format(type(source).__name__))
    if not url:
        url = str(address) or None
    if isinstance(body, str):
        return _from_markup(body, url, limits)
    return _from_markup(bytes(body), url, limits, declared=_declared_charset(source))


def _declared_charset(response: Any) -> str | None:
    """The charset a response declares: its Content-Type header's; without headers, its
    ``.encoding``. (requests sets ``.encoding`` to ISO-8859-1 for any text/* response that
    declares nothing: a guess, not a declaration, so headers come first.)"""
    headers = getattr(response, "headers", None)
    if headers is None:
        encoding = getattr(response, "encoding", None)
        return encoding if isinstance(encoding, str) and encoding else None
    try:
        value = headers.get("Content-Type")
    except Exception:  # noqa: BLE001 - an odd headers object is no reason to refuse the page
        return None
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str):
        return None
    return charset_of(value)


# -- lxml -------------------------------------------------------------------------------


def _localname(tag: str) -> str:
    return tag.rpartition("}")[2] if tag.startswith("{") else tag


def _own_lxml(source: Any) -> Any:
    """A copy of the caller's element (or tree), as an ``lxml.html`` document rooted at
    ``<html>``. Copies in C (``deepcopy``); the caller's tree is never touched."""
    import lxml.html
    from lxml import etree

    el = source.getroot() if isinstance(source, etree._ElementTree) else source
    if el is None or not isinstance(el.tag, str):
        raise InputError("cannot clean an lxml tree without an element at its root")
    work = copy.deepcopy(el)
    work.tail = None
    if work.tag.startswith("{") or work.nsmap:
        _drop_namespaces(work)
    if work.tag == "html" and isinstance(work, lxml.html.HtmlElement):
        return work
    root = lxml.html.Element("html")
    if work.tag == "html":
        root.attrib.update(work.attrib)
        root.text = work.text
        _move_children(work, root)
    elif work.tag == "body":
        root.append(work)
    else:
        etree.SubElement(root, "body").append(work)
    # Elements of an lxml.etree tree moved into an lxml.html document: once no Python object
    # refers to them, lxml gives them html element classes on next access (trafilatura wants
    # those). Only `work` still does, so drop it.
    del work
    return root


def _drop_namespaces(el: Any) -> None:
    from lxml import etree

    for node in el.iter(etree.Element):
        node.tag = _localname(node.tag)
    etree.cleanup_namespaces(el)


def _move_children(src: Any, dest: Any) -> None:
    for child in list(src):
        dest.append(child)


# -- BeautifulSoup ----------------------------------------------------------------------


def soup_to_lxml(soup: Any) -> Any:
    """A new ``lxml.html`` document rooted at ``<html>`` with the soup's content.

    Written here rather than taken from ``lxml.html.soupparser.convert_tree``, which moves
    top-level tags of a soup into its ``<html>`` tag (corrupting the caller's soup), unescapes
    text that BeautifulSoup already unescaped (``&amp;lt;`` becomes ``<``), and recurses once
    per level of nesting (a deep page raises RecursionError). This walk is iterative."""
    import lxml.html
    from bs4 import BeautifulSoup
    from bs4.element import Tag
    from lxml import etree

    root = lxml.html.Element("html")
    if not isinstance(soup, BeautifulSoup):
        if soup.name == "html":
            _copy_attrs(root, soup)
            _convert_children(soup, root)
        elif soup.name == "body":
            _convert_children(soup, _copy_attrs(etree.SubElement(root, "body"), soup))
        else:
            _convert_into(soup, etree.SubElement(root, "body"))
        return root

    html: Any = next((n for n in soup.contents if isinstance(n, Tag) and n.name == "html"), None)
    if html is not None:
        _copy_attrs(root, html)
        _convert_children(html, root)
    # Anything outside <html> (a soup of a fragment, or stray tags): where lxml's parser puts
    # it, leading head-like tags into <head>, the rest into <body>.
    strays: list[Any] = [n for n in soup.contents if n is not html and _is_content(n)]
    for node in strays:
        name = getattr(node, "name", None)
        body = root.find("body")
        if name in ("head", "body"):
            into = root.find(name)
            if into is None:
                into = etree.SubElement(root, name)
                if name == "head":
                    root.insert(0, into)
            _copy_attrs(into, node)
            _convert_children(node, into)
        elif name in _HEAD_TAGS and (body is None or (not len(body) and not body.text)):
            head = root.find("head")
            if head is None:
                head = etree.SubElement(root, "head")
                root.insert(0, head)
            _convert_into(node, head)
        else:
            _convert_into(node, body if body is not None else etree.SubElement(root, "body"))
    return root


def _is_content(node: Any) -> bool:
    from bs4.element import NavigableString, PreformattedString

    if getattr(node, "name", None):
        return True
    if isinstance(node, PreformattedString):  # comment, doctype, declaration, PI, CDATA
        return False
    return isinstance(node, NavigableString) and bool(node.strip())


def _copy_attrs(el: Any, tag: Any) -> Any:
    for name, value in tag.attrs.items():
        if isinstance(value, (list, tuple)):
            value = " ".join(value)
        try:
            el.set(name, _NOT_XML.sub("", str(value)))
        except (ValueError, TypeError):  # a name lxml cannot hold, e.g. '"' or '<'
            continue
    return el


def _append_text(parent: Any, text: str) -> None:
    text = _NOT_XML.sub("", text)
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _convert_into(node: Any, parent: Any) -> None:
    """Convert one soup node (and its subtree) and append it to ``parent``."""
    wrapper = _Wrapper(node)
    _convert_children(wrapper, parent)


class _Wrapper:
    """A stand-in parent with one child, so one node converts like a list of children."""

    def __init__(self, node: Any) -> None:
        self.contents = [node]


def _convert_children(tag: Any, parent: Any) -> None:
    """Append lxml versions of ``tag``'s children to ``parent``; iterative, any depth."""
    from bs4.element import CData, Comment, NavigableString, PreformattedString, Tag
    from lxml import etree
    from lxml.html import HtmlComment

    stack = [(iter(tag.contents), parent)]
    while stack:
        children, into = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
        elif isinstance(child, Tag):
            try:
                el = etree.SubElement(into, child.name)
            except ValueError:  # a tag name lxml cannot hold: keep its content in place
                stack.append((iter(child.contents), into))
                continue
            _copy_attrs(el, child)
            stack.append((iter(child.contents), el))
        elif isinstance(child, Comment):
            try:
                into.append(HtmlComment(_NOT_XML.sub("", str(child))))
            except ValueError:  # "--" inside, or a trailing "-": lxml refuses; it is a comment
                pass
        elif isinstance(child, CData) or not isinstance(child, PreformattedString):
            if isinstance(child, NavigableString):
                _append_text(into, str(child))
