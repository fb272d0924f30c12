"""Positive rules at work: where the platform's own markup says the article is.

Contract: functions here read the pruned tree through the matches of the positive rules
(``#body#selector``, ``#lead#selector``, :mod:`cleaner.ruleset`); none removes anything or
modifies the tree.

- :func:`find_container` returns the article's body container when one is trusted (the safety
  checks below), or None and why: the container path of the extraction ladder walks it
  (:mod:`cleaner.walk`) instead of running trafilatura.
- :func:`find_lead` returns the first standfirst or subtitle a ``#lead#`` rule matches, and
  :func:`add_lead` puts it before the body when the extracted blocks lack it.

A container is trusted when the first ``#body#`` rule (in file order) that matches anything
matches one element (outermost) that holds at least :data:`CONTAINER_SHARE` of the page's main
text (not a sidebar widget or an excerpt; when it matches several, the one that holds most,
and it must hold that share: an archive page's posts each hold a part), and at least
:data:`CONTAINER_MIN` characters of it (not tiny), and no two ``<article>`` (a teaser list).
When that first rule's container fails a check, the page takes trafilatura's path: trying the
later, broader rules instead was measured, and lost on both sets (scrapinghub 0.980 to 0.974
with one article lost, wcxb-dev 0.949 to 0.948 shingle F1).

trafilatura's precision mode reads the body container and leaves out what sits between the
title and the body: Ghost's custom excerpt, Substack's and Medium's subtitles. Those are the
author's words, printed by the platform's template for this post only.

>>> from cleaner.result import Block
>>> from cleaner.ruleset import RuleSet
>>> rule = RuleSet.from_text("#lead#.excerpt", source="a.txt").rules[0]
>>> blocks, notes = add_lead([Block("Body text of the post.")], Lead(rule, "A subtitle."))
>>> [b.text for b in blocks], notes
(['A subtitle.', 'Body text of the post.'], ['kept the standfirst a.txt:1 #lead#.excerpt'])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .result import Block, BlockKind
from .ruleset import Rule, RuleAction

__all__ = ["Container", "Lead", "add_lead", "find_container", "find_lead"]

#: A trusted container holds at least this share of the page's main text. Measured on both dev
#: sets: from 0.5 to 0.8 the container pages score alike against the trafilatura path; 0.7
#: keeps out the excerpts and widgets that 0.5 lets in. With every other check in place, 0.6
#: and 0.8 both cost wcxb-dev 0.001 word F1 and leave scrapinghub as it is.
CONTAINER_SHARE = 0.7
#: ... and at least this many characters of it (shorter: trafilatura's path decides).
CONTAINER_MIN = 300
#: When the container is the page's <body>, the box walked in it is at most this share link
#: text (more: a portal or home page of teasers). Measured on those pages: above 0.2 they lost
#: 0.26 word F1 on average on scrapinghub against trafilatura's path. (Applied to every
#: container, it sent guides that link a lot back to trafilatura's path, a loss on wcxb-dev.)
LINK_DENSITY_MAX = 0.2
#: When the container is the page's <body>, the box that holds its text must sit at least
#: this many levels below it: text spread over the page's top-level layout (a sidebar beside
#: the article, a news portal's columns) is not one article. Measured on the same pages: the
#: boxes one to two levels below <body> lost on both sets (scrapinghub -0.09 to -0.64,
#: wcxb-dev -0.14 to +0.19), those three and more gained on both (+0.007, +0.042).
BODY_MIN_DEPTH = 3

#: A standfirst holds at least this many characters (a real sentence or phrase, not a label)...
LEAD_MIN = 10
#: ... and at most this many (longer is a body, or a teaser list, not a subtitle).
LEAD_MAX = 500


@dataclass(frozen=True)
class Container:
    """The article's body container, the rule that names it, and the element to walk."""

    rule: Rule
    element: Any
    body: Any


