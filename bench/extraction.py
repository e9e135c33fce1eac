"""Main-text extraction quality on trafilatura's own evaluation set (990 pages).

Scores, in one run and on the same pages:

  trafilatura        ``trafilatura.extract`` with upstream's benchmark options
  newsgraph          ``newsgraph.clean.html.extract_html`` on the markup and page URL that
                     newsgraph's HTML reader makes of the bytes (``html_item``: its decoder
                     plus the canonical link); falls back to ``decode_bytes``, then UTF-8
  newsgraph-utf8     the same extractor on bytes decoded as UTF-8 with replacement, so the
                     effect of decoding is visible separately from the extractor

Scoring follows upstream's ``tests/eval_common.py`` (see the data set's PROVENANCE.md):
whitespace- and NFC-normalised substring tests (NFC is our addition, applied to all
systems); tp/fn over "with" segments, fp/tn over "without" segments; a crash or no output
counts as every "with" segment missed. Metadata accuracy
(title, date) is scored on the pages whose gold has them.

    .venv/bin/python bench/extraction.py [--limit N] [--workers 2] [--json PATH]

The data is read at run time from ``../shared/data/trafilatura_eval`` (next to the repo);
nothing from it is copied here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import inspect
import json
import logging
import os
import platform
import re
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from multiprocessing import Pool
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "trafilatura_eval"

# Upstream's canonical options for its published figures.
TRAFILATURA_OPTS: dict[str, bool] = {
    "include_comments": False,
    "include_tables": True,
    "include_formatting": False,
}

SYSTEMS = ("trafilatura", "newsgraph", "newsgraph-utf8")

_WS = re.compile(r"\s+")


def norm(text: str) -> str:
    # NFC on top of upstream's whitespace normalisation, for every system alike: newsgraph
    # stores composed Unicode, which is the same text and must not count as a miss.
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def count(with_: list[str], without: list[str], output: str | None) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn) for one page; ``None`` output misses every "with" segment."""
    if output is None:
        return 0, 0, len(with_), len(without)
    out = norm(output)
    tp = sum(1 for seg in with_ if norm(seg) in out)
    fp = sum(1 for seg in without if norm(seg) in out)
    return tp, fp, len(with_) - tp, len(without) - fp


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


# --- decoding -------------------------------------------------------------------------------

# Bytes to (markup, page URL): what newsgraph's HTML reader hands to the extractor.
Reader = Callable[[bytes], tuple[str, str | None]]


def _page_url(markup: str) -> str | None:
    try:
        from newsgraph.ingest.html_files import page_url
    except Exception:
        return None
    return page_url(markup)


def _utf8(data: bytes) -> tuple[str, str | None]:
    markup = data.decode("utf-8", errors="replace")
    return markup, _page_url(markup)


def newsgraph_reader() -> tuple[Reader, str, str]:
    """(reader, what it is, warning): newsgraph's own HTML reader, else its decoder, else UTF-8.

    The ingest package is being written concurrently, so each step down is allowed, but
    announced: the figures then say less about newsgraph as users run it.
    """
    try:
        from newsgraph.ingest.html_files import html_item
    except Exception as exc:
        first = exc
    else:
        if "charset" in inspect.signature(html_item).parameters:

            def read(data: bytes) -> tuple[str, str | None]:
                # Files on disk carry no transport charset; the reader passes none either.
                item = html_item(data, "bench", charset=None)
                return item.content, item.url

            return read, "newsgraph.ingest.html_files.html_item", ""
    try:
        from newsgraph.ingest.decode import decode_bytes
    except Exception as exc:
        return _utf8, "utf-8/replace", f"newsgraph's reader and decoder unavailable ({exc!r})"

    def decode(data: bytes) -> tuple[str, str | None]:
        markup = decode_bytes(data)
        return markup, _page_url(markup)

    return decode, "newsgraph.ingest.decode.decode_bytes", f"html_item unavailable ({first!r})"


# --- per page (runs in worker processes) ------------------------------------------------------


@dataclass
class SystemResult:
    counts: tuple[int, int, int, int] = (0, 0, 0, 0)
    error: str | None = None
    title: str | None = None
    date: dt.date | None = None
    seconds: float = 0.0


