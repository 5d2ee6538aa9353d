"""What a scorer produces: ordered metrics with their support, and one dataset's full score."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from eventwatch.evaluate.matching import prf

Value = float | int | None


@dataclass(slots=True)
class MetricTable:
    """Metrics in the order the reference scorer prints them; ``summary`` = the last-line ones."""

    metrics: dict[str, Value] = field(default_factory=dict)
    support: dict[str, int] = field(default_factory=dict)
    rows: list[tuple[str, Value, int | None]] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)

    def add(
        self, name: str, value: Value, n: int | None = None, *, summary: bool = False, table: bool = True
    ) -> None:
        self.metrics[name] = value
        if n is not None:
            self.support[name] = n
        if table:
            self.rows.append((name, value, n))
        if summary:
            self.summary.append(name)

    def add_prf(
        self, prefix: str, tp: int, fp: int, fn: int, *, summary_f1: bool = True, summary_pr: bool = False
    ) -> None:
        """``{prefix}_p`` (support TP+FP), ``{prefix}_r`` (support TP+FN) and ``{prefix}_f1``."""
        p, r, f = prf(tp, fp, fn)
        self.add(f"{prefix}_p", p, tp + fp, summary=summary_pr)
        self.add(f"{prefix}_r", r, tp + fn, summary=summary_pr)
        self.add(f"{prefix}_f1", f, summary=summary_f1)


def format_value(value: Value) -> str:
    """Three decimals, one for values of 100 and more (kilometres), ``n/a`` for None."""
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.1f}" if abs(value) >= 100 else f"{value:.3f}"
    return str(value)


@dataclass(slots=True)
class DatasetScore:
    """One dataset's score: the reference metrics plus our extras (thresholds, run facts)."""

    dataset: str
    part: str
    n: int
    table: MetricTable
    counts: dict[str, int]
    thresholds: dict[str, dict[str, Value]] = field(default_factory=dict)
    path: str | None = None
    articles_run: int | None = None  # set by ``run``: how many articles went through the pipeline
    seconds: float | None = None
    predictions_file: str | None = None

    @property
    def metrics(self) -> dict[str, Value]:
        return self.table.metrics

    @property
    def support(self) -> dict[str, int]:
        return self.table.support

    def summary_line(self) -> str:
        """``DATASET part=PART metric=value ... n=N``, the reference scorer's last line."""
        parts = [self.dataset, f"part={self.part}"]
        parts += [f"{name}={format_value(self.table.metrics[name])}" for name in self.table.summary]
        parts.append(f"n={self.n}")
        return " ".join(parts)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "dataset": self.dataset,
            "part": self.part,
            "n": self.n,
            "metrics": dict(self.table.metrics),
            "support": dict(self.table.support),
            "counts": dict(self.counts),
            "summary": self.summary_line(),
        }
        if self.thresholds:
            out["thresholds"] = {k: dict(v) for k, v in self.thresholds.items()}
        for key in ("path", "articles_run", "seconds", "predictions_file"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out
