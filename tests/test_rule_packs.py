"""The built-in rule packs, user rule files and third-party lists, end to end."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import Cleaner, clean
from cleaner.cli import app
from cleaner.result import Block, BlockKind
from cleaner.revise import TextMatcher
from cleaner.ruleset import BUILTIN_PACKS, RuleAction, RuleSet

ROOT = Path(__file__).resolve().parent.parent
WPCOM = ROOT / "fixtures" / "wpcom-highlander-jetpack-en" / "source.html"
runner = CliRunner()


#: The packs of positive rules (where the article is): no removal rules in them.
POSITIVE_PACKS = ("article",)


@pytest.mark.parametrize("pack", BUILTIN_PACKS)
def test_every_builtin_pack_parses_strictly_and_has_dom_and_text_rules(pack: str) -> None:
    text = (resources.files("cleaner") / "rules" / f"{pack}.txt").read_text(encoding="utf-8")
    rules = RuleSet.from_text(text, source=f"{pack}.txt").rules  # strict: raises on a bad line
    assert rules, f"{pack} is empty"
    if pack in POSITIVE_PACKS:
        assert all(r.action.is_positive for r in rules), f"{pack} removes something"
        return
    assert not any(r.action.is_positive for r in rules), f"{pack} mixes in positive rules"
    assert any(r.action is RuleAction.HIDE for r in rules), f"{pack} has no DOM rule"
    assert any(r.action.is_text for r in rules), f"{pack} has no text rule"
    TextMatcher([r for r in rules if r.action.is_text])  # every pattern compiles


def test_every_builtin_pack_file_is_listed() -> None:
    files = {p.stem for p in (ROOT / "cleaner" / "rules").glob("*.txt")}
    assert files == set(BUILTIN_PACKS)


def test_no_builtin_rule_is_written_twice() -> None:
    from cleaner.ruleset import builtin_rules

    seen: dict[str, str] = {}
    for r in builtin_rules().rules:
        key = r.raw.casefold() if r.action.is_text else r.raw  # text rules ignore case
        assert key not in seen, f"{r.where} repeats {seen[key]}"
        seen[key] = r.where


def test_explain_on_a_wordpress_com_page_names_comment_form_and_share_block() -> None:
    res = runner.invoke(app, ["clean", str(WPCOM), "--explain"])
    assert res.exit_code == 0
    assert "Leave a Reply" not in res.stdout and "Share this" not in res.stdout
    lines = res.stderr.splitlines()
    share = [ln for ln in lines if "'Share this:" in ln]
    form = [ln for ln in lines if "'Leave a Reply" in ln]
    assert share and re.search(r"cleaner/rules/share\.txt:\d+  ##\S+", share[0])
    assert form and re.search(r"cleaner/rules/comments\.txt:\d+  ##\S+", form[0])
    # the file:line points at the rule as written
    for line in share[:1] + form[:1]:
        where, rule = line.split()[1:3]
        path, number = where.rsplit(":", 1)
        assert (ROOT / path).read_text(encoding="utf-8").splitlines()[int(number) - 1] == rule


def test_user_rule_some_class_removes_that_block(tmp_path: Path) -> None:
    html = WPCOM.read_text(encoding="utf-8").replace(
        '<div id="jp-post-flair"',
        '<div class="some-class"><p>A house notice that no built-in rule knows about, long '
        "enough to be kept by extraction as a paragraph of its own.</p></div>"
        '<div id="jp-post-flair"',
    )
    page = tmp_path / "page.html"
    page.write_text(html, encoding="utf-8")
    assert "house notice" in clean(html).text
    mine = tmp_path / "mine.txt"
    mine.write_text("! mine\n##.some-class\n", encoding="utf-8")
    res = clean(html, rules=[mine])
    assert "house notice" not in res.text
    assert [r.where for r in res.removed if r.rule == "##.some-class"] == [f"{mine}:2"]
    cli = runner.invoke(app, ["clean", str(page), "--rules", str(mine), "--explain"])
    assert "house notice" not in cli.stdout and f"{mine}:2  ##.some-class" in cli.stderr


EASYLIST = """[Adblock Plus 2.0]
! Title: My social list
! Expires: 4 days
||social-widgets.example.com^$third-party
@@||cdn.example.com/share.js$script
##.house-offer
example.org##.only-there
###newsletter-popup
##.x:style(display: none !important)
example.com#?#.card:has-text(Sponsored)
example.com##+js(set-constant, foo, true)
example.com#$#.promo { display: none; }
"""


def test_user_easylist_file_uses_cosmetic_lines_and_counts_the_rest(tmp_path: Path) -> None:
    lst = tmp_path / "social.txt"
    lst.write_text(EASYLIST, encoding="utf-8")
    rules = RuleSet.from_file(lst)  # detected as a third-party list: lenient
    assert [r.body for r in rules.rules] == [".house-offer", ".only-there", "#newsletter-popup"]
    assert [s.line for s in rules.skipped] == [4, 5, 9, 10, 11, 12]
    listed = runner.invoke(app, ["rules", "list", "--rules", str(lst)])
    assert listed.exit_code == 0
    assert re.search(rf"\b3\s+3\s+0\s+{re.escape(str(lst))}", listed.stdout)
    assert re.search(r"\b6\s+lines skipped", listed.stdout)
    html = WPCOM.read_text(encoding="utf-8").replace(
        '<div id="jp-post-flair"',
        '<div class="house-offer"><p>Buy the house telescope today, a paragraph long enough to '
        "stay in the extracted text without the rule.</p></div>"
        '<div id="jp-post-flair"',
    )
    assert "house telescope" in clean(html).text
    assert "house telescope" not in Cleaner([lst]).clean(html).text


def test_run_absorbs_dropped_blocks_and_stops_at_a_cut_or_heading() -> None:
    m = TextMatcher(
        RuleSet.from_text(
            "#run# Share this\n#drop# Click to print*\n#cut# # comments\n", source="t.txt"
        ).rules
    )
    blocks = [
        Block("Body of the post, a full sentence."),
        Block("Share this:"),
        Block("Twitter"),
        Block("Click to print (Opens in new window) and a few more words here"),
        Block("Print"),
        Block("2 comments"),
        Block("Anna said: a long comment that is a sentence of its own."),
    ]
    kept, removed = m.apply(blocks)
    assert [b.text for b in kept] == ["Body of the post, a full sentence."]
    assert [r.where for r in removed] == ["t.txt:1", "t.txt:3"]
    assert removed[0].text.splitlines()[-1] == "Print"
    heading = [Block("Body."), Block("Share this:"), Block("Method", BlockKind.HEADING)]
    kept, _ = m.apply(heading)
    assert [b.text for b in kept] == ["Body.", "Method"]


@pytest.mark.parametrize(
    "block",
    [
        "Please leave a reply below if you tried this recipe, I read every one.",
        "Name",
        "Email",
        "Twitter",
        "Website",
        "Share",
        "Follow",
        "Comments",
        "Posted in 2019, the video went viral within a week.",
        "Category Five Hurricanes",
        "We use cookies sparingly on this blog, and here is why.",
        "More from my interview with the director follows below.",
        "Subscribe to the idea that every post must be long and you will write less.",
        "Related research shows that readers who subscribe read more posts.",
        "How to get job alerts straight to your inbox",
        "Sign up for a free email account with Gmail before you start.",
        "Follow the steps on Instagram to turn on two-factor sign-in.",
        "The crowd was moved by the words of the 59 comments.",
        "Thanks to the volunteers who signed up, the count took one morning.",
        "Contents",
        "Supplies",
        "Sponsored by the parish council, the fair returns in June.",
        "About the author's first novel, critics were divided.",
        "The subscribe form on the blog is now a single field with no pop-up.",
        "She asked viewers to subscribe to the channel, and 2,000 did within a day.",
    ],
)
def test_article_sentences_and_one_word_items_are_never_matched_alone(block: str) -> None:
    from cleaner.ruleset import builtin_rules

    _, text_rules = builtin_rules().select(None)
    assert TextMatcher(text_rules).rule_for(block) is None


@pytest.mark.parametrize(
    ("block", "pack"),
    [
        # sign-up forms: confirmation, fields and consent line, in any form builder
        (
            "Thanks for subscribing! Look out for your first newsletter in your inbox soon!",
            "newsletter",
        ),
        ("Thank you for subscribing to our daily newsletter.", "newsletter"),
        ("\U0001f64c Awesome, you're subscribed!", "newsletter"),
        ("Vielen Dank für deine Anmeldung!", "newsletter"),
        ("Enter email address", "newsletter"),
        (
            "By entering your email address you agree to our Terms of Use and Privacy Policy.",
            "newsletter",
        ),
        ("By subscribing, you agree to receive marketing emails from us.", "newsletter"),
        ("The best of Lisbon straight to your inbox", "newsletter"),
        ("Thank you! Your submission has been received!", "newsletter"),
        ("Oops! Something went wrong while submitting the form.", "newsletter"),
        ("Msg & data rates may apply. Reply STOP to cancel.", "newsletter"),
        # calls to action that ask the reader to sign up or follow
        ("Be sure to sign up below so we can stay in touch!", "calls-to-action"),
        ("Sign up today and make this your healthiest autumn yet.", "calls-to-action"),
        ("Why not sign up today for a free trial and see for yourself?", "calls-to-action"),
        ("For daily tips, sign up for the Almanac newsletter.", "calls-to-action"),
        (
            "Our newsletter brings the best bits to your inbox. Sign up to unlock more.",
            "calls-to-action",
        ),
        ("Sign up for our emails to enjoy the city for free.", "calls-to-action"),
        (
            "Follow us on Telegram, Facebook, Instagram, YouTube and X for the latest news.",
            "calls-to-action",
        ),
        (
            "Until next time, stay safe.Follow on social media: TikTok || Instagram",
            "calls-to-action",
        ),
        (
            "Subscribe to the Gadget Desk YouTube Channel for all of the latest videos!",
            "calls-to-action",
        ),
        # entry meta, author box, skip link
        ("December 18, 2025 Posted by Ann Smith 59 Comments", "meta"),
        ("Posted by Ann on May 2, 2024 | Leave a comment", "meta"),
        ("About the Author", "meta"),
        ("Skip to content", "meta"),
        # Jetpack Premium Content, WordAds, tables of contents, syndication footer
        ("Read more of this content when you subscribe today.", "login"),
        ("Report this ad", "ads"),
        ("Advertisement", "ads"),
        ("Table of Contents", "toc"),
        ("Contents [hide]", "toc"),
        ("Inhaltsverzeichnis", "toc"),
        ("Read more news like this on example.com", "related"),
    ],
)
def test_platform_boilerplate_lines_are_matched_by_their_pack(block: str, pack: str) -> None:
    from cleaner.ruleset import builtin_rules

    _, text_rules = builtin_rules().select(None)
    rule = TextMatcher(text_rules).rule_for(block)
    assert rule is not None and rule.source.endswith(f"{pack}.txt"), rule


def test_the_shop_pack_removes_reviews_on_product_pages_only() -> None:
    """Customers' reviews are a product page's comments; on a blog, a post whose body holds a
    "reviews" box is a review post, and its text is the article."""
    review = (
        "I wore this walking over the ridge in January and my ears were the only part of me "
        "that stayed warm the whole way up and down."
    )
    body = (
        "<p>Knitted in Yorkshire from undyed merino, this beanie is soft enough to wear all day "
        "and warm enough for the hills. The double-layer brim keeps your ears covered.</p>"
        "<p>Each one is finished by hand, and the wool is scoured without harsh chemicals, "
        "so it keeps a little of its lanolin and sheds the rain.</p>"
        f"<div class='reviews'><h2>Reviews</h2><p>{review}</p></div>"
    )
    product = clean(
        "<html><head><meta property='og:type' content='product'><script type='application/ld+json'>"
        '{"@context": "https://schema.org", "@type": "Product", "name": "Merino beanie", '
        '"offers": {"@type": "Offer", "price": "35.00", "priceCurrency": "GBP"}}</script></head>'
        "<body class='product template-product'>"
        f"<main><div itemscope itemtype='https://schema.org/Product'><h1>Merino beanie</h1>"
        f"<span class='price'>£35.00</span>{body}</div></main></body></html>",
        url="https://wildwool.example.com/products/merino-beanie",
    )
    post = clean(
        "<html><body class='single single-post'><article><h1>A beanie for the hills</h1>"
        f"<div class='entry-content'>{body}</div></article></body></html>",
        url="https://blog.example.com/2024/01/a-beanie-for-the-hills/",
    )
    assert product.page_type == "product" and post.page_type == "article"
    assert review not in product.text
    assert any(r.where.startswith("cleaner/rules/shop.txt") for r in product.removed)
    assert review in post.text
