"""Stage 4, the extraction ladder: which extraction of the pruned page is the article.

Contract: :func:`extract_article` takes the pruned tree (DOM rules applied, tidied and
reshaped) with the rules' hits and the page's kind (:mod:`cleaner.kinds`), and returns an
:class:`Article`: the article's blocks, the hits that stand (a step that drops a suspect rule
brings its own), which path the page took, what the walker left out, notes naming each step
that changed the answer and why, and every :class:`Attempt` the ladder made. It modifies the
tree it is given (strips what trafilatura always discards, joins a split body); any other
tree it needs comes from ``again``, which parses and prunes the caller's unmodified page
anew. It never returns less than trafilatura's own extraction of the page finds when the
rules are what lost it (``unpruned``), and never an empty article where trafilatura's
defaults find one.

**The ladder is data.** :data:`STEPS` names each step; :data:`PROFILES` gives, per kind of
page, the steps in the order they are tried: a new engineer changes the order in one place.
Each step has a trigger (it runs only when the answer so far looks wrong, or is missing) and
a judge (when its result replaces the answer). The steps:

- ``container``: the positive rules name a trusted body container
  (:func:`cleaner.article.find_container`); cleaner's own walker (:mod:`cleaner.walk`) turns
  it into blocks, unless the walk keeps less than :data:`WALK_KEEP` of its main text, or, on
  pages that are not articles, less than :data:`BOX_MIN` characters (a listing's ``<main>``
  whose cards the main-text measure does not count: a recipe index walked to its one intro
  sentence). When it succeeds it is the answer, and trafilatura does not run.
- ``box``: the candidate box (:mod:`cleaner.candidates`) walked: for the kinds of page whose
  content our walker reads better than trafilatura (forums, service pages, documentation;
  measured per kind on wcxb-dev-other), when the walk passes its checks (it keeps most of the
  box's prose, at least :data:`BOX_MIN` characters, a paragraph of :data:`BOX_PROSE`, at most
  :data:`BOX_LINKS` link text). It is the answer when it passes.

trafilatura's steps, the safety net, cheapest first (on listings, collections, products and
forums ``default``, trafilatura's defaults with its fallbacks, replaces the first three):

- ``precise``: trafilatura's precision mode, fast (no fallbacks), on the pruned tree stripped
  of what trafilatura always discards (:func:`cleaner.fallback.strip_discarded`). It drops the
  share, related and teaser clutter that the balanced mode keeps; on most pages it is the
  answer.
- ``fallbacks``: the same with trafilatura's readability and jusText fallbacks, when the
  answer is *short* (less than :data:`SHORT_SHARE` of the page's main text, or under
  :data:`MIN_ARTICLE` characters) or *loose* (most of its text outside ``<p>``).
- ``balanced``: when the answer is still short, trafilatura's own full extraction (its
  defaults) of the pruned tree *unstripped*: its fallbacks read the raw tree, and an unclosed
  ``<aside>`` or ``<fieldset>`` that swallowed the article is there only before the strip.
- ``joined``: a body split into sibling pieces (:func:`join_split_body`) is joined and
  extracted again (``precise`` to ``balanced``).
- ``without-rule``: when one rule's removal held more than :data:`SUSPECT_SHARE` of the page's
  text, or the answer is still under :data:`MIN_ARTICLE` characters: the page pruned without
  that rule, by trafilatura's defaults.
- ``unpruned``: when the answer is still under :data:`MIN_ARTICLE` characters, the page
  unpruned, by trafilatura's defaults.
- ``unmasked``: when the answer is still under :data:`MIN_ARTICLE` characters, the wrappers
  of most of the page's paragraph text lose their class and id (trafilatura discards any
  element whose class merely contains "share" or "comment").

What wins: a later trafilatura step replaces the answer when it found more *novel* text
(blocks whose word trigrams the answer mostly lacks) than the answer holds (:func:`found_more`);
the same text cut differently does not count. ``without-rule``, ``unpruned`` and ``unmasked``
replace it when they are :data:`RATIO` times longer. On pages that are not articles,
trafilatura keeps its own baseline for short results (:data:`cleaner.fallback.BASELINE_SIZE`):
there it is what finds a listing's items.

The page's *main text* (:func:`cleaner.dom.main_text`) is measured on the pruned tree before
the strip: the text of its ``<p>`` elements, or the runs of at least
:data:`cleaner.dom.PROSE_RUN` characters wherever they sit, whichever is more, so that an
article written in ``<div>`` and ``<br>`` counts too.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .dom import Measures, held_paragraph_text, own_paragraph_text
from .result import Block, chars

__all__ = [
    "PROFILES",
    "STEPS",
    "Article",
    "Attempt",
    "extract_article",
    "found_more",
    "join_split_body",
]

#: An answer under this many characters is tiny: ``without-rule``, ``unpruned`` and
#: ``unmasked`` look for more. Also the least novel text a later step must bring (half of
#: it, when the answer is empty).
MIN_ARTICLE = 200
#: The answer is short when it holds less than this share of the page's main text.
SHORT_SHARE = 0.5
#: A rule whose removal holds more than this share of the page's text is suspect.
SUSPECT_SHARE = 0.5
#: ``without-rule``, ``unpruned`` and ``unmasked`` win when they are this many times longer
#: than the answer, and by :data:`MIN_ARTICLE` characters.
RATIO = 1.5
#: The container and box steps need the walk to keep at least this share of what they hold
#: of the page's main text; less, and the walker's link and caption tests took the article
#: for boilerplate.
WALK_KEEP = 0.5
#: The box step needs the walk to hold at least this many characters (and so does the
#: container step on pages that are not articles)...
BOX_MIN = 200
#: ... and a paragraph of prose at least this long (a page of labels and links is no article)...
BOX_PROSE = 120
#: ... and the box at most this share of link text.
BOX_LINKS = 0.3
#: A split body's pieces each hold at least this many characters of paragraph text.
SPLIT_MIN_PIECE = 200
#: Pieces of one split body share an ancestor at most this many levels above each of them.
SPLIT_MAX_DEPTH = 3
_WORD = re.compile(r"\w+")

#: trafilatura's steps, in their order: the safety net of every profile.
_TRAFILATURA = (
    "precise", "fallbacks", "balanced", "joined", "without-rule", "unpruned", "unmasked"
)
#: Per kind of page, the steps in the order they are tried. Measured on the dev sets (word
#: F1 of the pages without a trusted container, cleaner's kinds): the box beat trafilatura's
#: steps on forums (+0.03), service pages (+0.07) and documentation (+0.002) and lost on
#: articles (-0.02 on wcxb-dev, -0.10 on scrapinghub), listings, collections and products;
#: on forums the box also beat the container (+0.07 on the pages with one), whose narrowing
#: leaves out posts. trafilatura's defaults first, rather than its precision mode, gained on
#: listings (+0.03), products (+0.01), collections (+0.003) and forums (+0.04), and lost on
#: service pages (-0.01) and articles.
PROFILES: dict[str, tuple[str, ...]] = {
    "article": ("container", *_TRAFILATURA),
    "forum": ("box", "container", "default", *_TRAFILATURA[3:]),
    "service": ("container", "box", *_TRAFILATURA),
    "documentation": ("container", "box", *_TRAFILATURA),
    "listing": ("container", "default", *_TRAFILATURA[3:]),
    "collection": ("container", "default", *_TRAFILATURA[3:]),
    "product": ("container", "default", *_TRAFILATURA[3:]),
}


@dataclass(frozen=True)
class Attempt:
    """One step that ran: its name, why it ran (its trigger), the characters it found, and
    whether its result became the answer (and why it did not, when it failed a check)."""

    step: str
    why: str
    found: int
    won: bool
    failed: str = ""

    def __str__(self) -> str:
        verdict = "kept" if self.won else (self.failed or "not kept")
        return f"{self.step} ({self.why}): {self.found} characters, {verdict}"


@dataclass
class Article:
    """What the ladder found: the blocks, the rule hits that stand, what it did, which path
    the page took (``"container"``, ``"box"`` or ``"trafilatura"``), what the walker left out
    on the walked paths (reason, text), and every attempt it made."""

    blocks: list[Block]
    hits: Sequence[Any]
    notes: list[str] = field(default_factory=list)
    path: str = "trafilatura"
    skipped: list[tuple[str, str]] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    #: what was taken as the article, in words (for what lies outside it)
    where: str = "trafilatura's extraction"


#: ``again(skip)``: the caller's page parsed anew and pruned without the rules in ``skip``
#: (``None``: not pruned at all), as ``(root, hits)``.
Again = Callable[[frozenset[Any] | None], tuple[Any, Sequence[Any]]]


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.casefold())
    if len(words) < 3:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def novel_chars(blocks: Sequence[Block], known: Sequence[Block]) -> int:
    """Characters of the blocks whose words mostly do not appear in ``known``: text that one
    extraction found and the other did not, as opposed to the same text cut differently."""
    seen: set[tuple[str, ...]] = set()
    for b in known:
        seen |= _trigrams(b.text)
    novel = 0
    for b in blocks:
        grams = _trigrams(b.text)
        if grams and len(grams - seen) > 0.5 * len(grams):
            novel += len(b.text)
    return novel


def found_more(new: Sequence[Block], answer: Sequence[Block]) -> bool:
    """Whether ``new`` found more novel text than ``answer`` holds (and at least half of
    :data:`MIN_ARTICLE` characters, unless that is twice what the answer holds: a short page's
    only sentence counts).

    >>> old = [Block("A short notice about cookies on this site.")]
    >>> found_more(old + [Block("A long paragraph of the article " * 8)], old)
    True
    >>> found_more([Block("A SHORT NOTICE ABOUT COOKIES ON THIS SITE. Read more")] * 3, old)
    False
    """
    size = chars(answer)
    novel = novel_chars(new, answer)
    return novel > max(size, MIN_ARTICLE // 2) or novel > 2 * size


def _longer(new: Sequence[Block], answer: Sequence[Block]) -> bool:
    return chars(new) > RATIO * chars(answer) + MIN_ARTICLE


def join_split_body(root: Any, extracted: int, own: dict[Any, int] | None = None) -> int:
    """Join an article body that the page splits into sibling pieces, and return the number of
    pieces joined (0: none found). Pages that interleave ads or promos with the text repeat the
    body's wrapper (``<div class="article-body">`` ... ad ... ``<div class="article-body">``);
    trafilatura takes the first wrapper it finds and loses the rest. The pieces are elements
    with the same tag and class, none inside another, close kin (:func:`_pieces_of_one_body`),
    that together hold most of the page's paragraph text and much more than was extracted;
    their children move into the first."""
    if own is None:
        own = own_paragraph_text(root)
    if sum(own.values()) < RATIO * extracted + MIN_ARTICLE:
        return 0  # the page's paragraphs hold too little beyond what was extracted
    held, total = held_paragraph_text(root, own)
    groups: dict[tuple[str, str], list[Any]] = {}
    for el, n in held.items():
        cls = el.get("class")
        if n >= SPLIT_MIN_PIECE and cls and el.tag not in ("html", "body"):
            groups.setdefault((el.tag, " ".join(cls.split())), []).append(el)
    best: list[Any] = []
    for members in groups.values():
        if len(members) < 2:
            continue
        group_chars = sum(held[el] for el in members)
        if group_chars < 0.5 * total or group_chars < RATIO * extracted + MIN_ARTICLE:
            continue
        if not _pieces_of_one_body(members):
            continue
        if group_chars > sum(held[el] for el in best):
            best = members
    if not best:
        return 0
    from .dom import remove

    order = {el: i for i, el in enumerate(root.iter())}
    first, *rest = sorted(best, key=lambda el: order[el])
    for piece in rest:
        if piece.text and piece.text.strip():
            marker = first.makeelement("p", {})
            marker.text = piece.text
            first.append(marker)
        for child in list(piece):
            first.append(child)
        remove(piece)
    return len(best)


def _pieces_of_one_body(members: Sequence[Any]) -> bool:
    """Whether same-class elements are pieces of one body rather than separate articles (an
    archive page, or the next story that an endless-scroll page renders below): none inside
    another, all in the same ``<article>`` (or none), and near kin in the tree."""
    chains = [list(m.iterancestors()) for m in members]
    if any(a in chain for chain in chains for a in members):
        return False
    articles = {next((a for a in chain if a.tag == "article"), None) for chain in chains}
    if len(articles) > 1:
        return False
    others = [set(chain) for chain in chains[1:]]
    common = next((a for a in chains[0] if all(a in other for other in others)), None)
    if common is None:
        return False
    return all(chain.index(common) < SPLIT_MAX_DEPTH for chain in chains)


class _Ladder:
    """What the steps read and change: the page, the answer so far and the attempts."""

    def __init__(
        self,
        root: Any,
        hits: Sequence[Any],
        *,
        url: str | None,
        again: Again,
        notes: list[str],
        positives: Sequence[tuple[Any, Any]],
        rules: Sequence[Any],
        markup: Any,
        kind: str,
    ) -> None:
        self.root, self.hits, self.url, self.again = root, hits, url, again
        self.notes, self.positives, self.rules, self.markup = notes, positives, rules, markup
        self.kind = kind
        #: trafilatura falls back on its baseline below its own size on pages not articles
        self.baseline = kind != "article"
        self.measures = Measures(root, article=kind == "article")
        self.main = self.measures.main.get(root, 0)
        self.blocks: list[Block] | None = None  # the answer so far
        self.path = "trafilatura"
        self.skipped: list[tuple[str, str]] = []
        self.attempts: list[Attempt] = []
        self.done = False  # a walked path gave the answer: no later step runs
        self.where = "trafilatura's extraction"
        self._suspect: Any = False
        self._own: dict[Any, int] | None = None
        self.stripped = False

    # -- what the triggers read -------------------------------------------------------------

    @property
    def answer(self) -> list[Block]:
        return self.blocks if self.blocks is not None else []

    def short(self, blocks: Sequence[Block]) -> bool:
        size = chars(blocks)
        return size < MIN_ARTICLE or size < SHORT_SHARE * self.main

    def loose(self, blocks: Sequence[Block]) -> bool:
        """Most of the answer's text outside ``<p>`` of the stripped tree."""
        return sum(self.own.values()) < 0.5 * chars(blocks)

    @property
    def own(self) -> dict[Any, int]:
        """Characters of text in each ``<p>`` of the stripped tree."""
        if self._own is None:
            self._own = own_paragraph_text(self.root)
        return self._own

    def strip(self) -> None:
        """Strip what trafilatura always discards (once), after measuring what a suspect rule
        held against the page's text before the strip."""
        if self.stripped:
            return
        from .fallback import strip_discarded

        hits = self.hits
        biggest = max(hits, key=lambda h: len(h.text)) if hits else None
        # measured against the page's text before pruning; the hits' own text is a lower
        # bound of it: below half of that, no need to count the page
        self._suspect = (
            biggest is not None
            and len(biggest.text) > SUSPECT_SHARE * sum(len(h.text) for h in hits)
            and len(biggest.text) > SUSPECT_SHARE * _page_chars(self.root, hits)
        )
        strip_discarded(self.root)
        self.stripped = True

    def extract(self, tree: Any, *, precision: bool = False, fast: bool = False) -> list[Block]:
        from .fallback import extract_blocks

        return extract_blocks(
            tree, url=self.url, precision=precision, fast=fast, markup=self.markup,
            baseline=self.baseline,
        )

    def tried(self, step: str, why: str, blocks: Sequence[Block], won: bool, failed: str = ""
              ) -> None:
        self.attempts.append(Attempt(step, why, chars(blocks), won, failed))
        if won:
            self.blocks = list(blocks)
            self.where = f"trafilatura's extraction ({step})"


