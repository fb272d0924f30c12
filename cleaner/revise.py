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
- ``#toc#``: the block goes (a table of contents' title), and so do the entries of the list
  it heads: the short blocks right after it that the text repeats further on, since each entry
  is the title of a heading below (numbering such as "2.1" aside). The first block that the
  text does not repeat ends it, so the article's own first heading stays even when extraction
  already left the list out; only a one-word toggle ("hide", "Toggle") right after the title
  (:data:`TOC_TOGGLES`) goes without being repeated.

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

import json
import re
from collections.abc import Sequence
from typing import Any

from .dom import normalise
from .result import Block, BlockKind, Removal, chars
from .ruleset import Rule, RuleAction, regex_of

__all__ = [
    "TextMatcher",
    "apply_text_rules",
    "settle_title",
    "split_title",
    "drop_title_repeats",
    "drop_datelines",
    "drop_data",
    "drop_duplicates",
    "drop_trailing_labels",
    "MAX_RULE_BLOCK",
]

#: Longer blocks are prose: no text rule ever matches them.
MAX_RULE_BLOCK = 400
#: A block after a ``#run#`` anchor is part of the run when it has at most this many words.
RUN_MAX_WORDS = 12

def _pattern(body: str) -> str:
    regex = regex_of(body)
    if regex is not None:
        return regex
    parts = []
    for token in re.split(r"(\*|#)", normalise(body)):
        if token == "*":
            parts.append(".*?")
        elif token == "#":
            parts.append(r"[\d.,]+[km]?")
        else:
            parts.append(re.escape(token))
    return "".join(parts)


_DIGITS = frozenset("0123456789")


def _first_chars(body: str) -> frozenset[str] | None:
    """The characters a block the rule matches can start with (normalised), or None when
    they cannot be told: a leading ``*``, or a regex whose start is not a literal, a class
    or a choice of those."""
    regex = regex_of(body)
    if regex is not None:
        return _regex_first_chars(regex)
    norm = normalise(body)
    if not norm or norm[0] == "*":
        return None
    return _DIGITS if norm[0] == "#" else frozenset(norm[0])


def _sre() -> tuple[Any, Any]:
    """Python's regular-expression parser and its constants: ``re._parser`` and
    ``re._constants`` since 3.11, ``sre_parse`` and ``sre_constants`` on 3.10 (which
    ``pyproject.toml`` allows; without them the prefilters below would silently be lost)."""
    try:
        from re import _constants, _parser  # type: ignore[attr-defined]
    except ImportError:  # Python 3.10
        import warnings

        with warnings.catch_warnings():  # deprecated aliases on 3.11+, where we never are
            warnings.simplefilter("ignore", DeprecationWarning)
            import sre_constants as _constants
            import sre_parse as _parser
    return _parser, _constants


def _regex_first_chars(pattern: str) -> frozenset[str] | None:
    try:
        parsed = _sre()[0].parse(pattern)
    except Exception:  # noqa: BLE001 - only an optimisation: the rule is then tried on all
        return None
    found = _ops_first(list(parsed))
    if found is None:
        return None
    return frozenset(c for ch in found for c in {ch, ch.lower(), ch.casefold()})


def _ops_first(ops: list) -> set[str] | None:  # type: ignore[type-arg]
    c = _sre()[1]

    if not ops:
        return None
    op, arg = ops[0]
    if op is c.LITERAL:
        return {chr(arg)}
    if op is c.IN:
        out: set[str] = set()
        for kind, value in arg:
            if kind is c.LITERAL:
                out.add(chr(value))
            elif kind is c.RANGE and value[1] - value[0] < 64:
                out.update(chr(x) for x in range(value[0], value[1] + 1))
            else:
                return None
        return out
    if op is c.BRANCH:
        out = set()
        for branch in arg[1]:
            first = _ops_first(list(branch))
            if first is None:
                return None
            out |= first
        return out
    if op is c.SUBPATTERN:
        return _ops_first(list(arg[-1]))
    if op is c.AT and arg is c.AT_BEGINNING:
        return _ops_first(ops[1:])
    return None


#: Required literals shorter than this are not worth a prefilter (a word of one letter is in
#: almost every block).
_MIN_LITERAL = 3


