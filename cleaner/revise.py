"""Stage 5, revise: text rules and the repeated title, on blocks of text.

Contract: functions here take a list of :class:`~cleaner.result.Block` and return the kept
blocks plus one :class:`~cleaner.result.Removal` per removed block. They never change a kept
block's text.

Text rules match a *whole block*, never a part of one, after normalising both sides: case
folded, curly quotes and apostrophes made straight, runs of white space made one space, and
trailing ``:`` ``.`` ``…`` ``!`` dropped. So ``#drop# Share this:`` removes a block that reads
"Share this:" but never the sentence "Please share this article with a friend." A pattern is
literal text, where ``*`` stands for any text and ``#`` for a number, or a ``/regular
expression/`` matched against the whole normalised block. Blocks longer than
:data:`MAX_RULE_BLOCK` characters are prose and never matched.

- ``#drop#``: the block goes.
- ``#cut#``: the block and everything after it go (a footer such as a comment form). A cut
  with no article text before it acts as a drop.
- ``#run#``: the block goes, and so do the short blocks right after it (labels and link
  titles: at most four words, or at most :data:`RUN_MAX_WORDS` words not ending a sentence),
  such as the buttons after "Share this:" or the post titles after "Related". Blocks a
  ``#drop#`` rule matches belong to the run too. A heading ends it, and so does a block that
  another ``#cut#`` or ``#run#`` matches, so that rule acts in turn (a comment header right
  after share buttons still cuts the thread).

A cut or a run is recorded as one removal whose text is the removed blocks, one per line.

>>> from cleaner.ruleset import RuleSet
>>> rules = RuleSet.from_text("#cut# Leave a Reply\\n#drop# Share this", source="t").rules
>>> matcher = TextMatcher(rules)
>>> blocks = [Block("Body text."), Block("Share this:"), Block("Leave a reply"), Block("Name")]
>>> kept, removed = matcher.apply(blocks)
>>> [b.text for b in kept], [r.where for r in removed]
(['Body text.'], ['t:2', 't:1'])
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .result import Block, BlockKind, Removal
from .ruleset import Rule, RuleAction

__all__ = [
    "TextMatcher",
    "normalise",
    "split_title",
    "drop_title_repeats",
    "drop_datelines",
    "drop_trailing_labels",
    "MAX_RULE_BLOCK",
]

#: Longer blocks are prose: no text rule ever matches them.
MAX_RULE_BLOCK = 400
#: A block after a ``#run#`` anchor is part of the run when it has at most this many words.
RUN_MAX_WORDS = 12

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)
_TRAILING = re.compile(r"[\s:.\u2026!]+$")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The form text rules and title comparisons see.

    >>> normalise("  Syria\u2019s   Aleppo:  ")
    "syria's aleppo"
    """
    text = _SPACE.sub(" ", text.translate(_QUOTES)).strip().casefold()
    return _TRAILING.sub("", text)


def _pattern(body: str) -> str:
    if len(body) > 2 and body.startswith("/") and body.endswith("/"):
        return body[1:-1]
    parts = []
    for token in re.split(r"(\*|#)", normalise(body)):
        if token == "*":
            parts.append(".*?")
        elif token == "#":
            parts.append(r"[\d.,]+[km]?")
        else:
            parts.append(re.escape(token))
    return "".join(parts)


