from __future__ import annotations

from cleaner import Cleaner, clean
from cleaner.ruleset import RuleSet

PARAS = "".join(
    f"<p>Paragraph {i} of the article explains one more thing about the garden and the "
    f"weather in some detail, so that the text is long enough to be an article.</p>"
    for i in range(6)
)


def page(extra: str, wrapper_class: str = "entry-content") -> str:
    return (
        "<html><head><title>Rain Report - Garden Blog</title>"
        '<meta property="og:site_name" content="Garden Blog"></head><body>'
        f'<article><h1>Rain Report</h1><div class="{wrapper_class}">{PARAS}</div>{extra}'
        "</article></body></html>"
    )


def test_dom_rules_remove_wordpress_comment_form() -> None:
    form = (
        '<div id="respond" class="comment-respond"><h3 id="reply-title">Leave a Reply</h3>'
        '<form id="commentform"><p class="comment-notes">Your email address will not be '
        "published.</p><textarea></textarea></form></div>"
    )
    res = clean(page(form))
    assert res.title == "Rain Report"
    assert "Leave a Reply" not in res.text and "email address" not in res.text
    assert res.text.startswith("Paragraph 0")
    assert any(
        r.stage == "dom" and r.where.startswith("cleaner/rules/comments.txt") for r in res.removed
    )


def test_wrapper_with_lookalike_class_is_kept() -> None:
    # trafilatura alone drops a wrapper whose class contains "share" or "comment"
    res = clean(page("", wrapper_class="share-story post-comments-count"))
    assert res.text.count("Paragraph") == 6
    assert any("class or id" in n for n in res.notes)


def test_rule_that_hits_the_article_wrapper_is_not_applied() -> None:
    rules = RuleSet.from_text("##article\n", source="greedy.txt")
    res = Cleaner(rules).clean(page(""))
    assert res.text.count("Paragraph") == 6
    assert any("greedy.txt:1" in n for n in res.notes)


def test_safety_ladder_retries_without_a_rule_that_ate_the_body() -> None:
    # the rule matches the wrapper of the text, which holds no marker we protect
    html = page("", wrapper_class="content-wrap").replace("<h1>Rain Report</h1>", "")
    rules = RuleSet.from_text("##.content-wrap\n", source="greedy.txt")
    res = Cleaner(rules).clean(html)
    assert res.text.count("Paragraph") == 6
    assert any("greedy.txt:1" in n for n in res.notes)


def test_per_domain_rules_use_canonical_url() -> None:
    html = page('<div class="promo">Buy now at our shop, every item half price.</div>').replace(
        "<head>", '<head><link rel="canonical" href="https://blog.example.com/rain">'
    )
    rules = RuleSet.from_text("example.com##.promo\n", source="d.txt")
    on_domain = Cleaner(rules).clean(html)
    assert [r.where for r in on_domain.removed if r.stage == "dom"] == ["d.txt:1"]
    off_domain = Cleaner(rules).clean(html, url="https://other.org/x")
    assert [r.where for r in off_domain.removed if r.stage == "dom"] == []


def test_flattened_boilerplate_inside_html_is_removed() -> None:
    res = clean(
        page(
            "<p>Share this:</p><p>Twitter</p><p>Facebook</p><p>Like this:</p><p>Like Loading...</p>"
        )
    )
    assert "Share this" not in res.text and "Twitter" not in res.text and "Loading" not in res.text


def test_bytes_and_str_give_the_same_text() -> None:
    html = page("")
    assert clean(html).text == clean(html.encode("utf-8")).text


def test_page_nested_past_the_parser_depth_limit_keeps_its_end() -> None:
    # old pages that never close <font> nest every paragraph one level deeper; libxml2 stops
    # at 256 levels and silently drops the rest unless asked not to
    paras = "".join(
        f"<font size=2><p>Line {i} of an old page whose font tags are never closed.</p>"
        for i in range(300)
    )
    html = f"<html><head><title>Old page</title></head><body>{paras}</body></html>"
    res = clean(html)
    assert "Line 0 of" in res.text and "Line 299 of" in res.text


def test_hosts_with_the_same_active_rules_share_compiled_matchers() -> None:
    c = Cleaner(RuleSet.from_text("example.com##.promo\n", source="d.txt"))
    a, b, ex = c._matchers("a.org"), c._matchers("b.org"), c._matchers("blog.example.com")
    assert a is b  # no per-domain rule applies to either: compiled once
    assert ex is not a
    plain = Cleaner()
    assert plain._matchers("a.org") is plain._matchers("b.org") is plain._matchers(None)


def test_clean_text_keeps_flattened_text_that_quotes_markup_as_text() -> None:
    page = (
        "Using the <p> and <div> tags\n\n"
        "The <p> element holds one paragraph of text, and browsers put space around it.\n\n"
        "The <div> element groups other elements and has no meaning of its own at all."
    )
    assert clean(page).input_kind == "html"  # sniffed: markup near the start
    res = Cleaner().clean_text(page.encode("utf-8"))
    assert res.input_kind == "text" and res.title == "Using the <p> and <div> tags"
    assert res.text.splitlines()[0].startswith("The <p> element holds")
