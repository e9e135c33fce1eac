"""A generated news stream for the story clustering scale bench (deterministic per seed).

Happenings start through one year; each is reported by 1-40 documents over a few days.
Documents draw real English words by frequency: background words (shared by everything)
and the happening's own rarer words, plus its people and places (some of them popular ones
shared across happenings) as mentions with entity ids. 5% of documents are undated.
"""

from __future__ import annotations

import datetime as dt
import random

from wordfreq import top_n_list

from newsgraph.model import Document, Mention

START = dt.date(2024, 1, 1)


_CUM: dict[int, list[float]] = {}


def _zipf_choice(rng: random.Random, items: list[str], k: int, s: float = 1.1) -> list[str]:
    cum = _CUM.get(id(items))
    if cum is None or len(cum) != len(items):
        total, cum = 0.0, []
        for i in range(len(items)):
            total += 1.0 / (i + 1) ** s
            cum.append(total)
        _CUM[id(items)] = cum
    return rng.choices(items, cum_weights=cum, k=k)


def generate(n: int, seed: int = 0) -> tuple[list[Document], dict[str, str]]:
    """``n`` documents in arrival order, and the gold happening of each."""
    rng = random.Random(seed)
    words = [w for w in top_n_list("en", 40_000) if w.isalpha() and len(w) > 2]
    background, rare = words[100:3000], words[3000:]
    popular = [f"{a.title()} {b.title()}" for a, b in zip(rare[:300], rare[300:600], strict=True)]
    days = 365
    docs: list[tuple[float, Document, str]] = []
    h = 0
    while len(docs) < n:
        h += 1
        start = rng.random() * days
        size = min(40, max(1, int(rng.expovariate(1 / 7))))
        keywords = rng.sample(rare, 12)
        people = [f"{rng.choice(rare).title()} {rng.choice(rare).title()}" for _ in range(2)]
        people += _zipf_choice(rng, popular, 1)
        place = rng.choice(rare).title() + "ville"
        for _ in range(size):
            when = start + rng.random() * 3
            docs.append((when, _doc(rng, h, keywords, people, place, background, when), f"h{h}"))
    docs.sort(key=lambda t: t[0])
    out = [d for _, d, _ in docs[:n]]
    gold = {d.id: g for _, d, g in docs[:n]}
    return out, gold


def _doc(
    rng: random.Random,
    h: int,
    keywords: list[str],
    people: list[str],
    place: str,
    background: list[str],
    when: float,
) -> Document:
    title = " ".join(rng.sample(keywords, 3) + _zipf_choice(rng, background, 3)).capitalize()
    parts: list[str] = []
    mentions: list[Mention] = []
    pos = 0

    def put(token: str, label: str | None = None, entity: str | None = None) -> None:
        nonlocal pos
        if label:
            mentions.append(Mention(start=pos, end=pos + len(token), text=token, label=label,
                                    entity=entity))  # fmt: skip
        parts.append(token)
        pos += len(token) + 1

    put(place.upper(), "GPE", f"p:{place}")
    for i in range(120):
        r = rng.random()
        if i % 30 == 5:
            name = rng.choice(people)
            put(name, "PERSON", f"e:{name}")
        elif r < 0.35:
            put(rng.choice(keywords))
        else:
            put(_zipf_choice(rng, background, 1)[0])
    text = " ".join(parts)
    date = START + dt.timedelta(days=int(when)) if rng.random() > 0.05 else None
    return Document(
        id=f"d{h:06d}{rng.getrandbits(40):010x}",
        input="generated",
        title=title,
        text=text,
        published=date,
        language="en",
        mentions=mentions,
    )
