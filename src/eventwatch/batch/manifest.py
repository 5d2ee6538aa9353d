"""The output folder's bookkeeping: ``_manifest.json`` says what the folder was made from, one
marker per finished partition (``_partitions/part-00042.json``) says which partitions are done.

A partition counts as done only once its marker exists, and the marker is written (atomically)
after all of its table files are in place: a run killed at any moment leaves partitions that are
either done or redone by the next run. Markers, not a list inside the manifest, so that finishing a
partition is one small write whatever the number of partitions, and so that a worker can record
its own partition without a round trip to the client.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from eventwatch.batch.parquet import TABLES, TMP_SUFFIX, write_atomic
from eventwatch.errors import StoreError

MANIFEST = "_manifest.json"
MARKERS = "_partitions"
FORMAT = "eventwatch-batch/1"
COUNTED = ("articles", "events", "mentions", "quantities", "relations")


@dataclass(frozen=True, slots=True)
class PartitionResult:
    """What one partition holds; its marker file's content."""

    number: int
    digest: str
    articles: int
    events: int
    mentions: int
    quantities: int
    relations: int
    failed: tuple[str, ...] = ()  # article ids whose extraction failed (stored with their error)

    def to_json(self) -> bytes:
        return (json.dumps(asdict(self), sort_keys=True, indent=1) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PartitionResult:
        return cls(**{**data, "failed": tuple(data.get("failed", ()))})


@dataclass(frozen=True, slots=True)
class Manifest:
    """What an output folder was made from (``identity``), and, once complete, what it holds."""

    eventwatch: str
    spacy_model: str
    partition_size: int
    inputs: tuple[str, ...]
    format: str = FORMAT
    complete: bool = False
    partitions: int | None = None
    totals: dict[str, int] = field(default_factory=dict)

    def identity(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "eventwatch": self.eventwatch,
            "spacy_model": self.spacy_model,
            "partition_size": self.partition_size,
            "inputs": list(self.inputs),
        }

    def to_json(self) -> bytes:
        data = {**asdict(self), "inputs": list(self.inputs)}
        return (json.dumps(data, sort_keys=True, indent=1) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        return cls(**{**data, "inputs": tuple(data["inputs"])})


def read_manifest(out: Path) -> Manifest | None:
    """The folder's manifest, None where it has none; a damaged one is a ``StoreError``."""
    path = out / MANIFEST
    if not path.exists():
        return None
    try:
        return Manifest.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise StoreError(f"{path}: not a readable eventwatch batch manifest ({exc})") from exc


def is_batch_output(path: Path) -> bool:
    return path.is_dir() and (path / MANIFEST).is_file()


def prepare(out: Path, wanted: Manifest) -> Manifest:
    """Make ``out`` ready for a run: create it, or check that it is this run's own output (same
    inputs and settings) and remove temporary files a killed run left. Returns its manifest."""
    if out.exists() and not out.is_dir():
        raise StoreError(f"--out {out} is a file; batch writes to a folder")
    found = read_manifest(out) if out.exists() else None
    if found is None:
        if out.exists():
            foreign = sorted(p.name for p in out.iterdir() if not p.name.endswith(TMP_SUFFIX))
            if foreign:
                listed = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
                raise StoreError(
                    f"--out {out} exists and is not an eventwatch batch output (it holds {listed}); "
                    "give a new or empty folder"
                )
        out.mkdir(parents=True, exist_ok=True)
        write_atomic(out / MANIFEST, wanted.to_json())
        found = wanted
    else:
        differences = [
            f"{key}: {before!r} then, {now!r} now"
            for key, before, now in _differences(found.identity(), wanted.identity())
        ]
        if differences:
            raise StoreError(
                f"--out {out} holds a batch made from other inputs or settings ("
                + "; ".join(differences)
                + "); give a new folder, or delete this one to start again"
            )
    for table in (*TABLES, MARKERS):
        (out / table).mkdir(exist_ok=True)
        for tmp in (out / table).glob(f"*{TMP_SUFFIX}"):
            tmp.unlink(missing_ok=True)
    for tmp in out.glob(f"*{TMP_SUFFIX}"):
        tmp.unlink(missing_ok=True)
    return found


def _differences(before: dict[str, Any], now: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    return [(key, before.get(key), now[key]) for key in now if before.get(key) != now[key]]


def marker_path(out: Path, name: str) -> Path:
    return out / MARKERS / f"{name}.json"


def write_marker(out: Path, name: str, result: PartitionResult) -> None:
    write_atomic(marker_path(out, name), result.to_json())


def finished(out: Path) -> dict[int, PartitionResult]:
    """The partitions whose markers exist, by number."""
    done: dict[int, PartitionResult] = {}
    folder = out / MARKERS
    if not folder.is_dir():
        return done
    for path in sorted(folder.glob("part-*.json")):
        try:
            result = PartitionResult.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError) as exc:
            raise StoreError(
                f"{path}: damaged partition marker ({exc}); delete it to redo the partition"
            ) from exc
        done[result.number] = result
    return done


def complete(out: Path, manifest: Manifest, results: list[PartitionResult]) -> Manifest:
    """Mark the output complete, with its totals: ``ingest DIR`` accepts only complete outputs."""
    totals = {key: sum(getattr(r, key) for r in results) for key in COUNTED}
    done = Manifest(
        eventwatch=manifest.eventwatch,
        spacy_model=manifest.spacy_model,
        partition_size=manifest.partition_size,
        inputs=manifest.inputs,
        complete=True,
        partitions=len(results),
        totals=totals,
    )
    write_atomic(out / MANIFEST, done.to_json())
    return done
