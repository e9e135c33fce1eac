"""Quote extraction quality and speed on PolNeAR and on the hand-labelled seeds.

    .venv/bin/python bench/quotes.py [--split test|dev] [--limit N] [--no-seeds] [--json PATH]
                                     [--parse selective|full] [--warm-passes N]

PolNeAR (Newell, Margolin & Ruths, LREC 2018) annotates every attribution (direct quote,
reported speech, reported belief or intention) with source, cue and content spans; it is read
at run time from ``../shared/data/polnear`` and nothing from it is copied here. Tune on
``--split dev``; the figures to report are on ``test`` (the default).

Scoring, per article against one annotator (the first listed in metadata.tsv that has a file):

- content: a predicted quote matches a gold content when their word-token overlap F1 ≥ 0.6
  (one-to-one, best pairs first); P/R/F1 overall, recall split by gold contents with
  quotation marks ("direct") and without ("indirect"); also exact matches (same span up to
  surrounding punctuation and quote marks).
- cue accuracy on matched pairs: the predicted cue token lies inside the gold cue span.
- speaker accuracy on matched pairs: the predicted speaker noun phrase overlaps the gold
  source span (no gold source = correct only when no speaker was predicted).

The seeds (five articles in ``../shared/seeds``) are scored against
``tests/fixtures/quotes_seeds.json`` (labelled by hand): same matching, speaker compared by
name (the gold surname inside the predicted speaker text, or both anonymous/None).
Targets: F1 ≥ 0.9 and speaker accuracy ≥ 0.9.

Speed, measured in the same run on every document (PolNeAR texts and the seeds), the way
``newsgraph.pipeline.annotate`` runs the stages:

- A: full spaCy parse + entity stage (what runs before the quote stage when quotes are on);
- Q: the quote stage on that parse;
- B: NER-only parse + entity stage (what runs when the quote stage is off).

Target: Q / A ≤ 0.15. Charged with the dependency parse it needs, the quote stage costs
(A + Q) / B - 1; we print that too, and the share of text in sentences that could hold a
quote (a quotation mark, a cue-verb form or "according"), which bounds what parsing only
candidate sentences could save.

The selective path (``newsgraph.parse_select``, the pipeline's default) is timed in the same
run on every document: after B, S parses only the sentences the quote stage asks for, and
Q' is the quote stage on that parse; its cost over the pipeline before it is (S + Q') / B.
``--parse`` picks which path's quotes are scored (default: selective, what the pipeline runs).
Timings are taken after ``--warm-passes`` (default 1) untimed passes over the same texts, so
every path meets warm per-process caches as in a long run (``--warm-passes 0``: cold).

The parse-free path (``NEWSGRAPH_QUOTES=rules``, :mod:`newsgraph.quotes.rules`) is scored and
timed in the same run, on the same NER-only doc and entities as B: R is its quote stage, and
R / B is its whole cost (it needs no parse). Both paths' quality is printed side by side.

Marginal cost where events already pay for the parse (``--marginal``, on by default): the
pipeline's own ``annotate`` with stages entities,events (E) and entities,events,quotes, once
per quote mode (EQ), per document: (EQ - E) / E.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from newsgraph.entities.recognize import ner_only_disable  # noqa: E402
from newsgraph.entities.within import annotate_entities  # noqa: E402
from newsgraph.model import Document  # noqa: E402
from newsgraph.nlp import load_nlp  # noqa: E402
from newsgraph.parse_select import parse_for_stages  # noqa: E402
from newsgraph.quotes import find_candidates  # noqa: E402
from newsgraph.quotes.base import Candidate  # noqa: E402
from newsgraph.quotes.lexicon import load_lexicon  # noqa: E402
from newsgraph.quotes.rules import find_candidates_rules  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data" / "polnear"
SEEDS = REPO.parent / "shared" / "seeds"
SEED_GOLD = REPO / "tests" / "fixtures" / "quotes_seeds.json"
MATCH_F1 = 0.6
_WORD = re.compile(r"\w+")
_QUOTE_MARKS = "\"“”„«»‹›‘’'"
_EDGE = _QUOTE_MARKS + " \t\n.,;:–—-"


@dataclass
class Gold:
    start: int
    end: int
    frags: list[tuple[int, int]]
    cue: list[tuple[int, int]] = field(default_factory=list)
    source: list[tuple[int, int]] = field(default_factory=list)
    speaker: str | None = None  # seeds: hand-labelled speaker name


def _frags(spec: str) -> list[tuple[int, int]]:
    out = []
    for part in spec.split(";"):
        a, b = part.split()
        out.append((int(a), int(b)))
    return out


def read_ann(path: Path) -> list[Gold]:
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("T"):
            tid, rest, *_ = line.split("\t")
            label, _, spec = rest.partition(" ")
            spans[tid] = (label, _frags(spec))
        elif line.startswith("E"):
            parts = line.split("\t")[1].split()
            events.append(dict(p.split(":", 1) for p in parts))
    out = []
    for ev in events:
        content = ev.get("Content")
        if content not in spans:
            continue
        frags = spans[content][1]
        g = Gold(min(a for a, _ in frags), max(b for _, b in frags), frags)
        if ev.get("Cue") in spans:
            g.cue = spans[ev["Cue"]][1]
        if ev.get("Source") in spans:
            g.source = spans[ev["Source"]][1]
        out.append(g)
    return out


def _tokens(text: str, frags: list[tuple[int, int]]) -> set[int]:
    out: set[int] = set()
    for s, e in frags:
        out.update(m.start() for m in _WORD.finditer(text, s, e))
    return out


def _overlap_f1(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return 2 * inter / (len(a) + len(b))


def _norm_span(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _EDGE:
        s += 1
    while e > s and text[e - 1] in _EDGE:
        e -= 1
    return s, e


def _overlaps(a: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


@dataclass
class Score:
    gold: int = 0
    pred: int = 0
    matched: int = 0
    exact: int = 0
    gold_direct: int = 0
    gold_indirect: int = 0
    matched_direct: int = 0
    matched_indirect: int = 0
    pred_direct: int = 0
    matched_pred_direct: int = 0
    cue_ok: int = 0
    cue_total: int = 0
    speaker_ok: int = 0
    speaker_total: int = 0
    docs: int = 0
    chars: int = 0
    candidate_chars: int = 0  # characters in sentences that could hold a quote
    full_parse_s: float = 0.0
    ner_parse_s: float = 0.0
    entities_full_s: float = 0.0  # entity stage on the full parse
    entities_ner_s: float = 0.0  # entity stage on the NER-only parse
    quote_s: float = 0.0
    select_parse_s: float = 0.0  # selective path: parse of the needed sentences (after B)
    select_quote_s: float = 0.0  # selective path: quote stage on that parse
    select_chars: int = 0  # characters in the sentences it parsed
    rules_quote_s: float = 0.0  # parse-free path: quote stage on the NER-only doc (after B)
    events_s: float = 0.0  # annotate(entities, events)
    events_quotes_parse_s: float = 0.0  # annotate(entities, events, quotes), quotes over parse
    events_quotes_rules_s: float = 0.0  # the same with NEWSGRAPH_QUOTES=rules

    def prf(self) -> tuple[float, float, float]:
        p = self.matched / self.pred if self.pred else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def score_doc(
    text: str,
    gold: list[Gold],
    pred: list[Candidate],
    sc: Score,
    speaker_ok: Any,
) -> list[tuple[Gold, Candidate]]:
    gt = [_tokens(text, g.frags) for g in gold]
    pt = [_tokens(text, c.segments) for c in pred]
    pairs = []
    for i, g in enumerate(gt):
        for j, p in enumerate(pt):
            f = _overlap_f1(g, p)
            if f >= MATCH_F1:
                pairs.append((f, i, j))
    pairs.sort(reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    matches = []
    for _, i, j in pairs:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        matches.append((gold[i], pred[j]))
    sc.gold += len(gold)
    sc.pred += len(pred)
    sc.matched += len(matches)
    for g in gold:
        direct = any(ch in _QUOTE_MARKS[:-1] for ch in text[g.start : g.end])
        if direct:
            sc.gold_direct += 1
        else:
            sc.gold_indirect += 1
    sc.pred_direct += sum(c.kind == "direct" for c in pred)
    for g, c in matches:
        direct = any(ch in _QUOTE_MARKS[:-1] for ch in text[g.start : g.end])
        sc.matched_direct += direct
        sc.matched_indirect += not direct
        sc.matched_pred_direct += c.kind == "direct"
        if _norm_span(text, g.start, g.end) == _norm_span(text, c.start, c.end):
            sc.exact += 1
        if g.cue:
            sc.cue_total += 1
            if c.cue_i is not None:
                # the cue token's char span, from the stored doc
                cs, ce = c.cue_span  # type: ignore[attr-defined]
                sc.cue_ok += _overlaps((cs, ce), g.cue)
        sc.speaker_total += 1
        sc.speaker_ok += speaker_ok(g, c)
    return matches


def _annotator_files(split_dir: Path, meta: Path) -> dict[str, Path]:
    order: dict[str, list[str]] = {}
    with meta.open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            order[row["filename"]] = row["annotators"].split("|")
    out = {}
    for txt in sorted((split_dir / "text").glob("*.txt")):
        stem = txt.stem
        files = {
            p.stem.rsplit("_", 1)[1]: p for p in (split_dir / "attributions").glob(f"{stem}_*.ann")
        }
        if not files:
            continue
        pick = next((a for a in order.get(stem, []) if a in files), sorted(files)[0])
        out[stem] = files[pick]
    return out


_MARKS = set('"“”„«»‹›')


def _cue_forms() -> frozenset[str]:
    """Inflected forms of the cue lemmas, over-generated by regular rules (a prefilter)."""
    irregular = {"say": ("said",), "tell": ("told",), "write": ("wrote", "written")}
    out = {"according"}
    for v in load_lexicon().speech_verbs:
        out |= {v, v + "s", v + "es", v + "d", v + "ed", v + "ing", *irregular.get(v, ())}
        if v.endswith("e"):
            out.add(v[:-1] + "ing")
        if v.endswith("y"):
            out |= {v[:-1] + "ied", v[:-1] + "ies"}
    return frozenset(out)


_FORMS = _cue_forms()


def _candidate_chars(sdoc: Any, forms: frozenset[str]) -> int:
    return sum(
        len(s.text)
        for s in sdoc.sents
        if any(ch in _MARKS for ch in s.text) or any(t.lower_ in forms for t in s)
    )


PARSE = "selective"  # which path's quotes are scored (--parse)
MARGINAL = True  # time annotate() with and without quotes where events parse anyway
WARM_PASSES = 1  # untimed passes over the same texts first (--warm-passes)


def _warm(texts: list[str]) -> None:
    """Untimed passes over ``texts`` with every path, so that each timed path meets warm
    per-process caches (spaCy's lemmatizer cache, the token attribute cache of the selective
    parse), as it does in a long run. Interleaved cold, whichever path runs first on a
    document pays the other's cache misses."""
    for _ in range(WARM_PASSES):
        for text in texts:
            run_candidates(text, "warm", Score(), Score())