#: A step: runs when its trigger holds (recording an :class:`Attempt`), and may change the
#: answer; the ladder's state is :class:`_Ladder`.
Step = Callable[[_Ladder], None]


def _step_container(lad: _Ladder) -> None:
    """The trusted container walked (module docstring)."""
    from .article import find_container
    from .candidates import describe
    from .walk import walk

    held = lad.measures.main
    container, why = find_container(lad.positives, lad.rules, held, lad.root)
    if container is None:
        if lad.positives and why:
            lad.notes.append(f"trafilatura path: {why}")
        return
    walked = walk(container.body, lad.markup, lad.measures, lad.url, kind=lad.kind)
    want = held.get(container.body, 0)
    where = f"{container.rule.where} {container.rule.raw}"
    got = chars(walked.blocks)
    failed = ""
    if got < WALK_KEEP * want:
        failed = f"the walk of {where} kept {got} of its {want} characters of text"
    elif lad.kind != "article" and got < BOX_MIN:
        failed = f"the walk of {where} kept only {got} characters"
    if failed:
        lad.notes.append(f"trafilatura path: {failed}")
        lad.tried("container", where, walked.blocks, False, failed)
        return
    body = container.body
    inside = "" if body is container.element else f", walked its <{body.tag}> holding the text"
    lad.notes.append(f"container path: {where}{inside}")
    lad.tried("container", where, walked.blocks, True)
    lad.path, lad.skipped, lad.done = "container", walked.skipped, True
    lad.where = f"the container {describe(body)} ({where})"


