"""Hostile input: every case ends in a result or a CleanerError with a clear message.

The cases are built by tests/_hostile.py (shared with benchmarks/hostile.py, which times
them). Where a case at full size only costs time here (the behaviour is the same), a smaller
one stands in; the benchmark runs the full sizes.
"""

from __future__ import annotations

import gzip
import subprocess
import sys

import pytest
from _hostile import ARTICLE, CASES, page, soup_cases

from cleaner import (
    Cleaner,
    CleanerError,
    ExtractionError,
    InputError,
    InputTooLarge,
    clean,
)
from cleaner.inputs import DEFAULT_MAX_BYTES, DEFAULT_MAX_ELEMENTS
from cleaner.parse import MAX_DEPTH, parse_html

BODY_WORDS = ("The river rose three", "railway closed for a month")


def build(name: str) -> object:
    return CASES[name][0]()


def assert_article(text: str) -> None:
    for words in BODY_WORDS:
        assert words in text


def one_line(exc: BaseException) -> str:
    msg = str(exc)
    assert msg and "\n" not in msg and len(msg) < 300
    return msg


# -- empty ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["empty-str", "empty-bytes", "whitespace"])
def test_empty_input_is_an_empty_result_not_an_error(name: str) -> None:
    res = clean(build(name))
    assert res.title is None and res.blocks == () and res.text == ""


def test_the_cli_cleans_an_empty_file_to_nothing(tmp_path) -> None:
    """Nothing at all, as the README says: not a blank line (txt and md; json is a document)."""
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\n\t\n")
    for name in ("empty.html", "blank.txt"):
        for fmt in ("txt", "md"):
            proc = subprocess.run(
                [sys.executable, "-m", "cleaner", "clean", str(tmp_path / name), "-f", fmt],
                capture_output=True,
                text=True,
            )
            assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", ""), (name, fmt)


# -- binary -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["nul-bytes", "nul-str", "nul-late"])
def test_a_stray_nul_in_a_page_is_dropped_and_the_page_cleaned(name: str) -> None:
    res = clean(build(name))
    assert_article(res.text)
    assert "\x00" not in res.text


@pytest.mark.parametrize(
    "name, what",
    [
        ("nul-only", "binary"),
        ("random-binary", "binary"),
        ("png", "a PNG image"),
        ("jpeg", "a JPEG image"),
        ("gif", "a GIF image"),
        ("pdf", "a PDF document"),
        ("zip", "a ZIP archive"),
        ("webp", "a RIFF media file"),
        ("gzip-nested", "gzip data inside gzip data"),
    ],
)
def test_binary_input_is_refused_naming_what_it_is(name: str, what: str) -> None:
    with pytest.raises(InputError) as info:
        clean(build(name))
    assert what in one_line(info.value)


def test_a_str_of_control_characters_is_refused_as_binary() -> None:
    with pytest.raises(InputError, match="binary"):
        clean(bytes(range(256)).decode("latin-1") * 10)


# -- charsets ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "lying-utf8",
        "nonsense-charset",
        "text-codec-charset",
        "idna-charset",
        "utf16-declared-latin1",
    ],
)
def test_lying_or_invalid_charsets_still_decode_the_page(name: str) -> None:
    res = clean(build(name))
    assert "mètres" in res.text and "(été)" in res.text


@pytest.mark.parametrize(
    "name", ["utf16le-bom", "utf16be-bom", "utf16le-nobom", "utf16be-nobom", "utf32-bom"]
)
def test_utf16_and_utf32_with_or_without_a_bom(name: str) -> None:
    res = clean(build(name))
    assert res.title == "The Flood"
    assert_article(res.text)


def test_a_utf16_bom_before_bytes_that_are_not_utf16_is_refused_or_cleaned() -> None:
    try:
        res = clean(build("bad-bom"))
    except InputError as exc:
        one_line(exc)
    else:
        assert "odd" in res.text


