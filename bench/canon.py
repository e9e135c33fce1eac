"""Cross-document canonicalization: mention clustering and display names, plus ECB+.

1. Dev set (built here, deterministic for a given ``--seed``):
     seeds      the five seed articles (``sample/``), people hand-labelled in
                ``tests/fixtures/entities_seeds_gold.json`` (surface form → person);
     tune       variants of the seeds with every person rewritten into a dev identity,
                spelled by the generator's *tuning* rules (``bench/canon_variants.py``:
                romanisations, respellings, translation errors and typos);
     held-out   variants spelled only by rules held out from tuning (French and Spanish
                romanisations, French respelling, transpositions, doubled letters).
   All documents go through the real entity stage (``annotate_many``) and one
   ``EntityResolver`` in a fixed shuffled order. Scored on gold mentions (a generated gold
   span counts as found when a system mention overlaps it; one the NER missed is a
   singleton): pairwise precision/recall/F1 of the mention clustering; false merges of two
   different real people; and the share of gold people whose entity (the one holding most of
   their mentions) shows a correct display name. "tune" figures come from a run over seeds +
   tune documents; "held-out" from a second run with the held-out documents added, counting
   only pairs that involve a held-out mention.

2. ECB+ (``../shared/data/ecbplus_story_clusters``): gold person, organisation and place
   mentions with their ``chain``, restricted to the sentences the corpus marks as annotated;
   a gold mention is scored when a system mention lies inside it. B-cubed, CEAF-e and
   pairwise P/R/F1 of newsgraph's clusters against the chains, with an exact-string baseline
   (the same mentions clustered by lower-cased text) in the same run.

    .venv/bin/python bench/canon.py [--variants N] [--seed S] [--sweep] [--skip-ecb]
                                    [--ecb-limit N] [--errors] [--statements JSONL]
    .venv/bin/python bench/canon.py --statements-only [--statements JSONL]

3. ``--statements``: real documents without gold labels (default: the official statements
   of ``../shared/data``), resolved in file order and reversed: the number of one-word
   PERSON entities, and every surname-only mention that joined a full-name person in another
   document (the list to check by hand).

``--sweep`` prints the dev figures for a range of resolver thresholds on the *tune* run only
(that is how :data:`newsgraph.entities.resolve.THRESHOLD` is chosen). Data under
``../shared/data`` is read at run time and never copied into the repository.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

import canon_variants as cv  # noqa: E402
from ner import header  # noqa: E402
from newsgraph.entities import resolve as resolve_mod  # noqa: E402
from newsgraph.entities.names import split_name  # noqa: E402
from newsgraph.entities.recognize import parse  # noqa: E402
from newsgraph.entities.resolve import EntityResolver  # noqa: E402
from newsgraph.entities.within import annotate_many  # noqa: E402
from newsgraph.model import Document, Entity  # noqa: E402

DATA = REPO.parent / "shared" / "data"
SEEDS = REPO / "sample"
SEED_GOLD = REPO / "tests" / "fixtures" / "entities_seeds_gold.json"
STATEMENTS = DATA / "ukraine_crisis_official_statements_2021_2022" / "statements.jsonl.gz"
ECB_TYPES = ("HUMAN_PART_PER", "HUMAN_PART_ORG", "HUMAN_PART_GPE", "LOC_GEO", "LOC_FAC",
             "LOC_OTHER")  # fmt: skip
TUNE_RULES = ("native", "native", "native", "en", "de", "pl", "iso", "ascii", "en-phon",
              "de-phon", "rl", "vowel", "drop", "kc")  # fmt: skip
HELD_RULES = ("native", "fr", "es", "fr-phon", "transpose", "double")


# ------------------------------------------------------------------------ metrics -------


def prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _clusters(assign: dict[str, str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for m, c in assign.items():
        out[c].add(m)
    return out


def pairwise(
    gold: dict[str, str], pred: dict[str, str], only: set[str] | None = None
) -> tuple[float, float, float]:
    """Pairwise P/R/F1; with ``only``, just the pairs that involve one of those mentions."""

    def pairs(assign: dict[str, str]) -> set[tuple[str, str]]:
        out = set()
        for ms in _clusters(assign).values():
            s = sorted(ms)
            out.update(
                (a, b)
                for i, a in enumerate(s)
                for b in s[i + 1 :]
                if only is None or a in only or b in only
            )
        return out

    g, s = pairs(gold), pairs(pred)
    return prf(len(g & s), len(s - g), len(g - s))


def b_cubed(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    gc, pc = _clusters(gold), _clusters(pred)
    p = r = 0.0
    for m in gold:
        g, s = gc[gold[m]], pc[pred[m]]
        inter = len(g & s)
        p += inter / len(s)
        r += inter / len(g)
    n = len(gold) or 1
    return _f(p / n, r / n)


def _f(p: float, r: float) -> tuple[float, float, float]:
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def ceaf_e(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    """Entity-based CEAF (phi4 similarity, optimal one-to-one alignment of clusters)."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    gcl = list(_clusters(gold).values())
    pcl = list(_clusters(pred).values())
    where = {m: j for j, c in enumerate(pcl) for m in c}
    sim = np.zeros((len(gcl), len(pcl)))
    for i, g in enumerate(gcl):
        for m in g:
            j = where[m]
            if sim[i, j] == 0:
                sim[i, j] = 2 * len(g & pcl[j]) / (len(g) + len(pcl[j]))
    rows, cols = linear_sum_assignment(-sim)
    total = float(sim[rows, cols].sum())
    return _f(total / len(pcl) if pcl else 0.0, total / len(gcl) if gcl else 0.0)


