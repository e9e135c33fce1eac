"""A live newsgraph server over the sample corpus, and headless Debian Chromium to drive it.

Chromium comes from scripts/browser-test-setup.sh (Debian's package); Playwright drives it
through ``executable_path`` and never downloads a browser. Without Chromium the tests fail in
CI (``CI`` set) and are skipped elsewhere with the reason.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import uvicorn

import newsgraph
from newsgraph.web import create_app

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
SETUP = REPO / "scripts" / "browser-test-setup.sh"


def _chromium() -> str:
    found = os.environ.get("NEWSGRAPH_CHROMIUM") or next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None
    )
    if found:
        return found
    proc = subprocess.run([str(SETUP)], capture_output=True, text=True, timeout=900, check=False)
    if proc.returncode == 0 and proc.stdout.strip():
        return proc.stdout.strip().splitlines()[-1]
    reason = f"no chromium ({SETUP.name}: {proc.stderr.strip()[-500:]})"
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@dataclass
class Site:
    base: str
    ng: newsgraph.NewsGraph


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    from test_api_corpus import load

    db = tmp_path_factory.mktemp("web") / "web.db"
    ng = newsgraph.open(str(db))
    summary = ng.run([str(REPO / "sample")])
    assert summary.stored == 5, summary
    load(ng.store)  # constructed articles: a story, events and a hostile article
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(ng.store), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield Site(f"http://127.0.0.1:{port}", ng)
    finally:
        server.should_exit = True
        thread.join(10)
        ng.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    path = _chromium()
    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=path, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield b
        finally:
            b.close()


@dataclass
class Watched:
    """A page plus everything it must not do: dialogs, console errors, uncaught exceptions."""

    page: object
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
        return path


@pytest.fixture
def page(browser: object) -> Iterator[Watched]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    p = ctx.new_page()
    p.set_default_timeout(15_000)
    w = Watched(p)

    def on_dialog(d: object) -> None:
        w.dialogs.append(d.message)  # type: ignore[attr-defined]
        d.dismiss()  # type: ignore[attr-defined]

    p.on("dialog", on_dialog)
    p.on("console", lambda m: m.type == "error" and w.errors.append(m.text))
    p.on("pageerror", lambda e: w.errors.append(str(e)))
    try:
        yield w
    finally:
        ctx.close()
    assert w.dialogs == [], f"dialogs opened: {w.dialogs}"
    assert w.errors == [], f"console errors: {w.errors}"
