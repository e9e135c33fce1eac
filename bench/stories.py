"""Story clustering: quality on ECB+ and speed on a generated stream.

1. ECB+ (``../shared/data/ecbplus_story_clusters/documents.jsonl.gz``; 982 documents, 86
   stories in 43 topics, each topic two similar happenings; no dates, no titles). The
   documents go, in a fixed shuffled order, through the real pipeline (``newsgraph run`` with
   the entities stage: cleaning, dedup, NER, entity resolution, online story clustering).
   Scored against the gold stories and topics: B-cubed and pairwise precision/recall/F1 of
   newsgraph's stories, and of a plain TF-IDF baseline in the same run (corpus IDF over the
   whole set, single-pass clustering by cosine to the cluster centroid; its threshold picked
   on the dev half). Then the signal ablation: the same clusterer re-run over the stored
   documents with one signal or rule removed at a time, in three shuffled orders.
   Topics are split in two: odd topic numbers are the dev half (thresholds and weights were
   chosen there with ``--tune``), even ones the test half; figures are given for both.

   ``--signals``: the ECB+ documents through every NLP stage (quotes and events too); for the
   pairs of documents within one topic of the dev half (the confusable pairs), how often they
   are one story when a candidate signal agrees, conflicts or is missing, overall and within
   the ambiguous band of lexical similarity: does the signal carry information beyond text?

2. ``--stream``: a real dated stream without gold, the 590 official statements of the Russian
   and Ukrainian presidencies (``../shared/data/ukraine_crisis_official_statements_2021_2022``),
   through the pipeline (entities, stories) in publication order. Prints how many stories, how
   big and how long the largest are, with and without the stream-frequency damping: one
   office's distinct statements of a week must not become one "story".

3. ``--scale N`` (run once): a generated stream of N documents (real English words drawn by
   their frequency, happenings with their own vocabulary, entities and dates over a year).
   Clustering alone (features excluded, then included), time per document of the first and
   last 10,000, documents per second, peak memory.

    .venv/bin/python bench/stories.py [--limit N] [--tune] [--embed N] [--signals] [--stream]
                                      [--scale N] [--skip-ecb]

Data under ``../shared/data`` is read at run time and never copied into the repository; the
annotated store is cached under ``--work`` (default: a folder in the system temp dir).
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import gzip
import json
import math
import random
import re
import resource
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

from ner import header  # noqa: E402
from newsgraph.model import Document  # noqa: E402
from newsgraph.pipeline import Pipeline  # noqa: E402
from newsgraph.store import Store  # noqa: E402
from newsgraph.stories import recluster  # noqa: E402
from newsgraph.stories.cluster import StoryClusterer, StoryParams  # noqa: E402
from newsgraph.stories.features import DocFeatures, features  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "ecbplus_story_clusters" / "documents.jsonl.gz"
STATEMENTS = (
    REPO.parent
    / "shared"
    / "data"
    / "ukraine_crisis_official_statements_2021_2022"
    / "statements.jsonl.gz"
)

# --------------------------------------------------------------------------- metrics ------


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    pc: dict[str, set[str]] = defaultdict(set)
    gc: dict[str, set[str]] = defaultdict(set)
    for d in gold:
        pc[pred[d]].add(d)
        gc[gold[d]].add(d)
    p = r = 0.0
    for d in gold:
        both = len(pc[pred[d]] & gc[gold[d]])
        p += both / len(pc[pred[d]])
        r += both / len(gc[gold[d]])
    p, r = p / len(gold), r / len(gold)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def pairwise(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    def pairs(labels: dict[str, str]) -> int:
        return sum(n * (n - 1) // 2 for n in Counter(labels.values()).values())

    joint = {d: (pred[d], gold[d]) for d in gold}
    tp = pairs(joint)
    pp, gp = pairs({d: pred[d] for d in gold}), pairs(gold)
    p = tp / pp if pp else 1.0
    r = tp / gp if gp else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def scores(pred: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    b = bcubed(pred, gold)
    pw = pairwise(pred, gold)
    return {"b3_p": b[0], "b3_r": b[1], "b3_f": b[2], "pw_p": pw[0], "pw_r": pw[1], "pw_f": pw[2]}


# --------------------------------------------------------------------------- ECB+ ---------


def read_ecb(path: Path, limit: int | None) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    if limit:
        # Whole topics, so that each gold story is complete.
        topics = sorted({r["topic"] for r in rows}, key=int)[: max(1, limit // 23)]
        rows = [r for r in rows if r["topic"] in topics]
    return rows


def prepare_store(
    rows: list[dict], work: Path, seed: int, stages: tuple[str, ...] = ("entities", "stories")
) -> tuple[Store, float]:
    """Run the ECB+ documents through the real pipeline once (cached in ``work``)."""
    work.mkdir(parents=True, exist_ok=True)
    key = f"ecb_{len(rows)}_{seed}" + ("" if stages == ("entities", "stories") else "_all")
    db = work / f"{key}.db"
    order = list(rows)
    random.Random(seed).shuffle(order)
    if db.exists():
        # Cached annotations: rebuild the stories with the current code (recluster gives what
        # the incremental path gives on the same order; tests/test_stories_pipeline.py).
        store = Store.open(db)
        recluster(store)
        return store, float("nan")
    src = work / f"{key}.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for r in order:
            # Tokenised text: undo the spaces before punctuation the corpus added.
            text = re.sub(r" ([.,;:!?'%)]|'s|n't)", r"\1", r["text"]).replace("( ", "(")
            row = {"text": text, "language": "en", "ecb_doc": r["doc_id"]}
            fh.write(json.dumps(row) + "\n")
    tmp = db.with_suffix(".tmp.db")
    tmp.unlink(missing_ok=True)
    store = Store.open(tmp)
    t = time.perf_counter()
    summary = Pipeline(store, stages=stages, batch_size=100).run([str(src)])
    seconds = time.perf_counter() - t
    store.close()
    if summary.errors:
        print(f"  {len(summary.errors)} pipeline errors, first: {summary.errors[0].message}")
    tmp.rename(db)
    return Store.open(db), seconds


def cluster(
    feats: Sequence[DocFeatures], params: StoryParams
) -> tuple[dict[str, str], dict[str, str], float]:
    """Stories and storylines per document id, and the clustering seconds."""
    c = StoryClusterer(params)
    t = time.perf_counter()
    story = {f.id: c.add(f).story for f in feats}
    seconds = time.perf_counter() - t
    # Merges may move documents after their decision: read the final membership.
    final = {d: s for s, st in c.stories.items() for d in st.docs}
    story = {d: final.get(d, s) for d, s in story.items()}
    line = {d: c.stories[s].storyline if s in c.stories else s for d, s in story.items()}
    return story, line, seconds


def tfidf_baseline(docs: Sequence[Document], threshold: float) -> dict[str, str]:
    """Plain TF-IDF: corpus IDF, raw term counts, single pass, cosine to cluster centroid."""
    import numpy as np

    token = re.compile(r"[^\W_]{2,}")
    bags = [Counter(token.findall(f"{d.title or ''} {d.text}".lower())) for d in docs]
    df = Counter(w for b in bags for w in b)
    vocab = {w: i for i, w in enumerate(sorted(df))}
    n = len(docs)
    mat = np.zeros((n, len(vocab)), dtype=np.float32)
    for row, b in enumerate(bags):
        for w, c in b.items():
            mat[row, vocab[w]] = c * math.log((1 + n) / (1 + df[w]))
    mat /= np.maximum(np.linalg.norm(mat, axis=1, keepdims=True), 1e-9)
    cents = np.zeros((n, len(vocab)), dtype=np.float32)
    k = 0
    out = {}
    for row, d in enumerate(docs):
        best = -1
        if k:
            sims = cents[:k] @ mat[row] / np.maximum(np.linalg.norm(cents[:k], axis=1), 1e-9)
            best = int(np.argmax(sims))
            if sims[best] < threshold:
                best = -1
        if best < 0:
            best, k = k, k + 1
        cents[best] += mat[row]
        out[d.id] = f"b{best}"
    return out


def fmt(s: dict[str, float]) -> str:
    return (
        f"B3 P {s['b3_p']:.3f} R {s['b3_r']:.3f} F1 {s['b3_f']:.3f} | "
        f"pairwise P {s['pw_p']:.3f} R {s['pw_r']:.3f} F1 {s['pw_f']:.3f}"
    )


def halves(gold_topic: dict[str, str]) -> dict[str, set[str]]:
    dev = {d for d, t in gold_topic.items() if int(t) % 2 == 1}
    return {"all": set(gold_topic), "dev": dev, "test": set(gold_topic) - dev}


def restrict(pred: dict[str, str], keep: set[str]) -> dict[str, str]:
    return {d: p for d, p in pred.items() if d in keep}


def ecb(args: argparse.Namespace) -> None:
    rows = read_ecb(Path(args.data), args.limit)
    store, seconds = prepare_store(rows, Path(args.work), seed=0)
    docs = list(store.iter_documents())
    gold_story = {d.id: str(d.extra["ecb_doc"]) for d in docs}
    by_ecb = {r["doc_id"]: r for r in rows}
    gold_topic = {d: by_ecb[e]["topic"] for d, e in gold_story.items()}
    gold_story = {d: by_ecb[e]["story"] for d, e in gold_story.items()}
    parts = halves(gold_topic)
    dups = sum(1 for d in docs if d.duplicate_of)
    print(
        f"\nECB+: {len(docs)} documents ({dups} marked near-duplicates), "
        f"{len(set(gold_story.values()))} stories, {len(set(gold_topic.values()))} topics"
    )
    if seconds == seconds:
        print(f"pipeline (clean, NER, entity resolution, stories): {seconds:.1f} s")

    stored = {d.id: d.story for d in docs}
    print("\nnewsgraph online clustering as stored by the pipeline (seed-0 order, in-text dates):")
    for half in ("dev", "test", "all"):
        keep = parts[half]
        print(
            f"  story {half:4s} {fmt(scores(restrict(stored, keep), restrict(gold_story, keep)))}"
        )
    print(f"  topic all  {fmt(scores(stored, gold_topic))}")

    feats = [features(d) for d in docs]
    orders = []
    for seed in (0, 1, 2):
        idx = list(range(len(docs)))
        if seed:
            random.Random(seed).shuffle(idx)
        orders.append([feats[i] for i in idx])

    # ECB+ as published has no dates (issue 6 describes it so). The cleaner finds a dateline in
    # the text of some documents, but only of those ECB+ added, never of the original ECB
    # half: no topic has dates on both of its happenings, so dates cannot tell its two
    # happenings apart, and they split ECB+'s own follow-ups (a trial months after a crime)
    # that its gold stories keep together. The headline figures therefore withhold them;
    # the dated run is printed beside them.
    dated_docs = [d for d in docs if d.published]
    both = {
        t
        for t in set(gold_topic.values())
        if len({gold_story[d.id] for d in dated_docs if gold_topic[d.id] == t}) > 1
    }
    print(
        f"\ndocuments with a date found in their text: {len(dated_docs)}; "
        f"topics with dated documents in both of their stories: {len(both)}"
    )

    def run(params: StoryParams, undated: bool = True) -> dict[str, dict[str, float]]:
        acc: dict[str, list[dict[str, float]]] = defaultdict(list)
        for feats_o in orders:
            if undated:
                feats_o = [dataclasses.replace(f, date=None) for f in feats_o]
            story, line, _ = cluster(feats_o, params)
            for half in ("dev", "test", "all"):
                keep = parts[half]
                acc[f"story_{half}"].append(
                    scores(restrict(story, keep), restrict(gold_story, keep))
                )
            acc["topic"].append(scores(story, gold_topic))
            acc["line_topic"].append(scores(line, gold_topic))
        return {k: {m: sum(s[m] for s in v) / len(v) for m in v[0]} for k, v in acc.items()}

    if args.tune:
        tune(run)
        return

    base = StoryParams()
    print("\nnewsgraph, mean of 3 orders (shuffle seeds 0, 1, 2), dates withheld:")
    full = run(base)
    for k in ("story_dev", "story_test", "story_all", "topic"):
        print(f"  {k:11s} {fmt(full[k])}")
    print(f"  storylines vs topics {fmt(full['line_topic'])}")
    verdict = "met" if full["story_test"]["b3_f"] >= 0.90 else "NOT met"
    print(f"  target: story-level B3 F1 >= 0.90 on the test half: {verdict}")
    dated = run(base, undated=False)
    print("newsgraph with the dates found in the text (mean of 3 orders):")
    for k in ("story_dev", "story_test", "story_all"):
        print(f"  {k:11s} {fmt(dated[k])}")

    # Baseline: threshold picked on the dev half, reported on test and all.
    best_t, best_f = 0.0, -1.0
    for t in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4):
        pred = tfidf_baseline(docs, t)
        f = scores(restrict(pred, parts["dev"]), restrict(gold_story, parts["dev"]))["b3_f"]
        if f > best_f:
            best_t, best_f = t, f
    pred = tfidf_baseline(docs, best_t)
    print(f"\nplain TF-IDF baseline (threshold {best_t} chosen on dev), seed-0 order:")
    for half in ("dev", "test", "all"):
        keep = parts[half]
        print(f"  story_{half:5s} {fmt(scores(restrict(pred, keep), restrict(gold_story, keep)))}")
    print(f"  topic       {fmt(scores(pred, gold_topic))}")

    print("\nablation (story level, all documents, mean of 3 orders): B3 F1 / pairwise F1")
    variants: list[tuple[str, StoryParams]] = [
        ("full", base),
        ("lexical only (no entities)", dataclasses.replace(base, w_ent=0.0)),
        ("entities only (no lexical)", dataclasses.replace(base, w_lex=0.0)),
        ("no place rule", dataclasses.replace(base, place_penalty=1.0)),
        ("no merges", dataclasses.replace(base, merge_threshold=9.0)),
    ]
    for name, params in variants:
        r = run(params)["story_all"]
        print(f"  {name:28s} {r['b3_f']:.3f} / {r['pw_f']:.3f}")
    r = run(base, undated=False)
    print(f"  {'with the in-text dates':28s} {r['story_all']['b3_f']:.3f} / ", end="")
    print(f"{r['story_all']['pw_f']:.3f}")
    if args.embed:

        def run_orders(fs: list[DocFeatures], params: StoryParams) -> dict[str, float]:
            acc = {h: 0.0 for h in ("dev", "test", "all")}
            for seed in (0, 1, 2):
                o = [dataclasses.replace(f, date=None) for f in fs]
                if seed:
                    random.Random(seed).shuffle(o)
                story, _, _ = cluster(o, params)
                for h in acc:
                    keep = parts[h] & set(story)
                    acc[h] += scores(restrict(story, keep), restrict(gold_story, keep))["b3_f"] / 3
            return acc

        embed_ablation(docs[: args.embed], base, run_orders)


def embed_ablation(
    docs: Sequence[Document],
    base: StoryParams,
    run_orders: Callable[[list[DocFeatures], StoryParams], dict[str, float]],
) -> None:
    """Dense embeddings as a fourth signal: weight, cosine floor and join threshold chosen on
    the dev half, reported on the test half (dates withheld, mean of 3 orders)."""
    from newsgraph.stories.embed import document_text, load_embedder

    emb = load_embedder()
    t = time.perf_counter()
    vecs = emb.embed([document_text(d) for d in docs])
    per = (time.perf_counter() - t) / len(docs)
    print(f"\nembeddings ({emb.name}) of {len(docs)} documents: {per:.3f} s/doc (one core)")
    feats = [features(d, v) for d, v in zip(docs, vecs, strict=True)]
    none = run_orders(feats, base)
    print(
        f"  without embeddings: dev {none['dev']:.3f} test {none['test']:.3f} all {none['all']:.3f}"
    )
    best: tuple[float, dict[str, float], StoryParams] | None = None
    for w in (0.1, 0.2, 0.3):
        for floor in (0.75, 0.8, 0.85, 0.9):
            for thr in (0.24, 0.27):
                p = dataclasses.replace(base, w_emb=w, emb_floor=floor, story_threshold=thr)
                r = run_orders(feats, p)
                if best is None or r["dev"] > best[0]:
                    best = (r["dev"], r, p)
    assert best is not None
    _, r, p = best
    print(
        f"  with embeddings, best on dev (w_emb {p.w_emb}, floor {p.emb_floor}, threshold "
        f"{p.story_threshold}): dev {r['dev']:.3f} test {r['test']:.3f} all {r['all']:.3f}"
    )
    only = dataclasses.replace(base, w_lex=0.0, w_ent=0.0, w_emb=1.0, emb_floor=p.emb_floor)
    r = run_orders(feats, only)
    print(f"  embeddings alone: dev {r['dev']:.3f} test {r['test']:.3f} all {r['all']:.3f}")
    print("  (story-level B3 F1, dates withheld, mean of 3 orders)")


def tune(run: Callable[[StoryParams], dict[str, dict[str, float]]]) -> None:
    """Grid over the main knobs; choose by dev-half story B3 F1."""
    rows = []
    for w_lex in (0.3, 0.5, 0.7):
        for thr in (0.1, 0.14, 0.18, 0.22, 0.26, 0.3):
            for place in (0.6, 1.0):
                p = StoryParams(
                    w_lex=w_lex, w_ent=1 - w_lex, story_threshold=thr, place_penalty=place
                )
                r = run(p)
                rows.append((r["story_dev"]["b3_f"], r["story_test"]["b3_f"], w_lex, thr, place))
                print(
                    f"  w_lex {w_lex:.2f} thr {thr:.2f} place {place:.1f}: "
                    f"dev {rows[-1][0]:.3f} test {rows[-1][1]:.3f}",
                    flush=True,
                )
    best = max(rows)
    print(f"best on dev: w_lex {best[2]} thr {best[3]} place {best[4]} -> test {best[1]:.3f}")


# --------------------------------------------------------------------------- signals ------


def _key_actors(d: Document, k: int = 3) -> set[str]:
    """Canonical sources and targets of the document's first ``k`` events."""
    evs = sorted(d.events, key=lambda e: e.start)[:k]
    return {x for e in evs for x in (e.source, e.target) if x and not x.startswith("local:")}