def _marginal(text: str, doc_id: str, sc: Score) -> None:
    """annotate() as the pipeline runs it, with events on, without and with quotes."""
    from newsgraph.parse_select import QUOTES_ENV
    from newsgraph.pipeline import annotate

    doc = Document(id=doc_id, input=doc_id, text=text)
    old = os.environ.get(QUOTES_ENV)
    try:
        t0 = time.perf_counter()
        annotate(doc.model_copy(deep=True), ["entities", "events"])
        t1 = time.perf_counter()
        os.environ[QUOTES_ENV] = "parse"
        annotate(doc.model_copy(deep=True), ["entities", "events", "quotes"])
        t2 = time.perf_counter()
        os.environ[QUOTES_ENV] = "rules"
        annotate(doc.model_copy(deep=True), ["entities", "events", "quotes"])
        t3 = time.perf_counter()
        annotate(doc.model_copy(deep=True), ["entities", "events"])
        t4 = time.perf_counter()
    finally:
        if old is None:
            os.environ.pop(QUOTES_ENV, None)
        else:
            os.environ[QUOTES_ENV] = old
    # without quotes: timed before and after the two runs with them (order effects cancel)
    sc.events_s += ((t1 - t0) + (t4 - t3)) / 2
    sc.events_quotes_parse_s += t2 - t1
    sc.events_quotes_rules_s += t3 - t2


