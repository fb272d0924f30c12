"""`cleaner bulk` on crawl formats as crawlers write them: Common Crawl's WET, wget's
``--warc-file``, Heritrix; the JSONL records they give (ids, URLs, dates, the shape Dolma and
datatrove read); and the WARC layer over FastWARC (framing, decoding, faults).

Every WARC here is written by the test itself, record by record, the way each crawler lays
its records out (record types, Target-URIs, content types).
"""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

import brotli
import pytest
from _crawl import by_input, http, page, part_records, read_report, warc_record
from typer.testing import CliRunner

from cleaner.bulk import BulkOptions, run
from cleaner.bulk.discovery import Finding, Task, discover, plan_sources
from cleaner.bulk.manifest import Manifest
from cleaner.bulk.outputs import prune_parts
from cleaner.bulk.tasks import stable_id
from cleaner.bulk.warc import WarcError, iter_records
from cleaner.cli import app

runner = CliRunner()


def _bulk(*args: str) -> int:
    res = runner.invoke(app, ["bulk", *args, "-q"])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.output
    return res.exit_code


def _statuses(report: Path, root: Path) -> dict[str, str]:
    """``input -> "status: error"`` of a report, inputs relative to ``root``."""
    return {
        k: f"{v['status']}: {v['error']}" for k, v in by_input(read_report(report), root).items()
    }


def _gz(*records: bytes) -> bytes:
    return b"".join(gzip.compress(r) for r in records)  # one gzip member per record


# -- Common Crawl WET --------------------------------------------------------------------------

PEAS = (
    "Growing Peas | Plot Notes\nHome\nAbout\nGrowing Peas\n"
    "Peas like cool weather, so the first sowing goes in as soon as the soil can be worked in "
    "spring, about two weeks before the last frost.\n"
    "A second sowing a month later keeps the harvest going into early summer, when the heat "
    "makes the vines give up.\n"
    "Share this:\nTwitter\nFacebook\nLike this:\nLike Loading...\n"
)
TAGS = (
    "Using the <p> and <div> tags | Web Notes\n"
    "The <p> element holds one paragraph of text, and browsers put space before and after it.\n"
    "The <div> element groups other elements and has no meaning of its own.\n"
)


def _conversion(uri: str, text: str, rid: str, refers: str) -> bytes:
    return warc_record(
        "conversion",
        uri,
        text.encode(),
        rid,
        "text/plain",
        date="2024-02-21T08:49:50Z",
        extra={
            "WARC-Refers-To": f"<urn:uuid:{refers}>",
            "WARC-Block-Digest": "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ",
            "WARC-Identified-Content-Language": "eng",
        },
    )


def _write_wet(path: Path) -> None:
    info = b"Software-Info: ia-web-commons.1.1.10-SNAPSHOT\r\nExtracted-Date: Wed, 21 Feb 2024\r\n"
    path.write_bytes(
        _gz(
            warc_record("warcinfo", "", info, "wet-0", "application/warc-fields"),
            _conversion("https://blog.example.com/2024/01/peas/", PEAS, "wet-1", "resp-1"),
            _conversion("https://web.example.org/html-tags", TAGS, "wet-2", "resp-2"),
            _conversion("https://blog.example.com/an-image-page/", "", "wet-3", "resp-3"),
        )
    )


