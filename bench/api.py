"""REST API latency under concurrent load, and report generation time, on a large store.

    .venv/bin/python bench/api.py [--docs 100000] [--requests 200] [--concurrency 4]
                                  [--seconds 120] [--db PATH] [--json PATH] [--no-cache]

1. Generates (or reuses, cached under ``bench/out/``) a SQLite store of ``--docs`` synthetic
   documents written directly with ``Store.write_batch`` (no NLP: like ``--stages none``
   documents, plus generated mentions, quotes and events so the entity, quote and event
   endpoints have work to do), 2,000 entities and stories, one of them with 1,000 documents.
2. Starts ``newsgraph serve`` on a free loopback port (its own process); ``--no-cache``
   turns its response cache off, so every request runs its queries (entity ids are drawn
   Zipf-like, so the frequent actors repeat and are mostly cache hits otherwise).
3. From another process, sends ``--requests`` requests per endpoint with ``--concurrency``
   threads (bounded by ``--seconds`` in total) and prints p50/p95/max latency and errors per
   endpoint. Target: p95 < 100 ms and zero errors.
4. Times ``GET /api/v1/report?story=<1,000-document story>`` (target < 5 s).

Only loopback addresses are used. Prints date, machine and the command with the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"  # git-ignored
P95_TARGET_MS = 100.0
REPORT_TARGET_S = 5.0
N_ENTITIES = 2000
BIG_STORY_DOCS = 1000
TYPES = ["CONSULT", "ACCUSE", "THREATEN", "REQUEST", "REJECT", "SUPPORT", "AGREE", "SANCTION"]


# --- store generation -------------------------------------------------------------------------


def _words(rng: random.Random, n: int) -> list[str]:
    syll = ["ka", "lo", "mi", "ren", "tas", "vo", "di", "nor", "pe", "sul", "ta", "gri", "an"]
    out = set()
    while len(out) < n:
        out.add("".join(rng.choice(syll) for _ in range(rng.randint(2, 4))))
    return sorted(out)


def generate(db: str, n_docs: int, seed: int = 7) -> None:
    from newsgraph.model import Document, Entity, Event, Mention, Quote, Story
    from newsgraph.store import Store

    rng = random.Random(seed)
    vocab = _words(rng, 4000)
    names = [
        f"{w1.capitalize()} {w2.capitalize()}"
        for w1, w2 in zip(_words(rng, N_ENTITIES), reversed(_words(rng, N_ENTITIES)), strict=True)
    ]
    entities = [
        Entity(id=f"e{i:05d}", name=n, type="PERSON" if i % 3 else "ORG", aliases=[n.split()[1]])
        for i, n in enumerate(names)
    ]
    outlets = [f"Outlet {i}" for i in range(60)]
    start = dt.date(2023, 1, 1)
    weights = [1 / (i + 1) for i in range(N_ENTITIES)]  # Zipf-like: a few very frequent actors
    store = Store.open(db)
    batch: list[Document] = []
    story_docs: dict[str, list[str]] = {}
    t0 = time.perf_counter()
    for i in range(n_docs):
        actors = rng.choices(range(N_ENTITIES), weights=weights, k=3)
        parts: list[str] = []
        mentions: list[Mention] = []
        pos = 0
        for a in actors:
            filler = " ".join(rng.choices(vocab, k=rng.randint(8, 20))) + " "
            parts.append(filler)
            pos += len(filler)
            name = names[a]
            parts.append(name)
            mentions.append(
                Mention(
                    start=pos, end=pos + len(name), text=name, label="PERSON", entity=f"e{a:05d}"
                )
            )
            pos += len(name)
            parts.append(" said. ")
            pos += 7
        text = "".join(parts)
        day = start + dt.timedelta(days=rng.randint(0, 700))
        quote_start = mentions[0].end + 1
        story = "s-big" if i < BIG_STORY_DOCS else f"s{i % 5000:04d}"
        story_docs.setdefault(story, []).append(f"g{i:07d}")
        doc = Document(
            id=f"g{i:07d}",
            input="bench",
            title=" ".join(rng.choices(vocab, k=6)).capitalize(),
            outlet=rng.choice(outlets),
            published=day,
            language="en",
            text=text,
            story=story,
            content_hash=f"h{i}",
            mentions=mentions,
            quotes=[
                Quote(
                    start=0,
                    end=quote_start,
                    text=text[:quote_start],
                    kind="indirect",
                    cue="said",
                    speaker=mentions[0].entity,
                    speaker_text=mentions[0].text,
                )
            ],
            events=[
                Event(
                    start=0,
                    end=len(text),
                    type=rng.choice(TYPES),
                    source=mentions[0].entity,
                    target=mentions[1].entity,
                    date=day,
                )
            ],
        )
        batch.append(doc)
        if len(batch) == 2000:
            store.write_batch(batch)
            batch = []
            print(f"\r  generated {i + 1}/{n_docs} documents", end="", file=sys.stderr)
    if batch:
        store.write_batch(batch)
    store.upsert_entities(entities)
    stories = []
    for sid, ids in story_docs.items():
        stories.append(Story(id=sid, title=f"Story {sid}", documents=ids))
    store.upsert_stories(stories)
    store.close()
    print(f"\n  store generated in {time.perf_counter() - t0:.0f} s", file=sys.stderr)


def ensure_store(db: Path, n_docs: int) -> None:
    from newsgraph.store import Store

    if db.exists():
        with Store.open(str(db)) as s:
            if s.count_documents() == n_docs:
                return
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    db.parent.mkdir(parents=True, exist_ok=True)
    generate(str(db), n_docs)


# --- load ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def endpoints(rng: random.Random, n_docs: int) -> dict[str, Any]:
    """Endpoint name -> function giving a fresh path each call (varied ids and pages)."""
    vocab = _words(random.Random(7), 4000)

    def ent() -> str:
        return f"e{min(int(rng.paretovariate(1.2)) - 1, N_ENTITIES - 1):05d}"

    return {
        "documents (page)": lambda: f"/api/v1/documents?limit=20&offset={rng.randint(0, 2000)}",
        "documents?outlet": lambda: f"/api/v1/documents?outlet=Outlet%20{rng.randint(0, 59)}",
        "document": lambda: f"/api/v1/documents/g{rng.randrange(n_docs):07d}",
        "entities?name": lambda: f"/api/v1/entities?name={rng.choice(vocab)[:3]}",
        "entity": lambda: f"/api/v1/entities/{ent()}",
        "entity quotes": lambda: f"/api/v1/entities/{ent()}/quotes",
        "entity network": lambda: f"/api/v1/entities/{ent()}/network",
        "quotes": lambda: f"/api/v1/quotes?offset={rng.randint(0, 1000)}",
        "events?type": lambda: f"/api/v1/events?type={rng.choice(TYPES)}&since=2024-01-01",
        "stories": lambda: f"/api/v1/stories?offset={rng.randint(0, 1000)}",
        "story": lambda: f"/api/v1/stories/s{rng.randrange(5000):04d}",
        "search": lambda: f"/api/v1/search?q={rng.choice(vocab)}",
    }


def run_load(base: str, n_docs: int, requests: int, concurrency: int, seconds: float) -> dict:
    """Runs in its own process: requests with a thread pool, latencies per endpoint."""
    import httpx

    rng = random.Random(11)
    eps = endpoints(rng, n_docs)
    jobs = [(name, make()) for name, make in eps.items() for _ in range(requests)]
    rng.shuffle(jobs)
    deadline = time.monotonic() + seconds
    results: dict[str, list[float]] = {name: [] for name in eps}
    errors: dict[str, list[str]] = {name: [] for name in eps}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    with httpx.Client(base_url=base, timeout=30, limits=limits) as client:

        def one(job: tuple[str, str]) -> None:
            name, path = job
            if time.monotonic() > deadline:
                return
            t = time.perf_counter()
            try:
                r = client.get(path)
                ok = r.status_code == 200
                detail = f"{r.status_code} {path}"
            except httpx.HTTPError as e:
                ok, detail = False, f"{type(e).__name__} {path}"
            ms = (time.perf_counter() - t) * 1000
            if ok:
                results[name].append(ms)
            else:
                errors[name].append(detail)

        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(one, jobs))
    return {"latencies": results, "errors": errors}


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux /proc), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=200, help="requests per endpoint")
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=120, help="time bound of the load phase")
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    ap.add_argument(
        "--no-cache",
        action="store_true",
        help="serve with the response cache off (every request runs its queries)",
    )
    ap.add_argument("--load-only", help=argparse.SUPPRESS)  # internal: the load process
    args = ap.parse_args()

    if args.load_only:
        out = run_load(args.load_only, args.docs, args.requests, args.concurrency, args.seconds)
        json.dump(out, sys.stdout)
        return 0

    db = args.db or OUT / f"api-{args.docs}.db"
    print(f"# bench/api.py  {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    print(
        f"# machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}"
    )
    print(f"# command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    ensure_store(db, args.docs)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "newsgraph.cli", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "NEWSGRAPH_WEB_CACHE": "0"} if args.no_cache else None,
    )
    try:
        import httpx

        for _ in range(300):
            try:
                httpx.get(base + "/api/v1/stats", timeout=30).raise_for_status()
                break
            except httpx.HTTPError:
                if server.poll() is not None:
                    print(server.stderr.read().decode() if server.stderr else "", file=sys.stderr)
                    return 2
                time.sleep(0.2)
        # Warm-up: first requests pay imports and cold caches.
        rng = random.Random(3)
        for make in endpoints(rng, args.docs).values():
            httpx.get(base + make(), timeout=60)
        cpu0 = _cpu_seconds(server.pid)
        load = subprocess.run(
            [
                sys.executable,
                __file__,
                "--load-only",
                base,
                "--docs",
                str(args.docs),
                "--requests",
                str(args.requests),
                "--concurrency",
                str(args.concurrency),
                "--seconds",
                str(args.seconds),
            ],
            capture_output=True,
            text=True,
            timeout=args.seconds + 120,
            check=True,
        )
        res = json.loads(load.stdout)
        cpu1 = _cpu_seconds(server.pid)
        t = time.perf_counter()
        rep = httpx.get(base + "/api/v1/report", params={"story": "s-big"}, timeout=120)
        report_s = time.perf_counter() - t
        report_ok = rep.status_code == 200
        engine = rep.json().get("engine") if report_ok else None
        n_report_docs = (
            len(rep.json().get("articles") or rep.json().get("documents") or []) if report_ok else 0
        )
    finally:
        server.terminate()
        server.wait(10)

    print(f"# store: {args.docs} documents, {N_ENTITIES} entities, SQLite ({db})")
    print(
        f"# load: {args.requests} requests per endpoint, {args.concurrency} concurrent, "
        f"from a separate process, loopback, bounded to {args.seconds:.0f} s; "
        f"response cache {'off' if args.no_cache else 'on'}"
    )
    print(f"{'endpoint':<20} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'errors':>7}")
    worst, total_errors, rows = 0.0, 0, {}
    for name, lat in res["latencies"].items():
        errs = res["errors"][name]
        p50, p95 = _pct(lat, 50), _pct(lat, 95)
        worst = max(worst, p95)
        total_errors += len(errs)
        rows[name] = {
            "n": len(lat),
            "p50_ms": p50,
            "p95_ms": p95,
            "max_ms": max(lat or [0]),
            "errors": len(errs),
        }
        print(
            f"{name:<20} {len(lat):>5} {p50:>8.1f} {p95:>8.1f} {max(lat or [0]):>8.1f} "
            f"{len(errs):>7}"
        )
        for e in errs[:3]:
            print(f"    error: {e}")
    all_lat = [x for lat in res["latencies"].values() for x in lat]
    print(
        f"{'all':<20} {len(all_lat):>5} {_pct(all_lat, 50):>8.1f} {_pct(all_lat, 95):>8.1f} "
        f"{max(all_lat or [0]):>8.1f} {total_errors:>7}"
    )
    if cpu0 is not None and cpu1 is not None and all_lat:
        # Independent of how busy the machine is: what the server itself spent.
        per = (cpu1 - cpu0) * 1000 / (len(all_lat) + total_errors)
        print(f"server CPU: {cpu1 - cpu0:.1f} s for the load, {per:.1f} ms per request")
    ok_lat = worst < P95_TARGET_MS and total_errors == 0
    print(
        f"target p95 < {P95_TARGET_MS:.0f} ms on every endpoint and zero errors: "
        f"{'met' if ok_lat else 'NOT met'} (worst p95 {worst:.1f} ms, {total_errors} errors)"
    )
    print(
        f"report for a {BIG_STORY_DOCS}-document story ({engine or 'failed'} engine, "
        f"{n_report_docs} articles): {report_s:.2f} s — target < {REPORT_TARGET_S:.0f} s: "
        f"{'met' if report_ok and report_s < REPORT_TARGET_S else 'NOT met'}"
    )
    if args.json:
        args.json.write_text(json.dumps({"endpoints": rows, "report_s": report_s}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
