"""`cleaner clean URL`: fetched with trafilatura's downloader from a server on the loopback
address that each test starts and stops (never the network)."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from cleaner import clean
from cleaner.cli import app
from cleaner.fetch import FetchError, fetch

PAGE = (
    "<html><head><title>Peas | Plot Notes</title><link rel='canonical' "
    "href='https://plotnotes.example.org/peas'></head><body><article><h1>Peas</h1>"
    "<p>Sow peas early in spring, as soon as the soil can be worked, and give them a net.</p>"
    "<p>Pick the pods young and often. Erbsen für alle.</p></article></body></html>"
).encode("iso-8859-1")


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.path == "/post":
            seen.append(self.headers.get("User-Agent", ""))
            self._send(200, gzip.compress(PAGE), Content_Type="text/html; charset=iso-8859-1",
                       Content_Encoding="gzip")  # fmt: skip
        elif self.path == "/moved":
            self._send(301, b"", Location="/post")
        elif self.path == "/slow":
            time.sleep(3)
            self._send(200, PAGE, Content_Type="text/html")
        elif self.path == "/big":
            self._send(200, b"<p>" + b"x" * 50_000 + b"</p>", Content_Type="text/html")
        else:
            self._send(404, b"not here", Content_Type="text/plain")


seen: list[str] = []


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (the timeout test) is no error of the test's


@pytest.fixture()
def server() -> Iterator[str]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


runner = CliRunner()


def test_clean_a_url(server: str) -> None:
    res = runner.invoke(app, ["clean", f"{server}/post"])
    assert res.exit_code == 0, res.stderr
    assert res.stdout.startswith("Peas\n\nSow peas early") and "Erbsen für alle." in res.stdout
    assert seen and "trafilatura" in seen[-1]  # trafilatura's user agent


def test_fetched_page_keeps_its_urls(server: str) -> None:
    page = fetch(f"{server}/moved")  # redirected to /post
    assert page.url == f"{server}/post" and page.status == 200
    res = clean(page)
    assert res.url == f"{server}/post"  # where it was fetched from
    assert res.canonical_url == "https://plotnotes.example.org/peas"  # the page's own
    front = runner.invoke(app, ["clean", f"{server}/post", "--with-metadata"]).stdout
    assert f'url: "{server}/post"' in front
    assert 'canonical_url: "https://plotnotes.example.org/peas"' in front


def test_http_error_is_one_line(server: str) -> None:
    res = runner.invoke(app, ["clean", f"{server}/nothing"])
    assert res.exit_code == 1 and res.stdout == ""
    assert res.stderr == f"cleaner: {server}/nothing: HTTP 404 Not Found\n"


def test_timeout_is_one_line(server: str) -> None:
    res = runner.invoke(app, ["clean", f"{server}/slow", "--timeout", "1"])
    assert res.exit_code == 1
    assert res.stderr == f"cleaner: {server}/slow: timed out after 1 s\n"


def test_too_large_is_one_line(server: str) -> None:
    res = runner.invoke(app, ["clean", f"{server}/big", "--max-bytes", "10000"])
    assert res.exit_code == 1 and res.stderr.count("\n") == 1
    assert "too large" in res.stderr and "10,000 bytes" in res.stderr
    assert runner.invoke(app, ["clean", f"{server}/big"]).exit_code == 0  # under the default


def test_nothing_listening_is_one_line() -> None:
    with pytest.raises(FetchError, match="cannot connect"):
        fetch("http://127.0.0.1:9/")
    res = runner.invoke(app, ["clean", "http://127.0.0.1:9/post"])
    assert res.exit_code == 1 and res.stderr.startswith("cleaner: http://127.0.0.1:9/post: ")
    assert res.stderr.count("\n") == 1


def test_a_missing_file_is_still_a_missing_file() -> None:
    res = runner.invoke(app, ["clean", "no-such-file.html"])
    assert res.exit_code == 2 and "no such file" in res.stderr
