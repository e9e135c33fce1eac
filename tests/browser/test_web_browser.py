"""The web UI in real headless Chromium: every page loads, scripts run, hostile text stays text.

Screenshots of each page go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import pytest

from browser.conftest import Site, Watched

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _biggest(site: Site, path: str, key: str) -> dict:
    import json
    import urllib.request

    with urllib.request.urlopen(f"{site.base}{path}") as r:
        items = json.load(r)["items"]
    assert items, f"nothing at {path}"
    return max(items, key=lambda x: x[key])


def test_search_and_open_a_hit(site: Site, page: Watched) -> None:
    p = page.page
    p.goto(site.base + "/")
    p.fill("form.search input[name=q]", "NATO Russia")
    p.press("form.search input[name=q]", "Enter")
    p.wait_for_selector("ol.hits li.hit")
    assert p.locator("ol.hits li.hit").count() >= 3
    assert p.locator("ol.hits mark").count() > 0  # matches highlighted
    assert p.locator("aside.facets .facet").count() == 4
    page.shot("search")
    # A facet narrows the results.
    before = p.locator("ol.hits li.hit").count()
    p.locator("aside.facets .facet").first.locator("a").first.click()
    p.wait_for_selector("span.chip")
    assert p.locator("ol.hits li.hit").count() <= before
    p.locator("ol.hits li.hit a.title").first.click()
    p.wait_for_selector("article.doc-view h1")


def test_story_page(site: Site, page: Watched) -> None:
    p = page.page
    p.goto(site.base + "/stories")
    story = _biggest(site, "/api/v1/stories?limit=200", "size")
    p.click(f"a[href='/stories/{story['id']}']")
    p.wait_for_selector("main h1")
    assert p.locator("ul.docs li.doc").count() == story["size"]
    assert p.locator("ul.outlets li").count() >= 1
    if p.locator("#story-events li.event").count():
        p.wait_for_selector(".timeline-chart[data-ready='1'] svg rect")
    page.shot("story")


def test_entity_page_with_network(site: Site, page: Watched) -> None:
    p = page.page
    ent = _biggest(site, "/api/v1/entities?limit=200&type=PERSON", "documents")
    p.goto(f"{site.base}/entities/{ent['id']}")
    assert p.locator("h1").inner_text().startswith(ent["name"])
    p.wait_for_selector("#network[data-ready='1'] svg circle")
    assert p.locator("#network svg circle").count() >= 2
    assert p.locator("table.evidence tbody tr").count() >= 1
    page.shot("entity")
    # Nodes link to entity pages.
    p.locator("#network svg a").nth(1).click()
    p.wait_for_url("**/entities/**")


def test_article_with_highlights(site: Site, page: Watched) -> None:
    p = page.page
    doc = _biggest(site, "/api/v1/search?q=Lavrov&limit=50", "score")
    p.goto(f"{site.base}/documents/{doc['id']}")
    body = p.locator("#text")
    assert body.locator("a.m").count() > 3  # resolved mentions, linked
    assert body.locator("q.q").count() >= 1  # quotes
    page.shot("article")
    body.locator("a.m").first.click()
    p.wait_for_selector("h1 .badge")


def test_article_events_highlighted(site: Site, page: Watched) -> None:
    p = page.page
    p.goto(f"{site.base}/documents/doc1")
    assert p.locator("#text mark.ev.ev-ACCUSE").inner_text() == "Keski accused Lundmark of delays."
    assert p.locator("#text q.q").count() == 1
    page.shot("article-events")
    # A report's link to a span (#start-end) outlines exactly that text.
    text = p.locator("#text").inner_text()
    start = text.index("Keski accused")
    p.goto(f"{site.base}/documents/doc1#{start}-{start + len('Keski accused')}")
    p.wait_for_selector("#text .target")
    marked = "".join(p.locator("#text .target").all_inner_texts())
    assert marked == "Keski accused Lundmark of delays."  # segments overlapping the span


def test_timeline_with_filters(site: Site, page: Watched) -> None:
    p = page.page
    p.goto(site.base + "/events")
    p.wait_for_selector(".timeline-chart[data-ready='1'] svg rect")
    total = p.locator("#all-events li.event").count()
    assert total >= 2
    page.shot("timeline")
    p.select_option("select[name=type]", "THREATEN")
    p.click("form.filters button[type=submit]")
    p.wait_for_url("**type=THREATEN**")
    types = p.locator("#all-events li.event").evaluate_all("els => els.map(e => e.dataset.type)")
    assert types and set(types) == {"THREATEN"}


def test_report_page(site: Site, page: Watched) -> None:
    p = page.page
    story = _biggest(site, "/api/v1/stories?limit=200", "size")
    p.goto(f"{site.base}/report?story={story['id']}")
    p.wait_for_selector("article.report h1")
    assert p.locator("article.report h2").count() >= 3
    page.shot("report")


def test_hostile_document_runs_nothing(site: Site, page: Watched) -> None:
    p = page.page
    p.goto(f"{site.base}/documents/doc_hostile")
    text = p.locator("#text").inner_text()
    assert '<script>alert("pwned")</script>' in text
    assert '"><img src=x onerror=alert(1)>' in text
    assert p.locator("h1").inner_text() == '<script>alert("title")</script>'
    assert p.locator("main img").count() == 0 and p.locator("main script").count() == 0
    assert p.locator("a[href^='javascript:']").count() == 0
    page.shot("hostile-article")
    p.goto(f"{site.base}/entities/e_zed")
    assert p.locator("h1").inner_text().startswith("Zed <img src=x onerror=alert(5)>")
    p.goto(f"{site.base}/?q=Breaking")
    assert p.locator("ol.hits a.title").first.inner_text() == '<script>alert("title")</script>'
    page.shot("hostile-search")
    # dialogs and console errors are checked by the `page` fixture after the test