def _step_box(lad: _Ladder) -> None:
    """The candidate box walked, when the walk passes its checks (module docstring)."""
    from .candidates import describe, find_box
    from .walk import walk

    measures = lad.measures
    box, why = find_box(lad.root, measures)
    if box is None:
        lad.notes.append(f"trafilatura path: {why}")
        return
    blocks: list[Block] = []
    skipped: list[tuple[str, str]] = []
    for part in box.parts:
        walked = walk(part, lad.markup, measures, lad.url, kind=lad.kind)
        blocks += walked.blocks
        skipped += walked.skipped
    got = chars(blocks)
    prose = sum(measures.prose.get(part, 0) for part in box.parts)
    others = len(box.parts) - 1
    page = measures.prose.get(lad.root, 0) or 1
    where = (
        f"{describe(box.element)}{f' and {others} beside it' if others else ''} (holds "
        f"{prose / page:.0%} of the page's prose; score {box.score:.0f}; runner-up "
        f"{describe(box.runner_up)} {box.runner_up_score:.0f})"
    )
    text, _, link_text = measures.stats.get(box.element, (0, 0, 0))
    failed = ""
    if got < WALK_KEEP * prose:
        failed = f"the walk of {where} kept {got} of its {prose} characters of prose"
    elif got < BOX_MIN:
        failed = f"the walk of {where} kept only {got} characters"
    elif not any(len(b.text) >= BOX_PROSE for b in blocks):
        failed = f"the walk of {where} holds no paragraph of prose"
    elif link_text > BOX_LINKS * max(1, text):
        failed = f"{where} is {link_text / max(1, text):.0%} link text"
    if failed:
        lad.notes.append(f"trafilatura path: {failed}")
        lad.tried("box", f"a {lad.kind} page", blocks, False, failed)
        return
    lad.notes.append(f"box path: {where}")
    lad.tried("box", f"a {lad.kind} page", blocks, True)
    lad.path, lad.skipped, lad.done = "box", skipped, True
    lad.where = f"the box {where}"


