"""Stage: comments, the page's comment section read apart from the article.

Contract: :func:`read_comments` takes the *unpruned* page (the rules remove comment sections
before extraction) and returns its comments as :class:`~cleaner.result.Comment` s, in page
order: each comment's own text (its replies are comments of their own, one level deeper),
its author and date where the markup marks them. It never modifies the tree, and never
touches the article: the article's text is extracted as if comments were not asked for.

A comment is an element that a comment system's own markup makes one; text that merely
sits near a comment section is not. The comment *form* is never a comment: nothing inside a
``<form>`` or a reply box (WordPress's ``#respond``, Blogger's ``.comment-form``) is read,
nor the widgets inside a comment (reply links, Jetpack's likes, moderation notices).

The shapes, tried in this order (the most specific first), the first that finds comments
winning:

- Disqus, as its WordPress plugin writes the comments into the page (``#dsq-comments``,
  ``.dsq-comment-header cite``, ``.dsq-comment-message``) and as its app renders them
  (``#post-list li.post``, ``.post-byline .author``, ``a.time-ago[title]``,
  ``.post-message``). The ``#disqus_thread`` placeholder alone holds none: Disqus loads its
  comments in an iframe, which a crawl without a browser never sees.
- Blogger: threaded comments (``.comment-thread li.comment``, ``cite.user``, ``.datetime``,
  ``.comment-content``; the date also from the permalink's ``showComment`` timestamp) and
  the classic layout (``#comments-block``: ``dt.comment-author``, ``dd.comment-body``,
  ``dd.comment-footer .comment-timestamp``).
- Substack, rendered: ``.comments-page .comment`` items with ``.comment-body``, the author in
  ``.commenter-name``, the date in ``.comment-date`` (markup read from rendered pages, not
  from Substack's source: check new pages against it).
- Discourse's embed, the document its iframe loads from ``/embed/comments`` (a crawl that
  follows frames keeps it as a page of its own): ``article.post`` items (``id="post-N"``)
  with ``.cooked`` text, ``.username`` and ``.post-date``.
- WordPress (``wp_list_comments`` and the block themes' comment template; core themes,
  Jetpack, WordPress.com): ``li.comment`` / ``div.comment`` / ``article.comment`` items with
  ``id="comment-N"`` (or ``li-comment-N``), the author in ``.comment-author .fn`` (or
  ``.wp-block-comment-author-name``), the date in a ``time[datetime]`` or the
  ``.comment-meta`` link, the text in ``.comment-content`` (``.wp-block-comment-content``;
  else the item's own paragraphs, meta left out), the depth in its ``depth-N`` class.
  Pingbacks and trackbacks are not comments.
- schema.org microdata (Genesis and other themes): ``[itemtype$="schema.org/Comment"]``,
  ``itemprop`` ``author``/``name``, ``dateCreated``/``datePublished``, ``text``.

Comment systems that load in an iframe (Disqus, Discourse's embed, Ghost's ``comments-ui``)
are in the page only when it was saved with its frames, as SingleFile saves them: each
frame's document in the iframe's ``srcdoc``. When the page itself holds no comments, those
documents are read with the same shapes (at most :data:`MAX_FRAMES`); the article never
includes them (extraction ignores frames). Without ``srcdoc`` (a crawl's HTML), such a page
gives no comments: a Ghost page never does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from typing import Any

from .result import Comment

__all__ = ["read_comments"]

#: The most ``iframe[srcdoc]`` documents read for comments on one page.
MAX_FRAMES = 8

#: Elements whose text is never a comment's: the reply form and the widgets in a comment.
_SKIP = (
    "form, #respond, .comment-respond, .comment-form, .reply, .comment-reply-link,"
    " .comment-reply, .comment-likes, .comment-like-link, .comment-actions,"
    " .comment-awaiting-moderation, .comment-edit-link, .wp-block-comment-edit-link,"
    " .wp-block-comment-reply-link, .sharedaddy, .says, script, style, noscript, button,"
    " textarea, input, select, .post-menu, .comment-footer, .continue, .loadmore,"
    " .thread-toggle, .in-reply-to, .post-replies"
)
_BLOCKS = frozenset(
    "p div li ul ol blockquote pre h1 h2 h3 h4 h5 h6 table tr section article header footer"
    " dd dt dl figure figcaption".split()
)
_DEPTH_CLASS = re.compile(r"\bdepth-(\d+)\b")
_SHOW_COMMENT = re.compile(r"[?&]showComment=(\d{10,13})")
_SAYS = re.compile(r"\s*(?:says|said|wrote)\s*(?:\.\.\.|…|:)?\s*$", re.I)
_ISO = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
#: Dates as comment systems print them (English): read into ISO 8601 when one matches.
_DATE_FORMATS = (
    "%B %d, %Y at %I:%M %p",
    "%B %d, %Y at %H:%M",
    "%B %d, %Y",
    "%A, %B %d, %Y %I:%M %p",
    "%d %B %Y at %H:%M",
    "%d %B %Y",
    "%b %d, %Y, %I:%M %p",
    "%b %d, %Y",
    "%d %b %Y",
    "%Y-%m-%d %H:%M",
)


@dataclass(frozen=True)
class _Shape:
    """How one comment system marks a comment: CSS selectors (the author and date ones are
    searched in the item, outside its replies)."""

    name: str
    item: str
    text: str | None
    author: str
    date: str
    #: Selectors that make an item not a comment (pingbacks).
    exclude: str | None = None
    #: Whether an item without a ``text`` element is read from its own paragraphs (old
    #: WordPress themes); otherwise it is not a comment (a WordPress ``article.post`` is not a
    #: Discourse post).
    paragraphs: bool = False


_SHAPES = (
    _Shape(
        "disqus",
        "#dsq-comments li.comment, #post-list li.post, ul.post-list li.post",
        ".dsq-comment-message, .post-message",
        ".dsq-comment-header cite, .post-byline .author, .author",
        "a.time-ago, .dsq-comment-header-time, time",
    ),
    _Shape(
        "blogger",
        ".comment-thread li.comment, #comment-holder li.comment",
        ".comment-content",
        "cite.user, .comment-header cite",
        ".datetime a, .comment-timestamp a",
    ),
    _Shape(
        "substack",
        ".comments-page .comment",
        ".comment-body",
        ".commenter-name, .comment-meta a",
        ".comment-date time, .comment-date, .comment-meta time, .comment-meta span",
    ),
    _Shape(
        "discourse",
        "article.post[id^='post-']",
        ".cooked",
        ".username",
        ".post-date",
    ),
    _Shape(
        "wordpress",
        "li.comment[id^='comment-'], li.comment[id^='li-comment-'], div.comment[id^='comment-'],"
        " article.comment[id^='comment-'], li.review[id^='li-comment-']",
        ".comment-content, .wp-block-comment-content",
        ".comment-author .fn, .comment-author cite, .comment-author-name,"
        " .wp-block-comment-author-name, .comment-author",
        ".comment-metadata time, .comment-meta time, .wp-block-comment-date time, time,"
        " .comment-metadata a, .comment-meta a, .commentmetadata a",
        ".pingback, .trackback",
        paragraphs=True,
    ),
    _Shape(
        "microdata",
        "[itemtype$='schema.org/Comment'], [itemtype$='schema.org/comment']",
        "[itemprop='text']",
        "[itemprop='author'] [itemprop='name'], [itemprop='author']",
        "[itemprop='dateCreated'], [itemprop='datePublished'], time",
    ),
)


@cache
def _xpath(css: str) -> Any:
    from cssselect import GenericTranslator
    from lxml.etree import XPath

    return XPath(GenericTranslator().css_to_xpath(css))


@cache
def _self_xpath(css: str) -> Any:
    """Whether the element itself matches ``css``."""
    from cssselect import GenericTranslator
    from lxml.etree import XPath

    return XPath(GenericTranslator().css_to_xpath(css, prefix="self::"))


def read_comments(tree: Any) -> tuple[Comment, ...]:
    """The comments of a page's comment section (see the module docstring).

    >>> import lxml.html
    >>> page = lxml.html.fromstring('''<html><body><article><p>The post.</p></article>
    ... <div id="comments"><ol class="comment-list">
    ... <li id="comment-7" class="comment depth-1"><article class="comment-body">
    ... <footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Ann</b>
    ... <span class="says">says:</span></div><div class="comment-metadata"><a href="#comment-7">
    ... <time datetime="2024-03-02T09:14:22+00:00">March 2, 2024 at 9:14 am</time></a></div>
    ... </footer><div class="comment-content"><p>Lovely peas.</p></div>
    ... <div class="reply"><a class="comment-reply-link" href="#">Reply</a></div></article>
    ... </li></ol><div id="respond"><h3>Leave a Reply</h3><form><p>Name</p></form></div>
    ... </div></body></html>''')
    >>> read_comments(page)
    (Comment(text='Lovely peas.', author='Ann', date='2024-03-02T09:14:22+00:00', depth=0),)
    """
    root = tree.getroottree().getroot() if hasattr(tree, "getroottree") else tree
    found = _read_document(root)
    if found:
        return found
    for frame in root.xpath("//iframe[@srcdoc]")[:MAX_FRAMES]:
        doc = _frame_document(frame.get("srcdoc") or "")
        found = _read_document(doc) if doc is not None else ()
        if found:
            return found
    return ()


def _read_document(root: Any) -> tuple[Comment, ...]:
    for shape in _SHAPES:
        found = _read_shape(root, shape)
        if found:
            return found
    return _read_blogger_classic(root)


def _frame_document(srcdoc: str) -> Any:
    """A saved frame's document (its ``srcdoc``), parsed; None when it holds no markup."""
    if "<" not in srcdoc:
        return None
    import lxml.html
    from lxml.etree import ParserError

    try:
        return lxml.html.document_fromstring(srcdoc)
    except (ParserError, ValueError):
        return None