class TextMatcher:
    """Text rules compiled into one alternation per action for a fast negative test."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self._rules = [(r, re.compile(_pattern(r.body), re.IGNORECASE)) for r in rules]
        joined = "|".join(f"(?:{_pattern(r.body)})" for r in rules)
        self._any = re.compile(f"(?:{joined})", re.IGNORECASE) if rules else None

    @property
    def rules(self) -> list[Rule]:
        return [r for r, _ in self._rules]

    def __bool__(self) -> bool:
        return self._any is not None

    def rule_for(self, text: str) -> Rule | None:
        """The first rule that matches a whole block, if any."""
        if self._any is None or len(text) > MAX_RULE_BLOCK:
            return None
        norm = normalise(text)
        if not norm or not self._any.fullmatch(norm):
            return None
        for rule, rx in self._rules:
            if rx.fullmatch(norm):
                return rule
        return None

    def apply(
        self, blocks: Sequence[Block], *, skip: frozenset[Rule] = frozenset()
    ) -> tuple[list[Block], list[Removal]]:
        """Apply the rules (except those in ``skip``) to the blocks, in order."""
        kept: list[Block] = []
        removed: list[Removal] = []
        i = 0
        while i < len(blocks):
            block = blocks[i]
            rule = self.rule_for(block.text)
            if rule is None or rule in skip:
                kept.append(block)
                i += 1
                continue
            span = [block.text]
            i += 1
            if rule.action is RuleAction.CUT and any(b.kind is not BlockKind.HEADING for b in kept):
                span.extend(b.text for b in blocks[i:])
                i = len(blocks)
            elif rule.action is RuleAction.RUN:
                while i < len(blocks):
                    nxt = self.rule_for(blocks[i].text)
                    if nxt is not None and nxt not in skip:
                        if nxt.action is not RuleAction.DROP:
                            break  # another anchor: let its own rule act (a cut must cut)
                    elif blocks[i].kind is BlockKind.HEADING or not _short(blocks[i].text):
                        break  # a heading is the article's structure, never a button
                    span.append(blocks[i].text)
                    i += 1
            removed.append(_removal(rule, "\n".join(span)))
        return kept, removed


def _short(text: str) -> bool:
    """A block that can belong to a run: a label, a button, a link title, not a sentence."""
    words = len(text.split())
    if words <= 4:
        return True
    return words <= RUN_MAX_WORDS and not text.rstrip().endswith((".", "!", "?"))


def _removal(rule: Rule, text: str) -> Removal:
    return Removal(rule.source, rule.line, rule.raw, "text", text)


_TITLE_SOURCE = "builtin:title"


def _title_like(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 30 and len(text) <= 250 and not text.rstrip().endswith((".", ",", ";"))


def split_title(blocks: Sequence[Block]) -> tuple[str | None, list[Block]]:
    """For flattened text: the first block is the title when it reads like one.

    >>> split_title([Block("A Title"), Block("Body.")])[0]
    'A Title'
    >>> split_title([Block("Just one sentence of text.")])[0] is None
    True
    """
    if len(blocks) >= 2 and _title_like(blocks[0].text):
        return blocks[0].text, list(blocks[1:])
    return None, list(blocks)


def same_title(a: str, b: str) -> bool:
    """Two titles are the same up to case, quote style, spacing and trailing punctuation."""
    return normalise(a) == normalise(b)


_WORDS = re.compile(r"\w+")


def variant_title(heading: str, title: str) -> bool:
    """A heading that words the title a little differently: most of the title's words are in
    it and most of its words are in the title (the page's ``<h1>`` against its ``<title>``,
    which sites reword, shorten or prefix with a kicker).

    >>> variant_title("Julian Assange: Sweden drops rape investigation",
    ...               "Sweden drops Assange rape investigation")
    True
    >>> variant_title("Why the drought came early", "Sweden drops Assange rape investigation")
    False
    """
    a = set(_WORDS.findall(normalise(title)))
    b = set(_WORDS.findall(normalise(heading)))
    if len(a) < 3 or not b:
        return False
    common = len(a & b)
    return common >= 0.6 * len(a) and common >= 0.5 * len(b)


def drop_title_repeats(
    blocks: Sequence[Block], title: str | None, *, window: int = 3
) -> tuple[list[Block], list[Removal]]:
    """Remove blocks among the first ``window`` that repeat the title: the same text, or a
    heading that is a :func:`variant_title` of it."""
    if not title:
        return list(blocks), []
    kept: list[Block] = []
    removed: list[Removal] = []
    for i, block in enumerate(blocks):
        if i < window and same_title(block.text, title):
            removed.append(Removal(_TITLE_SOURCE, 0, "repeated title", "text", block.text))
        elif (
            i < window
            and block.kind is BlockKind.HEADING
            and _title_like(block.text)
            and variant_title(block.text, title)
        ):
            removed.append(Removal(_TITLE_SOURCE, 0, "reworded title", "text", block.text))
        else:
            kept.append(block)
    return kept, removed


_CLOCK = re.compile(r"\b\d{1,2}[:.h]\d{2}\b")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2}[./-]\d{1,2}[./-](\d{4}|\d{2})|\d{4}-\d{2}-\d{2})\b")
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_DATELINE_SOURCE = "builtin:dateline"


def dateline(text: str) -> bool:
    """A short line that stamps the post with its date: a year or numeric date together with
    a time or numeric date, few words, not a sentence. Any language, since it reads digits.

    >>> dateline("sexta-feira, 22 de outubro de 2010 às 20:13")
    True
    >>> dateline("5:45 AM PST 11/19/2019 by Patrick Shanley")
    True
    >>> dateline("2019 American Music Awards")
    False
    >>> dateline("At 10:30 on 5 May 2019 the old bridge finally gave way.")
    False
    """
    if len(text) > 100 or len(text.split()) > 15 or text.rstrip().endswith((".", "!", "?")):
        return False
    numeric = _NUMERIC_DATE.search(text)
    return bool((numeric or _YEAR.search(text)) and (numeric or _CLOCK.search(text)))


def drop_datelines(
    blocks: Sequence[Block], *, window: int = 2
) -> tuple[list[Block], list[Removal]]:
    """Remove date lines (:func:`dateline`) among the first ``window`` blocks: post meta
    that extraction left at the head of the article."""
    kept: list[Block] = []
    removed: list[Removal] = []
    for i, block in enumerate(blocks):
        if i < window and block.kind is BlockKind.PARAGRAPH and dateline(block.text):
            removed.append(Removal(_DATELINE_SOURCE, 0, "date line", "text", block.text))
        else:
            kept.append(block)
    return kept, removed


#: Labels of a comment thread, in the languages of the rule packs: the body can end with one
#: when the thread itself was removed ("Comments", "12 comments", "Kommentare (3)").
_TRAILING_LABEL = re.compile(
    r"((\d+|no) )?(comments?|responses?|replies|kommentare?|commentaires?|comentarios?|"
    r"commenti|comentários?|reacties|reactie)( \(\d+\))?( yet)?"
)
_TRAILING_SOURCE = "builtin:trailing-label"


def drop_trailing_labels(blocks: Sequence[Block]) -> tuple[list[Block], list[Removal]]:
    """Remove comment-thread labels that end the body. Alone in the middle of an article such
    a word can be content (a list item); at the very end it labels what was removed after it.

    >>> blocks = [Block("Text."), Block("Comments"), Block("3 comments")]
    >>> kept, removed = drop_trailing_labels(blocks)
    >>> [b.text for b in kept], [r.text for r in removed]
    (['Text.'], ['Comments', '3 comments'])
    >>> [b.text for b in drop_trailing_labels([Block("Comments"), Block("Text.")])[0]]
    ['Comments', 'Text.']
    """
    end = len(blocks)
    while end > 1 and _TRAILING_LABEL.fullmatch(normalise(blocks[end - 1].text)):
        end -= 1
    removed = [
        Removal(_TRAILING_SOURCE, 0, "comment label at the end", "text", b.text)
        for b in blocks[end:]
    ]
    return list(blocks[:end]), removed
