"""Story clustering core: joins, splits by date and place, duplicates, merges, state round-trip."""

from __future__ import annotations

import datetime as dt
import json
import random

from newsgraph.model import Document, Mention
from newsgraph.store.stories import load_clusterer
from newsgraph.stories.cluster import StoryClusterer, StoryParams, StoryState
from newsgraph.stories.features import cosine, features, lexical_vector


def doc(
    id: str,
    title: str,
    text: str,
    *,
    date: dt.date | None = None,
    ents: dict[str, tuple[str, str]] | None = None,
    duplicate_of: str | None = None,
) -> Document:
    """A document whose mentions are every occurrence of the given names (name -> id, label)."""
    mentions = []
    for name, (eid, label) in (ents or {}).items():
        start = text.find(name)
        while start >= 0:
            mentions.append(
                Mention(start=start, end=start + len(name), text=name, label=label, entity=eid)
            )
            start = text.find(name, start + 1)
    mentions.sort(key=lambda m: m.start)
    return Document(
        id=id,
        input="test",
        title=title,
        text=text,
        published=date,
        language="en",
        mentions=mentions,
        duplicate_of=duplicate_of,
    )


QUAKE = (
    "A magnitude {mag} earthquake struck near {place} on {day}, collapsing buildings and "
    "killing at least {dead} people, the national seismology institute said. Rescue teams "
    "searched the rubble of the old town through the night while aftershocks shook {place}. "
    "The governor of the province declared a state of emergency and asked for tents."
)
PLACES = {
    "Ravenna": ("e_ravenna", "GPE"),
    "Cusco": ("e_cusco", "GPE"),
}


def quake(id: str, place: str, *, mag: str, dead: int, day: str, date: dt.date | None = None):
    text = QUAKE.format(mag=mag, place=place, dead=dead, day=day)
    return doc(id, f"Deadly earthquake hits {place}", text, date=date, ents=PLACES)


def run(docs: list[Document], params: StoryParams | None = None) -> dict[str, str]:
    c = StoryClusterer(params)
    out = {d.id: c.add(features(d)).story for d in docs}
    final = {d: s for s, st in c.stories.items() for d in st.docs}
    return {d: final.get(d, s) for d, s in out.items()}


def test_reports_of_one_happening_join_one_story() -> None:
    docs = [
        quake("d1", "Ravenna", mag="6.1", dead=12, day="Tuesday"),
        quake("d2", "Ravenna", mag="6.1", dead=14, day="Tuesday"),
        quake("d3", "Ravenna", mag="6.0", dead=15, day="Tuesday morning"),
    ]
    stories = run(docs)
    assert len(set(stories.values())) == 1
    assert stories["d1"] == "s1"  # the id comes from the first document


def test_unrelated_documents_get_their_own_stories() -> None:
    docs = [
        quake("d1", "Ravenna", mag="6.1", dead=12, day="Tuesday"),
        doc(
            "d2",
            "Central bank raises interest rates again",
            "The central bank raised its benchmark interest rate by half a point on Thursday, "
            "its fourth increase this year, citing stubborn inflation in services and wages. "
            "Markets had expected the move; bond yields rose and the currency strengthened.",
        ),
    ]
    stories = run(docs)
    assert stories["d1"] != stories["d2"]


def test_same_subject_a_month_apart_is_another_story() -> None:
    day = dt.date(2024, 3, 5)
    docs = [
        quake("d1", "Ravenna", mag="6.1", dead=12, day="Tuesday", date=day),
        quake("d2", "Ravenna", mag="6.1", dead=12, day="Tuesday", date=day + dt.timedelta(1)),
        quake("d3", "Ravenna", mag="6.1", dead=12, day="Tuesday", date=day + dt.timedelta(31)),
    ]
    stories = run(docs)
    assert stories["d1"] == stories["d2"]
    assert stories["d3"] != stories["d1"]


