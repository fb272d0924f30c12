"""Stage 6, format: a :class:`~cleaner.result.CleanResult` as txt, Markdown or JSON.

Contract: pure functions of the result; every output ends with one newline, except that an
empty article (no title, no text) is nothing at all in ``txt`` and ``md`` (not a blank line).

- ``txt``: the title on the first line, a blank line, then :attr:`CleanResult.text` (one
  block per line, no markup). Without a title, just the text.
- ``md``: CommonMark with GitHub's tables. ``# title``, then the blocks separated by blank
  lines, each block's inline Markdown (:attr:`Block.md <cleaner.result.Block>`: emphasis,
  code spans, links, images; its text when it has none) in its block syntax:

  - headings at their level (``<h3>``: ``###``; level 2 when not known);
  - list items ``-``, or numbered ``1.``, ``2.`` ... in a numbered list, the items of one
    list on consecutive lines; nested items, and the paragraphs and code inside an item,
    indented under it;
  - quotes ``>``, the paragraphs of one quote (consecutive quote blocks) in one;
  - code blocks fenced with their language (```` ```python ````), a longer fence when the
    code holds one;
  - table rows as GFM rows, one table per run of rows: a header delimiter after the first
    row (a header row of ``<th>`` cells, or the table's first row when it has none), and a
    header row after other rows starts a new table;
  - images ``![alt](src)``.

  The title and blocks without Markdown of their own (text input) are written as they are.
  When the result holds comments (``Cleaner(comments=True)``), a ``## Comments`` section
  follows the article: each comment under a heading of its author and date (``###``; a
  reply one level deeper, down to ``######``), its paragraphs after it.
- ``json``: title, metadata, text, blocks (their kinds, levels and Markdown:
  :meth:`Block.to_dict <cleaner.result.Block.to_dict>`), removals and notes (and the
  comments when asked for), UTF-8, indented.

``with_metadata=True`` puts YAML front matter before txt and md (json holds the metadata
already): ``---``, then ``title``, ``author``, ``date``, ``url`` (the URL the page was
cleaned with), ``canonical_url`` (the page's own), ``sitename``, ``language``, ``page_type``
(when the result has one), ``description``, ``categories`` and ``tags`` (flow sequences),
``image`` and ``license``, those with a value, each a double-quoted YAML string (any title
reads back the same through a YAML parser), then ``---`` and a blank line.

>>> from cleaner.result import Block, BlockKind
>>> res = CleanResult(title="T", blocks=(
...     Block("Intro with code.", md="Intro with `code`."),
...     Block("Steps", BlockKind.HEADING, level=3),
...     Block("A", BlockKind.ITEM, ordered=True), Block("a1", BlockKind.ITEM, depth=1),
...     Block("B", BlockKind.ITEM, ordered=True),
...     Block("print(1)", BlockKind.CODE, depth=1, language="python")))
>>> print(render(res, "md"), end="")
# T
<BLANKLINE>
Intro with `code`.
<BLANKLINE>
### Steps
<BLANKLINE>
1. A
   - a1
2. B
<BLANKLINE>
   ```python
   print(1)
   ```
"""

from __future__ import annotations

import json
import re
from typing import Any

from .result import Block, BlockKind, CleanResult, Comment

__all__ = ["FORMATS", "front_matter", "render"]

FORMATS = ("txt", "md", "json")

_BACKTICKS = re.compile(r"`{3,}")
#: A cell boundary in a row's Markdown: a pipe not escaped.
_CELL_PIPE = re.compile(r"(?<!\\)\|")


def _txt(res: CleanResult) -> str:
    parts = [res.title, "", res.text] if res.title else [res.text]
    text = "\n".join(parts).rstrip("\n")
    return text + "\n" if text else ""


def _fence(code: str) -> str:
    longest = max((len(m) for m in _BACKTICKS.findall(code)), default=2)
    return "`" * (longest + 1)


def _indent(text: str, width: int) -> str:
    if not width:
        return text
    pad = " " * width
    return "\n".join(pad + line if line else line for line in text.split("\n"))


class _Lists:
    """The lists open at the block being written: per depth, whether the list is numbered,
    its items so far and the width of its last marker (what nested content is indented by)."""

    def __init__(self) -> None:
        self.open: list[list[int]] = []  # [ordered, count, width]

    def item(self, block: Block) -> tuple[str, int]:
        """The marker of a list item, and the indentation it is written at."""
        depth = min(block.depth, len(self.open))
        del self.open[depth + 1 :]
        if len(self.open) > depth and self.open[depth][0] == block.ordered:
            self.open[depth][1] += 1
        else:
            del self.open[depth:]
            self.open.append([block.ordered, 1, 2])
        entry = self.open[depth]
        marker = f"{entry[1]}. " if block.ordered else "- "
        entry[2] = len(marker)
        return marker, sum(e[2] for e in self.open[:depth])

    def inside(self, depth: int) -> int:
        """The indentation of a block inside ``depth`` list items; deeper lists end."""
        depth = min(depth, len(self.open))
        del self.open[depth:]
        return sum(e[2] for e in self.open)


def _row(block: Block) -> tuple[str, int]:
    inline = block.md if block.md is not None else block.text
    return f"| {inline} |", len(_CELL_PIPE.split(inline))