def test_wet_records_are_text_pages(tmp_path: Path) -> None:
    wet = tmp_path / "CC-MAIN-20240220-00000.warc.wet.gz"
    _write_wet(wet)
    out, rep = tmp_path / "out", tmp_path / "r.json"
    res = runner.invoke(app, ["bulk", str(wet), "-o", str(out), "--dry-run"])
    assert res.exit_code == 0 and "would clean 3" in res.stderr  # it said 0 before
    assert _bulk(str(wet), "-o", str(out), "--format", "jsonl", "--report", str(rep)) == 0
    files = _statuses(rep, tmp_path)
    name = wet.name
    assert files[f"{name}#<urn:uuid:wet-0>"].startswith("ignored: warcinfo record")
    assert files[f"{name}#<urn:uuid:wet-1>"] == "ok: None"
    assert files[f"{name}#<urn:uuid:wet-2>"] == "ok: None"
    assert files[f"{name}#<urn:uuid:wet-3>"] == "empty: no article text found"
    recs = {r["metadata"]["warc_record_id"]: r for r in part_records(out)}
    peas = recs["<urn:uuid:wet-1>"]
    # the file's name without .warc and .gz; .wet kept, so the WARC's records are another source
    assert peas["source"] == "CC-MAIN-20240220-00000.wet"
    assert peas["created"] == "2024-02-21T08:49:50Z"  # WARC-Date
    assert peas["metadata"]["url"] == "https://blog.example.com/2024/01/peas/"
    assert peas["metadata"]["warc_refers_to"] == "<urn:uuid:resp-1>"  # the response record
    assert peas["metadata"]["title"] == "Growing Peas | Plot Notes"  # WET's first line
    # Common Crawl's language header is kept apart from the language cleaner identifies
    assert peas["metadata"]["warc_identified_content_language"] == "eng"
    assert peas["metadata"]["language"] == "en" and peas["metadata"]["declared_language"] is None
    assert "Peas like cool weather" in peas["text"] and "Share this" not in peas["text"]
    # flattened text, even when it quotes markup: sniffed as HTML, this page would be mangled
    tags = recs["<urn:uuid:wet-2>"]
    assert tags["text"].splitlines() == TAGS.splitlines()[1:]


# -- wget --warc-file --------------------------------------------------------------------------

WGET = "metadata://gnu.org/software/wget/warc/"


def _wget_warc(path: Path) -> None:
    """What ``wget --warc-file=crawl --recursive https://blog.example.com/`` leaves."""
    host = "https://blog.example.com"
    http_type = {"Content-Type": "application/http;msgtype=response"}

    def capture(n: int, uri: str, response: bytes) -> list[bytes]:
        request = f"GET {uri[len(host) :] or '/'} HTTP/1.1\r\nUser-Agent: Wget/1.21\r\n\r\n"
        return [
            warc_record("request", uri, request.encode(), f"wq{n}", "application/http;msgtype=request"),
            warc_record("response", uri, response, f"wr{n}", extra={"WARC-IP-Address": "127.0.0.1"} | http_type),
        ]  # fmt: skip

    info = b"software: Wget/1.21.3 (linux-gnu)\r\nformat: WARC File Format 1.0\r\n"
    records = [warc_record("warcinfo", "", info, "w0", "application/warc-fields")]
    robots = http(b"User-agent: *\nDisallow: /wp-admin/\n", ctype="text/plain")
    records += capture(1, f"{host}/robots.txt", robots)
    records += capture(2, f"{host}/", http(page("Front Page").encode()))
    records += capture(3, f"{host}/old", http(b"", "301 Moved Permanently"))
    records += capture(4, f"{host}/2024/01/post/", http(page("Wget Post").encode()))
    manifest = b"00000001 crawl.warc.gz\n"
    records.append(warc_record("metadata", WGET + "MANIFEST.txt", manifest, "wm", "text/plain"))
    args = b'"wget" "--warc-file=crawl" "--recursive" "https://blog.example.com/"\n'
    records.append(warc_record("resource", WGET + "wget_arguments.txt", args, "wa", "text/plain"))
    log = (
        "--2024-01-01 00:00:00--  https://blog.example.com/\n"
        "Resolving blog.example.com (blog.example.com)... 127.0.0.1\n"
        "Connecting to blog.example.com (blog.example.com)|127.0.0.1|:443... connected.\n"
        "HTTP request sent, awaiting response... 200 OK\n"
        "Length: unspecified [text/html]\nSaving to: 'blog.example.com/index.html'\n"
        "FINISHED --2024-01-01 00:00:01--\nTotal wall clock time: 1.0s\n"
    ) * 3
    records.append(warc_record("resource", WGET + "wget.log", log.encode(), "wl", "text/plain"))
    path.write_bytes(_gz(*records))


