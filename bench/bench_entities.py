"""Entity recognition and cross-document entity resolution, with speed.

1. NER on the CoNLL-2003 English test set (``eng.testb``): exact-span precision/recall/F1 per
   type and micro-averaged, in one run for
     spacy-full   the bare spaCy pipeline, all components
     spacy-ner    the same model, NER component only (what newsgraph runs)
     newsgraph    ``annotate_entities`` mentions (titles, "the" and possessives trimmed,
                  pronouns and title-only spans dropped)
   Label mapping: PERSON→PER; GPE, LOC, FAC→LOC; ORG→ORG; NORP, EVENT, WORK_OF_ART, LAW,
   LANGUAGE, PRODUCT→MISC; numeric labels dropped. Speed is documents/second of each pass.

2. Cross-document entity coreference on ECB+ (982 documents): gold person, organisation and
   place mentions with their ``chain``, restricted to the sentences the corpus marks as
   annotated. A gold mention is scored when a system mention lies inside it (named mentions
   that the NER found; nominal and pronoun mentions are out of scope). On those mentions:
   B-cubed and pairwise precision/recall/F1 of the resolver's clusters against the gold chains,
   with an exact-string baseline (same mentions, clustered by lower-cased text) in the same run.
   ``--sweep`` also prints B-cubed F1 for a range of thresholds (resolution only).

    .venv/bin/python bench/bench_entities.py [--limit N] [--sweep] [--skip-conll] [--skip-ecb]

Data is read from ``../shared/data`` at run time; nothing from it is copied into the repo.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from newsgraph.entities import resolve as resolve_mod  # noqa: E402
from newsgraph.entities.recognize import _nlp  # noqa: E402
from newsgraph.entities.resolve import EntityResolver  # noqa: E402
from newsgraph.entities.within import annotate_entities  # noqa: E402
from newsgraph.model import Document  # noqa: E402

DATA = REPO.parent / "shared" / "data"
MAP = {"PERSON": "PER", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "ORG": "ORG",
       "NORP": "MISC", "EVENT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC",
       "LANGUAGE": "MISC", "PRODUCT": "MISC"}  # fmt: skip
ECB_TYPES = ("HUMAN_PART_PER", "HUMAN_PART_ORG", "HUMAN_PART_GPE", "LOC_GEO", "LOC_FAC",
             "LOC_OTHER")  # fmt: skip


# ---------------------------------------------------------------- CoNLL-2003 NER ------


def read_conll(path: Path) -> list[tuple[str, set[tuple[int, int, str]]]]:
    """Documents as (text, gold spans (start, end, type)); sentences on their own lines."""
    docs: list[tuple[str, set[tuple[int, int, str]]]] = []
    sents: list[list[tuple[str, str]]] = []
    cur: list[tuple[str, str]] = []

    def flush_doc() -> None:
        if cur:
            sents.append(list(cur))
            cur.clear()
        if not sents:
            return
        parts: list[str] = []
        gold: set[tuple[int, int, str]] = set()
        pos = 0
        for s in sents:
            open_: tuple[int, str] | None = None
            last_end = pos
            prev_type = "O"
            for i, (w, tag) in enumerate(s):
                start = pos
                parts.append(w)
                pos += len(w)
                parts.append(" " if i < len(s) - 1 else "\n")
                pos += 1
                typ = tag[2:] if tag != "O" else "O"
                begins = tag.startswith("B-") or (typ != "O" and typ != prev_type)
                if open_ and (typ == "O" or begins):
                    gold.add((open_[0], last_end, open_[1]))
                    open_ = None
                if typ != "O" and open_ is None:
                    open_ = (start, typ)
                last_end = start + len(w)
                prev_type = typ
            if open_:
                gold.add((open_[0], last_end, open_[1]))
        docs.append(("".join(parts), gold))
        sents.clear()

    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("-DOCSTART-"):
                flush_doc()
                continue
            if not line.strip():
                if cur:
                    sents.append(list(cur))
                    cur.clear()
                continue
            cols = line.split(" ")
            cur.append((cols[0], cols[-1]))
    flush_doc()
    return docs


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_ner(golds: list[set], preds: list[set]) -> dict[str, tuple[float, float, float, int]]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for g, p in zip(golds, preds, strict=True):
        for t in ("PER", "ORG", "LOC", "MISC"):
            gt = {x for x in g if x[2] == t}
            pt = {x for x in p if x[2] == t}
            counts[t]["tp"] += len(gt & pt)
            counts[t]["fp"] += len(pt - gt)
            counts[t]["fn"] += len(gt - pt)
    out = {}
    tot: Counter[str] = Counter()
    for t, c in counts.items():
        out[t] = (*prf(c["tp"], c["fp"], c["fn"]), c["tp"] + c["fn"])
        tot.update(c)
    out["micro"] = (*prf(tot["tp"], tot["fp"], tot["fn"]), tot["tp"] + tot["fn"])
    no_misc = Counter()
    for t in ("PER", "ORG", "LOC"):
        no_misc.update(counts[t])
    out["micro-PER/ORG/LOC"] = (*prf(no_misc["tp"], no_misc["fp"], no_misc["fn"]),
                                no_misc["tp"] + no_misc["fn"])  # fmt: skip
    return out


def bench_conll(limit: int | None) -> None:
    docs = read_conll(DATA / "conll2003_en" / "eng.testb")[:limit]
    texts = [t for t, _ in docs]
    golds = [g for _, g in docs]
    nlp, disable = _nlp()
    words = sum(len(t.split()) for t in texts)
    print(f"\n== NER on CoNLL-2003 test: {len(docs)} documents, {words} tokens, "
          f"{sum(len(g) for g in golds)} gold entities")  # fmt: skip
    results = {}
    t0 = time.perf_counter()
    full = [
        {(e.start_char, e.end_char, MAP[e.label_]) for e in d.ents if e.label_ in MAP}
        for d in nlp.pipe(texts, batch_size=32)
    ]
    results["spacy-full"] = (full, time.perf_counter() - t0)
    t0 = time.perf_counter()
    sdocs = list(nlp.pipe(texts, batch_size=32, disable=list(disable)))
    ner_only = [
        {(e.start_char, e.end_char, MAP[e.label_]) for e in d.ents if e.label_ in MAP}
        for d in sdocs
    ]
    results["spacy-ner"] = (ner_only, time.perf_counter() - t0)
    t0 = time.perf_counter()
    ng = []
    for i, (t, sd) in enumerate(zip(texts, sdocs, strict=True)):
        d = annotate_entities(Document(id=str(i), input="conll", text=t), sd)
        ng.append({(m.start, m.end, MAP[m.label]) for m in d.mentions if m.label in MAP})
    # newsgraph time = the NER pass it shares with spacy-ner + its own grouping.
    results["newsgraph"] = (ng, time.perf_counter() - t0 + results["spacy-ner"][1])
    same = sum(a == b for a, b in zip(full, ner_only, strict=True))
    print(f"NER-only entities identical to the full pipeline in {same}/{len(docs)} documents")
    print(f"{'system':<12} {'type':<18} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}")
    for name, (preds, secs) in results.items():
        sc = score_ner(golds, preds)
        for t in ("PER", "ORG", "LOC", "MISC", "micro", "micro-PER/ORG/LOC"):
            p, r, f, n = sc[t]
            print(f"{name:<12} {t:<18} {p:6.3f} {r:6.3f} {f:6.3f} {n:6d}")
        print(f"{name:<12} speed: {len(docs) / secs:.1f} docs/s ({secs:.1f} s)")
    ratio = results["newsgraph"][1] / results["spacy-full"][1]
    print(f"newsgraph entity stage time / bare spaCy full pipeline time: {ratio:.2f}")


# ------------------------------------------------------------------ ECB+ coreference ------


def read_ecb(limit: int | None) -> list[dict]:
    annotated: set[tuple[str, int]] = set()
    with open(DATA / "ecbplus_story_clusters" / "ECBplus_coreference_sentences.csv") as f:
        for row in csv.DictReader(f):
            annotated.add((f"{row['Topic']}_{row['File']}", int(row["Sentence Number"])))
    docs = []
    with gzip.open(DATA / "ecbplus_story_clusters" / "documents.jsonl.gz", "rt") as f:
        for line in f:
            docs.append(json.loads(line))
    docs.sort(key=lambda d: d["doc_id"])
    if limit:
        # Whole topics, so that cross-document chains exist within the sample.
        topics = sorted({d["topic"] for d in docs}, key=lambda t: int(t))
        keep, n = set(), 0
        for t in topics:
            keep.add(t)
            n += sum(1 for d in docs if d["topic"] == t)
            if n >= limit:
                break
        docs = [d for d in docs if d["topic"] in keep]
    for d in docs:
        d["gold"] = [
            m for m in d["mentions"]
            if m["type"] in ECB_TYPES and (d["doc_id"], m["sentence"]) in annotated
        ]  # fmt: skip
    return docs


def b_cubed(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    gc: dict[str, set[str]] = defaultdict(set)
    pc: dict[str, set[str]] = defaultdict(set)
    for m, c in gold.items():
        gc[c].add(m)
    for m, c in pred.items():
        pc[c].add(m)
    p = r = 0.0
    for m in gold:
        g, s = gc[gold[m]], pc[pred[m]]
        inter = len(g & s)
        p += inter / len(s)
        r += inter / len(g)
    n = len(gold) or 1
    p, r = p / n, r / n
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def pairwise(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    def pairs(assign: dict[str, str]) -> set[tuple[str, str]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for m, c in assign.items():
            groups[c].append(m)
        out = set()
        for ms in groups.values():
            ms.sort()
            out.update((a, b) for i, a in enumerate(ms) for b in ms[i + 1 :])
        return out

    g, s = pairs(gold), pairs(pred)
    return prf(len(g & s), len(s - g), len(g - s))


def _match(gold_m: dict, sys_mentions: Iterable) -> object | None:
    best, best_len = None, 0
    for m in sys_mentions:
        if m.start >= gold_m["start"] and m.end <= gold_m["end"] and m.end - m.start > best_len:
            best, best_len = m, m.end - m.start
    return best


def bench_ecb(limit: int | None, sweep: bool) -> None:
    raw = read_ecb(limit)
    print(f"\n== Cross-document entity coreference on ECB+: {len(raw)} documents, "
          f"{sum(len(d['gold']) for d in raw)} gold person/org/place mentions in annotated "
          "sentences")  # fmt: skip
    nlp, disable = _nlp()
    t0 = time.perf_counter()
    sdocs = nlp.pipe([d["text"] for d in raw], batch_size=32, disable=list(disable))
    annotated = [
        annotate_entities(Document(id=d["doc_id"], input="ecb+", text=d["text"]), sd)
        for d, sd in zip(raw, sdocs, strict=True)
    ]
    t_annot = time.perf_counter() - t0

    def run(docs: list[Document]) -> tuple[list[Document], float]:
        t = time.perf_counter()
        out, _, _ = EntityResolver().resolve_all(docs)
        return out, time.perf_counter() - t

    resolved, t_res = run(annotated)

    def assignments(out: list[Document]) -> tuple[dict, dict, dict, int]:
        gold, pred, base = {}, {}, {}
        total = 0
        for d, o in zip(raw, out, strict=True):
            for gm in d["gold"]:
                total += 1
                sm = _match(gm, o.mentions)
                if sm is None:
                    continue
                mid = f"{d['doc_id']}#{gm['m_id']}"
                gold[mid] = gm["chain"] or f"single:{mid}"
                pred[mid] = sm.entity or f"none:{mid}"
                base[mid] = sm.text.lower()
        return gold, pred, base, total

    gold, pred, base, total = assignments(resolved)
    print(
        f"gold mentions with a system mention inside: {len(gold)}/{total} "
        f"({len(gold) / max(total, 1):.1%}); gold chains among them: {len(set(gold.values()))}"
    )
    print(f"{'system':<14} {'B3-P':>6} {'B3-R':>6} {'B3-F1':>6} {'pw-P':>6} {'pw-R':>6} "
          f"{'pw-F1':>6}")  # fmt: skip
    for name, assign in (("exact-string", base), ("newsgraph", pred)):
        bp, br, bf = b_cubed(gold, assign)
        pp, pr, pf = pairwise(gold, assign)
        print(f"{name:<14} {bp:6.3f} {br:6.3f} {bf:6.3f} {pp:6.3f} {pr:6.3f} {pf:6.3f}")
    print(f"speed: annotate (NER + grouping) {len(raw) / t_annot:.1f} docs/s, "
          f"resolve {len(raw) / t_res:.1f} docs/s")  # fmt: skip
    if sweep:
        print("threshold sweep (B3-F1 / pairwise-F1):")
        keep = resolve_mod.THRESHOLD
        for th in (0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 0.97):
            resolve_mod.THRESHOLD = th
            out, _ = run(annotated)
            g, p, _, _ = assignments(out)
            print(f"  threshold {th:4.2f}: {b_cubed(g, p)[2]:.3f} / {pairwise(g, p)[2]:.3f}")
        resolve_mod.THRESHOLD = keep


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="documents per data set")
    ap.add_argument("--sweep", action="store_true", help="threshold sweep on ECB+")
    ap.add_argument("--skip-conll", action="store_true")
    ap.add_argument("--skip-ecb", action="store_true")
    args = ap.parse_args()
    if not DATA.is_dir():
        sys.exit(f"data not found: {DATA}")
    _nlp()  # load once, outside the timings
    if not args.skip_conll:
        bench_conll(args.limit)
    if not args.skip_ecb:
        bench_ecb(args.limit, args.sweep)


if __name__ == "__main__":
    main()
