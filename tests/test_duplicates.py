"""Copies of the article's own stretches (a theme rendering its text twice) are removed, with a
removal that says so; content that repeats in its own right stays."""

from __future__ import annotations

from cleaner import clean
from cleaner.result import Block
from cleaner.revise import DUPLICATE_RUN, drop_duplicates

SECTIONS = [
    "Remodeling a kitchen starts with a budget that covers labour, materials and permits.",
    "Labour is about three fifths of the cost in most regions, more where trades are scarce.",
    "Materials are the next largest share, and the one where choices move the total most.",
    "Permits are needed for structural, electrical and plumbing work in most towns.",
    "Shopping locally for materials avoids the shipping costs of heavy items like stone.",
]


def test_a_theme_rendering_the_post_twice_keeps_one_copy() -> None:
    body = "".join(f"<p>{s}</p>" for s in SECTIONS)
    html = (
        "<html><head><title>Kitchen budgets</title></head><body><article>"
        f"<h1>Kitchen budgets</h1><div class='desktop-only'>{body}</div>"
        f"<div class='mobile-only'>{body}</div></article></body></html>"
    )
    result = clean(html)
    for s in SECTIONS:
        assert result.text.count(s) == 1
    copies = [r for r in result.removed if r.source == "builtin:duplicate"]
    assert len(copies) == len(SECTIONS)


def test_a_plan_repeating_a_few_lines_keeps_them() -> None:
    # a meal plan's day repeats two lines of another day: a small part of the page
    meal = ["Drink within 30 minutes after your workout", "Recovery shake, 1 cup blueberries"]
    days = [Block(s) for s in SECTIONS] + [Block(m) for m in meal] + [Block("Day 2")]
    days += [Block(m) for m in meal] + [Block(s + " Again, in other words.") for s in SECTIONS]
    kept, removed = drop_duplicates(days)
    assert len(kept) == len(days) and not removed


def test_runs_shorter_than_the_minimum_stay() -> None:
    blocks = [Block(s) for s in SECTIONS[:3]]
    short = blocks[: DUPLICATE_RUN - 1]
    kept, removed = drop_duplicates(blocks + short)
    assert len(kept) == len(blocks) + len(short) and not removed
