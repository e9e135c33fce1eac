"""Cleaning quality and speed of the plain-text scrape cleaner on the seed articles.

For each seed: the share of hand-labelled boilerplate lines removed and of body lines kept
(labels in tests/fixtures/seed_labels), whether title, authors, date and outlet match, and
the time per article.

    .venv/bin/python bench/cleaning.py [--seeds DIR] [--verbose]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from newsgraph.clean.scrape import clean_scrape

REPO = Path(__file__).resolve().parent.parent
LABELS = REPO / "tests" / "fixtures" / "seed_labels"

# Expected metadata per seed (what a careful reader gets from the page).
EXPECTED: dict[str, dict[str, object]] = {
    "000": {"authors": [], "published": None, "outlet": None},
    "001": {
        "authors": ["Humeyra Pamuk", "Johan Ahlander"],
        "published": None,
        "outlet": "Reuters",
    },
    "002": {"authors": [], "published": None, "outlet": "Time.news"},
    "003": {"authors": ["Daniel D. Burke"], "published": dt.date(2022, 1, 28), "outlet": None},
    "004": {"authors": [], "published": None, "outlet": "POLITICO.eu"},
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "seeds")
    ap.add_argument("--verbose", action="store_true", help="print every misclassified line")
    args = ap.parse_args(argv)

    seeds = sorted(args.seeds.glob("*.txt"))
    if not seeds:
        print(f"no seeds in {args.seeds}", file=sys.stderr)
        return 1

    tot = {"bp": 0, "bp_removed": 0, "body": 0, "body_kept": 0, "meta_ok": 0, "meta": 0}
    elapsed: list[float] = []
    head = f"{'seed':24} {'boilerplate removed':>20} {'body kept':>14}  title author date outlet"
    print(head)
    print("-" * len(head))
    for path in seeds:
        label_file = LABELS / f"{path.stem}.tsv"
        if not label_file.exists():
            print(f"{path.stem:24} (no labels, skipped)")
            continue
        gold = [r.split("\t", 1) for r in label_file.read_text(encoding="utf-8").splitlines() if r]
        text = path.read_text(encoding="utf-8")
        t0 = time.perf_counter()
        res = clean_scrape(text)
        elapsed.append(time.perf_counter() - t0)

        if len(res.lines) != len(gold):
            print(f"{path.stem:24} line count mismatch: {len(res.lines)} vs {len(gold)} labels")
            continue
        bp = bp_removed = body = body_kept = 0
        for dec, (want, line) in zip(res.lines, gold, strict=True):
            kept = dec.label == "body"
            if want == "body":
                body += 1
                body_kept += kept
            else:
                bp += 1
                bp_removed += not kept
            if args.verbose and kept != (want == "body"):
                print(f"    MISS gold={want:11} got={dec.label:11} {dec.reason}: {line[:70]}")

        # Title: the headline is the line labelled "title" (for 001 minus its site suffix).
        gold_title = next(line for want, line in gold if want == "title")
        title_ok = res.title is not None and gold_title.startswith(res.title)
        title_ok = title_ok and len(res.title or "") >= 0.6 * len(gold_title)
        exp = EXPECTED.get(path.stem[:3], {})
        author_ok = res.authors == exp.get("authors", res.authors)
        date_ok = res.published == exp.get("published", res.published)
        outlet_ok = res.outlet == exp.get("outlet", res.outlet)
        checks = [title_ok, author_ok, date_ok, outlet_ok]

        tot["bp"] += bp
        tot["bp_removed"] += bp_removed
        tot["body"] += body
        tot["body_kept"] += body_kept
        tot["meta"] += len(checks)
        tot["meta_ok"] += sum(checks)
        marks = "  ".join(f"{'ok' if c else 'FAIL':>5}" for c in checks)
        print(
            f"{path.stem:24} {bp_removed:>3}/{bp:<3} {_pct(bp_removed, bp):>7}"
            f"   {body_kept:>3}/{body:<3} {_pct(body_kept, body):>6}  {marks}"
        )
        if args.verbose:
            print(
                f"    title={res.title!r} authors={res.authors} published={res.published}"
                f" outlet={res.outlet!r}"
            )

    print("-" * len(head))
    bp_pct = _pct(tot["bp_removed"], tot["bp"])
    print(
        f"{'overall':24} {tot['bp_removed']:>3}/{tot['bp']:<3} {bp_pct:>7}"
        f"   {tot['body_kept']:>3}/{tot['body']:<3} {_pct(tot['body_kept'], tot['body']):>6}"
        f"  metadata {tot['meta_ok']}/{tot['meta']} correct"
    )
    # Speed: repeat to get a stable per-article figure (first call above included warm-up).
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    best = float("inf")
    for _ in range(10):
        t0 = time.perf_counter()
        for t in texts:
            clean_scrape(t)
        best = min(best, (time.perf_counter() - t0) / len(texts))
    print(f"speed: {best * 1000:.2f} ms per seed article (best of 10 passes over {len(texts)})")
    return 0


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "n/a"


if __name__ == "__main__":
    raise SystemExit(main())
