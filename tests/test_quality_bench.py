"""The quality benchmark's own measures (no data set needed)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("quality", ROOT / "benchmarks" / "quality.py")
assert _spec and _spec.loader
quality = importlib.util.module_from_spec(_spec)
sys.modules["quality"] = quality
_spec.loader.exec_module(quality)


def test_residue_is_word_bounded_case_insensitive_and_relative_to_the_truth() -> None:
    assert quality.residue("Great post. LEAVE A REPLY", "Great post.") == [
        "leave a reply",
        "reply",
    ]
    assert quality.residue("Read the comments below", "Read the comments below") == []
    assert quality.residue("Replying to the commentsection", "x") == []  # not whole words
    assert quality.residue("Loading... Tagged: news", "news") == ["tagged", "loading..."]


def test_page_scores_follow_the_benchmark_metric() -> None:
    truth = "one two three four five"
    assert quality.page_scores(truth, truth) == (1.0, 0.0, 0.0)
    tp, fp, fn = quality.page_scores("one two three four six", truth)
    assert (tp, fp, fn) == (1 / 3, 1 / 3, 1 / 3)  # one shingle shared, one extra, one missed
    assert quality.page_scores("", "") == (1.0, 0.0, 0.0)
    p, r, f = quality.f1_of([(1.0, 0.0, 0.0), (0.5, 0.5, 0.0)])
    assert (p, r) == (0.75, 1.0) and abs(f - 2 * 0.75 / 1.75) < 1e-12


def test_a_failing_system_counts_its_pages_and_the_run_goes_on() -> None:
    def broken() -> object:
        def run(html: str, url: str) -> str:
            if "bad" in html:
                raise RuntimeError("boom")
            return html

        return run

    quality.SYSTEMS["broken-for-test"] = broken
    try:
        pages = [("a", "good text here now", "good text here now", ""), ("b", "bad", "x y z w", "")]
        (run,) = quality.run_systems(["broken-for-test"], pages)
    finally:
        del quality.SYSTEMS["broken-for-test"]
    assert list(run.errors) == ["b"] and run.empty == ["b"] and len(run.scores) == 2


def test_word_scores_follow_wcxb_metric() -> None:
    # lowercased \w+ tokens, multiset overlap
    assert quality.word_scores("The the cat", "the cat cat") == (2 / 3, 2 / 3, 2 / 3)
    assert quality.word_scores("", "") == (1.0, 1.0, 1.0)
    assert quality.word_scores("x", "") == (0.0, 0.0, 0.0)
    assert quality.snippets_in("Sign UP for our newsletter", ["sign up for", "log in"]) == 1


def test_catastrophic_pages_are_those_the_reference_finds_and_the_system_loses() -> None:
    mine, ref = quality.Run("cleaner"), quality.Run("trafilatura")
    article = "one two three four five six seven eight nine ten"
    pages = [
        quality.Page("lost", "", article, ""),  # cleaner empty, trafilatura whole: catastrophic
        quality.Page("both", "", article, ""),  # both poor: not ours to blame
        quality.Page("fine", "", article, ""),
    ]
    for page, m, r in zip(pages, ["", "", article], [article, "unrelated", article], strict=True):
        quality.score(mine, page, m)
        quality.score(ref, page, r)
    assert quality.catastrophic(mine, ref) == ["lost"]
    assert mine.empty == ["lost", "both"]
    assert quality.worse(mine, ref, 5)[0].startswith("lost: word 0.000 vs 1.000")


def test_c4_line_rules_keep_only_punctuated_lines_of_three_words_or_more() -> None:
    text = "\n".join(
        [
            "Home",  # no terminal punctuation
            "Short one.",  # two words
            "This line ends a sentence.[1]",  # kept, citation taken out
            "Our site uses cookies to work.",  # a policy line
            "Please enable JavaScript to see this.",  # javascript
            "The list goes on...",  # an ellipsis is no terminal punctuation
            "He said it was “fine.'",
        ]
    )
    assert quality.c4_lines(text).split("\n") == [
        "This line ends a sentence.",
        "He said it was “fine.'",
    ]


def test_flatteners_make_text_of_a_page_in_the_two_layouts() -> None:
    html = (
        "<html><head><title>T</title></head><body><nav><a>Home</a></nav>"
        "<p>Read the <a href='/x'>docs</a> first.</p><p>Second.</p></body></html>"
    )
    page = quality.Page("p", html, "Read the docs first.", "")
    bs4_text = quality.FLATTENERS["bs4"](page)
    assert "Read the \ndocs\n first." in bs4_text  # each inline string on a line of its own
    assert quality.FLATTENERS["truth"](page) == "Read the docs first."
    try:
        import html_text  # noqa: F401
    except ImportError:
        return
    wet = quality.FLATTENERS["html_text"](page)
    assert "Read the docs first." in wet and "\n\n" in wet  # blocks apart, sentences whole


def test_text_systems_run_on_flattened_pages_against_the_uncleaned_text() -> None:
    page = quality.Page("p", "<p>x</p>", "A sentence that the article holds here.", "")
    flat = quality.flattened(page, "truth")
    runs = quality.run_systems(["uncleaned", "c4", "cleaner"], [flat])
    by = {r.name: r for r in runs}
    assert by["uncleaned"].outputs["p"] == "A sentence that the article holds here."
    assert by["c4"].outputs["p"] == "A sentence that the article holds here."
    assert by["cleaner"].outputs["p"] == "A sentence that the article holds here."


def test_structure_split_reads_each_kind_of_the_markdown() -> None:
    md = (
        "# Title\n\n## Setup\n\nIntro with [a link](/docs/setup/) and ![img](/i.png).\n\n"
        "- First **item**\n  - nested item\n\n  its paragraph\n- [Second](https://x.org)\n\n"
        "| Flag | Meaning |\n|---|---|\n| `--jobs` | four |\n\n"
        "```python\ndef f():\n    return 1\n```\n\n    indented code\n"
    )
    s = quality.split_markdown(md, "https://blog.example.com/2024/post/")
    assert s.headings == [(1, "title"), (2, "setup")]
    assert s.items == ["first item its paragraph", "nested item", "second"]
    assert s.cells == ["flag", "meaning", "jobs", "four"]
    assert s.code == ["def f():\n    return 1\n", "indented code\n"]
    # links resolved against the page, images left out
    assert s.links == ["https://blog.example.com/docs/setup", "https://x.org"]


def test_structure_counts_trafilatura_pipe_rows_without_a_delimiter_as_cells() -> None:
    s = quality.split_markdown("Text.\n\n| **A** | B | \n| 1 | [two](/t) | \n")
    assert s.cells == ["a", "b", "1", "two"]


def test_structure_scores_compare_levels_by_rank_and_skip_kinds_the_truth_lacks() -> None:
    truth = quality.split_markdown("## One\n\n### Two\n\n## Three\n\n- a\n- b\n- b\n")
    pred = quality.split_markdown("### One\n\n#### Two\n\n#### Three\n\n- b\n- a\n")
    scores = quality.structure_scores(pred, truth)
    assert scores["heading texts"] == 1.0
    assert abs(scores["heading levels"] - 2 / 3) < 1e-9  # "Three" is at the wrong rank
    assert abs(scores["list items"] - 0.8) < 1e-9  # multiset: one "b" of two
    assert set(scores) == {"heading texts", "heading levels", "list items"}


def test_code_similarity_needs_the_lines_not_only_the_characters() -> None:
    truth = ["function identity(arg) {\n  return arg;\n}\n"]
    assert quality.code_similarity(["function identity(arg) {\n    return arg;\n}"], truth) == 1.0
    fused = ["tsfunction identity(arg) {  return arg;}Try"]
    assert quality.code_similarity(fused, truth) == 0.0
    numbered = ["1 function identity(arg) {\n2   return arg;\n3 }"]
    assert quality.code_similarity(numbered, truth) == 0.0
    half = ["function identity(arg) {\n  return arg;\n"]
    assert abs(quality.code_similarity(half, truth) - 0.8) < 1e-9


def test_structure_table_averages_each_kind_over_the_pages_whose_truth_has_it() -> None:
    systems = ("cleaner-md", "trafilatura-md")
    pages = [
        quality.StructurePage("1", "article", {s: {"links": 1.0} for s in systems}, {"cleaner-md": 1.0}),
        quality.StructurePage("2", "forum", {s: {"links": 0.5, "code": 0.0} for s in systems}, {"cleaner-md": 0.5}),
    ]
    table = quality.structure_table({"set": pages}, systems)
    row = next(line for line in table.splitlines() if line.startswith("| set (2)"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1] == "0.750"  # word F1
    assert cells[6] == "0.000 / 0.000 (1)"  # code: only page 2's truth has code
    assert cells[7] == "0.750 / 0.750 (2)"  # links
    assert any(line.startswith("| type forum (1)") for line in table.splitlines())
