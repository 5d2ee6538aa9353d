"""Golden files: each sample article of ours and the exact records expected from it.

The expected files were produced by the pipeline, then read against the article and against the
hand coding in examples/README.md by a person; `pytest tests/test_golden.py --update-golden`
rewrites them, and the diff is reviewed before it is committed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventwatch.io.readers import read_path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
ARTICLES = sorted((ROOT / "examples").glob("*.txt"))


def test_there_are_enough_sample_articles() -> None:
    assert len(ARTICLES) >= 12


@pytest.mark.slow
@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem for p in ARTICLES])
def test_golden(path: Path, extractor, update_golden: bool) -> None:  # type: ignore[no-untyped-def]
    (article,) = list(read_path(path))
    records = extractor.extract_one(article).records()
    expected_path = GOLDEN / f"{path.stem}.jsonl"
    lines = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in records]
    if update_golden or not expected_path.exists():
        expected_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        if not update_golden:
            pytest.fail(f"{expected_path} did not exist; written now: review it and commit it")
    expected = expected_path.read_text(encoding="utf-8").splitlines()
    assert lines == expected


@pytest.mark.slow
def test_golden_records_keep_the_contract() -> None:
    """Every golden record validates against the JSON Schema generated from the typed records,
    and every span points at its own text."""
    import jsonschema

    from eventwatch.schema import contract_schema

    validator = jsonschema.Draft202012Validator(contract_schema())
    for path in sorted(GOLDEN.glob("*.jsonl")):
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        text = records[0]["text"]
        for record in records:
            validator.validate(record)
            for key in ("evidence", "trigger"):
                span = record.get(key)
                if span:
                    assert text[span["start"] : span["end"]] == span["text"], (path.name, record)
