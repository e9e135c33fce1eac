"""Quotes in official transcripts and speeches: how much speech gets a speaker.

    .venv/bin/python bench/transcripts.py [--limit N] [--mode parse|rules|both] [--sample 30]
                                          [--seed 7] [--data PATH]

Runs the entities stage and the quote stage (each path as the pipeline runs it: ``rules`` on
the NER-only doc, ``parse`` after the selective parse) over the official Kremlin / Ukrainian
presidency statements in ``../shared/data/ukraine_crisis_official_statements_2021_2022``
(read at run time, never copied; no gold labels). Prints, per path: documents, quotes, the
share with a resolved speaker (an entity id), first-person quotes (speaker words I/me/my/we/
us/our) left without a speaker, transcript turns found (``Name: …`` quotes, at a line start or
mid-line), and a random sample of attributions (fixed seed) to check by hand.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import random
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from newsgraph.entities.within import annotate_entities  # noqa: E402
from newsgraph.model import Document  # noqa: E402
from newsgraph.nlp import load_nlp  # noqa: E402
from newsgraph.parse_select import ner_parse, parse_for_stages  # noqa: E402
from newsgraph.quotes import find_candidates  # noqa: E402

DEFAULT_DATA = (
    REPO.parent
    / "shared"
    / "data"
    / "ukraine_crisis_official_statements_2021_2022"
    / "statements.jsonl.gz"
)
FIRST_PERSON = {"i", "me", "my", "we", "us", "our"}
TURN_ORIGINS = {"colon", "turn"}


def load(path: Path, limit: int | None) -> list[Document]:
    docs = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            docs.append(
                Document(
                    id=row["id"],
                    input=str(path),
                    title=row.get("title"),
                    outlet=row.get("outlet"),
                    language="en",
                    text=row["text"],
                )
            )
            if limit is not None and len(docs) >= limit:
                break
    return docs


def run(docs: list[Document], mode: str) -> tuple[dict[str, Any], list[tuple[str, str, str, str]]]:
    """Counts over ``docs`` for one quote path, and every attribution (doc id, quote, speaker,
    the text before the quote)."""
    quotes = resolved = first = turns = 0
    attributions: list[tuple[str, str, str, str]] = []
    t0 = time.perf_counter()
    for doc in docs:
        sdoc = ner_parse(doc.text)
        d = annotate_entities(doc.model_copy(deep=True), sdoc)
        if mode == "parse":
            sdoc = parse_for_stages(d, ["quotes"], sdoc, quotes="parse")
        cands = find_candidates(d, sdoc, mode)
        names = {m.entity: m.text for m in d.mentions if m.entity}
        for c in cands:
            quotes += 1
            resolved += c.speaker is not None
            words = (c.speaker_text or "").lower().split()
            first += c.speaker is None and len(words) == 1 and words[0] in FIRST_PERSON
            turns += c.origin in TURN_ORIGINS
            if c.speaker is not None:
                who = f"{names.get(c.speaker, '?')} [{c.speaker_text}]"
            else:
                who = f"- [{c.speaker_text}]" if c.speaker_text else "-"
            before = doc.text[max(0, c.start - 300) : c.start]
            attributions.append((doc.id, doc.text[c.start : c.end], who, before))
    secs = time.perf_counter() - t0
    return {
        "documents": len(docs),
        "quotes": quotes,
        "resolved_share": round(resolved / quotes, 3) if quotes else 0.0,
        "first_person_unresolved": first,
        "turns": turns,
        "seconds": round(secs, 1),
    }, attributions


def header(argv: list[str]) -> None:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    cpu = platform.processor() or platform.machine()
    print(f"date: {now}")
    print(
        f"machine: {platform.node()} {platform.platform()} {cpu}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, spaCy model {load_nlp().meta['name']}"
    )
    print(f"command: .venv/bin/python bench/transcripts.py {' '.join(argv)}".rstrip())


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=None, help="documents (default: all)")
    ap.add_argument("--mode", default="both", choices=["parse", "rules", "both"])
    ap.add_argument("--sample", type=int, default=30, help="attributions to print per path")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--context", type=int, default=0, help="also print this many characters before each"
    )
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"no data at {args.data}", file=sys.stderr)
        return 2
    header(argv)
    docs = load(args.data, args.limit)
    for mode in ["parse", "rules"] if args.mode == "both" else [args.mode]:
        stats, atts = run(docs, mode)
        print(f"== {mode} path")
        for k, v in stats.items():
            print(f"  {k:<26} {v}")
        rng = random.Random(args.seed)
        pick = sorted(rng.sample(range(len(atts)), min(args.sample, len(atts))))
        print(f"  sample of {len(pick)} attributions (seed {args.seed}): doc | quote | speaker")
        for n, k in enumerate(pick, 1):
            doc_id, text, who, before = atts[k]
            start = " ".join(text.split()[:12])
            print(f"  {n:>3}. {doc_id} | {start} | {who}")
            if args.context:
                print(f"       … {' '.join(before[-args.context :].split())} ⟦QUOTE⟧")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
