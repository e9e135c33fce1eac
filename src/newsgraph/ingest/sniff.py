"""Which reader fits: by file extension, else by looking at the first bytes."""

from __future__ import annotations

import os
import re

from newsgraph.ingest.decode import _guess_wide, looks_binary, sniff_bom

EXTENSIONS = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".txt": "text",
    ".text": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json-lines": "jsonl",
    ".jsonlines": "jsonl",
    ".json": "jsonl",
    ".warc": "warc",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
    ".rdf": "feed",
}
_FEED_ROOT = re.compile(r"<(rss|feed|rdf:rdf|channel)\b")
_HTML_ROOT = re.compile(r"<(!doctype\s+html|html|head|body)\b")
_JSON_START = re.compile(r"^(\{|\[\s*\{|\[\s*\]$)")


def kind_by_extension(path: str) -> str | None:
    name = os.path.basename(path).lower()
    for suffix in (".gz", ".gzip"):
        name = name.removesuffix(suffix)
    return EXTENSIONS.get(os.path.splitext(name)[1])


def _head_text(head: bytes) -> str:
    bom = sniff_bom(head)
    codec = bom[0] if bom else _guess_wide(head)
    text = head.decode(codec or "latin-1", "replace")
    return text.lstrip("\ufeff \t\r\n").lower()


def sniff_kind(head: bytes) -> str:
    """ "warc", "feed", "html", "jsonl", "text", "binary" or "empty" from the first bytes."""
    if not head.strip():
        return "empty"
    if head.startswith(b"WARC/"):
        return "warc"
    if looks_binary(head):
        return "binary"
    text = _head_text(head)
    if _JSON_START.match(text):
        return "jsonl"
    feed, page = _FEED_ROOT.search(text), _HTML_ROOT.search(text)
    if feed and (not page or feed.start() < page.start()):
        return "feed"
    if page:
        return "html"
    if text.startswith("<?xml"):
        return "feed"  # XML that is not (X)HTML: the feed reader says whether it is a feed
    return "text"
