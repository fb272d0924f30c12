"""The result of cleaning one page: article blocks, title, metadata and every removal.

Text convention: :attr:`CleanResult.text` is the article body *without* the title, one block
(paragraph, heading, list item, quote, table row, code block) per line, blocks separated by a
single ``"\\n"``, no trailing newline, no markup; inline code, emphasis and links are their
words inside their sentence, and a code block keeps its own line breaks. Blocks without text
(an image) are left out of it.

:attr:`CleanResult.blocks` keeps each block's structure for formats that want it (Markdown,
JSON): its kind, heading level, list nesting and numbering, table header rows, code language,
and its content as inline Markdown (:class:`Block`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

__all__ = ["Block", "BlockKind", "CleanResult", "Comment", "Removal"]


class BlockKind(str, Enum):
    """What a block of the article is."""

    PARAGRAPH = "p"
    HEADING = "h"
    ITEM = "li"
    QUOTE = "quote"
    CODE = "code"
    ROW = "row"
    IMAGE = "image"


@dataclass(frozen=True)
class Block:
    """One block of the article: its plain text, its kind, and what a format needs to write
    its structure. Any producer (trafilatura's XML in :mod:`cleaner.blocks`, or another that
    walks an article's DOM) fills the fields the same way:

    - ``text``: plain text, whitespace collapsed (a code block: the code as written, its line
      breaks kept). Inline code, emphasis and links are their words; an image has no text.
    - ``kind``: paragraph, heading, list item, quote, code block, table row or image.
    - ``level``: a heading's level, 1 to 6 (``<h3>``: 3); 0 when not known (Markdown writes 2).
    - ``depth``: how many list items hold the block. A top-level list item is at 0, its nested
      items at 1; a paragraph or code block inside a top-level item (its text after a nested
      list, a ``<pre>`` in an ``<li>``) is at 1 too. 0 outside lists.
    - ``ordered``: a list item of a numbered list (``<ol>``).
    - ``header``: a table row of header cells (``<th>``).
    - ``language``: a code block's language as the page names it (``class="language-python"``,
      ``lang-``, ``brush:``, ``highlight-``, ``data-lang``), lower-cased; None when not given.
    - ``md``: the block's content as inline Markdown (emphasis, code spans, links, images,
      escaped Markdown characters), without its block syntax (no ``#``, list marker, ``>``,
      fence or row pipes); for a table row, its cells' Markdown joined by ``" | "``, pipes
      inside cells escaped. None when ``text`` reads the same in Markdown, and for code.

    >>> Block("Install it").kind, Block("Usage", BlockKind.HEADING, level=3).level
    (<BlockKind.PARAGRAPH: 'p'>, 3)
    >>> Block("Run ls now", md="Run `ls` now").to_dict()
    {'kind': 'p', 'text': 'Run ls now', 'md': 'Run `ls` now'}
    """

    text: str
    kind: BlockKind = BlockKind.PARAGRAPH
    level: int = 0
    depth: int = 0
    ordered: bool = False
    header: bool = False
    language: str | None = None
    md: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``kind`` and ``text`` always; ``level`` for a heading,
        ``ordered`` for a list item, ``header`` for a table row, ``language`` for a code block;
        ``depth`` when the block is inside a list item; ``md`` when it differs from ``text``."""
        out: dict[str, Any] = {"kind": self.kind.value, "text": self.text}
        kind = self.kind
        if kind is BlockKind.HEADING:
            out["level"] = self.level
        elif kind is BlockKind.ITEM:
            out["ordered"] = self.ordered
        elif kind is BlockKind.ROW:
            out["header"] = self.header
        elif kind is BlockKind.CODE:
            out["language"] = self.language
        if self.depth or kind is BlockKind.ITEM:
            out["depth"] = self.depth
        if self.md is not None:
            out["md"] = self.md
        return out


def chars(blocks: Sequence[Block]) -> int:
    """Characters of text in the blocks: what the safety ladders compare.

    >>> chars([Block("One."), Block("Two.")])
    8
    """
    return sum(len(b.text) for b in blocks)


@dataclass(frozen=True)
class Removal:
    """One thing a stage removed, and the rule that removed it.

    ``source`` and ``line`` locate the rule (a rule file and its line, or ``builtin:<name>``
    with line 0 for built-in revisions such as the repeated title); ``rule`` is the rule as
    written; ``stage`` is ``"dom"`` or ``"text"``; ``text`` is the removed text.

    >>> r = Removal(source="cleaner/rules/comments.txt", line=4, rule="##.comment-respond",
    ...             stage="dom", text="Leave a Reply")
    >>> r.where
    'cleaner/rules/comments.txt:4'
    """

    source: str
    line: int
    rule: str
    stage: str
    text: str

    @property
    def where(self) -> str:
        """``file:line`` of the rule."""
        return f"{self.source}:{self.line}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "where": self.where,
            "stage": self.stage,
            "text": self.text,
        }


