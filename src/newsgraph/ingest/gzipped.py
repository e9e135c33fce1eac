"""Transparent gzip for any input kind, with the cap applied to the *decompressed* size."""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from newsgraph.ingest.errors import ReadFailure, too_large

GZIP_MAGIC = b"\x1f\x8b"


def is_gzip(path: str) -> bool:
    with open(path, "rb") as f:
        return f.read(2) == GZIP_MAGIC


@contextmanager
def gzip_errors() -> Iterator[None]:
    """Turn the many ways a damaged gzip stream fails into ``ReadFailure`` s."""
    try:
        yield
    except EOFError:
        raise ReadFailure("truncated", "compressed data ends early (truncated gzip)") from None
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise ReadFailure("bad-gzip", f"corrupt gzip data: {exc}") from None


@contextmanager
def open_input(path: str) -> Iterator[BinaryIO]:
    """Open a file for binary reading, decompressing it if it starts with the gzip magic."""
    raw = open(path, "rb")  # noqa: SIM115 - closed below, wrapped when gzipped
    try:
        if raw.read(2) == GZIP_MAGIC:
            raw.seek(0)
            with gzip.GzipFile(fileobj=raw, mode="rb") as gz, gzip_errors():
                yield gz  # type: ignore[misc]
        else:
            raw.seek(0)
            yield raw
    finally:
        raw.close()


def read_capped(path: str, cap: int) -> bytes:
    """The whole (decompressed) content of a single-item file, refusing more than ``cap``."""
    with open(path, "rb") as raw:
        if raw.read(2) == GZIP_MAGIC:
            raw.seek(0)
            with gzip.GzipFile(fileobj=raw, mode="rb") as gz, gzip_errors():
                data = gz.read(cap + 1)
            if len(data) > cap:
                raise too_large(cap, "file (decompressed)")
            return data
        size = os.fstat(raw.fileno()).st_size
        if size > cap:
            raise too_large(cap, "file")
        raw.seek(0)
        # read(n) allocates n bytes up front: ask for the file's size (+1 to notice growth),
        # not for the cap, which cost more than reading a page.
        data = raw.read(size + 1)
        if len(data) > size:  # the file grew since fstat: read on up to the cap
            data += raw.read(cap + 1 - len(data))
    if len(data) > cap:
        raise too_large(cap, "file")
    return data


def read_head(path: str, size: int = 8192) -> bytes:
    """The first bytes of the (decompressed) content, for sniffing; what could be read."""
    return read_head_checked(path, size)[0]


def read_head_checked(path: str, size: int = 8192) -> tuple[bytes, ReadFailure | None]:
    """The first (decompressed) bytes, and the failure that cut them short, if any."""
    got = bytearray()
    try:
        with open_input(path) as f, gzip_errors():
            while len(got) < size:
                chunk = f.read1(size - len(got))  # read1: keeps what a damaged stream gave
                if not chunk:
                    break
                got += chunk
    except ReadFailure as failure:
        return bytes(got), failure
    return bytes(got), None
