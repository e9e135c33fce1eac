"""Atomic output files: replaced whole, with the permissions of an ordinary new file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from newsgraph.atomic import atomic_output


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_output_gets_umask_permissions_not_private(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        target = tmp_path / "sub" / "report.html"
        with atomic_output(target) as (fd, _), os.fdopen(fd, "w") as fh:
            fh.write("<p>x</p>")
        plain = tmp_path / "plain.txt"
        plain.write_text("x")
    finally:
        os.umask(old)
    assert target.read_text() == "<p>x</p>"
    assert _mode(target) == _mode(plain) == 0o644


def test_failure_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "documents.jsonl"
    target.write_text("old\n")
    with (
        pytest.raises(RuntimeError),
        atomic_output(target) as (fd, _),
        os.fdopen(fd, "w") as fh,
    ):
        fh.write("half")
        raise RuntimeError("disk full")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["documents.jsonl"]