def _step_precise(lad: _Ladder) -> None:
    """trafilatura's precision mode, fast, on the stripped tree."""
    lad.strip()
    lad.tried("precise", "no walked path", lad.extract(lad.root, precision=True, fast=True), True)


def _step_default(lad: _Ladder) -> None:
    """trafilatura's defaults (balanced, with its fallbacks) on the pruned tree, as the
    answer: where precision costs more than it saves (pages that are not articles)."""
    if lad.blocks is not None:
        return
    lad.tried("default", "no walked path", lad.extract(lad.root), True)


def _step_fallbacks(lad: _Ladder) -> None:
    """The same with trafilatura's fallbacks, when the answer is short or loose."""
    answer = lad.answer
    why = "short" if lad.short(answer) else "loose" if lad.loose(answer) else ""
    if not why:
        return
    retry = lad.extract(lad.root, precision=True)
    lad.tried("fallbacks", f"the answer is {why}", retry, found_more(retry, answer))


def _step_balanced(lad: _Ladder) -> None:
    """trafilatura's defaults on the pruned tree unstripped, when the answer is still short."""
    answer = lad.answer
    if not lad.short(answer):
        return
    unstripped, _ = lad.again(frozenset())
    retry = lad.extract(unstripped)
    won = found_more(retry, answer)
    if won:
        lad.notes.append(
            "safety ladder: the precise extraction was short for the page; kept "
            f"trafilatura's balanced one ({chars(answer)} -> {chars(retry)} characters)"
        )
    lad.tried("balanced", "the answer is short", retry, won)


