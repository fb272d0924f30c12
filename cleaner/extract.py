"""Stage 4, extract: the one module that talks to trafilatura.

Contract: :func:`extract_blocks` takes a (pruned) lxml tree and returns the article's blocks as
trafilatura finds them (comments never included, no deduplication), or an empty list;
:func:`extract_metadata` reads title, author, date, site name, language and URL from the
*unpruned* tree (pruning an author box must not lose the author). Neither modifies the tree.
"""

from __future__ import annotations

import re
from copy import copy
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from .result import Block, BlockKind

__all__ = [
    "Markup",
    "Metadata",
    "body_blocks",
    "extract_blocks",
    "extract_metadata",
    "strip_discarded",
]

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
#: trafilatura's elements that can hold one of the page's ``<pre>`` among their text (list
#: items, quotes), where it reads like inline ``<code>``.
_CAN_HOLD_PRE = frozenset({"item", "quote"})


@dataclass(frozen=True)
class Markup:
    """What trafilatura keeps of the article beyond its text, for Markdown.

    ``formatting``: emphasis (bold, italic, ``<kbd>`` ...), trafilatura's
    ``include_formatting``. ``links`` and ``images``: its ``include_links`` and
    ``include_images``. Heading levels, lists, tables, code blocks and inline code come with
    every extraction. Any of them costs a second extraction (:func:`extract_blocks`), so they
    are off unless asked for, as in trafilatura."""

    formatting: bool = False
    links: bool = False
    images: bool = False


@dataclass(frozen=True)
class Metadata:
    title: str | None = None
    author: str | None = None
    date: str | None = None
    url: str | None = None
    sitename: str | None = None
    language: str | None = None
    description: str | None = None


_LANGUAGE_CLASS = re.compile(
    r"^(?:language|lang|highlight-source|highlight)-([a-z0-9][\w+#.-]*)$", re.IGNORECASE
)
_BRUSH = re.compile(r"\bbrush:\s*([\w+#.-]+)", re.IGNORECASE)
#: Class words that name no language.
_NO_LANGUAGE = frozenset({"none", "default", "nohighlight"})


def _language_of(el: Any) -> str | None:
    """The code language one element names: ``class="language-python"`` (Prism,
    highlight.js, WordPress, Hugo), ``lang-`` (Prettify), ``highlight-`` (Sphinx, GitHub's
    ``highlight-source-``), ``brush: python`` (SyntaxHighlighter), or ``data-lang``."""
    for attr in ("data-lang", "data-language"):
        value = (el.get(attr) or "").strip().lower()
        if value and value not in _NO_LANGUAGE and _LANGUAGE_CLASS.match("lang-" + value):
            return value
    cls = el.get("class") or ""
    brush = _BRUSH.search(cls)
    if brush:
        return brush[1].lower()
    for word in cls.split():
        match = _LANGUAGE_CLASS.match(word)
        if match and match[1].lower() not in _NO_LANGUAGE:
            return match[1].lower()
    return None


def _key(el: Any) -> str:
    return " ".join("".join(el.itertext()).split())


class _Pres:
    """The page's ``<pre>`` blocks, by their text: trafilatura writes a ``<pre>`` without code
    markers as a ``<quote>``, and one inside a list item like inline ``<code>``; their text
    tells them. Also the language each names (on itself, its ``<code>``, or the wrapper
    that Pygments and GitHub put the language on)."""

    def __init__(self, tree: Any) -> None:
        self.language: dict[str, str | None] = {}
        self.inline: set[str] = set()
        for pre in tree.iter("pre"):
            key = _key(pre)
            if key and key not in self.language:
                self.language[key] = self._language(pre)
        if self.language:
            for code in tree.iter("code", "kbd", "samp", "tt"):
                if not any(a.tag == "pre" for a in code.iterancestors()):
                    self.inline.add(_key(code))

    @staticmethod
    def _language(pre: Any) -> str | None:
        found = _language_of(pre)
        for code in pre.iter("code"):
            found = found or _language_of(code)
            break
        parent = pre.getparent()
        for _ in range(2):
            if found or parent is None:
                break
            found, parent = _language_of(parent), parent.getparent()
        return found

    def is_pre(self, el: Any, *, beside_inline: bool = False) -> bool:
        """Whether an element of trafilatura's output holds a ``<pre>`` of the page; with
        ``beside_inline``, also that no inline code of the page reads the same."""
        if not self.language:
            return False
        key = _key(el)
        return key in self.language and not (beside_inline and key in self.inline)