@dataclass
class PageResult:
    file: str
    gold_title: str | None
    gold_date: dt.date | None
    systems: dict[str, SystemResult] = field(default_factory=dict)


_READER: Reader = _utf8


def _init_worker() -> None:
    global _READER
    # trafilatura logs a warning for every discarded page; that would bury the table.
    logging.disable(logging.CRITICAL)
    _READER = newsgraph_reader()[0]


def _run_trafilatura(data: bytes) -> tuple[SystemResult, str | None]:
    import trafilatura

    res = SystemResult()
    text: str | None = None
    start = time.perf_counter()
    try:
        text = trafilatura.extract(data, **TRAFILATURA_OPTS)
    except Exception as exc:
        res.error = f"{type(exc).__name__}: {exc}"
    res.seconds = time.perf_counter() - start
    # extract() returns text only; metadata comes from the same routine bare_extraction uses
    # (not timed: it is not part of the scored extraction).
    try:
        meta = trafilatura.extract_metadata(data)
        res.title, res.date = meta.title or None, parse_date(meta.date)
    except Exception:
        pass
    return res, text


def _run_newsgraph(data: bytes, read: Reader) -> tuple[SystemResult, str | None]:
    from newsgraph.clean.html import extract_html

    res = SystemResult()
    text: str | None = None
    start = time.perf_counter()
    try:
        page = extract_html(*read(data))
        text, res.title, res.date = page.text, page.title, parse_date(page.published)
    except Exception as exc:  # a decode failure (ReadFailure) or an extractor crash
        res.error = f"{type(exc).__name__}: {exc}"
    res.seconds = time.perf_counter() - start
    return res, text


def score_page(task: tuple[str, dict[str, Any]]) -> PageResult:
    data_dir, item = task
    raw = gzip.decompress((Path(data_dir) / "html" / f"{item['file']}.gz").read_bytes())
    page = PageResult(
        file=item["file"],
        gold_title=norm(item["title"]) if item.get("title") else None,
        gold_date=parse_date(item.get("date")),
    )
    runs = {
        "trafilatura": _run_trafilatura(raw),
        "newsgraph": _run_newsgraph(raw, _READER),
        "newsgraph-utf8": _run_newsgraph(raw, _utf8),
    }
    for name, (res, text) in runs.items():
        res.counts = count(item["with"], item["without"], text)
        page.systems[name] = res
    return page


# --- aggregation ------------------------------------------------------------------------------


@dataclass
class Totals:
    pages: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    errors: int = 0
    seconds: float = 0.0
    title_gold: int = 0
    title_ok: int = 0
    date_gold: int = 0
    date_ok: int = 0

    def add(self, page: PageResult, res: SystemResult) -> None:
        tp, fp, fn, tn = res.counts
        self.pages += 1
        self.tp, self.fp, self.fn, self.tn = self.tp + tp, self.fp + fp, self.fn + fn, self.tn + tn
        self.errors += res.error is not None
        self.seconds += res.seconds
        if page.gold_title:
            self.title_gold += 1
            self.title_ok += res.title is not None and norm(res.title) == page.gold_title
        if page.gold_date:
            self.date_gold += 1
            self.date_ok += res.date == page.gold_date

    def scores(self) -> dict[str, float]:
        def ratio(a: int, b: int) -> float:
            return a / b if b else 0.0

        return {
            "precision": ratio(self.tp, self.tp + self.fp),
            "recall": ratio(self.tp, self.tp + self.fn),
            "accuracy": ratio(self.tp + self.tn, self.tp + self.tn + self.fp + self.fn),
            "f1": ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn),
            "title_accuracy": ratio(self.title_ok, self.title_gold),
            "date_accuracy": ratio(self.date_ok, self.date_gold),
            "ms_per_page": ratio(1000 * self.seconds, self.pages),
        }