def _step_joined(lad: _Ladder) -> None:
    """A body split into sibling pieces, joined and extracted again."""
    answer = lad.answer
    lad._own = None  # the paragraphs are counted on the tree as it is now
    pieces = join_split_body(lad.root, chars(answer), lad.own)
    if not pieces:
        return
    lad._own = None
    joined = lad.extract(lad.root, precision=True, fast=True)
    if lad.short(joined) or lad.loose(joined):
        retry = lad.extract(lad.root, precision=True)
        if found_more(retry, joined):
            joined = retry
        if lad.short(joined):
            retry = lad.extract(lad.root)
            if found_more(retry, joined):
                joined = retry
    won = novel_chars(joined, answer) > MIN_ARTICLE
    if won:
        lad.notes.append(
            f"safety ladder: the article's body was split in {pieces} pieces; joined "
            f"them ({chars(answer)} -> {chars(joined)} characters)"
        )
    lad.tried("joined", f"a body split in {pieces} pieces", joined, won)


def _step_without_rule(lad: _Ladder) -> None:
    """The page pruned without its suspect rule, by trafilatura's defaults."""
    answer, hits = lad.answer, lad.hits
    biggest = max(hits, key=lambda h: len(h.text)) if hits else None
    if biggest is None or not (lad._suspect or chars(answer) < MIN_ARTICLE):
        return
    retry_root, retry_hits = lad.again(frozenset({biggest.rule}))
    retry = lad.extract(retry_root)
    won = _longer(retry, answer)
    rule = f"{biggest.rule.where} {biggest.rule.raw}"
    if won:
        lad.notes.append(
            f"safety ladder: kept the attempt without {rule} ({chars(answer)} -> "
            f"{chars(retry)} characters)"
        )
        lad.hits = retry_hits
    why = "its removal held most of the page" if lad._suspect else "the answer is tiny"
    lad.tried("without-rule", f"{rule}: {why}", retry, won)