def _cue_spans(cands: list[Candidate], sdoc: Any) -> list[Candidate]:
    for c in cands:
        if c.cue_i is not None:
            tok = sdoc[c.cue_i]
            c.cue_span = (tok.idx, tok.idx + len(tok))  # type: ignore[attr-defined]
    return cands


def run_candidates(text: str, doc_id: str, sc: Score, rsc: Score) -> list[Candidate]:
    """The stages as the pipeline runs them, timed: both parses, entities, quotes, the
    selective path (NER-only doc and entities, then only the needed sentences parsed) and the
    parse-free path (quotes on the NER-only doc). Returns the scored path's quotes; the
    parse-free path's quotes are left in ``rsc.last``."""
    nlp = load_nlp()
    ner_off = ner_only_disable(nlp)
    doc = Document(id=doc_id, input=doc_id, text=text)
    t0 = time.perf_counter()
    ner_doc = next(nlp.pipe([text], disable=list(ner_off)))
    t1 = time.perf_counter()
    sel_doc = annotate_entities(doc.model_copy(deep=True), ner_doc)
    t2 = time.perf_counter()
    # the parse-free path first: the selective parse below writes into ner_doc
    rules_cands = find_candidates_rules(sel_doc, ner_doc)
    t2r = time.perf_counter()
    assert not ner_doc.has_annotation("DEP"), "the rules path must not need a parse"
    rsc.rules_quote_s += t2r - t2
    rsc.last = _cue_spans(rules_cands, ner_doc)  # type: ignore[attr-defined]
    t2 = time.perf_counter()
    sel_sdoc = parse_for_stages(sel_doc, ["quotes"], ner_doc, mode="selective")
    t2a = time.perf_counter()
    sel_cands = find_candidates(sel_doc, sel_sdoc)
    t2b = time.perf_counter()
    sc.select_parse_s += t2a - t2
    sc.select_quote_s += t2b - t2a
    sc.select_chars += sum(len(s.text) for s in sel_sdoc.sents if s[0].tag_)
    sc.ner_parse_s += t1 - t0
    sc.entities_ner_s += t2 - t1
    t2 = time.perf_counter()
    sdoc = nlp(text)
    t3 = time.perf_counter()
    doc = annotate_entities(doc, sdoc)
    t4 = time.perf_counter()
    cands = find_candidates(doc, sdoc)
    t5 = time.perf_counter()
    sc.full_parse_s += t3 - t2
    sc.entities_full_s += t4 - t3
    sc.quote_s += t5 - t4
    sc.docs += 1
    sc.chars += len(text)
    sc.candidate_chars += _candidate_chars(sdoc, _FORMS)
    if MARGINAL:
        _marginal(text, doc_id, sc)
    if PARSE == "selective":
        cands, sdoc = sel_cands, sel_sdoc
    return _cue_spans(cands, sdoc)


