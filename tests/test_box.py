"""The candidate box (cleaner.candidates) and the ladder as data (cleaner.ladder): the box is
walked on the kinds of page whose profile has it, and every check it fails sends the page on
to trafilatura's steps, saying which."""

from __future__ import annotations

from typing import Any

import pytest

from cleaner import fallback, ladder
from cleaner.candidates import find_box
from cleaner.dom import Measures
from cleaner.parse import parse_html
from cleaner.result import Block

PROSE = "A reply in the thread that says something at length, as forum posts do, and more. "
#: What the stubbed trafilatura finds: the test knows the box path was not taken.
NET = [Block("trafilatura's extraction, the safety net of the ladder " * 5)]


def page(body: str) -> Any:
    return parse_html(f"<html><body>{body}</body></html>")


def thread(posts: int = 4, prose: str = PROSE * 2) -> str:
    return (
        "<div id='menu'><a href='/'>Home</a> <a href='/t'>Topics</a></div>"
        "<div id='thread'>" + "".join(
            f"<div class='post'><p>{prose}</p></div>" for _ in range(posts)
        ) + "</div><div id='foot'>(c) 2024 Forum</div>"
    )


@pytest.fixture
def net(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """trafilatura stubbed: every call recorded, NET returned."""
    calls: list[str] = []

    def extract_blocks(root: Any, **kw: Any) -> list[Block]:
        calls.append("baseline" if kw.get("baseline") else "plain")
        return NET

    monkeypatch.setattr(fallback, "extract_blocks", extract_blocks)
    return calls


def run(body: str, kind: str = "forum") -> ladder.Article:
    root = page(body)
    return ladder.extract_article(
        root, [], url=None, again=lambda skip: (page(body), []), notes=[], kind=kind
    )


def test_the_box_holds_the_thread_not_the_menu_or_the_footer() -> None:
    root = page(thread())
    box, why = find_box(root, Measures(root))
    assert box is not None and why == ""
    assert box.element.get("id") == "thread"


def test_a_forum_page_takes_the_box_and_trafilatura_never_runs(net: list[str]) -> None:
    art = run(thread())
    assert art.path == "box" and net == []
    assert [b.text for b in art.blocks] == [(PROSE * 2).strip()] * 4
    assert [a.step for a in art.attempts] == ["box"] and art.attempts[0].won


def test_an_article_page_never_takes_the_box(net: list[str]) -> None:
    art = run(thread(), kind="article")
    assert art.path == "trafilatura" and "box" not in [a.step for a in art.attempts]
    assert net and set(net) == {"plain"}  # no baseline for articles


def test_pages_that_are_not_articles_keep_trafilaturas_baseline(net: list[str]) -> None:
    art = run("<div><a href='/a'>Shoes</a> <a href='/b'>Bags</a></div>", kind="listing")
    assert art.path == "trafilatura" and net and set(net) == {"baseline"}


def test_a_listing_takes_trafilaturas_defaults_not_its_precision(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    modes: list[tuple[bool, bool]] = []

    def extract_blocks(root: Any, **kw: Any) -> list[Block]:
        modes.append((kw.get("precision", False), kw.get("fast", False)))
        return NET

    monkeypatch.setattr(fallback, "extract_blocks", extract_blocks)
    listing = run("<div><a href='/a'>Shoes</a> <a href='/b'>Bags</a></div>", kind="listing")
    assert modes == [(False, False)] and listing.attempts[0].step == "default"
    modes.clear()
    article = run("<div><a href='/a'>Shoes</a> <a href='/b'>Bags</a></div>", kind="article")
    assert modes[0] == (True, True) and article.attempts[0].step == "precise"


@pytest.mark.parametrize(
    ("body", "says"),
    [
        # the walker takes most of the box's prose for boilerplate (lists of long links)
        (
            "<div id='thread'>" + f"<p>{PROSE * 2}</p>" * 2 + "".join(
                f"<div class='post'><a href='/u{i}'>{PROSE[:90]}</a> "
                f"<a href='/v{i}'>{PROSE[:90]}</a></div>" for i in range(10)
            ) + "</div>",
            "characters of prose",
        ),
        # too little text to be an article
        ("<div id='thread'><p>" + PROSE[:150] + "</p></div>", "kept only"),
        # no paragraph of prose: short lines only
        (
            "<div id='thread'>" + "".join(
                f"<p>Line {i} of a list of short labels here</p>" for i in range(20)
            ) + "</div>",
            "no paragraph of prose",
        ),
        # the box is mostly link text
        (
            "<div id='thread'><p>" + PROSE * 2 + "</p><p>" + " ".join(
                f"<a href='/t/{i}'>another topic title number {i}</a>" for i in range(5)
            ) + "</p></div>",
            "link text",
        ),
        # no prose at all: no box
        ("<div><a href='/'>Home</a></div>", "no prose on the page"),
    ],
)
def test_each_box_check_sends_the_page_to_trafilatura(
    net: list[str], body: str, says: str
) -> None:
    art = run(body)
    assert art.path == "trafilatura" and art.blocks == NET
    assert any("trafilatura path" in n and says in n for n in art.notes), art.notes


def test_every_profile_names_steps_that_exist_and_ends_with_trafilaturas() -> None:
    from cleaner.kinds import KINDS

    assert set(ladder.PROFILES) == set(KINDS)
    for kind, steps in ladder.PROFILES.items():
        assert set(steps) <= set(ladder.STEPS), kind
        # whatever comes first, trafilatura's last steps are the safety net of every kind
        assert steps[-4:] == ("joined", "without-rule", "unpruned", "unmasked"), kind
        assert "precise" in steps or "default" in steps, kind
    assert ladder.PROFILES["forum"].index("box") < ladder.PROFILES["forum"].index("container")


REPLY = "I had the same problem with my sourdough starter last winter, and warming it helped a lot."


def test_a_forums_thread_keeps_what_a_blog_posts_comment_rules_remove() -> None:
    """The comments pack's thread rules are scoped off forum pages (``!# not-on: forum``): a
    bbPress topic whose replies sit in WordPress's comment list keeps them, where a blog post
    loses its comment section to the same rules."""
    from cleaner import clean

    replies = "".join(
        f"<li class='comment'><div class='comment-content'><p>{REPLY} ({i})</p></div></li>"
        for i in range(4)
    )
    body = (
        f"<h1>Starter too cold?</h1><p>{REPLY} What do you do?</p>"
        f"<div id='comments' class='comments-area'><ol class='comment-list'>{replies}</ol></div>"
    )
    forum = clean(f"<html><body class='bbpress single-topic'><main>{body}</main></body></html>")
    post = clean(
        f"<html><body class='single single-post'><article><div class='entry-content'>{body}"
        "</div></article></body></html>"
    )
    assert forum.page_type == "forum" and post.page_type == "article"
    assert forum.text.count(REPLY) == 5
    assert post.text.count(REPLY) == 1
    assert any(r.where.startswith("cleaner/rules/comments.txt") for r in post.removed)
    assert not any(r.where.startswith("cleaner/rules/comments.txt") for r in forum.removed)
