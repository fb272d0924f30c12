"""Stage 4, extract: the one module that talks to trafilatura.

Contract: :func:`extract_blocks` takes a (pruned) lxml tree and returns the article's blocks as
trafilatura finds them (comments never included, no deduplication), or an empty list;
:func:`extract_metadata` reads title, author, date, site name, language and URL from the
*unpruned* tree (pruning an author box must not lose the author). Neither modifies the tree.
"""

from __future__ import annotations

import re
from copy import copy
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .result import Block, BlockKind

__all__ = ["Metadata", "extract_blocks", "extract_metadata", "strip_discarded"]

_BLOCK_TAGS = {
    "p": BlockKind.PARAGRAPH,
    "head": BlockKind.HEADING,
    "item": BlockKind.ITEM,
    "code": BlockKind.CODE,
    "row": BlockKind.ROW,
    "quote": BlockKind.QUOTE,
}
_CONTAINER_TAGS = {"list", "table", "div", "body", "cell", "figure", "note", "section"}
_STRUCTURE = _BLOCK_TAGS.keys() | _CONTAINER_TAGS | {"graphic"}


@dataclass(frozen=True)
class Metadata:
    title: str | None = None
    author: str | None = None
    date: str | None = None
    url: str | None = None
    sitename: str | None = None
    language: str | None = None
    description: str | None = None


def _text_lines(el: Any) -> list[str]:
    """Text of a block element, split at ``<lb/>`` line breaks, whitespace collapsed."""
    lines: list[str] = []
    current: list[str] = []

    def walk(node: Any) -> None:
        if node.tag == "lb":
            lines.append("".join(current))
            current.clear()
        elif node.text:
            current.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            if child.tail:
                current.append(child.tail)

    walk(el)
    lines.append("".join(current))
    return [" ".join(line.split()) for line in lines if line.strip()]


def _row_text(el: Any) -> str:
    cells = [" ".join(" ".join(c.itertext()).split()) for c in el if c.tag == "cell"]
    return " | ".join(c for c in cells if c)


def _has_structure(el: Any) -> bool:
    return any(isinstance(c.tag, str) and c.tag in _STRUCTURE for c in el)


def _blocks(el: Any, kind: BlockKind, out: list[Block]) -> None:
    """Blocks of a container element: its structural children in order, and the loose text
    between them (the container's text, inline children and tails, split at ``<lb/>``) as
    blocks of the container's ``kind``. trafilatura leaves text loose after a heading or a
    figure (``<head>..</head>Text``); that text is article text too."""
    run: list[str] = []

    def flush() -> None:
        text = " ".join("".join(run).split())
        run.clear()
        if text:
            out.append(Block(text, kind))

    if el.text:
        run.append(el.text)
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            pass
        elif tag == "lb":
            flush()
        elif tag not in _STRUCTURE:
            run.append(" ".join(_text_lines(child)))  # inline: hi, ref, del, span ...
        else:
            flush()
            _structure(child, kind, out)
        if child.tail:
            run.append(child.tail)
    flush()


def _structure(el: Any, inherited: BlockKind, out: list[Block]) -> None:
    tag = el.tag
    if tag == "graphic":
        return
    if tag == "row":
        text = _row_text(el)
        if text:
            out.append(Block(text, BlockKind.ROW))
        return
    kind = _BLOCK_TAGS.get(tag, inherited)
    if inherited is BlockKind.QUOTE and kind is BlockKind.PARAGRAPH:
        kind = BlockKind.QUOTE
    if kind is BlockKind.CODE:
        code = "".join(el.itertext()).strip("\n")
        if code.strip():
            out.append(Block(code, kind))
        return
    if tag in _CONTAINER_TAGS or _has_structure(el):
        _blocks(el, kind, out)
        return
    out.extend(Block(t, kind) for t in _text_lines(el))


#: trafilatura falls back to a flat "baseline" blob when its result is shorter than this; its
#: default (250 characters) flattens short blog posts. Lowering it costs nothing on the dev set.
MIN_EXTRACTED_SIZE = 25


