"""Metadata read from scrape text: headline, bylines, dates, outlet hints."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newsgraph.clean.scrape import clean_scrape
from newsgraph.clean.textmeta import (
    find_date,
    parse_byline,
    parse_date_line,
    strip_site_suffix,
)

REPO = Path(__file__).resolve().parent.parent
SEED_DIRS = [REPO.parent / "shared" / "seeds", REPO / "sample"]


def seed(stem: str) -> str:
    for d in SEED_DIRS:
        if (d / f"{stem}.txt").exists():
            return (d / f"{stem}.txt").read_text(encoding="utf-8")
    pytest.fail(f"seed {stem} not found in {[str(d) for d in SEED_DIRS]}")


TITLES = {
    "000_a7e53cb0cf0bcaf9": "Ukraine crisis.. US-Atlantic commitment to support Kiev and Moscow "
    "sticks to its positions",
    "001_6cabb982b917148c": "Brinken said before the Lavrov talks that the United States and NATO "
    "are fully committed to the Ukrainian issue",
    "002_93e88e4b70d85a76": "Blinken proposes to Moscow “a serious diplomatic path” on Ukraine",
    "003_5e6bac093bbd0041": "Russia’s main concerns over Ukraine not addressed by NATO, says US "
    "Foreign Minister Lavrov",
    "004_fc732955101160ee": "A sharp tension between Russia and the US. No agreement on Ukraine",
}


@pytest.mark.parametrize("stem", sorted(TITLES))
def test_seed_titles(stem: str) -> None:
    res = clean_scrape(seed(stem))
    assert res.title == TITLES[stem]
    assert not res.text.startswith(res.title.split()[0] + " " + res.title.split()[1] + " ")


def test_seed_003_author_and_date() -> None:
    res = clean_scrape(seed("003_5e6bac093bbd0041"))
    assert res.authors == ["Daniel D. Burke"]
    assert res.published == dt.date(2022, 1, 28)
    assert "Daniel D. Burke" not in res.text and "January 28, 2022" not in res.text


def test_seed_001_authors_and_outlet() -> None:
    res = clean_scrape(seed("001_6cabb982b917148c"))
    assert res.authors == ["Humeyra Pamuk", "Johan Ahlander"]
    assert res.outlet == "Reuters"
    assert res.published is None  # only relative dates and body dates in this one
    assert res.text.startswith("STOCKHOLM (Reuters)-U.S. Secretary")  # dateline stays in body
    assert "Authors:" not in res.text


def test_seed_002_outlet_byline_is_not_an_author() -> None:
    res = clean_scrape(seed("002_93e88e4b70d85a76"))
    assert res.authors == []
    assert res.outlet is not None and res.outlet.lower().replace(".", " ") == "time news"
    assert "by time news" not in res.text
    assert res.text.startswith("Time.news – NATO’s")


def test_seed_004_outlet_line_removed() -> None:
    res = clean_scrape(seed("004_fc732955101160ee"))
    assert res.outlet == "POLITICO.eu"
    assert "Original article" not in res.text
    assert res.authors == []  # "Editing: X" is an editor, not an author


def test_seed_000_no_metadata_invented() -> None:
    res = clean_scrape(seed("000_a7e53cb0cf0bcaf9"))
    assert res.authors == [] and res.published is None and res.outlet is None


def test_given_title_is_not_replaced_but_dropped_from_body() -> None:
    text = seed("002_93e88e4b70d85a76")
    res = clean_scrape(text, title="Given headline")
    assert res.title == "Given headline"
    res = clean_scrape(text, title=TITLES["002_93e88e4b70d85a76"])
    assert TITLES["002_93e88e4b70d85a76"] not in res.text


# --- constructed texts --------------------------------------------------------------------------


def test_constructed_page_metadata() -> None:
    text = """Weekly Harbour Gazette
News | Opinion | Sport
Harbour workers strike over pay | harbourgazette.com
By Jane Doe and John Roe
12 March 2023

ROTTERDAM (AFP) - Thousands of dock workers walked off the job on Sunday after negotiations \
with the port authority broke down late on Saturday night, union officials said.

