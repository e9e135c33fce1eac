"""Atomic file output: readers see the old file or the whole new one, never half of it."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def temp_beside(path: Path) -> tuple[int, Path]:
    """A new temporary file (descriptor, path) in ``path``'s folder, for ``os.replace`` later.

    It gets the permissions a plain ``open(path, "w")`` would give (mkstemp makes it private),
    so an exported report is as readable as any other file the user writes.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.chmod(name, 0o666 & ~_umask())
    return fd, Path(name)


@contextmanager
def atomic_output(path: Path) -> Iterator[tuple[int, Path]]:
    """A temporary file (descriptor, path) beside ``path`` that replaces it on success."""
    fd, tmp = temp_beside(path)
    try:
        yield fd, tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