# -- characters a tree cannot hold --------------------------------------------------------


@pytest.mark.parametrize(
    "name, kept",
    [
        ("lone-surrogates", "riv\ufffder"),
        ("control-chars", "river"),
        ("noncharacters", "river\U0010ffff"),
        ("bidi-zero-width", "ri\u202e\u200bver\ufeff"),
    ],
)
def test_characters_lxml_cannot_hold_do_not_lose_the_page(name: str, kept: str) -> None:
    # lxml used to stop at the first such character and return an empty page
    res = clean(build(name))
    assert_article(res.text.replace(kept, "river"))
    assert kept in res.text
    res.text.encode("utf-8")  # no lone surrogate left to break writing the output


@pytest.mark.parametrize("name", ["surrogate-attr", "broken-meta"])
def test_odd_head_markup_does_not_lose_the_page(name: str) -> None:
    assert_article(clean(build(name)).text)


def test_lone_surrogates_in_flattened_text_become_replacement_characters() -> None:
    res = clean("A title\n\nSome te\ud800xt of a post.")
    assert res.text == "Some te\ufffdxt of a post."


# -- size and shape ---------------------------------------------------------------------


def test_a_page_nested_deeper_than_any_parser_limit_keeps_its_text() -> None:
    # libxml2 stops at 2048 levels even with huge_tree and drops the rest without a word
    res = clean(page("<div>" * 5000 + ARTICLE))
    assert_article(res.text)
    assert len(res.blocks) >= 2  # the paragraphs stay paragraphs


def test_deep_trees_are_flattened_below_the_depth_limit() -> None:
    root = parse_html(page("<div><span>" * 3000 + ARTICLE))
    assert not root.xpath("/*" * (MAX_DEPTH + 3))  # blocks stay under the last wrapper
    assert [p.text[:9] for p in root.iter("p")] == ["The river", "Nobody in"]


def test_deep_inline_nesting_in_a_paragraph() -> None:
    res = clean(page("<p>" + "<b>" * 5000 + "deep text" + "</b>" * 5000 + "</p>" + ARTICLE))
    assert_article(res.text)


@pytest.mark.parametrize("char", ["<", ">", "&"])
def test_runs_of_markup_characters_around_an_article(char: str) -> None:
    # the benchmark runs a million of each (about 3 s); the behaviour is the same
    res = clean(page(char * 200_000 + ARTICLE))
    assert_article(res.text)
    assert char * 200_000 in res.text  # text, not markup, and kept as it was


def test_a_million_lt_alone_is_text_and_comes_back_as_it_was() -> None:
    assert clean(build("million-lt")).text == "<" * 1_000_000


def test_over_max_bytes_is_refused_naming_size_and_limit() -> None:
    data = build("huge-30mb")
    with pytest.raises(InputTooLarge) as info:
        clean(data)
    msg = one_line(info.value)
    assert f"{len(data):,} bytes" in msg and f"{DEFAULT_MAX_BYTES:,}" in msg
    assert "max_bytes" in msg
    assert isinstance(info.value, InputError)


def test_max_bytes_applies_to_str_bytes_and_responses_and_can_be_lifted() -> None:
    html = page(ARTICLE * 20)
    for source in (html, html.encode()):
        with pytest.raises(InputTooLarge):
            clean(source, max_bytes=1000)
        with pytest.raises(InputTooLarge):
            Cleaner(max_bytes=1000).clean(source)
    assert_article(clean(html, max_bytes=None).text)

    class Response:
        body = html.encode()
        url = "https://example.com/flood"

    with pytest.raises(InputTooLarge):
        Cleaner(max_bytes=1000).clean(Response())


def test_max_elements_refuses_a_page_of_a_million_tags() -> None:
    with pytest.raises(InputTooLarge) as info:
        clean(page("<br>" * 1_000_000 + ARTICLE))
    assert "1,000,0" in one_line(info.value) and "elements" in str(info.value)
    assert_article(clean(page("<br>" * 500 + ARTICLE), max_elements=1000).text)
    with pytest.raises(InputTooLarge):
        clean(page("<br>" * 500 + ARTICLE), max_elements=100)