def test_wget_warc_bookkeeping_is_ignored(tmp_path: Path) -> None:
    warc = tmp_path / "crawl.warc.gz"
    _wget_warc(warc)
    out, rep = tmp_path / "out", tmp_path / "r.json"
    assert _bulk(str(warc), "-o", str(out), "--report", str(rep)) == 0
    files = {k.split("#")[1]: v for k, v in _statuses(rep, tmp_path).items()}
    assert files.pop("<urn:uuid:wr2>") == files.pop("<urn:uuid:wr4>") == "ok: None"
    assert files == {
        "<urn:uuid:w0>": "ignored: warcinfo record: about the WARC file itself, not a page",
        **{
            f"<urn:uuid:wq{n}>": "ignored: request record: what the crawler sent, not a page"
            for n in (1, 2, 3, 4)
        },
        "<urn:uuid:wr1>": "ignored: robots.txt rules, not a page",
        "<urn:uuid:wr3>": "ignored: HTTP status 301",
        "<urn:uuid:wm>": "ignored: metadata record: crawler bookkeeping, not a page",
        "<urn:uuid:wa>": f"ignored: the crawler's own file ({WGET}wget_arguments.txt): "
        "crawler bookkeeping, not a page",
        "<urn:uuid:wl>": f"ignored: the crawler's own file ({WGET}wget.log): crawler "
        "bookkeeping, not a page",
    }
    written = sorted(p.read_text(encoding="utf-8") for p in (out / "crawl.warc.gz").iterdir())
    assert [text.splitlines()[0] for text in written] == ["Front Page", "Wget Post"]


# -- Heritrix ----------------------------------------------------------------------------------


def _heritrix_warc(path: Path) -> None:
    """What Heritrix 3 writes: DNS and WHOIS lookups, robots.txt first, then per capture a
    response (raw HTTP, chunked and gzipped as sent), its request and a metadata record;
    revisits of unchanged pages."""
    host = "https://blog.example.com"
    resp = {"Content-Type": "application/http; msgtype=response"}
    req = "application/http; msgtype=request"
    fields = "application/warc-fields"

    def capture(n: int, uri: str, response: bytes) -> list[bytes]:
        meta = (
            f"via: {host}/\r\nhopsFromSeed: L\r\nfetchTimeMs: 34\r\noutlink: {host}/x L a/@href\r\n"
        )
        return [
            warc_record("response", uri, response, f"hr{n}", extra=resp),
            warc_record("request", uri, b"GET / HTTP/1.0\r\n\r\n", f"hq{n}", req),
            warc_record("metadata", uri, meta.encode(), f"hm{n}", fields),
        ]

    info = b"software: Heritrix/3.4.0 http://crawler.archive.org\r\nisPartOf: blogs\r\n"
    dns = b"20240101000000\nblog.example.com.\t3600\tIN\tA\t127.0.0.1\n"
    whois = b"Domain Name: EXAMPLE.COM\r\nRegistry Domain ID: 2336799_DOMAIN_COM-VRSN\r\n"
    body = gzip.compress(page("Heritrix Post").encode())
    chunked = b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n"
    raw = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\n"
        b"Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n" + chunked
    )
    records = [
        warc_record("warcinfo", "", info, "h0", fields),
        warc_record("response", "dns:blog.example.com", dns, "hdns", "text/dns"),
        warc_record("response", "whois://whois.example.net/example.com", whois, "hwho", "text/plain"),
        *capture(1, f"{host}/robots.txt", http(b"User-agent: *\nAllow: /\n", ctype="text/plain")),
        *capture(2, f"{host}/2024/05/heritrix-post/", raw),
        *capture(3, f"{host}/gone", http(b"Not here", "404 Not Found")),
        warc_record(
            "revisit", f"{host}/2024/05/heritrix-post/", b"HTTP/1.1 200 OK\r\n\r\n", "hv",
            extra={"WARC-Profile": "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest"},
        ),
    ]  # fmt: skip
    path.write_bytes(_gz(*records))


