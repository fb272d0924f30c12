"""Text and Markdown that keep the article: inline code stays in its sentence, only ``<pre>``
is a code block, and the Markdown keeps heading levels, lists, tables, code languages,
emphasis, links and images, without changing the text."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cleaner import Cleaner, clean
from cleaner.cli import app
from cleaner.format import render
from cleaner.parse import parse_html
from cleaner.result import Block, BlockKind, CleanResult

P, H, LI, CODE, ROW, IMG = (
    BlockKind.PARAGRAPH,
    BlockKind.HEADING,
    BlockKind.ITEM,
    BlockKind.CODE,
    BlockKind.ROW,
    BlockKind.IMAGE,
)
INTRO = (
    "<p>This post walks through a small tool step by step, with the commands to type and "
    "what each of them prints, so that you can follow along on your own machine.</p>"
)


def page(body: str, title: str = "Notes on a small tool") -> str:
    """A WordPress-like post around ``body``."""
    return (
        f"<html><head><title>{title} &#8211; Dev Notes</title></head><body>"
        f"<article class='post'><h1 class='entry-title'>{title}</h1>"
        f"<div class='entry-content'>{INTRO}{body}</div></article>"
        "<div id='comments' class='comments-area'><h3 class='comment-reply-title'>Leave a "
        "Reply</h3></div></body></html>"
    )


@functools.cache
def cleaner(formatting: bool = False, links: bool = False, images: bool = False) -> Cleaner:
    return Cleaner(formatting=formatting, links=links, images=images)


def blocks(html: str) -> list[Block]:
    return list(cleaner().clean(html).blocks)[1:]  # the intro paragraph left out


# -- inline code ------------------------------------------------------------------------


def test_inline_code_stays_in_its_sentence() -> None:
    html = page(
        "<p>Functions like <code>digitalWrite()</code> and <code>delay()</code> are taught "
        "first, but <code>delay()</code> blocks the loop.</p><ul><li>Use "
        "<code>time.monotonic()</code>, never <code>time.time()</code>, for timing.</li></ul>"
    )
    res = clean(html)
    assert res.text.splitlines()[1:] == [
        "Functions like digitalWrite() and delay() are taught first, but delay() blocks the loop.",
        "Use time.monotonic(), never time.time(), for timing.",
    ]
    md = render(res, "md")
    assert "Functions like `digitalWrite()` and `delay()` are taught first" in md
    assert "\n- Use `time.monotonic()`, never `time.time()`, for timing.\n" in md
    assert "```" not in md


def test_code_spans_side_by_side_stay_two_words() -> None:
    (block,) = blocks(
        page(
            "<p>The sign <code>U+00DF</code><code>0xC3 0x9F</code> and the "
            "<code>INSERT</code>s that follow it are shown as badges.</p>"
        )
    )
    assert block.text.startswith("The sign U+00DF 0xC3 0x9F and the INSERTs that")
    assert block.md is not None and "`U+00DF` `0xC3 0x9F` and the `INSERT`s" in block.md


# -- code blocks ------------------------------------------------------------------------


def test_only_pre_is_a_code_block() -> None:
    """A ``<pre>`` without code markers (trafilatura reads it as a quote), a one-line one, and
    one inside a list item are code blocks, their line breaks kept."""
    html = page(
        "<p>Listing the folder shows the dumps:</p>"
        "<pre>notes-2024-02-18.dump.gz\nnotes-2024-02-17.dump.gz</pre>"
        "<p>Then flash the board:</p>"
        "<pre class='wp-block-preformatted'>arduino-cli upload -p /dev/ttyACM0</pre>"
        "<ol><li>Add one line for the nightly run:<pre>0 2 * * * /usr/local/bin/backup.sh</pre>"
        "</li><li>Save the file.</li></ol>"
        "<blockquote><p>A real quote stays a quote.</p></blockquote>"
    )
    got = blocks(html)
    assert [(b.kind, b.depth) for b in got] == [
        (P, 0), (CODE, 0), (P, 0), (CODE, 0), (LI, 0), (CODE, 1), (LI, 0), (BlockKind.QUOTE, 0)
    ]  # fmt: skip
    assert got[1].text == "notes-2024-02-18.dump.gz\nnotes-2024-02-17.dump.gz"
    md = render(CleanResult(blocks=tuple(got)), "md")
    assert "```\narduino-cli upload -p /dev/ttyACM0\n```" in md
    assert "1. Add one line for the nightly run:\n\n   ```\n   0 2 * * *" in md
    assert "2. Save the file." in md
    assert "> A real quote stays a quote." in md
    assert "> arduino" not in md and "> notes" not in md


@pytest.mark.parametrize(
    ("markup", "language"),
    [
        ("<pre class='wp-block-code'><code class='language-python'>x = 1\nprint(x)</code></pre>",
         "python"),
        ("<pre class='brush: bash; title: ; notranslate' title=''>ls -la\ncd /tmp</pre>", "bash"),
        ("<div class='language-ruby highlighter-rouge'><div class='highlight'>"
         "<pre class='highlight'><code>puts 1\nputs 2</code></pre></div></div>", "ruby"),
        ("<pre class='prettyprint lang-js'>var a = 1;\nvar b = 2;</pre>", "js"),
        ("<div class='highlight highlight-source-shell'><pre>make test\nmake lint</pre></div>",
         "shell"),
        ("<div class='highlight'><pre class='chroma'><code class='language-go' data-lang='go'>"
         "<span class='line'>fmt.Println(1)\n</span></code></pre></div>", "go"),
        ("<pre><code class='language-none'>plain\ntext</code></pre>", None),
        ("<pre><code>no\nlanguage</code></pre>", None),
    ],
)  # fmt: skip
def test_code_block_language_from_the_page(markup: str, language: str | None) -> None:
    code = [
        b for b in blocks(page(f"<p>The code:</p>{markup}<p>That is all.</p>")) if b.kind is CODE
    ]
    assert [b.language for b in code] == [language]
    fence = render(CleanResult(blocks=tuple(code)), "md").split("\n")[0]
    assert fence == "```" + (language or "")


# -- structure in Markdown --------------------------------------------------------------


def test_markdown_keeps_headings_lists_and_tables() -> None:
    html = page(
        "<h2>Setup</h2><p>First the parts.</p><h3>What you need</h3>"
        "<ol><li>A board<ul><li>any Uno works</li><li>or a Nano</li></ul></li>"
        "<li>A cable<ol><li>USB-B for the Uno</li></ol></li></ol>"
        "<h4>Timings</h4><table><thead><tr><th>Approach</th><th>Passes</th></tr></thead>"
        "<tbody><tr><td><code>delay()</code></td><td>1</td></tr></tbody></table>"
        "<p>And without a header row:</p>"
        "<table><tr><td>Flag</td><td>Meaning</td></tr><tr><td>-v</td><td>verbose</td></tr></table>"
    )
    md = render(cleaner().clean(html), "md")
    assert "\n## Setup\n" in md and "\n### What you need\n" in md and "\n#### Timings\n" in md
    assert (
        "1. A board\n   - any Uno works\n   - or a Nano\n2. A cable\n   1. USB-B for the Uno\n"
        in md
    )
    assert "| Approach | Passes |\n| --- | --- |\n| `delay()` | 1 |\n" in md
    assert "| Flag | Meaning |\n| --- | --- |\n| -v | verbose |\n" in md
    heads = [b for b in cleaner().clean(html).blocks if b.kind is H]
    assert [b.level for b in heads] == [2, 3, 4]


def test_emphasis_links_and_images_only_when_asked() -> None:
    html = page(
        "<p>Blocking the loop is <strong>never</strong> needed, <em>whatever</em> the "
        "<a href='https://docs.example.org/millis'>manual</a> says.</p>"
        "<figure><img src='https://example.org/board.jpg' alt='The board'></figure>"
        "<p>That is all there is to it, and the rest is practice.</p>"
    )
    plain, marked = cleaner().clean(html), cleaner(formatting=True, links=True).clean(html)
    imaged = cleaner(formatting=True, images=True).clean(html)
    assert plain.text == marked.text == imaged.text
    assert "Blocking the loop is never needed, whatever the manual says." in plain.text
    assert "**" not in render(plain, "md") and "](" not in render(plain, "md")
    md = render(marked, "md")
    assert "is **never** needed, *whatever* the [manual](https://docs.example.org/millis)" in md
    assert "![" not in md
    md = render(imaged, "md")
    assert "\n![The board](https://example.org/board.jpg)\n" in md and "[manual]" not in md


def test_markup_never_changes_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """trafilatura's formatting, link and image options change what it extracts on some
    pages (paragraphs split at an ``<em>``, words glued): the text stays the plain
    extraction's, and only blocks of the same text take the marked Markdown."""
    from cleaner import fallback
    from cleaner.blocks import Markup

    plain = [Block("One."), Block("You can get there."), Block("Three.")]
    marked = [
        Block("One.", md="*One*."),
        Block("You"),
        Block("canget there."),
        Block("", IMG, md="![a](a.jpg)"),
        Block("Three.", md="**Three**."),
    ]

    def once(
        tree: Any, url: Any, precision: Any, fast: Any, markup: Any, pres: Any, **kw: Any
    ) -> Any:
        return marked if markup.formatting else plain

    monkeypatch.setattr(fallback, "_extract_once", once)
    tree = parse_html("<html><body><p>The page.</p></body></html>")
    got = fallback.extract_blocks(tree, markup=Markup(formatting=True))
    assert got == [marked[0], plain[1], marked[3], marked[4]]
    assert "\n".join(b.text for b in got if b.text) == "\n".join(b.text for b in plain)
    assert fallback.extract_blocks(tree) == plain