@lru_cache(maxsize=1)
def _config() -> Any:
    from trafilatura.settings import use_config

    config = use_config()
    config["DEFAULT"]["MIN_EXTRACTED_SIZE"] = str(MIN_EXTRACTED_SIZE)
    return config


#: Tags of trafilatura's ``MANUALLY_CLEANED`` that its tree cleaning treats specially, or that
#: an earlier step reads: forms (kept when they hold the page's text), figures (tables),
#: MathML (formulas salvaged), ``head`` (its JSON-LD tells forum threads).
_DISCARD_KEPT = frozenset({"form", "figure", "math", "head", "script"})


@lru_cache(maxsize=1)
def _discarded_tags() -> tuple[str, ...]:
    from trafilatura.settings import MANUALLY_CLEANED

    return tuple(t for t in MANUALLY_CLEANED if t not in _DISCARD_KEPT)


def strip_discarded(tree: Any) -> None:
    """Remove the elements that trafilatura's extraction always deletes (``nav``, ``aside``,
    ``footer``, ``svg``, ``iframe``, ``noscript``, ``style``, ``button`` and the rest of its
    ``MANUALLY_CLEANED`` list, and scripts other than JSON-LD), with
    :func:`cleaner.prune.remove`: tails kept, no two words glued. Every XPath pass of
    trafilatura's (about eight an extraction, each over the whole tree, before its own
    cleaning) then walks a smaller tree. The precise extraction, the ladder's first step, finds
    the same article (on every fixture and dev-set page); the later steps also read the raw
    tree (trafilatura's baseline, readability), where a menu's text can change their pick.
    Modifies the tree."""
    from .prune import remove

    doomed = list(tree.iter(*_discarded_tags()))
    doomed += [
        el for el in tree.iter("script") if el.get("type", "").lower() != "application/ld+json"
    ]
    for el in doomed:
        if el.tag not in ("html", "body"):
            remove(el)


@lru_cache(maxsize=4)
def _options(precision: bool, fast: bool) -> Any:
    """trafilatura's options for one kind of extraction, made once (making them reads the
    configuration anew each time); each call takes a shallow copy with its URL."""
    from trafilatura.settings import Extractor

    return Extractor(
        config=_config(),
        # not "python": that renders the body as text too, which we never read
        output_format="xml",
        fast=fast,
        precision=precision,
        comments=False,
        formatting=False,
        tables=True,
        dedup=False,
        with_metadata=False,
    )


def extract_blocks(
    tree: Any, *, url: str | None = None, precision: bool = False, fast: bool = False
) -> list[Block]:
    """Main-content blocks of a tree, in order. Empty when trafilatura finds nothing.

    ``precision`` is trafilatura's ``favor_precision``; ``fast`` skips its comparison with the
    readability and jusText fallbacks (about a third of its time)."""
    from trafilatura import bare_extraction

    options = copy(_options(precision, fast))
    options.url = url
    options.source = url and url.encode("utf-8", "replace").decode("utf-8")
    doc = bare_extraction(tree, options=options)
    body = getattr(doc, "body", None)
    if body is None:
        return []
    out: list[Block] = []
    _blocks(body, BlockKind.PARAGRAPH, out)
    return out


def extract_metadata(tree: Any, *, url: str | None = None) -> Metadata:
    """Metadata of the unpruned tree (trafilatura's metadata extraction)."""
    try:
        doc = _metadata_document(tree, url)
    except Exception:  # noqa: BLE001 - metadata is best effort; the article still comes out
        return Metadata(url=url)
    return Metadata(
        title=doc.title or None,
        author=doc.author or None,
        date=doc.date or None,
        url=doc.url or url,
        sitename=doc.sitename or None,
        language=_language(tree, doc),
        description=doc.description or None,
    )


