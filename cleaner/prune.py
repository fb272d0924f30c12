"""Stage 3, prune: remove the elements that hiding rules (``##selector``) match.

Contract: takes a parsed lxml tree and the active hiding rules; removes every matched element
(keeping its tail text) except ``html``/``body`` themselves, outermost first, and returns one
:class:`Hit` per removed element naming the rule that matched it. The tree is modified in place.

Compiled once per rule set: most rules are keyed by a class or id, so one pass over the
elements with set look-ups finds every candidate; the few rules without a key are joined into a
single XPath union. No page pays one XPath evaluation per rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cssselect import HTMLTranslator, parse
from cssselect.parser import Attrib, Class, CombinedSelector, Hash, Negation, Relation
from lxml import etree

from .ruleset import Rule

__all__ = ["Hit", "DomMatcher"]

_NEVER_REMOVE = frozenset({"html", "body"})


@dataclass(frozen=True)
class Hit:
    """An element a rule matched (and that was removed)."""

    rule: Rule
    element: Any
    text: str


@dataclass(frozen=True)
class _Compiled:
    rule: Rule
    #: None when the selector is exactly `.key` / `#key`: the key look-up is the whole test.
    test: etree.XPath | None
    #: True when `test` is a whole-document query (selector with combinators), not a self-test.
    global_test: bool


def _key(selector: Any) -> tuple[str, str] | None:
    """A class or id the matched element must carry, from the rightmost compound selector."""
    node = selector
    if isinstance(node, CombinedSelector):
        node = node.subselector
    while node is not None:
        if isinstance(node, Class):
            return ("class", node.class_name)
        if isinstance(node, Hash):
            return ("id", node.id)
        if isinstance(node, (Attrib, Negation, Relation)):
            node = node.selector
        else:
            node = getattr(node, "selector", None)
    return None


class DomMatcher:
    """Hiding rules compiled for fast matching on many pages."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        translator = HTMLTranslator()
        self._by_class: dict[str, list[tuple[int, _Compiled]]] = {}
        self._by_id: dict[str, list[tuple[int, _Compiled]]] = {}
        unkeyed: list[tuple[int, _Compiled]] = []
        unkeyed_xpaths: list[str] = []
        for order, rule in enumerate(rules):
            for sel in parse(rule.body):
                key = _key(sel.parsed_tree)
                combined = isinstance(sel.parsed_tree, CombinedSelector)
                canonical = sel.canonical()
                exact_key = key is not None and canonical in (
                    f"*.{key[1]}" if key[0] == "class" else f"*#{key[1]}",
                    f".{key[1]}" if key[0] == "class" else f"#{key[1]}",
                )
                if exact_key:
                    test = None
                elif combined:
                    test = etree.XPath(translator.selector_to_xpath(sel))
                else:
                    test = etree.XPath(translator.selector_to_xpath(sel, prefix="self::"))
                compiled = _Compiled(rule, test, combined)
                if key is None:
                    unkeyed.append((order, compiled))
                    unkeyed_xpaths.append(translator.selector_to_xpath(sel))
                else:
                    table = self._by_class if key[0] == "class" else self._by_id
                    table.setdefault(key[1], []).append((order, compiled))
        self._unkeyed = unkeyed
        self._unkeyed_query = etree.XPath(" | ".join(unkeyed_xpaths)) if unkeyed_xpaths else None

    def _passes(self, el: Any, c: _Compiled, cache: dict[int, set[Any]]) -> bool:
        if c.test is None:
            return True
        if c.global_test:
            found = cache.get(id(c))
            if found is None:
                found = set(c.test(el.getroottree()))
                cache[id(c)] = found
            return el in found
        return bool(c.test(el))

    def match(self, root: Any) -> list[tuple[Any, Rule]]:
        """Elements the rules match, in document order, each with its first rule."""
        by_class, by_id = self._by_class, self._by_id
        cache: dict[int, set[Any]] = {}
        candidates: dict[Any, list[tuple[int, _Compiled]]] = {}
        for el in root.iter(etree.Element):
            found: list[tuple[int, _Compiled]] | None = None
            cls = el.get("class")
            if cls:
                for token in cls.split():
                    hit = by_class.get(token)
                    if hit:
                        found = (found or []) + hit
            ident = el.get("id")
            if ident:
                hit = by_id.get(ident)
                if hit:
                    found = (found or []) + hit
            if found:
                candidates[el] = found
        # the keyed pass walks the document in order; only unkeyed finds can come out of order
        unordered = False
        if self._unkeyed_query is not None:
            for el in self._unkeyed_query(root):
                if isinstance(el, etree._Element):
                    unordered = unordered or el not in candidates
                    candidates.setdefault(el, []).extend(self._unkeyed)
        out: list[tuple[Any, Rule]] = []
        for el, options in candidates.items():
            for _, c in sorted(options, key=lambda oc: oc[0]):
                if self._passes(el, c, cache):
                    out.append((el, c.rule))
                    break
        if unordered and len(out) > 1:
            order = {el: i for i, el in enumerate(root.iter(etree.Element))}
            out.sort(key=lambda pair: order[pair[0]])
        return out


def element_text(el: Any) -> str:
    """Visible text of an element, whitespace collapsed (scripts and styles left out)."""
    parts: list[str] = []
    for node in el.iter():
        if isinstance(node.tag, str) and node.tag not in ("script", "style", "noscript"):
            parts.append(node.text or "")
        if node is not el:
            parts.append(node.tail or "")
    return " ".join(" ".join(parts).split())


def remove(el: Any) -> None:
    """Remove an element from its tree, keeping its tail text in place."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        before = (prev.tail if prev is not None else parent.text) or ""
        if before and not before[-1].isspace() and not tail[0].isspace():
            tail = " " + tail  # the text on either side was apart: do not glue two words
        if prev is not None:
            prev.tail = before + tail
        else:
            parent.text = before + tail
    parent.remove(el)


def prune(
    matches: Sequence[tuple[Any, Rule]],
    *,
    protect: str | None = None,
    skip: frozenset[Rule] = frozenset(),
    notes: list[str] | None = None,
) -> list[Hit]:
    """Remove matched elements (from :meth:`DomMatcher.match`); outermost first.

    ``html`` and ``body`` are never removed, nor is an element that holds a node matched by
    the ``protect`` XPath (a rule that hit the article's wrapper): that is noted instead.
    Rules in ``skip`` are passed over.
    """
    hits: list[Hit] = []
    removed: set[Any] = set()
    for el, rule in matches:
        if rule in skip or el.tag in _NEVER_REMOVE or el.getparent() is None:
            continue
        if any(anc in removed for anc in el.iterancestors()):
            continue
        if protect and el.xpath(protect):
            if notes is not None:
                notes.append(
                    f"safety ladder: {rule.where} {rule.raw} matched an element holding the "
                    "article; not removed"
                )
            continue
        hits.append(Hit(rule, el, element_text(el)))
        removed.add(el)
    for hit in hits:
        remove(hit.element)
    return hits
