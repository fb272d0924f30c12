from __future__ import annotations

import pytest

from cleaner import clean
from cleaner.dom import normalise
from cleaner.result import Block, BlockKind
from cleaner.revise import TextMatcher, drop_title_repeats, split_title
from cleaner.ruleset import RuleSet


def matcher(text: str) -> TextMatcher:
    return TextMatcher(RuleSet.from_text(text, source="t.txt").rules)


def texts(blocks: list[Block]) -> list[str]:
    return [b.text for b in blocks]


def test_drop_matches_whole_block_only() -> None:
    m = matcher("#drop# Share this")
    kept, removed = m.apply([Block("Share this:"), Block("Please share this with friends.")])
    assert texts(kept) == ["Please share this with friends."]
    assert [r.where for r in removed] == ["t.txt:1"]


def test_cut_removes_to_the_end() -> None:
    m = matcher("#cut# Leave a Reply")
    kept, removed = m.apply([Block("Body."), Block("LEAVE A REPLY"), Block("Name"), Block("Email")])
    assert texts(kept) == ["Body."]
    assert removed[0].text == "LEAVE A REPLY\nName\nEmail"


def test_cut_without_article_before_acts_as_drop() -> None:
    m = matcher("#cut# Leave a Reply")
    kept, _ = m.apply([Block("Leave a Reply"), Block("The article starts here.")])
    assert texts(kept) == ["The article starts here."]


def test_run_takes_short_blocks_and_stops_at_prose() -> None:
    m = matcher("#run# Share this")
    blocks = [
        Block("Intro."),
        Block("Share this:"),
        Block("Twitter"),
        Block("Facebook"),
        Block("The article goes on with a full sentence after the buttons."),
    ]
    kept, removed = m.apply(blocks)
    assert texts(kept) == ["Intro.", "The article goes on with a full sentence after the buttons."]
    assert removed[0].text == "Share this:\nTwitter\nFacebook"


def test_wildcards_and_numbers() -> None:
    m = matcher("#drop# You are commenting using your * account*\n#drop# # bloggers like this")
    kept, _ = m.apply(
        [
            Block("You are commenting using your Twitter account. ( Log Out / Change )"),
            Block("12 bloggers like this."),
            Block("Kept."),
        ]
    )
    assert texts(kept) == ["Kept."]


def test_regex_pattern() -> None:
    m = matcher(r"#drop# /\d+ (?:responses|comments)/")
    kept, _ = m.apply([Block("14 Responses"), Block("Kept.")])
    assert texts(kept) == ["Kept."]


def test_long_blocks_are_never_matched() -> None:
    m = matcher("#drop# *share*")
    long = "share " * 100
    kept, _ = m.apply([Block(long)])
    assert texts(kept) == [long]


def test_normalise_folds_quotes_case_space_and_trailing_punctuation() -> None:
    assert normalise("  Syria’s  ALEPPO: ") == normalise("Syria's Aleppo")


def test_repeated_title_collapses_up_to_quote_style() -> None:
    kept, removed = drop_title_repeats([Block("Syria's Aleppo"), Block("Body.")], "Syria’s Aleppo")
    assert texts(kept) == ["Body."]
    assert removed[0].rule == "repeated title"


def test_split_title_needs_a_title_like_first_line() -> None:
    title, rest = split_title([Block("A Title"), Block("Body.")])
    assert title == "A Title" and texts(rest) == ["Body."]
    title, rest = split_title([Block("A sentence that ends."), Block("Body.")])
    assert title is None and len(rest) == 2


ARTICLE_ABOUT_COMMENTING = """Why Comment Sections Still Matter

Readers who comment on a post often share links, reply to each other and subscribe to the blog.

A good comment policy says when the author will reply, and why you should never share your email address publicly.

Some blogs ask you to leave a reply before you can download a file. Share this idea with care.

Like this post? Most people never click the like button, but they do share articles they enjoy.

Related research shows that readers who subscribe read three times more posts.
"""


def test_false_positive_guard_article_about_commenting_keeps_every_paragraph() -> None:
    res = clean(ARTICLE_ABOUT_COMMENTING)
    assert res.title == "Why Comment Sections Still Matter"
    body = [p.strip() for p in ARTICLE_ABOUT_COMMENTING.split("\n\n")[1:]]
    assert res.text.split("\n") == body
    assert res.removed == ()


@pytest.mark.parametrize(
    "line",
    ["Leave a Reply", "Leave a reply", "LEAVE A REPLY", "Leave a Reply to Anna", "Leave a comment"],
)
def test_comment_form_anchors_cut(line: str) -> None:
    res = clean(f"Title\n\nThe body of the article.\n\n{line}\n\nName\n\nEmail\n\nWebsite")
    assert res.text == "The body of the article."


def test_headings_kind_does_not_count_as_article_before_cut() -> None:
    m = matcher("#cut# Comments")
    kept, _ = m.apply([Block("Heading", BlockKind.HEADING), Block("Comments"), Block("Body.")])
    assert texts(kept) == ["Heading", "Body."]