def test_max_elements_applies_to_given_trees_too() -> None:
    import lxml.html

    tree = lxml.html.document_fromstring(page("<br>" * 500 + ARTICLE))
    with pytest.raises(InputTooLarge):
        clean(tree, max_elements=100)


def test_an_element_with_a_hundred_thousand_attributes() -> None:
    # libxml2 takes quadratic time on it: the tag keeps only its first 64 KB of attributes
    assert_article(clean(build("many-attrs")).text)


def test_a_huge_class_attribute() -> None:
    assert_article(clean(build("huge-attr")).text)


# -- entities ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["billion-laughs", "billion-laughs-bytes"])
def test_entity_expansion_bombs_are_not_expanded(name: str) -> None:
    res = clean(build(name))
    assert "lollol" not in res.text
    assert_article(res.text)


def test_external_entities_are_not_read() -> None:
    res = clean(build("external-entity"))
    assert "root:" not in res.text
    assert_article(res.text)


# -- not an article ---------------------------------------------------------------------


def test_a_script_only_page_gives_no_script_text() -> None:
    res = clean(build("script-only"))
    assert "document.write" not in res.text and "var a" not in res.text


@pytest.mark.parametrize("name", ["style-only", "title-only"])
def test_pages_without_text_give_an_empty_body(name: str) -> None:
    assert clean(build(name)).text == ""


@pytest.mark.parametrize(
    "name, what",
    [
        ("rss", "an RSS feed"),
        ("atom", "an Atom feed"),
        ("rdf", "an RSS (RDF) feed"),
        ("sitemap", "an XML sitemap"),
    ],
)
def test_feeds_and_sitemaps_are_refused_naming_what_they_are(name: str, what: str) -> None:
    with pytest.raises(InputError) as info:
        clean(build(name))
    assert one_line(info.value).startswith(f"input is {what}, not a web page")


def test_xhtml_with_an_xml_declaration_is_a_page() -> None:
    res = clean(build("xhtml"))
    assert res.title == "The Flood"
    assert_article(res.text)


# -- comments ---------------------------------------------------------------------------


def test_an_unterminated_comment_hides_what_follows_as_in_a_browser() -> None:
    # HTML: '<!--' without '-->' comments out the rest of the document
    res = clean(build("comment-unterminated"))
    assert "river" not in res.text


@pytest.mark.parametrize(
    "name", ["comment-unterminated-top", "comment-million", "comment-in-p-100k", "cdata-bomb"]
)
def test_comment_bombs(name: str) -> None:
    try:
        res = clean(build(name))
    except CleanerError as exc:
        one_line(exc)
    else:
        if name != "comment-unterminated-top":
            assert_article(res.text)


def test_processing_instructions_and_doctypes_do_not_hide_the_article() -> None:
    assert_article(clean(build("pi-and-doctypes")).text)


# -- gzip -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["gzip", "gzip-two-members"])
def test_gzip_passed_raw_is_unpacked(name: str) -> None:
    assert_article(clean(build(name)).text)


@pytest.mark.parametrize("name", ["gzip-bomb", "gzip-html-bomb"])
def test_gzip_bombs_stop_at_max_bytes(name: str) -> None:
    with pytest.raises(InputTooLarge, match="over the limit of 20,000,000 bytes"):
        clean(build(name))


def test_gzip_under_the_limit_packed_but_over_it_unpacked() -> None:
    data = gzip.compress(page(ARTICLE * 50).encode())
    assert len(data) < 2000
    with pytest.raises(InputTooLarge):
        clean(data, max_bytes=5000)


@pytest.mark.parametrize(
    "name, what", [("gzip-corrupt", "corrupt"), ("gzip-truncated", "truncated")]
)
def test_broken_gzip_is_refused(name: str, what: str) -> None:
    with pytest.raises(InputError) as info:
        clean(build(name))
    assert what in one_line(info.value)


