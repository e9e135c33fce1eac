"""HTML files (.html, .htm, .xhtml, also gzipped) → one RawItem of kind "html" each."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from newsgraph.ids import content_id
from newsgraph.ingest.decode import decode_bytes
from newsgraph.ingest.gzipped import read_capped
from newsgraph.ingest.options import ReadOptions
from newsgraph.model import ItemError, RawItem

_TAG = {
    # [^<>] rather than [^>]: a scan stops at the next "<", so hostile markup full of
    # unclosed tags cannot make these searches quadratic.
    "link": re.compile(r"<link\b[^<>]*>", re.I),
    "meta": re.compile(r"<meta\b[^<>]*>", re.I),
}
_ATTR = re.compile(r"""([a-zA-Z_:][-\w:.]*)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")
_HEAD_CHARS = 256 * 1024  # canonical links live in <head>; never regex a whole huge page


def _attrs(tag: str) -> dict[str, str]:
    return {k.lower(): html.unescape(v.strip("\"'")).strip() for k, v in _ATTR.findall(tag)}


def page_url(markup: str) -> str | None:
    """The page's own URL from ``<link rel=canonical>`` or ``og:url``, if absolute http(s)."""
    head = markup[:_HEAD_CHARS]
    candidates: list[str] = []
    for tag in _TAG["link"].findall(head):
        attrs = _attrs(tag)
        if "canonical" in attrs.get("rel", "").lower().split():
            candidates.append(attrs.get("href", ""))
    for tag in _TAG["meta"].findall(head):
        attrs = _attrs(tag)
        if (attrs.get("property") or attrs.get("name") or "").lower() == "og:url":
            candidates.append(attrs.get("content", ""))
    for url in candidates:
        if re.match(r"^https?://[^\s/]+", url, re.I) and not re.search(r"\s", url):
            return url
    return None


def html_item(
    raw: bytes,
    input: str,
    *,
    charset: str | None = None,
    url: str | None = None,
    locator: str | None = None,
    extra: dict | None = None,
    prefer_canonical: bool = True,
) -> RawItem:
    """A kind-"html" item from raw bytes (raises ``ReadFailure`` on binary/empty input).

    ``url`` is where the bytes came from; the page's own canonical URL wins over it unless
    ``prefer_canonical`` is off (then the canonical one goes to ``extra``)."""
    markup = decode_bytes(raw, charset)
    canonical = page_url(markup)
    extra = dict(extra or {})
    if not prefer_canonical and canonical and canonical != url:
        extra["canonical_url"] = canonical
    return RawItem(
        id=content_id("html", raw),
        input=input,
        locator=locator,
        kind="html",
        content=markup,
        url=(canonical or url) if prefer_canonical else (url or canonical),
        extra=extra,
    )


def read_html_file(path: str, options: ReadOptions) -> Iterator[RawItem | ItemError]:
    yield html_item(read_capped(path, options.max_item_bytes), path)