def _quoted(d: Document, n: int = 4) -> set[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for q in d.quotes:
        w = re.findall(r"[^\W_]{2,}", q.text.lower())
        out |= {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}
    return out


def signals(args: argparse.Namespace) -> None:
    """P(same story) of confusable pairs by candidate signal: see the module docstring."""
    from itertools import combinations

    from newsgraph.stories.features import cosine

    rows = read_ecb(Path(args.data), args.limit)
    stages = ("entities", "quotes", "events", "stories")
    store, _ = prepare_store(rows, Path(args.work), seed=0, stages=stages)
    docs = list(store.iter_documents())
    by_ecb = {r["doc_id"]: r for r in rows}
    story = {d.id: by_ecb[d.extra["ecb_doc"]]["story"] for d in docs}
    topic = {d.id: by_ecb[d.extra["ecb_doc"]]["topic"] for d in docs}
    dev = [d for d in docs if int(topic[d.id]) % 2 == 1]
    feats = {d.id: features(d) for d in dev}
    sig: dict[str, Callable[[Document], set]] = {
        "key-event actors (first 3 events)": _key_actors,
        "key-event types (first 3 events)": lambda d: {
            e.type for e in sorted(d.events, key=lambda e: e.start)[:3]
        },
        "quoted speakers": lambda d: {q.speaker for q in d.quotes if q.speaker},
        "quoted 4-grams (>= 3 shared)": _quoted,
        "lead places (first 400 chars)": lambda d: set(feats[d.id].places),
    }
    vals = {name: {d.id: fn(d) for d in dev} for name, fn in sig.items()}
    by_topic: dict[str, list[Document]] = defaultdict(list)
    for d in dev:
        by_topic[topic[d.id]].append(d)
    pairs = [(a.id, b.id) for ds in by_topic.values() for a, b in combinations(ds, 2)]
    same = sum(story[a] == story[b] for a, b in pairs)
    share = same / len(pairs)
    print(f"\nsignals: {len(pairs)} within-topic pairs of the dev half ({share:.2f} same)")
    print("P(same story) when the signal agrees / conflicts / is missing on a side (pairs);")
    print("  band: pairs whose lexical cosine is 0.15-0.35, where the join decision is made")
    for name in sig:
        cnt: dict[tuple[bool, str], list[int]] = defaultdict(lambda: [0, 0])
        for a, b in pairs:
            x, y = vals[name][a], vals[name][b]
            need = 3 if name.startswith("quoted 4") else 1
            k = "n/a" if not (x and y) else "agree" if len(x & y) >= need else "conflict"
            lex = cosine(feats[a].lex, feats[b].lex)
            for band in (False, True):
                if band and not 0.15 <= lex < 0.35:
                    continue
                c = cnt[(band, k)]
                c[0] += story[a] == story[b]
                c[1] += 1
        cells = []
        for band in (False, True):
            for k in ("agree", "conflict", "n/a"):
                s, n = cnt[(band, k)]
                cells.append(f"{s / n:.2f} ({n})" if n else "- (0)")
        print(f"  {name:36s} all: {' / '.join(cells[:3])}; band: {' / '.join(cells[3:])}")


# --------------------------------------------------------------------------- scale --------


def scale(n: int, seed: int = 0) -> None:
    from stories_stream import generate

    print(f"\nscale: generated stream of {n} documents")
    t = time.perf_counter()
    docs, gold = generate(n, seed)
    print(f"  generated in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    feats = [features(d) for d in docs]
    feat_s = time.perf_counter() - t
    # The bench itself holds every generated document and feature vector; the pipeline's
    # writer does not. Move them out of the garbage collector's way so that its passes over
    # the bench's own data are not counted as clustering time.
    del docs
    gc.collect()
    gc.freeze()
    c = StoryClusterer()
    times = []
    story: dict[str, str] = {}
    for f in feats:
        t0 = time.perf_counter()
        c.add(f)
        times.append(time.perf_counter() - t0)
        if len(times) % 1000 == 0:
            t0 = time.perf_counter()
            story.update(c.drain().assign)  # what the writer does per batch (titles too)
            times[-1] += time.perf_counter() - t0
    story.update(c.drain().assign)
    total = sum(times)
    first = sum(times[:10_000]) / min(10_000, len(times))
    last = sum(times[-10_000:]) / min(10_000, len(times))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    q = scores(story, gold)
    print(f"  features: {feat_s / len(feats) * 1000:.3f} ms/doc ({len(feats) / feat_s:.0f} docs/s)")
    print(f"  clustering: {total:.1f} s, {len(feats) / total:.0f} docs/s")
    print(
        f"  per document: first 10k {first * 1000:.3f} ms, last 10k {last * 1000:.3f} ms "
        f"(ratio {last / first:.2f})"
    )
    print(f"  features + clustering: {len(feats) / (total + feat_s):.0f} docs/s")
    print(f"  open stories at the end: {len(c.stories)}; peak RSS {peak:.0f} MiB")
    print(f"  quality on the generated stream: {fmt(q)}")


def stream(args: argparse.Namespace) -> None:
    """The official statements, in publication order: story sizes and spans."""
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    db = work / "statements.db"
    if not db.exists():
        with gzip.open(STATEMENTS, "rt", encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh]
        rows.sort(key=lambda r: (r["published"], r.get("datetime") or "", r["id"]))
        src = work / "statements.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r) + "\n")
        tmp = db.with_suffix(".tmp.db")
        tmp.unlink(missing_ok=True)
        store = Store.open(tmp)
        Pipeline(store, stages=("entities", "stories"), batch_size=100).run([str(src)])
        store.close()
        tmp.rename(db)
    store = Store.open(db)
    docs = list(store.iter_documents())
    store.close()
    feats = [features(d) for d in docs]
    outlet = {d.id: (d.outlet or "?").split(" ")[0] for d in docs}
    title = {d.id: d.title or "" for d in docs}
    print(f"\nstream: {len(docs)} official statements in publication order (no gold)")
    for label, params in (
        ("newsgraph", StoryParams()),
        ("without stream-frequency damping", StoryParams(df_floor=1.0)),
    ):
        c = StoryClusterer(params)
        for f in feats:
            c.add(f)
        sts = sorted(c.stories.values(), key=lambda st: (-st.n, st.created))
        sizes = [st.n for st in sts]
        print(
            f"  {label}: {len(sts)} stories, {sizes.count(1)} of one document; "
            f"largest {sizes[:8]}; documents in stories of 10 or more: "
            f"{sum(n for n in sizes if n >= 10)}"
        )
        for st in sts[:4]:
            span = (st.last - st.first).days if st.first and st.last else 0
            outs = Counter(outlet[d] for d in st.docs)
            heads = " | ".join(title[d][:38] for d in st.docs[:3])
            print(f"    {st.n:3d} docs, {span:2d} days, {dict(outs)}: {heads}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "newsgraph-bench-stories"))
    ap.add_argument("--limit", type=int, default=None, help="about this many ECB+ documents")
    ap.add_argument("--tune", action="store_true", help="grid search on the dev half")
    ap.add_argument(
        "--embed",
        type=int,
        default=0,
        help="embedding ablation on the first N documents (all: 1000)",
    )
    ap.add_argument("--signals", action="store_true", help="candidate signals on ECB+ dev pairs")
    ap.add_argument("--scale", type=int, default=0, help="generated stream of N documents")
    ap.add_argument("--stream", action="store_true", help="the official statements stream")
    ap.add_argument("--skip-ecb", action="store_true")
    args = ap.parse_args()
    header(sys.argv)
    if args.signals:
        signals(args)
    elif not args.skip_ecb:
        ecb(args)
    if args.stream:
        stream(args)
    if args.scale:
        scale(args.scale)


if __name__ == "__main__":
    main()
