"""The pipeline: named stages in order, and the safety ladder around them.

HTML:  decode -> parse -> prune (DOM rules) -> extract (trafilatura, the extraction ladder;
       a split body joined) -> settle title (repeated or reworded title, date lines) ->
       revise (text rules, a comment label left at the end).
Text:  decode -> split into blocks -> revise (text rules, trailing comment label) -> split
       title -> repeated title, date lines.

Each stage lives in its own module and states its contract there; this module only orders
them and decides, when rules or extraction seem to have lost the article, which attempt to
keep.
"""

from __future__ import annotations

import copy
import re
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import CleanerError, ExtractionError
from .inputs import DEFAULT_MAX_BYTES, DEFAULT_MAX_ELEMENTS, Source, to_page
from .result import Block, BlockKind, CleanResult, Removal
from .ruleset import RuleSet, rules_from

if TYPE_CHECKING:
    from .extract import Markup

__all__ = ["Cleaner", "clean"]

#: Hits whose element contains one of these are never removed: a rule hit the article wrapper.
_PROTECT_XPATH = (
    ".//h1 | .//*[@itemprop='articleBody'] | .//*[contains(concat(' ', normalize-space(@class),"
    " ' '), ' entry-content ') or contains(concat(' ', normalize-space(@class), ' '),"
    " ' post-content ') or contains(concat(' ', normalize-space(@class), ' '), ' article-body ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' post-body ')]"
)
#: When the largest removal holds more than this share of the page's text, compare with an
#: attempt without that rule.
_SUSPECT_SHARE = 0.5
#: The comparison attempt wins when it is this much longer (ratio, and characters).
_LADDER_RATIO = 1.5
_LADDER_MIN_GAIN = 200
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|»|/)\s+")
#: An extraction is short for the page (and the extraction ladder climbs a step) when it holds
#: less than this share of the text in the page's paragraphs, or under ``_LADDER_MIN_GAIN``
#: characters.
_PRECISION_CHECK_SHARE = 0.3
_WORD = re.compile(r"\w+")


def _page_chars(root: Any, hits: Sequence[Any]) -> int:
    """The page's text before pruning: what is left plus what the hits took."""
    return max(
        1,
        len(" ".join(" ".join(root.itertext()).split()))
        + sum(len(" ".join(" ".join(h.element.itertext()).split())) for h in hits),
    )


def _chars(blocks: Sequence[Block]) -> int:
    return sum(len(b.text) for b in blocks)


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.casefold())
    if len(words) < 3:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def _novel_chars(blocks: Sequence[Block], known: Sequence[Block]) -> int:
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


def _own_paragraph_text(root: Any) -> dict[Any, int]:
    """Characters of text in each ``<p>``."""
    return {p: len(" ".join("".join(p.itertext()).split())) for p in root.iter("p")}


def _held_paragraph_text(
    root: Any, own: dict[Any, int] | None = None
) -> tuple[dict[Any, int], int]:
    """Characters of ``<p>`` text inside each element (its own text not counted for a ``<p>``),
    and in the whole page. One pass from the leaves up, so a deeply nested page costs no more
    than a flat one."""
    if own is None:
        own = _own_paragraph_text(root)
    held: dict[Any, int] = {}
    for el in reversed(list(root.iter())):
        n = 0
        for child in el:
            n += own.get(child, 0) + held.get(child, 0)
        if n:
            held[el] = n
    return held, sum(own.values())


#: A split body's pieces each hold at least this many characters of paragraph text.
_SPLIT_MIN_PIECE = 200


