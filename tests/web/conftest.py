"""A real uvicorn server on 127.0.0.1 and Debian's headless Chromium, driven by Playwright."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
AXE_DIR = REPO / ".cache" / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip the browser tests, with the reason, where Chromium is not installed."""
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason="/usr/bin/chromium is missing: apt-get install -y chromium")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory, builtin_index: Path) -> Iterator[str]:
    """Serve create_app(Settings(engine="echo")) with uvicorn in a thread; yield its URL."""

    from civicllm.config import Settings
    from civicllm.server import create_app

    home = tmp_path_factory.mktemp("civic-home")
    shutil.copyfile(builtin_index, home / "index.sqlite")
    # One server for the whole session, every page from 127.0.0.1: anonymous rate limits are
    # per address, so the page tests together would pass the default 60 a minute.
    with serve(create_app(Settings(engine="echo", home=home, rate_limit_per_minute=0))) as url:
        yield url


@contextlib.contextmanager
def serve(app: Any) -> Iterator[str]:
    """Serve an ASGI app with uvicorn in a thread on a free loopback port; yield its URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    """A fresh page on a 360-px-wide phone screen, the app ready, student aid chosen."""
    context = browser.new_context(
        viewport={"width": 360, "height": 760}, locale="en-US", base_url=base_url
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/")
    page.wait_for_selector("body[data-ready='true']")
    # The page opens on the first assistant the server lists (packs in name order, so
    # small-business comes first); the page tests are written for the student-aid one.
    if page.locator("#assistant").input_value() != "student-aid":
        page.select_option("#assistant", "student-aid")
        page.wait_for_selector("#start-flow-estimator")
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """Return axe-core's source, installing it with npm into .cache/axe the first time."""
    if not AXE_JS.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed, so axe-core cannot be installed")
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        # Keep the cache out of git without touching the shared .gitignore.
        (AXE_DIR.parent / ".gitignore").write_text("*\n")
        done = subprocess.run(
            [npm, "install", "--prefix", str(AXE_DIR), "axe-core", "--no-audit", "--no-fund"],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        if done.returncode != 0 or not AXE_JS.exists():
            pytest.skip(f"npm could not install axe-core: {done.stderr.strip()[-300:]}")
    return AXE_JS.read_text(encoding="utf-8")


def save_screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/ and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
