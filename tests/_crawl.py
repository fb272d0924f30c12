"""Generated crawl trees for the bulk tests: every kind of input a real crawl leaves."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from pathlib import Path
from typing import Any

BODY = (
    "<p>{topic} is the subject of this post, and it needs a few sentences of real text so "
    "that the extractor keeps it as the article body of the page.</p>"
    "<p>A second paragraph about {topic} adds detail: where it happens, when, and why the "
    "author cared enough to write it all down for the readers of this blog.</p>"
)


def page(topic: str, *, head: str = "", canonical: str | None = None) -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        f"<!DOCTYPE html><html><head><title>{topic} | A Blog</title>{link}</head><body>{head}"
        f"<article><h1>{topic}</h1><div class='entry-content'>{BODY.format(topic=topic)}</div>"
        "<div class='sharedaddy'><h3>Share this:</h3><a>Twitter</a></div></article>"
        "</body></html>"
    )


def warc_record(
    kind: str,
    uri: str,
    block: bytes,
    rid: str,
    ctype: str | None = None,
    *,
    date: str = "2024-01-01T00:00:00Z",
    extra: dict[str, str] | None = None,
) -> bytes:
    """One WARC record as crawlers write it (``extra``: more headers, e.g. WARC-Refers-To)."""
    headers = [
        "WARC/1.0",
        f"WARC-Type: {kind}",
        f"WARC-Record-ID: <urn:uuid:{rid}>",
        f"WARC-Target-URI: {uri}",
        f"WARC-Date: {date}",
    ]
    headers += [f"{name}: {value}" for name, value in (extra or {}).items()]
    if ctype:
        headers.append(f"Content-Type: {ctype}")
    headers.append(f"Content-Length: {len(block)}")
    return ("\r\n".join(headers) + "\r\n\r\n").encode() + block + b"\r\n\r\n"


def http(body: bytes, status: str = "200 OK", ctype: str = "text/html; charset=utf-8") -> bytes:
    return f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\n\r\n".encode() + body


def write_warc(path: Path, site: str, *, gz: bool) -> list[str]:
    """A WARC with two pages, a request, an image and a 404; returns the page URIs."""
    uris = [f"https://{site}/2024/01/first-post/", f"https://{site}/2024/02/second-post/"]
    records = [
        warc_record("warcinfo", "", b"software: test\r\n", f"{site}-0", "application/warc-fields"),
        warc_record("request", uris[0], b"GET / HTTP/1.1\r\n\r\n", f"{site}-1", "application/http"),
        warc_record("response", uris[0], http(page(f"{site} first").encode()), f"{site}-2"),
        warc_record("response", uris[1], http(page(f"{site} second").encode()), f"{site}-3"),
        warc_record(
            "response",
            f"https://{site}/logo.png",
            http(b"\x89PNG\r\n", ctype="image/png"),
            f"{site}-4",
        ),
        warc_record(
            "response", f"https://{site}/gone", http(b"nope", "404 Not Found"), f"{site}-5"
        ),
    ]
    if gz:
        path.write_bytes(b"".join(gzip.compress(r) for r in records))  # one member per record
    else:
        path.write_bytes(b"".join(records))
    return uris


def make_crawl(root: Path, seed: Path) -> Path:
    """A crawl directory with every kind of input. Returns its path."""
    src = root / "crawl"
    wget = src / "wget" / "blog.example.com"
    (wget / "2024" / "01").mkdir(parents=True)
    (wget / "2024" / "01" / "post").write_text(page("Wget Post"), encoding="utf-8")
    (wget / "index.html?p=2").write_text(page("Second Index Page"), encoding="utf-8")
    (wget / "index.html").write_text(page("Front Page"), encoding="utf-8")
    (wget / "old.html.gz").write_bytes(gzip.compress(page("Gzipped Page").encode()))
    (wget / "style.css").write_text("body{margin:0;padding:0}\n" * 10 + "a{color:red;}\n" * 10)
    (wget / "robots.txt").write_text("User-agent: *\nDisallow: /wp-admin/\n")
    (wget / "sitemap.xml").write_text(
        '<?xml version="1.0"?><urlset><url><loc>https://x/</loc></url></urlset>'
    )
    (wget / "logo").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (wget / "empty.html").write_bytes(b"")

    seeds = src / "seeds"
    seeds.mkdir()
    (seeds / "dump").write_bytes(seed.read_bytes())

    mirror = src / "httrack"
    (mirror / "hts-cache").mkdir(parents=True)
    (mirror / "hts-cache" / "new.txt").write_text("cache index")
    (mirror / "hts-cache" / "doit.log").write_text(
        "-qwC2%Pns2u1%s%uN0%I0p3DaK0c8 https://blog.mirror.net/"
    )
    (mirror / "hts-log.txt").write_text(
        "HTTrack3.49-2 launched on Mon, 01 Jan 2024 00:00:00 at https://blog.mirror.net/\n"
    )
    (mirror / "blog.mirror.net").mkdir()
    comment = "<!-- Mirrored from blog.mirror.net/notes/mirrored.html by HTTrack Website Copier/3.x [XR&CO'2014], Mon, 01 Jan 2024 -->"
    (mirror / "blog.mirror.net" / "mirrored.html").write_text(
        page("Mirrored Page").replace("<!DOCTYPE html>", "<!DOCTYPE html>\n" + comment, 1)
    )

    scrapy = src / "scrapy" / "httpcache" / "blog" / "ab" / "ab12cd"
    scrapy.mkdir(parents=True)
    (scrapy / "response_body").write_text(page("Scrapy Page"))
    (scrapy / "meta").write_text(repr({"url": "https://scrapy.example/p/1", "status": 200}))
    (scrapy / "response_headers").write_text("Content-Type: text/html; charset=utf-8\r\n")
    (scrapy / "pickled_meta").write_bytes(b"\x80\x04N.")  # must never be unpickled

    write_warc(src / "crawl.warc", "warc.example", gz=False)
    write_warc(src / "crawl.warc.gz", "warcgz.example", gz=True)

    lines = [
        json.dumps({"url": "https://jsonl.example/a", "html": page("Jsonl A")}),
        json.dumps({"url": "https://jsonl.example/b", "html": page("Jsonl B")}),
        json.dumps({"url": "https://jsonl.example/c", "title": "no html here"}),
        "{not json",
    ]
    (src / "pages.jsonl").write_text("\n".join(lines) + "\n")
    gz_lines = [json.dumps({"url": "https://jsonlgz.example/z", "html": page("Jsonl Gz")})]
    (src / "pages.jsonl.gz").write_bytes(gzip.compress(("\n".join(gz_lines) + "\n").encode()))

    os.symlink("does-not-exist", src / "broken-link")
    os.symlink("..", src / "seeds" / "loop")  # a loop back to the crawl's root
    return src


#: Inputs of make_crawl that are pages, and what each must say.
PAGES = {
    "wget/blog.example.com/2024/01/post": "Wget Post",
    "wget/blog.example.com/index.html?p=2": "Second Index Page",
    "wget/blog.example.com/index.html": "Front Page",
    "wget/blog.example.com/old.html.gz": "Gzipped Page",
    "seeds/dump": "Almost 8,500 Citizens",
    "httrack/blog.mirror.net/mirrored.html": "Mirrored Page",
    "scrapy/httpcache/blog/ab/ab12cd/response_body": "Scrapy Page",
}
RECORD_PAGES = ["warc.example first", "warc.example second", "warcgz.example first",
                "warcgz.example second", "Jsonl A", "Jsonl B", "Jsonl Gz"]  # fmt: skip
N_PAGES = len(PAGES) + len(RECORD_PAGES)


def tree_hash(root: Path) -> str:
    """A hash of every file's path and bytes under root (symlinks by target, not followed)."""
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(
            filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]
        ):
            p = os.path.join(dirpath, name)
            h.update(p.encode())
            if os.path.islink(p):
                h.update(os.readlink(p).encode())
            else:
                with open(p, "rb") as fh:
                    h.update(fh.read())
            h.update(str(os.lstat(p).st_mtime_ns).encode())
    return h.hexdigest()