def _join_split_body(root: Any, extracted: int, own: dict[Any, int] | None = None) -> int:
    """Join an article body that the page splits into sibling pieces, and return the number of
    pieces joined (0: none found). Pages that interleave ads or promos with the text repeat the
    body's wrapper (``<div class="article-body">`` ... ad ... ``<div class="article-body">``);
    trafilatura takes the first wrapper it finds and loses the rest. The pieces are elements
    with the same tag and class, none inside another, close kin (:func:`_pieces_of_one_body`),
    that together hold most of the page's paragraph text and much more than was extracted;
    their children move into the first."""
    if own is None:
        own = _own_paragraph_text(root)
    if sum(own.values()) < _LADDER_RATIO * extracted + _LADDER_MIN_GAIN:
        return 0  # the page's paragraphs hold too little beyond what was extracted
    held, total = _held_paragraph_text(root, own)
    groups: dict[tuple[str, str], list[Any]] = {}
    for el, n in held.items():
        cls = el.get("class")
        if n >= _SPLIT_MIN_PIECE and cls and el.tag not in ("html", "body"):
            groups.setdefault((el.tag, " ".join(cls.split())), []).append(el)
    best: list[Any] = []
    for members in groups.values():
        if len(members) < 2:
            continue
        group_chars = sum(held[el] for el in members)
        if group_chars < 0.5 * total or group_chars < _LADDER_RATIO * extracted + _LADDER_MIN_GAIN:
            continue
        if not _pieces_of_one_body(members):
            continue
        if group_chars > sum(held[el] for el in best):
            best = members
    if not best:
        return 0
    order = {el: i for i, el in enumerate(root.iter())}
    first, *rest = sorted(best, key=lambda el: order[el])
    for piece in rest:
        if piece.text and piece.text.strip():
            marker = first.makeelement("p", {})
            marker.text = piece.text
            first.append(marker)
        for child in list(piece):
            first.append(child)
        from .prune import remove

        remove(piece)
    return len(best)


#: Pieces of one split body share an ancestor at most this many levels above each of them.
_SPLIT_MAX_DEPTH = 3


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
    return all(chain.index(common) < _SPLIT_MAX_DEPTH for chain in chains)


class _Page:
    """What the extraction ladder measures of a page, computed at most once."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self._own: dict[Any, int] | None = None

    @property
    def own(self) -> dict[Any, int]:
        """Characters of text in each ``<p>``."""
        if self._own is None:
            self._own = _own_paragraph_text(self.root)
        return self._own

    @property
    def paragraphs(self) -> int:
        return sum(self.own.values())

    def short(self, blocks: Sequence[Block]) -> bool:
        """The extraction holds little text for the page."""
        size = _chars(blocks)
        return size < _LADDER_MIN_GAIN or size < _PRECISION_CHECK_SHARE * self.paragraphs

    def loose(self, blocks: Sequence[Block]) -> bool:
        """Most of the extracted text sits outside ``<p>``: a layout (text runs in ``<div>``,
        ``<br>`` between them) where trafilatura's main pass is weakest."""
        return self.paragraphs < 0.5 * _chars(blocks)


