"""PLOVER event coding quality and speed.

    .venv/bin/python bench/events.py [--limit N] [--speed-docs N] [--json PATH]
                                     [--parse selective|full]

Three sets, all read at run time (nothing from ../shared/data is copied into the repo):

1. PLOVER gold-standard records (``../shared/data/plover_gsr_cameo``,
   PLOVER_GSR_CAMEO.mapped16.jsonl): 322 edited CAMEO-manual sentences, one event each,
   mapped to today's 16 types. Each sentence is coded alone; the predicted event is the one
   whose trigger is nearest the root of the parse. Scored: type accuracy (no event = wrong),
   coverage, source and target accuracy on the sentences whose type is right (the predicted
   actor text overlaps a gold actorText; reciprocal SRC/TAR actors count either way; a gold
   side without actors is right only when none is predicted).
2. Hand-labelled sentences (``tests/fixtures/events_labels.json``): 35 seed sentences
   (text in the fixture) and 33 sentences of the dated official statements in
   ``../shared/data/ukraine_crisis_official_statements_2021_2022`` (stored as document id
   + character offsets + sha1; the text is read from the data set). Each sentence is coded
   alone with its publication date. Gold events are matched one-to-one to predictions of the
   same type whose actors agree (names; reciprocal types either way). Scored: type recall
   (gold events with a same-type prediction in the sentence), source / target / date /
   status accuracy on matched events, and precision / recall / F1 of full events (type,
   source, target, status and date all right).
3. The seed articles, whole (``tests/fixtures/events_seeds.json``): every meeting, call and
   visit, found exactly once per article with the right date (publication dates as labelled).
   Events in photo captions count, and are reported apart: cleaning removes captions from the
   text, so their events are ``doc.extra["caption_events"]`` (flagged), not ``doc.events``.

Speed, in the same run, over the seed articles and ``--speed-docs`` statements, the way
``newsgraph.pipeline.annotate`` runs: A = full spaCy parse + entities + quotes (the stages
before events), E = the event stage on that parse. Target E / A ≤ 0.20. The selective path
(``newsgraph.parse_select``, the pipeline's default: NER over the whole text, a parse of only
the sentences the stages ask for) is timed in the same run as the pipeline runs it:
A' = NER-only parse + entities + the parse quotes ask for + quotes; E' = the event stage plus
the extra parse events ask for (the parse of both stages' sentences minus the quotes-only one).
Both are timed after one untimed pass over the same documents with each parse (warm caches).

``--parse`` picks the parse every set is coded with (default: selective, what the pipeline
runs; ``full`` is the whole-text parse, for comparison).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from newsgraph.clean.document import clean_item  # noqa: E402
from newsgraph.entities import annotate_entities  # noqa: E402
from newsgraph.events import extract_events  # noqa: E402
from newsgraph.events.captions import CAPTION_EVENTS_KEY  # noqa: E402
from newsgraph.events.extract import DETAILS_KEY  # noqa: E402
from newsgraph.ingest import read_inputs  # noqa: E402
from newsgraph.model import Document  # noqa: E402
from newsgraph.nlp import load_nlp  # noqa: E402
from newsgraph.parse_select import PARSE_ENV, ner_parse, parse_for_stages  # noqa: E402
from newsgraph.pipeline import annotate  # noqa: E402
from newsgraph.quotes import extract_quotes  # noqa: E402

DATA = REPO.parent / "shared" / "data"
GSR = DATA / "plover_gsr_cameo" / "PLOVER_GSR_CAMEO.mapped16.jsonl"
STATEMENTS = DATA / "ukraine_crisis_official_statements_2021_2022" / "statements.jsonl.gz"
LABELS = REPO / "tests" / "fixtures" / "events_labels.json"
SEED_GOLD = REPO / "tests" / "fixtures" / "events_seeds.json"
SAMPLE = REPO / "sample"
RECIPROCAL = {"CONSULT", "AGREE", "COOPERATE"}


def header(argv: list[str]) -> None:
    cpu = platform.processor() or platform.machine()
    print(f"# bench/events.py — {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"command: .venv/bin/python bench/{' '.join(argv)}")
    print(f"machine: {platform.node()} {platform.platform()} {cpu}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}")  # fmt: skip


PARSE = "selective"  # --parse


def code_doc(doc: Document) -> Document:
    """Entities and events on ``doc`` with the parse ``--parse`` selects."""
    if PARSE == "full":
        sdoc = load_nlp()(doc.text)
        return extract_events(annotate_entities(doc, sdoc), sdoc)
    ner = ner_parse(doc.text)
    doc = annotate_entities(doc, ner)
    return extract_events(doc, parse_for_stages(doc, ["events"], ner, mode="selective"))


def code(text: str, published: dt.date | None = None) -> Document:
    return code_doc(Document(id="b", input="bench", text=text, published=published))


def _overlaps(pred: str | None, gold: list[str]) -> bool:
    if not pred:
        return False
    p = pred.lower()
    return any(g and (g.lower() in p or p in g.lower()) for g in gold)


# ---- 1. PLOVER GSR -----------------------------------------------------------------------


def _actor_texts(field: Any) -> list[str]:
    """actorText of a GSR source/target field (a list of actors, one actor, or a string)."""
    if not field:
        return []
    if isinstance(field, str):
        return [field]
    if isinstance(field, dict):
        field = [field]
    return [a["actorText"] if isinstance(a, dict) else str(a) for a in field]


def bench_gsr(limit: int | None) -> dict[str, Any]:
    rows = [json.loads(x) for x in GSR.read_text("utf-8").splitlines() if x.strip()]
    if limit:
        rows = rows[:limit]
    nlp = load_nlp()
    n = typed = covered = src_ok = tgt_ok = 0
    for r in rows:
        n += 1
        doc = code(r["text"])
        if not doc.events:
            continue
        covered += 1
        sdoc = nlp(r["text"])
        by_idx = {t.idx: t for t in sdoc}

        def depth(d: dict[str, Any], by_idx: Any = by_idx) -> int:
            tok = by_idx.get(d["trigger_start"])
            return len(list(tok.ancestors)) if tok is not None else 99

        pairs = list(zip(doc.events, doc.extra[DETAILS_KEY], strict=True))
        e, d = min(pairs, key=lambda p: (depth(p[1]), p[1]["trigger_start"]))
        if e.type != r["event"]:
            continue
        typed += 1
        srcs = _actor_texts(r.get("source"))
        tgts = _actor_texts(r.get("target"))
        recip = "SRC/TAR" in (r.get("markup") or "")
        s_pred, t_pred = d["source_text"], d["target_text"]
        s_ok = _overlaps(s_pred, srcs) if srcs else s_pred is None
        t_ok = _overlaps(t_pred, tgts) if tgts else t_pred is None
        if recip:  # both sides listed as sources: either actor on either side
            s_ok = _overlaps(s_pred, srcs + tgts)
            t_ok = _overlaps(t_pred, srcs + tgts) if (tgts or len(srcs) > 1) else t_pred is None
        src_ok += s_ok
        tgt_ok += t_ok
    return {
        "sentences": n,
        "coverage": covered / n,
        "type_accuracy": typed / n,
        "source_accuracy_on_typed": src_ok / typed if typed else 0.0,
        "target_accuracy_on_typed": tgt_ok / typed if typed else 0.0,
    }


# ---- 2. hand-labelled sentences --------------------------------------------------------


def _statement_texts() -> dict[str, dict[str, Any]]:
    with gzip.open(STATEMENTS, "rt", encoding="utf-8") as f:
        return {r["id"]: r for r in map(json.loads, f)}


def _labelled(
    kind: str | None = None,
) -> list[tuple[str, str, dt.date | None, list[dict[str, Any]]]]:
    fixture = json.loads(LABELS.read_text("utf-8"))["sentences"]
    stmts = _statement_texts() if STATEMENTS.exists() else {}
    out = []
    for s in fixture:
        if kind is not None and s["kind"] != kind:
            continue
        pub = dt.date.fromisoformat(s["published"]) if s.get("published") else None
        if s["kind"] == "seed":
            out.append((s["id"], s["text"], pub, s["events"]))
            continue
        doc = stmts.get(s["doc"])
        if doc is None:
            continue
        text = doc["text"][s["start"] : s["end"]]
        if hashlib.sha1(text.encode()).hexdigest() != s["sha1"]:
            print(f"warning: {s['id']} does not match the data set; skipped", file=sys.stderr)
            continue
        out.append((s["id"], text, pub, s["events"]))
    return out


def _actor_ok(pred: str | None, gold: list[str | None]) -> bool:
    if pred is None:
        return None in gold
    return _overlaps(pred, [g for g in gold if g])


def _actors_match(g: dict[str, Any], d: dict[str, Any], type_: str) -> tuple[bool, bool, bool]:
    """(matches at all, source right, target right), trying both directions if reciprocal."""
    s, t = d["source_text"], d["target_text"]
    fwd = (_actor_ok(s, g["source"]), _actor_ok(t, g["target"]))
    if type_ in RECIPROCAL:
        bwd = (_actor_ok(t, g["source"]), _actor_ok(s, g["target"]))
        if sum(bwd) > sum(fwd):
            fwd = bwd
    named = [x for x in (s, t) if x]
    gold_names = [x for x in g["source"] + g["target"] if x]
    linked = any(_overlaps(x, gold_names) for x in named) or (not named and not gold_names)
    return linked, fwd[0], fwd[1]


def bench_labelled(kind: str | None = None) -> dict[str, Any]:
    items = _labelled(kind)
    gold_n = pred_n = full_ok = typed = 0
    src = tgt = date = status = matched = 0
    misses: list[str] = []
    for sid, text, pub, gold in items:
        doc = code(text, pub)
        preds = list(zip(doc.events, doc.extra[DETAILS_KEY], strict=True))
        pred_n += len(preds)
        gold_n += len(gold)
        used: set[int] = set()
        for g in gold:
            same_type = [i for i, (e, _) in enumerate(preds) if e.type == g["type"]]
            if same_type:
                typed += 1
            best, best_key = None, None
            for i in same_type:
                if i in used:
                    continue
                e, d = preds[i]
                linked, s_ok, t_ok = _actors_match(g, d, e.type)
                if not linked:
                    continue
                want = g["date"]
                key = (s_ok + t_ok, e.status == g["status"], str(e.date) == str(want))
                if best_key is None or key > best_key:
                    best, best_key = i, key
            if best is None:
                why = "no prediction of that type" if not same_type else "actors differ"
                misses.append(f"{sid}: {_gold_str(g)} — {why}; predicted "
                              f"{[_pred_str(e, d) for e, d in preds] or 'nothing'}")  # fmt: skip
                continue
            used.add(best)
            matched += 1
            e, d = preds[best]
            _, s_ok, t_ok = _actors_match(g, d, e.type)
            d_ok = (e.date.isoformat() if e.date else None) == g["date"]
            st_ok = e.status == g["status"]
            src += s_ok
            tgt += t_ok
            date += d_ok
            status += st_ok
            full_ok += s_ok and t_ok and d_ok and st_ok
            if not (s_ok and t_ok and d_ok and st_ok):
                misses.append(f"{sid}: {_gold_str(g)} — got {_pred_str(e, d)}")
        for i, (e, d) in enumerate(preds):
            if i not in used:
                misses.append(f"{sid}: extra {_pred_str(e, d)}")
    p = full_ok / pred_n if pred_n else 0.0
    r = full_ok / gold_n if gold_n else 0.0
    return {
        "sentences": len(items),
        "gold_events": gold_n,
        "predicted_events": pred_n,
        "type_recall": typed / gold_n if gold_n else 0.0,
        "matched": matched,
        "source_accuracy": src / matched if matched else 0.0,
        "target_accuracy": tgt / matched if matched else 0.0,
        "date_accuracy": date / matched if matched else 0.0,
        "status_accuracy": status / matched if matched else 0.0,
        "full_event_precision": p,
        "full_event_recall": r,
        "full_event_f1": 2 * p * r / (p + r) if p + r else 0.0,
        "misses": misses,
    }


def _gold_str(g: dict[str, Any]) -> str:
    return f"gold {g['type']} {g['source']}→{g['target']} {g['status']} {g['date']}"


def _pred_str(e: Any, d: dict[str, Any]) -> str:
    return (f"{e.type} {d['source_text']}→{d['target_text']} {e.status} "
            f"{e.date.isoformat() if e.date else None} [{d['trigger']}]")  # fmt: skip


# ---- 3. whole seed articles ----------------------------------------------------------------


def _seed_docs(dated: bool = True) -> list[Document]:
    gold = json.loads(SEED_GOLD.read_text("utf-8"))["articles"]
    docs = []
    for name in sorted(gold):
        raw = next(iter(read_inputs([str(SAMPLE / name)])))
        doc = clean_item(raw)
        assert isinstance(doc, Document)
        if dated and doc.published is None:
            doc = doc.model_copy(
                update={"published": dt.date.fromisoformat(gold[name]["published"])}
            )
        docs.append(doc)
    return docs


def _pair(d: dict[str, Any], g: dict[str, Any]) -> bool:
    s, t = d["source_text"], d["target_text"]
    return (_overlaps(s, g["source"]) and _overlaps(t, g["target"])) or (
        _overlaps(t, g["source"]) and _overlaps(s, g["target"])
    )


def bench_seeds() -> dict[str, Any]:
    gold = json.loads(SEED_GOLD.read_text("utf-8"))["articles"]
    total = once_right = realised_wrong = in_caption = 0
    misses = []
    for doc in _seed_docs():
        name = Path(doc.input).name
        doc = code_doc(doc)
        # (status, date, details, where): text events, then the flagged caption events
        preds = [(e.status, e.date.isoformat() if e.date else None, d, "text")
                 for e, d in zip(doc.events, doc.extra[DETAILS_KEY], strict=True)
                 if e.type == "CONSULT"]  # fmt: skip
        captioned = doc.extra.get(CAPTION_EVENTS_KEY, [])
        preds += [(r["status"], r["date"], r, "caption") for r in captioned
                  if r["type"] == "CONSULT"]  # fmt: skip
        for g in gold[name]["events"]:
            total += 1
            real = g["status"] == "occurred"
            hits = [p for p in preds if _pair(p[2], g)]
            same_class = [p for p in hits if (p[0] == "occurred") == real]
            want = g["date"]
            if len(same_class) == 1 and same_class[0][1] == want:
                once_right += 1
                in_caption += same_class[0][3] == "caption"
            else:
                misses.append(
                    f"{name}: {g['mode']} {g['source'][0]}–{g['target'][0]} {g['status']} {want}"
                )
            if not real:
                realised_wrong += sum(1 for p in hits if p[0] == "occurred" and p[1] == want)
    return {"gold": total, "found_once_right_date": once_right, "of_which_in_captions": in_caption,
            "unrealised_coded_occurred": realised_wrong, "misses": misses}  # fmt: skip


# ---- speed -----------------------------------------------------------------------------------


def bench_speed(n_statements: int) -> dict[str, Any]:
    docs = _seed_docs()
    if STATEMENTS.exists():
        stm = list(_statement_texts().values())[:n_statements]
        docs += [
            Document(id=s["id"], input="bench", text=s["text"],
                     published=dt.date.fromisoformat(s["published"]))
            for s in stm
        ]  # fmt: skip
    nlp = load_nlp()
    code("Warm up the event stage on one sentence about a meeting in Paris on Monday.")
    # One untimed pass with both parses first: each timed path then meets warm per-process
    # caches (spaCy's lemmatizer, the selective parse's token attributes), as in a long run.
    saved = os.environ.get(PARSE_ENV)
    try:
        for mode in ("full", "selective"):
            os.environ[PARSE_ENV] = mode
            for doc in docs:
                annotate(doc)
    finally:
        if saved is None:
            os.environ.pop(PARSE_ENV, None)
        else:
            os.environ[PARSE_ENV] = saved
    before = events_t = 0.0
    sel_before = sel_after = 0.0
    chars = 0
    # Both paths on each document in turn, so that a change of machine load hits both alike.
    for doc in docs:
        chars += len(doc.text)
        t0 = time.perf_counter()
        sdoc = nlp(doc.text)
        d = annotate_entities(doc, sdoc)
        d = extract_quotes(d, sdoc)
        t1 = time.perf_counter()
        extract_events(d, sdoc)
        t2 = time.perf_counter()
        before += t1 - t0
        events_t += t2 - t1
        # The selective path as annotate runs it. Before events: NER-only parse, entities, a
        # parse of what quotes need, quotes. Events add the parse of the sentences only they
        # need (both stages' parse minus the quotes-only one, each timed on a copy of the same
        # NER doc) and their own stage.
        t0 = time.perf_counter()
        ner = ner_parse(doc.text)
        d = annotate_entities(doc, ner)
        t1 = time.perf_counter()
        ner_events = ner.copy()
        t2 = time.perf_counter()
        sdoc = parse_for_stages(d, ["quotes"], ner, mode="selective")
        t3 = time.perf_counter()
        d = extract_quotes(d, sdoc)
        t4 = time.perf_counter()
        sdoc = parse_for_stages(d, ["quotes", "events"], ner_events, mode="selective")
        t5 = time.perf_counter()
        extract_events(d, sdoc)
        t6 = time.perf_counter()
        sel_before += (t1 - t0) + (t4 - t2)
        sel_after += (t5 - t4) - (t3 - t2) + (t6 - t5)
    sel_events = sel_after
    return {"documents": len(docs), "characters": chars, "before_s": before,
            "events_s": events_t, "ratio": events_t / before if before else 0.0,
            "selective_before_s": sel_before, "selective_events_s": sel_events,
            "selective_ratio": sel_events / sel_before if sel_before else 0.0,
            "selective_vs_full_before": sel_before / before if before else 0.0}  # fmt: skip


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="GSR sentences (default all)")
    ap.add_argument("--speed-docs", type=int, default=100, help="statements in the speed run")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    ap.add_argument("--sets", default="gsr,labelled,seeds,speed",
                    help="comma-separated subset of gsr,labelled,seeds,speed")  # fmt: skip
    ap.add_argument("--misses", action="store_true",
                    help="list the hand-labelled gold events not fully right")  # fmt: skip
    ap.add_argument("--parse", choices=["selective", "full"], default="selective",
                    help="parse for coding: only needed sentences, or the whole text")  # fmt: skip
    args = ap.parse_args(argv)
    global PARSE
    PARSE = args.parse
    sets = set(args.sets.split(","))
    header(["events.py", *argv])
    load_nlp()
    results: dict[str, Any] = {}
    if GSR.exists() and "gsr" in sets:
        g = results["plover_gsr"] = bench_gsr(args.limit)
        print(f"\nPLOVER GSR ({g['sentences']} sentences, one event each, coded alone)")
        print(f"  type accuracy        {g['type_accuracy']:.3f}  (coverage {g['coverage']:.3f})")
        print(f"  source accuracy      {g['source_accuracy_on_typed']:.3f}  (on right-type)")
        print(f"  target accuracy      {g['target_accuracy_on_typed']:.3f}  (on right-type)")
    for kind, label in ((None, "all"), ("seed", "seed sentences"),
                        ("statement", "official statements")):  # fmt: skip
        if "labelled" not in sets:
            break
        h = results[f"hand_labelled_{label.split()[0]}"] = bench_labelled(kind)
        print(f"\nhand-labelled, {label} ({h['sentences']} sentences, {h['gold_events']} gold "
              f"events, {h['predicted_events']} predicted)")  # fmt: skip
        print(f"  type recall          {h['type_recall']:.3f}")
        print(f"  matched events       {h['matched']}")
        for k in ("source_accuracy", "target_accuracy", "date_accuracy", "status_accuracy"):
            print(f"  {k.replace('_', ' '):20} {h[k]:.3f}  (on matched)")
        print(f"  full events P/R/F1   {h['full_event_precision']:.3f} / "
              f"{h['full_event_recall']:.3f} / {h['full_event_f1']:.3f}")  # fmt: skip
        if args.misses and kind is None:
            for m in h["misses"]:
                print(f"  miss: {m}")
    if "seeds" in sets:
        report_seeds(results)
    if "speed" in sets:
        sp = results["speed"] = bench_speed(args.speed_docs)
        print(f"\nspeed ({sp['documents']} documents, {sp['characters']} characters): "
              f"parse+entities+quotes {sp['before_s']:.2f} s, events {sp['events_s']:.2f} s, "
              f"ratio {sp['ratio']:.3f} (target ≤ 0.20)")  # fmt: skip
        print(f"  selective parse: entities+quotes {sp['selective_before_s']:.2f} s "
              f"({sp['selective_vs_full_before']:.2f} of the full-parse time), events "
              f"{sp['selective_events_s']:.2f} s with the parse they add, ratio "
              f"{sp['selective_ratio']:.3f} (target ≤ 0.20)")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), "utf-8")


def report_seeds(results: dict[str, Any]) -> None:
    s = results["seeds"] = bench_seeds()
    print(f"\nseed articles: meetings/calls/visits found once with the right date "
          f"{s['found_once_right_date']}/{s['gold']} ({s['of_which_in_captions']} of them in "
          f"photo captions, flagged); unrealised coded as occurred: "
          f"{s['unrealised_coded_occurred']}")  # fmt: skip
    for m in s["misses"]:
        print(f"  miss: {m}")


if __name__ == "__main__":
    main(sys.argv[1:])
