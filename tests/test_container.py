"""The container path: a #body# rule names the article's container, cleaner walks it, and
each safety check sends a page it does not trust down trafilatura's path instead."""

from __future__ import annotations

import re

import pytest

from cleaner import Cleaner, clean
from cleaner.ruleset import RuleSet

PARAS = [
    "The harbour wall was built in 1820 from granite quarried two miles up the valley, and it "
    "has been mended after every great storm since.",
    "Fishing boats still land their catch on the slipway each morning, though the fish market "
    "moved to the bypass twenty years ago.",
    "In summer the old lifeboat house opens as a museum, with the station's first rowing "
    "lifeboat and a logbook of every launch.",
    "Walkers can follow the coast path east to the lighthouse, a round trip of about six miles "
    "with two steep climbs and a café at the far end.",
]
BODY = "".join(f"<p>{p}</p>" for p in PARAS)
TEXT = "\n".join(PARAS)


def page(main: str, extra: str = "") -> str:
    return (
        "<html><head><title>The harbour | Coast Notes</title></head><body>"
        "<header><nav><a href='/'>Home</a> <a href='/about'>About</a></nav></header>"
        f"<main>{main}</main>{extra}"
        "<footer><p>Copyright Coast Notes, all rights reserved, since the year 2009.</p></footer>"
        "</body></html>"
    )


def post(body: str = BODY) -> str:
    return (
        "<article class='post hentry'><h1 class='entry-title'>The harbour</h1>"
        f"<div class='entry-content'>{body}</div></article>"
    )


def test_a_wordpress_post_takes_the_container_path_named_by_its_rule() -> None:
    res = clean(page(post()))
    assert res.path == "container" and res.text == TEXT
    assert any(
        n.startswith("container path: cleaner/rules/article.txt:") and "#body#.entry-content" in n
        for n in res.notes
    )


def test_without_containers_the_same_page_takes_trafilaturas_path() -> None:
    res = Cleaner(containers=False).clean(page(post()))
    assert res.path == "trafilatura" and res.text == TEXT


def test_several_matches_of_the_first_matching_rule_is_a_list_of_posts() -> None:
    archive = post() + post(BODY.replace("harbour", "quay"))
    res = clean(page(archive))
    assert res.path == "trafilatura"
    assert any("matches 2 elements" in n for n in res.notes)


def test_a_container_holding_several_articles_is_a_teaser_list() -> None:
    cards = "".join(
        f"<article><h2><a href='/p{i}'>Post {i}</a></h2><p>{p}</p></article>"
        for i, p in enumerate(PARAS)
    )
    res = clean(page(f"<div class='entry-content'>{cards}</div>"))
    assert res.path == "trafilatura"
    assert any("several <article>" in n for n in res.notes)


def test_a_tiny_container_is_not_trusted() -> None:
    # the container holds all of the page's text, but too little of it to trust
    short = "<p>A short note of a few words, under the container minimum.</p>"
    res = clean(f"<html><body>{post(short)}</body></html>")
    assert res.path == "trafilatura"
    assert any(re.search(r"#body#\.entry-content holds \d+ characters of text$", n) for n in res.notes)


def test_a_container_holding_a_small_share_of_the_text_is_not_trusted() -> None:
    # the rule matches an excerpt box; the article itself sits elsewhere
    excerpt = "<div class='entry-content'>" + "".join(f"<p>{p}</p>" for p in PARAS[:3]) + "</div>"
    rest = "<div class='story'>" + "".join(f"<p>{p} {p} {p}</p>" for p in PARAS) + "</div>"
    res = clean(page(excerpt + rest))
    assert res.path == "trafilatura"
    assert any("of the page's" in n for n in res.notes)


def test_a_walk_that_keeps_too_little_of_the_container_gives_way(monkeypatch: pytest.MonkeyPatch) -> None:
    from cleaner import walk

    real = walk.walk

    def lossy(
        container: object,
        markup: object = None,
        measures: object = None,
        url: str | None = None,
        **kw: str,
    ) -> walk.Walk:
        out = real(container, markup, measures, url, **kw)  # type: ignore[arg-type]
        out.blocks = out.blocks[:1]  # the walker's tests took most of the article for boilerplate
        return out

    monkeypatch.setattr(walk, "walk", lossy)
    res = clean(page(post()))
    assert res.path == "trafilatura" and res.text == TEXT
    assert any("the walk of" in n for n in res.notes)


def test_a_rule_for_the_pages_domain_outranks_the_built_in_ones() -> None:
    html = page(
        "<div class='story'>" + BODY + BODY.replace("harbour", "quay") + "</div>"
        + f"<div class='entry-content'><p>{PARAS[0]}</p></div>"
    )
    mine = RuleSet.from_text("coast.example#body#.story\n", source="mine.txt")
    res = Cleaner(mine).clean(html, url="https://coast.example/harbour")
    assert res.path == "container"
    assert any("mine.txt:1 coast.example#body#.story" in n for n in res.notes)
    # elsewhere the built-in .entry-content rule decides (and it holds too little)
    elsewhere = Cleaner(mine).clean(html, url="https://x.example/")
    assert elsewhere.path == "trafilatura" and "mine.txt" not in " ".join(elsewhere.notes)


def test_the_walkers_removals_name_their_reason() -> None:
    body = BODY + "<div class='wp-caption'><p>A photograph of the harbour at dawn.</p></div>"
    body += "<ul><li><a href='/a'>Older post</a></li><li><a href='/b'>Newer post</a></li></ul>"
    res = clean(page(post(body)))
    assert res.path == "container" and res.text == TEXT
    why = {(r.source, r.rule) for r in res.removed}
    assert ("builtin:walk", "caption, gallery or other stories") in why
    assert ("builtin:walk", "link list") in why


def test_of_several_matches_the_one_that_holds_most_of_the_text_is_the_container() -> None:
    # the post, and two related posts below it as <article> cards
    cards = "".join(
        f"<article class='card'><h3><a href='/p{i}'>Another post {i}</a></h3></article>"
        for i in range(2)
    )
    html = page(f"<article><h1>The harbour</h1>{BODY}</article>{cards}")
    res = clean(html)
    assert res.path == "container" and res.text == TEXT
    assert any("#body#article" in n for n in res.notes)


def _bare(inner: str) -> str:
    """A page with no container of its own: the article in plain <div>s."""
    return f"<html><head><title>The harbour</title></head><body>{inner}</body></html>"


def test_a_page_without_a_container_takes_the_body_when_its_text_sits_in_one_deep_box() -> None:
    deep = f"<div id='wrap'><div class='cols'><div class='main-col'>{BODY}</div></div></div>"
    menu = "<div class='top'><a href='/'>Home</a> <a href='/news'>News</a></div>"
    res = clean(_bare(menu + deep))
    assert res.path == "container" and res.text == TEXT
    assert any("#body#body, walked its <div>" in n for n in res.notes)


def test_the_body_is_not_trusted_when_the_text_is_spread_over_the_top_level_layout() -> None:
    res = clean(_bare(f"<div>{BODY}</div>"))  # one level below <body>: the page's layout
    assert res.path == "trafilatura"
    assert any("not in one box of its own" in n for n in res.notes)


def test_the_body_is_not_trusted_when_its_text_is_mostly_links() -> None:
    teasers = "".join(
        f"<p><a href='/p{i}'>{p}</a> Read on.</p>" for i, p in enumerate(PARAS)
    )
    res = clean(_bare(f"<div><div><div>{teasers}</div></div></div>"))
    assert res.path == "trafilatura"
    assert any("link text: a portal page" in n for n in res.notes)
