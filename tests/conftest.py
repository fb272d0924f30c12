from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_0b2e70bf5053be85.txt"


@pytest.fixture
def seed_path() -> Path:
    return SEED


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[dict[str, bytes]], str]]:
    """Serve files ``{name: bytes}`` on 127.0.0.1 (a free port); returns the base URL."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(files: dict[str, bytes]) -> str:
        root = tmp_path_factory.mktemp("site")
        for name, data in files.items():
            (root / name).write_bytes(data)
        handler = functools.partial(_QuietHandler, directory=str(root))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
