"""The result of cleaning one page: article blocks, title, metadata and every removal.

Text convention: :attr:`CleanResult.text` is the article body *without* the title, one block
(paragraph, heading, list item, quote, table row, code block) per line, blocks separated by a
single ``"\\n"``, no trailing newline, no markup. :attr:`CleanResult.blocks` keeps each block's
kind for formats that want structure (Markdown).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

__all__ = ["Block", "BlockKind", "CleanResult", "Removal"]


class BlockKind(str, Enum):
    """What a block of the article is."""

    PARAGRAPH = "p"
    HEADING = "h"
    ITEM = "li"
    QUOTE = "quote"
    CODE = "code"
    ROW = "row"


@dataclass(frozen=True)
class Block:
    """One block of article text."""

    text: str
    kind: BlockKind = BlockKind.PARAGRAPH


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
    url: str | None = None
    sitename: str | None = None
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

    @property
    def text(self) -> str:
        """The article body without the title, one block per line."""
        return "\n".join(b.text for b in self.blocks)

    @property
    def metadata(self) -> dict[str, str | None]:
        """Title and the metadata fields, as a dict."""
        return {
            "title": self.title,
            "author": self.author,
            "date": self.date,
            "url": self.url,
            "sitename": self.sitename,
            "language": self.language,
            "description": self.description,
        }

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: metadata, text, removals and notes."""
        return {
            **self.metadata,
            "text": self.text,
            "input_kind": self.input_kind,
            "path": self.path,
            "removed": [r.to_dict() for r in self.removed],
            "notes": list(self.notes),
        }