# -- JSON and the Block model -----------------------------------------------------------


def test_json_gives_the_blocks_with_kinds_and_levels() -> None:
    html = page(
        "<h3>Usage</h3><ol><li>Run <code>make</code></li></ol><pre><code "
        "class='language-sh'>make test\nmake lint</code></pre>"
    )
    data = json.loads(render(clean(html), "json"))
    assert data["blocks"][1:] == [
        {"kind": "h", "text": "Usage", "level": 3},
        {"kind": "li", "text": "Run make", "ordered": True, "depth": 0, "md": "Run `make`"},
        {"kind": "code", "text": "make test\nmake lint", "language": "sh"},
    ]
    assert data["text"] == "\n".join(b["text"] for b in data["blocks"])


def test_blocks_still_build_positionally() -> None:
    block = Block("Share this:", BlockKind.HEADING)
    assert (block.text, block.kind, block.level, block.depth, block.md) == (
        "Share this:", H, 0, 0, None
    )  # fmt: skip
    res = CleanResult(blocks=(Block("", IMG, md="![x](x.png)"), Block("Text.")))
    assert res.text == "Text."  # an image has no text


def test_revisions_look_past_images() -> None:
    """An image before the title heading or at the end does not hide a repeated title, a
    date line or a trailing comment label."""
    from cleaner.revise import drop_datelines, drop_title_repeats, drop_trailing_labels

    image = Block("", IMG, md="![x](x.png)")
    body = [image, Block("My Title", H), Block("Text one."), Block("Text two.")]
    kept, removed = drop_title_repeats(body, "My Title", window=1)
    assert [r.text for r in removed] == ["My Title"] and kept[0] is image
    kept, removed = drop_datelines([image, image, Block("May 5, 2024 at 10:30")], window=1)
    assert [r.text for r in removed] == ["May 5, 2024 at 10:30"]
    kept, removed = drop_trailing_labels([Block("Text."), image, Block("3 comments"), image])
    assert kept == [Block("Text."), image] and [r.text for r in removed] == ["3 comments"]