def _metadata_document(tree: Any, url: str | None) -> Any:
    """trafilatura's ``extract_metadata`` without the fields we never report (categories, tags,
        licence), which cost about half of its time, and with htmldate's extensive date search run
    only when its quick one finds nothing; the same steps in the same order otherwise (identical
    metadata on the 181 dev pages).
        Falls back to the whole function if trafilatura's helpers move."""
    try:
        from htmldate import find_date
        from trafilatura.metadata import (
            META_URL,
            examine_meta,
            extract_meta_json,
            extract_sitename,
            extract_title,
            extract_url,
        )
        from trafilatura.settings import set_date_params
    except ImportError:  # pragma: no cover - a trafilatura that reorganised its internals
        from trafilatura.metadata import extract_metadata as _full

        return _full(tree, default_url=url)

    doc = examine_meta(tree)
    if doc.author and " " not in doc.author:
        doc.author = None
    try:
        doc = extract_meta_json(tree, doc)
    except Exception:  # noqa: BLE001, S110 - trafilatura's JSON-LD reader has bugs; skip it
        pass
    if not doc.title:
        doc.title = extract_title(tree)
    entry = _entry_title(tree)
    if entry and (not doc.title or _is_blog_title_of(doc.title, entry, tree)):
        doc.title = entry
    if not doc.author:
        doc.author = _extract_author(tree)
    if not doc.url:
        doc.url = extract_url(tree, url)
    # htmldate's quick search (markup, URL) finds the date on most pages; the extensive one
    # (dates in the text) costs several times more and only runs when the quick one found none
    for extensive in (False, True):
        date_config = set_date_params(extensive)
        date_config["url"] = doc.url
        doc.date = find_date(tree, **date_config)
        if doc.date:
            break
    if not doc.sitename:
        doc.sitename = extract_sitename(tree)
    if doc.sitename:
        doc.sitename = doc.sitename.lstrip("@")
        if doc.sitename and "." not in doc.sitename and not doc.sitename[0].isupper():
            doc.sitename = doc.sitename.title()
    elif doc.url:
        match = META_URL.match(doc.url)
        if match:
            doc.sitename = match[1]
    doc.clean_and_trim()
    return doc


# trafilatura's author search (``extract_author``: ``AUTHOR_DISCARD_XPATHS`` pruned from a copy
# of the page, then the first ``AUTHOR_XPATHS`` hit whose text is 3 to 119 characters) as one
# pass in Python. Its XPaths run some 50 attribute tests on every element, four times over a
# copy of the page: half the time of all the metadata. The tests below are the same ones
# (trafilatura 2.3; ``tests/test_extract.py`` checks both find the same author).
_A1_TAGS = frozenset({"a", "address", "div", "link", "p", "span", "strong"})
_A1_CLASS = re.compile("author-?name|AuthorName|authorName")
_A2_TAGS = frozenset({"a", "div", "h3", "h4", "p", "span"})
_A2_CLASSES = frozenset({"byline", "username", "byl", "BBL"})
_A2_ID = re.compile("author|zuozhe|bianji|xiaobian")
_A2_CLASS = re.compile(
    "author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name"
)
_A3_ID = re.compile("[Aa]uthor")
_A3_CLASS = re.compile("[Aa]uthor|screenname|writer|[Bb]yline")
_D_TAGS = frozenset({"a", "div", "section", "span"})
_D_ID = re.compile("^comments|comment-?list|ProductReviews")
_D_CLASS = re.compile(
    "^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram|"
    "article-(?:share|support)|print|category|meta-date|meta-reviewer"
)