def bench_polnear(data: Path, split: str, limit: int | None) -> tuple[Score, Score]:
    files = _annotator_files(data / split, data / "metadata.tsv")
    items = list(files.items())[:limit] if limit else list(files.items())
    sc, rsc = Score(), Score()

    def speaker_ok(g: Gold, c: Candidate) -> bool:
        if not g.source:
            return c.speaker_span is None
        if c.speaker_span is None:
            return False
        return _overlaps(c.speaker_span, g.source)

    _warm_up()
    _warm([(data / split / "text" / f"{stem}.txt").read_text("utf-8") for stem, _ in items])
    for stem, ann in items:
        text = (data / split / "text" / f"{stem}.txt").read_text("utf-8")
        cands = run_candidates(text, stem, sc, rsc)
        gold = read_ann(ann)
        score_doc(text, gold, cands, sc, speaker_ok)
        score_doc(text, gold, rsc.last, rsc, speaker_ok)  # type: ignore[attr-defined]
    return sc, rsc


def _name_ok(gold: str | None, pred: str | None) -> bool:
    if gold is None:
        return pred is None
    if pred is None:
        return False
    return gold.lower() in pred.lower()


def seed_gold(text: str, item: dict[str, Any]) -> Gold:
    """One hand label: content (a string, or the pieces of a split quote), speaker, nth."""
    pieces = item["content"] if isinstance(item["content"], list) else [item["content"]]
    pos = -1
    for _ in range(item.get("nth", 0) + 1):
        pos = text.index(pieces[0], pos + 1)
    frags = [(pos, pos + len(pieces[0]))]
    for p in pieces[1:]:
        s = text.index(p, frags[-1][1])
        frags.append((s, s + len(p)))
    g = Gold(frags[0][0], frags[-1][1], frags)
    g.speaker = item.get("speaker")
    return g


