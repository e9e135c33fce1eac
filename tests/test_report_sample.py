"""End to end on the sample corpus: run the pipeline, build the report, check its facts."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import newsgraph
from newsgraph.cli import app
from newsgraph.model import Document
from newsgraph.report import Report, Selection, build_report, render_html, render_markdown

REPO = Path(__file__).resolve().parent.parent
HOSTILE = (
    "<script>alert(1)</script> Minister speaks\n\n"
    "By Staff Writer\n\n"
    'Sergei Lavrov told reporters: “<script>alert(1)</script>"><img src=x onerror=alert(1)> '
    "We will answer soon, and "
    "we will answer firmly.” He spoke in Moscow on Tuesday after talks with his counterparts "
    "from several European countries about the situation near the border.\n\n"
    "The ministry later published a transcript of the remarks on its website, and officials "
    "said further talks were planned for the following week in Geneva.\n"
)


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("sample")
    hostile = tmp / "hostile.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    db = str(tmp / "sample.db")
    with newsgraph.open(db) as ng:
        summary = ng.run([str(REPO / "sample"), str(hostile)])
        assert summary.errors == [] or not summary.errors
    yield db


@pytest.fixture(scope="module")
def built(sample_db: str) -> tuple[Report, dict[str, Document]]:
    with newsgraph.open(sample_db) as ng:
        docs = {d.id: d for d in ng.documents()}
        return build_report(ng), docs


def _all_refs(r: Report) -> list:
    refs = [s for t in r.timeline for s in t.sources]
    refs += [s for a in r.actors for st in a.statements for s in st.sources]
    refs += [s for a in r.actors for c in a.roles for s in c.sources]
    refs += [s for p in r.positions for s in p.sources]
    refs += [s for d in r.discrepancies for c in d.claims for s in c.sources]
    return refs


def test_sample_report_names_main_actors_and_groups_statements(built) -> None:
    r, docs = built
    names = [a.name for a in r.actors]
    for surname in ("Blinken", "Lavrov", "Putin", "Stoltenberg"):
        assert any(surname in n for n in names), (surname, names)
    assert len(r.articles) == len(docs) == 6
    # a statement carried by more than one article (translations of the same words)
    grouped = [
        s for a in r.actors for s in a.statements if len({x.document for x in s.sources}) > 1
    ]
    assert grouped
    assert any(p.kind == "REQUEST" for p in r.positions)


def test_sample_report_troop_numbers_and_wrong_role(built) -> None:
    r, _ = built
    numbers = [d for d in r.discrepancies if d.kind == "number"]
    troops = [d for d in numbers if d.subject == "military personnel"]
    assert len(troops) == 1
    excerpts = " | ".join(s.excerpt for c in troops[0].claims for s in c.sources)
    for figure in ("tens of thousands", "more than 90,000", "more than 100 thousand"):
        assert figure in excerpts
    assert len({s.document for c in troops[0].claims for s in c.sources}) == 3
    roles = [d for d in r.discrepancies if d.kind == "role" and "Lavrov" in d.subject]
    assert len(roles) == 1
    values = {c.value for c in roles[0].claims}
    assert "US Foreign Minister" in values and "Russian Foreign Minister" in values
    headline = [s for c in roles[0].claims for s in c.sources if s.field == "title"]
    assert headline and headline[0].excerpt == "US Foreign Minister"


def test_sample_report_links_resolve_to_spans(built) -> None:
    r, docs = built
    refs = _all_refs(r)
    assert len(refs) > 30
    for ref in refs:
        doc = docs[ref.document]
        source = doc.title if ref.field == "title" else doc.text
        assert source[ref.start : ref.end] == ref.excerpt != ""
    md = render_markdown(r)
    links = re.findall(r"^\[\^\d+\]: \[.*?\]\(documents/(\w+)#((?:title:)?)(\d+)-(\d+)\)", md, re.M)
    assert len(links) > 30
    for doc_id, title, start, end in links:
        source = docs[doc_id].title if title else docs[doc_id].text
        assert 0 <= int(start) < int(end) <= len(source)


def test_sample_report_escapes_hostile_article(built) -> None:
    r, _ = built
    md = render_markdown(r)
    page = render_html(r)
    assert re.search(r"(?<!\\)[<>]", md) is None
    assert r"\<script\>alert(1)" in md
    lowered = page.lower()
    assert "<script" not in lowered and "<img" not in lowered and "onerror=alert(1)>" not in page
    assert "&lt;script&gt;alert(1)" in page
    assert "onerror=alert(1)" in html.unescape(page)  # present, as text


def test_report_cli(sample_db: str, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "r.html"
    res = runner.invoke(app, ["report", "--db", sample_db, "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    res = runner.invoke(app, ["report", "--db", sample_db, "--entity", "Lavrov", "-f", "md"])
    assert res.exit_code == 0 and res.output.startswith("# Situation report: Lavrov")
    res = runner.invoke(app, ["report", "--db", sample_db, "--entity", "Nobody Such"])
    assert res.exit_code == 2 and "no entity" in res.output
    res = runner.invoke(app, ["report", "--db", sample_db, "--since", "yesterday"])
    assert res.exit_code == 2
    res = runner.invoke(app, ["report", "--db", sample_db, "--story", "missing"])
    assert res.exit_code == 2


def test_entity_selection_on_sample(sample_db: str) -> None:
    with newsgraph.open(sample_db) as ng:
        r = ng.report(Selection(entity="Stoltenberg"))
    assert 0 < len(r.articles) < 6
    assert r.actors and any("Stoltenberg" in a.name for a in r.actors)


def test_story_selection_on_sample(sample_db: str) -> None:
    with newsgraph.open(sample_db) as ng:
        stories = ng.stories()
        assert stories  # the pipeline clusters the sample into stories
        story = max(stories, key=lambda s: s.size)
        r = ng.report(Selection(story=story.id))
    assert len(r.articles) == story.size
    assert r.title == f"Situation report: {story.title}"
