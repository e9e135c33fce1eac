"""A run freezes what was alive before it out of the cyclic GC, and thaws it afterwards."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from newsgraph.pipeline import Pipeline
from newsgraph.store import Store

SAMPLE = Path(__file__).resolve().parent.parent / "sample"


def test_run_thaws_the_gc_when_done(tmp_path: Path) -> None:
    gc.unfreeze()  # nothing frozen before the run
    frozen_before = gc.get_freeze_count()
    seen_during: list[int] = []
    with Store.open(tmp_path / "news.db") as store:
        summary = Pipeline(store, stages=()).run(
            [str(SAMPLE)], progress=lambda _p: seen_during.append(gc.get_freeze_count())
        )
    assert summary.stored == 5 and summary.ok
    assert seen_during and min(seen_during) > frozen_before  # frozen while running
    assert gc.get_freeze_count() == frozen_before


def test_run_thaws_the_gc_when_it_fails(tmp_path: Path) -> None:
    gc.unfreeze()
    frozen_before = gc.get_freeze_count()

    def fail(_progress: object) -> None:
        raise RuntimeError("stop")

    with Store.open(tmp_path / "news.db") as store, pytest.raises(RuntimeError):
        Pipeline(store, stages=()).run([str(SAMPLE)], progress=fail)
    assert gc.get_freeze_count() == frozen_before


def test_run_leaves_a_freeze_made_by_the_caller(tmp_path: Path) -> None:
    gc.freeze()  # e.g. a server that froze its startup objects
    try:
        frozen_before = gc.get_freeze_count()
        with Store.open(tmp_path / "news.db") as store:
            Pipeline(store, stages=()).run([str(SAMPLE)])
        assert gc.get_freeze_count() >= frozen_before
    finally:
        gc.unfreeze()
