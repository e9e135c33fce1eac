"""Feed and page URLs against a loopback HTTP server: good feeds, article pages, and failures."""

from __future__ import annotations

import socket
import time

import pytest

from ingest_helpers import ARTICLE, LoopbackServer, collect, html_page, server  # noqa: F401
from newsgraph.ingest import ReadOptions
from newsgraph.ingest.errors import ReadFailure
from newsgraph.ingest.feeds import read_feed_bytes
from newsgraph.ingest.fetch import fetch, is_public_address
from newsgraph.model import RawItem


def _rss(base: str, items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{t}</title><link>{base}{path}</link><guid>{path}</guid>"
        f"<description>{d}</description></item>"
        for t, path, d in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Loop News</title>'
        f"{entries}</channel></rss>"
    ).encode()


def test_feed_url_with_full_text_and_fetched_articles(server: LoopbackServer) -> None:  # noqa: F811
    long_text = "Full text in the feed. " * 30
    feed = server.route(
        "/feed.xml",
        _rss(
            server.base,
            [
                ("Full", "/full", long_text),
                ("Teaser", "/article", "Read more..."),
                ("Missing", "/missing", "Read more..."),
            ],
        ),
        ctype="application/rss+xml",
    )
    server.route("/article", html_page(title="Fetched page").encode())
    items, errors = collect(feed)
    assert [(i.title, i.locator) for i in items] == [("Full", "entry 1"), ("Teaser", "entry 2")]
    full, fetched = items
    assert full.content.strip() == long_text.strip() and full.input == feed
    assert fetched.kind == "html" and "Fetched page" in fetched.content
    assert fetched.url == server.base + "/article"
    assert fetched.extra["entry_summary"] == "Read more..."
    assert fetched.outlet == "Loop News"
    assert [(e.locator, e.error, e.stage) for e in errors] == [("entry 3", "http-404", "fetch")]
    # Ids depend on the entry, not on the fetched page: a re-read gives the same ids.
    assert [i.id for i in collect(feed)[0]] == [i.id for i in items]


def test_fetch_articles_off_keeps_the_teaser(server: LoopbackServer) -> None:  # noqa: F811
    feed = server.route(
        "/feed.xml", _rss(server.base, [("T", "/article", "Read more...")]), ctype="text/xml"
    )
    items, errors = collect(feed, fetch_articles=False)
    assert not errors and items[0].content == "Read more..."


def test_page_url_is_an_html_item(server: LoopbackServer) -> None:  # noqa: F811
    page = html_page(head='<link rel="canonical" href="https://site.example/p">')
    url = server.route("/page", page.encode("utf-8"))
    text_url = server.route("/note", ARTICLE.encode("cp1252"), ctype="text/plain; charset=cp1252")
    items, errors = collect([url, text_url])
    assert not errors
    assert (items[0].kind, items[0].url, items[0].input) == ("html", "https://site.example/p", url)
    assert (items[1].kind, items[1].content) == ("text", ARTICLE)


def test_http_failures(server: LoopbackServer) -> None:  # noqa: F811
    server.route("/loop", b"", status=302, headers={"Location": "/loop"})
    server.route("/slow", b"late", delay=1.5)
    server.route("/huge", b"x" * 200_000)
    server.route("/image", b"\x89PNG\r\n\x1a\n\x00\x00" * 50, ctype="image/png")
    server.route("/hop", b"", status=301, headers={"Location": "/page"})
    server.route("/page", html_page().encode())
    server.route("/to-file", b"", status=302, headers={"Location": "file:///etc/passwd"})
    server.route("/empty", b"", ctype="text/plain")
    urls = [
        server.base + p
        for p in ["/nope", "/loop", "/slow", "/huge", "/image", "/hop", "/to-file", "/empty"]
    ]
    start = time.monotonic()
    items, errors = collect(urls, fetch_timeout=0.5, max_item_bytes=100_000, max_redirects=3)
    assert time.monotonic() - start < 5
    assert [i.input for i in items] == [server.base + "/hop"]
    assert items[0].url == server.base + "/page"
    assert [(e.input.removeprefix(server.base), e.error) for e in errors] == [
        ("/nope", "http-404"),
        ("/loop", "too-many-redirects"),
        ("/slow", "timeout"),
        ("/huge", "too-large"),
        ("/image", "unsupported"),
        ("/to-file", "unsupported"),
        ("/empty", "empty"),
    ]
    assert all(e.stage == "fetch" for e in errors if e.error != "empty")