def test_heritrix_warc_ends_in_exit_0_and_resumes(tmp_path: Path) -> None:
    warc = tmp_path / "blogs-20240101.warc.gz"
    _heritrix_warc(warc)
    out, rep = tmp_path / "out", tmp_path / "r.json"
    args = [str(warc), "-o", str(out), "--report", str(rep), "--format", "jsonl"]
    assert _bulk(*args) == 0  # a dns: record made every run exit 1 (and be retried) before
    files = {k.split("#")[1]: v for k, v in _statuses(rep, tmp_path).items()}
    assert files["<urn:uuid:hr2>"] == "ok: None"
    assert files["<urn:uuid:hdns>"] == (
        "ignored: DNS lookup (dns:blog.example.com): crawler bookkeeping, not a page"
    )
    assert files["<urn:uuid:hwho>"].startswith("ignored: WHOIS lookup (whois://whois.example")
    assert files["<urn:uuid:hr1>"] == "ignored: robots.txt rules, not a page"
    assert files["<urn:uuid:hr3>"] == "ignored: HTTP status 404"
    assert files["<urn:uuid:hv>"] == "ignored: revisit record (repeats an earlier capture)"
    assert {files[f"<urn:uuid:hm{n}>"] for n in (1, 2, 3)} == {
        "ignored: metadata record: crawler bookkeeping, not a page"
    }
    assert all(v.startswith(("ok", "ignored")) for v in files.values()), files
    (rec,) = part_records(out)
    assert rec["metadata"]["title"] == "Heritrix Post" and "Share this" not in rec["text"]
    assert rec["source"] == "blogs-20240101"
    # nothing failed, so nothing is retried: the second run skips the page
    assert _bulk(*args) == 0
    assert read_report(rep)["counts"]["skipped"] == 1
    assert len(part_records(out)) == 1


# -- ids, URLs, dates, the record's shape ------------------------------------------------------


def test_style_first_pages_style_sheets_scripts_and_markup_in_a_crawl(tmp_path: Path) -> None:
    """In bulk, a page after ~900 lines of <style> was `ignored` as CSS/JavaScript; a small
    .css or .js file became a record (one titled `body{color:red}`); and a record read as
    text whose article is still markup would be `ok`. Now: the page ok, the style sheet and
    the script ignored with the reason, the markup failed (exit 1)."""
    from _crawl import style_first_page

    src, out, rep = tmp_path / "src", tmp_path / "out", tmp_path / "r.json"
    src.mkdir()
    (src / "menus.html").write_text(style_first_page("Menus and Margins"), encoding="utf-8")
    (src / "style.css").write_text("body{color:red}", encoding="utf-8")
    (src / "site.js").write_text('console.log("hi");', encoding="utf-8")
    markup = "".join(
        f'<li id="menu-item-{i}" class="menu-item"><a href="/p/{i}/">Entry {i} of the menu</a>'
        "</li>\n"
        for i in range(40)
    )
    (src / "raw.warc.wet").write_bytes(_conversion("https://m.example/", markup, "m1", "r1"))
    opts = BulkOptions([str(src)], str(out), fmt="jsonl", jobs=1, quiet=True, report=str(rep))
    assert run(opts).exit_code == 1
    files = _statuses(rep, src)
    assert files["menus.html"] == "ok: None"
    assert files["style.css"] == "ignored: a CSS style sheet, not a page"
    assert files["site.js"] == "ignored: a script (JavaScript or other code), not a page"
    assert files["raw.warc.wet#<urn:uuid:m1>"] == (
        "failed: read as text, but its article is still mostly HTML tags; not cleaned"
    )
    (record,) = part_records(out)
    assert record["metadata"]["title"] == "Menus and Margins" and "<" not in record["text"]


def _jsonl_run(src: Path, out: Path, **kw: object) -> list[dict]:
    summary = run(BulkOptions([str(src)], str(out), fmt="jsonl", jobs=1, quiet=True, **kw))  # type: ignore[arg-type]
    assert summary.exit_code == 0
    return part_records(out)