def test_daily_reports_do_not_creep_one_story_on_for_weeks() -> None:
    """One source's near-identical daily statements over six weeks: each is within a day of
    the last, but a story may not span weeks a day at a time (the score decays with the
    span the story would reach, not with the gap to its nearest member)."""
    day = dt.date(2024, 1, 1)
    text = (
        "The president's office said the president held talks on {d} with foreign partners "
        "on security guarantees, sanctions and support for the energy system, and thanked "
        "them for their help. The office will publish the results of the talks."
    )
    title = "The president held talks with partners"
    docs = [
        doc(f"d{i}", title, text.format(d=f"day {i}"), date=day + dt.timedelta(i))
        for i in range(42)
    ]
    c = StoryClusterer()
    for d in docs:
        c.add(features(d))
    spans = [(st.last - st.first).days for st in c.stories.values() if st.first and st.last]
    assert len(c.stories) >= 3
    assert max(spans) <= 14
    # Consecutive stories of one source continue one storyline.
    assert len({st.storyline for st in c.stories.values()}) == 1


def test_same_kind_of_incident_elsewhere_is_another_story() -> None:
    elsewhere = (
        "Cusco - An earthquake of magnitude 5.8 shook the mountain city of Cusco on Friday, "
        "killing three people and damaging colonial churches, the seismology institute said. "
        "Tourists were evacuated from the cathedral square and the airport closed for hours."
    )
    docs = [
        quake("d1", "Ravenna", mag="6.1", dead=12, day="Tuesday"),
        quake("d2", "Ravenna", mag="6.2", dead=13, day="Tuesday"),
        doc("d3", "Earthquake shakes Cusco", elsewhere, ents=PLACES),
    ]
    stories = run(docs)
    assert stories["d1"] == stories["d2"]
    assert stories["d3"] != stories["d1"]


def test_undated_documents_still_cluster() -> None:
    docs = [
        quake("d1", "Ravenna", mag="6.1", dead=12, day="Tuesday", date=dt.date(2024, 3, 5)),
        quake("d2", "Ravenna", mag="6.1", dead=12, day="Tuesday", date=None),
    ]
    assert len(set(run(docs).values())) == 1


def test_duplicate_joins_its_originals_story() -> None:
    a = quake("d1", "Ravenna", mag="6.1", dead=12, day="Tuesday")
    b = doc("d2", "Markets", "Stocks fell sharply on Monday as oil prices surged past records.")
    dup = b.model_copy(update={"id": "d3", "duplicate_of": "d2"})
    stories = run([a, b, dup])
    assert stories["d3"] == stories["d2"] != stories["d1"]


def test_storyline_links_a_continuation() -> None:
    day = dt.date(2024, 3, 5)
    first = quake("d1", "Ravenna", mag="6.1", dead=12, day="Tuesday", date=day)
    later = doc(
        "d2",
        "Ravenna starts rebuilding three weeks after the earthquake",
        "Cranes stand over the old town of Ravenna where the earthquake collapsed buildings. "
        "The governor of the province said rebuilding the houses would take years; families "
        "still live in tents and containers, and the seismology institute keeps watch.",
        date=day + dt.timedelta(20),
        ents=PLACES,
    )
    c = StoryClusterer()
    s1 = c.add(features(first)).story
    s2 = c.add(features(later)).story
    assert s1 != s2
    assert c.stories[s1].storyline == c.stories[s2].storyline


def test_merge_when_a_document_bridges_two_stories() -> None:
    # Two halves of one happening open two stories at a strict threshold, and a later report
    # that covers both makes them one (the older id stays).
    params = StoryParams(story_threshold=0.45, merge_threshold=0.2)
    a = doc(
        "d1",
        "Dam bursts above the valley",
        "The dam above the valley burst after a week of storms, sending water into villages.",
    )
    b = doc(
        "d2",
        "Villages flooded, thousands evacuated",
        "Thousands were evacuated from flooded villages; rescuers used boats on the roads.",
    )
    bridge = doc(
        "d3",
        "Dam burst floods villages",
        "The dam burst after storms and flooded villages in the valley; thousands were "
        "evacuated and rescuers used boats.",
    )
    c = StoryClusterer(params)
    first, second = c.add(features(a)).story, c.add(features(b)).story
    assert first != second
    c.add(features(bridge))
    batch = c.drain()
    assert set(c.stories) == {first}
    assert c.stories[first].docs == ["d1", "d2", "d3"]
    assert second in batch.deleted
    assert batch.assign["d2"] == first