def _required(body: str) -> frozenset[str] | None:
    """Strings one of which every block the rule matches contains (normalised, lower case),
    or None when no such set can be told: a necessary condition, tested as substrings before
    the rule's regex is run.

    >>> sorted(_required("/(?=.{0,99}$)(please )?follow (us|me) on (x|bluesky)\\b.*/"))
    ['follow ']
    >>> _required("/[0-9]+ likes?|[0-9]+ shares?/") == frozenset({" like", " share"})
    True
    """
    regex = regex_of(body)
    pattern = regex if regex is not None else _pattern(body)
    try:
        parsed = _sre()[0].parse(pattern)
    except Exception:  # noqa: BLE001 - only an optimisation: the rule is then always tried
        return None
    found = _ops_required(list(parsed))
    if not found or any(len(lit) < _MIN_LITERAL for lit in found):
        return None
    return frozenset(lit.lower() for lit in found)


def _ops_required(ops: list) -> set[str] | None:  # type: ignore[type-arg]
    """For a parsed sequence: the longest run of literals it must hold, or the strings of a
    required part (a group, or a choice whose every branch has some); None if none."""
    c = _sre()[1]

    best: set[str] | None = None
    run: list[str] = []

    def consider(found: set[str] | None) -> None:
        nonlocal best
        if found and (best is None or min(map(len, found)) > min(map(len, best))):
            best = found

    for op, arg in ops + [(None, None)]:
        if op is c.LITERAL:
            run.append(chr(arg))
            continue
        if run:
            consider({"".join(run)})
            run = []
        if op is c.SUBPATTERN:
            consider(_ops_required(list(arg[-1])))
        elif op is c.BRANCH:
            branches = [_ops_required(list(b)) for b in arg[1]]
            if all(branches):
                consider(set().union(*branches))  # type: ignore[arg-type]
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and arg[0] >= 1:
            consider(_ops_required(list(arg[2])))
    return best


def _suffix_of(body: str) -> str | None:
    """For a rule ``* words`` (no other wildcard): the words, which a block must end with."""
    if regex_of(body) is not None:
        return None
    norm = normalise(body)
    if not norm.startswith("*"):
        return None
    rest = norm[1:].lstrip(" ") if norm[1:2] == " " else None
    if not rest or "*" in rest or "#" in rest:
        return None
    return " " + rest


class _Group:
    """Rules that can match blocks starting with one character: their alternation, for a fast
    negative test, and the rules (with their place in the file) in file order."""

    def __init__(self, rules: list[tuple[int, tuple[Rule, re.Pattern[str]]]]) -> None:
        self.rules = rules
        joined = "|".join(f"(?:{rx.pattern})" for _, (_, rx) in rules)
        self.any = re.compile(f"(?:{joined})", re.IGNORECASE) if rules else None


