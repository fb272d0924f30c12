"""Stage after the extraction ladder, article: what the platform's own markup says belongs to
the article, given back when extraction left it out.

Contract: :func:`find_lead` reads the pruned tree (before the ladder changes it) with the
positive rules (``#lead#selector``, :mod:`cleaner.ruleset`) and returns the first standfirst
or subtitle a rule matches, with its rule; :func:`add_lead` puts it before the body when the
extracted blocks lack it. Neither removes anything, and neither modifies the tree.

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

__all__ = ["Lead", "add_lead", "find_lead"]

#: A standfirst holds at least this many characters (a real sentence or phrase, not a label)...
LEAD_MIN = 10
#: ... and at most this many (longer is a body, or a teaser list, not a subtitle).
LEAD_MAX = 500


@dataclass(frozen=True)
class Lead:
    """A standfirst or subtitle, and the rule that found it."""

    rule: Rule
    text: str


def find_lead(matches: Sequence[tuple[Any, Rule]]) -> Lead | None:
    """The first ``#lead#`` match (from :meth:`cleaner.prune.DomMatcher.match` over the pruned
    tree) whose text is a standfirst's length."""
    from .prune import element_text

    for el, rule in matches:
        if rule.action is not RuleAction.LEAD:
            continue
        text = element_text(el)
        if LEAD_MIN <= len(text) <= LEAD_MAX:
            return Lead(rule, text)
    return None


def add_lead(blocks: list[Block], lead: Lead | None) -> tuple[list[Block], list[str]]:
    """The blocks with the lead first, when they hold text and lack it; and a note."""
    from .revise import normalise

    if lead is None or not blocks:
        return blocks, []
    want = normalise(lead.text)
    if any(want in normalise(b.text) for b in blocks[:8]):
        return blocks, []
    note = f"kept the standfirst {lead.rule.where} {lead.rule.raw}"
    return [Block(lead.text, BlockKind.PARAGRAPH), *blocks], [note]
