"""The dashboard in a real browser: the real app on a real DuckDB file, served by uvicorn on loopback.

Debian's Chromium (/usr/bin/chromium) is driven by Playwright's Python package; Playwright's own
browser downloads are never used. Every test here is skipped, with the reason, when Chromium,
Playwright or the vendored web assets (`make web`) are missing.
"""

from __future__ import annotations

import importlib.util
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
VENDOR = ROOT / "src" / "eventwatch" / "web" / "static" / "vendor"
EXAMPLES = (
    "iran-attack-on-israel-2024-04-14.txt",
    "yemen-houthi-strikes-2024-01-12.txt",
    "syria-manbij-truce-2024-12-12.txt",
)
SAMPLE = ROOT.parent / "shared" / "examples" / "shafaq-2024-11-28.txt"
TOKEN = "browser-test-token"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _missing() -> str | None:
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    for module in ("playwright", "fastapi", "uvicorn"):
        if importlib.util.find_spec(module) is None:
            return f"the Python package {module} is not installed"
    if not (VENDOR / "VERSIONS.json").is_file():
        return f"{VENDOR} is empty: run `make web` (npm ci + scripts/vendor_web.py)"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _missing()
    if reason is None:
        return
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {reason}"))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def dashboard_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB file ingested from a few example articles (and the shared sample when present)."""
    from eventwatch import api
    from eventwatch.config import Settings

    db = tmp_path_factory.mktemp("dashboard") / "events.duckdb"
    inputs = [str(ROOT / "examples" / name) for name in EXAMPLES]
    if SAMPLE.is_file():
        inputs.append(str(SAMPLE))
    result = api.ingest(inputs, settings=Settings(db_path=db, progress=False))
    assert result.events > 0, f"no events ingested from {inputs}"
    return db


@pytest.fixture(scope="session")
def review_token() -> str:
    """The write token the test server is started with."""
    return TOKEN


@pytest.fixture(scope="session")
def base_url(dashboard_db: Path) -> Iterator[str]:
    """The real app under uvicorn in a thread, writable with a known token."""
    import uvicorn

    from eventwatch.config import Settings
    from eventwatch.http.app import create_app

    app = create_app(settings=Settings(db_path=dashboard_db, progress=False), token=TOKEN, read_only=False)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws="none", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="dashboard-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the dashboard server did not start on 127.0.0.1:{port}")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Recorder:
    """What went wrong on a page: console errors, uncaught exceptions, failed or refused requests."""

    origin: str
    problems: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    allowed_status: set[int] = field(default_factory=set)

    def attach(self, page: Any) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        page.on("requestfailed", lambda req: self.problems.append(f"request failed: {req.url} {req.failure}"))
        page.on("request", lambda req: self.requests.append(req.url))
        page.on("response", self._response)

    def _console(self, message: Any) -> None:
        if message.type not in ("error", "warning"):
            return
        # Chromium also logs each refused response; those allowed on purpose are not problems.
        if any(f"status of {status} " in message.text for status in self.allowed_status):
            return
        self.problems.append(f"console {message.type}: {message.text}")

    def _response(self, response: Any) -> None:
        if response.status >= 400 and response.status not in self.allowed_status:
            self.problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def offsite(self) -> list[str]:
        """Requests that left the app: the page must work with no network."""
        return [url for url in self.requests if not url.startswith((self.origin, "data:", "blob:"))]


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[tuple[Any, Recorder]]:
    """A fresh browser context (empty session storage) on the dashboard, with its problems recorded."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, base_url=base_url)
    page = context.new_page()
    recorder = Recorder(origin=base_url)
    recorder.attach(page)
    yield page, recorder
    context.close()
