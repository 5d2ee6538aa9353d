"""The sample article of ../shared, coded as in DESIGN.md section 4.

The article is a third party's text, so it stays in ../shared: these tests read it from there and
assert the coding field by field (no text of it is copied here), and the shared checker
`tools/seedcheck.py` must pass on our output.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from eventwatch.io.readers import read_path

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def records(shared_dir: Path, extractor) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    (article,) = list(read_path(shared_dir / "examples" / "shafaq-2024-11-28.txt"))
    return extractor.extract_one(article).records()


def _events(records: list[dict[str, Any]], plover_type: str) -> list[dict[str, Any]]:
    return [r for r in records if r["record"] == "event" and r["plover_type"] == plover_type]


def _countries(event: dict[str, Any], side: str) -> set[str]:
    return {a.get("country") for a in event[f"{side}_actors"]}


def test_seedcheck_passes(records: list[dict[str, Any]], shared_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "sample.jsonl"
    out.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(shared_dir / "tools" / "seedcheck.py"), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout


def test_article_record(records: list[dict[str, Any]]) -> None:
    article = records[0]
    assert article["record"] == "article"
    assert article["published"] == "2024-11-28"
    assert article["source"] == "Shafaq News"
    assert article["n_sentences"] >= 14


def test_truce_is_rejected_by_the_israeli_minister_on_thursday(records: list[dict[str, Any]]) -> None:
    (reject,) = [e for e in _events(records, "REJECT") if "IRQ" in _countries(e, "target")]
    assert reject["source_actors"][0]["country"] == "ISR"
    assert _countries(reject, "target") == {"IRQ", "YEM"}
    assert reject["date"]["value"] == "2024-11-28" and reject["date"]["precision"] == "day"
    assert reject["modality"] == "occurred"
    assert reject["attribution"]["kind"] == "named"


def test_hypothetical_and_denied_are_not_occurred(records: list[dict[str, Any]]) -> None:
    israeli_attacks = [e for e in _events(records, "ASSAULT") if "ISR" in _countries(e, "source")]
    assert israeli_attacks, "the potential Israeli action and any Israeli attack are coded, as hypothetical"
    assert {e["modality"] for e in israeli_attacks} <= {"hypothetical", "denied"}
    truces = [e for e in records if e["record"] == "event" and e.get("plover_mode") == "ceasefire"]
    assert any(e["modality"] == "denied" for e in truces)


def test_drone_attack_series(records: list[dict[str, Any]]) -> None:
    series = sorted(
        (q["period"]["start"], q["value"], q["bound"]) for q in records if q["record"] == "quantity"
    )
    assert ("2024-08-01", 6, "exact") in series
    assert ("2024-10-01", 90, "exact") in series
    assert ("2024-11-01", 65, "at_least") in series
    november = next(q for q in records if q["record"] == "quantity" and q["value"] == 65)
    assert november["period"]["end"] == "2024-11-28"
    assert november["what"] == "drone attack"


def test_spans_point_at_their_text(records: list[dict[str, Any]]) -> None:
    text = records[0]["text"]
    for record in records[1:]:
        for key in ("evidence", "trigger"):
            span = record.get(key)
            if span:
                assert text[span["start"] : span["end"]] == span["text"]
        if record["record"] == "mention":
            assert text[record["start"] : record["end"]] == record["text"]