def _step_unpruned(lad: _Ladder) -> None:
    """The page unpruned, by trafilatura's defaults, when the answer is still tiny."""
    answer = lad.answer
    if chars(answer) >= MIN_ARTICLE or not lad.hits:
        return
    raw, _ = lad.again(None)
    retry = lad.extract(raw)
    won = _longer(retry, answer)
    if won:
        lad.notes.append(
            "safety ladder: the rules' removals lost the article; kept trafilatura's "
            f"extraction of the unpruned page ({chars(answer)} -> {chars(retry)} characters)"
        )
        lad.hits = []
    lad.tried("unpruned", "the answer is tiny", retry, won)


def _step_unmasked(lad: _Ladder) -> None:
    """The wrappers of most of the paragraphs without class and id, when still tiny."""
    answer = lad.answer
    if chars(answer) >= MIN_ARTICLE:
        return
    unmasked = _unmask_wrappers(lad.root, lad.url, lad.markup)
    if unmasked is None:
        return
    won = _longer(unmasked, answer)
    if won:
        lad.notes.append(
            "safety ladder: the article's wrappers carry class or id words that "
            f"extraction discards; kept the attempt without them ({chars(answer)} -> "
            f"{chars(unmasked)} characters)"
        )
    lad.tried("unmasked", "the answer is tiny", unmasked, won)