def find_container(
    matches: Sequence[tuple[Any, Rule]],
    rules: Sequence[Rule],
    main: dict[Any, int],
    root: Any,
) -> tuple[Container | None, str]:
    """The trusted body container (module docstring), or None and why not. ``rules`` are the
    active positive rules in their order: rules for the page's domain come first, then the
    others in file order. ``main`` holds the main-text characters of each element
    (:func:`cleaner.dom.held_main_text`)."""
    from .walk import narrow

    bodies = [(el, rule) for el, rule in matches if rule.action is RuleAction.BODY]
    if not bodies:
        return None, "no container rule matches"
    rank = {rule: (not rule.domains, i) for i, rule in enumerate(rules)}
    first = min((rule for _, rule in bodies), key=lambda r: rank.get(r, (True, len(rank))))
    found = [el for el, rule in bodies if rule is first]
    outer = [el for el in found if not any(a in found for a in el.iterancestors())]
    total = main.get(root, 0)
    # several matches (related posts as <article> cards): the one that holds most of the
    # page's text, if one does; an archive page's posts each hold a share of it
    el = max(outer, key=lambda e: main.get(e, 0))
    held = main.get(el, 0)
    if len(outer) > 1 and held < CONTAINER_SHARE * total:
        return None, f"{first.where} {first.raw} matches {len(outer)} elements"
    if sum(1 for _ in el.iter("article")) - (el.tag == "article") >= 2:
        return None, f"{first.where} {first.raw} holds several <article>: a list of posts"
    if held < CONTAINER_MIN:
        return None, f"{first.where} {first.raw} holds {held} characters of text"
    if held < CONTAINER_SHARE * total:
        return None, (
            f"{first.where} {first.raw} holds {held} of the page's {total} characters of text"
        )
    body = narrow(el, main)
    if el.tag == "body":  # no container of its own: stronger evidence that it is an article
        depth = sum(1 for _ in body.iterancestors()) - 1
        if depth < BODY_MIN_DEPTH:
            return None, (
                f"{first.where} {first.raw}: the page's text is not in one box of its own"
            )
        density = link_density(body)
        if density > LINK_DENSITY_MAX:
            return None, f"{first.where} {first.raw} is {density:.0%} link text: a portal page"
    return Container(first, el, body), ""


def link_density(el: Any) -> float:
    """The share of an element's text that is link text (its skipped parts left out)."""
    from .walk import text_of

    text = len(text_of(el))
    links = sum(len(" ".join("".join(a.itertext()).split())) for a in el.iter("a"))
    return links / text if text else 1.0


@dataclass(frozen=True)
class Lead:
    """A standfirst or subtitle, the rule that found it, and its heading level when the page
    writes it as a heading (Substack's ``<h3 class="subtitle">``; 0: a paragraph)."""

    rule: Rule
    text: str
    level: int = 0


def find_lead(matches: Sequence[tuple[Any, Rule]]) -> Lead | None:
    """The first ``#lead#`` match (from :meth:`cleaner.prune.DomMatcher.match` over the pruned
    tree) whose text is a standfirst's length."""
    from .dom import element_text

    for el, rule in matches:
        if rule.action is not RuleAction.LEAD:
            continue
        text = element_text(el)
        if LEAD_MIN <= len(text) <= LEAD_MAX:
            tag = el.tag
            level = int(tag[1]) if tag in ("h1", "h2", "h3", "h4", "h5", "h6") else 0
            return Lead(rule, text, level)
    return None


def add_lead(blocks: list[Block], lead: Lead | None) -> tuple[list[Block], list[str]]:
    """The blocks with the lead first, when they hold text and lack it; and a note."""
    from .dom import normalise

    if lead is None or not blocks:
        return blocks, []
    want = normalise(lead.text)
    if any(want in normalise(b.text) for b in blocks[:8]):
        return blocks, []
    note = f"kept the standfirst {lead.rule.where} {lead.rule.raw}"
    if lead.level:
        return [Block(lead.text, BlockKind.HEADING, level=lead.level), *blocks], [note]
    return [Block(lead.text, BlockKind.PARAGRAPH), *blocks], [note]
