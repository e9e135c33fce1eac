"""Inputs → concrete sources (expand folders and globs), and source → the right reader."""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Callable, Iterator, Sequence

from newsgraph.ingest.errors import ReadFailure, item_error
from newsgraph.ingest.feeds import read_feed_file, read_url
from newsgraph.ingest.fetch import is_url
from newsgraph.ingest.gzipped import read_head
from newsgraph.ingest.html_files import read_html_file
from newsgraph.ingest.jsonl import read_jsonl_file
from newsgraph.ingest.options import ReadOptions
from newsgraph.ingest.sniff import kind_by_extension, sniff_kind
from newsgraph.ingest.text_files import read_text_file
from newsgraph.ingest.warc import read_warc_file
from newsgraph.model import ItemError, RawItem

Reader = Callable[[str, ReadOptions], Iterator[RawItem | ItemError]]

READERS: dict[str, Reader] = {
    "html": read_html_file,
    "text": read_text_file,
    "jsonl": read_jsonl_file,
    "warc": read_warc_file,
    "feed": read_feed_file,
}
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_GLOB_CHARS = re.compile(r"[*?\[]")


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _walk(folder: str) -> list[str]:
    """Files under ``folder``, recursively, skipping hidden files and folders."""
    found = []
    for root, dirs, files in os.walk(folder):  # symlinked folders are not followed: no loops
        dirs[:] = [d for d in dirs if not _hidden(d)]
        for name in files:
            path = os.path.join(root, name)
            # Regular files only: opening a FIFO or a device found in a folder would hang.
            if not _hidden(name) and os.path.isfile(path):
                found.append(path)
    return sorted(found)


def _expand_one(spec: str) -> list[str] | ItemError:
    if is_url(spec):
        return [spec]
    if _SCHEME.match(spec):
        return item_error(
            spec,
            "unsupported",
            "only files, folders, globs and http(s) URLs are read",
            stage="read",
        )
    path = os.path.expanduser(spec)
    if os.path.isdir(path):
        files = _walk(path)
        return files or item_error(spec, "empty", "the folder has no (non-hidden) files")
    if os.path.isfile(path):
        return [path]
    if _GLOB_CHARS.search(path):
        found: list[str] = []
        for match in sorted(glob.glob(path, recursive=True)):  # glob skips dot-files itself
            if os.path.isdir(match):
                found.extend(_walk(match))
            elif os.path.isfile(match):
                found.append(match)
        return sorted(set(found)) or item_error(spec, "not-found", "the pattern matches no files")
    if os.path.lexists(path):
        return item_error(
            spec, "unsupported", "not a regular file or folder (broken link, device, pipe...)"
        )
    return item_error(spec, "not-found", "no such file or folder")


def expand_inputs(inputs: Sequence[str]) -> Iterator[str | ItemError]:
    """Concrete sources (file paths and URLs) for user inputs, in input order; a folder's or
    a glob's files come sorted; a source reached twice is read once."""
    seen: set[str] = set()
    for spec in inputs:
        expanded = _expand_one(spec)
        if isinstance(expanded, ItemError):
            yield expanded
            continue
        for source in expanded:
            key = source if is_url(source) else os.path.normcase(os.path.realpath(source))
            if key not in seen:
                seen.add(key)
                yield source


def reader_for(path: str) -> Reader:
    kind = kind_by_extension(path)
    if kind is None:
        kind = sniff_kind(read_head(path))
        if kind == "binary":
            raise ReadFailure("binary", "binary data of an unknown kind", stage="decode")
        if kind == "empty":
            raise ReadFailure("empty", "the file is empty", stage="decode")
    return READERS[kind]


def read_source(source: str, options: ReadOptions) -> Iterator[RawItem | ItemError]:
    """Items of one concrete source; failures become ``ItemError`` s, never exceptions."""
    try:
        if is_url(source):
            yield from read_url(source, options)
        else:
            yield from reader_for(source)(source, options)
    except ReadFailure as failure:
        yield failure.to_error(source)
    except OSError as exc:  # permission denied, vanished file, I/O error
        yield item_error(source, "unreadable", f"cannot read: {exc.strerror or exc}")
