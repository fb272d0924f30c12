"""The pipeline: named stages in order, and the safety ladder around them.

HTML:  decode -> parse -> prune (DOM rules) -> extract (trafilatura) -> revise (text rules,
       repeated title) -> settle title.
Text:  decode -> split into blocks -> revise (text rules) -> split title -> repeated title.

Each stage lives in its own module and states its contract there; this module only orders
them and decides, when rules seem to have removed the article, which attempt to keep.
"""

from __future__ import annotations

import copy
import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from .inputs import Source, to_page
from .result import Block, BlockKind, CleanResult, Removal
from .ruleset import RuleSet, rules_from

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


def _chars(blocks: Sequence[Block]) -> int:
    return sum(len(b.text) for b in blocks)


class Cleaner:
    """A reusable cleaner: rules compiled once, safe to share between threads.

    >>> from cleaner import Cleaner
    >>> c = Cleaner()
    >>> res = c.clean("My Title\\n\\nFirst paragraph of the post.\\n\\nLeave a Reply\\n\\nName")
    >>> res.title, res.text
    ('My Title', 'First paragraph of the post.')
    """

    def __init__(
        self,
        rules: Sequence[str | Path] | RuleSet | None = None,
        *,
        builtin: bool = True,
    ) -> None:
        if isinstance(rules, RuleSet):
            from .ruleset import builtin_rules

            self.rules = builtin_rules() + rules if builtin else rules
        elif builtin:
            self.rules = rules_from(rules)
        else:
            self.rules = RuleSet.load(rules or ())
        self._lock = threading.Lock()
        self._compiled: dict[str | None, tuple[Any, Any]] = {}

    def _matchers(self, host: str | None) -> tuple[Any, Any]:
        found = self._compiled.get(host)
        if found is not None:
            return found
        from .prune import DomMatcher
        from .revise import TextMatcher

        hide, text = self.rules.select(host)
        # Matchers depend only on the active rules: share them between hosts.
        key_host = host if any(r.domains or r.not_domains for r in self.rules.rules) else None
        with self._lock:
            found = self._compiled.get(key_host)
            if found is None:
                found = (DomMatcher(hide), TextMatcher(text))
                self._compiled[key_host] = found
            if len(self._compiled) > 4096:  # bound memory on crawls of many hosts
                self._compiled.clear()
            self._compiled[host] = found
        return found

    # -- entry points -------------------------------------------------------------------

    def clean(self, source: Source, *, url: str | None = None) -> CleanResult:
        """Clean one page: HTML or flattened text (``str`` or ``bytes``), a BeautifulSoup
        document or tag, an lxml element or tree, or a response (``.body``/``.content`` and
        ``.url``). The caller's object is never modified (see :mod:`cleaner.inputs`)."""
        page = to_page(source, url=url)
        if page.text is not None:
            return self._clean_text(page.text, url=page.url)
        return self._clean_tree(page.tree, url=page.url)

    # -- text ---------------------------------------------------------------------------

    def _clean_text(self, text: str, *, url: str | None) -> CleanResult:
        from .parse import host_of
        from .revise import drop_title_repeats, split_title

        _, textm = self._matchers(host_of(url))
        blocks = [Block(" ".join(line.split())) for line in text.splitlines() if line.strip()]
        kept, removed, notes = self._revise(textm, blocks)
        title, kept = split_title(kept)
        kept, repeats = drop_title_repeats(kept, title)
        return CleanResult(
            title=title,
            blocks=tuple(kept),
            url=url,
            removed=tuple(repeats + removed),
            input_kind="text",
            notes=tuple(notes),
        )

    # -- html ---------------------------------------------------------------------------

    def _clean_tree(self, root: Any, *, url: str | None) -> CleanResult:
        from .extract import extract_blocks, extract_metadata
        from .parse import host_of, page_url
        from .prune import prune

        page = url or page_url(root)
        dom, textm = self._matchers(host_of(page))
        meta = extract_metadata(root, url=page)
        matches = dom.match(root)
        notes: list[str] = []
        original = copy.deepcopy(root) if matches else root
        hits = prune(matches, protect=_PROTECT_XPATH, notes=notes)
        blocks = extract_blocks(root, url=page)

        if hits:
            page_chars = max(1, len(" ".join(" ".join(original.itertext()).split())))
            biggest = max(hits, key=lambda h: len(h.text))
            suspect = len(biggest.text) > _SUSPECT_SHARE * page_chars
            if suspect or _chars(blocks) < _LADDER_MIN_GAIN:
                retry_root = copy.deepcopy(original)
                retry_hits = prune(
                    dom.match(retry_root), protect=_PROTECT_XPATH, skip=frozenset({biggest.rule})
                )
                retry = extract_blocks(retry_root, url=page)
                if _chars(retry) > _LADDER_RATIO * _chars(blocks) + _LADDER_MIN_GAIN:
                    notes.append(
                        f"safety ladder: kept the attempt without {biggest.rule.where} "
                        f"{biggest.rule.raw} ({_chars(blocks)} -> {_chars(retry)} characters)"
                    )
                    blocks, hits = retry, retry_hits

        if _chars(blocks) < _LADDER_MIN_GAIN:
            retry = self._unmask_wrappers(root, page)
            if (
                retry is not None
                and _chars(retry) > _LADDER_RATIO * _chars(blocks) + _LADDER_MIN_GAIN
            ):
                notes.append(
                    "safety ladder: the article's wrappers carry class or id words that "
                    f"extraction discards; kept the attempt without them ({_chars(blocks)} -> "
                    f"{_chars(retry)} characters)"
                )
                blocks = retry

        dom_removed = [Removal(h.rule.source, h.rule.line, h.rule.raw, "dom", h.text) for h in hits]
        title, blocks, title_removed = _settle_title(meta.title, meta.sitename, blocks)
        kept, text_removed, text_notes = self._revise(textm, blocks)
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
    def _unmask_wrappers(root: Any, page: str | None) -> list[Block] | None:
        """Extract again with class and id removed from the elements that hold most of the
        page's paragraph text. trafilatura discards any element whose class or id merely
        contains words like "share" or "comment" (``<div class="share-story">`` holding the
        whole post); a wrapper of most of the text is never such a widget."""
        from .extract import extract_blocks

        held: dict[Any, int] = {}
        total = 0
        for p in root.iter("p"):
            n = len(" ".join("".join(p.itertext()).split()))
            total += n
            for anc in p.iterancestors():
                held[anc] = held.get(anc, 0) + n
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
        return extract_blocks(copy_root, url=page)

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
    from .revise import drop_title_repeats, normalise

    title = _strip_site_name(meta_title, sitename) if meta_title else None
    first = blocks[0] if blocks else None
    if first is not None and first.kind is BlockKind.HEADING and len(first.text) <= 300:
        heading = normalise(first.text)
        if title is None or (
            heading and (heading in normalise(title) or normalise(title) in heading)
        ):
            title = first.text
    kept, removed = drop_title_repeats(blocks, title)
    return title, kept, removed


@lru_cache(maxsize=1)
def _default_cleaner() -> Cleaner:
    """The shared instance behind :func:`clean` (built-in rules only)."""
    return Cleaner()


def clean(
    source: Source,
    *,
    url: str | None = None,
    rules: Sequence[str | Path] | None = None,
) -> CleanResult:
    """Clean one page: HTML or flattened text as ``str`` or ``bytes``, a BeautifulSoup
    document or tag, an lxml element or tree, or a response (:mod:`cleaner.inputs`).

    ``url`` is the page's address (for per-domain rules and metadata); ``rules`` are paths
    of extra rule files, added to the built-in ones.

    >>> from cleaner import clean
    >>> page = '''<html><head><title>Notes | My Blog</title></head><body><article>
    ... <h1>Notes</h1><p>The first paragraph of a post that says something worth keeping,
    ... long enough to be an article.</p>
    ... <div class="sharedaddy"><h3>Share this:</h3><a>Twitter</a></div></article></body></html>'''
    >>> res = clean(page)
    >>> res.title, "Share this" in res.text, res.removed[0].rule
    ('Notes', False, '##.sharedaddy')
    """
    cleaner = Cleaner(rules) if rules else _default_cleaner()
    return cleaner.clean(source, url=url)