def test_state_round_trips_through_json() -> None:
    docs = [quake(f"d{i}", "Ravenna", mag="6.1", dead=10 + i, day="Tuesday") for i in range(3)]
    c = StoryClusterer()
    for d in docs:
        c.add(features(d))
    (st,) = c.stories.values()
    state = json.loads(json.dumps(st.state()))
    back = StoryState.from_row(st.id, st.storyline, st.docs, st.first, st.last, state)
    assert back.lex == st.lex
    assert back.ents == st.ents
    assert back.title() == st.title()
    assert back.n == 3


def test_lexical_vector_ignores_function_words_and_weights_the_title() -> None:
    v = lexical_vector("Earthquake", "the and of earthquake rescue")
    plain = lexical_vector(None, "the and of earthquake rescue")
    assert len(v) == len(plain) == 2  # 'the', 'and', 'of' carry no weight
    assert max(v.values()) > max(plain.values())


def test_numbers_and_weekdays_tell_similar_reports_apart() -> None:
    body = "A magnitude {m} earthquake struck the coastal province on {day}, injuring {n} people."
    a = lexical_vector(None, body.format(m="4.6", day="Tuesday", n="12"))
    same = lexical_vector(None, body.format(m="4.6", day="Tuesday", n="12") + " Rescue went on.")
    other = lexical_vector(None, body.format(m="5.8", day="Sunday", n="40"))
    # the specifics are what differs, and they weigh more than the shared words
    assert cosine(a, same) > 0.9
    assert cosine(a, other) < 0.5
    # '4.6' counts as one number, not as the digits '4' and '6'
    assert len(lexical_vector(None, "magnitude 4.6")) == 2
    assert len(lexical_vector(None, "magnitude 4 6")) == 1  # single digits say nothing
    assert lexical_vector(None, "magnitude 4.6") != lexical_vector(None, "magnitude 6.4")


def test_resume_from_store_gives_the_same_stories(db_url: str) -> None:
    from newsgraph.store import Store

    day = dt.date(2024, 3, 5)
    docs = []
    for i in range(12):
        place = "Ravenna" if i % 3 else "Cusco"
        docs.append(
            quake(f"d{i:02d}", place, mag="6.1", dead=i, day="Tuesday", date=day + dt.timedelta(i))
        )
    straight = run(docs)
    with Store.open(db_url) as store:
        c = load_clusterer(store)
        for i, d in enumerate(docs):
            if i == 5:  # "kill" here: a fresh clusterer continues from the stored state
                c = load_clusterer(store)
            d = d.model_copy(update={"story": c.add(features(d)).story})
            store.write_batch([d], stories=c.drain())
        stored = {d.id: d.story for d in store.iter_documents()}
    assert stored == straight


# One office's statements: the same names and template wording in every document, about
# different happenings (topic words), a few statements per happening.
OFFICE = (
    "Head of State Oskar Velimir of Bravonia {verb} the {a} and the {b} today. Oskar Velimir "
    "said the Bravonian government would keep working with the regional authorities. The "
    "{c} and the {d} were also discussed, and the {a} will be reviewed again with {e} and {f}. "
    "The Office of the President of Bravonia published the full statement."
)
TOPICS = [
    ("satellite", "orbit", "rocket", "telescope", "astronauts", "antenna"),
    ("vaccination", "clinics", "doses", "pensioners", "nurses", "syringes"),
    ("harvest", "grain", "farmers", "silos", "tractors", "fertiliser"),
    ("bridge", "motorway", "asphalt", "contractors", "tunnel", "toll"),
    ("teachers", "schools", "curriculum", "textbooks", "pupils", "exams"),
    ("floods", "dams", "evacuation", "riverbanks", "sandbags", "rainfall"),
    ("pipeline", "gas", "tariffs", "transit", "compressor", "reservoirs"),
    ("hackers", "cyberattack", "servers", "passwords", "malware", "firewall"),
    ("museum", "paintings", "restoration", "exhibition", "sculptures", "curators"),
    ("tax", "refunds", "accountants", "deductions", "auditors", "invoices"),
    ("railway", "locomotives", "timetable", "freight", "carriages", "platforms"),
    ("hospital", "surgeons", "wards", "ambulances", "paramedics", "stretchers"),
]
VERBS = ("discussed", "visited", "inspected")
DAY = dt.date(2024, 5, 1)


