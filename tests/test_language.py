"""Language identification (cleaner/language.py): the language of the article's text, its
confidence, and the page's declared language kept apart."""

from __future__ import annotations

import pytest

from cleaner import Cleaner, clean
from cleaner.language import MIN_CONFIDENCE, identify, of_article, sample
from cleaner.result import Block, BlockKind

_DE = (
    "Erbsen sät man im Frühjahr, sobald der Boden offen ist. Ein Netz hilft ihnen beim "
    "Klettern, und ein Vlies hält die Vögel fern, bis sie blühen."
)
_JA = "川沿いの桜並木で、今夜から恒例のライトアップが始まり、仕事帰りの人たちが足を止めて見上げていました。"
_ZH = "手擀面看起来简单，其实每一步都有讲究。面粉和水的比例大约是二比一，最好分几次加水。"


def _page(body: str, lang: str | None = None) -> str:
    attr = f' lang="{lang}"' if lang else ""
    return (
        f"<html{attr}><head><title>Post</title></head><body><article><h1>Post</h1>"
        f"<p>{body}</p></article></body></html>"
    )


@pytest.mark.parametrize(("text", "code"), [(_DE, "de"), (_JA, "ja"), (_ZH, "zh")])
def test_identifies_languages_of_text(text: str, code: str) -> None:
    found = identify(text)
    assert found is not None and found.language == code
    assert MIN_CONFIDENCE <= found.confidence <= 1.0


@pytest.mark.parametrize("text", ["", "Read more", "Share", "42"])
def test_too_little_text_has_no_language(text: str) -> None:
    assert identify(text) is None


def test_code_blocks_are_not_read() -> None:
    code = Block("for i in range(10):\n    print(i)\n" * 20, BlockKind.CODE)
    assert of_article(None, [code]) is None
    assert of_article("Gemüse", [code, Block(_DE)]).language == "de"  # type: ignore[union-attr]


def test_sample_is_bounded() -> None:
    text = sample("Title", ["word " * 1000], limit=100)
    assert len(text) <= 100 and text.startswith("Title\nword")


def test_the_identified_and_the_declared_language_are_separate_fields() -> None:
    # a German article on a theme that declares English
    res = clean(_page(_DE, "en-US"))
    assert (res.language, res.declared_language) == ("de", "en")
    assert res.language_confidence is not None and res.language_confidence > 0.9
    meta = res.to_dict()
    assert meta["language"] == "de" and meta["declared_language"] == "en"
    assert "language_confidence" in res.metadata


def test_a_page_that_declares_nothing_still_gets_its_language() -> None:
    res = clean(_page(_JA))
    assert (res.language, res.declared_language) == ("ja", None)


def test_flattened_text_gets_its_language() -> None:
    res = Cleaner().clean_text(f"Gemüse im Frühjahr\n\n{_DE}\n\n{_DE}")
    assert res.input_kind == "text" and res.language == "de"


def test_a_page_without_prose_has_no_language() -> None:
    res = clean(_page("<a href='/'>Home</a>"))
    assert res.language is None and res.language_confidence is None