@dataclass(frozen=True)
class Comment:
    """One comment of the page's comment section (``Cleaner(comments=True)``), never part of
    the article: its text (paragraphs one per line), and its author, date and reply depth
    where the markup gives them. ``date`` is ISO 8601 when the markup has a machine-readable
    one (``<time datetime>``, a timestamp), else the date as the page shows it.

    >>> Comment("Great post!", author="Ann", date="2024-03-02T09:14:00+00:00").to_dict()
    {'text': 'Great post!', 'author': 'Ann', 'date': '2024-03-02T09:14:00+00:00', 'depth': 0}
    """

    text: str
    author: str | None = None
    date: str | None = None
    #: 0 for a comment on the post, 1 for a reply to one, and so on.
    depth: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "author": self.author, "date": self.date, "depth": self.depth}


@dataclass(frozen=True)
class CleanResult:
    """What :func:`cleaner.clean` returns.

    >>> res = CleanResult(title="Hello", blocks=(Block("One."), Block("Two.")))
    >>> res.text
    'One.\\nTwo.'
    """

    title: str | None = None
    blocks: tuple[Block, ...] = ()
    author: str | None = None
    date: str | None = None
    #: The page's address as the caller gave it (``url=``), or the response's URL; never
    #: replaced by the page's own (that is :attr:`canonical_url`).
    url: str | None = None
    sitename: str | None = None
    #: The language identified from the article's text (ISO 639-1 where the language has a
    #: code there: ``"en"``, ``"ja"``), None when it cannot be told; see
    #: :attr:`language_confidence` and :attr:`declared_language`.
    language: str | None = None
    description: str | None = None
    removed: tuple[Removal, ...] = ()
    #: ``"html"`` or ``"text"``: what the input was sniffed as.
    input_kind: str = "html"
    #: How the article was found: ``"container"`` (the container a ``#body#`` rule names, walked
    #: by cleaner), ``"trafilatura"`` (trafilatura's extraction ladder) or ``"text"``.
    path: str = "trafilatura"
    #: What the safety ladder did, if anything (human-readable lines).
    notes: tuple[str, ...] = field(default=())
    #: The URL the page gives for itself (``<link rel=canonical>``, ``og:url``), else
    #: :attr:`url`. :attr:`url` is the address the caller gave (or the response's URL).
    canonical_url: str | None = None
    #: The probability of :attr:`language`, the language identified from the article's text
    #: (:mod:`cleaner.language`); None when none was (too little text, no language likely).
    language_confidence: float | None = None
    #: The language the page declares (``<html lang>``, ``content-language``), as it says it.
    declared_language: str | None = None
    #: The comment section's comments, with ``Cleaner(comments=True)`` (an empty tuple when
    #: the page has none); None when they were not asked for.
    comments: tuple[Comment, ...] | None = None
    #: What kind of page it was (:mod:`cleaner.kinds`): ``"article"``, ``"listing"``,
    #: ``"collection"``, ``"forum"``, ``"product"``, ``"documentation"`` or ``"service"``;
    #: None for text input, whose kind is not told.
    page_type: str | None = None
    #: The categories and tags the page gives its post (JSON-LD ``articleSection`` and
    #: ``keywords``, ``article:section`` and ``article:tag``, ``rel=tag`` links).
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    #: The post's lead image (``og:image``, ``twitter:image``, JSON-LD ``image``), absolute.
    image: str | None = None
    #: The licence the page declares (``rel=license``, JSON-LD ``license``): a URL or a name.
    license: str | None = None

    @property
    def text(self) -> str:
        """The article body without the title, one block per line (blocks without text, such
        as images, left out)."""
        return "\n".join(b.text for b in self.blocks if b.text)

    @property
    def metadata(self) -> dict[str, Any]:
        """Title and the metadata fields, as a dict."""
        return {
            "title": self.title,
            "author": self.author,
            "date": self.date,
            "url": self.url,
            "canonical_url": self.canonical_url,
            "sitename": self.sitename,
            "language": self.language,
            "language_confidence": self.language_confidence,
            "declared_language": self.declared_language,
            "description": self.description,
            "page_type": self.page_type,
            "categories": list(self.categories),
            "tags": list(self.tags),
            "image": self.image,
            "license": self.license,
        }

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: metadata, text, blocks (:meth:`Block.to_dict`), removals and
        notes; ``comments`` when they were asked for."""
        out = {
            **self.metadata,
            "text": self.text,
            "blocks": [b.to_dict() for b in self.blocks],
            "input_kind": self.input_kind,
            "path": self.path,
            "removed": [r.to_dict() for r in self.removed],
            "notes": list(self.notes),
        }
        if self.comments is not None:
            out["comments"] = [c.to_dict() for c in self.comments]
        return out
