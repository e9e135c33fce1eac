"""A small constructed corpus for the API and web tests (no tests here; imported by them).

Three articles about invented actors, with mentions, quotes, events, two entities with merge
evidence, a story, and one hostile article whose text and metadata carry HTML/script.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from newsgraph.model import Document, Entity, Event, Mention, Quote, Story
from newsgraph.store import Store

HOSTILE_TEXT = (
    'Breaking: <script>alert("pwned")</script> and "><img src=x onerror=alert(1)> '
    "were posted by Zed Quorn in a comment."
)


def _doc(id: str, text: str, **kw: object) -> Document:
    return Document.model_validate({"id": id, "input": f"{id}.txt", "text": text, **kw})


def _span(text: str, part: str, start: int = 0) -> tuple[int, int]:
    i = text.index(part, start)
    return i, i + len(part)


def corpus() -> tuple[list[Document], list[Entity], list[dict[str, object]], list[Story]]:
    t1 = (
        "Ministers Ana Vortel and Bram Keski met in Lundmark on Monday. "
        "“We will not accept new tariffs,” Vortel said. Keski accused Lundmark of delays."
    )
    t2 = (
        "Minister Anna Vortell said the talks in Lundmark were useful. "
        "Vortel threatened to leave the trade forum."
    )
    t3 = "Bram Keski visited the harbour of Lundmark and met dock workers."
    e_vortel, e_keski, e_lund = "e_vortel", "e_keski", "e_lund"

    def mention(text: str, part: str, label: str, ent: str, start: int = 0) -> Mention:
        a, b = _span(text, part, start)
        return Mention(start=a, end=b, text=part, label=label, entity=ent)

    q_a, q_b = _span(t1, "We will not accept new tariffs,")
    ev1_a, ev1_b = _span(t1, "Keski accused Lundmark of delays.")
    ev2_a, ev2_b = _span(t2, "Vortel threatened to leave the trade forum.")
    d1 = _doc(
        "doc1",
        t1,
        title="Vortel and Keski meet in Lundmark",
        outlet="Daily Alpha",
        published="2024-03-04",
        story="story1",
        mentions=[
            mention(t1, "Ana Vortel", "PERSON", e_vortel),
            mention(t1, "Bram Keski", "PERSON", e_keski),
            mention(t1, "Lundmark", "GPE", e_lund),
            mention(t1, "Vortel", "PERSON", e_vortel, q_b),
        ],
        quotes=[
            Quote(
                start=q_a,
                end=q_b,
                text=t1[q_a:q_b],
                kind="direct",
                cue="said",
                speaker=e_vortel,
                speaker_text="Vortel",
            )
        ],
        events=[
            Event(
                start=ev1_a,
                end=ev1_b,
                type="ACCUSE",
                source=e_keski,
                target=e_lund,
                date=dt.date(2024, 3, 4),
                status="occurred",
            )
        ],
    )
    d2 = _doc(
        "doc2",
        t2,
        title="Talks in Lundmark 'useful'",
        outlet="Beta News",
        published="2024-03-05",
        story="story1",
        mentions=[
            mention(t2, "Anna Vortell", "PERSON", e_vortel),
            mention(t2, "Lundmark", "GPE", e_lund),
            mention(t2, "Vortel", "PERSON", e_vortel, 40),
        ],
        events=[
            Event(
                start=ev2_a,
                end=ev2_b,
                type="THREATEN",
                source=e_vortel,
                date=dt.date(2024, 3, 5),
                status="hypothetical",
            )
        ],
    )
    d3 = _doc(
        "doc3",
        t3,
        title="Keski at the harbour",
        outlet="Daily Alpha",
        published="2024-03-06",
        mentions=[
            mention(t3, "Bram Keski", "PERSON", e_keski),
            mention(t3, "Lundmark", "GPE", e_lund),
        ],
    )
    a, b = _span(HOSTILE_TEXT, "Zed Quorn")
    hostile = _doc(
        "doc_hostile",
        HOSTILE_TEXT,
        title='<script>alert("title")</script>',
        outlet='"><img src=x onerror=alert(3)>',
        url="javascript:alert(4)",
        published="2024-03-07",
        mentions=[Mention(start=a, end=b, text="Zed Quorn", label="PERSON", entity="e_zed")],
    )
    ents = [
        Entity(
            id=e_vortel,
            name="Ana Vortel",
            type="PERSON",
            aliases=["Anna Vortell", "Vortel"],
            roles=["Minister"],
        ),
        Entity(id=e_keski, name="Bram Keski", type="PERSON", roles=["Minister"]),
        Entity(id=e_lund, name="Lundmark", type="GPE"),
        Entity(id="e_zed", name="Zed <img src=x onerror=alert(5)>", type="PERSON"),
    ]
    evidence: list[dict[str, object]] = [
        {
            "entity_id": e_vortel,
            "document_id": "doc2",
            "local_key": "local:0",
            "local_name": "Anna Vortell",
            "canonical_name": "Ana Vortel",
            "decision": "merge",
            "score": 0.91,
            "features": {"name_similarity": 0.93},
            "discrepancies": ["spelling"],
        }
    ]
    stories = [
        Story(
            id="story1",
            title="Vortel–Keski talks in Lundmark",
            documents=["doc1", "doc2"],
            first_seen=dt.date(2024, 3, 4),
            last_seen=dt.date(2024, 3, 5),
        )
    ]
    return [d1, d2, d3, hostile], ents, evidence, stories


def load(store: Store) -> None:
    docs, ents, evidence, stories = corpus()
    store.write_batch(docs, evidence=evidence)
    # Like a user's knowledge base: entities without resolver state (write_batch would store
    # a JSON null state, which the resolver cannot continue from).
    store.upsert_entities(ents)
    store.upsert_stories(stories)


@contextlib.contextmanager
def shared_db(backend: str, request: pytest.FixtureRequest, tmp: Path) -> Iterator[str]:
    """A database for a whole test module (read-only tests share one loaded corpus)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp / 'shared.db'}"
        return
    server = sa.make_url(request.getfixturevalue("pg_server_url"))
    if server.drivername in ("postgresql", "postgres"):
        server = server.set(drivername="postgresql+psycopg")
    name = f"ng_web_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
