"""Rule files: parsing, validation and selection by domain.

Rules are data. A rule file is UTF-8 text, one rule per line (see ``docs/rules.md``):

- ``! comment`` and blank lines are ignored;
- ``##selector`` hides (removes) elements matching a CSS selector on every page,
  ``example.com,example.org##selector`` only on those domains (and their subdomains),
  ``example.com#@#selector`` is an exception that turns a hiding rule off there;
- ``#cut#pattern``, ``#drop#pattern``, ``#run#pattern`` and ``#toc#pattern`` are text rules,
  matched against whole blocks of text (see :mod:`cleaner.revise`), optionally with domains in
  front too;
- ``#body#selector`` and ``#lead#selector`` are positive rules: where a platform puts the
  article's body, and its standfirst or subtitle (see :mod:`cleaner.article`);
- ``!# not-on: forum, ...`` (a comment to other tools) scopes the rules after it, up to the
  next such line, away from pages of those kinds (:mod:`cleaner.kinds`): a forum thread is a
  list of comments, and the rules that remove a blog post's comment section would remove
  it; ``!# not-on:`` alone ends the scope.

This module only parses; it imports neither lxml nor trafilatura.

>>> rs = RuleSet.from_text("! demo\\n##.share\\n#cut# Leave a Reply\\n", source="demo.txt")
>>> [(r.where, r.action.value, r.body) for r in rs.rules]
[('demo.txt:2', 'hide', '.share'), ('demo.txt:3', 'cut', 'Leave a Reply')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errors import RuleSyntaxError

__all__ = ["Rule", "RuleAction", "RuleSet", "Skipped", "builtin_rules", "BUILTIN_PACKS"]

#: The built-in rule packs, one file per topic, in the order they are applied.
BUILTIN_PACKS: tuple[str, ...] = (
    "comments",
    "login",
    "share",
    "likes",
    "forums",
    "shop",
    "related",
    "ads",
    "newsletter",
    "cookies",
    "meta",
    "toc",
    "calls-to-action",
    "article",
)


class RuleAction(str, Enum):
    """What a rule does."""

    HIDE = "hide"  # ##selector: remove matching elements
    EXCEPT = "except"  # #@#selector: do not apply the hiding rule with this selector
    CUT = "cut"  # #cut#pattern: drop the matching block and everything after it
    DROP = "drop"  # #drop#pattern: drop the matching block
    RUN = "run"  # #run#pattern: drop the matching block and the short blocks right after it
    TOC = "toc"  # #toc#pattern: drop the matching block and the entries of the list it heads
    BODY = "body"  # #body#selector: the article's body container
    LEAD = "lead"  # #lead#selector: the article's standfirst or subtitle

    @property
    def is_text(self) -> bool:
        return self in (RuleAction.CUT, RuleAction.DROP, RuleAction.RUN, RuleAction.TOC)

    @property
    def is_positive(self) -> bool:
        """A rule that says where the article is, not what to remove."""
        return self in (RuleAction.BODY, RuleAction.LEAD)


_SEPARATORS = {
    "##": RuleAction.HIDE,
    "#@#": RuleAction.EXCEPT,
    "#cut#": RuleAction.CUT,
    "#drop#": RuleAction.DROP,
    "#run#": RuleAction.RUN,
    "#toc#": RuleAction.TOC,
    "#body#": RuleAction.BODY,
    "#lead#": RuleAction.LEAD,
}
# Separators of EasyList/uBlock/AdGuard syntaxes we recognise but do not support.
_UNSUPPORTED_SEPARATORS = {
    "#?#": "extended (procedural) cosmetic filters are not supported",
    "#@?#": "extended (procedural) cosmetic filters are not supported",
    "#$#": "CSS injection rules are not supported",
    "#@$#": "CSS injection rules are not supported",
    "#%#": "script rules are not supported",
    "#@%#": "script rules are not supported",
    "$$": "HTML filtering rules are not supported",
    "$@$": "HTML filtering rules are not supported",
}
_LINE = re.compile(
    r"^(?P<domains>[^#\s]*?)"
    r"(?P<sep>#@\?#|#@\$#|#@%#|#\?#|#\$#|#%#|#@#|##|#cut#|#drop#|#run#|#toc#|#body#|#lead#"
    r"|\$@\$|\$\$)"
    r"(?P<body>.*)$"
)
# uBlock procedural operators and other non-CSS extensions inside a `##` body.
_PROCEDURAL = re.compile(
    r":(?:style|remove|remove-attr|remove-class|has-text|matches-css(?:-before|-after)?|"
    r"matches-attr|matches-path|matches-media|min-text-length|upward|xpath|watch-attr|"
    r"others|-abp-[a-z-]+|contains|if|if-not|nth-ancestor|properties)\("
)
_DOMAIN = re.compile(r"^~?[a-z0-9*]([a-z0-9*.-]*[a-z0-9*])?$")
# URL syntax of network rules: anchors `||` `|`, separator `^`, options `$`, wildcards, paths.
_URL_SYNTAX = re.compile(r"[|^$*/=?&]")
_NOT_A_RULE = (
    "not a rule (a rule is ##selector, domain##selector, a text rule #cut#, #drop#, #run#, "
    "#toc#, or a positive rule #body#, #lead#; "
    "see docs/rules.md)"
)


@dataclass(frozen=True)
class Rule:
    """One rule, with where it was written."""

    source: str
    line: int
    raw: str
    action: RuleAction
    body: str
    domains: tuple[str, ...] = ()
    not_domains: tuple[str, ...] = ()
    #: kinds of page the rule does not apply to (``!# not-on:``)
    not_kinds: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"

    def applies_to(self, host: str | None) -> bool:
        """Whether the rule is active on a page of this host (``None``: unknown host).

        >>> r = Rule("x", 1, "a.com##.b", RuleAction.HIDE, ".b", domains=("a.com",))
        >>> r.applies_to("blog.a.com"), r.applies_to("b.com"), r.applies_to(None)
        (True, False, False)
        """
        if host is None:
            return not self.domains
        if any(_host_matches(host, d) for d in self.not_domains):
            return False
        return not self.domains or any(_host_matches(host, d) for d in self.domains)


@dataclass(frozen=True)
class Skipped:
    """A line of a third-party list that was skipped in lenient mode."""

    source: str
    line: int
    reason: str


def _host_matches(host: str, domain: str) -> bool:
    host = host.lower().rstrip(".")
    if domain.endswith(".*"):  # uBlock's "example.*" means any public suffix
        stem = domain[:-2]
        return host == stem or host.startswith(stem + ".") or f".{stem}." in f".{host}"
    return host == domain or host.endswith("." + domain)


def _check_selector(selector: str) -> str | None:
    """Return why a CSS selector cannot be used, or None when it can."""
    if _PROCEDURAL.search(selector) or selector.startswith("+js("):
        return "procedural or scriptlet filters are not supported"
    from cssselect import SelectorError, parse  # pure Python; no lxml

    try:
        selectors = parse(selector)
    except SelectorError as exc:
        return f"invalid CSS selector ({exc})"
    if any(s.pseudo_element for s in selectors):
        return "pseudo-elements cannot be removed"
    return None


def regex_of(pattern: str) -> str | None:
    """The regular expression of a text rule written ``/regex/``; None for a plain pattern.

    >>> regex_of("/[0-9]+ likes/"), regex_of("Leave a Reply")
    ('[0-9]+ likes', None)
    """
    if len(pattern) > 2 and pattern.startswith("/") and pattern.endswith("/"):
        return pattern[1:-1]
    return None


def _check_pattern(pattern: str) -> str | None:
    if not pattern:
        return "empty text pattern"
    regex = regex_of(pattern)
    if regex is not None:
        try:
            re.compile(regex)
        except re.error as exc:
            return f"invalid regular expression ({exc})"
    return None


#: ``!# not-on: kind, kind``: the scope of the rules that follow (module docstring).
_SCOPE = re.compile(r"^!#\s*not-on:\s*(.*)$")


def parse_line(text: str, source: str, line: int) -> Rule | None:
    """Parse one line; ``None`` for comments and blank lines; RuleSyntaxError if unusable."""
    stripped = text.strip()
    if (
        not stripped
        or stripped.startswith("!")
        or (stripped.startswith("[") and stripped.endswith("]"))
    ):
        return None
    m = _LINE.match(stripped)
    if m is None:
        network = _looks_like_network_rule(stripped)
        why = "network rules are not supported (only cosmetic ## rules)" if network else _NOT_A_RULE
        raise RuleSyntaxError(source, line, stripped, why)
    sep = m.group("sep")
    if sep in _UNSUPPORTED_SEPARATORS:
        raise RuleSyntaxError(source, line, stripped, _UNSUPPORTED_SEPARATORS[sep])
    action = _SEPARATORS[sep]
    body = m.group("body").strip()
    domains: list[str] = []
    not_domains: list[str] = []
    for d in filter(None, (p.strip().lower() for p in m.group("domains").split(","))):
        if not _DOMAIN.match(d):
            raise RuleSyntaxError(source, line, stripped, f"invalid domain {d!r}")
        (not_domains if d.startswith("~") else domains).append(d.lstrip("~"))
    if action.is_text:
        reason = _check_pattern(body)
    elif not body:
        reason = "empty selector"
    else:
        reason = _check_selector(body)
    if reason:
        raise RuleSyntaxError(source, line, stripped, reason)
    return Rule(source, line, stripped, action, body, tuple(domains), tuple(not_domains))


@dataclass(frozen=True)
class RuleSet:
    """An immutable, ordered collection of rules.

    Combine sets with ``+``; :func:`builtin_rules` gives the built-in packs.
    """

    rules: tuple[Rule, ...] = ()
    skipped: tuple[Skipped, ...] = field(default=())

    def __add__(self, other: RuleSet) -> RuleSet:
        return RuleSet(self.rules + other.rules, self.skipped + other.skipped)

    def __len__(self) -> int:
        return len(self.rules)

    @classmethod
    def from_text(cls, text: str, source: str, *, lenient: bool = False) -> RuleSet:
        """Parse rules from text. ``lenient`` skips (and counts) unsupported lines."""
        rules: list[Rule] = []
        skipped: list[Skipped] = []
        not_kinds: tuple[str, ...] = ()
        for number, line in enumerate(text.splitlines(), start=1):
            scope = _SCOPE.match(line.strip())
            if scope:
                not_kinds = tuple(k for k in re.split(r"[\s,]+", scope[1]) if k)
                continue
            try:
                rule = parse_line(line, source, number)
                if rule is not None and not_kinds:
                    rule = replace(rule, not_kinds=not_kinds)
            except RuleSyntaxError as exc:
                if not lenient:
                    raise
                skipped.append(Skipped(source, number, exc.reason))
                continue
            if rule is not None:
                rules.append(rule)
        return cls(tuple(rules), tuple(skipped))

    @classmethod
    def from_file(cls, path: str | Path, *, lenient: bool = False) -> RuleSet:
        """Read a rule file. Raises :class:`RuleSyntaxError` for unusable lines unless lenient.

        A file that looks like a third-party filter list (an ``[Adblock ...]`` header, or
        a majority of network rules) is read leniently.
        """
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise RuleSyntaxError(
                str(path), 0, "", f"cannot read rule file ({exc.strerror})"
            ) from exc
        except UnicodeDecodeError as exc:
            raise RuleSyntaxError(str(path), 0, "", "rule file is not UTF-8 text") from exc
        lenient = lenient or _looks_like_filter_list(text)
        return cls.from_text(text, str(path), lenient=lenient)

    @classmethod
    def load(cls, paths: Iterable[str | Path], *, lenient: bool = False) -> RuleSet:
        out = cls()
        for p in paths:
            out = out + cls.from_file(p, lenient=lenient)
        return out

    def select(self, host: str | None) -> tuple[tuple[Rule, ...], tuple[Rule, ...]]:
        """The (hiding, text) rules active on a page of ``host``, exceptions applied."""
        excepted = {
            r.body for r in self.rules if r.action is RuleAction.EXCEPT and r.applies_to(host)
        }
        hide = tuple(
            r
            for r in self.rules
            if r.action is RuleAction.HIDE and r.body not in excepted and r.applies_to(host)
        )
        text = tuple(r for r in self.rules if r.action.is_text and r.applies_to(host))
        return hide, text

    def positive(self, host: str | None) -> tuple[Rule, ...]:
        """The positive rules (``#body#``, ``#lead#``) active on a page of ``host``, in order.

        >>> rs = RuleSet.from_text("#lead#.excerpt\\nx.com#lead#.dek", source="a.txt")
        >>> [r.where for r in rs.positive("blog.org")], [r.where for r in rs.positive("x.com")]
        (['a.txt:1'], ['a.txt:1', 'a.txt:2'])
        """
        return tuple(r for r in self.rules if r.action.is_positive and r.applies_to(host))

    def counts(self) -> dict[str, int]:
        """Rule counts per source file."""
        out: dict[str, int] = {}
        for r in self.rules:
            out[r.source] = out.get(r.source, 0) + 1
        return out


def _looks_like_network_rule(line: str) -> bool:
    """A line of an adblock list's network filters (``||ads.com^``, ``@@||cdn.com/x.js$script``,
    ``/banner/*``, ``-ad-banner-``): no white space, and URL syntax. Prose has white space.

    >>> [_looks_like_network_rule(s) for s in ("||ads.com^$third-party", "-ad-banner-")]
    [True, True]
    >>> [_looks_like_network_rule(s) for s in ("Hello there, my notes.", "Introduction")]
    [False, False]
    """
    if not line or any(c.isspace() for c in line):
        return False
    return bool(_URL_SYNTAX.search(line)) or line[0] in "-_." or line[-1] in "-_"


def _looks_like_filter_list(text: str) -> bool:
    """A third-party adblock list: its header, or mostly network rules (not prose)."""
    head = text.lstrip("\ufeff")[:200]
    if head.startswith("[Adblock") or head.startswith("[uBlock"):
        return True
    lines = [ln.strip() for ln in text.splitlines()[:500]]
    lines = [ln for ln in lines if ln and not ln.startswith("!")]
    if len(lines) < 20:
        return False
    network = sum(1 for ln in lines if _LINE.match(ln) is None and _looks_like_network_rule(ln))
    return network > len(lines) // 2


def _builtin_source(pack: str) -> str:
    return f"cleaner/rules/{pack}.txt"


@lru_cache(maxsize=1)
def builtin_rules() -> RuleSet:
    """The built-in packs (cached: the files ship with the package and do not change)."""
    out = RuleSet()
    root = resources.files("cleaner") / "rules"
    for pack in BUILTIN_PACKS:
        text = (root / f"{pack}.txt").read_text(encoding="utf-8")
        out = out + RuleSet.from_text(text, _builtin_source(pack))
    return out


def rules_from(paths: Sequence[str | Path] | None) -> RuleSet:
    """Built-in rules plus the user's rule files."""
    base = builtin_rules()
    return base + RuleSet.load(paths) if paths else base