#: Text that trafilatura's Markdown writes otherwise: inline syntax it escapes, entities,
#: LaTeX delimiters, or a block marker at the start. Plain text without these is its own
#: Markdown, and skips the renderer.
_MD_SPECIAL = re.compile(r"[\\`*_~\[\]<&]|^(?:#{1,6}(?:\s|$)|>|[-+](?:\s|$)|\d{1,9}[.)](?:\s|$))")


def _inline_md(parts: list[Any], text: str, links: bool) -> str | None:
    """A line's inline Markdown, by trafilatura's own Markdown writer (``xmltotxt``) on a
    paragraph holding copies of its parts; None when it reads as ``text``."""
    if all(isinstance(part, str) for part in parts) and not _MD_SPECIAL.search(text):
        return None
    from lxml.etree import Element, strip_tags
    from trafilatura.xml import xmltotxt

    p = Element("p")
    last = None
    for part in parts:
        if isinstance(part, str):
            if last is None:
                p.text = (p.text or "") + part
            else:
                last.tail = (last.tail or "") + part
        else:
            last = _copy(part)
            p.append(last)
    # link text without a target (links off: trafilatura keeps <a> as <ref> to measure link
    # density) is plain text, not "[text]"
    for ref in p.iter("ref"):
        if not links or not ref.get("target"):
            ref.tag = "cleaner-unwrap"
    strip_tags(p, "cleaner-unwrap")
    md = " ".join(xmltotxt(p, include_formatting=True).split())
    return None if md == text else md


def _copy(el: Any) -> Any:
    """A deep copy of an element without its tail."""
    from copy import deepcopy

    out = deepcopy(el)
    out.tail = None
    return out


def _split_at_breaks(el: Any) -> list[Any]:
    """Copies of an inline element, one per line of it: its content between the ``<lb/>``
    anywhere inside it, each copy wrapped in the elements around its piece. No tails."""
    from lxml.etree import Element

    def shell(node: Any) -> Any:
        return Element(node.tag, dict(node.attrib))

    pieces = [shell(el)]
    pieces[0].text = el.text
    for child in el:
        if not isinstance(child.tag, str):
            sub = None
        elif child.tag == "lb":
            pieces.append(shell(el))
            sub = None
        elif child.find(".//lb") is None:
            sub = [_copy(child)]
        else:
            sub = _split_at_breaks(child)
        if sub:
            pieces[-1].append(sub[0])
            for more in sub[1:]:
                pieces.append(shell(el))
                pieces[-1].append(more)
        if child.tail:
            last = pieces[-1]
            if len(last):
                last[-1].tail = (last[-1].tail or "") + child.tail
            else:
                last.text = (last.text or "") + child.tail
    return pieces


@dataclass
class _Walk:
    """One reading of trafilatura's output tree into blocks: the blocks so far, and where in
    the lists the reading is."""

    pres: _Pres
    links: bool = False
    out: list[Block] = field(default_factory=list)
    #: list items around the element being read
    depth: int = 0
    #: the list item whose first line is still to come: (ordered, depth)
    item: tuple[bool, int] | None = None

    def is_block(self, child: Any, parent: str) -> bool:
        """Whether a child element is a block of its own, not inline in its parent's text.
        A code element is a block (a ``<pre>``) at the level of containers, or inside a list
        item or quote when the page has a ``<pre>`` of its text; inline ``<code>`` in a
        paragraph, a heading, a cell or an item is part of the sentence. So is an image."""
        tag = child.tag
        if tag in ("code", "graphic"):
            if parent in _CONTAINER_TAGS and parent != "cell":
                return True
            return (
                tag == "code"
                and parent in _CAN_HOLD_PRE
                and self.pres.is_pre(child, beside_inline=True)
            )
        return tag in _STRUCTURE

    def emit(self, text: str, md: str | None, kind: BlockKind, level: int = 0) -> None:
        """One line of text (or an image: no text, its Markdown in ``md``) as a block."""
        if self.item is not None and kind in (BlockKind.PARAGRAPH, BlockKind.ITEM):
            ordered, depth = self.item
            self.item = None
            self.out.append(Block(text, BlockKind.ITEM, depth=depth, ordered=ordered, md=md))
            return
        if kind is BlockKind.ITEM:
            kind = BlockKind.PARAGRAPH  # an item's text after its first line: its paragraph
        if not text:
            kind = BlockKind.IMAGE
        self.out.append(Block(text, kind, level=level, depth=self.depth, md=md))

    def add(self, block: Block) -> None:
        """A block that is not a line of text (a row, a code block). In a list item that has
        no text before it, the item's text after it is the item's paragraph."""
        self.item = None
        self.out.append(replace(block, depth=self.depth))


