"""Stage 4, extract: the one module that talks to trafilatura.

Contract: :func:`extract_blocks` takes a (pruned) lxml tree and returns the article's blocks as
trafilatura finds them (comments never included, no deduplication), or an empty list;
:func:`extract_metadata` reads title, author, date, site name, language and URL from the
*unpruned* tree (pruning an author box must not lose the author). Neither modifies the tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .result import Block, BlockKind

__all__ = ["Metadata", "extract_blocks", "extract_metadata"]

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


def extract_blocks(
    tree: Any, *, url: str | None = None, precision: bool = False, fast: bool = False
) -> list[Block]:
    """Main-content blocks of a tree, in order. Empty when trafilatura finds nothing.

    ``precision`` is trafilatura's ``favor_precision``; ``fast`` skips its comparison with the
    readability and jusText fallbacks (about a third of its time)."""
    from trafilatura import bare_extraction

    doc = bare_extraction(
        tree,
        url=url,
        include_comments=False,
        deduplicate=False,
        with_metadata=False,
        favor_precision=precision,
        fast=fast,
        include_tables=True,
        output_format="python",
        config=_config(),
    )
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
            extract_author,
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
    if not doc.author:
        doc.author = extract_author(tree)
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
