from __future__ import annotations

import gzip

import pytest

from cleaner import InputError
from cleaner.decode import decode, is_html


def test_bom_wins() -> None:
    assert decode("<p>é</p>".encode("utf-16")).text == "<p>é</p>"


def test_declared_charset_used_when_bytes_are_not_utf8() -> None:
    d = decode('<meta charset="windows-1252"><p>“quoted”</p>'.encode("cp1252"))
    assert "“quoted”" in d.text


def test_lying_latin1_declaration_is_not_trusted_for_utf8_bytes() -> None:
    d = decode('<meta charset="iso-8859-1"><p>Straße</p>'.encode())
    assert "Straße" in d.text and d.encoding == "utf-8"


def test_gzip_is_unpacked() -> None:
    assert decode(gzip.compress(b"<p>hi</p>")).text == "<p>hi</p>"


@pytest.mark.parametrize("data", [b"%PDF-1.7 ...", b"\x89PNG\r\n\x1a\n....", b"abc\x00\x01\x02def"])
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(InputError):
        decode(data)


def test_sniffing() -> None:
    assert is_html("<!DOCTYPE html><html><body><p>x</p></body></html>")
    assert is_html("<div class=x>fragment</div>")
    assert not is_html("A title\n\nA paragraph with 3 < 4 in it.")
