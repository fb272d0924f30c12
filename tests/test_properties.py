"""Properties of ``clean()`` over generated HTML and text (hypothesis).

- Only :class:`~cleaner.CleanerError` is ever raised, whatever the input.
- The cleaner never invents text: every word of the output is in the input's text.
- Cleaning clean text changes nothing: the output text (title, blank line, body) cleans to
  the same title and body.
- An article's body survives widgets from the boilerplate catalogue injected around it.

Deterministic: ``derandomize=True`` (examples derive from the test, not a random seed) and a
modest ``max_examples``; set ``HYPOTHESIS_PROFILE=thorough`` for a longer search.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cleaner import CleanerError, clean

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

CATALOGUE = Path(__file__).resolve().parents[2] / "shared" / "docs" / "boilerplate-catalogue.json"

WORDS = (
    "river flood town bridge volunteers carried sandbags school morning water valley mill "
    "railway month café naïve Größe été über señor 1953 3.5 don't it's – “quoted” and the of "
    "a to in was by on"
).split()
word = st.sampled_from(WORDS)
sentence = st.lists(word, min_size=3, max_size=25).map(lambda ws: " ".join(ws).capitalize() + ".")
paragraph = st.lists(sentence, min_size=1, max_size=4).map(" ".join)

INLINE = ["b", "i", "em", "strong", "a", "span", "code", "small"]
BLOCK = ["p", "div", "section", "blockquote", "li", "h2", "h3", "pre", "td"]
CLASSES = ["entry-content", "sharedaddy", "post", "comments", "widget", "share", "related", ""]


@st.composite
def fragment(draw: st.DrawFn, depth: int = 0) -> str:
    """A run of HTML: text, inline and block elements, entities, comments, stray markup."""
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["text", "inline", "block", "entity", "comment", "junk"]))
        if kind == "text" or depth > 4:
            parts.append(html.escape(draw(paragraph), quote=False))
        elif kind == "inline":
            tag = draw(st.sampled_from(INLINE))
            parts.append(f"<{tag}>{html.escape(draw(sentence), quote=False)}</{tag}>")
        elif kind == "block":
            tag = draw(st.sampled_from(BLOCK))
            cls = draw(st.sampled_from(CLASSES))
            attr = f' class="{cls}"' if cls else ""
            close = draw(st.booleans())
            inner = draw(fragment(depth + 1))
            parts.append(f"<{tag}{attr}>{inner}" + (f"</{tag}>" if close else ""))
        elif kind == "entity":
            parts.append(
                draw(
                    st.sampled_from(
                        ["&amp;", "&lt;", "&gt;", "&eacute;", "&#233;", "&nbsp;", "&bogus;"]
                    )
                )
            )
        elif kind == "comment":
            parts.append(f"<!-- {draw(sentence)} -->")
        else:
            parts.append(
                draw(st.sampled_from(["<", ">", "</div>", "<p", "<!", "<![CDATA[x]]>", "<br/>"]))
            )
    return "".join(parts)


@st.composite
def html_page(draw: st.DrawFn) -> str:
    title = draw(sentence)
    head = f"<title>{html.escape(title)}</title>" if draw(st.booleans()) else ""
    return f"<!DOCTYPE html><html><head>{head}</head><body>{draw(fragment())}</body></html>"


flattened = st.lists(st.one_of(paragraph, sentence, word), min_size=0, max_size=8).map("\n\n".join)

_TAG = re.compile(r"</?[a-zA-Z][^<>]*>|<!--.*?-->|<!\[CDATA\[|\]\]>|<![^<>]*>", re.DOTALL)
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def _squeezed(source: str) -> str:
    """The input's text, tags out, entities decoded, all white space gone: an output word
    found in it was not invented (a word may span inline tags in the source)."""
    text = html.unescape(_TAG.sub("", source)) + html.unescape(source)
    return _SPACE.sub("", text).casefold()


def _assert_nothing_invented(source: str, output: str) -> None:
    known = _squeezed(source)
    invented = [w for w in _WORD.findall(output.casefold()) if w not in known]
    assert not invented, invented


# -- only CleanerError ------------------------------------------------------------------


@given(st.one_of(st.binary(max_size=2000), st.text(max_size=2000)))
def test_arbitrary_bytes_and_text_raise_only_cleaner_errors(source: bytes | str) -> None:
    try:
        clean(source)
    except CleanerError as exc:
        assert str(exc) and "\n" not in str(exc)


@given(html_page(), st.sampled_from(["str", "bytes", "latin-1", "utf-16", "gzip"]))
def test_generated_html_raises_only_cleaner_errors(page: str, form: str) -> None:
    import gzip

    source: str | bytes = page
    if form == "bytes":
        source = page.encode("utf-8")
    elif form == "latin-1":
        source = page.encode("latin-1", "replace")
    elif form == "utf-16":
        source = page.encode("utf-16")
    elif form == "gzip":
        source = gzip.compress(page.encode("utf-8"))
    try:
        clean(source)
    except CleanerError:
        pass


# -- nothing invented -------------------------------------------------------------------


@given(html_page())
def test_html_output_words_all_come_from_the_input(page: str) -> None:
    res = clean(page)
    _assert_nothing_invented(page, f"{res.title or ''} {res.text}")


@given(flattened)
def test_text_output_words_all_come_from_the_input(text: str) -> None:
    res = clean(text)
    _assert_nothing_invented(text, f"{res.title or ''} {res.text}")


# -- idempotence ------------------------------------------------------------------------


@given(flattened)
def test_cleaning_clean_text_changes_nothing(text: str) -> None:
    first = clean(text)
    # a title without a body ("Title\n\nTitle" loses its repeat) reads back as one line of
    # body text: a lone line is never taken for a title
    assume(first.text or not first.title)
    again_input = f"{first.title}\n\n{first.text}" if first.title else first.text
    again = clean(again_input)
    assert (again.title, again.text) == (first.title, first.text)


@given(html_page())
def test_cleaning_the_text_of_a_cleaned_page_changes_nothing(page: str) -> None:
    first = clean(page)
    assume(first.text or not first.title)
    out = f"{first.title}\n\n{first.text}" if first.title else first.text
    second = clean(out)
    third = clean(f"{second.title}\n\n{second.text}" if second.title else second.text)
    assert (third.title, third.text) == (second.title, second.text)


# -- widgets around an article ----------------------------------------------------------


def _widgets() -> list[str]:
    """One widget per catalogue entry: its first class or id selector, its English strings."""
    if not CATALOGUE.exists():  # pragma: no cover - the shared docs sit next to the checkout
        pytest.skip("boilerplate catalogue not found")
    out = []
    for name, entry in json.loads(CATALOGUE.read_text(encoding="utf-8")).items():
        if name.startswith("_"):
            continue
        strings = [s.replace("%s", "Somebody") for s in entry.get("strings_en") or []]
        selector = next(
            (s for s in entry.get("selectors") or [] if re.fullmatch(r"[.#][\w-]+", s)), None
        )
        if not selector or not strings:
            continue
        attr = "class" if selector[0] == "." else "id"
        items = "".join(f"<p>{html.escape(s)}</p>" for s in strings[:6])
        out.append(f'<div {attr}="{selector[1:]}">{items}</div>')
    return out


WIDGETS = _widgets() if CATALOGUE.exists() else ["<div class='sharedaddy'><p>Share this:</p></div>"]
article_paragraph = st.lists(sentence, min_size=3, max_size=5).map(" ".join)


@given(
    st.lists(article_paragraph, min_size=3, max_size=5),
    st.lists(st.sampled_from(WIDGETS), min_size=1, max_size=5),
    st.lists(st.sampled_from(WIDGETS), min_size=0, max_size=3),
)
def test_the_article_body_survives_widgets_injected_around_it(
    paragraphs: list[str], after: list[str], before: list[str]
) -> None:
    body = "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    page = (
        "<!DOCTYPE html><html><head><title>The Flood | A Blog</title></head><body>"
        + "".join(before)
        + f"<article><h1>The Flood</h1><div class='entry-content'>{body}</div>"
        + "".join(after)
        + "</article>"
        + "".join(after[:1])
        + "</body></html>"
    )
    res = clean(page)
    out = _SPACE.sub(" ", res.text)
    for p in paragraphs:
        assert p in out