def _skipped(el: Any) -> bool:
    """Inside a form, a reply box or a widget: never a comment's text."""
    check = _self_xpath(_SKIP)
    node = el
    while node is not None:
        if isinstance(node.tag, str) and check(node):
            return True
        node = node.getparent()
    return False


def _read_shape(root: Any, shape: _Shape) -> tuple[Comment, ...]:
    items = [el for el in _xpath(shape.item)(root) if not _skipped(el)]
    if shape.exclude:
        excluded = _self_xpath(shape.exclude)
        items = [el for el in items if not excluded(el)]
    if not items:
        return ()
    members = set(items)
    out = []
    for item in items:
        text = _item_text(item, shape, members)
        if not text:
            continue
        author_el = _own(item, shape.author, members)
        author = _clean_author(_text_of(author_el)) if author_el is not None else None
        out.append(
            Comment(
                text=text,
                author=author or None,
                date=_date(item, _own_all(item, shape.date, members)),
                depth=_depth(item, members),
            )
        )
    return tuple(out)


def _nearest_item(el: Any, members: set[Any]) -> Any:
    node = el.getparent()
    while node is not None and node not in members:
        node = node.getparent()
    return node


def _own_all(item: Any, css: str, members: set[Any]) -> list[Any]:
    """The item's descendants matching ``css`` (in the selector list's order of preference)
    that belong to it, not to one of its replies."""
    found = []
    for part in css.split(","):
        for el in _xpath(part.strip())(item):
            if el is not item and _nearest_item(el, members) is item and not _skipped_in(el, item):
                found.append(el)
    return found


