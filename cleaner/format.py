"""Stage 6, format: a :class:`~cleaner.result.CleanResult` as txt, Markdown or JSON.

Contract: pure functions of the result; every output ends with one newline.

- ``txt``: the title on the first line, a blank line, then :attr:`CleanResult.text` (one
  block per line). Without a title, just the text.
- ``md``: ``# title``, then blocks separated by blank lines; headings ``##``, list items
  ``-`` (consecutive items kept together), quotes ``>``, code fenced.
- ``json``: title, metadata, text, removals and notes, UTF-8, indented.

>>> from cleaner.result import Block, BlockKind, CleanResult
>>> res = CleanResult(title="T", blocks=(Block("Intro."), Block("A", BlockKind.ITEM),
...                                      Block("B", BlockKind.ITEM)))
>>> print(render(res, "md"), end="")
# T
<BLANKLINE>
Intro.
<BLANKLINE>
- A
- B
"""

from __future__ import annotations

import json

from .result import BlockKind, CleanResult

__all__ = ["FORMATS", "render"]

FORMATS = ("txt", "md", "json")


def _txt(res: CleanResult) -> str:
    parts = [res.title, "", res.text] if res.title else [res.text]
    return "\n".join(parts).rstrip("\n") + "\n"


def _md(res: CleanResult) -> str:
    out: list[str] = []
    if res.title:
        out.append(f"# {res.title}")
    prev: BlockKind | None = None
    for block in res.blocks:
        kind = block.kind
        if kind is BlockKind.HEADING:
            line = f"## {block.text}"
        elif kind is BlockKind.ITEM:
            line = f"- {block.text}"
        elif kind is BlockKind.QUOTE:
            line = f"> {block.text}"
        elif kind is BlockKind.CODE:
            line = f"```\n{block.text}\n```"
        else:
            line = block.text
        if out and kind is prev and kind in (BlockKind.ITEM, BlockKind.ROW):
            out[-1] += "\n" + line
        else:
            out.append(line)
        prev = kind
    return "\n\n".join(out) + "\n"


def _json(res: CleanResult) -> str:
    return json.dumps(res.to_dict(), ensure_ascii=False, indent=2) + "\n"


def render(res: CleanResult, fmt: str = "txt") -> str:
    """Render a result in one of :data:`FORMATS`."""
    if fmt == "txt":
        return _txt(res)
    if fmt == "md":
        return _md(res)
    if fmt == "json":
        return _json(res)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
