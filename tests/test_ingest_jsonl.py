"""JSON Lines: fields, html-over-text, bad lines with line numbers, gzip, size, streaming."""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from pathlib import Path

from ingest_helpers import collect, gz
from newsgraph.ingest import read_inputs


def _jsonl(*objs: object) -> str:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs)


def test_fields_are_mapped(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(
        _jsonl(
            {
                "text": "Body one",
                "url": "https://x.example/1",
                "title": "T1",
                "published": "2022-01-21T10:00:00Z",
                "authors": ["Ann Lee", "Bo Li"],
                "outlet": "Example News",
                "language": "EN",
                "section": "world",
            },
            {
                "html": "<p>Body two</p>",
                "text": "Body two",
                "date": "Fri, 21 Jan 2022 10:00:00 GMT",
                "author": "Ann Lee; Bo Li",
                "source": {"name": "Wire"},
                "lang": "de",
            },
            {"text": "Body three", "published": "sometime soon", "site": "Blog"},
        ),
        encoding="utf-8",
    )
    items, errors = collect(path)
    assert not errors
    one, two, three = items
    assert (one.kind, one.content, one.url, one.title) == (
        "text",
        "Body one",
        "https://x.example/1",
        "T1",
    )
    assert one.published == dt.date(2022, 1, 21)
    assert one.authors == ["Ann Lee", "Bo Li"]
    assert (one.outlet, one.language, one.locator) == ("Example News", "en", "line 1")
    assert one.extra == {"section": "world"}
    assert (two.kind, two.content) == ("html", "<p>Body two</p>")
    assert two.published == dt.date(2022, 1, 21)
    assert two.authors == ["Ann Lee", "Bo Li"]
    assert (two.outlet, two.language) == ("Wire", "de")
    assert two.extra["text"] == "Body two"
    assert three.published is None
    assert three.extra["published_raw"] == "sometime soon"
    assert three.outlet == "Blog"


def test_bad_lines_between_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "mixed.ndjson"
    lines = [
        json.dumps({"text": "good 1"}),
        "{not json",
        "",
        json.dumps(["a", "list"]),
        json.dumps({"title": "no body"}),
        json.dumps({"text": "   "}),
        json.dumps({"text": "good 2"}),
        '{"text": "cut off',
    ]
    path.write_text("\n".join(lines) + "\n")
    items, errors = collect(path)
    assert [(i.content, i.locator) for i in items] == [("good 1", "line 1"), ("good 2", "line 7")]
    assert [(e.locator, e.error) for e in errors] == [
        ("line 2", "bad-json"),
        ("line 4", "bad-item"),
        ("line 5", "no-content"),
        ("line 6", "empty"),
        ("line 8", "bad-json"),
    ]
    assert all(e.input == str(path) for e in errors)


def test_ids_use_canonical_json(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text('{"text": "same", "title": "T"}\n')
    (tmp_path / "b.jsonl").write_text('{ "title":"T",  "text":"same" }\n')
    items, _ = collect(tmp_path)
    again, _ = collect(tmp_path)
    assert items[0].id == items[1].id == again[0].id


def test_gzipped_and_truncated_gzipped(tmp_path: Path) -> None:
    rng = random.Random(7)
    words = ["talks", "minister", "Geneva", "NATO", "said", "on", "Friday", "security"]
    data = _jsonl(
        *({"text": " ".join(rng.choice(words) for _ in range(200))} for _ in range(200))
    ).encode()
    (tmp_path / "all.jsonl.gz").write_bytes(gz(data))
    (tmp_path / "cut.jsonl.gz").write_bytes(gz(data)[:2000])
    items, errors = collect(tmp_path / "all.jsonl.gz")
    assert len(items) == 200 and not errors
    items, errors = collect(tmp_path / "cut.jsonl.gz")
    assert 0 < len(items) < 200
    assert [e.error for e in errors] == ["truncated"]


def test_long_line_is_too_large_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text(_jsonl({"text": "a"}, {"text": "b" * 5000}, {"text": "c"}))
    items, errors = collect(path, max_item_bytes=1000)
    assert [i.content for i in items] == ["a", "c"]
    assert [(e.locator, e.error) for e in errors] == [("line 2", "too-large")]


def test_binary_and_empty_jsonl(tmp_path: Path) -> None:
    (tmp_path / "bin.jsonl").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "empty.jsonl").write_bytes(b"\n\n")
    items, errors = collect(tmp_path)
    assert not items
    assert [(Path(e.input).name, e.error) for e in errors] == [
        ("bin.jsonl", "binary"),
        ("empty.jsonl", "empty"),
    ]


def test_utf16_jsonl_and_bom(tmp_path: Path) -> None:
    data = _jsonl({"text": "Привет"}, {"text": "мир"}).encode("utf-16")
    (tmp_path / "u16.jsonl").write_bytes(data)
    (tmp_path / "bom.jsonl").write_bytes(b"\xef\xbb\xbf" + _jsonl({"text": "x"}).encode())
    items, errors = collect(tmp_path)
    assert not errors
    assert [i.content for i in items] == ["x", "Привет", "мир"]


def test_json_array_document(tmp_path: Path) -> None:
    (tmp_path / "list.json").write_text(
        json.dumps([{"text": "one"}, 5, {"html": "<p>two</p>"}], indent=2)
    )
    items, errors = collect(tmp_path / "list.json")
    assert [(i.locator, i.kind) for i in items] == [("item 1", "text"), ("item 3", "html")]
    assert [(e.locator, e.error) for e in errors] == [("item 2", "bad-item")]


def test_lone_surrogates_are_replaced(tmp_path: Path) -> None:
    (tmp_path / "s.jsonl").write_text('{"text": "bad \\ud800 char"}\n')
    items, errors = collect(tmp_path)
    assert not errors
    assert items[0].content == "bad \ufffd char"


def test_streams_a_50_mb_file_quickly(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    line = (json.dumps({"text": "word " * 1000, "title": "t"}) + "\n").encode()
    count = 50 * 1024 * 1024 // len(line)
    with path.open("wb") as f:
        for _ in range(count // 100):
            f.write(line * 100)
    start = time.monotonic()
    n = 0
    for n, _item in enumerate(read_inputs([str(path)]), 1):  # noqa: B007 - counting only
        pass
    assert n == count // 100 * 100
    assert time.monotonic() - start < 10
