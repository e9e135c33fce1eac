"""Situation report speed on a generated 1,000-document story.

    .venv/bin/python bench/report.py [--docs 1000] [--db PATH] [--repeat 3]

Generates a story of ``--docs`` articles (no NLP: mentions, quotes, events, roles and numbers
are written by the generator, the way the pipeline stores them), stores it with
``Store.write_batch`` in a fresh SQLite file, then times ``build_report`` for the story and
the Markdown and HTML renderers, in one process. The first build includes loading spaCy (the
headline-role and number passes parse some sentences); the next ones show the warm cost.
Target (issue 7): report generation for a 1,000-document story under 5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

from newsgraph.model import Document, Entity, Event, Mention, Quote, Story
from newsgraph.report import Selection, build_report, render_html, render_markdown
from newsgraph.store import Store

PEOPLE = [("Ana", "Kova"), ("Boris", "Lend"), ("Carla", "Mott"), ("Dan", "Ruel"),
          ("Eva", "Sorn"), ("Filip", "Tamm"), ("Greta", "Vance"), ("Hugo", "Wirth")]  # fmt: skip
STATES = ["Norland", "Estria", "Valdor", "Ostmark"]
ROLES = ["Foreign Minister", "Defence Minister", "President", "Prime Minister"]
OUTLETS = [f"Outlet {i}" for i in range(40)]
NOUNS = ["troops", "soldiers", "tanks", "refugees", "people"]
EVENT_TYPES = ["CONSULT", "REQUEST", "REJECT", "THREATEN", "SUPPORT", "ACCUSE", "MOBILIZE"]
TOPIC_WORDS = ["talks", "security", "border", "sanctions", "dialogue", "guarantees", "peace"]
VERBS = {"say": "said", "demand": "demanded", "reject": "rejected", "warn": "warned"}


def _entities() -> list[Entity]:
    ents = [Entity(id=f"p{i}", name=f"{g} {f}", type="PERSON", aliases=[f])
            for i, (g, f) in enumerate(PEOPLE)]  # fmt: skip
    ents += [Entity(id=f"s{i}", name=n, type="GPE") for i, n in enumerate(STATES)]
    return ents


def make_document(i: int, rng: random.Random, start: dt.date) -> Document:
    """One article: a few paragraphs with people, roles, quotes, events and a troop count."""
    parts: list[str] = []
    mentions: list[Mention] = []
    quotes: list[Quote] = []
    events: list[Event] = []
    local: list[dict] = []
    emap: dict[str, str] = {}
    pos = 0

    def add(s: str) -> int:
        nonlocal pos
        at = pos
        parts.append(s)
        pos += len(s)
        return at

    published = start + dt.timedelta(days=rng.randrange(30))
    for k in range(8):
        pi = rng.randrange(len(PEOPLE))
        si = rng.randrange(len(STATES))
        ti = (si + 1) % len(STATES)
        g, f = PEOPLE[pi]
        role = f"{STATES[pi % len(STATES)]}n {ROLES[pi % len(ROLES)]}"
        verb = rng.choice(list(VERBS))
        words = " ".join(rng.choice(TOPIC_WORDS) for _ in range(9))
        at = add(f"{role} ")
        head = ROLES[pi % len(ROLES)].lower()
        span = {"text": role, "head": head, "country": None, "start": at, "end": at + len(role)}
        local.append({"key": f"local:{k}", "name": f"{g} {f}", "family_key": f.lower(),
                      "family": {f: 1}, "given": {g: 1}, "roles": [span]})  # fmt: skip
        emap[f"local:{k}"] = f"p{pi}"
        at = add(f"{g} {f}")
        mentions.append(
            Mention(start=at, end=pos, text=f"{g} {f}", label="PERSON", entity=f"p{pi}")
        )
        add(f" {VERBS[verb]} on Tuesday that “")
        q0 = add(f"{STATES[ti]} must stop its {words}")
        quotes.append(Quote(start=q0, end=pos, text=f"{STATES[ti]} must stop its {words}",
                            kind="direct", cue=verb, speaker=f"p{pi}",
                            speaker_text=f"{g} {f}"))  # fmt: skip
        add("”, after meeting officials of ")
        at = add(STATES[si])
        mentions.append(Mention(start=at, end=pos, text=STATES[si], label="GPE", entity=f"s{si}"))
        add(". ")
        n = rng.choice(["tens of thousands of", "more than 90,000", "about 100,000", "80,000"])
        e0 = add(f"{STATES[ti]} has moved {n} {rng.choice(NOUNS)} toward ")
        at = add(STATES[si])
        mentions.append(Mention(start=at, end=pos, text=STATES[si], label="GPE", entity=f"s{si}"))
        add(".\n\n")
        events.append(Event(type=rng.choice(EVENT_TYPES), source=f"p{pi}", target=f"s{si}",
                            date=published - dt.timedelta(days=rng.randrange(3)),
                            status=rng.choice(["occurred", "occurred", "planned", "denied"]),
                            start=e0, end=pos))  # fmt: skip
    g, f = PEOPLE[i % len(PEOPLE)]
    return Document(
        id=f"bench{i:06d}", input=f"gen/{i}.txt", outlet=rng.choice(OUTLETS),
        title=f"{ROLES[i % len(ROLES)]} {g} {f} warns over border, article {i}",
        published=published, text="".join(parts), mentions=mentions, quotes=quotes,
        events=events, story="story-bench",
        extra={"local_entities": local, "entity_map": emap},
    )  # fmt: skip


def header(argv: list[str]) -> None:
    cpu = platform.processor() or platform.machine()
    print(f"date: {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}")
    print(f"machine: {platform.node()} {platform.platform()} {cpu}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}")  # fmt: skip
    print(f"command: {' '.join([sys.executable, *argv])}")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--db", help="SQLite file to (re)create (default: a temporary file)")
    args = ap.parse_args(argv[1:])
    header(argv)
    rng = random.Random(7)
    tmp = tempfile.TemporaryDirectory()
    db = Path(args.db or Path(tmp.name) / "bench.db")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    with Store.open(db) as store:
        docs = [make_document(i, rng, dt.date(2022, 1, 1)) for i in range(args.docs)]
        t = time.perf_counter()
        store.upsert_entities(_entities())
        for k in range(0, len(docs), 200):
            store.write_batch(docs[k : k + 200])
        store.upsert_stories([Story(id="story-bench", title="Generated border crisis",
                                    documents=[d.id for d in docs])])  # fmt: skip
        print(f"stored {len(docs)} documents in {time.perf_counter() - t:.1f} s "
              f"({sum(len(d.text) for d in docs) / len(docs):.0f} chars, "
              f"{sum(len(d.quotes) for d in docs)} quotes, "
              f"{sum(len(d.events) for d in docs)} events)")  # fmt: skip
        for run in range(args.repeat):
            c0 = time.process_time()
            t0 = time.perf_counter()
            report = build_report(store, Selection(story="story-bench"))
            t1 = time.perf_counter()
            md = render_markdown(report)
            t2 = time.perf_counter()
            page = render_html(report)
            t3 = time.perf_counter()
            print(f"run {run + 1}: build {t1 - t0:.2f} s, markdown {t2 - t1:.2f} s "
                  f"({len(md) // 1024} KiB), html {t3 - t2:.2f} s ({len(page) // 1024} KiB); "
                  f"total {t3 - t0:.2f} s wall, {time.process_time() - c0:.2f} s CPU — "
                  f"{len(report.articles)} articles, "
                  f"{len(report.timeline)} timeline entries, {len(report.actors)} actors, "
                  f"{len(report.positions)} positions, "
                  f"{len(report.discrepancies)} discrepancies")  # fmt: skip
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
