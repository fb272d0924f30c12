"""Bulk pieces that need no worker process: discovery, WARC, names, shards, manifest."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from _crawl import PAGES, make_crawl, warc_record

from cleaner import CleanerError
from cleaner.bulk.discovery import UsageError, discover, plan_sources, sniff
from cleaner.bulk.manifest import Manifest
from cleaner.bulk.tasks import Finding, Task, in_shard, output_name
from cleaner.bulk.warc import WarcError, iter_records


def _discover(src: Path, out: Path, **kw: str) -> tuple[dict[str, Task], dict[str, str]]:
    tasks, findings = {}, {}
    for item in discover(plan_sources([str(src)], str(out)), str(out), **kw):
        if isinstance(item, Task):
            tasks[item.key] = item
        else:
            assert isinstance(item, Finding)
            findings[Path(item.input).name] = f"{item.status}: {item.error}"
    return tasks, findings


def test_discovery_finds_every_kind_of_input(tmp_path: Path, seed_path: Path) -> None:
    src = make_crawl(tmp_path, seed_path)
    tasks, findings = _discover(src, tmp_path / "out")
    for rel in PAGES:
        assert rel in tasks, rel
    warc = [t for t in tasks.values() if t.key.startswith("crawl.warc#")]
    assert sorted(t.url for t in warc) == [
        "https://warc.example/2024/01/first-post/",
        "https://warc.example/2024/02/second-post/",
    ]
    assert {dict(t.meta)["warc_record_id"] for t in warc} == {
        "<urn:uuid:warc.example-2>", "<urn:uuid:warc.example-3>"
    }  # fmt: skip
    assert {t.created for t in warc} == {"2024-01-01T00:00:00Z"}  # WARC-Date
    assert {t.source for t in tasks.values()} == {"crawl"}  # the dataset: SRC's name
    assert len([t for t in tasks.values() if t.key.startswith("crawl.warc.gz#")]) == 2
    assert tasks["pages.jsonl:1"].url == "https://jsonl.example/a"
    assert "pages.jsonl.gz:1" in tasks
    assert (
        tasks["scrapy/httpcache/blog/ab/ab12cd/response_body"].url == "https://scrapy.example/p/1"
    )
    assert findings["broken-link"] == "ignored: broken symlink"
    assert findings["loop"] == "ignored: symlink loop, not followed"
    assert findings["empty.html"] == "ignored: empty file"
    assert findings["logo"].startswith("ignored: file is a PNG image")
    assert findings["hts-cache"] == "ignored: crawler cache (HTTrack)"
    assert findings["hts-log.txt"] == "ignored: crawler log (HTTrack)"
    assert findings["style.css"] == "ignored: a CSS style sheet, not a page"
    assert findings["robots.txt"].startswith("ignored: robots.txt")
    assert findings["sitemap.xml"].startswith("ignored: XML document <urlset>")
    assert findings["pickled_meta"] == "ignored: crawler cache metadata (Scrapy)"
    assert findings["crawl.warc#<urn:uuid:warc.example-4>"].startswith(
        "ignored: content type image/png"
    )
    assert findings["crawl.warc#<urn:uuid:warc.example-5>"] == "ignored: HTTP status 404"
    # every record has a status: the crawler's own records are ignored, with the reason
    assert findings["crawl.warc#<urn:uuid:warc.example-0>"].startswith("ignored: warcinfo record")
    assert findings["crawl.warc#<urn:uuid:warc.example-1>"].startswith("ignored: request record")
    assert findings["pages.jsonl:3"] == "ignored: no 'html' text in the record"
    assert findings["pages.jsonl:4"].startswith("failed: not a JSON object")
    # nothing inside hts-cache became a task, and the loop was not walked twice
    assert not any("hts-cache" in k for k in tasks)
    assert not any("/loop/" in k for k in tasks)
    # two inputs never share an output
    names = [output_name(t.rel, "txt") for t in tasks.values()]
    assert len(names) == len(set(names))


def test_discovery_excludes_out_inside_src(tmp_path: Path, seed_path: Path) -> None:
    src = make_crawl(tmp_path, seed_path)
    out = src / "cleaned"
    (out / "site").mkdir(parents=True)
    (out / "site" / "post.txt").write_text("An output of an earlier run.\n")
    tasks, findings = _discover(src, out)
    assert not any(k.startswith("cleaned") for k in tasks)
    assert "cleaned" not in findings


def test_html_field_names_the_jsonl_field(tmp_path: Path) -> None:
    path = tmp_path / "crawl.jsonl"
    path.write_text(json.dumps({"link": "https://a.example/x", "rawHtml": "<p>Hello</p>"}) + "\n")
    tasks, findings = _discover(path, tmp_path / "out")
    assert not tasks and "--html-field" in findings["crawl.jsonl"]
    tasks, _ = _discover(path, tmp_path / "out", html_field="rawHtml", url_field="link")
    (task,) = tasks.values()
    assert task.key == "crawl.jsonl:1" and task.rel.startswith("crawl.jsonl/00000001-")
    assert task.url == "https://a.example/x" and task.data == "<p>Hello</p>"


def test_sources_are_checked_against_out(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    with pytest.raises(UsageError, match="same directory"):
        plan_sources([str(src)], str(src))
    with pytest.raises(UsageError, match="inside OUT"):
        plan_sources([str(src)], str(tmp_path))
    with pytest.raises(UsageError, match="no such file"):
        plan_sources([str(tmp_path / "nope")], str(tmp_path / "out"))
    other = tmp_path / "b" / "src"
    other.mkdir(parents=True)
    labels = [s.label for s in plan_sources([str(src), str(other)], str(tmp_path / "out"))]
    assert len(set(labels)) == 2 and all(label.startswith("src-") for label in labels)


def test_a_warc_and_its_wet_are_two_datasets(tmp_path: Path) -> None:
    """`crawl.warc.gz` and `crawl.warc.wet.gz` (HTML and Common Crawl's text of one crawl)
    both gave `source: "crawl"`; the WET keeps `.wet` in its name."""
    for name in ("crawl.warc.gz", "crawl.warc.wet.gz", "crawl.wet"):
        (tmp_path / name).write_bytes(b"")
    sources = plan_sources(
        [str(tmp_path / n) for n in ("crawl.warc.gz", "crawl.warc.wet.gz", "crawl.wet")],
        str(tmp_path / "out"),
    )
    assert [s.dataset for s in sources] == ["crawl", "crawl.wet", "crawl.wet"]


def test_sniff_by_content_not_name() -> None:
    assert sniff(b"Just a title\n\nA paragraph of flattened text.") == ("page", "text")
    assert (
        sniff(b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><p>x</p>')[0]
        == "page"
    )
    assert (
        sniff(b'<?xml version="1.0"?><rss><channel><title>t</title></channel></rss>')[0]
        == "ignored"
    )
    assert sniff(b"%PDF-1.4 ...")[1] == "file is a PDF document, not HTML or text"
    assert sniff(b"\xff\xfe<\x00p\x00>\x00")[0] != "ignored"  # UTF-16 with a BOM is text
    js = b"!function(){var a=1;var b=2;if(a){b=a;}}();var c={d:1};var e={f:2};var g={h:3};"
    assert sniff(js)[0] == "ignored"


# What a crawl of a blog leaves beside its pages: style sheets and scripts of every size, by
# their syntax; and texts and pages that must stay pages.
STYLE_AND_SCRIPT = {
    "tiny.css": b"body{color:red}",
    "theme.css": b"/* Theme Name: Twenty */\n@import url(fonts.css);\n:root{--gap:1rem}\n"
    b"h1, h2 > a:hover, .entry-content p:nth-child(2n+1) { margin: 0 0 var(--gap); }\n"
    b"@media (max-width: 600px) { .site-header { display: none } }\n",
    "tiny.js": b'console.log("hi");',
    "jquery.min.js": b"/*! jQuery v3.7.1 | (c) OpenJS Foundation */\n!function(e,t){\"use strict\";"
    b"\"object\"==typeof module?module.exports=t(e):t(e)}(this,function(e){var n=[];return n});",
    "app.js": b"import { render } from './render.js';\n\nexport default function start(el) {\n"
    b"  const items = el.querySelectorAll('li');\n  if (items.length > 3) {\n"
    b"    el.innerHTML = '<div class=\"more\">Show more</div>';\n  }\n  return items;\n}\n",
    "menu.js": b"(function () {\n  var nav = document.getElementById('site-navigation');\n"
    b"  nav.addEventListener('click', function (e) {\n    e.preventDefault();\n  });\n})();\n",
}
STILL_PAGES = {
    "notes.txt": b"Styling links\n\nI finally fixed the colour of my links. The rule is short:\n"
    b"a { color: red; }\nThat is all it took, after an evening of reading.\n",
    "howto.txt": b"How to count in JavaScript\n\nA loop is the first thing people learn. You "
    b"write for (let i = 0; i < 3; i++) { console.log(i); } and it prints three lines.\n"
    b"Then you learn that arrays have forEach, which reads better in most code.\n",
    "short.txt": b"Hello world; this is a page.",
}


@pytest.mark.parametrize("name", sorted(STYLE_AND_SCRIPT))
def test_style_sheets_and_scripts_of_any_size_are_not_pages(name: str) -> None:
    """`body{color:red}` was cleaned as a page (a JSONL record titled with it): CSS and
    JavaScript were told by a density that small files never reach."""
    kind, reason = sniff(STYLE_AND_SCRIPT[name])
    assert kind == "ignored", (name, reason)
    what = "a CSS style sheet" if name.endswith(".css") else "a script (JavaScript or other code)"
    assert reason == f"{what}, not a page"


@pytest.mark.parametrize("name", sorted(STILL_PAGES))
def test_texts_that_quote_code_are_still_pages(name: str) -> None:
    assert sniff(STILL_PAGES[name]) == ("page", "text")


def test_warc_reader_handles_chunked_gzip_and_truncation() -> None:
    body = gzip.compress(b"<p>Hello from a chunked, gzipped response.</p>")
    chunked = b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n"
    block = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n"
        b"Content-Encoding: gzip\r\n\r\n" + chunked
    )
    good = warc_record("response", "https://a.example/", block, "1")
    bad = warc_record("response", "https://a.example/2", block, "2")[:-40]
    records = iter_records(io.BytesIO(good + bad))
    rec = next(records)
    assert rec.http()[0] == 200
    assert rec.body() == b"<p>Hello from a chunked, gzipped response.</p>"
    with pytest.raises(WarcError, match="truncated WARC record at byte") as err:
        next(records)
    assert isinstance(err.value, CleanerError)


def test_output_names_are_injective_and_short() -> None:
    assert output_name("a/index.html", "txt") != output_name("a/index.htm", "txt")
    long_a, long_b = "d/" + "x" * 300 + "a", "d/" + "x" * 300 + "b"
    assert output_name(long_a, "txt") != output_name(long_b, "txt")
    assert all(len(p.encode()) <= 255 for p in output_name(long_a, "json").split("/"))


def test_shards_partition_the_tasks(tmp_path: Path, seed_path: Path) -> None:
    src = make_crawl(tmp_path, seed_path)
    tasks, _ = _discover(src, tmp_path / "out")
    shares = [{k for k in tasks if in_shard(k, i, 3)} for i in (1, 2, 3)]
    assert set().union(*shares) == set(tasks)
    assert sum(len(s) for s in shares) == len(tasks)
    assert all(shares)  # 14 tasks over 3 shards: each gets some (stable hash, fixed keys)


def test_manifest_survives_a_torn_line(tmp_path: Path) -> None:
    path = tmp_path / "m.jsonl"
    m = Manifest(path, cfg="c", out_dir=tmp_path)
    m.add([{"key": "a", "fp": "1", "status": "empty", "output": None}])
    m.close()
    with open(path, "ab") as fh:
        fh.write(b'{"key": "b", "fp": "2", "sta')  # a kill -9 in the middle of a write
    m = Manifest(path, cfg="c", out_dir=tmp_path)
    assert m.done("a", "1") and m.done("b", "2") is None
    m.add([{"key": "c", "fp": "3", "status": "empty", "output": None}])
    m.close()
    m = Manifest(path, cfg="c", out_dir=tmp_path)
    assert m.done("c", "3") is not None
    # other settings, or a missing output, mean redo
    assert Manifest(path, cfg="other", out_dir=tmp_path).done("a", "1") is None
    m.add([{"key": "d", "fp": "4", "status": "ok", "output": "site/d.txt"}])
    assert m.done("d", "4") is None
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "d.txt").write_text("x")
    assert m.done("d", "4") is not None


def test_url_base_gives_mirrored_pages_their_address(tmp_path: Path) -> None:
    src = tmp_path / "blog.example.com"
    (src / "2024").mkdir(parents=True)
    (src / "2024" / "post").write_text("<p>x</p>")
    tasks, _ = _discover(src, tmp_path / "out", url_base="https://blog.example.com/")
    assert tasks["2024/post"].url == "https://blog.example.com/2024/post"


def test_bulk_help_and_import_load_neither_trafilatura_nor_lxml() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import cleaner.bulk\n"
        "from cleaner.cli import app\n"
        "try:\n    app(['bulk', '--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('trafilatura', 'lxml'))\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout and "--html-field" in out.stdout


def test_json_documents_are_not_pages(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "package").write_text('{\n  "name": "x",\n  "version": "1.0"\n}\n')
    (src / "notes").write_text("{Draft} A title in braces\n\nThe body of a plain-text page.\n")
    tasks, findings = _discover(src, tmp_path / "out")
    assert findings == {"package": "ignored: JSON data, not a page"}
    assert list(tasks) == ["notes"]
