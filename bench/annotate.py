"""Time `annotate` against `run`: the NLP stages added to stored documents later, or at once.

Three fresh SQLite stores per repeat, over the same input:

- ``run``: every stage while ingesting (the default);
- ``run --stages none`` then ``annotate`` (the two times and their sum);
- ``annotate --all`` over the store ``run`` filled (re-annotation with an entity rebuild).

Prints the median of each (after one untimed warm-up pass) with the date, machine, load and
command, and checks that the split path exported the same files as the direct one.

    .venv/bin/python bench/annotate.py [--input sample/] [--repeat 3] [--workers 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import newsgraph

REPO = Path(__file__).resolve().parent.parent
FILES = ("documents.jsonl", "entities.jsonl", "stories.jsonl", "captions.jsonl")


def _export(db: Path, out: Path) -> dict[str, list[str]]:
    with newsgraph.open(db) as ng:
        ng.export(out)
    return {f: sorted((out / f).read_text(encoding="utf-8").splitlines()) for f in FILES}


def _timed(fn) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", default=str(REPO / "sample"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args(argv)

    from newsgraph.nlp import load_nlp

    load_nlp()  # the model load is not what is measured
    times: dict[str, list[float]] = {"run": [], "ingest": [], "annotate": [], "all": []}
    same = True
    tmp = Path(tempfile.mkdtemp(prefix="ng-annotate-"))
    try:
        # Warm-up (not timed): lazy imports and data files load on first use, in whichever
        # path comes first.
        with newsgraph.open(tmp / "warm.db") as ng:
            ng.run([args.input], workers=args.workers, stages=[])
            ng.annotate(workers=args.workers)
        for i in range(args.repeat):
            full, split = tmp / f"full{i}.db", tmp / f"split{i}.db"
            with newsgraph.open(full) as ng:
                times["run"].append(_timed(lambda: ng.run([args.input], workers=args.workers)))
            with newsgraph.open(split) as ng:
                times["ingest"].append(
                    _timed(lambda: ng.run([args.input], workers=args.workers, stages=[]))
                )
                times["annotate"].append(_timed(lambda: ng.annotate(workers=args.workers)))
            same &= _export(full, tmp / f"a{i}") == _export(split, tmp / f"b{i}")
            with newsgraph.open(full) as ng:
                times["all"].append(
                    _timed(lambda: ng.annotate(workers=args.workers, only_missing=False))
                )
        with newsgraph.open(tmp / "full0.db") as ng:
            docs = ng.stats().documents
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"# {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"# command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"# input {args.input}: {docs} documents, median of {args.repeat}, "
          f"{args.workers} worker(s)")  # fmt: skip
    print(f"run (all stages)                 {med['run']:7.2f} s")
    print(f"run --stages none                {med['ingest']:7.2f} s")
    print(f"annotate (entities,quotes,events){med['annotate']:7.2f} s")
    print(f"  none + annotate                {med['ingest'] + med['annotate']:7.2f} s "
          f"({(med['ingest'] + med['annotate']) / med['run']:.2f}x run)")  # fmt: skip
    print(f"annotate --all (rebuild)         {med['all']:7.2f} s")
    print(f"same export as run: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
