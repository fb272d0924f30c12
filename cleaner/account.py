"""The last HTML stage, account: no prose leaves the page without a removal that says why.

Contract: :func:`prose_runs` lists the page's prose (each ``<p>`` of at least
:data:`~cleaner.dom.PROSE_RUN` characters, and each run of text that long wherever it sits),
read from the pruned tree before extraction; :func:`unaccounted` returns those that are
neither in the article nor in any removal's text, each as a :class:`~cleaner.result.Removal`
of ``builtin:outside`` that names what was taken as the article ("outside the article: the
container ..."). So every prose run of a page is in the output, or in ``removed`` by a rule's
``file:line``, a ``builtin:`` reason of the walker, the ladder or the revisions, or as outside
the article. Neither modifies anything.

A run counts as in the article when its first or its last :data:`PROBE` characters (white
space collapsed, case folded) are in the article's text or in a removal's: extraction may
split a paragraph or glue two, but keeps their words in order.

>>> from cleaner.parse import parse_html
>>> from cleaner.result import Block
>>> kept = "The article's own paragraph, which is long enough to count as prose on any page."
>>> left = "A paragraph that the extraction left out, which is long enough to count as prose."
>>> runs = prose_runs(parse_html(f"<body><p>{kept}</p><div>{left}</div></body>"))
>>> [r.rule for r in unaccounted(runs, [Block(kept)], [], "the container <article>")]
['outside the article: the container <article>']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .dom import PROSE_RUN
from .result import Block, Removal

__all__ = ["OUTSIDE_SOURCE", "PROBE", "prose_runs", "unaccounted"]

#: The source of the removals of prose outside the article.
OUTSIDE_SOURCE = "builtin:outside"
#: A run is found by its first or last this many characters (shorter runs: whole).
PROBE = 60
#: Elements whose text is never prose.
_NOT_PROSE = frozenset(
    {"script", "style", "noscript", "template", "head", "title", "svg", "button", "select",
     "option", "textarea"}
)


def _squeeze(text: str) -> str:
    return " ".join(text.split()).casefold()


def prose_runs(root: Any) -> list[str]:
    """The page's prose runs, in document order, white space collapsed."""
    runs: list[str] = []
    skip: set[Any] = set()
    for el in root.iter():
        tag = el.tag
        if not isinstance(tag, str):
            continue
        parent = el.getparent()
        if tag in _NOT_PROSE or parent in skip:
            skip.add(el)
            if el.tail and parent not in skip:
                _add(runs, el.tail)
            continue
        if tag == "p":
            skip.add(el)  # its text is one run, whatever inline markup it holds
            text = " ".join("".join(el.itertext()).split())
            if len(text) >= PROSE_RUN:
                runs.append(text)
        elif el.text:
            _add(runs, el.text)
        if el.tail and parent is not None and parent not in skip:
            _add(runs, el.tail)
    return runs


def _add(runs: list[str], text: str) -> None:
    if len(text) >= PROSE_RUN:
        squeezed = " ".join(text.split())
        if len(squeezed) >= PROSE_RUN:
            runs.append(squeezed)


def unaccounted(
    runs: Sequence[str], blocks: Sequence[Block], removed: Sequence[Removal], article: str
) -> list[Removal]:
    """The runs neither in ``blocks`` nor in a removal, as ``builtin:outside`` removals naming
    ``article`` (what was taken as the article)."""
    if not runs:
        return []
    known = "\n".join(
        [_squeeze(b.text) for b in blocks] + [_squeeze(r.text) for r in removed]
    )
    rule = f"outside the article: {article}"
    out: list[Removal] = []
    for run in runs:
        text = _squeeze(run)
        if text[:PROBE] in known or text[-PROBE:] in known:
            continue
        out.append(Removal(OUTSIDE_SOURCE, 0, rule, "dom", run))
    return out
