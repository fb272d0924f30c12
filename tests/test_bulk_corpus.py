"""`cleaner bulk` for corpora: --lang (pages in other languages filtered, with their language,
and cleaned by a later run that takes them), --comments in JSONL metadata, --with-metadata."""

from __future__ import annotations

import json
from pathlib import Path

from _crawl import by_input, part_records, read_report
from typer.testing import CliRunner

from cleaner.cli import app

runner = CliRunner()

TEXTS = {
    "en": (
        "Peas", "Sow peas early in spring, as soon as the soil can be worked, and give them a "
        "net to climb. Keep the birds off with a fleece until they flower, then pick the pods "
        "young and often so that the plants keep flowering.",
    ),
    "de": (
        "Erbsen", "Erbsen sät man im Frühjahr, sobald der Boden offen ist. Ein Netz hilft "
        "ihnen beim Klettern, und ein Vlies hält die Vögel fern, bis sie blühen. Die Schoten "
        "erntet man jung und oft, dann blühen die Pflanzen lange weiter.",
    ),
    "ja": (
        "エンドウ", "エンドウは春先、土が耕せるようになったらすぐに種をまきます。つるが絡むよう"
        "にネットを張り、花が咲くまでは不織布で鳥から守ります。さやは若いうちにこまめに"
        "収穫すると、長く花を咲かせ続けます。",
    ),
}
COMMENTS = (
    "<div id='comments' class='comments-area'><ol class='comment-list'>"
    "<li id='comment-4' class='comment even depth-1'><article class='comment-body'>"
    "<footer class='comment-meta'><div class='comment-author vcard'><b class='fn'>Ann</b> "
    "<span class='says'>says:</span></div><div class='comment-metadata'><a href='#comment-4'>"
    "<time datetime='2024-03-02T09:14:22+00:00'>March 2, 2024</time></a></div></footer>"
    "<div class='comment-content'><p>Ours came up in a week.</p></div></article></li></ol>"
    "<div id='respond' class='comment-respond'><h3>Leave a Reply</h3><form><textarea></textarea>"
    "</form></div></div>"
)


def _crawl(root: Path) -> Path:
    src = root / "src"
    src.mkdir()
    for lang, (title, body) in TEXTS.items():
        (src / f"{lang}.html").write_text(
            f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<div class='entry-content'><p>{body}</p><p>{body}</p></div></article>{COMMENTS}"
            "</body></html>",
            encoding="utf-8",
        )
    return src


def _run(*args: str) -> dict[str, dict[str, str]]:
    res = runner.invoke(app, ["bulk", *args, "-q"])
    assert res.exit_code == 0, res.output
    report = Path(args[args.index("--report") + 1])
    return read_report(report)  # type: ignore[no-any-return]


def test_lang_filters_and_a_later_run_cleans_what_it_takes(tmp_path: Path) -> None:
    src, out, rep = _crawl(tmp_path), tmp_path / "out", tmp_path / "r.json"
    report = _run(str(src), "-o", str(out), "--lang", "en,de", "--report", str(rep))
    files = by_input(report, src)
    assert report["counts"]["ok"] == 2 and report["counts"]["filtered"] == 1
    assert files["ja.html"]["status"] == "filtered" and files["ja.html"]["output"] is None
    assert files["ja.html"]["error"].startswith("language ja (")
    assert files["ja.html"]["error"].endswith("not in --lang en,de")
    assert sorted(p.name for p in out.glob("*.txt")) == ["de.html.txt", "en.html.txt"]
    # the same --lang again: nothing cleaned again, the Japanese page still filtered
    report = _run(str(src), "-o", str(out), "--lang", "en,de", "--report", str(rep))
    assert report["counts"]["skipped"] == 2 and report["counts"]["filtered"] == 1
    # another --lang cleans the page the first run filtered, and keeps what it wrote
    report = _run(str(src), "-o", str(out), "--lang", "ja", "--report", str(rep))
    files = by_input(report, src)
    assert files["ja.html"]["status"] == "ok" and report["counts"]["skipped"] == 2
    assert (out / "ja.html.txt").read_text(encoding="utf-8").startswith("エンドウ\n")
    # without --lang every page is taken: all finished
    report = _run(str(src), "-o", str(out), "--report", str(rep))
    assert report["counts"]["skipped"] == 3


def test_lang_und_takes_pages_without_a_language(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "short.html").write_text(
        "<html><body><article><h1>Hi</h1><p>Ok.</p></article></body></html>"
    )
    out, rep = tmp_path / "out", tmp_path / "r.json"
    report = _run(str(src), "-o", str(out), "--lang", "en", "--report", str(rep))
    assert by_input(report, src)["short.html"]["error"] == "language und, not in --lang en"
    report = _run(str(src), "-o", str(out), "--lang", "en,und", "--report", str(rep))
    assert report["counts"]["ok"] == 1


def test_bad_lang_is_a_usage_error(tmp_path: Path) -> None:
    src = _crawl(tmp_path)
    res = runner.invoke(app, ["bulk", str(src), "-o", str(tmp_path / "o"), "--lang", "en_US"])
    assert res.exit_code == 2 and "--lang 'en_us'" in res.stderr


def test_jsonl_metadata_has_languages_and_comments(tmp_path: Path) -> None:
    src, out, rep = _crawl(tmp_path), tmp_path / "out", tmp_path / "r.json"
    args = [str(src), "-o", str(out), "--format", "jsonl", "--report", str(rep)]
    _run(*args, "--comments")
    recs = {r["metadata"]["title"]: r for r in part_records(out)}
    de = recs["Erbsen"]["metadata"]
    assert de["language"] == "de" and de["declared_language"] is None
    assert 0.5 <= de["language_confidence"] <= 1
    assert de["comments"] == [
        {"text": "Ours came up in a week.", "author": "Ann", "date": "2024-03-02T09:14:22+00:00",
         "depth": 0}
    ]  # fmt: skip
    assert all("Ours came up" not in r["text"] for r in recs.values())
    # without --comments the records have none (a changed setting: every page redone)
    _run(*args)
    assert all("comments" not in r["metadata"] for r in part_records(out))


def test_per_file_outputs_with_comments_and_front_matter(tmp_path: Path) -> None:
    src, out, rep = _crawl(tmp_path), tmp_path / "out", tmp_path / "r.json"
    _run(str(src), "-o", str(out), "-f", "md", "--comments", "--with-metadata", "--report", str(rep))
    md = (out / "en.html.md").read_text(encoding="utf-8")
    assert md.startswith('---\ntitle: "Peas"\n') and 'language: "en"' in md
    assert md.endswith("## Comments\n\n### Ann · 2024-03-02T09:14:22+00:00\n\nOurs came up in a week.\n")
    _run(str(src), "-o", str(out), "-f", "json", "--comments", "--report", str(rep))
    data = json.loads((out / "de.html.json").read_text(encoding="utf-8"))
    assert data["language"] == "de" and data["comments"][0]["author"] == "Ann"
