"""A small, careful HTTP(S) GET: http/https only, a deadline, a size cap, a redirect limit.

Used for feed URLs, plain page URLs and articles linked from feed entries. Every failure is a
:class:`ReadFailure` with ``stage="fetch"`` and a short kind ("timeout", "dns", "refused",
"http-404", "too-many-redirects", "too-large", ...).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from dataclasses import dataclass
from email.message import Message

from newsgraph.ingest.errors import ReadFailure
from newsgraph.ingest.options import ReadOptions

_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchResult:
    url: str  # final URL, after redirects
    data: bytes
    content_type: str  # lower-case media type without parameters, "" if none
    charset: str | None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by :func:`fetch` itself, to check scheme and count hops."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


def is_public_address(address: str) -> bool:
    """True for a globally routable unicast IP address (what a server may be asked to fetch)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def host_is_public(host: str, port: int | None = None) -> bool:
    """True when every address ``host`` resolves to is public (False if it does not resolve)."""
    try:
        infos = socket.getaddrinfo(host, port or 80, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return False
    return bool(infos) and all(is_public_address(str(info[4][0])) for info in infos)


def _connect_public(
    host: str, port: int, timeout: float | None, source: tuple[str, int] | None
) -> socket.socket:
    """Connect to one of ``host``'s public addresses; never to a private one.

    The check and the connection use the same resolved address, so a DNS answer that changes
    between the two (rebinding) cannot slip a private address through.
    """
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    allowed = [i for i in infos if is_public_address(str(i[4][0]))]
    if not allowed:
        raise ReadFailure(
            "private-address",
            f"{host} resolves to a non-public address; fetching it is not allowed here",
            stage="fetch",
        )
    last: OSError | None = None
    for family, type_, proto, _name, addr in allowed:
        sock = socket.socket(family, type_, proto)
        try:
            if timeout is not None:
                sock.settimeout(timeout)
            if source:
                sock.bind(source)
            sock.connect(addr)
            return sock
        except OSError as exc:
            sock.close()
            last = exc
    assert last is not None
    raise last


class _PublicHTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        self.sock = _connect_public(self.host, self.port, self.timeout, self.source_address)


class _PublicHTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        sock = _connect_public(self.host, self.port, self.timeout, self.source_address)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _PublicHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):  # type: ignore[no-untyped-def]
        return self.do_open(_PublicHTTPConnection, req)


class _PublicHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):  # type: ignore[no-untyped-def]
        return self.do_open(_PublicHTTPSConnection, req, context=self._context)  # type: ignore[attr-defined]


def _opener(options: ReadOptions) -> urllib.request.OpenerDirector:
    if options.allow_private_hosts:
        return urllib.request.build_opener(_NoRedirect())
    # Through a proxy the proxy connects, not us: there only the pre-check in _check_url holds.
    return urllib.request.build_opener(_NoRedirect(), _PublicHTTPHandler(), _PublicHTTPSHandler())


def is_url(text: str) -> bool:
    return urllib.parse.urlsplit(text).scheme.lower() in {"http", "https"}


def _fail(error: str, message: str) -> ReadFailure:
    return ReadFailure(error, message, stage="fetch")


def _check_url(url: str, options: ReadOptions) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"}:
        raise _fail("unsupported", f"only http and https URLs are fetched, not {url!r}")
    if not parts.hostname:
        raise _fail("bad-url", f"URL has no host: {url!r}")
    if not options.allow_private_hosts:
        try:
            port = parts.port
        except ValueError:
            raise _fail("bad-url", f"bad port in {url!r}") from None
        if not host_is_public(parts.hostname, port):
            raise _fail(
                "private-address",
                f"{parts.hostname} is not a public address (or does not resolve); "
                "fetching it is not allowed here",
            )


