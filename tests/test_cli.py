from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import __version__
from cleaner.cli import app

runner = CliRunner()

PAGE = """<html><head><title>Garden Notes | My Blog</title></head><body>
<article><h1>Garden Notes</h1>
<div class="entry-content"><p>Tomatoes need more water in July than in May, and the soil
should stay moist but never soaked. I water in the early morning.</p>
<p>Basil grows best beside them, and it keeps some pests away from the leaves.</p>
<div class="gardening-book"><p>Buy my gardening book today!</p></div></div>
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3>
<ul><li><a>Twitter</a></li><li><a>Facebook</a></li></ul></div>
</article></body></html>"""


def test_clean_seed_prints_title_and_paragraphs(seed_path: Path) -> None:
    res = runner.invoke(app, ["clean", str(seed_path)])
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert lines[0] == "Almost 8,500 Citizens Leave Militant-Held Districts in Syria’s Aleppo"
    assert lines[1] == ""
    assert len(lines) == 13
    assert "Leave a Reply" not in res.stdout


def test_stdin_and_output_file(tmp_path: Path, seed_path: Path) -> None:
    out = tmp_path / "out" / "seed.txt"
    out.parent.mkdir()
    res = runner.invoke(app, ["clean", "-", "-o", str(out)], input=seed_path.read_bytes())
    assert res.exit_code == 0 and res.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("Almost 8,500")
    assert not list(out.parent.glob(".*tmp"))


def test_json_format_carries_metadata_and_removals(seed_path: Path) -> None:
    res = runner.invoke(
        app, ["clean", str(seed_path), "--format", "json", "--url", "https://x.org/a"]
    )
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert data["title"].startswith("Almost 8,500")
    assert data["url"] == "https://x.org/a"
    assert "canonical_url" in data
    assert data["text"].count("\n") == 10
    assert any(r["rule"] == "#cut# Leave a Reply" for r in data["removed"])