def bench_seeds() -> tuple[Score, Score]:
    labels = json.loads(SEED_GOLD.read_text("utf-8"))
    sc, rsc = Score(), Score()
    _warm([(SEEDS / n).read_text("utf-8") for n in sorted(labels) if not n.startswith("_")])
    for name, items in sorted(labels.items()):
        if name.startswith("_"):
            continue
        text = (SEEDS / name).read_text("utf-8")
        gold = [seed_gold(text, it) for it in items]
        cands = run_candidates(text, name, sc, rsc)
        score_doc(text, gold, cands, sc, lambda g, c: _name_ok(g.speaker, c.speaker_text))
        score_doc(
            text,
            gold,
            rsc.last,  # type: ignore[attr-defined]
            rsc,
            lambda g, c: _name_ok(g.speaker, c.speaker_text),
        )
    return sc, rsc


def report(title: str, sc: Score, rsc: Score | None = None) -> dict[str, Any]:
    p, r, f = sc.prf()
    out = {
        "docs": sc.docs,
        "gold": sc.gold,
        "predicted": sc.pred,
        "matched": sc.matched,
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(f, 3),
        "exact_match_rate": round(sc.exact / sc.gold, 3) if sc.gold else 0.0,
        "recall_direct": round(sc.matched_direct / sc.gold_direct, 3) if sc.gold_direct else None,
        "recall_indirect": round(sc.matched_indirect / sc.gold_indirect, 3)
        if sc.gold_indirect
        else None,
        "gold_direct": sc.gold_direct,
        "gold_indirect": sc.gold_indirect,
        "cue_accuracy": round(sc.cue_ok / sc.cue_total, 3) if sc.cue_total else None,
        "speaker_accuracy": round(sc.speaker_ok / sc.speaker_total, 3)
        if sc.speaker_total
        else None,
    }
    if sc.full_parse_s:
        before = sc.full_parse_s + sc.entities_full_s  # A
        without = sc.ner_parse_s + sc.entities_ner_s  # B
        extra_parse = sc.full_parse_s - sc.ner_parse_s
        share = sc.candidate_chars / sc.chars if sc.chars else 0.0
        out |= {
            "full_parse_plus_entities_s": round(before, 2),
            "quote_stage_s": round(sc.quote_s, 2),
            "ner_parse_plus_entities_s": round(without, 2),
            "quote_ratio_on_shared_parse": round(sc.quote_s / before, 3),
            "quote_ratio_charged_with_parse": round((before + sc.quote_s) / without - 1, 3),
            "candidate_sentence_share": round(share, 3),
            "charged_ratio_if_only_candidates_parsed": round(
                (without + share * extra_parse + sc.quote_s) / without - 1, 3
            ),
            "quote_docs_per_s": round(sc.docs / sc.quote_s, 1) if sc.quote_s else None,
            "selective_parse_s": round(sc.select_parse_s, 2),
            "selective_quote_stage_s": round(sc.select_quote_s, 2),
            "selective_parsed_share": round(sc.select_chars / sc.chars, 3) if sc.chars else 0.0,
            "selective_ratio_charged_with_parse": round(
                (sc.select_parse_s + sc.select_quote_s) / without, 3
            ),
        }
        if sc.events_s:
            out |= {
                "entities_events_s": round(sc.events_s, 2),
                "entities_events_quotes_s_parse": round(sc.events_quotes_parse_s, 2),
                "entities_events_quotes_s_rules": round(sc.events_quotes_rules_s, 2),
                "marginal_quotes_with_events_parse": round(
                    sc.events_quotes_parse_s / sc.events_s - 1, 3
                ),
                "marginal_quotes_with_events_rules": round(
                    sc.events_quotes_rules_s / sc.events_s - 1, 3
                ),
            }
    if rsc is not None:
        rp, rr, rf = rsc.prf()
        out |= {
            "rules_precision": round(rp, 3),
            "rules_recall": round(rr, 3),
            "rules_f1": round(rf, 3),
            "rules_recall_direct": round(rsc.matched_direct / rsc.gold_direct, 3)
            if rsc.gold_direct
            else None,
            "rules_recall_indirect": round(rsc.matched_indirect / rsc.gold_indirect, 3)
            if rsc.gold_indirect
            else None,
            "rules_cue_accuracy": round(rsc.cue_ok / rsc.cue_total, 3) if rsc.cue_total else None,
            "rules_speaker_accuracy": round(rsc.speaker_ok / rsc.speaker_total, 3)
            if rsc.speaker_total
            else None,
        }
        if sc.full_parse_s:
            without = sc.ner_parse_s + sc.entities_ner_s
            out |= {
                "rules_quote_stage_s": round(rsc.rules_quote_s, 2),
                "rules_ratio": round(rsc.rules_quote_s / without, 3),
            }
    print(f"== {title}")
    for k, v in out.items():
        if not k.startswith("rules_"):
            print(f"  {k:24} {v}")
    if rsc is not None:
        print(f"  {'side by side':34} {'parse path':>12} {'rules path':>12}")
        for k in ("precision", "recall", "f1", "recall_direct", "recall_indirect"):
            print(f"  {k:34} {out[k]!s:>12} {out['rules_' + k]!s:>12}")
        for k in ("cue_accuracy", "speaker_accuracy"):
            print(f"  {k:34} {out[k]!s:>12} {out['rules_' + k]!s:>12}")
        if "rules_ratio" in out:
            print(
                f"  {'quote cost / (NER-only + entities)':34} "
                f"{out['selective_ratio_charged_with_parse']!s:>12} {out['rules_ratio']!s:>12}"
            )
        if "marginal_quotes_with_events_parse" in out:
            print(
                f"  {'marginal, events already parse':34} "
                f"{out['marginal_quotes_with_events_parse']!s:>12} "
                f"{out['marginal_quotes_with_events_rules']!s:>12}"
            )
    return out


