"""WARC archives built with warcio: HTML responses read, others skipped, damage reported."""

from __future__ import annotations

import io
from pathlib import Path

from warcio.warcwriter import WARCWriter

from ingest_helpers import collect, html_page, warc_bytes

CANONICAL = '<link rel="canonical" href="https://a.example/one">'
PAGES = [
    (
        "https://a.example/1",
        "200 OK",
        html_page(title="One", head=CANONICAL).encode(),
        "text/html; charset=utf-8",
    ),
    ("https://a.example/logo.png", "200 OK", b"\x89PNG\r\n\x1a\n\x00" * 10, "image/png"),
    ("https://a.example/gone", "404 Not Found", b"<html>gone</html>", "text/html"),
    (
        "https://a.example/2",
        "200 OK",
        html_page(title="Two").encode("cp1251"),
        "text/html; charset=windows-1251",
    ),
    (
        "https://a.example/3",
        "200 OK",
        html_page(title="Три").encode("cp1251"),
        "application/xhtml+xml; charset=windows-1251",
    ),
]


def test_reads_html_responses_and_skips_others(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(warc_bytes(PAGES))
    items, errors = collect(path)
    assert not errors
    assert [(i.url, i.locator) for i in items] == [
        ("https://a.example/1", "record 1"),
        ("https://a.example/2", "record 4"),
        ("https://a.example/3", "record 5"),
    ]
    assert all(i.kind == "html" for i in items)
    assert "<title>Три</title>" in items[2].content
    assert items[0].extra["canonical_url"] == "https://a.example/one"
    assert items[0].extra["warc_date"]
    assert items[0].extra["warc_record_id"].startswith("<urn:uuid:")


def test_uncompressed_warc_and_stable_ids(tmp_path: Path) -> None:
    (tmp_path / "a.warc").write_bytes(warc_bytes(PAGES, gzipped=False))
    (tmp_path / "b.warc.gz").write_bytes(warc_bytes(PAGES))
    items, errors = collect(tmp_path)
    assert not errors
    ids = [i.id for i in items]
    # Same payloads, whatever the container: same ids; and a second read agrees.
    assert ids[:3] == ids[3:]
    assert ids == [i.id for i in collect(tmp_path)[0]]


def test_truncated_gzipped_warc(tmp_path: Path) -> None:
    data = warc_bytes(PAGES)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: len(data) - 40])  # inside the last record
    items, errors = collect(path)
    assert [i.url for i in items] == ["https://a.example/1", "https://a.example/2"]
    assert [e.error for e in errors] == ["truncated"]
    path.write_bytes(data[:100])  # inside the very first record
    items, errors = collect(path)
    assert not items and [e.error for e in errors] == ["truncated"]


def test_truncated_plain_warc(tmp_path: Path) -> None:
    data = warc_bytes(PAGES, gzipped=False)
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: len(data) - 200])
    items, errors = collect(path)
    assert [i.url for i in items] == ["https://a.example/1", "https://a.example/2"]
    assert [(e.error, e.locator) for e in errors] == [("truncated", "record 5")]


def test_not_a_warc_and_empty(tmp_path: Path) -> None:
    (tmp_path / "fake.warc").write_text("this is not an archive\n" * 5)
    (tmp_path / "empty.warc").write_bytes(b"")
    items, errors = collect(tmp_path)
    assert not items
    assert [(e.input.rsplit("/", 1)[1], e.error) for e in errors] == [
        ("empty.warc", "empty"),
        ("fake.warc", "bad-warc"),
    ]


def test_oversized_record_is_an_error_and_others_go_on(tmp_path: Path) -> None:
    pages = [
        PAGES[0],
        ("https://a.example/big", "200 OK", b"<p>" + b"x" * 5000, "text/html"),
        PAGES[3],
    ]
    path = tmp_path / "big.warc.gz"
    path.write_bytes(warc_bytes(pages))
    items, errors = collect(path, max_item_bytes=3000)
    assert [i.url for i in items] == ["https://a.example/1", "https://a.example/2"]
    assert [(e.error, e.locator) for e in errors] == [("too-large", "record 2")]


def test_request_and_metadata_records_are_skipped(tmp_path: Path) -> None:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    writer.write_record(writer.create_warcinfo_record("x.warc.gz", {"software": "test"}))
    writer.write_record(
        writer.create_warc_record(
            "https://a.example/1", "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
        )
    )
    path = tmp_path / "meta.warc.gz"
    path.write_bytes(buf.getvalue() + warc_bytes(PAGES[:1]))
    items, errors = collect(path)
    assert not errors
    assert [(i.url, i.locator) for i in items] == [("https://a.example/1", "record 3")]
