"""The pipeline: the named stages, in order.

HTML:  inputs/decode/parse (:func:`~cleaner.inputs.to_page`) -> metadata
       (:func:`~cleaner.metadata.extract_metadata`, of the unpruned page) -> page kind
       (:func:`~cleaner.kinds.classify`, of the unpruned page) -> prune (DOM rules,
       :func:`~cleaner.prune.prune`) -> tidy (code blocks, link targets:
       :func:`~cleaner.tidy.tidy`) -> reshape (:func:`~cleaner.reshape.reshape`) -> the
       extraction ladder (:func:`~cleaner.ladder.extract_article`) -> the standfirst given
       back (:func:`~cleaner.article.add_lead`) -> settle title
       (:func:`~cleaner.revise.settle_title`) -> text rules
       (:func:`~cleaner.revise.apply_text_rules`) -> a comment label left at the end ->
       language (:func:`~cleaner.language.of_article`). With ``comments=True``, the comment
       section is read from the unpruned page (:func:`~cleaner.comments.read_comments`),
       apart from the article.
Text:  inputs/decode -> text mode (:func:`~cleaner.textmode.clean_text`: lines, fragments
       joined, scores, main region, end of article, title) -> text rules in the region ->
       trailing comment label -> repeated title, date lines -> language.

Each stage lives in its own module and states its contract there; this module only orders
them. The decisions (which extraction is the article, when a rule is doubted) are the
stages' own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import CleanerError, ExtractionError
from .inputs import DEFAULT_MAX_BYTES, DEFAULT_MAX_ELEMENTS, Source, to_page
from .result import CleanResult, Removal
from .ruleset import RuleAction, RuleSet, rules_from

__all__ = ["Cleaner", "clean"]

#: The source of the removals the container path's walker makes (its reasons as the rule).
WALK_SOURCE = "builtin:walk"

#: The source of the removals of the tidy stage (:mod:`cleaner.tidy`): code blocks'
#: UI, heading permalinks.
TIDY_SOURCE = "builtin:tidy"

#: Hits whose element contains one of these are never removed: a rule hit the article wrapper.
PROTECT_XPATH = (
    ".//h1 | .//*[@itemprop='articleBody'] | .//*[contains(concat(' ', normalize-space(@class),"
    " ' '), ' entry-content ') or contains(concat(' ', normalize-space(@class), ' '),"
    " ' post-content ') or contains(concat(' ', normalize-space(@class), ' '), ' article-body ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' post-body ')]"
)

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
    naming the size and the limit; ``None`` lifts a limit. ``containers=False`` sends every
    page down trafilatura's path, even when a ``#body#`` rule names its container (see
    :mod:`cleaner.ladder`). ``comments=True`` reads the comment section's comments into
    :attr:`CleanResult.comments <cleaner.result.CleanResult.comments>`, apart from the
    article (:mod:`cleaner.comments`). Hostile input ends in a result or
    a :class:`~cleaner.errors.CleanerError` (see :mod:`cleaner.inputs`): anything else that
    goes wrong while cleaning a page is raised as :class:`~cleaner.errors.ExtractionError`,
    with the page's URL and the original exception chained.
    """

    def __init__(
        self,
        rules: Sequence[str | Path] | RuleSet | None = None,
        *,
        builtin: bool = True,
        max_bytes: int | None = DEFAULT_MAX_BYTES,
        max_elements: int | None = DEFAULT_MAX_ELEMENTS,
        containers: bool = True,
        formatting: bool = False,
        links: bool = False,
        images: bool = False,
        comments: bool = False,
    ) -> None:
        from .blocks import Markup

        self.max_bytes = max_bytes
        self.max_elements = max_elements
        #: What the blocks' Markdown keeps beyond structure and inline code.
        self.markup = Markup(formatting=formatting, links=links, images=images)
        #: Whether pages whose body container a ``#body#`` rule names take the container path
        #: (False: trafilatura's path for every page).
        self.containers = containers
        #: Whether the comment section's comments are read (CleanResult.comments).
        self.comments = comments
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
        self._by_rules: dict[tuple[Any, ...], tuple[Any, Any]] = {}

    def _matchers(self, host: str | None) -> tuple[Any, Any]:
        """The rules active on a page of ``host``, compiled: those that select elements
        (hiding and positive, one matcher) and the text rules."""
        key = host if self._per_host else None
        found = self._by_host.get(key)
        if found is not None:
            return found
        from .prune import DomMatcher
        from .revise import TextMatcher

        positive = self.rules.positive(key)
        if not self.containers:
            positive = tuple(r for r in positive if r.action is not RuleAction.BODY)
        hiding, text = self.rules.select(key)
        active = (hiding + positive, text)
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
        return self._guarded(lambda: self._clean(source, url), url or getattr(source, "url", None))

    def clean_text(self, text: str | bytes, *, url: str | None = None) -> CleanResult:
        """Clean flattened text (a WET record, a ``get_text()`` dump) as text, even when it
        quotes markup that would make :meth:`clean` take it for HTML. Same errors as
        :meth:`clean`.

        >>> Cleaner().clean_text("Title\\n\\nWhy <p> tags matter in old pages.").input_kind
        'text'
        """

        def run() -> CleanResult:
            from .inputs import to_text_page

            page = to_text_page(text, url=url, max_bytes=self.max_bytes)
            assert page.text is not None
            return self._clean_text(page.text, url=page.url)

        return self._guarded(run, url)

    @staticmethod
    def _guarded(run: Callable[[], CleanResult], page: Any) -> CleanResult:
        """``run()``, with any exception that is not a CleanerError made one (with the page's
        URL and the cause chained): one bad page must not crash a crawl."""
        try:
            return run()
        except CleanerError:
            raise
        except Exception as exc:
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
        from .language import of_article
        from .parse import host_of
        from .revise import apply_text_rules
        from .textmode import clean_text

        _, textm = self._matchers(host_of(url))
        page = clean_text(text, textm, revise=apply_text_rules)
        lang = of_article(page.title, page.blocks)
        return CleanResult(
            title=page.title,
            blocks=page.blocks,
            url=url,
            canonical_url=url,
            language=lang.language if lang else None,
            language_confidence=lang.confidence if lang else None,
            removed=page.removed,
            input_kind="text",
            path="text",
            notes=page.notes,
            comments=() if self.comments else None,  # comments are read from HTML markup
        )

    # -- html ---------------------------------------------------------------------------

    def _clean_tree(self, root: Any, *, url: str | None, fresh: Callable[[], Any]) -> CleanResult:
        """Clean a parsed page. ``fresh()`` gives the same page unpruned again: the extraction
        ladder calls it when it needs another tree (rarely), instead of copying every tree
        before pruning."""
        from .account import prose_runs, unaccounted
        from .article import add_lead, find_lead
        from .dom import attached
        from .kinds import classify
        from .ladder import extract_article
        from .language import of_article
        from .metadata import MARKS, extract_metadata
        from .parse import host_of, page_url
        from .prune import prune
        from .reshape import reshape
        from .revise import (
            apply_text_rules,
            drop_data,
            drop_duplicates,
            drop_trailing_labels,
            settle_title,
        )
        from .tidy import tidy

        page = url or page_url(root)
        dom, textm = self._matchers(host_of(page))
        scan = dom.scan(root, MARKS)  # one pass: the rules' matches and metadata's marks
        meta = extract_metadata(root, url=page, marked=scan.marked)
        kind = classify(root, page)  # before pruning: cleaning removes its signals
        # rules scoped away from this kind of page (a forum's thread is its comments)
        off = frozenset(r for r in (*dom.rules, *textm.rules) if kind.kind in r.not_kinds)

        def pruned(
            tree: Any,
            skip: frozenset[Any] = frozenset(),
            notes: list[str] | None = None,
            hiding: list[Any] | None = None,
            ui: list[tuple[str, str]] | None = None,
        ) -> list[Any]:
            """The DOM rules, the tidy and the reshape, on the page or on a tree built
            again; what the tidy dropped added to ``ui``."""
            if hiding is None:
                hiding = dom.scan(tree).hiding
            found = prune(hiding, protect=PROTECT_XPATH, skip=skip | off, notes=notes)
            dropped = tidy(tree, page, links=self.markup.links or self.markup.images)
            if ui is not None:
                ui.extend(dropped)
            reshape(tree)
            return found

        def again(skip: frozenset[Any] | None) -> tuple[Any, list[Any]]:
            tree = fresh()
            if skip is None:  # unpruned, but its code blocks and links read as the page's
                tidy(tree, page, links=self.markup.links or self.markup.images)
                return tree, []
            return tree, pruned(tree, skip)

        comments = None
        if self.comments:  # from the unpruned page, before any rule removes them
            from .comments import read_comments

            comments = read_comments(root)
        notes: list[str] = [kind.note]
        code_ui: list[tuple[str, str]] = []
        # the page's prose, before any rule prunes it: each run ends in the article or in a
        # removal (a rule's, or the ladder's when a step undoes a rule or the pruning)
        runs = prose_runs(root)
        hits = pruned(root, notes=notes, hiding=scan.hiding, ui=code_ui)
        positives = [(el, rule) for el, rule in scan.positive if attached(el, root)]
        lead = find_lead(positives)
        article = extract_article(
            root, hits, url=page, again=again, notes=notes, positives=positives,
            rules=[r for r in dom.rules if r.action.is_positive], markup=self.markup,
            kind=kind.kind,
        )
        if article.attempts:  # every step the ladder tried, and which one gave the answer
            notes.append("ladder: " + "; ".join(map(str, article.attempts)))
        blocks, lead_notes = add_lead(article.blocks, lead)
        dom_removed = [
            Removal(h.rule.source, h.rule.line, h.rule.raw, "dom", h.text) for h in article.hits
        ] + [Removal(WALK_SOURCE, 0, why, "dom", text) for why, text in article.skipped]
        dom_removed += [Removal(TIDY_SOURCE, 0, why, "dom", text) for why, text in code_ui]
        title, blocks, title_removed = settle_title(meta.title, blocks)
        kept, text_removed, text_notes = apply_text_rules(textm, blocks, skip=off)
        kept, labels = drop_trailing_labels(kept)
        kept, copies = drop_duplicates(kept)
        kept, data = drop_data(kept)
        removed = dom_removed + title_removed + text_removed + labels + copies + data
        removed += unaccounted(runs, kept, removed, article.where)
        lang = of_article(title, kept)
        return CleanResult(
            title=title,
            blocks=tuple(kept),
            author=meta.author,
            date=meta.date,
            url=url,  # the caller's; the page's own is canonical_url
            canonical_url=meta.url or page,
            sitename=meta.sitename,
            language=lang.language if lang else None,
            language_confidence=lang.confidence if lang else None,
            declared_language=meta.language,
            description=meta.description,
            categories=meta.categories,
            tags=meta.tags,
            image=meta.image,
            license=meta.license,
            removed=tuple(removed),
            input_kind="html",
            path=article.path,
            notes=tuple(notes + lead_notes + text_notes),
            comments=comments,
            page_type=kind.kind,
        )