def _extract(
    root: Any,
    page: str | None,
    notes: list[str] | None = None,
    measure: _Page | None = None,
    *,
    markup: Markup | None = None,
) -> list[Block]:
    """Extraction, cheapest first, each step taken only when the one before looks wrong:

    1. trafilatura's precision mode, fast (no comparison with its readability and jusText
       fallbacks). It drops the share, related and teaser clutter that the balanced mode keeps,
       and on most pages it is the answer.
    2. the same with trafilatura's fallbacks, when step 1 is short for the page or the page
       keeps its text outside ``<p>``: the fallbacks rescue what the main pass misreads.
    3. the balanced mode, when the text is still short: precision now and then settles on a
       wrong, tiny container.

    A later step wins when it found more new text (by word trigrams) than the earlier one
    holds in all (and 100 characters, unless that is twice what the earlier one holds: a short
    page's only sentence counts); the same text cut differently does not count."""
    from .extract import Markup, extract_blocks

    markup = markup or Markup()
    measure = measure or _Page(root)
    blocks = extract_blocks(root, url=page, precision=True, fast=True, markup=markup)
    if not (measure.short(blocks) or measure.loose(blocks)):
        return blocks
    for precision in (True, False):
        retry = extract_blocks(root, url=page, precision=precision, markup=markup)
        size = _chars(blocks)
        novel = _novel_chars(retry, blocks)
        if novel > max(size, _LADDER_MIN_GAIN // 2) or novel > 2 * size:
            if notes is not None and not precision:
                notes.append(
                    f"safety ladder: the precise extraction lost text; kept the balanced one "
                    f"({size} -> {_chars(retry)} characters)"
                )
            blocks = retry
        if not measure.short(blocks):
            break
    return blocks


class Cleaner:
    """A reusable cleaner: rules compiled once, safe to share between threads.

    >>> from cleaner import Cleaner
    >>> c = Cleaner()
    >>> res = c.clean("My Title\\n\\nFirst paragraph of the post.\\n\\nLeave a Reply\\n\\nName")
    >>> res.title, res.text
    ('My Title', 'First paragraph of the post.')

    ``max_bytes`` (default 20,000,000) bounds ``str``/``bytes`` input (characters for ``str``),
    response bodies and gzip data once unpacked; ``max_elements`` (default 100,000) bounds the
    parsed tree. Over a limit, :meth:`clean` raises :class:`~cleaner.errors.InputTooLarge`
    naming the size and the limit; ``None`` lifts a limit. Hostile input ends in a result or
    a :class:`~cleaner.errors.CleanerError` (see :mod:`cleaner.inputs`): anything else that
    goes wrong while cleaning a page is raised as :class:`~cleaner.errors.ExtractionError`,
    with the page's URL and the original exception chained.

    ``formatting``, ``links`` and ``images`` (all off, as in trafilatura) add emphasis, links
    and images to the blocks' Markdown (:attr:`Block.md <cleaner.result.Block>`; heading
    levels, lists, tables, code blocks and inline code are always there). They never change
    the text: trafilatura extracts some pages differently with them, so each extraction runs
    twice and keeps the plain one's text (see :func:`cleaner.extract.extract_blocks`), which
    makes cleaning with any of them about 1.5 times slower.
    """

    def __init__(
        self,
        rules: Sequence[str | Path] | RuleSet | None = None,
        *,
        builtin: bool = True,
        max_bytes: int | None = DEFAULT_MAX_BYTES,
        max_elements: int | None = DEFAULT_MAX_ELEMENTS,
        formatting: bool = False,
        links: bool = False,
        images: bool = False,
    ) -> None:
        from .extract import Markup

        self.max_bytes = max_bytes
        self.max_elements = max_elements
        self.markup = Markup(formatting=formatting, links=links, images=images)
        if isinstance(rules, RuleSet):
            from .ruleset import builtin_rules

            self.rules = builtin_rules() + rules if builtin else rules
        elif builtin:
            self.rules = rules_from(rules)
        else:
            self.rules = RuleSet.load(rules or ())
        self._lock = threading.Lock()
        #: Without per-domain rules every host has the same active rules: one matcher pair.
        self._per_host = any(r.domains or r.not_domains for r in self.rules.rules)
        self._by_host: dict[str | None, tuple[Any, Any]] = {}
        self._by_rules: dict[tuple[Any, Any], tuple[Any, Any]] = {}

    def _matchers(self, host: str | None) -> tuple[Any, Any]:
        key = host if self._per_host else None
        found = self._by_host.get(key)
        if found is not None:
            return found
        from .prune import DomMatcher
        from .revise import TextMatcher

        active = self.rules.select(key)
        with self._lock:
            # hosts with the same active rules share their compiled matchers
            found = self._by_rules.get(active)
            if found is None:
                found = (DomMatcher(active[0]), TextMatcher(active[1]))
                if len(self._by_rules) > 256:  # bound memory on crawls of many hosts
                    self._by_rules.clear()
                self._by_rules[active] = found
            if len(self._by_host) > 4096:
                self._by_host.clear()
            self._by_host[key] = found
        return found

    # -- entry points -------------------------------------------------------------------

    def clean(self, source: Source, *, url: str | None = None) -> CleanResult:
        """Clean one page: HTML or flattened text (``str`` or ``bytes``), a BeautifulSoup
        document or tag, an lxml element or tree, or a response (``.body``/``.content`` and
        ``.url``). The caller's object is never modified (see :mod:`cleaner.inputs`).
        Raises only :class:`~cleaner.errors.CleanerError` (and ``KeyboardInterrupt`` /
        ``SystemExit``)."""
        try:
            return self._clean(source, url)
        except CleanerError:
            raise
        except Exception as exc:  # the last line: one bad page must not crash a crawl
            page = url or getattr(source, "url", None)
            where = f"{page}: " if isinstance(page, str) and page else ""
            detail = " ".join(str(exc).split())[:200]
            raise ExtractionError(
                f"{where}cleaning failed: {type(exc).__name__}" + (f": {detail}" if detail else "")
            ) from exc

    def _clean(self, source: Source, url: str | None) -> CleanResult:
        limits = {"max_bytes": self.max_bytes, "max_elements": self.max_elements}
        page = to_page(source, url=url, **limits)
        if page.text is not None:
            return self._clean_text(page.text, url=page.url)
        # The safety ladder rarely needs the unpruned page: it builds it again from the
        # caller's (unmodified) source instead of every page paying for a copy up front.
        return self._clean_tree(
            page.tree, url=page.url, fresh=lambda: to_page(source, url=url, **limits).tree
        )

    # -- text ---------------------------------------------------------------------------

    def _clean_text(self, text: str, *, url: str | None) -> CleanResult:
        from .parse import host_of
        from .revise import drop_datelines, drop_title_repeats, drop_trailing_labels, split_title

        _, textm = self._matchers(host_of(url))
        blocks = [Block(" ".join(line.split())) for line in text.splitlines() if line.strip()]
        kept, removed, notes = self._revise(textm, blocks)
        kept, labels = drop_trailing_labels(kept)
        removed += labels
        title, kept = split_title(kept)
        kept, repeats = drop_title_repeats(kept, title)
        kept, datelines = drop_datelines(kept)
        repeats += datelines
        return CleanResult(
            title=title,
            blocks=tuple(kept),
            url=url,
            removed=tuple(repeats + removed),
            input_kind="text",
            notes=tuple(notes),
        )

    # -- html ---------------------------------------------------------------------------

    def _clean_tree(self, root: Any, *, url: str | None, fresh: Callable[[], Any]) -> CleanResult:
        """Clean a parsed page. ``fresh()`` gives the same page unpruned again: the safety
        ladder calls it when it needs the unpruned page (rarely), instead of copying every
        tree before pruning."""
        from .extract import extract_metadata, strip_discarded
        from .parse import host_of, page_url
        from .prune import prune
        from .revise import drop_trailing_labels

        page = url or page_url(root)
        dom, textm = self._matchers(host_of(page))
        meta = extract_metadata(root, url=page)
        matches = dom.match(root)
        notes: list[str] = []
        hits = prune(matches, protect=_PROTECT_XPATH, notes=notes)
        biggest = max(hits, key=lambda h: len(h.text)) if hits else None
        # measured before trafilatura's discards go: against the whole page's text. The hits'
        # own text is a lower bound of it: below half of that, no need to count the page.
        suspect = (
            biggest is not None
            and len(biggest.text) > _SUSPECT_SHARE * sum(len(h.text) for h in hits)
            and len(biggest.text) > _SUSPECT_SHARE * _page_chars(root, hits)
        )
        strip_discarded(root)
        measure = _Page(root)
        blocks = _extract(root, page, notes, measure, markup=self.markup)
        pieces = _join_split_body(root, _chars(blocks), measure.own)
        if pieces:
            joined = _extract(root, page, markup=self.markup)
            if _novel_chars(joined, blocks) > _LADDER_MIN_GAIN:
                notes.append(
                    f"safety ladder: the article's body was split in {pieces} pieces; joined "
                    f"them ({_chars(blocks)} -> {_chars(joined)} characters)"
                )
                blocks = joined

        if biggest is not None and (suspect or _chars(blocks) < _LADDER_MIN_GAIN):
            retry_root = fresh()
            retry_hits = prune(
                dom.match(retry_root), protect=_PROTECT_XPATH, skip=frozenset({biggest.rule})
            )
            strip_discarded(retry_root)
            retry = _extract(retry_root, page, markup=self.markup)
            if _chars(retry) > _LADDER_RATIO * _chars(blocks) + _LADDER_MIN_GAIN:
                notes.append(
                    f"safety ladder: kept the attempt without {biggest.rule.where} "
                    f"{biggest.rule.raw} ({_chars(blocks)} -> {_chars(retry)} characters)"
                )
                blocks, hits = retry, retry_hits

        if _chars(blocks) < _LADDER_MIN_GAIN:
            unmasked = self._unmask_wrappers(root, page, self.markup)
            if (
                unmasked is not None
                and _chars(unmasked) > _LADDER_RATIO * _chars(blocks) + _LADDER_MIN_GAIN
            ):
                notes.append(
                    "safety ladder: the article's wrappers carry class or id words that "
                    f"extraction discards; kept the attempt without them ({_chars(blocks)} -> "
                    f"{_chars(unmasked)} characters)"
                )
                blocks = unmasked

        dom_removed = [Removal(h.rule.source, h.rule.line, h.rule.raw, "dom", h.text) for h in hits]
        title, blocks, title_removed = _settle_title(meta.title, meta.sitename, blocks)
        kept, text_removed, text_notes = self._revise(textm, blocks)
        kept, labels = drop_trailing_labels(kept)
        text_removed += labels
        notes.extend(text_notes)
        return CleanResult(
            title=title,
            blocks=tuple(kept),
            author=meta.author,
            date=meta.date,
            url=meta.url or page,
            sitename=meta.sitename,
            language=meta.language,
            description=meta.description,
            removed=tuple(dom_removed + title_removed + text_removed),
            input_kind="html",
            notes=tuple(notes),
        )

    @staticmethod
    def _unmask_wrappers(root: Any, page: str | None, markup: Markup) -> list[Block] | None:
        """Extract again with class and id removed from the elements that hold most of the
        page's paragraph text. trafilatura discards any element whose class or id merely
        contains words like "share" or "comment" (``<div class="share-story">`` holding the
        whole post); a wrapper of most of the text is never such a widget."""
        held, total = _held_paragraph_text(root)
        if total < _LADDER_MIN_GAIN:
            return None
        wrappers = [
            el for el, n in held.items() if n >= 0.5 * total and el.tag not in ("html", "body")
        ]
        if not any(el.get("class") or el.get("id") for el in wrappers):
            return None
        copy_root = copy.deepcopy(root)
        index = {el: i for i, el in enumerate(root.iter())}
        targets = set(index[el] for el in wrappers)
        for i, el in enumerate(copy_root.iter()):
            if i in targets:
                for attr in ("class", "id"):
                    if attr in el.attrib:
                        del el.attrib[attr]
        return _extract(copy_root, page, markup=markup)

    # -- shared -------------------------------------------------------------------------

    @staticmethod
    def _revise(textm: Any, blocks: list[Block]) -> tuple[list[Block], list[Removal], list[str]]:
        """Text rules, with the text half of the safety ladder: if the rules leave less than a
        quarter of the text, retry without the rule that removed most and keep the better."""
        if not textm or not blocks:
            return blocks, [], []
        kept, removed = textm.apply(blocks)
        if not removed:
            return kept, removed, []
        before = _chars(blocks)
        if _chars(kept) >= 0.25 * before:
            return kept, removed, []
        by_rule: dict[tuple[str, int], int] = {}
        for r in removed:
            by_rule[(r.source, r.line)] = by_rule.get((r.source, r.line), 0) + len(r.text)
        worst_key = max(by_rule, key=lambda k: by_rule[k])
        worst = next(rule for rule in textm.rules if (rule.source, rule.line) == worst_key)
        kept2, removed2 = textm.apply(blocks, skip=frozenset({worst}))
        if _chars(kept2) > 2 * _chars(kept) + _LADDER_MIN_GAIN:
            note = (
                f"safety ladder: text rule {worst.where} {worst.raw} skipped "
                f"({_chars(kept)} -> {_chars(kept2)} characters)"
            )
            return kept2, removed2, [note]
        return kept, removed, []


def _strip_site_name(title: str, sitename: str | None) -> str:
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    from .revise import normalise

    if sitename:
        site = normalise(sitename)
        rest = [p for p in parts if normalise(p) != site and site not in normalise(p)]
        if rest and len(rest) < len(parts):
            return " - ".join(rest) if len(rest) > 1 else rest[0]
    return title


def _settle_title(
    meta_title: str | None, sitename: str | None, blocks: list[Block]
) -> tuple[str | None, list[Block], list[Removal]]:
    """The article's own title; blocks that repeat it at the start of the body go."""
    from .revise import drop_datelines, drop_title_repeats, normalise

    title = _strip_site_name(meta_title, sitename) if meta_title else None
    first = next((b for b in blocks if b.text), None)  # not an image
    if first is not None and first.kind is BlockKind.HEADING and len(first.text) <= 300:
        heading = normalise(first.text)
        if title is None or (
            heading and (heading in normalise(title) or normalise(title) in heading)
        ):
            title = first.text
    kept, removed = drop_title_repeats(blocks, title)
    kept, datelines = drop_datelines(kept)
    return title, kept, removed + datelines


@lru_cache(maxsize=4)
def _default_cleaner(
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    max_elements: int | None = DEFAULT_MAX_ELEMENTS,
    markup: tuple[bool, bool, bool] = (False, False, False),
) -> Cleaner:
    """The shared instances behind :func:`clean` (built-in rules only), one per limits and
    markup options."""
    formatting, links, images = markup
    return Cleaner(
        max_bytes=max_bytes,
        max_elements=max_elements,
        formatting=formatting,
        links=links,
        images=images,
    )


def clean(
    source: Source,
    *,
    url: str | None = None,
    rules: Sequence[str | Path] | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    max_elements: int | None = DEFAULT_MAX_ELEMENTS,
    formatting: bool = False,
    links: bool = False,
    images: bool = False,
) -> CleanResult:
    """Clean one page: HTML or flattened text as ``str`` or ``bytes``, a BeautifulSoup
    document or tag, an lxml element or tree, or a response (:mod:`cleaner.inputs`).

    ``url`` is the page's address (for per-domain rules and metadata); ``rules`` are paths
    of extra rule files, added to the built-in ones; ``max_bytes`` and ``max_elements`` are
    the size limits of :class:`Cleaner`, ``formatting``, ``links`` and ``images`` what its
    Markdown keeps. Raises only :class:`~cleaner.errors.CleanerError`.

    >>> from cleaner import clean
    >>> page = '''<html><head><title>Notes | My Blog</title></head><body><article>
    ... <h1>Notes</h1><p>The first paragraph of a post that says something worth keeping,
    ... long enough to be an article.</p>
    ... <div class="sharedaddy"><h3>Share this:</h3><a>Twitter</a></div></article></body></html>'''
    >>> res = clean(page)
    >>> res.title, "Share this" in res.text, res.removed[0].rule
    ('Notes', False, '##.sharedaddy')
    """
    markup = (formatting, links, images)
    if rules:
        cleaner = Cleaner(
            rules,
            max_bytes=max_bytes,
            max_elements=max_elements,
            formatting=formatting,
            links=links,
            images=images,
        )
    else:
        cleaner = _default_cleaner(max_bytes, max_elements, markup)
    return cleaner.clean(source, url=url)
