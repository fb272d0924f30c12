"""Stage 4, the extraction ladder: which of trafilatura's extractions is the article.

Contract: :func:`extract_article` takes the pruned tree (DOM rules applied, nothing else) with
the rules' hits, and returns an :class:`Article`: the article's blocks, the hits that stand
(a rung that drops a suspect rule brings its own), and notes naming each rung that changed the
answer and why. It modifies the tree it is given (strips what trafilatura always discards,
joins a split body); any other tree it needs comes from ``again``, which parses and prunes the
caller's unmodified page anew. It never returns less than trafilatura's own extraction of the
page finds when the rules are what lost it (rung 5), and never an empty article where
trafilatura's defaults find one.

Rung 0, **the container path**: when the positive rules name a trusted body container
(:func:`cleaner.article.find_container`: exactly one, holding most of the page's main text),
cleaner's own walker (:mod:`cleaner.walk`) turns it into blocks and trafilatura does not run,
unless the walk keeps less than :data:`WALK_KEEP` of the container's text. Otherwise the
page takes trafilatura's path.

Rungs of trafilatura's path, cheapest first; each runs only when the answer so far looks
wrong:

1. **precise**: trafilatura's precision mode, fast (no fallbacks), on the pruned tree stripped
   of what trafilatura always discards (:func:`cleaner.fallback.strip_discarded`). It drops the
   share, related and teaser clutter that the balanced mode keeps; on most pages it is the
   answer.
2. **fallbacks**: the same with trafilatura's readability and jusText fallbacks, when the answer
   is *short* (less than :data:`SHORT_SHARE` of the page's main text, or under
   :data:`MIN_ARTICLE` characters) or *loose* (most of its text outside ``<p>``, a layout where
   trafilatura's main pass is weakest).
3. **balanced**: when the answer is still short, trafilatura's own full extraction (its
   defaults) of the pruned tree *unstripped*: its fallbacks read the raw tree, and an unclosed
   ``<aside>`` or ``<fieldset>`` that swallowed the article is there only before the strip.
4. **joined**: a body split into sibling pieces (:func:`join_split_body`) is joined and
   extracted again (rungs 1-3).
5. **without a suspect rule**: when one rule's removal held more than :data:`SUSPECT_SHARE` of
   the page's text, or the answer is still under :data:`MIN_ARTICLE` characters: the page
   pruned without that rule, then the page unpruned, each by trafilatura's defaults.
6. **unmasked**: when the answer is still under :data:`MIN_ARTICLE` characters, the wrappers of
   most of the page's paragraph text lose their class and id (trafilatura discards any element
   whose class merely contains "share" or "comment").

What wins: a later rung replaces the answer when it found more *novel* text (blocks whose word
trigrams the answer mostly lacks) than the answer holds (:func:`found_more`); the same text cut
differently does not count. Rungs 5 and 6 replace it when they are :data:`RATIO` times longer.
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
    "Article",
    "extract_article",
    "found_more",
    "join_split_body",
]

#: An answer under this many characters is tiny: rungs 5 and 6 look for more. Also the least
#: novel text a later rung must bring (half of it, when the answer is empty).
MIN_ARTICLE = 200
#: The answer is short when it holds less than this share of the page's main text.
SHORT_SHARE = 0.5
#: A rule whose removal holds more than this share of the page's text is suspect (rung 5).
SUSPECT_SHARE = 0.5
#: Rungs 5 and 6 win when they are this many times longer than the answer, and by
#: :data:`MIN_ARTICLE` characters.
RATIO = 1.5
#: The container path needs the walk to keep at least this share of the container's main
#: text; less, and the walker's link and caption tests took the article for boilerplate.
WALK_KEEP = 0.5
#: A split body's pieces each hold at least this many characters of paragraph text.
SPLIT_MIN_PIECE = 200
#: Pieces of one split body share an ancestor at most this many levels above each of them.
SPLIT_MAX_DEPTH = 3
_WORD = re.compile(r"\w+")


@dataclass
class Article:
    """What the ladder found: the blocks, the rule hits that stand, what it did, which path
    the page took (``"container"`` or ``"trafilatura"``), and what the walker left out on the
    container path (reason, text)."""

    blocks: list[Block]
    hits: Sequence[Any]
    notes: list[str] = field(default_factory=list)
    path: str = "trafilatura"
    skipped: list[tuple[str, str]] = field(default_factory=list)


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


class _Climb:
    """Rungs 1-3 over one page: the pruned tree, stripped for rungs 1-2, and its unstripped
    twin for rung 3, built only when rung 3 runs."""

    def __init__(
        self, root: Any, url: str | None, again: Again, main: int, markup: Any = None
    ) -> None:
        self.root, self.url, self.again, self.main = root, url, again, main
        self.markup = markup
        self._own: dict[Any, int] | None = None

    @property
    def own(self) -> dict[Any, int]:
        """Characters of text in each ``<p>`` of the stripped tree."""
        if self._own is None:
            self._own = own_paragraph_text(self.root)
        return self._own

    def short(self, blocks: Sequence[Block]) -> bool:
        size = chars(blocks)
        return size < MIN_ARTICLE or size < SHORT_SHARE * self.main

    def loose(self, blocks: Sequence[Block]) -> bool:
        return sum(self.own.values()) < 0.5 * chars(blocks)

    def run(self, notes: list[str] | None, unstripped: Any = None) -> list[Block]:
        from .fallback import extract_blocks

        markup = self.markup
        blocks = extract_blocks(self.root, url=self.url, precision=True, fast=True, markup=markup)
        if not (self.short(blocks) or self.loose(blocks)):
            return blocks
        retry = extract_blocks(self.root, url=self.url, precision=True, markup=markup)
        if found_more(retry, blocks):
            blocks = retry
        if not self.short(blocks):
            return blocks
        if unstripped is None:
            unstripped, _ = self.again(frozenset())
        retry = extract_blocks(unstripped, url=self.url, markup=markup)
        if found_more(retry, blocks):
            if notes is not None:
                notes.append(
                    "safety ladder: the precise extraction was short for the page; kept "
                    f"trafilatura's balanced one ({chars(blocks)} -> {chars(retry)} characters)"
                )
            blocks = retry
        return blocks


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
) -> Article:
    """The article of a pruned page: the container path when a container is trusted, else the
    ladder's rungs (module docstring), cheapest first. ``positives`` are the matches of the
    active positive ``rules`` on the tree (:mod:`cleaner.article`); ``markup``
    (:class:`cleaner.blocks.Markup`) is what the blocks' Markdown keeps."""
    from .blocks import Markup
    from .fallback import extract_blocks, strip_discarded

    markup = markup or Markup()

    notes = [] if notes is None else notes
    measures = Measures(root)
    held = measures.main
    main = held.get(root, 0)
    walked = _container_path(root, measures, positives, rules, notes, markup, url)
    if walked is not None:
        return Article(walked[0], hits, notes, "container", walked[1])
    biggest = max(hits, key=lambda h: len(h.text)) if hits else None
    # measured before the strip, against the page's text before pruning; the hits' own text
    # is a lower bound of it: below half of that, no need to count the page.
    suspect = (
        biggest is not None
        and len(biggest.text) > SUSPECT_SHARE * sum(len(h.text) for h in hits)
        and len(biggest.text) > SUSPECT_SHARE * _page_chars(root, hits)
    )
    strip_discarded(root)
    climb = _Climb(root, url, again, main, markup)
    blocks = climb.run(notes)
    pieces = join_split_body(root, chars(blocks), climb.own)
    if pieces:
        joined = _Climb(root, url, again, main, markup).run(None, unstripped=root)
        if novel_chars(joined, blocks) > MIN_ARTICLE:
            notes.append(
                f"safety ladder: the article's body was split in {pieces} pieces; joined "
                f"them ({chars(blocks)} -> {chars(joined)} characters)"
            )
            blocks = joined

    if biggest is not None and (suspect or chars(blocks) < MIN_ARTICLE):
        retry_root, retry_hits = again(frozenset({biggest.rule}))
        retry = extract_blocks(retry_root, url=url, markup=markup)
        if _longer(retry, blocks):
            notes.append(
                f"safety ladder: kept the attempt without {biggest.rule.where} "
                f"{biggest.rule.raw} ({chars(blocks)} -> {chars(retry)} characters)"
            )
            blocks, hits = retry, retry_hits
    if chars(blocks) < MIN_ARTICLE and hits:
        raw, _ = again(None)
        retry = extract_blocks(raw, url=url, markup=markup)
        if _longer(retry, blocks):
            notes.append(
                "safety ladder: the rules' removals lost the article; kept trafilatura's "
                f"extraction of the unpruned page ({chars(blocks)} -> {chars(retry)} characters)"
            )
            blocks, hits = retry, []

    if chars(blocks) < MIN_ARTICLE:
        unmasked = _unmask_wrappers(root, url, markup)
        if unmasked is not None and _longer(unmasked, blocks):
            notes.append(
                "safety ladder: the article's wrappers carry class or id words that "
                f"extraction discards; kept the attempt without them ({chars(blocks)} -> "
                f"{chars(unmasked)} characters)"
            )
            blocks = unmasked
    return Article(blocks, hits, notes)


def _container_path(
    root: Any,
    measures: Measures,
    positives: Sequence[tuple[Any, Any]],
    rules: Sequence[Any],
    notes: list[str],
    markup: Any,
    url: str | None = None,
) -> tuple[list[Block], list[tuple[str, str]]] | None:
    """Rung 0: the trusted container walked, when the walk keeps at least :data:`WALK_KEEP`
    of its main text; None (trafilatura's path) otherwise."""
    from .article import find_container
    from .walk import walk

    held = measures.main
    container, why = find_container(positives, rules, held, root)
    if container is None:
        if positives and why:
            notes.append(f"trafilatura path: {why}")
        return None
    walked = walk(container.body, markup, measures, url)
    want = held.get(container.body, 0)
    where = f"{container.rule.where} {container.rule.raw}"
    if chars(walked.blocks) < WALK_KEEP * want:
        notes.append(
            f"trafilatura path: the walk of {where} kept {chars(walked.blocks)} of its {want} "
            "characters of text"
        )
        return None
    body = container.body
    inside = "" if body is container.element else f", walked its <{body.tag}> holding the text"
    notes.append(f"container path: {where}{inside}")
    return walked.blocks, walked.skipped


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
