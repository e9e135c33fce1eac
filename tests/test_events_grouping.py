"""Cross-document event grouping as a pure function of event reports."""

from __future__ import annotations

import datetime as dt
import random

from newsgraph.events.grouping import EventRecord, Party, group_events

D = dt.date
ORTEGA = Party("e1", "Maria Ortega", "PERSON", "US")
MENDES = Party("e2", "Paulo Mendes", "PERSON", "BR")
USA = Party("e3", "United States", "GPE", "US")
BRAZIL = Party("e4", "Brazil", "GPE", "BR")
NOBODY = Party(None, None)


def rec(doc: str, source: Party, target: Party, date: dt.date | None, *, status: str = "occurred",
        type_: str = "CONSULT", mode: str | None = "meet", published: dt.date | None = None,
        ordinal: int = 0) -> EventRecord:  # fmt: skip
    return EventRecord(doc, ordinal, type_, mode, status, date, source, target, NOBODY, 0, 5,
                       outlet=f"outlet-{doc}", published=published)  # fmt: skip


def test_same_meeting_from_three_outlets_in_either_direction() -> None:
    recs = [
        rec("a", ORTEGA, MENDES, D(2022, 1, 21)),
        rec("b", MENDES, ORTEGA, D(2022, 1, 21), mode="talk"),  # reciprocal: either order
        rec("c", USA, BRAZIL, D(2022, 1, 21)),  # the states they act for
    ]
    groups = group_events(recs)
    assert len(groups) == 1
    g = groups[0]
    assert len(g.reports) == 3 and g.outlets == ["outlet-a", "outlet-b", "outlet-c"]
    assert (g.source, g.target) == (ORTEGA, MENDES)  # people over states
    assert g.date == D(2022, 1, 21)


def test_different_dates_types_and_modes_stay_apart() -> None:
    recs = [
        rec("a", ORTEGA, MENDES, D(2022, 1, 21)),
        rec("b", ORTEGA, MENDES, D(2022, 1, 18)),
        rec("c", ORTEGA, MENDES, D(2022, 1, 21), mode="phone"),
        rec("d", ORTEGA, MENDES, D(2022, 1, 21), type_="ACCUSE", mode=None),
    ]
    assert len(group_events(recs)) == 4


def test_directed_types_need_the_same_direction() -> None:
    recs = [
        rec("a", USA, BRAZIL, D(2022, 1, 21), type_="ACCUSE", mode=None),
        rec("b", BRAZIL, USA, D(2022, 1, 21), type_="ACCUSE", mode=None),
    ]
    assert len(group_events(recs)) == 2


def test_unrealised_reports_do_not_join_occurred_ones() -> None:
    recs = [
        rec("a", ORTEGA, MENDES, D(2022, 1, 21)),
        rec("b", ORTEGA, MENDES, D(2022, 1, 21), status="hypothetical"),
        rec("c", ORTEGA, MENDES, D(2022, 1, 21), status="planned"),  # planned for that day
    ]
    groups = group_events(recs)
    assert sorted(len(g.reports) for g in groups) == [1, 2]
    joined = next(g for g in groups if len(g.reports) == 2)
    assert joined.status == "occurred"


def test_undated_report_joins_within_the_window_after_the_event() -> None:
    recs = [
        rec("a", ORTEGA, MENDES, D(2022, 1, 21)),
        rec("b", ORTEGA, MENDES, None, published=D(2022, 1, 23)),
        rec("c", ORTEGA, MENDES, None, published=D(2022, 3, 1)),  # weeks later: another one
        rec("d", ORTEGA, MENDES, None, published=D(2022, 1, 20)),  # before the event
    ]
    sizes = sorted(len(g.reports) for g in group_events(recs))
    assert sizes == [1, 1, 2]


def test_grouping_does_not_depend_on_input_order() -> None:
    recs = [
        rec("a", ORTEGA, MENDES, D(2022, 1, 21)),
        rec("b", MENDES, ORTEGA, D(2022, 1, 21)),
        rec("c", USA, BRAZIL, None, published=D(2022, 1, 22)),
        rec("d", ORTEGA, MENDES, D(2022, 1, 18)),
        rec("e", ORTEGA, BRAZIL, D(2022, 1, 18), mode="talk"),
    ]
    want = [(g.id, len(g.reports)) for g in group_events(recs)]
    for seed in range(5):
        shuffled = recs[:]
        random.Random(seed).shuffle(shuffled)
        assert [(g.id, len(g.reports)) for g in group_events(shuffled)] == want
    # Dated groups come first, in date order.
    dates = [g.date for g in group_events(recs)]
    assert dates == [D(2022, 1, 18), D(2022, 1, 21)]
