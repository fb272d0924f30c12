"""Stage 3, prune: remove the elements that hiding rules (``##selector``) match.

Contract: takes a parsed lxml tree and the active hiding rules; removes every matched element
(keeping its tail text) except ``html``/``body`` themselves, outermost first, and returns one
:class:`Hit` per removed element naming the rule that matched it. The tree is modified in place.

Compiled once per rule set: every rule is keyed by a class, id, attribute name or tag, so one
pass over the elements with dict look-ups finds every candidate. Selectors of one compound
(``div.a[data-x^="y"]``) are then tested in Python; those with combinators or pseudo-classes by
XPath, a whole-document query run at most once per page. Rules with no key at all (``*``) are
joined into a single XPath union. No page pays one XPath evaluation per rule.

One matcher serves every rule that selects elements: the hiding rules and the positive rules
(``#body#``, ``#lead#``) are matched in the same pass, an element getting its first rule of
each kind, and the same pass collects the elements a caller marks by tag, attribute or
class/id words (:class:`Marks`: what the metadata stage reads), so that the page is walked in
Python once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cssselect import HTMLTranslator, parse
from cssselect.parser import (
    Attrib,
    Class,
    CombinedSelector,
    Element,
    Hash,
    Negation,
    Relation,
)
from lxml import etree

from .dom import Marks, element_text, remove
from .ruleset import Rule

__all__ = ["DomMatcher", "Hit", "Scan"]

_NEVER_REMOVE = frozenset({"html", "body"})


@dataclass(frozen=True)
class Hit:
    """An element a rule matched (and that was removed)."""

    rule: Rule
    element: Any
    text: str


@dataclass
class Scan:
    """One pass over a page: the hiding rules' matches and the positive rules' matches (each
    in document order, an element with its first rule of each kind), and the marked
    elements (:class:`Marks`), in document order."""

    hiding: list[tuple[Any, Rule]]
    positive: list[tuple[Any, Rule]]
    marked: list[Any]


#: Tests an element (with a per-page cache for whole-document queries); None: the key
#: look-up that found the element is the whole test.
_Check = Callable[[Any, dict[int, set[Any]]], bool]


@dataclass(frozen=True)
class _Compiled:
    rule: Rule
    check: _Check | None
    #: for a rule keyed by an attribute name: its first test on it, (operator, value)
    attr_test: tuple[str, str | None] | None = None


#: CSS attribute operators as regexes that match exactly the values they select.
_ATTR_PATTERNS: dict[str, Callable[[str], str]] = {
    "=": lambda want: rf"\A{re.escape(want)}\Z",
    "~=": lambda want: rf"(?<!\S){re.escape(want)}(?!\S)",
    "|=": lambda want: rf"\A{re.escape(want)}(?:-|\Z)",
    "^=": lambda want: rf"\A{re.escape(want)}",
    "$=": lambda want: rf"{re.escape(want)}\Z",
    "*=": lambda want: re.escape(want),
}


def _attr_pattern(op: str, want: str) -> str:
    """The regex of one attribute test. ``^=``, ``$=``, ``*=`` and ``~=`` with an empty value,
    and ``~=`` with white space in it, select nothing (CSS); ``=""`` selects an empty value."""
    if (not want and op in ("^=", "$=", "*=", "~=")) or (
        op == "~=" and any(c.isspace() for c in want)
    ):
        return "(?!)"
    return _ATTR_PATTERNS[op](want)


@dataclass(frozen=True)
class _Compound:
    """A selector of one compound (no combinator, pseudo-class or negation): tested in Python."""

    tag: str | None
    classes: tuple[str, ...]
    ids: tuple[str, ...]
    attrs: tuple[tuple[str, str, str | None], ...]  # (name, operator, value); "exists": None

    def key(self) -> tuple[str, str] | None:
        if self.classes:
            return ("class", self.classes[0])
        if self.ids:
            return ("id", self.ids[0])
        if self.attrs:
            return ("attr", self.attrs[0][0])
        if self.tag:
            return ("tag", self.tag)
        return None

    def check(self) -> _Check | None:
        key = self.key()
        if key is not None and key[0] in ("class", "id"):
            rest = _Compound(
                self.tag,
                self.classes[1:] if key[0] == "class" else self.classes,
                self.ids[1:] if key[0] == "id" else self.ids,
                self.attrs,
            )
            if rest == _Compound(None, (), (), ()):
                return None  # `.key` or `#key`: found by its key, nothing more to test
        elif key is not None and key[0] == "tag" and not (self.classes or self.ids or self.attrs):
            return None  # a bare tag name
        tag, classes, ids = self.tag, set(self.classes), self.ids
        attrs = [
            (name, None if want is None else re.compile(_attr_pattern(op, want)))
            for name, op, want in self.attrs
        ]

        def check(el: Any, cache: dict[int, set[Any]]) -> bool:
            if tag is not None and el.tag != tag:
                return False
            if classes and not classes.issubset((el.get("class") or "").split()):
                return False
            if any(el.get("id") != i for i in ids):
                return False
            for name, test in attrs:
                value = el.get(name)
                if value is None or (test is not None and not test.search(value)):
                    return False
            return True

        return check


def _attr_filter(entries: Sequence[tuple[int, _Compiled]]) -> re.Pattern[str] | None:
    """One regex that every value matched by these attribute-keyed rules matches (their
    first test on the attribute), or None when one of them only needs the attribute."""
    patterns = []
    for _, compiled in entries:
        if compiled.attr_test is None:
            return None
        op, want = compiled.attr_test
        if want is None:
            return None
        patterns.append(_attr_pattern(op, want))
    return re.compile("|".join(patterns))


def _compound(tree: Any) -> _Compound | None:
    """The selector as a :class:`_Compound`, or None when it needs XPath."""
    classes: list[str] = []
    ids: list[str] = []
    attrs: list[tuple[str, str, str | None]] = []
    node = tree
    while True:
        if isinstance(node, Class):
            classes.append(node.class_name)
        elif isinstance(node, Hash):
            ids.append(node.id)
        elif isinstance(node, Attrib):
            if node.namespace or (
                node.operator != "exists" and node.operator not in _ATTR_PATTERNS
            ):
                return None
            # node.value: a Token (its text in .value) for every operator but `exists`
            value = None
            if node.operator != "exists" and node.value is not None:
                value = node.value.value
            attrs.append((node.attrib.lower(), node.operator, value))
        elif isinstance(node, Element):
            if node.namespace:
                return None
            tag = None if node.element in (None, "*") else node.element.lower()
            return _Compound(tag, tuple(reversed(classes)), tuple(ids), tuple(reversed(attrs)))
        else:
            return None
        node = node.selector


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


def _xpath_check(xpath: str, whole_document: bool) -> _Check:
    """A test by XPath: a self-test, or (for selectors with combinators) membership in the
    result of one whole-document query, run at most once per page."""
    query = etree.XPath(xpath)
    if not whole_document:
        return lambda el, cache: bool(query(el))

    def check(el: Any, cache: dict[int, set[Any]]) -> bool:
        found = cache.get(id(query))
        if found is None:
            found = set(query(el.getroottree()))
            cache[id(query)] = found
        return el in found

    return check


class DomMatcher:
    """Rules that select elements (hiding and positive), compiled for fast matching on many
    pages."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        #: the rules, in their order
        self.rules = tuple(rules)
        translator = HTMLTranslator()
        tables: dict[str, dict[str, list[tuple[int, _Compiled]]]] = {
            "class": {},
            "id": {},
            "tag": {},
            "attr": {},
        }
        unkeyed: list[tuple[int, _Compiled]] = []
        unkeyed_xpaths: list[str] = []
        for order, rule in enumerate(rules):
            for sel in parse(rule.body):
                attr_test = None
                simple = _compound(sel.parsed_tree)
                if simple is not None:
                    key = simple.key()
                    check = simple.check()
                    if key is not None and key[0] == "attr":
                        attr_test = (simple.attrs[0][1], simple.attrs[0][2])
                else:
                    key = _key(sel.parsed_tree)
                    combined = isinstance(sel.parsed_tree, CombinedSelector)
                    xpath = (
                        translator.selector_to_xpath(sel)
                        if combined
                        else translator.selector_to_xpath(sel, prefix="self::")
                    )
                    check = _xpath_check(xpath, combined)
                compiled = _Compiled(rule, check, attr_test)
                if key is None:
                    unkeyed.append((order, compiled))
                    unkeyed_xpaths.append(translator.selector_to_xpath(sel))
                else:
                    tables[key[0]].setdefault(key[1], []).append((order, compiled))
        self._by_class = tables["class"]
        self._by_id = tables["id"]
        self._by_tag = tables["tag"]
        #: per attribute name, its rules and a regex that any value they match must contain
        #: (None: the attribute's presence is the test), so that `[class^="a2a_"]` does not
        #: make a candidate of every element with a class
        self._by_attr = {
            name: (_attr_filter(entries), entries) for name, entries in tables["attr"].items()
        }
        self._unkeyed = unkeyed
        self._unkeyed_query = etree.XPath(" | ".join(unkeyed_xpaths)) if unkeyed_xpaths else None

    def match(self, root: Any) -> list[tuple[Any, Rule]]:
        """Elements the rules match, in document order, each with its first rule of each
        kind (hiding, positive)."""
        found = self.scan(root)
        if not found.positive:
            return found.hiding
        if not found.hiding:
            return found.positive
        order = {el: i for i, el in enumerate(root.iter(etree.Element))}
        return sorted(found.hiding + found.positive, key=lambda pair: order[pair[0]])

    def scan(self, root: Any, marks: Marks | None = None) -> Scan:
        """One pass: the hiding and positive rules' matches, and the ``marks``."""
        by_class, by_id, by_tag, by_attr = self._by_class, self._by_id, self._by_tag, self._by_attr
        cache: dict[int, set[Any]] = {}
        candidates: dict[Any, list[tuple[int, _Compiled]]] = {}
        marked: list[Any] = []
        mark_tags = marks.tags if marks is not None else frozenset()
        mark_attrs = marks.attrs if marks is not None else frozenset()
        mark_words = marks.words.search if marks is not None else None
        for el in root.iter(etree.Element):
            tag = el.tag
            found = by_tag.get(tag)
            mark = tag in mark_tags
            for name, value in el.items():  # one call: most elements have 0-3 attributes
                if name == "class":
                    for token in value.split():
                        hit = by_class.get(token)
                        if hit:
                            found = (found or []) + hit
                    if mark_words is not None and not mark:
                        mark = mark_words(value.lower()) is not None
                elif name == "id":
                    hit = by_id.get(value)
                    if hit:
                        found = (found or []) + hit
                    if mark_words is not None and not mark:
                        mark = mark_words(value.lower()) is not None
                elif name in mark_attrs:
                    mark = True
                keyed = by_attr.get(name)
                if keyed is not None and (keyed[0] is None or keyed[0].search(value)):
                    found = (found or []) + keyed[1]
            if found:
                candidates[el] = found
            if mark:
                marked.append(el)
        # one pass walks the document in order; only unkeyed finds can come out of order
        unordered = False
        if self._unkeyed_query is not None:
            for el in self._unkeyed_query(root):
                if isinstance(el, etree._Element):
                    unordered = unordered or el not in candidates
                    candidates.setdefault(el, []).extend(self._unkeyed)
        hiding: list[tuple[Any, Rule]] = []
        positive: list[tuple[Any, Rule]] = []
        for el, options in candidates.items():
            if len(options) > 1:
                options = sorted(options, key=lambda oc: oc[0])
            hid = pos = False
            for _, c in options:
                is_positive = c.rule.action.is_positive
                if (pos if is_positive else hid) or not (c.check is None or c.check(el, cache)):
                    continue
                if is_positive:
                    positive.append((el, c.rule))
                    pos = True
                else:
                    hiding.append((el, c.rule))
                    hid = True
                if hid and pos:
                    break
        if unordered:
            order = {el: i for i, el in enumerate(root.iter(etree.Element))}
            for out in (hiding, positive):
                if len(out) > 1:
                    out.sort(key=lambda pair: order[pair[0]])
        return Scan(hiding, positive, marked)


@lru_cache(maxsize=16)
def _xpath(expression: str) -> etree.XPath:
    return etree.XPath(expression)


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
        if protect and _xpath(protect)(el):
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