The strike halted container traffic at the port for the first time since 2019, the port \
authority said on March 13, 2023.
"""
    res = clean_scrape(text)
    assert res.title == "Harbour workers strike over pay"
    assert res.authors == ["Jane Doe", "John Roe"]
    assert res.published == dt.date(2023, 3, 12)
    assert res.outlet == "AFP"
    labels = [d.label for d in res.lines]
    assert labels[:5] == ["boilerplate", "boilerplate", "title", "byline", "date"]


def test_published_label_and_written_by() -> None:
    text = """Lake levels fall to record low
Published: 2023-03-12
Written by Maria Lopez, Staff Writer
The water level of the reservoir dropped below twenty metres this week for the first time \
since records began, regional authorities said on Tuesday.
"""
    res = clean_scrape(text)
    assert res.title == "Lake levels fall to record low"
    assert res.authors == ["Maria Lopez"]
    assert res.published == dt.date(2023, 3, 12)
    assert res.text.startswith("The water level")


def test_dates_in_body_are_not_publication_dates() -> None:
    text = (
        "Officials said on January 5, 2021 that the bridge would reopen after repairs were "
        "completed, but the work has since been delayed several times.\n\n"
        "The ministry said on Thursday that it expects the bridge to open in the spring."
    )
    res = clean_scrape(text)
    assert res.published is None and res.title is None and res.authors == []


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("by Ana María de la Cruz", ["Ana María de la Cruz"]),
        (
            "Authors: A. B. Smith, Chen Wei & Kofi Mensah",
            ["A. B. Smith", "Chen Wei", "Kofi Mensah"],
        ),
        ("Author: Lena Berg | 4 min read", ["Lena Berg"]),
        ("Written by Maria Lopez, Staff Writer", ["Maria Lopez"]),
    ],
)
def test_parse_byline(line: str, authors: list[str]) -> None:
    b = parse_byline(line)
    assert b is not None and b.authors == authors


def test_parse_byline_rejects_non_names() -> None:
    assert parse_byline("By Thursday, most of the troops had returned to their bases.") is None
    assert parse_byline("By March 2023") is None or parse_byline("By March 2023").authors == []
    b = parse_byline("by some news site")
    assert b is not None and b.authors == [] and b.outlet == "some news site"
    b = parse_byline("By Jane Doe | March 3, 2024")
    assert b is not None and b.authors == ["Jane Doe"] and b.date == dt.date(2024, 3, 3)


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("January 28, 2022", dt.date(2022, 1, 28)),
        ("12 March 2023", dt.date(2023, 3, 12)),
        ("Published: 2023-03-12", dt.date(2023, 3, 12)),
        ("Updated on Sep. 3, 2021 at 10:15 GMT", dt.date(2021, 9, 3)),
        ("Mon, 7 Feb 2022 · 4 min read", dt.date(2022, 2, 7)),
        ("28.01.2022", dt.date(2022, 1, 28)),
        ("12/31/2022", dt.date(2022, 12, 31)),
    ],
)
def test_parse_date_line(line: str, date: dt.date) -> None:
    assert parse_date_line(line, allow_fallback=False) == date


def test_parse_date_line_rejects_sentences_and_relative_dates() -> None:
    assert parse_date_line("The summit took place on January 28, 2022 in Geneva.") is None
    assert parse_date_line("on Thursday") is None
    assert parse_date_line("May 2022", allow_fallback=False) is None
    assert find_date("nothing here") is None


def test_dateparser_fallback_other_language() -> None:
    assert parse_date_line("28 janvier 2022") == dt.date(2022, 1, 28)


@pytest.mark.parametrize(
    ("title", "hints", "want"),
    [
        ("Strike halts port | The Daily Ledger", ["The Daily Ledger"], "Strike halts port"),
        ("Strike halts port - ledger.com", [], "Strike halts port"),
        ("Strike halts port Reuters-zimo news", ["Reuters"], "Strike halts port"),
        ("Biden - Putin call set for Tuesday", ["Reuters"], "Biden - Putin call set for Tuesday"),
        ("Analysts see slowdown, says Reuters", ["Reuters"], "Analysts see slowdown, says Reuters"),
    ],
)
def test_strip_site_suffix(title: str, hints: list[str], want: str) -> None:
    assert strip_site_suffix(title, hints) == want
