from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import RuleSyntaxError
from cleaner.ruleset import RuleAction, RuleSet, builtin_rules


def test_parses_cosmetic_syntax_with_domains_and_exceptions() -> None:
    rs = RuleSet.from_text(
        "! comment\n\n##.share\nexample.com,~shop.example.com##.promo\nexample.com#@#.share\n",
        source="r.txt",
    )
    assert [r.action for r in rs.rules] == [RuleAction.HIDE, RuleAction.HIDE, RuleAction.EXCEPT]
    hide, _ = rs.select("blog.example.com")
    assert [r.body for r in hide] == [".promo"]
    hide, _ = rs.select("shop.example.com")
    assert hide == ()
    hide, _ = rs.select("other.org")
    assert [r.body for r in hide] == [".share"]
    hide, _ = rs.select(None)
    assert [r.body for r in hide] == [".share"]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("##.a:style(display:none)", "procedural"),
        ("example.com##+js(abort-on-property-read, x)", "procedural"),
        ("example.com#?#.a:has-text(Share)", "extended"),
        ("example.com#$#.a { display: none }", "CSS injection"),
        ("||ads.example.com^", "network rules"),
        ("@@||cdn.example.com/share.js$script", "network rules"),
        ("-ad-banner-", "network rules"),
        ("Water the tomatoes in July.", "not a rule ("),
        ("Introduction", "not a rule ("),
        ("Use ## to hide things", "not a rule ("),
        ("##..bad[", "invalid CSS selector"),
        ("##p::before", "pseudo-elements"),
        ("#drop# /(unclosed/", "invalid regular expression"),
    ],
)
def test_unsupported_syntax_names_file_and_line(line: str, reason: str) -> None:
    with pytest.raises(RuleSyntaxError) as info:
        RuleSet.from_text(f"! header\n{line}\n", source="mine.txt")
    assert info.value.line == 2
    assert str(info.value).startswith("mine.txt:2: ")
    assert reason in str(info.value)


def test_lenient_mode_skips_and_counts() -> None:
    rs = RuleSet.from_text("##.a\n||ads.com^\n##.b:style(x)\n", source="list.txt", lenient=True)
    assert [r.body for r in rs.rules] == [".a"]
    assert [(s.line, s.source) for s in rs.skipped] == [(2, "list.txt"), (3, "list.txt")]


def test_third_party_list_is_read_leniently(tmp_path: Path) -> None:
    f = tmp_path / "easylist.txt"
    f.write_text("[Adblock Plus 2.0]\n! Title: x\n||ads.com^\n##.social-share\n", encoding="utf-8")
    rs = RuleSet.from_file(f)
    assert [r.body for r in rs.rules] == [".social-share"]
    assert len(rs.skipped) == 1


def test_own_rule_file_with_bad_line_raises(tmp_path: Path) -> None:
    f = tmp_path / "mine.txt"
    f.write_text("##.ok\n##.bad:style(x)\n", encoding="utf-8")
    with pytest.raises(RuleSyntaxError, match=r"mine.txt:2"):
        RuleSet.from_file(f)


def test_builtin_packs_load_and_every_rule_knows_its_line() -> None:
    rs = builtin_rules()
    assert len(rs) > 20
    root = Path(__file__).resolve().parent.parent
    for rule in rs.rules:
        path = root / rule.source
        assert path.read_text(encoding="utf-8").splitlines()[rule.line - 1].strip() == rule.raw


def test_an_unreadable_rule_file_is_named_without_a_line(tmp_path: Path) -> None:
    with pytest.raises(RuleSyntaxError) as info:
        RuleSet.from_file(tmp_path / "nofile.txt")
    assert (
        str(info.value)
        == f"{tmp_path / 'nofile.txt'}: cannot read rule file (No such file or directory)"
    )
    (tmp_path / "latin1.txt").write_bytes("##.caf\xe9\n".encode("latin-1"))
    with pytest.raises(RuleSyntaxError) as info:
        RuleSet.from_file(tmp_path / "latin1.txt")
    assert str(info.value) == f"{tmp_path / 'latin1.txt'}: rule file is not UTF-8 text"


def test_a_long_file_of_prose_is_not_read_as_a_filter_list(tmp_path: Path) -> None:
    """Many lines without `#` are not an adblock list when they are sentences: strict, so the
    first one is an error instead of every line skipped without a word."""
    prose = tmp_path / "notes.txt"
    prose.write_text("\n".join(f"Note {i}: water the beans again." for i in range(40)))
    with pytest.raises(RuleSyntaxError, match=r"notes.txt:1: not a rule"):
        RuleSet.from_file(prose)
    network = tmp_path / "list.txt"
    network.write_text("\n".join([f"||ads{i}.example.com^" for i in range(30)] + ["##.share"]))
    assert [r.body for r in RuleSet.from_file(network).rules] == [".share"]


def test_a_scope_line_keeps_the_rules_after_it_off_those_kinds_of_page() -> None:
    from cleaner.ruleset import RuleSet

    rs = RuleSet.from_text(
        "##.a\n!# not-on: forum, listing\n##.b\n#cut# Comments\n!# not-on:\n##.c\n! x\n##.d",
        source="t",
    )
    assert [(r.body, r.not_kinds) for r in rs.rules] == [
        (".a", ()), (".b", ("forum", "listing")), ("Comments", ("forum", "listing")),
        (".c", ()), (".d", ()),
    ]
    assert [r.line for r in rs.rules] == [1, 3, 4, 6, 8]  # file:line stays true