# -- reading a run's results back ------------------------------------------------------------


def read_report(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def by_input(report: dict, root: Path) -> dict[str, dict]:
    """The report's file entries by input path relative to ``root``."""
    return {os.path.relpath(f["input"], root): f for f in report["files"]}


def output_files(out: Path) -> list[Path]:
    """The files a run wrote in OUT (its state directory left out)."""
    return sorted(p for p in out.rglob("*") if p.is_file() and ".cleaner" not in p.parts)


def part_records(out: Path) -> list[dict]:
    """The records of every JSONL part in OUT (gzipped or not, any shard prefix), in order."""
    recs = []
    for part in sorted(out.glob("*part-*.jsonl*")):
        opener: Any = gzip.open if part.suffix == ".gz" else open
        with opener(part, "rt", encoding="utf-8") as fh:
            recs += [json.loads(line) for line in fh]
    return recs


def style_first_page(topic: str, lines: int = 900) -> str:
    """A real page with a long <style> block before its <!DOCTYPE html> (a plugin or theme
    that echoes its CSS too early), then a menu of many items: the first bytes are all CSS."""
    rules = "\n".join(
        f".wp-block-{i % 37}-item-{i} > a:hover, #menu-item-{i} .sub-menu {{ margin: {i % 9}px; "
        f"color: #{i * 2654435761 % 0xFFFFFF:06x}; }}"
        for i in range(lines)
    )
    menu = "".join(
        f'<li id="menu-item-{i}" class="menu-item menu-item-type-post_type"><a href="/p/{i}/">'
        f"Menu entry {i}</a></li>"
        for i in range(200)
    )
    return f"<style>\n{rules}\n</style>\n" + page(topic, head=f"<nav><ul>{menu}</ul></nav>")