def test_oversized_without_content_length(server: LoopbackServer) -> None:  # noqa: F811
    def chunked(req) -> None:  # type: ignore[no-untyped-def]
        req.send_response(200)
        req.send_header("Content-Type", "text/html")
        req.end_headers()
        for _ in range(50):
            req.wfile.write(b"<p>" + b"y" * 10_000)
        req.close_connection = True

    server.routes["/stream"] = chunked
    with pytest.raises(ReadFailure) as info:
        fetch(server.base + "/stream", ReadOptions(max_item_bytes=100_000))
    assert info.value.error == "too-large"


def test_dripping_server_meets_the_deadline(server: LoopbackServer) -> None:  # noqa: F811
    def drip(req) -> None:  # type: ignore[no-untyped-def]
        req.send_response(200)
        req.send_header("Content-Type", "text/html")
        req.end_headers()
        for _ in range(30):
            req.wfile.write(b"<p>x</p>")
            req.wfile.flush()
            time.sleep(0.1)

    server.routes["/drip"] = drip
    start = time.monotonic()
    with pytest.raises(ReadFailure) as info:
        fetch(server.base + "/drip", ReadOptions(fetch_timeout=0.5))
    assert info.value.error == "timeout"
    assert time.monotonic() - start < 1.5


def test_refused_and_bad_urls() -> None:
    with socket.socket() as s:  # a port nobody listens on: bind, then close
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    items, errors = collect(
        [f"http://127.0.0.1:{port}/feed", "http://127.0.0.1:notaport/x"], fetch_timeout=2
    )
    assert not items
    assert [e.error for e in errors] == ["refused", "bad-url"]


# --- non-public addresses (SSRF) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.9", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata services live here
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("::1", False),
        ("fe80::1%eth0", False),
        ("fd00::1", False),
        ("::ffff:127.0.0.1", False),
        ("not an ip", False),
        ("1.1.1.1", True),
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
    ],
)
def test_public_addresses(address: str, public: bool) -> None:
    assert is_public_address(address) is public


def test_private_hosts_refused_when_not_allowed(server: LoopbackServer) -> None:  # noqa: F811
    url = server.route("/page", html_page().encode())
    items, errors = collect([url, "http://localhost:9/x"], allow_private_hosts=False)
    assert not items
    assert [(e.error, e.stage) for e in errors] == [("private-address", "fetch")] * 2
    # fetch() itself refuses too (it checks every redirect hop the same way).
    with pytest.raises(ReadFailure) as caught:
        fetch(url, ReadOptions(allow_private_hosts=False))
    assert caught.value.error == "private-address"


def test_public_feed_cannot_point_at_private_articles(server: LoopbackServer) -> None:  # noqa: F811
    """Entries of a feed from a public address never get a private article page fetched."""
    server.route("/article", html_page(title="Internal page").encode())
    feed = _rss(server.base, [("Teaser", "/article", "Read more...")])
    public = list(read_feed_bytes(feed, "feed", ReadOptions(), source_url="http://1.1.1.1/rss"))
    assert [(type(r).__name__, getattr(r, "error", None)) for r in public] == [
        ("ItemError", "private-address")
    ]
    # The same feed from a loopback URL (a user's own machine) may fetch them.
    local = list(read_feed_bytes(feed, "feed", ReadOptions(), source_url=server.base + "/rss"))
    assert isinstance(local[0], RawItem) and "Internal page" in local[0].content
