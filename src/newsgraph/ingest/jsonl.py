"""JSON Lines (.jsonl, .ndjson, .json-lines, .json) → one RawItem per object, streamed.

Recognised fields: ``html`` (wins) or ``text``; ``url``, ``title``, ``published``/``date``,
``authors``/``author``, ``outlet``/``source``/``site``, ``language``/``lang``. Everything else
goes to ``extra``. A bad line is an ``ItemError`` with locator "line N"; reading goes on.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from newsgraph.ids import content_id
from newsgraph.ingest.dates import parse_date
from newsgraph.ingest.decode import decode_bytes, looks_binary, sniff_bom
from newsgraph.ingest.errors import ReadFailure, item_error
from newsgraph.ingest.gzipped import open_input, read_capped, read_head
from newsgraph.ingest.options import ReadOptions
from newsgraph.model import ItemError, RawItem

_SKIP_CHUNK = 1 << 20
_AUTHOR_SPLIT = re.compile(r"\s*[;|,]\s*")
_ALIASES = {
    "published": ("published", "date"),
    "authors": ("authors", "author"),
    "outlet": ("outlet", "source", "site"),
    "language": ("language", "lang"),
}


def _clean_str(value: Any) -> str | None:
    """A non-blank string with lone surrogates (legal in JSON, not in UTF-8) replaced."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value


def _authors(value: Any) -> list[str]:
    if isinstance(value, str):
        parts = _AUTHOR_SPLIT.split(value)
    elif isinstance(value, list):
        parts = [v.get("name") if isinstance(v, dict) else v for v in value]
    elif isinstance(value, dict):
        parts = [value.get("name")]
    else:
        parts = []
    names = [_clean_str(p) for p in parts]
    return [n.strip() for n in names if n]


def _first(obj: dict[str, Any], field: str) -> tuple[str | None, Any]:
    for key in _ALIASES[field]:
        if obj.get(key) not in (None, "", []):
            return key, obj[key]
    return None, None


def item_from_object(obj: Any, input: str, locator: str) -> RawItem:
    """One RawItem from one decoded JSON value; raises ``ReadFailure`` if it is not usable."""
    if not isinstance(obj, dict):
        raise ReadFailure("bad-item", f"expected a JSON object, got {type(obj).__name__}")
    markup, text = _clean_str(obj.get("html")), _clean_str(obj.get("text"))
    if markup is None and text is None:
        if isinstance(obj.get("html"), str) or isinstance(obj.get("text"), str):
            raise ReadFailure("empty", "the 'html'/'text' field is empty")
        raise ReadFailure("no-content", "the object has neither a 'text' nor an 'html' string")
    used = {"html", "text"}
    extra: dict[str, Any] = {}

    published = None
    key, raw_date = _first(obj, "published")
    if key:
        used.add(key)
        published = parse_date(raw_date)
        if published is None:
            extra["published_raw"] = raw_date
    key, raw_authors = _first(obj, "authors")
    authors = _authors(raw_authors) if key else []
    if key:
        used.add(key)
    key, raw_outlet = _first(obj, "outlet")
    if isinstance(raw_outlet, dict):
        raw_outlet = raw_outlet.get("name") or raw_outlet.get("title")
    outlet = _clean_str(raw_outlet)
    if key and outlet:
        used.add(key)
    key, raw_lang = _first(obj, "language")
    language = _clean_str(raw_lang)
    if key and language:
        used.add(key)
    url, title = _clean_str(obj.get("url")), _clean_str(obj.get("title"))
    used.update(k for k, v in (("url", url), ("title", title)) if v is not None)
    extra.update({k: v for k, v in obj.items() if k not in used})
    if markup is not None and text is not None:
        extra["text"] = text  # html won; keep the other rendering rather than drop it

    kind = "html" if markup is not None else "text"
    canonical = json.dumps(obj, sort_keys=True, ensure_ascii=False)
    return RawItem(
        id=content_id(kind, canonical),
        input=input,
        locator=locator,
        kind=kind,
        content=markup if markup is not None else text,  # type: ignore[arg-type]
        url=url,
        title=title,
        authors=authors,
        published=published,
        outlet=outlet,
        language=(re.split(r"[-_]", language.strip().lower())[0] or None) if language else None,
        extra=extra,
    )


def _lines(f: BinaryIO | io.TextIOWrapper, cap: int) -> Iterator[tuple[int, bytes | str | None]]:
    """(line number, line) pairs; None for a line longer than ``cap``, which is skipped
    without ever being held in memory."""
    lineno = 0
    while True:
        line = f.readline(cap + 1)
        if not line:
            return
        lineno += 1
        if len(line) > cap and line[-1:] not in (b"\n", "\n"):
            while True:
                more = f.readline(_SKIP_CHUNK)
                if not more or more[-1:] in (b"\n", "\n"):
                    break
            yield lineno, None
            continue
        yield lineno, line


def _parse_line(line: bytes | str, lineno: int) -> Any:
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError:
            # JSON must be UTF-8, but exports from old tools are not always; guess per line.
            line = decode_bytes(line)
        if lineno == 1:
            line = line.removeprefix("\ufeff")
    try:
        return json.loads(line)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ReadFailure("bad-json", f"not valid JSON: {exc}", stage="decode") from None


def _read_lines(path: str, options: ReadOptions) -> Iterator[RawItem | ItemError]:
    cap = options.max_item_bytes
    seen = 0
    with open_input(path) as raw:
        bom = sniff_bom(raw.peek(4) if hasattr(raw, "peek") else b"")
        wide = bom[0] if bom and bom[0] != "utf-8" else None
        f: BinaryIO | io.TextIOWrapper = (
            io.TextIOWrapper(
                raw, encoding=wide.removesuffix("-le").removesuffix("-be"), errors="replace"
            )
            if wide
            else raw
        )
        for lineno, line in _lines(f, cap):
            locator = f"line {lineno}"
            if line is None:
                seen += 1
                yield item_error(
                    path, "too-large", f"line is longer than {cap:,} bytes", locator=locator
                )
                continue
            if not line.strip():
                continue
            seen += 1
            try:
                yield item_from_object(_parse_line(line, lineno), path, locator)
            except ReadFailure as failure:
                yield failure.to_error(path, locator)
    if not seen:
        raise ReadFailure("empty", "no JSON lines: the file is empty or only whitespace")


def _read_document(path: str, data: bytes) -> Iterator[RawItem | ItemError]:
    """A .json file holding one object or an array of objects."""
    try:
        value = json.loads(decode_bytes(data))
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ReadFailure("bad-json", f"not valid JSON: {exc}", stage="decode") from None
    values = value if isinstance(value, list) else [value]
    if not values:
        raise ReadFailure("empty", "the JSON array is empty")
    for n, obj in enumerate(values, 1):
        try:
            yield item_from_object(obj, path, f"item {n}")
        except ReadFailure as failure:
            yield failure.to_error(path, f"item {n}")


def read_jsonl_file(path: str, options: ReadOptions) -> Iterator[RawItem | ItemError]:
    head = read_head(path)
    if looks_binary(head):
        raise ReadFailure("binary", "binary data, not JSON lines", stage="decode")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    # A pretty-printed .json document or array cannot be read line by line.
    if stripped.startswith(b"[") or (
        path.lower().removesuffix(".gz").endswith(".json")
        and not re.match(rb"\{[^\n]*\}\s*(\n|$)", stripped)
    ):
        data = read_capped(path, options.max_item_bytes)
        yield from _read_document(path, data)
        return
    yield from _read_lines(path, options)