def _author_candidates(tree: Any) -> tuple[list[list[Any]], set[Any]]:
    """Elements of each of trafilatura's three author queries, in document order, and the
    elements its author search discards first."""
    found: list[list[Any]] = [[], [], []]
    discard: set[Any] = set()
    for el in tree.iter():
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if tag in ("time", "figure"):
            discard.add(el)
        elif tag == "author":
            found[0].append(el)
            continue
        elif tag == "rel" and el.text == "me" and len(el) == 0:  # `rel='me'`: a child element
            parent = el.getparent()
            if parent is not None and parent.tag in _A1_TAGS and parent not in found[0]:
                found[0].append(parent)
        attrs = el.attrib
        if not attrs:
            continue
        cls, ident = attrs.get("class"), attrs.get("id")
        itemprop, component = attrs.get("itemprop"), attrs.get("data-component")
        if tag in _D_TAGS and el.getparent() is not None:
            if (
                ident == "comments"
                or cls in ("comments", "title", "date")
                or (ident is not None and _D_ID.search(ident))
                or (cls is not None and _D_CLASS.search(cls))
                or (component is not None and "Figure" in component)
            ):
                discard.add(el)
        if tag in _A1_TAGS and (
            attrs.get("rel") == "author"
            or ident == "author"
            or cls == "author"
            or itemprop == "author name"
            or attrs.get("data-testid") in ("AuthorCard", "AuthorURL")
            or (cls is not None and _A1_CLASS.search(cls))
        ):
            if el not in found[0]:
                found[0].append(el)
        if tag in _A2_TAGS and (
            cls in _A2_CLASSES
            or (itemprop is not None and "author" in itemprop)
            or (ident is not None and _A2_ID.search(ident))
            or (cls is not None and _A2_CLASS.search(cls))
        ):
            found[1].append(el)
        if (
            (component is not None and "Byline" in component)
            or (itemprop is not None and "author" in itemprop)
            or (ident is not None and _A3_ID.search(ident))
            or (cls is not None and _A3_CLASS.search(cls))
        ):
            found[2].append(el)
    return found, discard


def _text_without(el: Any, discard: set[Any]) -> str:
    """``" ".join(el.itertext())`` once the discarded elements are deleted (their tails
    kept, as trafilatura deletes them)."""
    inner = [d for d in el.iterdescendants() if d in discard]
    if not inner:
        return " ".join(el.itertext())
    from copy import deepcopy

    from trafilatura.xml import delete_element

    index = {d: i for i, d in enumerate(el.iterdescendants())}
    doomed = {index[d] for d in inner}
    clone = deepcopy(el)
    clone.tail = None
    for i, d in enumerate(list(clone.iterdescendants())):
        if i in doomed:
            delete_element(d)
    return " ".join(clone.itertext())


def _extract_author(tree: Any) -> str | None:
    """The author named in the page's markup: what trafilatura's ``extract_author`` finds."""
    from trafilatura.json_metadata import normalize_authors
    from trafilatura.utils import trim

    found, discard = _author_candidates(tree)
    for candidates in found:
        for el in candidates:
            if el in discard or any(a in discard for a in el.iterancestors()):
                continue
            content = trim(_text_without(el, discard))
            if content and 2 < len(content) < 120:
                return normalize_authors(None, content)
    return None


#: hAtom's post title classes (Blogger, WordPress themes, many others): ``h1``-``h3`` only.
_ENTRY_TITLE_XPATH = (
    "//*[self::h1 or self::h2 or self::h3][contains(concat(' ', normalize-space(@class), ' '),"
    " ' entry-title ') or contains(concat(' ', normalize-space(@class), ' '), ' post-title ')]"
)


def _entry_title(tree: Any) -> str | None:
    """The post's own title when the page marks exactly one (hAtom ``entry-title`` or
    ``post-title`` on a heading); None on archive pages, which mark several."""
    found = tree.xpath(_ENTRY_TITLE_XPATH)
    if len(found) != 1:
        return None
    text = " ".join(" ".join(found[0].itertext()).split())
    return text if 0 < len(text) <= 300 else None


def _is_blog_title_of(title: str, entry: str, tree: Any) -> bool:
    """Whether ``title`` names the blog rather than the post: the page's ``<title>`` is the
    blog's name and the post's title together ("Blog: Post", Blogger's classic templates)
    and ``title`` is not the post's."""
    from .revise import normalise

    if normalise(entry) in normalise(title):
        return False
    head = tree.find(".//title")
    page_title = normalise(head.text_content()) if head is not None else ""
    return normalise(entry) in page_title and normalise(title) in page_title


def _language(tree: Any, doc: Any) -> str | None:
    lang = getattr(doc, "language", None)
    if not lang:
        for value in tree.xpath("/html/@lang | /html/@xml:lang"):
            lang = str(value)
            break
    if not lang:
        return None
    return lang.strip().split("-")[0].split("_")[0].lower() or None


def reset_caches() -> None:
    """Free trafilatura's caches (call every few thousand pages in long runs)."""
    from trafilatura.meta import reset_caches as _reset

    _reset()