# ------------------------------------------------------------------------ dev set -------


def seed_documents() -> list[Document]:
    return [
        Document(id=p.stem, input=str(p), text=p.read_text(encoding="utf-8"))
        for p in sorted(SEEDS.glob("*.txt"))
    ]


def generated_documents(
    seeds: list[Document], variants: int, seed: int
) -> tuple[list[cv.GeneratedDoc], list[cv.GeneratedDoc]]:
    """(tune, held-out) variants of the seed articles."""
    tune, held = [], []
    persons = {
        d.id: [e.text for e in sd.ents if e.label_ == "PERSON"]
        for d, sd in zip(seeds, parse([d.text for d in seeds]), strict=True)
    }
    families = [f for d in seeds for f, _ in cv.person_slots(d.text, persons[d.id])]
    idents = cv.assign_identities(families, seed)
    for d in seeds:
        p = persons[d.id]
        tune += cv.generate(d.id, d.text, p, variants, TUNE_RULES, seed, "t", idents)
        held += cv.generate(d.id, d.text, p, max(1, variants // 2), HELD_RULES, seed, "h", idents)
    return tune, held


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


class DevRun:
    """One resolver run over documents, with the gold assignment of their mentions."""

    def __init__(self, docs: list[Document], gens: dict[str, cv.GeneratedDoc]) -> None:
        self.docs, self.gens = docs, gens

    def run(self, gold_seed: dict) -> dict:
        t0 = time.perf_counter()
        out, ents, _ = EntityResolver().resolve_all(self.docs)
        secs = time.perf_counter() - t0
        names = {e.id: e for e in ents}
        gold: dict[str, str] = {}
        pred: dict[str, str] = {}
        held: set[str] = set()
        missed = 0
        displays: dict[str, list[str]] = {k: v for k, v in gold_seed["display"].items()}
        for d in out:
            gen = self.gens.get(d.id)
            if gen is None:  # a seed: its hand labels by surface form
                labels = gold_seed["documents"].get(d.id, {})
                for i, m in enumerate(d.mentions):
                    if m.text in labels:
                        mid = f"{d.id}#{i}"
                        gold[mid], pred[mid] = labels[m.text], m.entity or mid
                continue
            for i, g in enumerate(gen.gold):
                mid = f"{d.id}#{i}"
                gold[mid] = g.identity
                best = max(
                    d.mentions,
                    key=lambda m, g=g: _overlap((m.start, m.end), (g.start, g.end)),
                    default=None,
                )
                if best is None or _overlap((best.start, best.end), (g.start, g.end)) == 0:
                    pred[mid] = f"missed:{mid}"
                    missed += 1
                else:
                    pred[mid] = best.entity or mid
                if gen.held_out:
                    held.add(mid)
        for ident in cv.IDENTITIES:
            displays[ident.id] = [ident.en]
        return {"gold": gold, "pred": pred, "held": held, "missed": missed, "names": names,
                "displays": displays, "secs": secs}  # fmt: skip


def false_merges(gold: dict[str, str], pred: dict[str, str]) -> list[tuple[str, str]]:
    """Pairs of different gold people whose mentions share a predicted entity."""
    by_pred: dict[str, set[str]] = defaultdict(set)
    for m, p in gold.items():
        by_pred[pred[m]].add(p)
    out = set()
    for people in by_pred.values():
        ps = sorted(people)
        out.update((a, b) for i, a in enumerate(ps) for b in ps[i + 1 :])
    return sorted(out)


def display_share(res: dict, only: set[str] | None = None) -> tuple[int, int, list[str]]:
    """(correct, total, wrong examples): each gold person's main entity's display name."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for m, g in res["gold"].items():
        if only is None or m in only:
            votes[g][res["pred"][m]] += 1
    ok, wrong = 0, []
    for g, c in sorted(votes.items()):
        eid = c.most_common(1)[0][0]
        ent: Entity | None = res["names"].get(eid)
        shown = ent.name if ent else "(not found)"
        good = {cv.strip_diacritics(x).lower() for x in res["displays"].get(g, [])}
        if cv.strip_diacritics(shown).lower() in good:
            ok += 1
        else:
            wrong.append(f"{g}: {shown!r}")
    return ok, len(votes), wrong


def report(label: str, res: dict, only: set[str] | None, show_errors: bool) -> float:
    p, r, f = pairwise(res["gold"], res["pred"], only)
    gold = res["gold"] if only is None else {m: g for m, g in res["gold"].items() if m in only}
    fm = false_merges(gold, res["pred"])
    ok, tot, wrong = display_share(res, only)
    n = len(gold)
    print(f"{label:<10} {n:6d} {p:6.3f} {r:6.3f} {f:6.3f} {len(fm):6d} {ok:4d}/{tot:<4d} "
          f"{ok / max(tot, 1):6.3f}")  # fmt: skip
    if show_errors:
        for a, b in fm:
            print(f"    false merge: {a} + {b}")
        for w in wrong:
            print(f"    display: {w}")
        split: dict[str, set[str]] = defaultdict(set)
        for m, g in gold.items():
            split[g].add(res["pred"][m])
        for g, ps in sorted(split.items()):
            if len(ps) > 1:
                forms = sorted({res["names"][p].name for p in ps if p in res["names"]})
                print(f"    split: {g} into {len(ps)} clusters {forms}")
    return f


def bench_dev(variants: int, seed: int, sweep: bool, show_errors: bool, do_fit: bool) -> None:
    gold_seed = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    seeds = seed_documents()
    tune, held = generated_documents(seeds, variants, seed)
    gens = {g.id: g for g in tune + held}
    t0 = time.perf_counter()
    annotated = {
        d.id: d
        for d in annotate_many(
            [*seeds, *(Document(id=g.id, input="generated", text=g.text) for g in tune + held)]
        )
    }
    t_ann = time.perf_counter() - t0
    rng = random.Random(seed)
    order_tune = [d.id for d in seeds] + [g.id for g in tune]
    rng.shuffle(order_tune)
    order_all = order_tune + [g.id for g in held]
    rng.shuffle(order_all)
    print(f"\n== Dev set: {len(seeds)} seeds + {len(tune)} tune + {len(held)} held-out "
          f"generated documents; {len(cv.IDENTITIES)} dev identities; held-out rules: "
          f"{', '.join(sorted(cv.HELD_OUT))}")  # fmt: skip
    print(f"annotate: {len(annotated) / t_ann:.1f} docs/s")
    run_tune = DevRun([annotated[i] for i in order_tune], gens)
    run_all = DevRun([annotated[i] for i in order_all], gens)
    res_t = run_tune.run(gold_seed)
    res_a = run_all.run(gold_seed)
    seed_only = {m for m in res_t["gold"] if "~" not in m}
    held_only = res_a["held"]
    found = len(res_a["gold"]) - res_a["missed"]
    print(
        f"generated gold mentions found by the NER: {found}/{len(res_a['gold'])} "
        "(the rest count as singletons)"
    )
    print(f"{'set':<10} {'ments':>6} {'pw-P':>6} {'pw-R':>6} {'pw-F1':>6} {'falseM':>6} "
          f"{'display':>9} {'share':>6}")  # fmt: skip
    report("seeds", res_t, seed_only, show_errors)
    report("tune", res_t, None, show_errors)
    report("held-out", res_a, held_only, show_errors)
    report("all", res_a, None, show_errors)
    print(f"resolve: {len(run_all.docs) / res_a['secs']:.1f} docs/s")
    print("targets: pairwise F1 ≥ 0.95 and no false merge of two different real people")
    if do_fit:
        fit(run_tune.docs, gens, gold_seed)
    if sweep:
        print("threshold sweep on the tune run (pairwise F1 / false merges / display share):")
        keep = resolve_mod.THRESHOLD
        for th in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
            resolve_mod.THRESHOLD = th
            r = run_tune.run(gold_seed)
            ok, tot, _ = display_share(r)
            fm = len(false_merges(r["gold"], r["pred"]))
            f1 = pairwise(r["gold"], r["pred"])[2]
            print(f"  {th:4.2f}: {f1:.3f} / {fm} / {ok / max(tot, 1):.3f}")
        resolve_mod.THRESHOLD = keep


# --------------------------------------------------------------------- fitting ----------


def local_gold(docs: list[Document], gens: dict[str, cv.GeneratedDoc], gold_seed: dict) -> dict:
    """(document id, local key) → gold person, by majority over the local entity's mentions."""
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for d in docs:
        gen = gens.get(d.id)
        labels = gold_seed["documents"].get(d.id, {})
        for m in d.mentions:
            if not m.entity:
                continue
            if gen is None:
                if m.text in labels:
                    votes[(d.id, m.entity)][labels[m.text]] += 1
                continue
            for g in gen.gold:
                if _overlap((m.start, m.end), (g.start, g.end)):
                    votes[(d.id, m.entity)][g.identity] += 1
    return {k: c.most_common(1)[0][0] for k, c in votes.items()}


class _Recorder(EntityResolver):
    """A resolver that records (features, same person?) for every unblocked candidate."""

    def __init__(self, gold: dict) -> None:
        super().__init__()
        self.gold = gold
        self.canon_gold: dict[str, Counter[str]] = defaultdict(Counter)
        self.rows: list[tuple[dict[str, float], int]] = []

    def _link(self, le, ctx, doc, taken):  # type: ignore[no-untyped-def]
        g = self.gold.get((doc.id, le["key"]))
        if g is not None and not le.get("kb_id"):
            for cid in sorted(self._candidates(le)):
                cg = self.canon_gold.get(cid)
                if cid in taken or not cg:
                    continue
                feats, blocked, _ = resolve_mod.features(le, self._canon[cid], ctx)
                if not blocked:
                    self.rows.append((feats, int(cg.most_common(1)[0][0] == g)))
        return super()._link(le, ctx, doc, taken)

    def resolve(self, doc):  # type: ignore[no-untyped-def]
        out, ents, ev = super().resolve(doc)
        for key, cid in out.extra.get("entity_map", {}).items():
            g = self.gold.get((doc.id, key))
            if g is not None:
                self.canon_gold[cid][g] += 1
        return out, ents, ev


def fit(docs: list[Document], gens: dict[str, cv.GeneratedDoc], gold_seed: dict) -> None:
    """Logistic regression (L2, Newton) of same-person on the resolver's features, on the
    tune run; prints weights to put into ``resolve.WEIGHTS``."""
    import numpy as np

    rec = _Recorder(local_gold(docs, gens, gold_seed))
    rec.resolve_all(docs)
    names = [k for k in resolve_mod.WEIGHTS if k != "bias"]
    x = np.array([[1.0] + [f[k] for k in names] for f, _ in rec.rows])
    y = np.array([lab for _, lab in rec.rows], dtype=float)
    w = np.zeros(x.shape[1])
    lam = np.eye(len(w)) * 1.0
    lam[0, 0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + lam @ w
        hess = (x.T * (p * (1 - p))) @ x + lam
        w -= np.linalg.solve(hess, grad)
    print(f"\n== Fitted on {len(y)} unblocked candidate pairs ({int(y.sum())} same person)")
    print("WEIGHTS = {" + ", ".join(f'"{k}": {v:.2f}' for k, v in zip(["bias", *names], w,
          strict=True)) + "}")  # fmt: skip


# ------------------------------------------------------------------------- ECB+ ---------


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


def _inside(gold_m: dict, sys_mentions: Iterable) -> object | None:
    best, best_len = None, 0
    for m in sys_mentions:
        if m.start >= gold_m["start"] and m.end <= gold_m["end"] and m.end - m.start > best_len:
            best, best_len = m, m.end - m.start
    return best


def bench_ecb(limit: int | None) -> None:
    raw = read_ecb(limit)
    print(f"\n== Cross-document entity coreference on ECB+: {len(raw)} documents, "
          f"{sum(len(d['gold']) for d in raw)} gold person/org/place mentions in annotated "
          "sentences")  # fmt: skip
    t0 = time.perf_counter()
    annotated = list(
        annotate_many(Document(id=d["doc_id"], input="ecb+", text=d["text"]) for d in raw)
    )
    t_ann = time.perf_counter() - t0
    t0 = time.perf_counter()
    resolved, _, _ = EntityResolver().resolve_all(annotated)
    t_res = time.perf_counter() - t0
    gold, pred, base = {}, {}, {}
    total = 0
    for d, o in zip(raw, resolved, strict=True):
        for gm in d["gold"]:
            total += 1
            sm = _inside(gm, o.mentions)
            if sm is None:
                continue
            mid = f"{d['doc_id']}#{gm['m_id']}"
            gold[mid] = gm["chain"] or f"single:{mid}"
            pred[mid] = sm.entity or f"none:{mid}"
            base[mid] = sm.text.lower()
    print(
        f"gold mentions with a system mention inside: {len(gold)}/{total} "
        f"({len(gold) / max(total, 1):.1%}); gold chains among them: {len(set(gold.values()))}"
    )
    print(f"{'system':<14} {'B3-P':>6} {'B3-R':>6} {'B3-F1':>6} {'CEAFe-P':>8} {'CEAFe-R':>8} "
          f"{'CEAFe-F1':>8} {'pw-P':>6} {'pw-R':>6} {'pw-F1':>6}")  # fmt: skip
    for name, assign in (("exact-string", base), ("newsgraph", pred)):
        b = b_cubed(gold, assign)
        c = ceaf_e(gold, assign)
        w = pairwise(gold, assign)
        print(f"{name:<14} {b[0]:6.3f} {b[1]:6.3f} {b[2]:6.3f} {c[0]:8.3f} {c[1]:8.3f} "
              f"{c[2]:8.3f} {w[0]:6.3f} {w[1]:6.3f} {w[2]:6.3f}")  # fmt: skip
    print(f"speed: annotate (NER + grouping) {len(raw) / t_ann:.1f} docs/s, "
          f"resolve {len(raw) / t_res:.1f} docs/s")  # fmt: skip


# ------------------------------------------------------------- surnames on real statements


def read_statements(path: Path, limit: int | None) -> list[Document]:
    """Documents of a JSONL(.gz) file with ``id``, ``text`` (and ``outlet``), in file order."""
    docs = []
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            docs.append(Document(id=r["id"], input=str(path), text=r.get("text") or "",
                                 outlet=r.get("outlet"), language="en"))  # fmt: skip
            if limit and len(docs) >= limit:
                break
    return docs


def _one_word_people(r: EntityResolver) -> list[Entity]:
    return [e for e in r.entities() if e.type == "PERSON" and len(e.name.split()) == 1]


def surname_joins(docs: list[Document], r: EntityResolver) -> Counter[tuple[str, str, str]]:
    """(surname as written, display name, "same"/"similar" family key) → documents, for every
    document whose capitalised one-word name without a given name was linked to a PERSON
    entity shown with a full name (within one document the full name already groups the
    surname, so each of these is a merge across documents)."""
    out: Counter[tuple[str, str, str]] = Counter()
    for d in docs:
        for le in d.extra.get("local_entities") or []:
            name = le.get("name") or ""
            if le.get("given") or le.get("kb_id") or " " in name or not name[:1].isupper():
                continue
            e = r.entity(d.extra["entity_map"][le["key"]])
            if e is not None and e.type == "PERSON" and len(e.name.split()) > 1:
                same = split_name(name).family_key == split_name(e.name).family_key
                out[(name, e.name, "same" if same else "similar")] += 1
    return out


def bench_statements(path: Path, limit: int | None) -> None:
    """One-word PERSON entities on real statements, in file order and reversed, and the
    surname-only mentions that joined a full-name person (to check by hand)."""
    print(f"\n== Surnames on {path.name}: one-word PERSON entities, surname joins")
    t0 = time.perf_counter()
    docs = list(annotate_many(read_statements(path, limit)))
    print(f"{len(docs)} documents, annotate {len(docs) / (time.perf_counter() - t0):.1f} docs/s")
    runs = {}
    for label, seq in (("file order", docs), ("reversed", docs[::-1])):
        r = EntityResolver()
        out, _, _ = r.resolve_all(seq)
        runs[label] = (r, out)
        people = [e for e in r.entities() if e.type == "PERSON"]
        print(f"{label:10}  PERSON entities {len(people)}, one-word {len(_one_word_people(r))}")
    r, out = runs["file order"]
    joins = surname_joins(out, r)
    print(f"surname-only entities joined to a full-name person (file order): {len(joins)} "
          f"names, {sum(joins.values())} documents")  # fmt: skip
    for (name, full, key), n in sorted(joins.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {name:22} -> {full:38} {key:8} {n} doc(s)")
    full_keys: dict[str, list[str]] = defaultdict(list)
    for e in r.entities():
        pn = split_name(e.name)
        if e.type == "PERSON" and pn.given and pn.family_key:
            full_keys[pn.family_key].append(e.name)
    left = [(e.name, full_keys[k]) for e in _one_word_people(r)
            if (k := split_name(e.name).family_key) in full_keys]  # fmt: skip
    print(f"one-word PERSON entities left beside a full-name person of the same family key: "
          f"{len(left)}")  # fmt: skip
    for name, fulls in sorted(left):
        print(f"  {name:22} | {', '.join(sorted(fulls))}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--variants", type=int, default=8, help="tune variants per seed article")
    ap.add_argument("--seed", type=int, default=1, help="generator seed")
    ap.add_argument("--sweep", action="store_true", help="threshold sweep on the tune run")
    ap.add_argument("--errors", action="store_true", help="list false merges, splits, names")
    ap.add_argument("--fit", action="store_true", help="fit the scorer's weights (tune run)")
    ap.add_argument("--skip-ecb", action="store_true")
    ap.add_argument("--ecb-limit", type=int, default=None, help="ECB+ documents (whole topics)")
    ap.add_argument(
        "--statements",
        type=Path,
        default=None,
        metavar="JSONL",
        help="also count one-word PERSON entities and surname joins on this file "
        f"(e.g. {STATEMENTS.relative_to(DATA.parent)})",
    )
    ap.add_argument("--statements-only", action="store_true", help="only the --statements run")
    ap.add_argument("--statements-limit", type=int, default=None)
    args = ap.parse_args()  # fmt: skip
    header(sys.argv)
    if args.statements_only:
        bench_statements(args.statements or STATEMENTS, args.statements_limit)
        return
    bench_dev(args.variants, args.seed, args.sweep, args.errors, args.fit)
    if args.statements:
        bench_statements(args.statements, args.statements_limit)
    if not args.skip_ecb:
        if not DATA.is_dir():
            sys.exit(f"data not found: {DATA}")
        bench_ecb(args.ecb_limit)


if __name__ == "__main__":
    main()
