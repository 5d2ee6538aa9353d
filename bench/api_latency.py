"""API latency of the dashboard's requests on a large database (p50/p95/max per endpoint).

    .venv/bin/python bench/api_latency.py --events 1000000 --rounds 20
    .venv/bin/python bench/api_latency.py --db build/bench/events-1m.duckdb

Starts the real server (``eventwatch serve --db FILE --read-only --port P``) in a subprocess and
sends, one at a time, the requests ``web/static/app.js`` sends: the first load (events page sorted
newest first, the timeline series by day then by the period the span needs, signals over 90 days,
quantities, the actor list), the same with a type, a country, a date range and a search text, the
next page, and an event's detail. One warm-up round, then ``--rounds`` timed rounds.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FILTERS: list[tuple[str, dict[str, str]]] = [
    ("all", {}),
    ("type", {"type": "ASSAULT"}),
    ("country", {"country": "SYR"}),
    ("dates", {"since": "2024-01-01", "until": "2024-03-31"}),
    ("text", {"q": "Gaza"}),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True)
        return out.stdout.strip() + ("+uncommitted" if dirty.stdout.strip() else "")
    except OSError:
        return "unknown"


def requests_of_round(client: Any, event_id: str | None) -> list[tuple[str, str, dict[str, Any]]]:
    """(label, path, params) of one round: what app.js asks for on load and on each filter."""
    out: list[tuple[str, str, dict[str, Any]]] = [("actors", "/api/actors", {"limit": 500})]
    for name, flt in FILTERS:
        out += [
            (f"events[{name}]", "/api/events", {**flt, "limit": 500, "sort": "-date"}),
            (f"series-day[{name}]", "/api/series", {**flt, "by": "day", "group": "quad_class"}),
            (f"series-month[{name}]", "/api/series", {**flt, "by": "month", "group": "quad_class"}),
            (f"signals[{name}]", "/api/signals", {**flt, "days": 90, "top": 8}),
            (
                f"quantities[{name}]",
                "/api/quantities",
                {**{k: v for k, v in flt.items() if k in ("since", "until")}, "limit": 500},
            ),
        ]
    if event_id:
        out.append(("event-detail", f"/api/events/{event_id}", {}))
    return out


def main(argv: list[str] | None = None) -> int:
    import httpx

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="an existing database (else one is built)")
    parser.add_argument("--events", type=int, default=1_000_000, help="events of the database to build")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per request")
    args = parser.parse_args(argv)
    db = args.db or ROOT / "build" / "bench" / f"events-{args.events}.duckdb"
    if not db.exists():
        sys.path.insert(0, str(ROOT / "bench"))
        from make_events_db import build

        started = time.perf_counter()
        build(db, events=args.events, log=print)
        print(f"built {db} in {time.perf_counter() - started:.0f} s")
    port = _free_port()
    exe = shutil.which("eventwatch", path=str(Path(sys.executable).parent)) or "eventwatch"
    server = subprocess.Popen(
        [exe, "serve", "--db", str(db), "--read-only", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "EVENTWATCH_TOKEN": ""},
    )
    base = f"http://127.0.0.1:{port}"
    times: dict[str, list[float]] = {}
    cold: dict[str, float] = {}
    try:
        with httpx.Client(base_url=base, timeout=args.timeout) as client:
            for _ in range(600):
                try:
                    if client.get("/openapi.json").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if server.poll() is not None:
                    raise SystemExit(
                        f"server exited: {server.stderr.read().decode() if server.stderr else ''}"
                    )
                time.sleep(0.1)
            first = client.get("/api/events", params={"limit": 1, "sort": "-date"}).json()["items"]
            event_id = first[0]["event_id"] if first else None
            plan = requests_of_round(client, event_id)
            for round_no in range(args.rounds + 1):
                for label, path, params in plan:
                    started = time.perf_counter()
                    response = client.get(path, params=params)
                    elapsed = time.perf_counter() - started
                    if response.status_code != 200:
                        raise SystemExit(f"{label}: HTTP {response.status_code} {response.text[:300]}")
                    if round_no:  # round 0 warms up (caches, DuckDB's buffers): reported apart
                        times.setdefault(label, []).append(elapsed * 1000)
                    else:
                        cold[label] = elapsed * 1000
    finally:
        server.terminate()
        server.wait(timeout=30)
    _report(db, args, times, cold)
    return 0


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def _report(
    db: Path, args: argparse.Namespace, times: dict[str, list[float]], cold: dict[str, float]
) -> None:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    events = con.execute("SELECT count(*) FROM events").fetchone()
    con.close()
    command = "bench/api_latency.py " + " ".join(sys.argv[1:])
    print(f"date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; commit: {_commit()}")
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"database: {db} ({events[0] if events else 0:,} events, {db.stat().st_size / 1e6:.0f} MB)")
    print(f"command: .venv/bin/python {command}")
    print(f"rounds: {args.rounds} after one warm-up round (its times: 'cold'), sequential requests\n")
    print(f"| {'request':<26} | {'p50 ms':>8} | {'p95 ms':>8} | {'max ms':>8} | {'cold ms':>8} |")
    print(f"|{'-' * 28}|{'-' * 10}|{'-' * 10}|{'-' * 10}|{'-' * 10}|")
    every: list[float] = []
    for label, values in times.items():
        every += values
        print(
            f"| {label:<26} | {statistics.median(values):>8.1f} | {_pct(values, 0.95):>8.1f} "
            f"| {max(values):>8.1f} | {cold.get(label, 0.0):>8.1f} |"
        )
    if every:
        print(
            f"| {'all requests':<26} | {statistics.median(every):>8.1f} | {_pct(every, 0.95):>8.1f} "
            f"| {max(every):>8.1f} | {max(cold.values(), default=0.0):>8.1f} |"
        )


if __name__ == "__main__":
    sys.exit(main())
