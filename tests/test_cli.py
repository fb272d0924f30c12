from __future__ import annotations

import json
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