def compare(pages: list[PageResult], system: str, baseline: str = "trafilatura") -> dict[str, Any]:
    """Pages where ``system`` found fewer (or more) "with" segments than ``baseline``."""
    fewer = [p.file for p in pages if p.systems[system].counts[0] < p.systems[baseline].counts[0]]
    more = [p.file for p in pages if p.systems[system].counts[0] > p.systems[baseline].counts[0]]
    return {"fewer": len(fewer), "fewer_files": sorted(fewer), "more": len(more)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="trafilatura_eval folder")
    ap.add_argument("--limit", type=int, default=0, help="score only the first N pages")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)

    evaldata: dict[str, dict[str, Any]] = json.loads(
        (args.data / "evaldata.json").read_text(encoding="utf-8")
    )
    items = sorted(evaldata.values(), key=lambda it: it["file"])  # stable order for --limit
    if args.limit:
        items = items[: args.limit]

    try:
        from newsgraph.clean.html import extract_html  # noqa: F401 - fail here, not per page
    except Exception as exc:
        print(f"cannot import newsgraph's extractor: {exc!r}", file=sys.stderr)
        return 2
    _, reader_name, warning = newsgraph_reader()
    if warning:
        print(f"WARNING: {warning}; 'newsgraph' reads with {reader_name}", file=sys.stderr)

    import trafilatura

    started = time.perf_counter()
    tasks = [(str(args.data), it) for it in items]
    with Pool(args.workers, initializer=_init_worker) as pool:
        pages = list(pool.imap_unordered(score_page, tasks, chunksize=4))
    wall = time.perf_counter() - started
    pages.sort(key=lambda p: p.file)

    totals = {name: Totals() for name in SYSTEMS}
    for page in pages:
        for name in SYSTEMS:
            totals[name].add(page, page.systems[name])

    print(
        f"trafilatura_eval: {len(pages)} pages from {args.data}  "
        f"(trafilatura {trafilatura.__version__}, Python {platform.python_version()}, "
        f"{args.workers} workers, {wall:.0f} s wall)\n"
        f"newsgraph reads bytes with {reader_name}; newsgraph-utf8 with UTF-8/replace; "
        "both pass the page's canonical URL like the reader does, trafilatura gets none"
    )
    head = f"{'system':<16}{'pages':>6}{'P':>7}{'R':>7}{'acc':>7}{'F1':>7}"
    head += f"{'title':>8}{'date':>7}{'errors':>8}{'ms/page':>9}"
    print(head)
    print("-" * len(head))
    for name in SYSTEMS:
        t, s = totals[name], totals[name].scores()
        print(
            f"{name:<16}{t.pages:>6}{s['precision']:>7.3f}{s['recall']:>7.3f}"
            f"{s['accuracy']:>7.3f}{s['f1']:>7.3f}{s['title_accuracy']:>8.3f}"
            f"{s['date_accuracy']:>7.3f}{t.errors:>8}{s['ms_per_page']:>9.0f}"
        )
    t0 = totals["trafilatura"]
    print(
        f"(segments: {t0.tp + t0.fn} with / {t0.fp + t0.tn} without; "
        f"title gold on {t0.title_gold} pages, date gold on {t0.date_gold}; "
        "ms/page is extraction only, per worker)"
    )

    diffs = {name: compare(pages, name) for name in SYSTEMS[1:]}
    for name, d in diffs.items():
        shown = ", ".join(d["fewer_files"][:10]) or "-"
        print(
            f"{name}: fewer 'with' segments than trafilatura on {d['fewer']} pages, "
            f"more on {d['more']}; fewer: {shown}{' ...' if d['fewer'] > 10 else ''}"
        )
    errors = [
        (p.file, name, p.systems[name].error)
        for p in pages
        for name in SYSTEMS
        if p.systems[name].error
    ]
    for file, name, err in errors[:10]:
        print(f"error: {name} {file}: {err}")

    if args.json:
        report = {
            "bench": "extraction",
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "data": str(args.data),
            "pages": len(pages),
            "workers": args.workers,
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "trafilatura": trafilatura.__version__,
            "newsgraph_reader": reader_name,
            "reader_warning": warning or None,
            "wall_seconds": round(wall, 1),
            "systems": {
                name: {**asdict(totals[name]), **totals[name].scores()} for name in SYSTEMS
            },
            "vs_trafilatura": diffs,
            "errors": [{"file": f, "system": n, "error": e} for f, n, e in errors],
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
