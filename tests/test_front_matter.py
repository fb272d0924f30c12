"""YAML front matter (render(..., with_metadata=True), --with-metadata): every value reads
back the same through a YAML parser (PyYAML)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cleaner import CleanResult, clean
from cleaner.cli import app
from cleaner.format import front_matter, render
from cleaner.result import Block

ROOT = Path(__file__).resolve().parent.parent


def _matter(out: str) -> tuple[dict[str, object], str]:
    m = re.match(r"---\n(.*?)^---\n\n", out, re.S | re.M)
    assert m, out
    return yaml.safe_load(m.group(1)) or {}, out[m.end() :]


TRICKY = [
    'Peas: a "how-to"',
    "- not a list",
    "# not a comment",
    "yes",
    "null",
    "1.5",
    "@handle & *star* | pipe > gt: colon",
    "tab\there",
    "two\nlines",
    "bell\x07, escape\x1b, del\x7f, nel\x85, ls\u2028, bom\ufeff",
    "back\\slash \\n",
    "  padded  ",
    "emoji 🍅 and 日本語",
    "'single' and \"double\"",
    "%YAML 1.2",
    "---",
    "...",
]


def test_tricky_titles_round_trip() -> None:
    for title in TRICKY:
        res = CleanResult(title=title, blocks=(Block("Body."),), author=title)
        meta, body = _matter(render(res, "txt", with_metadata=True))
        assert meta == {"title": title, "author": title}, repr(title)
        assert body == render(res, "txt")


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.text(max_size=60))
def test_any_title_round_trips(title: str) -> None:
    meta, _ = _matter(front_matter(CleanResult(title=title, description=title)))
    expected = {"title": title, "description": title} if title else {}
    assert meta == expected


def test_fields_and_their_order() -> None:
    res = CleanResult(
        title="T", author="A", date="2024-01-12",
        url="https://blog.example/peas/?utm_source=feed",
        canonical_url="https://blog.example/peas/",
        sitename="Plot Notes", language="en", description="D",
    )  # fmt: skip
    out = front_matter(res)
    keys = [line.split(":")[0] for line in out.splitlines()[1:-2]]
    assert keys == ["title", "author", "date", "url", "canonical_url", "sitename", "language",
                    "description"]  # fmt: skip
    meta, _ = _matter(out)
    assert meta["url"] == "https://blog.example/peas/?utm_source=feed"
    assert meta["canonical_url"] == "https://blog.example/peas/"


def test_page_type_when_the_result_has_one() -> None:
    meta, _ = _matter(front_matter(CleanResult(title="T", page_type="article")))
    assert meta == {"title": "T", "page_type": "article"}
    meta, _ = _matter(front_matter(CleanResult(title="T")))  # flattened text: no kind told
    assert meta == {"title": "T"}


def test_md_and_txt_only() -> None:
    res = clean(
        "<html lang='en'><head><title>Peas</title></head><body><article><h1>Peas</h1>"
        "<p>Sow peas early in spring, as soon as the soil can be worked, and net them.</p>"
        "</article></body></html>",
        url="https://plotnotes.example.org/peas",
    )
    md_meta, md_body = _matter(render(res, "md", with_metadata=True))
    assert md_body == render(res, "md") and md_meta["title"] == "Peas"
    assert md_meta["language"] == "en" and md_meta["url"] == "https://plotnotes.example.org/peas"
    assert render(res, "json", with_metadata=True) == render(res, "json")
    assert not render(res, "md").startswith("---")


def test_cli_with_metadata() -> None:
    seed = ROOT / "fixtures" / "wp-core-comments-en" / "source.html"
    runner = CliRunner()
    for fmt in ("txt", "md"):
        res = runner.invoke(app, ["clean", str(seed), "-f", fmt, "--with-metadata"])
        assert res.exit_code == 0
        meta, body = _matter(res.stdout)
        plain = runner.invoke(app, ["clean", str(seed), "-f", fmt]).stdout
        assert body == plain and meta["title"] and meta["language"] == "en"


def test_categories_tags_image_and_licence_read_back() -> None:
    res = CleanResult(
        title="T", categories=("Garden", 'Veg: "easy"'), tags=("peas", "spring, early"),
        image="https://blog.example/peas.jpg", license="https://creativecommons.org/licenses/by/4.0/",
    )
    meta, _ = _matter(front_matter(res))
    assert meta["categories"] == ["Garden", 'Veg: "easy"']
    assert meta["tags"] == ["peas", "spring, early"]
    assert meta["image"] == "https://blog.example/peas.jpg"
    assert meta["license"].startswith("https://creativecommons.org/")


def test_the_metadata_pass_fills_categories_tags_image_and_licence() -> None:
    from cleaner import clean

    html = """<html><head><title>Peas | Plot</title>
<meta property="og:image" content="/img/peas.jpg">
<link rel="license" href="https://creativecommons.org/licenses/by/4.0/">
<script type="application/ld+json">{"@type": "BlogPosting", "articleSection": "Garden",
 "keywords": ["peas", "spring"]}</script></head><body><article><h1>Peas</h1>
<div class="entry-content"><p>Sow peas early in spring, as soon as the soil can be worked,
and give them a net to climb; pick the pods young and often for the sweetest ones.</p>
<p>Keep the birds off with a fleece until they flower, then let the bees do their work.</p>
</div></article></body></html>"""
    res = clean(html, url="https://plot.example/peas/")
    assert res.categories == ("Garden",) and res.tags == ("peas", "spring")
    assert res.image == "https://plot.example/img/peas.jpg"
    assert res.license == "https://creativecommons.org/licenses/by/4.0/"
    assert res.to_dict()["tags"] == ["peas", "spring"]
