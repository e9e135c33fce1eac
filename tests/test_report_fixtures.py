"""Constructed documents for the report tests (a helper module; it holds no tests)."""

from __future__ import annotations

import datetime as dt

from newsgraph.model import Document, Entity, Event, Mention, Quote
from newsgraph.store import Store

HOSTILE_TITLE = "<script>alert('t')</script> Talks end"
HOSTILE_QUOTE = '"><img src=x onerror=alert(1)> we will not move'

ENTITIES = [
    Entity(id="e_petrov", name="Ivan Petrov", type="PERSON", aliases=["Petrov"]),
    Entity(id="e_smith", name="Mary Smith", type="PERSON", aliases=["Smith"]),
    Entity(id="e_ru", name="Russia", type="GPE"),
    Entity(id="e_ua", name="Ukraine", type="GPE"),
    Entity(id="e_geneva", name="Geneva", type="GPE"),
    Entity(id="e_evil", name="<script>alert('e')</script>Evil", type="ORG"),
]


def _span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def _mention(text: str, needle: str, label: str, entity: str, nth: int = 0) -> Mention:
    s, e = _span(text, needle, nth)
    return Mention(start=s, end=e, text=needle, label=label, entity=entity)


def _quote(text: str, needle: str, speaker: str, speaker_text: str, cue: str) -> Quote:
    s, e = _span(text, needle)
    return Quote(start=s, end=e, text=needle, kind="direct", cue=cue, speaker=speaker,
                 speaker_text=speaker_text)  # fmt: skip


def _roles(text: str, key: str, family: str, role: str, country: str | None) -> dict:
    s, e = _span(text, role)
    return {"key": key, "name": family, "family_key": family.lower(),
            "roles": [{"text": role, "head": "foreign minister", "country": country,
                       "start": s, "end": e}]}  # fmt: skip


def make_documents() -> list[Document]:
    a_text = (
        "Russian Foreign Minister Ivan Petrov met Mary Smith in Geneva on Monday. "
        "“We will never accept the expansion of the alliance to the east of Europe,” "
        "Petrov said. Petrov demanded written security guarantees from the West. "
        "Russia has amassed tens of thousands of troops near Ukraine."
    )
    b_text = (
        "US Foreign Minister Ivan Petrov held talks with Mary Smith in Geneva. "
        "“We will never accept any expansion of the alliance to the east of Europe,” "
        "Petrov told reporters. Kiev said Russia has gathered more than 90,000 soldiers "
        "near Ukraine."
    )
    c_text = f"Mary Smith said: “{HOSTILE_QUOTE}”. Officials met in Geneva."
    a = Document(
        id="doc_a", input="a.txt", outlet="Alpha News", title="Petrov meets Smith",
        published=dt.date(2022, 1, 11), text=a_text,
        mentions=[
            _mention(a_text, "Ivan Petrov", "PERSON", "e_petrov"),
            _mention(a_text, "Mary Smith", "PERSON", "e_smith"),
            _mention(a_text, "Geneva", "GPE", "e_geneva"),
            _mention(a_text, "Petrov", "PERSON", "e_petrov", 1),
            _mention(a_text, "Petrov", "PERSON", "e_petrov", 2),
            _mention(a_text, "Russia", "GPE", "e_ru", 1),
            _mention(a_text, "Ukraine", "GPE", "e_ua"),
        ],
        quotes=[
            _quote(a_text, "We will never accept the expansion of the alliance to the east of "
                   "Europe,", "e_petrov", "Petrov", "say"),
            _quote(a_text, "written security guarantees from the West", "e_petrov", "Petrov",
                   "demand"),
        ],
        events=[
            Event(type="CONSULT", source="e_petrov", target="e_smith", location="e_geneva",
                  date=dt.date(2022, 1, 10), status="occurred",
                  start=_span(a_text, "Ivan Petrov met Mary Smith in Geneva")[0],
                  end=_span(a_text, "Ivan Petrov met Mary Smith in Geneva")[1]),
            Event(type="REQUEST", source="e_petrov", target=None, date=dt.date(2022, 1, 10),
                  start=_span(a_text, "Petrov demanded written security guarantees")[0],
                  end=_span(a_text, "Petrov demanded written security guarantees")[1]),
            Event(type="MOBILIZE", mode="troops", source="e_ru", target="e_ua",
                  date=dt.date(2022, 1, 8), status="occurred",
                  start=_span(a_text, "Russia has amassed tens of thousands of troops")[0],
                  end=_span(a_text, "Russia has amassed tens of thousands of troops")[1]),
        ],
        extra={
            "local_entities": [_roles(a_text, "local:0", "Petrov", "Russian Foreign Minister",
                                      "RU")],
            "entity_map": {"local:0": "e_petrov"},
        },
    )  # fmt: skip
    b = Document(
        id="doc_b", input="b.txt", outlet="Beta Wire", title="Talks in Geneva",
        published=dt.date(2022, 1, 12), text=b_text,
        mentions=[
            _mention(b_text, "Ivan Petrov", "PERSON", "e_petrov"),
            _mention(b_text, "Mary Smith", "PERSON", "e_smith"),
            _mention(b_text, "Geneva", "GPE", "e_geneva"),
            _mention(b_text, "Petrov", "PERSON", "e_petrov", 1),
            _mention(b_text, "Russia", "GPE", "e_ru"),
            _mention(b_text, "Ukraine", "GPE", "e_ua"),
        ],
        quotes=[
            _quote(b_text, "We will never accept any expansion of the alliance to the east of "
                   "Europe,", "e_petrov", "Petrov", "tell"),
        ],
        events=[
            Event(type="CONSULT", source="e_petrov", target="e_smith", location="e_geneva",
                  date=dt.date(2022, 1, 10), status="occurred",
                  start=_span(b_text, "Ivan Petrov held talks with Mary Smith")[0],
                  end=_span(b_text, "Ivan Petrov held talks with Mary Smith")[1]),
            Event(type="MOBILIZE", mode="troops", source="e_ru", target="e_ua",
                  date=dt.date(2022, 1, 9), status="occurred",
                  start=_span(b_text, "Russia has gathered more than 90,000 soldiers")[0],
                  end=_span(b_text, "Russia has gathered more than 90,000 soldiers")[1]),
        ],
        extra={
            "local_entities": [_roles(b_text, "local:0", "Petrov", "US Foreign Minister", "US")],
            "entity_map": {"local:0": "e_petrov"},
        },
    )  # fmt: skip
    c = Document(
        id="doc_c", input="c.txt", outlet="<b>Evil</b> Outlet", title=HOSTILE_TITLE,
        url="javascript:alert(2)",
        published=dt.date(2022, 1, 13), text=c_text,
        mentions=[
            _mention(c_text, "Mary Smith", "PERSON", "e_smith"),
            _mention(c_text, "Geneva", "GPE", "e_geneva"),
        ],
        quotes=[_quote(c_text, HOSTILE_QUOTE, "e_smith", "Mary Smith", "say")],
    )  # fmt: skip
    return [a, b, c]


def fill(store: Store, *, story: str | None = None) -> list[Document]:
    docs = make_documents()
    if story:
        for d in docs[:2]:
            d.story = story
    store.upsert_entities(ENTITIES)
    store.write_batch(docs)
    return docs
