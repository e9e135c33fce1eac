"""Shared helpers for the ingest tests: collecting results, building WARCs, a loopback server."""

from __future__ import annotations

import contextlib
import gzip
import http.server
import io
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsgraph.ingest import ReadOptions, read_inputs
from newsgraph.model import ItemError, RawItem

ARTICLE = (
    "The foreign ministers met in Geneva on Friday for talks that lasted two hours. "
    "Both sides described the meeting as frank and useful, and agreed to keep talking. "
) * 6


def collect(inputs: list[str] | str, **options: object) -> tuple[list[RawItem], list[ItemError]]:
    """(items, errors) from reading ``inputs`` with the given ReadOptions fields."""
    if isinstance(inputs, str | Path):
        inputs = [str(inputs)]
    results = list(read_inputs([str(i) for i in inputs], ReadOptions(**options)))  # type: ignore[arg-type]
    items = [r for r in results if isinstance(r, RawItem)]
    errors = [r for r in results if isinstance(r, ItemError)]
    assert len(items) + len(errors) == len(results)
    return items, errors


def html_page(body: str = ARTICLE, title: str = "Talks in Geneva", head: str = "") -> str:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>{head}"
        f"</head><body><article><h1>{title}</h1><p>{body}</p></article></body></html>"
    )


def warc_bytes(records: list[tuple[str, str, bytes, str]], *, gzipped: bool = True) -> bytes:
    """A real WARC: each record is (uri, HTTP status line, payload, content type)."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzipped)
    for uri, status, payload, ctype in records:
        headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            uri, "response", payload=io.BytesIO(payload), http_headers=headers
        )
        writer.write_record(record)
    return buf.getvalue()


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


Handler = Callable[[http.server.BaseHTTPRequestHandler], None]


@dataclass
class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1; tests register a handler per path."""

    routes: dict[str, Handler] = field(default_factory=dict)
    base: str = ""

    def route(
        self,
        path: str,
        body: bytes = b"",
        *,
        status: int = 200,
        ctype: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> str:
        def handler(req: http.server.BaseHTTPRequestHandler) -> None:
            if delay:
                time.sleep(delay)
            req.send_response(status)
            req.send_header("Content-Type", ctype)
            req.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                req.send_header(k, v)
            req.end_headers()
            req.wfile.write(body)

        self.routes[path] = handler
        return self.base + path


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    state = LoopbackServer()

    class _Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            handler = state.routes.get(self.path)
            if handler is None:
                self.send_error(404)
                return
            # The client may give up (timeout, size cap): expected in these tests.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                handler(self)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