def test_ids_are_unique_across_crawls_and_stable_however_src_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for crawl, topic in (("c1", "First Crawl"), ("c2", "Second Crawl")):
        (tmp_path / crawl / "site").mkdir(parents=True)
        (tmp_path / crawl / "site" / "index.html").write_text(page(topic), encoding="utf-8")
    (one,) = _jsonl_run(tmp_path / "c1", tmp_path / "o1")
    (two,) = _jsonl_run(tmp_path / "c2", tmp_path / "o2")
    monkeypatch.chdir(tmp_path / "c1" / "site")
    (again,) = _jsonl_run(Path("..", "..", "c1"), tmp_path / "o3")  # SRC spelled otherwise
    assert one["id"] != two["id"]  # c1/index.html and c2/index.html shared one id before
    assert one["id"] == again["id"]
    assert (one["source"], two["source"], again["source"]) == ("c1", "c2", "c1")


def test_no_two_records_share_an_id(tmp_path: Path) -> None:
    """A soak of 10,040 pages wrote 701 ids shared by two records or more: the same page saved
    at two paths (same URL, same bytes) got one id. Each input now has its own: the same
    lines in two JSONL files, a WARC file and its copy, twin files."""
    src = tmp_path / "src"
    (src / "j").mkdir(parents=True)
    lines = [json.dumps({"url": f"https://j.example/{i}", "html": page(f"J{i}")}) for i in (1, 2)]
    (src / "j" / "a.jsonl").write_text("\n".join(lines) + "\n")
    (src / "j" / "b.jsonl").write_text("\n".join(lines[::-1]) + "\n")  # the same, reordered
    crawl = warc_record("response", "https://w.example/", http(page("W").encode()), "w1")
    (src / "crawl.warc").write_bytes(crawl)
    (src / "copy-of-crawl.warc").write_bytes(crawl)
    for twin in ("a", "b"):
        (src / twin).mkdir()
        (src / twin / "index.html").write_text(page("Twin"), encoding="utf-8")
    recs = _jsonl_run(src, tmp_path / "out")
    assert len(recs) == 8 and len({r["id"] for r in recs}) == 8
    # the WARC-Record-ID is still there, in the metadata
    warc_ids = [r["metadata"]["warc_record_id"] for r in recs if r["metadata"]["warc_record_id"]]
    assert warc_ids == ["<urn:uuid:w1>", "<urn:uuid:w1>"]


