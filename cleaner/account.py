"""The last HTML stage, account: no prose leaves the page without a removal that says why.

Contract: :func:`prose_runs` lists the page's prose (each ``<p>`` of at least
:data:`~cleaner.dom.PROSE_RUN` characters, and each run of text that long wherever it sits),
read from the page before any rule prunes it; :func:`unaccounted` returns those that are
neither in the article nor in any removal's text, each as a :class:`~cleaner.result.Removal`
of ``builtin:outside`` that names what was taken as the article ("outside the article: the
container ..."). So every prose run of a page is in the output, or in ``removed`` by a rule's
``file:line``, a ``builtin:`` reason of the walker, the ladder or the revisions, or as outside
the article. Neither modifies anything.

A run counts as in the article when its first and its last :data:`PROBE` characters (white
space collapsed, case folded) are in the article's text or in a removal's, or else when
:data:`COVERED` of its word pairs are pairs of that text, or it is in that text once all
white space is taken out (:class:`Known`): extraction may split a paragraph or
glue two, and rules may take a paragraph's spans one by one, but the words stay in order. (A
news standfirst that starts as the article's first sentence does, then goes on otherwise,
is not in the article.)

>>> from cleaner.parse import parse_html
>>> from cleaner.result import Block
>>> kept = "The article's own paragraph, which is long enough to count as prose on any page."
>>> left = "A paragraph that the extraction left out, which is long enough to count as prose."
>>> runs = prose_runs(parse_html(f"<body><p>{kept}</p><div>{left}</div></body>"))
>>> [r.rule for r in unaccounted(runs, [Block(kept)], [], "the container <article>")]
['outside the article: the container <article>']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .dom import PROSE_RUN
from .result import Block, Removal

__all__ = [
    "COVERED", "Known", "OUTSIDE_SOURCE", "PROBE", "audit", "prose_runs", "unaccounted",
    "word_pairs",
]

#: The source of the removals of prose outside the article.
OUTSIDE_SOURCE = "builtin:outside"
#: A run is found by its first and last this many characters (shorter runs: whole) ...
PROBE = 60
#: ... or by this share of its word pairs (lower-cased words side by side): a paragraph whose
#: "Posted in" and "Tagged" spans two rules took apart; a dek that shares the body's first
#: words but not its last is left out (wcxb-dev 0345).
COVERED = 0.8
_WORD = re.compile(r"\w+")
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
            text = " ".join(_prose_text(el).split())
            if len(text) >= PROSE_RUN:
                runs.append(text)
        elif el.text:
            _add(runs, el.text)
        if el.tail and parent is not None and parent not in skip:
            _add(runs, el.tail)
    return runs


def _prose_text(el: Any) -> str:
    """The text of ``el`` without that of its scripts, styles, form fields and comments (a
    comment form's paragraph holds Akismet's script: no prose)."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _NOT_PROSE:
            parts.append(_prose_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


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
    known = Known([b.text for b in blocks] + [r.text for r in removed])
    rule = f"outside the article: {article}"
    return [Removal(OUTSIDE_SOURCE, 0, rule, "dom", run) for run in runs if run not in known]


def audit(root: Any, result: Any) -> tuple[list[str], list[str]]:
    """The check of the invariant from outside the pipeline: the prose runs of ``root`` (the
    page as given, before any rule prunes it) and those of them that ``result`` (its
    :class:`~cleaner.result.CleanResult`) has neither in its title or text nor in a removal.
    ``benchmarks/accounting.py`` runs it over the dev sets, ``tests/test_account.py`` over
    the fixtures.

    >>> from cleaner import clean
    >>> from cleaner.parse import parse_html
    >>> post = "A paragraph of the post, long enough. " * 3
    >>> html = f"<body><article><p>{post}</p></article></body>"
    >>> runs, missing = audit(parse_html(html), clean(html))
    >>> len(runs), missing
    (1, [])
    """
    texts = [result.title or ""] + [b.text for b in result.blocks]
    known = Known(texts + [r.text for r in result.removed])
    runs = prose_runs(root)
    return runs, [run for run in runs if run not in known]


class Known:
    """Texts a run may be found in (:meth:`__contains__`: the module's rule). The word pairs
    and the text without spaces are made once, when a run first needs them.

    >>> known = Known(["Posted in Blockchain , Smart Contract", "Tagged blockchain , smart"])
    >>> "Posted in Blockchain, Smart ContractTagged blockchain, smart" in known
    True
    >>> "Posted in Ethereum, Smart Contract" in known
    False
    """

    def __init__(self, texts: Sequence[str]) -> None:
        self.whole = dict.fromkeys(_squeeze(t) for t in texts)  # in order: pairs span texts
        self.text = "\n".join(self.whole)
        self._pairs: set[tuple[str, str]] | None = None
        self._bare: str | None = None

    def __contains__(self, run: object) -> bool:
        text = _squeeze(str(run))
        if text in self.whole:  # a paragraph kept or removed whole: most runs
            return True
        if text[:PROBE] in self.text and text[-PROBE:] in self.text:
            return True
        # glued: the run joins inline elements that a removal's text spaced apart, or the
        # other way round ("Technologies" "Tagged")
        if self._bare is None:
            self._bare = "".join(self.text.split())
        if "".join(text.split()) in self._bare:
            return True
        if self._pairs is None:
            self._pairs = word_pairs(self.text)
        own = word_pairs(text)
        return bool(own) and len(own & self._pairs) >= COVERED * len(own)


def word_pairs(text: str) -> set[tuple[str, str]]:
    """The pairs of words side by side in ``text`` (lower-cased ``\\w+`` words).

    >>> sorted(word_pairs("Posted in Blockchain, Smart"))
    [('blockchain', 'smart'), ('in', 'blockchain'), ('posted', 'in')]
    """
    words = _WORD.findall(text.casefold())
    return set(zip(words, words[1:], strict=False))