# -- the Markdown writer ----------------------------------------------------------------


def test_markdown_writer_lists_code_tables_and_quotes() -> None:
    res = CleanResult(
        title="T",
        blocks=(
            Block("Heading of unknown level", H),
            *[Block(f"step {i}", LI, ordered=True) for i in range(1, 11)],
            Block("detail of step ten", LI, depth=1),
            Block("more about step ten", P, depth=1),
            Block("code with ``` inside", CODE, depth=1),
            Block("a | b", ROW, header=True),
            Block("1 | 2", ROW),
            Block("c | d", ROW, header=True),
            Block("Said once.", BlockKind.QUOTE),
            Block("Said twice.", BlockKind.QUOTE),
            Block("* not emphasis, no Markdown known"),
        ),
    )
    md = render(res, "md")
    assert md.startswith("# T\n\n## Heading of unknown level\n\n1. step 1\n2. step 2\n")
    assert "\n10. step 10\n    - detail of step ten\n\n    more about step ten\n" in md
    assert "\n    ````\n    code with ``` inside\n    ````\n" in md
    assert "| a | b |\n| --- | --- |\n| 1 | 2 |\n\n| c | d |\n| --- | --- |\n" in md
    assert "> Said once.\n>\n> Said twice." in md
    assert md.endswith("\n\n* not emphasis, no Markdown known\n")


# -- the command line -------------------------------------------------------------------


def test_cli_markdown_links_images_and_json(tmp_path: Path) -> None:
    path = tmp_path / "post.html"
    path.write_text(
        page(
            "<p>It is <strong>never</strong> needed, says the "
            "<a href='https://docs.example.org/m'>manual</a>.</p><figure><img "
            "src='https://example.org/b.jpg' alt='The board'></figure><p>And that is that, "
            "for today.</p>"
        ),
        encoding="utf-8",
    )
    runner = CliRunner()
    md = runner.invoke(app, ["clean", str(path), "--format", "md"]).stdout
    assert "**never**" in md and "](" not in md
    md = runner.invoke(app, ["clean", str(path), "-f", "md", "--links", "--images"]).stdout
    assert "[manual](https://docs.example.org/m)" in md and "![The board](" in md
    txt = runner.invoke(app, ["clean", str(path), "--links"]).stdout
    assert "never needed, says the manual." in txt and "**" not in txt
    data = json.loads(runner.invoke(app, ["clean", str(path), "-f", "json", "--links"]).stdout)
    assert any(
        b.get("md", "").endswith("[manual](https://docs.example.org/m).") for b in data["blocks"]
    )