def _own(item: Any, css: str, members: set[Any]) -> Any:
    found = _own_all(item, css, members)
    return found[0] if found else None


def _skipped_in(el: Any, item: Any) -> bool:
    check = _self_xpath(_SKIP)
    node = el
    while node is not None and node is not item:
        if isinstance(node.tag, str) and check(node):
            return True
        node = node.getparent()
    return False


def _item_text(item: Any, shape: _Shape, members: set[Any]) -> str:
    if shape.text:
        body = _own(item, shape.text, members)
        if body is not None:
            return _lines(body, members)
    if not shape.paragraphs:
        return ""
    # no text element (old WordPress themes): the item's paragraphs, meta left out
    paragraphs = [p for p in item.iter("p") if _nearest_item(p, members) is item]
    meta = _self_xpath(".comment-meta, .comment-author, .commentmetadata, .comment-metadata")
    kept = []
    for p in paragraphs:
        node, inside_meta = p, False
        while node is not None and node is not item:
            if meta(node):
                inside_meta = True
                break
            node = node.getparent()
        if not inside_meta and not _skipped_in(p, item):
            kept.append(_lines(p, members))
    return "\n".join(t for t in kept if t)


def _lines(el: Any, members: set[Any]) -> str:
    """The element's text, one line per block (paragraph, list item, ``<br>``), whitespace
    collapsed; the reply widgets and nested comments left out."""
    parts: list[str] = []
    skip = _self_xpath(_SKIP)

    def walk(node: Any) -> None:
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag and (child in members or skip(child)):
                pass
            elif tag == "br":
                parts.append("\n")
            elif tag:
                block = tag.lower() in _BLOCKS
                if block:
                    parts.append("\n")
                if child.text:
                    parts.append(child.text)
                walk(child)
                if block:
                    parts.append("\n")
            if child.tail:
                parts.append(child.tail)

    if el.text:
        parts.append(el.text)
    walk(el)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _text_of(el: Any) -> str:
    return " ".join("".join(el.itertext()).split())


