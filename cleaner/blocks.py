"""Blocks: an article written in trafilatura's output format, read into :class:`Block`.

Contract: :func:`body_blocks` (and :func:`read_body`) take a tree in trafilatura's output
format (``p``, ``head``, ``list``/``item``, ``quote``, ``code``, ``table``/``row``/``cell``,
``hi``, ``ref``, ``graphic``, ``lb``) and return its blocks in order, with their structure
(heading levels, list nesting, table headers, code languages) and their inline Markdown. Both
extraction paths write that format: trafilatura itself (:mod:`cleaner.fallback`) and our own
walker (:mod:`cleaner.walk`), so one reader makes their blocks alike. Nothing here modifies a
tree. :class:`Markup` says what the Markdown keeps beyond structure and inline code.

Inline Markdown is written by trafilatura's own Markdown writer (through
:func:`cleaner.fallback.markdown_of`), so both paths write it as trafilatura does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from .result import Block, BlockKind

__all__ = ["PLAIN", "Markup", "Pres", "body_blocks", "read_body"]

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


#: Markdown with structure and inline code only: what every extraction gives.
PLAIN = Markup()


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


class Pres:
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

    from .fallback import markdown_of

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
    md = " ".join(markdown_of(p).split())
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

    pres: Pres
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
    return read_body(body, Pres(page), links=links)


def read_body(body: Any, pres: Pres, *, links: bool = False) -> list[Block]:
    """The blocks of trafilatura's output body; ``pres`` are the page's ``<pre>`` blocks
    (:class:`Pres`)."""
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