def header(argv: list[str]) -> None:
    """Date, machine and command, printed with every figure."""
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    cpu = platform.processor() or platform.machine()
    print(f"date: {now}")
    print(
        f"machine: {platform.node()} {platform.platform()} {cpu}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, spaCy model {load_nlp().meta['name']}"
    )
    print(f"command: .venv/bin/python bench/quotes.py {' '.join(argv)}".rstrip())


def _warm_up() -> None:
    nlp = load_nlp()
    text = "The minister said on Monday that talks would resume. “We are ready,” she added."
    for _ in range(3):
        run_candidates(text, "warm-up", Score(), Score())
    nlp("warm up")


def speed_verdict(results: dict[str, Any]) -> None:
    """The speed target over every document scored in this run (PolNeAR and seeds)."""
    rows = [r for r in results.values() if "quote_stage_s" in r]
    if not rows:
        return
    q = sum(r["quote_stage_s"] for r in rows)
    before = sum(r["full_parse_plus_entities_s"] for r in rows)
    without = sum(r["ner_parse_plus_entities_s"] for r in rows)
    print("== speed, all documents of this run")
    print(f"  quote stage / (full parse + entities)      {q / before:.3f}  (target ≤ 0.15)")
    print(f"  (full parse + entities + quotes) / (NER-only parse + entities) - 1   "
          f"{(before + q) / without - 1:.3f}")  # fmt: skip
    sel = sum(r["selective_parse_s"] + r["selective_quote_stage_s"] for r in rows)
    print(f"  selective: (needed-sentence parse + quotes) / (NER-only parse + entities)   "
          f"{sel / without:.3f}  (target ≤ 0.15)")  # fmt: skip
    rules = sum(r.get("rules_quote_stage_s", 0.0) for r in rows)
    print(f"  rules (no parse): quotes / (NER-only parse + entities)   "
          f"{rules / without:.3f}  (target ≤ 0.15)")  # fmt: skip
    ev = sum(r.get("entities_events_s", 0.0) for r in rows)
    if ev:
        evp = sum(r["entities_events_quotes_s_parse"] for r in rows)
        evr = sum(r["entities_events_quotes_s_rules"] for r in rows)
        print(f"  with events on (they parse anyway): annotate(+quotes) / annotate - 1:  "
              f"parse path {evp / ev - 1:.3f}, rules path {evr / ev - 1:.3f}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--split", default="test", choices=["test", "dev"])
    ap.add_argument("--limit", type=int, default=None, help="PolNeAR articles (default: all)")
    ap.add_argument("--no-seeds", action="store_true", help="skip the hand-labelled seeds")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument(
        "--parse",
        choices=["selective", "full"],
        default="selective",
        help="whose quotes are scored: the selective parse or the whole-text one",
    )
    ap.add_argument(
        "--no-marginal",
        action="store_true",
        help="skip timing annotate() with events on, without and with quotes",
    )
    ap.add_argument(
        "--warm-passes",
        type=int,
        default=1,
        help="untimed passes over the texts before the timed one (0: time cold caches)",
    )
    args = ap.parse_args(argv)
    global PARSE, WARM_PASSES, MARGINAL
    PARSE, WARM_PASSES, MARGINAL = args.parse, args.warm_passes, not args.no_marginal
    header(argv)
    results: dict[str, Any] = {}
    if not (args.data / args.split).is_dir():
        print(f"PolNeAR not found at {args.data}", file=sys.stderr)
    else:
        sc, rsc = bench_polnear(args.data, args.split, args.limit)
        results[f"polnear_{args.split}"] = report(f"PolNeAR {args.split}", sc, rsc)
    if not args.no_seeds:
        _warm_up()
        seeds = report("seeds (hand labels)", *bench_seeds())
        results["seeds"] = seeds
        for path, pre in (("parse", ""), ("rules", "rules_")):
            ok = seeds[pre + "f1"] >= 0.9 and (seeds[pre + "speaker_accuracy"] or 0) >= 0.9
            print(f"  seed targets (F1 ≥ 0.9, speaker ≥ 0.9), {path} path: "
                  f"{'met' if ok else 'NOT met'}")  # fmt: skip
    speed_verdict(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