def _text_lines(run: list[Any], kind: BlockKind, walk: _Walk, level: int = 0) -> None:
    """Emit a run of loose text and inline elements as blocks, one per line: split at the
    ``<lb/>`` line breaks (``None`` in the run, or inside its elements), whitespace collapsed."""
    lines: list[list[Any]] = [[]]
    for part in run:
        if part is None:
            lines.append([])
        elif isinstance(part, str) or part.find(".//lb") is None:
            lines[-1].append(part)
        else:
            first, *more = _split_at_breaks(part)
            lines[-1].append(first)
            for piece in more:
                lines.append([piece])
    for parts in lines:
        text = " ".join(
            "".join(p if isinstance(p, str) else "".join(p.itertext()) for p in parts).split()
        )
        has_image = not text and any(
            g.get("src") for p in parts if not isinstance(p, str) for g in p.iter("graphic")
        )
        if not text and not has_image:
            continue
        md = _inline_md(parts, text, walk.links)
        if has_image and not md:
            continue
        walk.emit(text, md, kind, level)


def _row(el: Any, walk: _Walk) -> None:
    cells = [c for c in el if c.tag == "cell"]
    texts = [" ".join(" ".join(c.itertext()).split()) for c in cells]
    text = " | ".join(t for t in texts if t)
    if not text:
        return
    mds = []
    for cell, cell_text in zip(cells, texts, strict=True):
        parts = ([cell.text] if cell.text else []) + [
            p for child in cell for p in (child, child.tail) if p is not None
        ]
        md = _inline_md(parts, cell_text, walk.links)
        mds.append((cell_text if md is None else md).replace("|", "\\|"))
    md = " | ".join(mds)
    header = any(c.get("role") == "head" for c in cells)
    walk.add(Block(text, BlockKind.ROW, header=header, md=None if md == text else md))


def _code_text(el: Any) -> str:
    """A code element's text as written, its ``<lb/>`` as line breaks, without white space at
    the end of its lines."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if node.tag == "lb":
            out.append("\n")
        elif node.text and isinstance(node.tag, str):
            out.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                out.append(child.tail)

    walk(el)
    return "\n".join(line.rstrip() for line in "".join(out).split("\n")).strip("\n")


def _code(el: Any, walk: _Walk) -> None:
    code = _code_text(el)
    if not code.strip():
        return
    language = _language_of(el)
    for inner in el.iterdescendants("code"):
        language = language or _language_of(inner)
    if language is None and walk.pres.language:
        language = walk.pres.language.get(_key(el))
    walk.add(Block(code, BlockKind.CODE, language=language))


def _blocks(el: Any, kind: BlockKind, walk: _Walk, level: int = 0) -> None:
    """Blocks of an element: its block children in order, and the text between them (the
    element's text, inline children and tails, split at ``<lb/>``) as blocks of ``kind``.
    trafilatura leaves text loose after a heading or a figure (``<head>..</head>Text``); that
    text is article text too."""
    run: list[Any] = []
    if el.text:
        run.append(el.text)
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            pass
        elif tag == "lb":
            run.append(None)
        elif not walk.is_block(child, el.tag):
            if tag == "code" and run and getattr(run[-1], "tag", None) == "code":
                run.append(" ")  # code spans side by side (badges): two words, not one
            run.append(child)  # inline: hi, ref, del, code, graphic ...
        else:
            _text_lines(run, kind, walk, level)
            run = []
            _structure(child, kind, walk)
        if child.tail:
            run.append(child.tail)
    _text_lines(run, kind, walk, level)


def _structure(el: Any, inherited: BlockKind, walk: _Walk) -> None:
    tag = el.tag
    if tag == "graphic":
        _text_lines([el], BlockKind.IMAGE, walk)
        return
    if tag == "row":
        _row(el, walk)
        return
    if tag == "code" or (tag == "quote" and walk.pres.is_pre(el)):
        _code(el, walk)
        return
    if tag == "list":
        ordered = el.get("rend") == "ol"
        for child in el:
            if child.tag == "item":
                _item(child, ordered, walk)
            elif isinstance(child.tag, str):
                _structure(child, inherited, walk)
        return
    if tag == "item":  # outside a list
        _item(el, False, walk)
        return
    kind = _BLOCK_TAGS.get(tag, inherited)
    if inherited is BlockKind.QUOTE and kind is BlockKind.PARAGRAPH:
        kind = BlockKind.QUOTE
    level = 0
    if kind is BlockKind.HEADING:
        rend = el.get("rend") or ""
        level = int(rend[1]) if len(rend) == 2 and rend[0] == "h" and rend[1] in "123456" else 0
    _blocks(el, kind, walk, level)


def body_blocks(body: Any, page: Any, *, links: bool = False) -> list[Block]:
    """The blocks of a tree written in trafilatura's output format (``p``, ``head``, ``list``
    ...), read as every extraction is read: the container path's walker writes its container
    so (:mod:`cleaner.walk`). ``page`` is the HTML the tree was made from (its ``<pre>`` give
    code blocks their language)."""
    return _body_blocks(body, _Pres(page), links=links)


def _body_blocks(body: Any, pres: _Pres, *, links: bool = False) -> list[Block]:
    """The blocks of trafilatura's output body."""
    walk = _Walk(pres, links=links)
    _blocks(body, BlockKind.PARAGRAPH, walk)
    return walk.out