def test_md_format(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(PAGE, encoding="utf-8")
    res = runner.invoke(app, ["clean", str(page), "--format", "md"])
    assert res.exit_code == 0
    assert res.stdout.startswith("# Garden Notes\n\nTomatoes need")


def test_explain_lists_rules_with_file_and_line(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(PAGE, encoding="utf-8")
    res = runner.invoke(app, ["clean", str(page), "--explain"])
    assert res.exit_code == 0
    assert "Share this" not in res.stdout
    assert "cleaner/rules/share.txt:" in res.stderr and "##.sharedaddy" in res.stderr


def test_user_rules_remove_a_block(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(PAGE, encoding="utf-8")
    rules = tmp_path / "mine.txt"
    rules.write_text("! my rules\n##.gardening-book\n", encoding="utf-8")
    before = runner.invoke(app, ["clean", str(page)])
    assert "Buy my gardening book" in before.stdout
    res = runner.invoke(app, ["clean", str(page), "--rules", str(rules), "--explain"])
    assert res.exit_code == 0
    assert "Buy my gardening book" not in res.stdout
    assert f"{rules}:2" in res.stderr


def test_bad_user_rule_is_a_usage_error(tmp_path: Path, seed_path: Path) -> None:
    rules = tmp_path / "bad.txt"
    rules.write_text("##.x:style(color:red)\n", encoding="utf-8")
    res = runner.invoke(app, ["clean", str(seed_path), "--rules", str(rules)])
    assert res.exit_code == 2
    assert f"{rules}:1" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_missing_file_directory_and_binary(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["clean", str(tmp_path / "nope.html")])
    assert missing.exit_code == 2
    assert missing.stderr.strip().splitlines() == [
        f"cleaner: {tmp_path / 'nope.html'}: no such file"
    ]
    directory = runner.invoke(app, ["clean", str(tmp_path)])
    assert directory.exit_code == 2
    assert len(directory.stderr.strip().splitlines()) == 1 and "directory" in directory.stderr
    binary = tmp_path / "img.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    res = runner.invoke(app, ["clean", str(binary)])
    assert res.exit_code == 1
    assert res.stderr.strip().splitlines() == [
        f"cleaner: {binary}: input is a PNG image, not HTML or text"
    ]
    assert "Traceback" not in res.stderr


def test_unknown_format_is_usage_error(seed_path: Path) -> None:
    res = runner.invoke(app, ["clean", str(seed_path), "--format", "pdf"])
    assert res.exit_code == 2


def test_version() -> None:
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.stdout.strip() == f"cleaner {__version__}"


def test_rules_list_and_test(seed_path: Path) -> None:
    res = runner.invoke(app, ["rules", "list"])
    assert res.exit_code == 0
    assert "cleaner/rules/comments.txt" in res.stdout and "total" in res.stdout
    res = runner.invoke(app, ["rules", "test", str(seed_path)])
    assert res.exit_code == 0
    assert "#cut# Leave a Reply" in res.stdout


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_imports_neither_trafilatura_nor_lxml(flag: str) -> None:
    code = (
        "import sys\n"
        "from cleaner.cli import app\n"
        f"try:\n    app(['{flag}'])\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('trafilatura', 'lxml'))\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout


def test_output_that_is_a_directory_is_a_usage_error(tmp_path: Path, seed_path: Path) -> None:
    somedir = tmp_path / "somedir"
    somedir.mkdir()
    for target, word in [(somedir, "is"), (f"{tmp_path / 'new'}/", "names")]:
        res = runner.invoke(app, ["clean", str(seed_path), "-o", str(target)])
        assert res.exit_code == 2, res.stderr
        assert res.stderr.splitlines() == [
            f"cleaner: {target}: {word} a directory; -o takes a file name "
            "(`cleaner bulk` writes one output per page into a directory)"
        ]
    assert list(somedir.iterdir()) == [] and not (tmp_path / "new").exists()
    a_file = tmp_path / "a.txt"
    a_file.write_text("keep", encoding="utf-8")
    res = runner.invoke(app, ["clean", str(seed_path), "-o", str(a_file / "x" / "out.txt")])
    assert res.exit_code == 2
    assert res.stderr.splitlines() == [
        f"cleaner: {a_file / 'x' / 'out.txt'}: {a_file} is not a directory"
    ]


def test_output_in_a_missing_directory_is_an_error_and_makes_none(
    tmp_path: Path, seed_path: Path
) -> None:
    """`-o a/b/c.txt` without a/b: an error, as curl -o, wget -O and a shell's > give, not
    a directory tree made on the quiet (a mistyped path would grow one)."""
    target = tmp_path / "a" / "b" / "c.txt"
    res = runner.invoke(app, ["clean", str(seed_path), "-o", str(target)])
    assert res.exit_code == 2 and res.stdout == ""
    assert res.stderr.splitlines() == [
        f"cleaner: {target}: no such directory {target.parent} (create it first)"
    ]
    assert list(tmp_path.iterdir()) == []


def test_output_that_cannot_be_written_is_one_line(
    tmp_path: Path, seed_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cleaner._files

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cleaner._files, "write_atomic", full)
    res = runner.invoke(app, ["clean", str(seed_path), "-o", str(tmp_path / "out.txt")])
    assert res.exit_code == 1
    assert res.stderr.splitlines() == [
        f"cleaner: {tmp_path / 'out.txt'}: cannot write (No space left on device)"
    ]


def test_clean_in_a_subprocess_on_a_directory_output_has_no_traceback(
    tmp_path: Path, seed_path: Path
) -> None:
    res = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", str(seed_path), "-o", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert len(res.stderr.splitlines()) == 1


def test_a_page_after_a_long_style_head_is_cleaned_not_printed_as_markup(
    tmp_path: Path,
) -> None:
    """It gave 31 KB of raw <li id="menu-item..."> markup as the "text", exit 0."""
    from _crawl import style_first_page

    path = tmp_path / "page.html"
    path.write_text(style_first_page("Menus and Margins"), encoding="utf-8")
    res = runner.invoke(app, ["clean", str(path)])
    assert res.exit_code == 0, res.stderr
    assert res.stdout.startswith("Menus and Margins\n\n") and "<" not in res.stdout


def test_a_small_style_sheet_is_no_page(tmp_path: Path) -> None:
    path = tmp_path / "style.css"
    path.write_text("body{color:red}", encoding="utf-8")
    res = runner.invoke(app, ["clean", str(path)])
    assert res.exit_code == 1 and res.stdout == ""
    assert res.stderr.splitlines() == [
        f"cleaner: {path}: input is a CSS style sheet, not a web page"
    ]


def test_markup_left_in_a_text_article_is_never_printed_as_the_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the sniffing misses, an article read as text that is still mostly tags is an
    error (exit 1), not output with exit 0. (The sniffing is made to miss here.)"""
    import cleaner.inputs

    monkeypatch.setattr(cleaner.inputs, "is_html", lambda text: False)
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    res = runner.invoke(app, ["clean", str(path)])
    assert res.exit_code == 1 and res.stdout == ""
    assert res.stderr.splitlines() == [
        f"cleaner: {path}: read as text, but its article is still mostly HTML tags; not cleaned"
    ]


# -- stdout that fails, usage errors: one line each ------------------------------------------

_STDOUT_COMMANDS = {
    "clean": ["clean", "{page}"],
    "rules list": ["rules", "list"],
    "rules test": ["rules", "test", "{page}"],
    "bulk --dry-run": ["bulk", "{src}", "-o", "{out}", "--dry-run"],
    "--version": ["--version"],
    "--help": ["--help"],
}


def _with_stdout(tmp_path: Path, command: str, stdout: str) -> subprocess.CompletedProcess[str]:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "p.html").write_text(PAGE, encoding="utf-8")
    args = [
        a.format(page=src / "p.html", src=src, out=tmp_path / "out")
        for a in _STDOUT_COMMANDS[command]
    ]
    argv = [sys.executable, "-m", "cleaner", *args]
    if stdout == "closed":  # `>&-`: the command starts without a stdout
        return subprocess.run(
            ["sh", "-c", 'exec "$@" >&-', "sh", *argv], capture_output=False, text=True,
            stderr=subprocess.PIPE,
        )  # fmt: skip
    with open("/dev/full", "w") as full:  # every write fails: ENOSPC
        return subprocess.run(argv, stdout=full, stderr=subprocess.PIPE, text=True)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    ("command", "stdout"),
    [(c, "full") for c in _STDOUT_COMMANDS]
    + [(c, "closed") for c in ("clean", "rules list", "bulk --dry-run")],
)
def test_a_stdout_that_fails_is_one_line_naming_it(
    tmp_path: Path, command: str, stdout: str
) -> None:
    """`> /dev/full` gave tracebacks (OSError), `>&-` an AttributeError in `clean` and
    nothing at all, exit 0, in `rules list`; `bulk --dry-run > /dev/full` blamed OUT."""
    res = _with_stdout(tmp_path, command, stdout)
    why = "No space left on device" if stdout == "full" else "it is closed"
    assert res.returncode == 1, res.stderr
    assert res.stderr.splitlines() == [
        f"cleaner: stdout: cannot write ({why})"
        if stdout == "full"
        else "cleaner: stdout: it is closed; nothing written (give -o FILE, or redirect it)"
    ]
    assert not (tmp_path / "out").exists()  # the dry run wrote nothing


@pytest.mark.parametrize(
    ("args", "says", "command"),
    [
        (["clean"], "Missing argument 'PATH|URL|-'", "clean"),
        (["clean", "p.html", "--bogus"], "No such option: --bogus", "clean"),
        (["bulk", "src"], "Missing option '-o' / '--output'", "bulk"),
        (["clean", "p.html", "--max-bytes", "lots"], "Invalid value for '--max-bytes'", "clean"),
        (["rules", "tset"], "No such command 'tset'", "rules"),
    ],
)
def test_usage_errors_are_one_line(args: list[str], says: str, command: str) -> None:
    """click wrote a usage error as the usage line, a hint, a blank line and the error."""
    res = runner.invoke(app, args)
    assert res.exit_code == 2 and res.stdout == ""
    (line,) = res.stderr.splitlines()
    assert line.startswith("cleaner: ") and says in line, line
    assert line.endswith(f" (see 'cleaner {command} --help')"), line


def test_no_arguments_still_show_the_help() -> None:
    for args in ([], ["rules"]):
        res = runner.invoke(app, args)
        assert res.exit_code == 2 and "Usage: cleaner" in res.output and "Commands:" in res.output


WARC = (
    b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://a.example/p\r\n"
    b"Content-Type: application/http; msgtype=response\r\nContent-Length: 60\r\n\r\n"
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<title>A</title><p>x</p>\r\n\r\n"
)


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("crawl.warc", WARC, "a WARC file"),
        ("crawl.warc.gz", gzip.compress(WARC), "a WARC file"),
        ("page.html", WARC, "a WARC file"),  # the content says what it is, not the name
        (
            "one.jsonl",
            b'{"url": "https://a.example/p", "html": "<title>A</title><p>x</p>"}\n',
            "a JSONL file",
        ),
        (
            "pages.jsonl.gz",
            gzip.compress(b'{"html": "<p>a</p>"}\n{"html": "<p>b</p>"}\n'),
            "a JSONL file",
        ),
        ("long.jsonl", b'{"html": "' + b"<p>long line</p>" * 400_000 + b'"}\n', "a JSONL file"),
    ],
)
def test_a_crawl_file_names_cleaner_bulk(tmp_path: Path, name: str, data: bytes, kind: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    res = runner.invoke(app, ["clean", str(path), "--max-bytes", "0"])
    assert res.exit_code == 2 and res.stdout == ""
    assert res.stderr.splitlines() == [
        f"cleaner: {path}: {kind} holds many pages, not one; clean it with "
        f"`cleaner bulk {path} -o OUTDIR`"
    ]
    # the crawl file is named before any size limit: its first bytes say what it is
    res = runner.invoke(app, ["clean", str(path), "--max-bytes", "10"])
    assert res.exit_code == 2 and "`cleaner bulk" in res.stderr
    res = runner.invoke(app, ["clean", "-", "--max-bytes", "0"], input=data)
    assert res.exit_code == 2 and "`cleaner bulk FILE -o OUTDIR`" in res.stderr
    res = runner.invoke(app, ["rules", "test", str(path)])
    assert res.exit_code == 2 and "cleaner bulk" in res.stderr


@pytest.mark.parametrize(
    "text",
    [
        '{"not": "closed"\n<p>then a page</p>',  # a page that starts with a brace is a page
        "{{ template }}\n<p>text</p>",
        '["a", "list"]\n',
        "WARC is a file format; this page is about it.\n",
    ],
)
def test_pages_that_only_look_a_little_like_crawl_files_are_cleaned(
    tmp_path: Path, text: str
) -> None:
    path = tmp_path / "p.txt"
    path.write_text(text, encoding="utf-8")
    res = runner.invoke(app, ["clean", str(path)])
    assert res.exit_code == 0, res.stderr


def test_bulk_output_dash_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "p.html").write_text(PAGE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["bulk", "src", "-o", "-"])
    assert res.exit_code == 2
    assert res.stderr.splitlines() == [
        "cleaner: -o -: cleaner bulk writes a directory of outputs (or JSONL parts), not "
        "stdout; give a directory"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]  # no directory named -


def test_missing_rule_file_message(tmp_path: Path, seed_path: Path) -> None:
    missing = tmp_path / "nofile.txt"
    res = runner.invoke(app, ["clean", str(seed_path), "--rules", str(missing)])
    assert res.exit_code == 2
    assert res.stderr.splitlines() == [
        f"cleaner: rule error: {missing}: cannot read rule file (No such file or directory)"
    ]


def test_prose_given_as_rules_says_it_is_not_a_rule(tmp_path: Path, seed_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("My notes on the garden.\nWater the tomatoes in July.\n", encoding="utf-8")
    res = runner.invoke(app, ["clean", str(seed_path), "--rules", str(notes)])
    assert res.exit_code == 2
    assert "network rules" not in res.stderr
    assert res.stderr.startswith(f"cleaner: rule error: {notes}:1: not a rule (")
    assert res.stderr.rstrip().endswith("): My notes on the garden.")
    # a long document (here the README) is not taken for a third-party list and skipped
    readme = Path(__file__).resolve().parent.parent / "README.md"
    res = runner.invoke(app, ["clean", str(seed_path), "--rules", str(readme)])
    assert res.exit_code == 2 and f"{readme}:1: not a rule" in res.stderr


@pytest.mark.parametrize(
    "command",
    [[], ["clean"], ["bulk"], ["rules"], ["rules", "list"], ["rules", "test"]],
)
def test_help_shows_placeholders_not_python_types(command: list[str]) -> None:
    res = runner.invoke(app, [*command, "--help"], terminal_width=200)
    assert res.exit_code == 0
    assert not re.search(r"<(?:str|int|float|bool|list|path)\b[^>]*>", res.stdout), res.stdout
    if command == ["clean"]:
        assert re.search(r"^\s+PATH\|URL\|-\s+HTML or text file", res.stdout, re.M)
        assert "--format txt|md|json" in res.stdout and "--url URL" in res.stdout
    if command == ["bulk"]:
        assert re.search(r"^\s+SRC\.\.\.\s+Crawl directories", res.stdout, re.M)
        assert "SRC...}" not in res.stdout and "SRC......" not in res.stdout  # usage line
        assert "--jobs N" in res.stdout and "--timeout SECONDS" in res.stdout
