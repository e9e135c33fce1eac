"""WARC archives (.warc, .warc.gz) → one kind-"html" RawItem per HTML response record.

Records that are not HTTP 200 HTML responses (requests, metadata, redirects, images...) are
skipped silently: an archive is mostly such records. A truncated or corrupt archive yields the
records before the damage, then one ``ItemError``.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator

from newsgraph.ingest.errors import ReadFailure, item_error
from newsgraph.ingest.gzipped import GZIP_MAGIC, read_head_checked
from newsgraph.ingest.html_files import html_item
from newsgraph.ingest.options import ReadOptions
from newsgraph.model import ItemError, RawItem

_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_DRAIN = 1 << 16


def _media_type(value: str | None) -> tuple[str, str | None]:
    """("text/html", "utf-8") from a Content-Type header value."""
    if not value:
        return "", None
    parts = [p.strip() for p in value.split(";")]
    charset = None
    for p in parts[1:]:
        key, _, val = p.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'") or None
    return parts[0].lower(), charset


def _html_payload(record: Any) -> tuple[str | None, bool]:
    """(charset, is_wanted) for a record: HTTP 200 HTML responses and HTML resources."""
    if record.rec_type == "response":
        http = record.http_headers
        if http is None or http.get_statuscode() != "200":
            return None, False
        media, charset = _media_type(http.get_header("Content-Type"))
    elif record.rec_type == "resource":
        media, charset = _media_type(record.rec_headers.get_header("Content-Type"))
    else:
        return None, False
    return charset, media in _HTML_TYPES


def _drain_and_check(record: Any, locator: str) -> None:
    """Read what is left of the record; a short record means the archive was cut."""
    stream = record.raw_stream
    while stream.read(_DRAIN):
        pass
    if getattr(stream, "limit", 0) > 0:
        raise ReadFailure(
            "truncated", "the archive ends in the middle of a record", locator=locator
        )


class _GzipStream(io.RawIOBase):
    """Decompressed view of a (multi-member) gzip file that ends quietly where the data ends
    and remembers whether that end was a cut: warcio reads ahead in big blocks, and a plain
    ``GzipFile.read`` would drop the last good block along with the EOFError."""

    def __init__(self, raw: BinaryIO) -> None:
        self._gz = gzip.GzipFile(fileobj=raw, mode="rb")
        self.truncated = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.truncated:
            return 0
        try:
            chunk = self._gz.read1(len(buffer))
        except EOFError:
            self.truncated = True
            return 0
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _records(f: BinaryIO, path: str, options: ReadOptions) -> Iterator[RawItem | ItemError]:
    cap = options.max_item_bytes
    number = 0
    for record in ArchiveIterator(f):
        number += 1
        locator = f"record {number}"
        charset, wanted = _html_payload(record)
        if wanted:
            payload = record.content_stream().read(cap + 1)
            if len(payload) > cap:
                yield item_error(
                    path, "too-large", f"record payload is over {cap:,} bytes", locator=locator
                )
            else:
                _drain_and_check(record, locator)
                headers = record.rec_headers
                extra = {
                    "warc_date": headers.get_header("WARC-Date"),
                    "warc_record_id": headers.get_header("WARC-Record-ID"),
                }
                try:
                    yield html_item(
                        payload,
                        path,
                        charset=charset,
                        locator=locator,
                        url=headers.get_header("WARC-Target-URI"),
                        extra=extra,
                        prefer_canonical=False,  # the archive says where the page was fetched
                    )
                except ReadFailure as failure:
                    yield failure.to_error(path, locator)
        _drain_and_check(record, locator)
    if number == 0:
        raise ReadFailure("empty", "no WARC records in the file")


def read_warc_file(path: str, options: ReadOptions) -> Iterator[RawItem | ItemError]:
    head, damage = read_head_checked(path, 64)
    if damage and len(head) < 64:
        raise damage
    if not head.strip():
        raise ReadFailure("empty", "the file is empty")
    if not head.startswith((b"WARC/", b"filedesc://")):
        # warcio would try to read anything as an old ARC file, finding nothing and saying so
        # only on stderr.
        raise ReadFailure("bad-warc", "not a WARC archive (no WARC/ header)", stage="decode")
    with open(path, "rb") as raw:
        gzipped = raw.read(2) == GZIP_MAGIC
        raw.seek(0)
        # Decompress ourselves: warcio's own decompression stops silently at a cut, hiding
        # the damage; ours notices it.
        stream = _GzipStream(raw) if gzipped else None
        f: BinaryIO = io.BufferedReader(stream) if stream else raw  # type: ignore[assignment]
        try:
            yield from _records(f, path, options)
            if stream and stream.truncated:
                raise ReadFailure("truncated", "the compressed archive ends early")
        except ReadFailure:
            raise
        except EOFError:
            raise ReadFailure("truncated", "the compressed archive ends early") from None
        except (OSError, zlib.error) as exc:
            raise ReadFailure("bad-gzip", f"corrupt gzip data in the archive: {exc}") from None
        except Exception as exc:  # warcio raises assorted parse errors on damaged archives
            raise ReadFailure("bad-warc", f"cannot parse the archive: {exc}") from None
