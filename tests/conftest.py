"""Shared fixtures: the real spaCy pipeline and resources (loaded once), and ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"
SAMPLE = SHARED / "examples" / "shafaq-2024-11-28.txt"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/*.jsonl from the current extraction (then review the diff).",
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def extractor():  # type: ignore[no-untyped-def]
    from eventwatch.config import Settings
    from eventwatch.pipeline import Extractor

    return Extractor(settings=Settings())


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SAMPLE.exists():
        pytest.skip(f"../shared is absent ({SHARED}): the sample article and eval data live there")
    return SHARED
