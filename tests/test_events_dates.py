"""Date rules for events: explicit dates, weekdays by tense, relative and chained expressions."""

from __future__ import annotations

import datetime as dt

from newsgraph.events.dates import explicit_date, published_range, resolve, weekday_date

FRI = dt.date(2022, 1, 28)  # a Friday


def test_weekday_past_is_the_latest_such_day_on_or_before_publication() -> None:
    assert resolve("on Thursday", FRI, "past", None).date == dt.date(2022, 1, 27)
    assert resolve("Friday", FRI, "past", None).date == FRI
    assert resolve("Saturday", FRI, "past", None).date == dt.date(2022, 1, 22)
    assert resolve("on Thursday", FRI, "past", None).basis == "weekday"


def test_weekday_future_is_never_before_publication() -> None:
    assert resolve("on Wednesday", FRI, "future", None).date == dt.date(2022, 2, 2)
    assert weekday_date("friday", FRI, "future") == FRI
    for name in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        assert resolve(name, FRI, "future", None).date >= FRI
        assert resolve(name, FRI, "past", None).date <= FRI


def test_explicit_dates_with_and_without_year() -> None:
    assert resolve("May 19, 2021", FRI, "past", None).date == dt.date(2021, 5, 19)
    assert resolve("on 4 February", FRI, "future", None).date == dt.date(2022, 2, 4)
    # A planned event on "4 February" in a late-January article is this year's ...
    assert explicit_date("February 4", FRI, "future") == dt.date(2022, 2, 4)
    # ... a past one on "December 30" is last year's.
    assert explicit_date("December 30", FRI, "past") == dt.date(2021, 12, 30)
    assert resolve("2021-12-07", None, "past", None).date == dt.date(2021, 12, 7)


def test_relative_to_publication() -> None:
    assert resolve("yesterday", FRI, "past", None).date == dt.date(2022, 1, 27)
    assert resolve("Today", FRI, "past", None).date == FRI
    assert resolve("tomorrow", FRI, "future", None).date == dt.date(2022, 1, 29)
    assert resolve("three days ago", FRI, "past", None).date == dt.date(2022, 1, 25)


def test_next_day_chains_on_the_previous_event() -> None:
    prev = dt.date(2022, 1, 19)
    v = resolve("The next day", FRI, "future", prev)
    assert v.date == dt.date(2022, 1, 20) and v.basis == "chained"
    assert resolve("the day before", FRI, "past", prev).date == dt.date(2022, 1, 18)
    assert resolve("two days later", FRI, "past", prev).date == dt.date(2022, 1, 21)
    assert resolve("the next day", FRI, "past", None).date is None


def test_unresolvable_expressions_stay_null() -> None:
    for text in ("earlier this month", "in February", "recent years", "the coming days"):
        assert resolve(text, FRI, "past", None).date is None
    # Without a publication date, weekdays and "yesterday" cannot be placed.
    assert resolve("on Thursday", None, "past", None).date is None
    assert resolve("yesterday", None, "past", None).date is None
    assert resolve("December 30", None, "past", None).date is None


def test_published_range_from_past_explicit_dates_only() -> None:
    rng = published_range([("May 19, 2021", "past"), ("in 2014", "past"),
                           ("February 4, 2023", "future")])  # fmt: skip
    assert rng == (dt.date(2021, 5, 19), None)
    assert published_range([("on Thursday", "past")]) is None