def _md(res: CleanResult) -> str:
    out: list[str] = []
    if res.title:
        out.append(f"# {res.title}")
    lists = _Lists()
    prev: Block | None = None
    for block in res.blocks:
        kind = block.kind
        inline = block.md if block.md is not None else block.text
        same = prev is not None and prev.kind is kind
        joined = "\n" if same and kind is BlockKind.ITEM else ""
        if kind is BlockKind.ITEM:
            marker, width = lists.item(block)
            line = _indent(marker + inline, width)
        else:
            width = lists.inside(block.depth)
            if kind is BlockKind.HEADING:
                line = "#" * (block.level if 1 <= block.level <= 6 else 2) + " " + inline
            elif kind is BlockKind.QUOTE:
                line = "> " + inline
                if same:  # one quote, its paragraphs apart
                    joined = "\n" + _indent(">", width) + "\n"
            elif kind is BlockKind.CODE:
                fence = _fence(block.text)
                line = f"{fence}{block.language or ''}\n{block.text}\n{fence}"
            elif kind is BlockKind.ROW:
                line, cells = _row(block)
                if same and not block.header:
                    joined = "\n"
                else:  # a table starts: this row is its header
                    line += "\n|" + " --- |" * cells
            else:
                line = inline
            line = _indent(line, width)
        if joined:
            out[-1] += joined + line
        else:
            out.append(line)
        prev = block
    text = "\n\n".join(out)
    return text + "\n" if text.strip() else ""


#: Characters a line of comment text cannot start with in Markdown without turning into
#: structure (a heading, quote, list item, rule, fence or table row).
_BLOCK_START = re.compile(r"^(\s*)([#>*+=|`~-]|\d+[.)])")


def _md_line(text: str) -> str:
    """A line of plain text that stays a paragraph in Markdown."""
    return _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _comment_heading(comment: Comment) -> str:
    level = min(3 + comment.depth, 6)
    who = comment.author or "Anonymous"
    when = f" · {comment.date}" if comment.date else ""
    return "#" * level + " " + _escape_inline(who + when)


def _escape_inline(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def _comments_md(comments: tuple[Comment, ...]) -> str:
    """The ``## Comments`` section: each comment's heading, then its paragraphs."""
    out = ["## Comments"]
    for comment in comments:
        out.append(_comment_heading(comment))
        out.extend(_md_line(line) for line in comment.text.split("\n") if line)
    return "\n\n".join(out) + "\n"


def _json(res: CleanResult) -> str:
    return json.dumps(res.to_dict(), ensure_ascii=False, indent=2) + "\n"


#: Characters YAML reads as they are inside a double-quoted scalar: printable ones, but not
#: line breaks (U+0085, U+2028, U+2029 would fold), nor the BOM, nor ``"`` and ``\\``.
def _yaml_char(ch: str) -> str:
    code = ord(ch)
    if ch == '"' or ch == "\\":
        return "\\" + ch
    if 0x20 <= code <= 0x7E or (0xA0 <= code <= 0xD7FF and code not in (0x2028, 0x2029)):
        return ch
    if 0xE000 <= code <= 0xFFFD and code != 0xFEFF or code >= 0x10000:
        return ch
    if code <= 0xFF:
        return f"\\x{code:02X}"
    if 0xD800 <= code <= 0xDFFF:  # a lone surrogate (from JSON text): not a character
        return "\\uFFFD"
    return f"\\u{code:04X}"


def yaml_string(text: str) -> str:
    r"""``text`` as a double-quoted YAML scalar that every YAML parser reads back as ``text``.

    >>> print(yaml_string('Peas: "early" & #1 \\o/'))
    "Peas: \"early\" & #1 \\o/"
    >>> print(yaml_string("two\nlines\ttab"))
    "two\x0Alines\x09tab"
    """
    return '"' + "".join(_yaml_char(ch) for ch in text) + '"'


def front_matter(res: CleanResult) -> str:
    """The YAML front matter of a result (see the module docstring), ending in a blank line.

    >>> print(front_matter(CleanResult(title='Peas: a "how-to"', language="en")), end="")
    ---
    title: "Peas: a \\"how-to\\""
    language: "en"
    ---
    <BLANKLINE>
    """
    fields: dict[str, Any] = {
        "title": res.title,
        "author": res.author,
        "date": res.date,
        "url": res.url,
        "canonical_url": res.canonical_url,
        "sitename": res.sitename,
        "language": res.language,
        "page_type": res.page_type,
        "description": res.description,
        "categories": res.categories,
        "tags": res.tags,
        "image": res.image,
        "license": res.license,
    }
    lines = ["---"]
    for key, value in fields.items():
        if isinstance(value, tuple):
            if value:  # a flow sequence of quoted strings
                lines.append(f"{key}: [{', '.join(yaml_string(str(v)) for v in value)}]")
        elif value is not None and value != "":
            lines.append(f"{key}: {yaml_string(str(value))}")
    return "\n".join(lines) + "\n---\n\n"


def render(res: CleanResult, fmt: str = "txt", *, with_metadata: bool = False) -> str:
    """Render a result in one of :data:`FORMATS`; ``with_metadata`` puts YAML front matter
    (:func:`front_matter`) before txt and md.

    >>> render(CleanResult(), "txt"), render(CleanResult(), "md")
    ('', '')
    """
    if fmt == "txt":
        out = _txt(res)
    elif fmt == "md":
        out = _md(res)
        if res.comments:
            out += "\n" + _comments_md(res.comments)
    elif fmt == "json":
        return _json(res)
    else:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return front_matter(res) + out if with_metadata else out
