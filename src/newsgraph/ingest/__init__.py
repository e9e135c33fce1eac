"""Readers: turn user inputs (files, folders, globs, feed URLs) into :class:`RawItem` s.

``read_inputs`` never raises for bad input: each failure is an ``ItemError`` in the stream
and reading goes on with the next item.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from newsgraph.ingest.options import ReadOptions
from newsgraph.ingest.sources import expand_inputs, read_source
from newsgraph.model import ItemError, RawItem

__all__ = ["ReadOptions", "expand_inputs", "read_inputs"]


def read_inputs(
    inputs: Sequence[str], options: ReadOptions | None = None
) -> Iterator[RawItem | ItemError]:
    """Every item of every input, streamed, in input order."""
    options = options or ReadOptions()
    for source in expand_inputs(inputs):
        if isinstance(source, ItemError):
            yield source
        else:
            yield from read_source(source, options)