class TextMatcher:
    """Text rules compiled for a fast negative test: grouped by the character a matching
    block starts with (most rules begin with a word), each group one alternation, so a block
    is tried against a few dozen rules, not all of them."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self._rules = [(r, re.compile(_pattern(r.body), re.IGNORECASE)) for r in rules]
        #: `* words`: a block that ends with the words; a suffix test, not a regex scan
        self._suffixes: list[tuple[int, str]] = []
        general: list[tuple[int, tuple[Rule, re.Pattern[str]]]] = []
        for order, (rule, rx) in enumerate(self._rules):
            suffix = _suffix_of(rule.body)
            if suffix is None:
                general.append((order, (rule, rx)))
            else:
                self._suffixes.append((order, suffix))
        starts = [_first_chars(rr[0].body) for _, rr in general]
        chars = set().union(*(s for s in starts if s is not None))
        self._groups = {
            c: _Group([g for g, s in zip(general, starts, strict=True) if s is not None and c in s])
            for c in chars
        }
        self._none = _Group([])
        #: rules whose first character cannot be told: tried on every block, each only when
        #: the block holds one of the strings it requires (:func:`_required`)
        anywhere = [g for g, s in zip(general, starts, strict=True) if s is None]
        self._anywhere: list[tuple[int, re.Pattern[str], frozenset[str] | None]] = [
            (order, rx, _required(rule.body)) for order, (rule, rx) in anywhere
        ]
        #: one search for every string those rules require: most blocks hold none of them
        needed = sorted({n for _, _, needs in self._anywhere for n in needs or ()})
        self._needs_any = re.compile("|".join(map(re.escape, needed))) if needed else None
        self._suffix_any = tuple(suffix for _, suffix in self._suffixes)

    @property
    def rules(self) -> list[Rule]:
        return [r for r, _ in self._rules]

    def __bool__(self) -> bool:
        return bool(self._rules)

    def rule_for(self, text: str) -> Rule | None:
        """The first rule that matches a whole block, if any."""
        if not self._rules or len(text) > MAX_RULE_BLOCK:
            return None
        norm = normalise(text)
        if not norm:
            return None
        best: int | None = None
        group = self._groups.get(norm[0], self._none)
        if group.any is not None and group.any.fullmatch(norm):
            best = next(order for order, (_, rx) in group.rules if rx.fullmatch(norm))
        holds = self._needs_any is not None and self._needs_any.search(norm) is not None
        for order, rx, needs in self._anywhere:
            if best is not None and order > best:
                break
            if needs is not None and not (holds and any(n in norm for n in needs)):
                continue
            if rx.fullmatch(norm):
                best = order
                break
        if self._suffix_any and norm.endswith(self._suffix_any):
            for order, suffix in self._suffixes:
                if best is not None and order > best:
                    break
                if norm.endswith(suffix):
                    best = order
                    break
        return None if best is None else self._rules[best][0]

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
            elif rule.action is RuleAction.TOC:
                end = _toc_end(blocks, i)
                span.extend(b.text for b in blocks[i:end])
                i = end
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


#: The show/hide link that table-of-contents plugins print after the title (Easy Table of
#: Contents, LuckyWP, Table of Contents Plus; en/de/fr/es/it/pt/nl): it goes with the title.
TOC_TOGGLES = frozenset(
    "toggle hide show ausblenden einblenden masquer afficher ocultar mostrar nascondi mostra "
    "esconder verbergen tonen".split()
)
#: The numbering a table of contents puts before an entry: "2.", "2.1", "IV.", "b)".
_TOC_NUMBER = re.compile(r"^(\d+(\.\d+)*[.)]?|[ivxlc]+[.)]|[a-z][.)])\s+")


def _toc_entry(text: str) -> str:
    return _TOC_NUMBER.sub("", normalise(text))


def _toc_end(blocks: Sequence[Block], start: int) -> int:
    """Where the entries of a table of contents that starts at ``start`` end: each entry is
    short and the text repeats it further on (the heading it links to)."""
    last: dict[str, int] = {}
    for k in range(start, len(blocks)):
        last[_toc_entry(blocks[k].text)] = k
    i = start
    if i < len(blocks) and normalise(blocks[i].text).strip("[]() ") in TOC_TOGGLES:
        i += 1
    while i < len(blocks) and blocks[i].kind is not BlockKind.HEADING and _short(blocks[i].text):
        if last[_toc_entry(blocks[i].text)] <= i:
            break
        i += 1
    return i


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
    """Remove blocks that repeat the title (the same text, or a heading that is a
    :func:`variant_title` of it) before the body has ``window`` blocks of text of its own,
    unless that leaves no text at all (a thread whose title is its post).
    Counting the kept blocks, not positions, makes it idempotent: a second pass finds nothing
    more; blocks without text (images) do not count."""
    if not title:
        return list(blocks), []
    kept: list[Block] = []
    removed: list[Removal] = []
    texts = 0
    for block in blocks:
        early = texts < window
        if early and same_title(block.text, title):
            removed.append(Removal(_TITLE_SOURCE, 0, "repeated title", "text", block.text))
        elif (
            early
            and block.kind is BlockKind.HEADING
            and _title_like(block.text)
            and variant_title(block.text, title)
        ):
            removed.append(Removal(_TITLE_SOURCE, 0, "reworded title", "text", block.text))
        else:
            kept.append(block)
            texts += bool(block.text)
    if removed and not any(b.text for b in kept):
        return list(blocks), []  # the title is all the page says: it stays the body
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
    """Remove date lines (:func:`dateline`) among the first ``window`` blocks of text: post
    meta that extraction left at the head of the article. Blocks without text (images) do not
    count."""
    kept: list[Block] = []
    removed: list[Removal] = []
    i = 0
    for block in blocks:
        if i < window and block.kind is BlockKind.PARAGRAPH and dateline(block.text):
            removed.append(Removal(_DATELINE_SOURCE, 0, "date line", "text", block.text))
        else:
            kept.append(block)
        i += bool(block.text)
    return kept, removed


#: Labels of a comment thread, in the languages of the rule packs: the body can end with one
#: when the thread itself was removed ("Comments", "12 comments", "Kommentare (3)").
_TRAILING_LABEL = re.compile(
    r"((\d+|no) )?(comments?|responses?|replies|kommentare?|commentaires?|comentarios?|"
    r"commenti|comentários?|reacties|reactie)( \(\d+\))?( yet)?"
)
_TRAILING_SOURCE = "builtin:trailing-label"
_DUPLICATE_SOURCE = "builtin:duplicate"
#: Blocks of at least this many characters are compared word for word with the earlier ones.
DUPLICATE_MIN = 40
#: A copy is at least this many such blocks in a row repeating earlier ones in the same order
#: (responsive themes render a description or a whole post twice, for wide and narrow
#: screens). Measured against the m4 dump (word F1): runs of 2, or any single repeat of 200
#: characters, also took a meal plan's repeated "Beachbody Performance Recover, 1 cup
#: blueberries" pairs and an events page's repeated teasers, which the articles hold in
#: their own right (scrapinghub -0.0010, one page 1.00 -> 0.81).
DUPLICATE_RUN = 3
#: ... and the copy holds at least this share of the article's characters: a theme's second
#: rendering is a large part of the page, while a meal plan's repeated day, a product's
#: feature list printed twice in a review, a pricing table's repeated perks or a docs page's
#: tabs are small parts that the ground truths keep. Measured on the pages the runs change
#: (word F1, overall): share 0 -> 0.1 scrapinghub -0.0003 -> 0.0000, wcxb-dev +0.0012 ->
#: +0.0011, wcxb-dev-other +0.0037 -> +0.0029 better per page where it counts (0.2: wcxb-dev
#: and dev-other lose their responsive copies again).
DUPLICATE_SHARE = 0.1


def drop_duplicates(blocks: Sequence[Block]) -> tuple[list[Block], list[Removal]]:
    """Remove copies of earlier stretches of the article: :data:`DUPLICATE_RUN` or more
    blocks of :data:`DUPLICATE_MIN` characters repeating earlier ones in the same order and
    holding :data:`DUPLICATE_SHARE` of its text (shorter blocks between them, a repeated
    heading, go with them when they repeat too).

    >>> a = Block("A description of the mug, wheel thrown and handmade in stoneware.")
    >>> b = Block("Suitable for use in dishwashers and microwave ovens, with care.")
    >>> c = Block("Each mug is unique: glazes run and pool differently in the kiln.")
    >>> kept, removed = drop_duplicates([a, b, c, Block("Sold out"), a, Block("Care"), b, c])
    >>> [bl.text for bl in kept] == [a.text, b.text, c.text, "Sold out", "Care"], len(removed)
    (True, 3)
    >>> line = Block("Portion Fix Containers: 1 Green, 1 Red, 1 Yellow, 1 tsp.")
    >>> len(drop_duplicates([a, line, Block("Lunch"), a, line])[0])
    5
    """
    seen: dict[str, int] = {}  # text -> position among the long blocks where it came first
    long_at: list[int] = []  # block index of each long block
    copy_of: list[int | None] = []  # per long block: position of the block it repeats
    for i, block in enumerate(blocks):
        if len(block.text) < DUPLICATE_MIN or block.kind is BlockKind.CODE:
            continue
        key = block.text  # a theme's second rendering is the same text, character for character
        copy_of.append(seen.get(key))
        seen.setdefault(key, len(long_at))
        long_at.append(i)
    doomed: set[int] = set()
    total = sum(len(b.text) for b in blocks)
    p = 0
    while p < len(copy_of):
        q = p
        if copy_of[p] is not None:
            while q + 1 < len(copy_of) and copy_of[q + 1] == (copy_of[q] or 0) + 1:
                q += 1
        run_chars = sum(len(blocks[long_at[k]].text) for k in range(p, q + 1))
        if q - p + 1 >= DUPLICATE_RUN and run_chars >= DUPLICATE_SHARE * total:
            first, last = long_at[p], long_at[q]
            earlier = {b.text for b in blocks[:first]}
            doomed.update(i for i in range(first, last + 1) if blocks[i].text in earlier)
        p = q + 1
    kept = [b for i, b in enumerate(blocks) if i not in doomed]
    removed = [
        Removal(_DUPLICATE_SOURCE, 0, "repeats an earlier stretch", "text", blocks[i].text)
        for i in sorted(doomed)
    ]
    return kept, removed


_DATA_SOURCE = "builtin:data"
#: A block of at least this many characters that is JSON (an object or an array, not in a
#: code block) is a widget's data printed as text: a shop widget's settings in a hidden span
#: (2.7 and 3.6 KB on a wcxb-dev page), a product grid's state (33 KB), a rating widget's
#: labels. Shorter JSON lines are examples and results that docs and tutorials print in
#: paragraphs ('{"id":12345,"name":"John Doe"}', a list of Fibonacci numbers): 61 characters
#: at most on the three dev sets.
DATA_MIN = 300


def drop_data(blocks: Sequence[Block]) -> tuple[list[Block], list[Removal]]:
    """Remove blocks that are JSON data (:data:`DATA_MIN`), not text, unless they are all
    the article has.

    >>> data = Block('{"layoutMobile": 2, "buttonText": "Buy now", "ids": [' + "1, " * 99 + "2]}")
    >>> text = Block("A paragraph of the post, long enough to be the article. " * 6)
    >>> kept, removed = drop_data([text, data])
    >>> kept == [text], [r.rule for r in removed]
    (True, ['JSON data, not text'])
    >>> len(drop_data([data])[0])
    1
    """
    kept: list[Block] = []
    removed: list[Removal] = []
    for block in blocks:
        text = block.text
        if (
            len(text) >= DATA_MIN
            and block.kind is not BlockKind.CODE
            and text[0] in "{["
            and text.rstrip()[-1:] in ("}", "]")
            and _is_json(text)
        ):
            removed.append(Removal(_DATA_SOURCE, 0, "JSON data, not text", "text", text))
        else:
            kept.append(block)
    if removed and sum(len(b.text) for b in kept) < DATA_MIN:
        # the data is all the extraction found (a shop grid rendered by script): nothing is
        # better than it, and an empty page would read as lost
        return list(blocks), []
    return kept, removed


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


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
    end = cut = len(blocks)
    while end > 1:
        text = blocks[end - 1].text
        if text and not _TRAILING_LABEL.fullmatch(normalise(text)):
            break
        end -= 1
        if text:  # a label; blocks without text (images) after it go with it
            cut = end
    removed = [
        Removal(_TRAILING_SOURCE, 0, "comment label at the end", "text", b.text)
        for b in blocks[cut:]
        if b.text
    ]
    return list(blocks[:cut]), removed


#: Text rules that leave less than this share of the text are doubted: the rule that removed
#: most is skipped and the two compared.
TEXT_RULES_KEEP = 0.25
#: The attempt without the doubted rule wins when it is twice as long, and by this much.
TEXT_RULES_MIN_GAIN = 200


def apply_text_rules(
    textm: TextMatcher, blocks: list[Block], *, skip: frozenset[Rule] = frozenset()
) -> tuple[list[Block], list[Removal], list[str]]:
    """Text rules, with the text half of the safety ladder: if the rules leave less than
    :data:`TEXT_RULES_KEEP` of the text, retry without the rule that removed most and keep the
    better. Returns the kept blocks, the removals and notes."""
    if not textm or not blocks:
        return blocks, [], []
    kept, removed = textm.apply(blocks, skip=skip)
    if not removed or chars(kept) >= TEXT_RULES_KEEP * chars(blocks):
        return kept, removed, []
    by_rule: dict[tuple[str, int], int] = {}
    for r in removed:
        by_rule[(r.source, r.line)] = by_rule.get((r.source, r.line), 0) + len(r.text)
    worst_key = max(by_rule, key=lambda k: by_rule[k])
    worst = next(rule for rule in textm.rules if (rule.source, rule.line) == worst_key)
    kept2, removed2 = textm.apply(blocks, skip=skip | {worst})
    if chars(kept2) > 2 * chars(kept) + TEXT_RULES_MIN_GAIN:
        note = (
            f"safety ladder: text rule {worst.where} {worst.raw} skipped "
            f"({chars(kept)} -> {chars(kept2)} characters)"
        )
        return kept2, removed2, [note]
    return kept, removed, []


def settle_title(
    meta_title: str | None, blocks: list[Block]
) -> tuple[str | None, list[Block], list[Removal]]:
    """The article's own title (the page's, :func:`cleaner.metadata.extract_metadata`, or the
    body's first heading when it words the same title); blocks that repeat it at the start of
    the body go, and so do date lines."""
    title = meta_title
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