def test_records_keep_the_fetched_url_the_canonical_one_and_the_crawl_date(
    tmp_path: Path,
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    fetched = "https://blog.example.com/2024/01/peas/?utm_source=feed"
    canonical = "https://blog.example.com/2024/01/peas/"
    html = page("Peas", canonical=canonical).encode()
    (src / "crawl.warc").write_bytes(
        warc_record("response", fetched, http(html), "p1", date="2023-11-05T10:20:30Z")
    )
    (src / "post.html").write_bytes(html)
    os.utime(src / "post.html", (1_700_000_000, 1_700_000_000))
    recs = {r["metadata"]["input"].rsplit("/", 1)[-1]: r for r in _jsonl_run(src, tmp_path / "o")}
    warc = recs["crawl.warc#<urn:uuid:p1>"]
    assert warc["metadata"]["url"] == fetched  # the canonical URL replaced it before
    assert warc["metadata"]["canonical_url"] == canonical
    assert warc["created"] == "2023-11-05T10:20:30Z"
    assert warc["added"] >= "2024" and warc["added"].endswith("Z")
    assert warc["metadata"]["warc_record_id"] == "<urn:uuid:p1>"
    post = recs["post.html"]
    assert post["metadata"]["url"] is None and post["metadata"]["canonical_url"] == canonical
    assert post["created"] == "2023-11-14T22:13:20Z"  # the file's modification time
    assert post["metadata"]["warc_record_id"] is None
    assert "removed" not in warc  # 14% of the bytes: only with --with-removed


def test_source_and_with_removed_options(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "post").write_text(page("Options"), encoding="utf-8")
    out = tmp_path / "out"
    assert _bulk(str(src), "-o", str(out), "--format", "jsonl") == 0
    (rec,) = part_records(out)
    assert rec["source"] == "src" and "removed" not in rec
    # other settings of the records: redone, the old record replaced
    args = [str(src), "-o", str(out), "--format", "jsonl", "--source", "blogs-2024"]
    assert _bulk(*args, "--with-removed") == 0
    (rec,) = part_records(out)
    assert rec["source"] == "blogs-2024"
    assert any(r["rule"] == "##.sharedaddy" for r in rec["removed"])


def test_twin_pages_have_their_own_ids_and_a_changed_twin_leaves_no_stale_record(
    tmp_path: Path,
) -> None:
    src = tmp_path / "src"
    for d in ("a", "b"):
        (src / d).mkdir(parents=True)
        (src / d / "index.html").write_text(page("Twin"), encoding="utf-8")
    out = tmp_path / "out"
    first = _jsonl_run(src, out)
    assert len(first) == 2 and first[0]["id"] != first[1]["id"]  # one page, two paths
    (src / "b" / "index.html").write_text(page("Twin No More"), encoding="utf-8")
    after = _jsonl_run(src, out)
    assert sorted(r["metadata"]["title"] for r in after) == ["Twin", "Twin No More"]


def test_prune_knows_the_ids_of_older_records(tmp_path: Path) -> None:
    """Parts written before record ids keep their records while their pages are unchanged."""
    m = Manifest(tmp_path / "m.jsonl", cfg="c", out_dir=tmp_path)
    m.add([{"key": "k1", "fp": "1", "status": "ok", "output": "part-00000.jsonl"}])  # no id
    m.add([{"key": "k2", "fp": "1", "status": "ok", "output": "part-00001.jsonl"}])
    lines = [{"id": stable_id("k1"), "text": "kept"}, {"id": stable_id("k2"), "text": "moved"}]
    (tmp_path / "part-00000.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))
    assert prune_parts(tmp_path, tmp_path / "tmp", m, {"part-00000.jsonl"}) == 1
    assert json.loads((tmp_path / "part-00000.jsonl").read_text())["text"] == "kept"


def test_datatrove_reads_the_parts(tmp_path: Path) -> None:
    from datatrove.pipeline.readers import JsonlReader

    wet = tmp_path / "in" / "CC-MAIN-20240220-00000.warc.wet.gz"
    wet.parent.mkdir()
    _write_wet(wet)
    out = tmp_path / "out"
    assert _bulk(str(wet.parent), "-o", str(out), "--format", "jsonl", "--source", "cc") == 0
    ours = {r["id"]: r for r in part_records(out)}
    docs = list(JsonlReader(str(out), glob_pattern="*.jsonl.gz").run())
    assert {d.id for d in docs} == set(ours) and len(docs) == 2
    for doc in docs:
        rec = ours[doc.id]
        assert doc.text == rec["text"]
        assert doc.metadata["url"] == rec["metadata"]["url"]
        assert doc.metadata["title"] == rec["metadata"]["title"]
        # the top-level fields datatrove does not know go into metadata
        assert (doc.metadata["source"], doc.metadata["created"]) == ("cc", rec["created"])
        assert doc.metadata["added"] == rec["added"]


# -- the WARC layer over FastWARC --------------------------------------------------------------


def _read(data: bytes) -> tuple[list[tuple[str, bytes]], str | None]:
    """Every record's id and block (HTTP body for responses) until the first error."""
    got: list[tuple[str, bytes]] = []
    try:
        for rec in iter_records(io.BytesIO(data)):
            if rec.type == "response":
                rec.http()
            got.append((rec.record_id, rec.body()))
    except WarcError as exc:
        return got, str(exc)
    return got, None


def test_warc_framing_faults_name_their_byte() -> None:
    a = warc_record("resource", "https://a.example/", b"<p>A</p>", "a", "text/html")
    b = warc_record("resource", "https://b.example/", b"<p>B</p>", "b", "text/html")
    # LF line ends (FastWARC's strict mode loses every record after the first)
    lf = a.replace(b"\r\n", b"\n") + b.replace(b"\r\n", b"\n")
    assert _read(lf) == ([("<urn:uuid:a>", b"<p>A</p>"), ("<urn:uuid:b>", b"<p>B</p>")], None)
    got, err = _read(a + b"<html>not a record</html>\r\n" + b)
    assert got == [("<urn:uuid:a>", b"<p>A</p>")]
    assert err == f"not a WARC record at byte {len(a)} (starts b'<html>not a record</')"
    # a record cut inside its headers (FastWARC yields an empty record and stops)
    assert _read(a + b[:40]) == (
        [("<urn:uuid:a>", b"<p>A</p>")],
        f"truncated WARC record headers at byte {len(a)}",
    )
    no_length = a + b.replace(b"Content-Length: 8\r\n", b"")
    assert _read(no_length)[1] == f"WARC record at byte {len(a)} has no valid Content-Length"
    # a file that is a whole number of FastWARC's reads ends without an error
    size = 65536 * 2 - len(a) - len(b)
    while (
        len(exact := a + warc_record("resource", "https://p.example/", b"x" * size, "p") + b)
        > 65536 * 2
    ):
        size -= 1
    assert len(exact) == 65536 * 2
    assert [r for r, _ in _read(exact)[0]] == ["<urn:uuid:a>", "<urn:uuid:p>", "<urn:uuid:b>"]
    assert _read(exact)[1] is None


def test_a_corrupt_body_fails_its_record_only(tmp_path: Path) -> None:
    """FastWARC's own decoding, once it meets a corrupt gzip body, fails every later record."""
    bad = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\nnot gzip"
    br = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: br\r\n\r\n"
        + brotli.compress(page("Brotli Page").encode())
    )
    path = tmp_path / "crawl.warc"
    path.write_bytes(
        warc_record("response", "https://a.example/bad", bad, "bad")
        + warc_record("response", "https://a.example/br", br, "br")
        + warc_record("response", "https://a.example/ok", http(page("After").encode()), "ok")
    )
    items = list(discover(plan_sources([str(path)], str(tmp_path / "o")), str(tmp_path / "o")))
    (finding,) = [i for i in items if isinstance(i, Finding)]
    assert finding.input.endswith("#<urn:uuid:bad>") and finding.status == "failed"
    assert finding.error.startswith("corrupt gzip HTTP body")
    tasks = {dict(t.meta)["warc_record_id"]: t for t in items if isinstance(t, Task)}
    assert set(tasks) == {"<urn:uuid:br>", "<urn:uuid:ok>"}
    assert b"Brotli Page" in tasks["<urn:uuid:br>"].data  # type: ignore[operator]


@pytest.mark.parametrize(
    ("kind", "uri", "ctype", "reason"),
    [
        ("resource", "urn:view:https://a.example/", "image/png", "the crawler's own record"),
        ("resource", "urn:pageinfo:https://a.example/", "application/json", "the crawler's own"),
        ("resource", "urn:text:https://a.example/", "text/plain", "the crawler's own record"),
        ("continuation", "https://a.example/", None, "continuation record"),
        ("screenshot", "https://a.example/", "image/png", "screenshot record, not a page"),
    ],
)
def test_other_bookkeeping_records(
    tmp_path: Path, kind: str, uri: str, ctype: str | None, reason: str
) -> None:
    path = tmp_path / "crawl.warc"
    path.write_bytes(warc_record(kind, uri, b"data", "x", ctype))
    (item,) = discover(plan_sources([str(path)], str(tmp_path / "o")), str(tmp_path / "o"))
    assert isinstance(item, Finding) and item.status == "ignored"
    assert item.error.startswith(reason), item.error
