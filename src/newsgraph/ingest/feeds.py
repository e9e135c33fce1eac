"""RSS 0.9x/1.0/2.0 and Atom feeds → one RawItem per entry.

Every feed is first parsed with defusedxml, which refuses entity declarations and external
references: a billion-laughs or XXE feed is an ``ItemError`` and is never expanded. Only then
does feedparser (which also sanitises entry HTML) read it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import json
import re
import time
import urllib.parse
from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from newsgraph.ids import content_id
from newsgraph.ingest.errors import ReadFailure, item_error
from newsgraph.ingest.fetch import fetch, host_is_public, is_url
from newsgraph.ingest.gzipped import read_capped
from newsgraph.ingest.html_files import html_item
from newsgraph.ingest.options import ReadOptions
from newsgraph.ingest.sniff import sniff_kind
from newsgraph.model import ItemError, RawItem

SHORT_TEXT = 400  # characters of visible text below which an entry is "just a teaser"
_TAGS = re.compile(r"<[^<>]*>")  # [^<>]: linear even on unclosed "<<<<" runs
_WS = re.compile(r"\s+")
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)


def check_xml(data: bytes) -> bool:
    """True if well-formed; False if malformed (feedparser may still cope);
    raises ``ReadFailure`` "xml-bomb" on entity declarations or external references."""
    try:
        # A plain DOCTYPE is allowed (RSS 0.91 feeds carry one); what makes XML dangerous is
        # an entity declaration (expansion bombs, XXE) or an external reference, and those
        # are refused here before any other parser sees the bytes.
        SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
        return True
    except defusedxml.DefusedXmlException as exc:
        raise ReadFailure(
            "xml-bomb",
            f"refused: the XML declares entities or external references ({exc})",
            stage="decode",
        ) from None
    except (ParseError, ValueError):
        # Malformed XML never reaches the entity handlers; refuse entity declarations anyway
        # so the lenient parser that comes next cannot be used to expand them.
        if _ENTITY_DECL.search(data) or _ENTITY_DECL.search(data.replace(b"\x00", b"")):
            raise ReadFailure(
                "xml-bomb", "refused: malformed XML with entity declarations", stage="decode"
            ) from None
        return False


def visible_text(markup: str) -> str:
    return _WS.sub(" ", html.unescape(_TAGS.sub(" ", markup))).strip()


def _entry_content(entry: Any) -> tuple[str, str]:
    """(content, media type): the longest of content:encoded / content / summary."""
    best, media = "", "text/html"
    for part in entry.get("content") or []:
        value = part.get("value") or ""
        if len(value) > len(best):
            best, media = value, part.get("type") or "text/html"
    summary = entry.get("summary") or ""
    if len(summary) > len(best):
        best = summary
        media = (entry.get("summary_detail") or {}).get("type") or "text/html"
    return best, media.lower()


def _date(entry: Any) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            try:
                return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
            except ValueError:
                continue
    return None


def _authors(entry: Any) -> list[str]:
    names = [a.get("name") for a in entry.get("authors") or [] if isinstance(a, dict)]
    names = [n.strip() for n in names if isinstance(n, str) and n.strip()]
    if not names and isinstance(entry.get("author"), str) and entry["author"].strip():
        names = [entry["author"].strip()]
    return list(dict.fromkeys(names))


def _language(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return re.split(r"[-_]", value.strip().lower())[0] or None


def _fetch_article(link: str, input: str, locator: str, options: ReadOptions) -> RawItem:
    page = fetch(link, options)
    kind = sniff_kind(page.data[:8192])
    if kind != "html" and "html" not in page.content_type:
        raise ReadFailure(
            "unsupported",
            f"article {link} is {page.content_type or kind}, not HTML",
            stage="fetch",
        )
    return html_item(page.data, input, charset=page.charset, url=page.url, locator=locator)


def read_feed_bytes(
    data: bytes,
    input: str,
    options: ReadOptions,
    *,
    source_url: str | None = None,
    content_type: str | None = None,
) -> Iterator[RawItem | ItemError]:
    """Entries of the feed in ``data``; ``source_url`` is set when it was fetched."""
    well_formed = check_xml(data)
    import feedparser  # imported late: slow to load and only needed for feeds

    headers = {"content-location": source_url} if source_url else {}
    if content_type:
        headers["content-type"] = content_type
    try:
        # A file object, never a string: feedparser treats strings as URLs or paths to open.
        parsed = feedparser.parse(
            io.BytesIO(data),
            response_headers=headers,
            sanitize_html=True,
            resolve_relative_uris=True,
        )
    except Exception as exc:  # feedparser rarely raises; when it does, the input is at fault
        raise ReadFailure("bad-xml", f"cannot parse the feed: {exc}", stage="decode") from None
    if not parsed.get("version") and not parsed.get("entries"):
        if well_formed:
            raise ReadFailure("unsupported", "XML document, but not an RSS or Atom feed")
        problem = parsed.get("bozo_exception")
        raise ReadFailure("bad-xml", f"malformed XML: {problem}", stage="decode")
    if not parsed.entries:
        raise ReadFailure("empty", "the feed has no entries")

    feed = parsed.feed
    outlet = feed.get("title") or None
    feed_url = source_url
    if not feed_url:
        selfs = [ln.get("href") for ln in feed.get("links") or [] if ln.get("rel") == "self"]
        feed_url = selfs[0] if selfs else None
    can_fetch = bool(source_url) and options.fetch_articles
    if can_fetch and options.allow_private_hosts and source_url:
        # A feed served from a public address could otherwise point us at internal services.
        host = urllib.parse.urlsplit(source_url).hostname or ""
        if host_is_public(host):
            options = dataclasses.replace(options, allow_private_hosts=False)
    for number, entry in enumerate(parsed.entries, 1):
        locator = f"entry {number}"
        content, media = _entry_content(entry)
        link = entry.get("link") or None
        title = entry.get("title") or None
        kind = "text" if media == "text/plain" else "html"
        extra: dict[str, Any] = {
            "feed": input,
            "feed_url": feed_url,
            "entry_id": entry.get("id"),
            "tags": [t.get("term") for t in entry.get("tags") or [] if t.get("term")],
        }
        # Identity comes from the entry as the feed gave it, so a re-read gives the same id
        # even if the linked page has changed since.
        canonical = json.dumps([link, title, content], ensure_ascii=False)
        item_id = content_id(kind, canonical)
        try:
            if can_fetch and link and len(visible_text(content)) < SHORT_TEXT:
                page = _fetch_article(link, input, locator, options)
                extra["entry_summary"] = content
                kind, content = "html", page.content
                extra["article_url"] = page.url
            elif not content.strip():
                raise ReadFailure("empty", "the entry has no text")
        except ReadFailure as failure:
            yield failure.to_error(input, locator)
            continue
        yield RawItem(
            id=item_id,
            input=input,
            locator=locator,
            kind=kind,  # type: ignore[arg-type]
            content=content,
            url=link,
            title=title,
            authors=_authors(entry),
            published=_date(entry),
            outlet=outlet,
            language=_language(entry.get("language") or feed.get("language")),
            extra=extra,
        )


def read_feed_file(path: str, options: ReadOptions) -> Iterator[RawItem | ItemError]:
    data = read_capped(path, options.max_item_bytes)
    if not data.strip():
        raise ReadFailure("empty", "the file is empty", stage="decode")
    yield from read_feed_bytes(data, path, options)


def read_url(url: str, options: ReadOptions) -> Iterator[RawItem | ItemError]:
    """A feed URL (entries), or any other page URL (one kind-"html" or "text" item)."""
    from newsgraph.ingest.text_files import text_item

    if not is_url(url):
        yield item_error(url, "unsupported", "only http and https URLs are read", stage="fetch")
        return
    res = fetch(url, options)
    kind = sniff_kind(res.data[:8192])
    media = res.content_type
    if kind == "feed" or media.endswith(("rss+xml", "atom+xml", "rdf+xml")):
        yield from read_feed_bytes(res.data, url, options, source_url=res.url, content_type=media)
    elif kind == "html" or media in {"text/html", "application/xhtml+xml"}:
        yield html_item(res.data, url, charset=res.charset, url=res.url)
    elif kind == "text" and media in {"", "text/plain"}:
        yield text_item(res.data, url, charset=res.charset, url=res.url)
    elif kind == "empty":
        raise ReadFailure("empty", f"{url} returned no content", stage="fetch")
    else:
        raise ReadFailure(
            "unsupported", f"{url} is {media or kind}, not a feed or a page", stage="fetch"
        )
