"""Options shared by every reader (kept apart from ``__init__`` so readers can import it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadOptions:
    """Limits and switches for reading inputs.

    ``max_item_bytes`` caps one file, record, line or HTTP response: anything bigger is an
    ``ItemError`` "too-large" and is never read into memory beyond the cap.
    """

    max_item_bytes: int = 20 * 1024 * 1024
    fetch_timeout: float = 10.0  # seconds, connect + read, per request
    max_redirects: int = 5
    # For feeds given as URLs: fetch an entry's article page when the entry has no full text.
    fetch_articles: bool = True
    user_agent: str = "newsgraph/0.1 (+offline news analytics)"
    # Loopback, private, link-local and other non-public addresses. A user on the command line
    # may fetch their own intranet feed; a server taking URLs from others must not (SSRF). A
    # feed on a public address never gets its article links fetched from a non-public one.
    allow_private_hosts: bool = True
