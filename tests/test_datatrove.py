"""cleaner.integrations.datatrove in a real datatrove pipeline: WarcReader on a WARC built
here -> CleanerExtractor -> JsonlWriter, under the local executor, and the output read back."""

from __future__ import annotations

import io
import json
import pickle
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("datatrove")
pytest.importorskip("warcio")

from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import WarcReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from cleaner.integrations.datatrove import CleanerExtractor  # noqa: E402

ARTICLE = (
    "<html lang='{lang}'><head><title>{title} | Plot Notes</title></head><body>"
    "<nav><a href='/'>Home</a> <a href='/about'>About</a></nav><article><h1>{title}</h1>"
    "<div class='entry-content'><p>{body}</p><p>{body}</p>"
    "<div class='sharedaddy'><h3>Share this:</h3><a>Twitter</a></div></div></article>"
    "<div id='comments' class='comments-area'><ol class='comment-list'>"
    "<li id='comment-4' class='comment even depth-1'><article class='comment-body'>"
    "<div class='comment-author vcard'><b class='fn'>Ann</b></div>"
    "<div class='comment-content'><p>Ours came up in a week.</p></div></article></li></ol>"
    "<div id='respond' class='comment-respond'><h3>Leave a Reply</h3><form></form></div></div>"
    "</body></html>"
)
PAGES = {
    "https://plotnotes.example.org/peas": ARTICLE.format(
        lang="en", title="Peas",
        body="Sow peas early in spring, as soon as the soil can be worked, and give them a net "
        "to climb; keep the birds off with a fleece until they flower.",
    ),
    "https://plotnotes.example.org/de/erbsen": ARTICLE.format(
        lang="de", title="Erbsen",
        body="Erbsen sät man im Frühjahr, sobald der Boden offen ist; ein Netz hilft ihnen "
        "beim Klettern, und ein Vlies hält die Vögel fern, bis sie blühen.",
    ),
    "https://plotnotes.example.org/ja/endou": ARTICLE.format(
        lang="ja", title="エンドウ",
        body="エンドウは春先、土が耕せるようになったらすぐに種をまきます。つるが絡むように"
        "ネットを張り、花が咲くまでは不織布で鳥から守ります。",
    ),
    "https://plotnotes.example.org/tag/": "<html><body><nav><a href='/'>Home</a></nav></body></html>",
}  # fmt: skip


def _warc(path: Path) -> None:
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for uri, html in PAGES.items():
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(html.encode("utf-8")), http_headers=headers
            )
            writer.write_record(record)


def _stats(logs: Path) -> dict[str, Any]:
    stats = json.loads((logs / "stats.json").read_text())
    step = next(s for s in stats if "cleaner" in s["name"])
    return {k: v["total"] if isinstance(v, dict) else v for k, v in step["stats"].items()}


def test_pipeline_warc_to_jsonl(tmp_path: Path) -> None:
    warcs, out, logs = tmp_path / "warc", tmp_path / "out", tmp_path / "logs"
    warcs.mkdir()
    _warc(warcs / "crawl.warc.gz")
    LocalPipelineExecutor(
        pipeline=[
            WarcReader(str(warcs)),
            CleanerExtractor(languages=["en", "de"], comments=True),
            JsonlWriter(str(out), compression=None),
        ],
        tasks=1,
        workers=1,
        logging_dir=str(logs),
    ).run()
    docs = [json.loads(line) for f in sorted(out.glob("*.jsonl")) for line in f.open()]
    by_url = {d["metadata"]["url"]: d for d in docs}
    assert sorted(by_url) == [
        "https://plotnotes.example.org/de/erbsen",
        "https://plotnotes.example.org/peas",
    ]
    peas = by_url["https://plotnotes.example.org/peas"]
    assert peas["text"].startswith("Sow peas early in spring")
    for junk in ("Home", "Share this", "Leave a Reply", "Ours came up"):
        assert junk not in peas["text"]
    meta = peas["metadata"]
    assert meta["title"] == "Peas" and meta["language"] == "en" and meta["declared_language"] == "en"
    assert meta["comments"] == [
        {"text": "Ours came up in a week.", "author": "Ann", "date": None, "depth": 0}
    ]
    assert peas["id"].startswith("<urn:uuid:")  # WarcReader's, kept
    assert by_url["https://plotnotes.example.org/de/erbsen"]["metadata"]["language"] == "de"
    stats = _stats(logs)
    assert stats["total"] == 4 and stats["forwarded"] == 2 and stats["dropped"] == 2
    assert stats["dropped_language"] == 1 and stats["dropped_empty"] == 1


def test_extract_in_process_and_pickling() -> None:
    step = CleanerExtractor(languages=["de"])
    text, meta = step.extract(PAGES["https://plotnotes.example.org/peas"], "https://x.example/")
    assert text == "" and meta == {"drop": "language", "language": "en"}
    step.extract("", None)  # builds the cleaner
    again = pickle.loads(pickle.dumps(step))  # what a non-fork start method does
    assert again._cleaner is None and again.languages == ("de",)
    text, meta = again.extract(PAGES["https://plotnotes.example.org/de/erbsen"], None)
    assert text.startswith("Erbsen sät man") and meta["language"] == "de"
    assert again.extract(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, None)[1]["drop"] == "input"  # type: ignore[arg-type]