def _network_failure(exc: BaseException, url: str) -> ReadFailure:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError | socket.timeout):
        return _fail("timeout", f"timed out fetching {url}")
    if isinstance(reason, socket.gaierror):
        return _fail("dns", f"cannot resolve the host of {url}")
    if isinstance(reason, ConnectionRefusedError):
        return _fail("refused", f"connection refused by {url}")
    if isinstance(reason, ssl.SSLError):
        return _fail("tls", f"TLS error fetching {url}: {reason}")
    if isinstance(reason, http.client.InvalidURL):
        return _fail("bad-url", f"cannot fetch {url!r}: {reason}")
    if isinstance(reason, http.client.IncompleteRead):
        return _fail("truncated", f"connection closed before the whole response of {url}")
    if isinstance(reason, http.client.HTTPException | ConnectionError):
        return _fail("bad-response", f"bad or interrupted HTTP response from {url}: {reason!r}")
    return _fail("network", f"network error fetching {url}: {reason}")


def _read_body(resp: http.client.HTTPResponse, url: str, cap: int, deadline: float) -> bytes:
    length = resp.headers.get("Content-Length")
    if length and length.strip().isdigit() and int(length) > cap:
        raise _fail("too-large", f"{url} is {int(length):,} bytes, over the {cap:,}-byte limit")
    chunks: list[bytes] = []
    size = 0
    while True:
        # read1 returns after one socket read, so a server dripping bytes still meets the
        # deadline instead of holding us for as long as it likes.
        chunk = resp.read1(_CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > cap:
            raise _fail("too-large", f"{url} sent more than the {cap:,}-byte limit")
        chunks.append(chunk)
        if time.monotonic() > deadline:
            raise _fail("timeout", f"timed out reading {url}")
    data = b"".join(chunks)
    encoding = (resp.headers.get("Content-Encoding") or "").strip().lower()
    if encoding in {"gzip", "x-gzip", "deflate"}:
        # We asked for identity; a server that compresses anyway still gets a capped inflate.
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)
        try:
            data = inflater.decompress(data, cap + 1)
        except zlib.error as exc:
            raise _fail("bad-gzip", f"{url}: bad {encoding} body: {exc}") from None
        if len(data) > cap or inflater.unconsumed_tail:
            raise _fail("too-large", f"{url} inflates to more than the {cap:,}-byte limit")
    return data


def fetch(url: str, options: ReadOptions) -> FetchResult:
    """GET ``url``; raises :class:`ReadFailure` (stage "fetch") on any failure."""
    opener = _opener(options)
    current = url
    for _hop in range(options.max_redirects + 1):
        _check_url(current, options)
        request = urllib.request.Request(
            current,
            headers={
                "User-Agent": options.user_agent,
                "Accept-Encoding": "identity",
                "Accept": "text/html,application/xhtml+xml,application/rss+xml,"
                "application/atom+xml,application/xml;q=0.9,text/*;q=0.8,*/*;q=0.5",
            },
        )
        deadline = time.monotonic() + options.fetch_timeout
        try:
            with opener.open(request, timeout=options.fetch_timeout) as resp:
                data = _read_body(resp, current, options.max_item_bytes, deadline)
                headers: Message = resp.headers
                return FetchResult(
                    url=resp.geturl() or current,
                    data=data,
                    content_type=(headers.get_content_type() or "").lower()
                    if headers.get("Content-Type")
                    else "",
                    charset=headers.get_content_charset(),
                )
        except urllib.error.HTTPError as exc:
            location = exc.headers.get("Location") if exc.headers else None
            exc.close()
            if exc.code in _REDIRECTS and location:
                current = urllib.parse.urljoin(current, location.strip())
                continue
            raise _fail(f"http-{exc.code}", f"HTTP {exc.code} {exc.reason} for {current}") from None
        except ReadFailure:
            raise
        except ValueError as exc:  # malformed URL, bad port, control characters
            raise _fail("bad-url", f"cannot fetch {current!r}: {exc}") from None
        except (OSError, http.client.HTTPException) as exc:
            raise _network_failure(exc, current) from None
    raise _fail(
        "too-many-redirects", f"more than {options.max_redirects} redirects starting at {url}"
    )
