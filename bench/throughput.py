"""Throughput and memory of ``newsgraph run`` against bare trafilatura, on a generated corpus.

    .venv/bin/python bench/throughput.py [--n 5000] [--workers-list 1,2] [--json PATH]
    .venv/bin/python bench/throughput.py --breakdown 300     # where one worker's time goes

Generates (or reuses, cached under ``bench/out/``) a synthetic corpus of news-like HTML pages
with ``bench/corpus.py``, then measures, each in a fresh subprocess so that memory is per run:

  trafilatura     ``trafilatura.bare_extraction`` of every page, single process: the floor
                  for any pipeline built on it
  newsgraph w=N   ``newsgraph.open(db).run([corpus], workers=N)`` into a fresh SQLite file:
                  reading, decoding, extraction, language, fingerprints, dedup and storage

and reports docs/second, wall seconds, peak RSS, newsgraph's overhead over trafilatura and
the speed-up from more workers, against the targets (overhead ≤ 25 %, 2 workers ≥ 1.7×).
``--profile`` adds a cProfile run of one worker and prints the top costs. ``--breakdown N``
instead times the pipeline's own functions (reader, trafilatura, language, fingerprints,
dedup, SQLite writes, garbage collection) in a warmed-up 1-worker run over the first N pages,
in CPU ms/doc, without a profiler's distortion.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"  # git-ignored

sys.path.insert(0, str(BENCH))
import corpus  # noqa: E402 - the generator sits next to this file

MAX_OVERHEAD = 0.25
MIN_SPEEDUP = 1.7


def _rss_mb(kb: int) -> float:
    return kb / 1024  # Linux reports ru_maxrss in KiB


def _cpu_seconds() -> float:
    """CPU time of this process and its joined children (pool workers), user + system."""
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _pages(corpus_dir: Path) -> list[Path]:
    return sorted(corpus_dir.glob("*.html"))


# --- children: one measurement each --------------------------------------------------------


def child_trafilatura(corpus_dir: Path) -> dict[str, Any]:
    import logging

    import trafilatura

    logging.disable(logging.CRITICAL)  # one warning per odd page would distort the timing
    pages = _pages(corpus_dir)
    empty = 0
    cpu, start = _cpu_seconds(), time.perf_counter()
    for path in pages:
        doc = trafilatura.bare_extraction(
            path.read_bytes(), with_metadata=True, include_comments=False, include_tables=True
        )
        empty += doc is None or not doc.text
    seconds = time.perf_counter() - start
    return {
        "docs": len(pages),
        "seconds": seconds,
        "cpu_seconds": _cpu_seconds() - cpu,
        "empty": empty,
    }


def child_newsgraph(
    inputs: list[str], db: str, workers: int, stages: tuple[str, ...]
) -> dict[str, Any]:
    import logging

    logging.disable(logging.CRITICAL)
    import newsgraph

    start = time.perf_counter()
    ng = newsgraph.open(db)
    cpu, opened = _cpu_seconds(), time.perf_counter()
    summary = ng.run(inputs, workers=workers, stages=stages)
    seconds = time.perf_counter() - opened
    cpu = _cpu_seconds() - cpu
    ng.close()
    return {
        "docs": summary.items,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "open_seconds": opened - start,
        "stored": summary.stored,
        "skipped": summary.skipped,
        "duplicates": summary.duplicates,
        "errors": len(summary.errors),
        "error_kinds": sorted({e.error for e in summary.errors}),
    }


# --- breakdown: per-function CPU time of one worker ---------------------------------------

# (label, module, attribute): functions timed in a 1-worker run; nested ones count inside
# their callers too. Missing ones (renamed in a later version) are skipped.
_BREAKDOWN_TARGETS = (
    ("read + decode (reader)", "newsgraph.pipeline", "read_inputs"),
    ("process_item (all per-doc work)", "newsgraph.pipeline", "process_item"),
    ("  clean_item", "newsgraph.pipeline", "clean_item"),
    ("    trafilatura (bare_extraction)", "newsgraph.clean.html", "_extract"),
    ("    figcaptions", "newsgraph.clean.html", "figcaptions"),
    ("    language", "newsgraph.clean.document", "detect_language"),
    ("      feature walk + scoring", "newsgraph.clean.language", "_TableWalkIdentifier._raw_score"),
    ("      py3langid scoring", "py3langid.langid", "LanguageIdentifier._sparse_score"),
    ("    text hash", "newsgraph.clean.document", "text_hash"),
    ("    fingerprints (hash + MinHash)", "newsgraph.clean.document", "fingerprints"),
    ("  minhash signature", "newsgraph.pipeline", "signature"),
    ("writer add (all writer work)", "newsgraph.pipeline", "_Writer.add"),
    ("  dedup assign", "newsgraph.dedup.index", "DuplicateIndex.assign"),
    ("  write_batch (SQLite)", "newsgraph.store.core", "Store.write_batch"),
    ("has_ids (skip check)", "newsgraph.store.core", "Store.has_ids"),
)


def _timed(fn: Any, acc: list[float], generator: bool = False) -> Any:
    import functools

    clock = time.process_time
    if generator:

        @functools.wraps(fn)
        def gen_wrapper(*a: Any, **k: Any) -> Any:
            it = fn(*a, **k)
            while True:
                t = clock()
                try:
                    item = next(it)
                except StopIteration:
                    acc[0] += clock() - t
                    return
                acc[0] += clock() - t
                yield item

        return gen_wrapper

    @functools.wraps(fn)
    def wrapper(*a: Any, **k: Any) -> Any:
        t = clock()
        try:
            return fn(*a, **k)
        finally:
            acc[0] += clock() - t

    return wrapper


def child_breakdown(corpus_dir: Path, n: int, db_dir: Path, stages: tuple[str, ...]) -> dict:
    import gc
    import importlib
    import inspect
    import logging

    logging.disable(logging.CRITICAL)
    import newsgraph

    pages = [str(p) for p in _pages(corpus_dir)]
    warm, timed = pages[n : n + 20], pages[:n]
    acc: dict[str, list[float]] = {}
    for label, module, attr in _BREAKDOWN_TARGETS:
        owner: Any = importlib.import_module(module)
        *path, name = attr.split(".")
        for part in path:
            owner = getattr(owner, part, None)
        fn = getattr(owner, name, None) if owner is not None else None
        if fn is None:
            continue
        acc[label] = [0.0]
        setattr(owner, name, _timed(fn, acc[label], inspect.isgeneratorfunction(fn)))
    ng = newsgraph.open(str(db_dir / "breakdown-warm.db"))
    ng.run(warm, workers=1, stages=stages)  # loads models, fills caches
    ng.close()
    for v in acc.values():
        v[0] = 0.0
    gc_time, gc_started = [0.0], [0.0]

    def on_gc(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            gc_started[0] = time.process_time()
        else:
            gc_time[0] += time.process_time() - gc_started[0]

    ng = newsgraph.open(str(db_dir / "breakdown.db"))
    gc.callbacks.append(on_gc)
    cpu = time.process_time()
    summary = ng.run(timed, workers=1, stages=stages)
    total = time.process_time() - cpu
    gc.callbacks.remove(on_gc)
    ng.close()
    return {
        "docs": summary.items,
        "stored": summary.stored,
        "duplicates": summary.duplicates,
        "total_ms": 1000 * total / len(timed),
        "parts_ms": {k: 1000 * v[0] / len(timed) for k, v in acc.items()}
        | {"garbage collection (in rows above)": 1000 * gc_time[0] / len(timed)},
    }


def _stages(value: str) -> tuple[str, ...]:
    return () if value == "none" else tuple(s.strip() for s in value.split(",") if s.strip())


def child_main(args: argparse.Namespace) -> int:
    if args.child == "trafilatura":
        result = child_trafilatura(Path(args.corpus))
    elif args.child == "breakdown":
        result = child_breakdown(Path(args.corpus), args.limit, Path(args.db), _stages(args.stages))
    else:
        inputs = [args.corpus]
        if args.limit:  # a subset for profiling: pass the files themselves
            inputs = [str(p) for p in _pages(Path(args.corpus))[: args.limit]]
        if args.profile_out:
            import cProfile

            prof = cProfile.Profile()
            result = prof.runcall(
                child_newsgraph, inputs, args.db, args.workers, _stages(args.stages)
            )
            prof.dump_stats(args.profile_out)
        else:
            result = child_newsgraph(inputs, args.db, args.workers, _stages(args.stages))
    result["rss_main_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Worker processes have been joined by now: their peak shows up here.
    result["rss_workers_kb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps(result))
    return 0


def measure(extra: list[str]) -> dict[str, Any]:
    """Run this script as a child and return its result plus wall time and peak RSS."""
    cmd = [sys.executable, str(Path(__file__).resolve()), *extra]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    # wait4 gives this child's own rusage (not the sum over earlier measurements).
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"measurement failed ({proc.returncode}): {' '.join(cmd)}\n{out}")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["process_wall_seconds"] = wall
    result["rss_peak_kb"] = usage.ru_maxrss  # the largest process of the run
    seconds = result.get("seconds")
    result["docs_per_second"] = result["docs"] / seconds if seconds else 0.0
    return result


# --- parent ----------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "-C", str(REPO), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    import trafilatura

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "memory_gb": mem_gb,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "trafilatura": trafilatura.__version__,
        "newsgraph_commit": commit or None,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }


def ensure_corpus(n: int, seed: int) -> tuple[Path, dict[str, Any]]:
    """The cached corpus for (n, seed, generator version), generated if missing or partial."""
    path = OUT / f"corpus-n{n}-s{seed}-v{corpus.GENERATOR_VERSION}"
    manifest_file = corpus.manifest_path(path)
    if manifest_file.exists():
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        if manifest.get("n") == n and len(_pages(path)) == n:
            return path, manifest
    start = time.perf_counter()
    print(f"generating {n} pages into {path} ...", flush=True)
    manifest = corpus.generate(path, n, seed)
    print(f"  done in {time.perf_counter() - start:.0f} s", flush=True)
    return path, manifest


def _warm_cache(pages: list[Path]) -> None:
    """Read every page once so the first measurement does not pay for a cold disk."""
    for p in pages:
        p.read_bytes()


def profile(corpus_dir: Path, limit: int, tmp: Path, stages: str, top: int = 30) -> str:
    import io
    import pstats

    prof_path = tmp / "newsgraph-w1.prof"
    measure(
        [
            "--child",
            "newsgraph",
            "--corpus",
            str(corpus_dir),
            "--db",
            str(tmp / "profile.db"),
            "--workers",
            "1",
            "--limit",
            str(limit),
            "--profile-out",
            str(prof_path),
            "--stages",
            stages,
        ]
    )
    buf = io.StringIO()
    stats = pstats.Stats(str(prof_path), stream=buf)
    stats.sort_stats("cumulative").print_stats(top)
    buf.write("\n--- by own time ---\n")
    stats.sort_stats("tottime").print_stats(top)
    return buf.getvalue()


def print_breakdown(corpus_dir: Path, n: int, stages: str, info: dict[str, Any]) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=OUT, prefix="breakdown-") as tmp:
        r = measure(
            [
                *("--child", "breakdown", "--corpus", str(corpus_dir), "--db", tmp),
                *("--limit", str(n), "--stages", stages),
            ]
        )
    print(
        f"\nCPU ms/doc over the first {n} pages, 1 worker, stages={stages}, warmed up "
        f"(stored {r['stored']}, duplicates {r['duplicates']}); nested rows are included in "
        "the row above them:"
    )
    for label, ms in r["parts_ms"].items():
        print(f"  {label:<36}{ms:>8.2f}")
    total = r["total_ms"]
    # Bare trafilatura run again over the same pages is no fair floor here: its caches
    # (htmldate's and its own) make a second pass over the same pages several ms faster.
    traf = r["parts_ms"].get("    trafilatura (bare_extraction)", 0.0)
    print(f"  {'newsgraph run, total':<36}{total:>8.2f}")
    own = total - traf
    print(
        f"  newsgraph's own work (total - trafilatura inside it): {own:.2f} ms/doc "
        f"({own / traf:+.1%} of trafilatura); load average "
        f"{info['load_average_before'][0]} before, {os.getloadavg()[0]:.2f} after"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=5000, help="pages in the corpus (at least 5000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers-list", default="1,2", help="newsgraph worker counts to measure")
    ap.add_argument(
        "--stages",
        default="none",
        help="NLP stages for the newsgraph runs (as `newsgraph run --stages`); the foundation "
        "targets compare with 'none', since trafilatura runs no NLP",
    )
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--profile", action="store_true", help="also cProfile one worker")
    ap.add_argument("--profile-n", type=int, default=1000, help="pages for the profile run")
    ap.add_argument(
        "--breakdown",
        type=int,
        default=0,
        metavar="N",
        help="only time the functions of a 1-worker run over the first N pages (CPU ms/doc)",
    )
    ap.add_argument("--skip-trafilatura", action="store_true", help=argparse.SUPPRESS)
    # Child-process mode (one measurement); not for direct use.
    ap.add_argument(
        "--child", choices=("trafilatura", "newsgraph", "breakdown"), help=argparse.SUPPRESS
    )
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    ap.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--limit", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--profile-out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child_main(args)

    if args.n < 5000:
        print(f"note: --n {args.n} is below the 5,000 pages the published figures use")
    workers_list = [int(w) for w in args.workers_list.split(",") if w.strip()]
    info = machine()
    print(
        f"machine: {info['cpu']}, {info['cores']} cores ({info['usable_cores']} usable), "
        f"{info['memory_gb']} GB; Python {info['python']}; trafilatura {info['trafilatura']}; "
        f"newsgraph {info['newsgraph_commit']}; {info['date']}; "
        f"load average {info['load_average_before'][0]}"
    )
    corpus_dir, manifest = ensure_corpus(args.n, args.seed)
    pages = _pages(corpus_dir)
    _warm_cache(pages)
    print(
        f"corpus: {len(pages)} pages, {manifest['bytes'] / 1e6:.0f} MB "
        f"({manifest['bytes'] / len(pages) / 1024:.0f} KB/page), "
        f"{manifest['near_duplicates']} near- and {manifest['exact_duplicates']} exact duplicates; "
        f"{corpus_dir}"
    )

    if args.breakdown:
        return print_breakdown(corpus_dir, args.breakdown, args.stages, info)

    runs: dict[str, dict[str, Any]] = {}
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=OUT, prefix="throughput-") as tmp_name:
        tmp = Path(tmp_name)
        if not args.skip_trafilatura:
            print("measuring trafilatura ...", flush=True)
            runs["trafilatura"] = measure(["--child", "trafilatura", "--corpus", str(corpus_dir)])
        for w in workers_list:
            print(f"measuring newsgraph, {w} worker(s), stages={args.stages} ...", flush=True)
            runs[f"newsgraph w={w}"] = measure(
                [
                    "--child",
                    "newsgraph",
                    "--corpus",
                    str(corpus_dir),
                    "--db",
                    str(tmp / f"w{w}.db"),
                    "--workers",
                    str(w),
                    "--stages",
                    args.stages,
                ]
            )
        profile_text = (
            profile(corpus_dir, args.profile_n, tmp, args.stages) if args.profile else None
        )

    print()
    head = f"{'run':<16}{'docs':>6}{'seconds':>9}{'docs/s':>8}{'CPU s':>8}{'CPU ms/doc':>12}"
    head += f"{'RSS main':>10}{'RSS worker':>12}"
    print(head)
    print("-" * len(head))
    for name, r in runs.items():
        worker = f"{_rss_mb(r['rss_workers_kb']):.0f} MB" if name != "trafilatura" else "-"
        if name.endswith("w=1"):
            worker = "- (in main)"
        print(
            f"{name:<16}{r['docs']:>6}{r['seconds']:>9.1f}{r['docs_per_second']:>8.1f}"
            f"{r['cpu_seconds']:>8.1f}{1000 * r['cpu_seconds'] / r['docs']:>12.1f}"
            f"{_rss_mb(r['rss_main_kb']):>7.0f} MB{worker:>12}"
        )
    for name, r in runs.items():
        if name.startswith("newsgraph"):
            kinds = ", ".join(r["error_kinds"]) or "-"
            print(
                f"{name}: stored {r['stored']}, duplicates {r['duplicates']}, skipped "
                f"{r['skipped']}, errors {r['errors']} ({kinds}); open {r['open_seconds']:.2f} s"
            )

    load = os.getloadavg()[0]
    info["load_average_after"] = round(load, 2)
    if max(load, info["load_average_before"][0]) > 0.5 * (info["usable_cores"] or 1):
        # Other processes competing for the cores distort speed and especially speed-up.
        print(f"WARNING: machine busy (load average {load:.1f}); figures are pessimistic")
    verdicts: dict[str, Any] = {}
    base, one = runs.get("trafilatura"), runs.get("newsgraph w=1")
    if base and one:
        overhead = one["seconds"] / base["seconds"] - 1
        cpu_overhead = one["cpu_seconds"] / base["cpu_seconds"] - 1
        # Judged on CPU time: wall time swings with whatever else the machine runs between
        # the two measurements (both are single-process, so on a quiet machine they agree).
        ok = cpu_overhead <= MAX_OVERHEAD
        verdicts["overhead"] = {
            "value": overhead,
            "cpu_value": cpu_overhead,
            "cpu_ms_per_doc": 1000
            * (one["cpu_seconds"] / one["docs"] - base["cpu_seconds"] / base["docs"]),
            "target": MAX_OVERHEAD,
            "met": ok,
        }
        print(
            f"overhead of newsgraph (1 worker) over bare trafilatura: {cpu_overhead:+.1%} CPU "
            f"({verdicts['overhead']['cpu_ms_per_doc']:.1f} ms/doc), {overhead:+.1%} wall "
            f"(target ≤ {MAX_OVERHEAD:.0%} CPU: {'met' if ok else 'NOT met'})"
        )
    for w in workers_list:
        r = runs.get(f"newsgraph w={w}")
        if one and r and w > 1:
            speedup = r["docs_per_second"] / one["docs_per_second"]
            target = MIN_SPEEDUP if w == 2 else None
            verdicts[f"speedup_w{w}"] = {
                "value": speedup,
                "target": target,
                "met": None if target is None else speedup >= target,
            }
            goal = f" (target ≥ {target}×: {'met' if speedup >= target else 'NOT met'})"
            # CPU per doc shows the parallel overhead independently of other load.
            cpu_ratio = (r["cpu_seconds"] / r["docs"]) / (one["cpu_seconds"] / one["docs"])
            verdicts[f"speedup_w{w}"]["cpu_per_doc_ratio"] = cpu_ratio
            print(
                f"speed-up of {w} workers over 1: {speedup:.2f}×{goal if target else ''}; "
                f"CPU per doc {cpu_ratio:.2f}× that of 1 worker"
            )
    if profile_text:
        print(f"\ncProfile of newsgraph, 1 worker, first {args.profile_n} pages:\n{profile_text}")

    if args.json:
        report = {
            "bench": "throughput",
            "machine": info,
            "corpus": {k: v for k, v in manifest.items() if k != "pages"}
            | {"path": str(corpus_dir)},
            "runs": runs,
            "verdicts": verdicts,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