WARMUP = [
    "orchestra",
    "poets",
    "cyclists",
    "lighthouse",
    "vineyards",
    "glaciers",
    "beekeepers",
    "ferries",
    "bakeries",
    "chess",
    "volcano",
    "marathon",
    "lantern",
    "orchard",
    "quarry",
    "harbour",
    "pottery",
    "embassy",
    "violin",
    "meadow",
]


def office_stream() -> tuple[list[Document], dict[str, int]]:
    """Twenty statements on assorted subjects (the stream before), then three statements on
    each of twelve subjects; the subject of each of the latter."""
    rng = random.Random(1)
    docs, topic = [], {}
    for i in range(20):
        a, b, c, d, e, f = rng.sample(WARMUP, 6)
        text = OFFICE.format(verb="discussed", a=a, b=b, c=c, d=d, e=e, f=f)
        docs.append(doc(f"w{i:02d}", f"President on the {a} and the {c}", text, date=DAY))
    for k in range(3):
        for t, (a, b, c, d, e, f) in enumerate(TOPICS):
            text = OFFICE.format(verb=VERBS[k], a=a, b=b, c=c, d=d, e=e, f=f)
            name = f"o{t:02d}{k}"
            docs.append(doc(name, f"President on the {a} and the {c}", text, date=DAY))
            topic[name] = t
    return docs, topic


def test_one_sources_template_does_not_make_one_story() -> None:
    """Names and wording a large share of the recent stream carries are damped: once the
    stream has shown them to be common, the office's statements group by what they are about,
    not by who issued them. (The first statements of a stream, before that, still merge.)"""
    docs, topic = office_stream()
    for params, damped in ((StoryParams(df_floor=1.0), False), (StoryParams(), True)):
        story = {d: s for d, s in run(docs, params).items() if d in topic}
        members: dict[str, list[str]] = {}
        for d, s in story.items():
            members.setdefault(s, []).append(d)
        precision = sum(
            sum(topic[x] == topic[d] for x in members[story[d]]) / len(members[story[d]])
            for d in story
        ) / len(story)
        if damped:
            assert len(members) == len(TOPICS)
            assert precision == 1.0
        else:  # a share never exceeds 1, so nothing is damped: the template joins everything
            assert len(members) <= 2
            assert precision < 0.2


def test_resume_keeps_the_stream_window(db_url: str) -> None:
    """The stream-frequency window is stored with the stories: resumed runs damp the same."""
    from newsgraph.store import Store

    docs, _ = office_stream()
    straight = run(docs)
    assert straight != run(docs, StoryParams(df_floor=1.0))  # the window decides here
    params = StoryParams(df_window=20)  # also: entries leave the stored window
    straight_small = run(docs, params)
    for p, expected in ((None, straight), (params, straight_small)):
        with Store.open(db_url) as store:
            from newsgraph.store.stories import reset_stories

            reset_stories(store)
            c = load_clusterer(store, p)
            for i, d in enumerate(docs):
                if i % 7 == 3:  # "kill" here: a fresh clusterer continues from the store
                    c = load_clusterer(store, p)
                d = d.model_copy(update={"story": c.add(features(d)).story})
                store.write_batch([d], stories=c.drain())
            stored = {d.id: d.story for d in store.iter_documents()}
            if p is not None:
                assert len(c._window) == 20
        assert stored == expected