def test_grouped_matching_picks_the_same_rule_as_trying_every_rule_in_order() -> None:
    """TextMatcher groups rules by first character and tests `* words` rules as suffixes;
    on every line of the fixtures it must pick what trying each rule in file order picks."""
    import re
    from pathlib import Path

    from cleaner.dom import normalise
    from cleaner.revise import MAX_RULE_BLOCK, TextMatcher, _pattern
    from cleaner.ruleset import builtin_rules

    rules = [r for r in builtin_rules().rules if r.action.name in ("CUT", "DROP", "RUN")]
    matcher = TextMatcher(rules)
    compiled = [(r, re.compile(_pattern(r.body), re.IGNORECASE)) for r in rules]

    def naive(text: str):  # type: ignore[no-untyped-def]
        norm = normalise(text)
        if not norm or len(text) > MAX_RULE_BLOCK:
            return None
        return next((r for r, rx in compiled if rx.fullmatch(norm)), None)

    root = Path(__file__).resolve().parent.parent
    lines = {"Oops cancel reply", "Cancel reply", "12 thoughts on “Hello”", "Share this:"}
    for path in [*root.glob("fixtures/*/source.*"), *root.glob("fixtures/*/expected.txt")]:
        lines.update(x.strip() for x in path.read_text(encoding="utf-8").splitlines())
    matched = 0
    for line in sorted(lines):
        assert matcher.rule_for(line) == naive(line), line
        matched += naive(line) is not None
    assert matched > 100


def test_toc_takes_the_entries_the_text_repeats_and_keeps_the_first_heading() -> None:
    m = matcher("#toc# Table of Contents")
    blocks = [
        Block("Intro paragraph of the post, a sentence."),
        Block("Table of Contents"),
        Block("hide"),
        Block("1. What you need"),
        Block("2. Mixing the solution"),
        Block("What you need"),
        Block("You need a jug and forty minutes, and a sentence to say so."),
        Block("Mixing the solution", BlockKind.HEADING),
        Block("Dissolve the acid in warm water."),
    ]
    kept, removed = m.apply(blocks)
    assert texts(kept) == [
        "Intro paragraph of the post, a sentence.",
        "What you need",
        "You need a jug and forty minutes, and a sentence to say so.",
        "Mixing the solution",
        "Dissolve the acid in warm water.",
    ]
    assert removed[0].text.splitlines() == [
        "Table of Contents",
        "hide",
        "1. What you need",
        "2. Mixing the solution",
    ]


def test_toc_without_its_list_removes_only_the_title() -> None:
    """Extraction often leaves the list out: the short heading after the title is the
    article's, and the text does not repeat it."""
    m = matcher("#toc# Table of Contents")
    blocks = [Block("Table of Contents"), Block("Supplies"), Block("Some paint and a brush.")]
    kept, _ = m.apply(blocks)
    assert texts(kept) == ["Supplies", "Some paint and a brush."]


def _as_on_python_310(monkeypatch: pytest.MonkeyPatch) -> None:
    """The `re` module as Python 3.10 has it: no `re._parser` or `re._constants` (their
    3.10 names, `sre_parse` and `sre_constants`, are imported first: on 3.11+ they are
    aliases of the new modules)."""
    import re
    import sys
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import sre_constants  # noqa: F401
        import sre_parse  # noqa: F401
    for name in ("_parser", "_constants"):
        monkeypatch.delattr(re, name, raising=False)
        monkeypatch.setitem(sys.modules, f"re.{name}", None)  # type: ignore[arg-type]


def test_prefilters_work_on_python_310(monkeypatch: pytest.MonkeyPatch) -> None:
    """pyproject allows 3.10, where the regex parser is `sre_parse`: the prefilters that tell
    which blocks a rule can match (first characters, required strings) silently vanished
    there (every rule then tried on every block). Same answers on both names."""
    from cleaner import revise

    body = "/(?=.{0,99}$)(please )?follow (us|me) on (x|bluesky)\\b.*/"
    expected = (revise._required(body), revise._first_chars("/[Ss]hare (this|on)/"))
    assert expected == (frozenset({"follow "}), frozenset("sS"))
    _as_on_python_310(monkeypatch)
    import re

    with pytest.raises(ImportError):
        from re import _parser  # type: ignore[attr-defined]  # noqa: F401
    assert (revise._required(body), revise._first_chars("/[Ss]hare (this|on)/")) == expected
    # and the matcher built there removes what it removes on 3.11+
    rules = RuleSet.from_text("#drop# /follow (us|me) on (x|bluesky)/", source="t").rules
    kept, removed = TextMatcher(rules).apply([Block("Body text here."), Block("Follow us on X")])
    assert [b.text for b in kept] == ["Body text here."] and [r.where for r in removed] == ["t:1"]
    assert re.compile("a").match("a")  # re itself is untouched


def test_a_title_repeat_that_is_all_the_body_says_stays() -> None:
    """A page whose only block repeats its title (a forum thread whose post is its title) keeps
    it: removing it would leave an empty article."""
    only = [Block("FCC Chair to Europe: if you restrict US satellite providers, we ban you")]
    assert drop_title_repeats(only, only[0].text) == (only, [])
    kept, removed = drop_title_repeats([only[0], Block("The post's first sentence.")], only[0].text)
    assert [b.text for b in kept] == ["The post's first sentence."] and len(removed) == 1