def _clean_author(text: str) -> str:
    return _SAYS.sub("", text).strip()


def _depth(item: Any, members: set[Any]) -> int:
    m = _DEPTH_CLASS.search(item.get("class") or "")
    if m:
        return max(0, int(m.group(1)) - 1)
    depth, node = 0, _nearest_item(item, members)
    while node is not None:
        depth += 1
        node = _nearest_item(node, members)
    return depth


def _date(item: Any, candidates: list[Any]) -> str | None:
    """The comment's date: a machine-readable one when the markup has it (``datetime``,
    ``content``, an ISO ``title``, Blogger's ``showComment`` timestamp), else the visible
    date, read into ISO 8601 when it is in a common English form, else as shown."""
    shown: list[str] = []
    for el in candidates:
        for attr in ("datetime", "content", "title"):
            value = (el.get(attr) or "").strip()
            if value and _ISO.match(value):
                return value
        for a in [el, *el.iter("a")]:
            m = _SHOW_COMMENT.search(a.get("href") or "")
            if m:
                stamp = int(m.group(1))
                seconds = stamp / 1000 if len(m.group(1)) == 13 else stamp
                when = datetime.fromtimestamp(seconds, timezone.utc)
                return when.strftime("%Y-%m-%dT%H:%M:%SZ")
        visible = _text_of(el)
        for value in (visible, (el.get("title") or "").strip()):
            parsed = _parse_date(value) if value else None
            if parsed:
                return parsed
        if any(ch.isdigit() for ch in visible):  # a date, not "at" or "Reply"
            shown.append(visible)
    return shown[0] if shown else None


def _parse_date(text: str) -> str | None:
    text = " ".join(text.replace(",", ", ").split()).replace(" ,", ",")
    for fmt in _DATE_FORMATS:
        try:
            when = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if "%H" in fmt or "%I" in fmt:
            return when.strftime("%Y-%m-%dT%H:%M")
        return when.strftime("%Y-%m-%d")
    return None


def _read_blogger_classic(root: Any) -> tuple[Comment, ...]:
    """Blogger's classic layout: ``<dl id="comments-block">`` of ``dt.comment-author`` (the
    author, "... said..."), ``dd.comment-body`` and ``dd.comment-footer`` (the date)."""
    out = []
    for dt in _xpath("#comments-block dt.comment-author")(root):
        if _skipped(dt):
            continue
        body = footer = None
        sibling = dt.getnext()
        while sibling is not None and sibling.tag != "dt":
            classes = (sibling.get("class") or "").split()
            if "comment-body" in classes and body is None:
                body = sibling
            elif "comment-footer" in classes and footer is None:
                footer = sibling
            sibling = sibling.getnext()
        text = _lines(body, set()) if body is not None else ""
        if not text:
            continue
        links = [a for a in dt.iter("a") if _text_of(a)]
        author = _clean_author(_text_of(links[0]) if links else _text_of(dt))
        stamps = (
            [] if footer is None else _xpath(".comment-timestamp a, .comment-timestamp")(footer)
        )
        out.append(Comment(text=text, author=author or None, date=_date(dt, stamps)))
    return tuple(out)
