"""read_capped reads a whole file, plain or gzipped, and refuses one byte over the cap."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from newsgraph.ingest.errors import ReadFailure
from newsgraph.ingest.gzipped import read_capped


@pytest.mark.parametrize("size", [0, 1, 2, 999, 1000])
def test_plain_file_up_to_the_cap_is_read_whole(tmp_path: Path, size: int) -> None:
    data = bytes(range(256)) * 4
    path = tmp_path / "page.html"
    path.write_bytes(data[:size])
    assert read_capped(str(path), 1000) == data[:size]


def test_plain_file_over_the_cap_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(b"x" * 1001)
    with pytest.raises(ReadFailure) as info:
        read_capped(str(path), 1000)
    assert info.value.error == "too-large"


def test_gzipped_file_is_capped_on_its_decompressed_size(tmp_path: Path) -> None:
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(b"<p>" + b"a" * 997))  # 1000 bytes decompressed
    assert read_capped(str(path), 1000) == b"<p>" + b"a" * 997
    path.write_bytes(gzip.compress(b"a" * 1001))  # small on disk, over the cap inside
    with pytest.raises(ReadFailure) as info:
        read_capped(str(path), 1000)
    assert info.value.error == "too-large"