#: Every step by its name (module docstring); :data:`PROFILES` orders them per kind of page.
STEPS: dict[str, Step] = {
    "container": _step_container,
    "box": _step_box,
    "precise": _step_precise,
    "default": _step_default,
    "fallbacks": _step_fallbacks,
    "balanced": _step_balanced,
    "joined": _step_joined,
    "without-rule": _step_without_rule,
    "unpruned": _step_unpruned,
    "unmasked": _step_unmasked,
}


def extract_article(
    root: Any,
    hits: Sequence[Any],
    *,
    url: str | None,
    again: Again,
    notes: list[str] | None = None,
    positives: Sequence[tuple[Any, Any]] = (),
    rules: Sequence[Any] = (),
    markup: Any = None,
    kind: str = "article",
) -> Article:
    """The article of a pruned page: the steps of the kind's profile (:data:`PROFILES`), in
    order (module docstring). ``positives`` are the matches of the active positive ``rules`` on
    the tree (:mod:`cleaner.article`); ``markup`` (:class:`cleaner.blocks.Markup`) is what the
    blocks' Markdown keeps; ``kind`` the page's kind (:mod:`cleaner.kinds`)."""
    from .blocks import Markup

    lad = _Ladder(
        root, hits, url=url, again=again, notes=[] if notes is None else notes,
        positives=positives, rules=rules, markup=markup or Markup(), kind=kind,
    )
    for name in PROFILES.get(kind, PROFILES["article"]):
        STEPS[name](lad)
        if lad.done:
            break
    return Article(
        lad.answer, lad.hits, lad.notes, lad.path, lad.skipped, lad.attempts, lad.where
    )


def _page_chars(root: Any, hits: Sequence[Any]) -> int:
    """The page's text before pruning: what is left plus what the hits took."""
    return max(
        1,
        len(" ".join(" ".join(root.itertext()).split()))
        + sum(len(" ".join(" ".join(h.element.itertext()).split())) for h in hits),
    )


def _unmask_wrappers(root: Any, url: str | None, markup: Any) -> list[Block] | None:
    """Extract again with class and id removed from the elements that hold most of the page's
    paragraph text. trafilatura discards any element whose class or id merely contains words
    like "share" or "comment" (``<div class="share-story">`` holding the whole post); a wrapper
    of most of the text is never such a widget."""
    from .fallback import extract_blocks

    held, total = held_paragraph_text(root)
    if total < MIN_ARTICLE:
        return None
    wrappers = [el for el, n in held.items() if n >= 0.5 * total and el.tag not in ("html", "body")]
    if not any(el.get("class") or el.get("id") for el in wrappers):
        return None
    copy_root = copy.deepcopy(root)
    index = {el: i for i, el in enumerate(root.iter())}
    targets = {index[el] for el in wrappers}
    for i, el in enumerate(copy_root.iter()):
        if i in targets:
            for attr in ("class", "id"):
                if attr in el.attrib:
                    del el.attrib[attr]
    return extract_blocks(copy_root, url=url, precision=True, markup=markup) or extract_blocks(
        copy_root, url=url, markup=markup
    )