# -- soups and trees --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["soup-deep", "lxml-deep", "soup-bad-chars-and-names", "lxml-xhtml-namespaced"]
)
def test_hostile_soups_and_trees(name: str) -> None:
    assert_article(clean(soup_cases(depth=10_000)[name]()).text)


def test_an_lxml_comment_is_refused() -> None:
    with pytest.raises(InputError):
        clean(soup_cases()["lxml-comment-root"]())


# -- the last line ----------------------------------------------------------------------


def _boom(exc: BaseException):  # type: ignore[no-untyped-def]
    """A stand-in for the extraction stage (on either path) that raises."""

    def extract_article(*args: object, **kwargs: object) -> None:
        raise exc

    return extract_article


def test_an_unexpected_exception_becomes_an_extraction_error_with_cause_and_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("cleaner.ladder.extract_article", _boom(ZeroDivisionError("oops")))
    with pytest.raises(ExtractionError) as info:
        clean(page(), url="https://example.com/flood")
    msg = one_line(info.value)
    assert msg == "https://example.com/flood: cleaning failed: ZeroDivisionError: oops"
    assert isinstance(info.value.__cause__, ZeroDivisionError)


def test_a_recursion_error_does_not_escape(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cleaner.ladder.extract_article", _boom(RecursionError("deep")))
    with pytest.raises(ExtractionError, match="RecursionError"):
        clean(page())


@pytest.mark.parametrize("exc", [KeyboardInterrupt(), SystemExit(3)])
def test_interrupts_still_propagate(monkeypatch: pytest.MonkeyPatch, exc: BaseException) -> None:
    monkeypatch.setattr("cleaner.ladder.extract_article", _boom(exc))
    with pytest.raises(type(exc)):
        clean(page())


# -- the command line -------------------------------------------------------------------


def _cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", *args],
        input=None if stdin is None else stdin.decode("latin-1"),
        capture_output=True,
        text=True,
    )


def test_cli_max_bytes_refuses_a_file_or_stdin_over_it(tmp_path) -> None:
    f = tmp_path / "page.html"
    f.write_text(page(), encoding="utf-8")
    proc = _cli(str(f), "--max-bytes", "100")
    assert proc.returncode == 1
    assert proc.stderr.strip() == (
        f"cleaner: {f}: input is {f.stat().st_size:,} bytes, over the limit of 100; "
        "raise max_bytes (--max-bytes)"
    )
    proc = _cli("-", "--max-bytes", "100", stdin=page().encode())
    assert proc.returncode == 1 and "over the limit of 100 bytes" in proc.stderr
    proc = _cli(str(f), "--max-bytes", "0")
    assert proc.returncode == 0 and "The river rose" in proc.stdout


def test_cli_default_limit_is_the_librarys() -> None:
    from cleaner import cli

    assert cli.DEFAULT_MAX_BYTES == DEFAULT_MAX_BYTES == Cleaner().max_bytes
    assert cli.DEFAULT_MAX_ELEMENTS == DEFAULT_MAX_ELEMENTS == Cleaner().max_elements


def test_cli_max_elements(tmp_path) -> None:
    f = tmp_path / "page.html"
    f.write_text(page("<br>" * 500 + ARTICLE), encoding="utf-8")
    proc = _cli(str(f), "--max-elements", "100")
    assert proc.returncode == 1
    assert "page has 5" in proc.stderr and "raise max_elements (--max-elements)" in proc.stderr


def test_cli_reports_binary_input_on_one_line(tmp_path) -> None:
    f = tmp_path / "image.png"
    f.write_bytes(build("png"))  # type: ignore[arg-type]
    proc = _cli(str(f))
    assert proc.returncode == 1
    assert proc.stderr == f"cleaner: {f}: input is a PNG image, not HTML or text\n"