def _item(el: Any, ordered: bool, walk: _Walk) -> None:
    """A list item: its first line an item block; what follows inside it (text after a nested
    list, a ``<pre>``) one level deeper, as the item's own paragraphs and code."""
    walk.item = (ordered, walk.depth)
    walk.depth += 1
    _blocks(el, BlockKind.ITEM, walk)
    walk.depth -= 1
    walk.item = None


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


@lru_cache(maxsize=16)
def _options(precision: bool, fast: bool, markup: Markup = Markup()) -> Any:
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
        formatting=markup.formatting,
        links=markup.links,
        images=markup.images,
        tables=True,
        dedup=False,
        with_metadata=False,
    )


def extract_blocks(
    tree: Any,
    *,
    url: str | None = None,
    precision: bool = False,
    fast: bool = False,
    markup: Markup = Markup(),
) -> list[Block]:
    """Main-content blocks of a tree, in order. Empty when trafilatura finds nothing.

    ``precision`` is trafilatura's ``favor_precision``; ``fast`` skips its comparison with the
    readability and jusText fallbacks (about a third of its time); ``markup`` is what the
    blocks' Markdown keeps beyond what every extraction has (:class:`Markup`).

    The text never depends on ``markup``: trafilatura's formatting, link and image options
    change what it extracts on some pages (of the 974 dev-set pages, formatting changes 66,
    formatting and links 147, formatting and images 246, and images cost 0.012 of F1 on
    scrapinghub), so with any of them the page is extracted twice, and the blocks are those
    of the plain extraction, each taking its Markdown from the other where that has the same
    text (:func:`_with_markup`)."""
    pres = _Pres(tree)  # before trafilatura: what it turns into a quote is still a <pre> here
    blocks = _extract_once(tree, url, precision, fast, Markup(), pres)
    if markup == Markup() or not blocks:
        return blocks
    return _with_markup(blocks, _extract_once(tree, url, precision, fast, markup, pres))


def _extract_once(
    tree: Any, url: str | None, precision: bool, fast: bool, markup: Markup, pres: _Pres
) -> list[Block]:
    from trafilatura import bare_extraction

    options = copy(_options(precision, fast, markup))
    options.url = url
    options.source = url and url.encode("utf-8", "replace").decode("utf-8")
    doc = bare_extraction(tree, options=options)
    body = getattr(doc, "body", None)
    if body is None:
        return []
    return _body_blocks(body, pres, links=markup.links)


def _with_markup(plain: list[Block], marked: list[Block]) -> list[Block]:
    """The plain extraction's blocks, each replaced by the marked extraction's block of the
    same text (in order: a diff of the two), and with the marked one's images (blocks without
    text) where they fall. Blocks the marked extraction read otherwise (split, glued, or not
    found) stay as they are, with only the Markdown the plain one has."""
    from difflib import SequenceMatcher

    matcher = SequenceMatcher(
        None, [b.text for b in plain], [b.text for b in marked], autojunk=False
    )
    out: list[Block] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(marked[j1:j2])
            continue
        span = marked[j1:j2]
        first_text = next((k for k, b in enumerate(span) if b.text), len(span))
        out.extend(span[:first_text])  # images before the first text: all without text
        out.extend(plain[i1:i2])
        out.extend(b for b in span[first_text:] if not b.text)
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
