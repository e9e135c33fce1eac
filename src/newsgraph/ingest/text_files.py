"""Plain-text files (.txt, .text, also gzipped) → one RawItem of kind "text" each."""

from __future__ import annotations

from collections.abc import Iterator

from newsgraph.ids import content_id
from newsgraph.ingest.decode import decode_bytes
from newsgraph.ingest.gzipped import read_capped
from newsgraph.ingest.options import ReadOptions
from newsgraph.model import ItemError, RawItem


def text_item(
    raw: bytes, input: str, *, charset: str | None = None, url: str | None = None
) -> RawItem:
    return RawItem(
        id=content_id("text", raw),
        input=input,
        kind="text",
        content=decode_bytes(raw, charset),
        url=url,
    )


def read_text_file(path: str, options: ReadOptions) -> Iterator[RawItem | ItemError]:
    yield text_item(read_capped(path, options.max_item_bytes), path)
