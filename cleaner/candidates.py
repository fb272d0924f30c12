"""Stage 4 on pages without a trusted container, the candidate box: where the content is.

Contract: :func:`find_box` takes the pruned tree and its :class:`~cleaner.dom.Measures` and
returns a :class:`Box`: the element that best holds the page's content, its score and the
runner-up's, for the notes; or None and why no box can be taken. It never modifies the tree
(it measures the whole page's prose with :meth:`~cleaner.dom.Measures.detail`).

Every box (``div``, ``section``, ``article``, ``main``, ``td``, ``body`` and the like) that
holds at least :data:`MIN_SHARE` of the page's prose is scored by what it holds:

    score = prose - OTHER_WEIGHT * other text - LINK_WEIGHT * link text

*prose* is its main text with the parts that never hold content left out
(:attr:`~cleaner.dom.Measures.prose`), *other text* the rest of its text (menus, labels,
buttons), *link text* the text of its links. Since a box holds all that its children hold, a
box beats its child only when what it adds is more prose than clutter: it grows out to take a
lead, a second section or a list beside the body (recall), and stops where the page's header,
sidebar and footer begin (precision); the boilerplate left inside is the walker's and the
rules' to remove.

Measured against trafilatura's steps on the pages of each kind without a trusted container
(wcxb-dev-other and the article sets): better on forums, service pages and documentation,
worse on articles, listings, collections and products; :data:`cleaner.ladder.PROFILES` takes
the box on the first only. A readability-like score (the prose of a box's own paragraphs,
half its children's) was tried and lost on all of them: listicles and sectioned pages keep
their paragraphs in boxes of their own.

>>> from cleaner.dom import Measures
>>> from cleaner.parse import parse_html
>>> prose = "A sentence of the article that runs on long enough to be prose. " * 3
>>> page = parse_html(f'''<body><div id="menu"><a>Home</a> <a>About</a> <a>Shop</a></div>
... <div id="post"><p>{prose}</p><p>{prose}</p></div><div id="foot">(c) 2024</div></body>''')
>>> find_box(page, Measures(page))[0].element.get("id")
'post'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .dom import Measures

__all__ = ["BOX_TAGS", "Box", "describe", "find_box", "score_of"]

#: Elements that can hold a page's content.
BOX_TAGS = frozenset(
    {"body", "div", "section", "article", "main", "td", "form", "center", "font", "span",
     "blockquote", "li", "dd"}
)
#: The weight of text that is not prose (per character, against one of prose).
OTHER_WEIGHT = 1.0
#: The weight of link text, on top of its weight as other text or prose.
LINK_WEIGHT = 1.0
#: A box holds at least this share of the page's prose to be a candidate (two boxes side by
#: side cannot both hold most of it).
MIN_SHARE = 0.5


@dataclass(frozen=True)
class Box:
    """The chosen box and its score, and the runner-up (the next best box, often the one
    around it or inside it) and its score."""

    element: Any
    score: float
    runner_up: Any = None
    runner_up_score: float = 0.0

    @property
    def parts(self) -> tuple[Any, ...]:
        """The elements to walk, in order."""
        return (self.element,)


def describe(el: Any) -> str:
    """A short name of an element for the notes: ``<div class="post-body">``."""
    if el is None:
        return "none"
    attrs = " ".join(f'{a}="{(el.get(a) or "")[:40]}"' for a in ("id", "class") if el.get(a))
    return f"<{el.tag}{' ' + attrs if attrs else ''}>"


def score_of(el: Any, measures: Measures) -> float:
    """A box's score (module docstring)."""
    prose = measures.prose.get(el, 0)
    text, _, link_text = measures.stats.get(el, (0, 0, 0))
    return prose - OTHER_WEIGHT * max(0, text - prose) - LINK_WEIGHT * link_text


def find_box(root: Any, measures: Measures) -> tuple[Box | None, str]:
    """The best candidate box of a pruned page (module docstring), or None and why."""
    measures.detail(root)
    total = measures.prose.get(root, 0)
    if not total:
        return None, "no prose on the page"
    scores = {
        el: score_of(el, measures)
        for el in root.iter(*BOX_TAGS)
        if el not in measures.skip and measures.prose.get(el, 0) >= MIN_SHARE * total
    }
    if not scores:
        return None, "no box holds most of the page's prose"
    best = max(scores, key=lambda e: scores[e])
    runner = max((e for e in scores if e is not best), key=lambda e: scores[e], default=None)
    return Box(best, scores[best], runner, scores.get(runner, 0.0)), ""