@lru_cache(maxsize=4)
def _default_cleaner(
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    max_elements: int | None = DEFAULT_MAX_ELEMENTS,
    markup: tuple[bool, bool, bool] = (False, False, False),
    comments: bool = False,
) -> Cleaner:
    """The shared instances behind :func:`clean` (built-in rules only), one per limits,
    markup and comments options."""
    formatting, links, images = markup
    return Cleaner(
        max_bytes=max_bytes,
        max_elements=max_elements,
        formatting=formatting,
        links=links,
        images=images,
        comments=comments,
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
    comments: bool = False,
) -> CleanResult:
    """Clean one page: HTML or flattened text as ``str`` or ``bytes``, a BeautifulSoup
    document or tag, an lxml element or tree, or a response (:mod:`cleaner.inputs`).

    ``url`` is the page's address (for per-domain rules and metadata); ``rules`` are paths
    of extra rule files, added to the built-in ones; ``max_bytes`` and ``max_elements`` are
    the size limits of :class:`Cleaner`, ``formatting``, ``links`` and ``images`` what its
    Markdown keeps, ``comments`` whether the comment section is read. Raises only
    :class:`~cleaner.errors.CleanerError`.

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
            comments=comments,
        )
    else:
        cleaner = _default_cleaner(max_bytes, max_elements, markup, comments)
    return cleaner.clean(source, url=url)
