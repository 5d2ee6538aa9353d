"""Dask scaling: the batch engine on a LocalCluster of 1 worker, then of 2 workers, same input.

Each run is ``eventwatch batch --engine dask`` on a cluster started beforehand, with the model
already loaded on every worker: cluster start-up and model loading are excluded, everything else
(reading and partitioning the input, shipping partitions, extraction, writing Parquet) is timed.
Workers are single-threaded processes. The input is ``--input`` or a generated corpus
(bench/corpus.py, 300-1,200-word articles). Prints articles/s for each worker count, the speedup
(target >= 1.8x on a machine with 2 free cores), the CPU seconds the workers spent, and checks
that both runs wrote the same files.

    python bench/dask_scaling.py --articles 60 [--input news.jsonl.gz] [--partition-size 4] [--repeats 1]
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import shlex
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_corpus

from eventwatch import api
from eventwatch.batch import DaskEngine, run_batch
from eventwatch.batch.worker import warm
from eventwatch.config import Settings


def files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def timed_run(
    source: Path, out: Path, *, workers: int, partition_size: int, settings: Settings
) -> tuple[float, float]:
    """Wall seconds for one batch on a warm LocalCluster of ``workers`` single-threaded processes,
    and the CPU seconds its workers spent (the same work whatever the number of workers, if the
    engine adds no overhead; a wall time above CPU / workers means the workers waited for a core)."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address="127.0.0.1:0",
            silence_logs=logging.WARNING,
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(warm, settings)  # the model loads here, before the clock starts
        engine = DaskEngine(scheduler=cluster.scheduler_address)
        cpu_before = client.run(time.process_time)
        started = time.perf_counter()
        result = run_batch(
            api.read_articles([str(source)], settings=settings),
            inputs=[str(source.resolve())],
            out=out,
            engine=engine,
            settings=settings,
            partition_size=partition_size,
        )
        seconds = time.perf_counter() - started
        cpu_after = client.run(time.process_time)
    assert result.workers == workers, result
    return seconds, sum(cpu_after[w] - cpu_before[w] for w in cpu_after)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=60, help="articles to generate (without --input)")
    parser.add_argument("--input", type=Path, help="an input file to use instead of a generated corpus")
    parser.add_argument("--partition-size", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=1, help="runs per worker count; the median is kept")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    settings = Settings()
    with tempfile.TemporaryDirectory(prefix="dask-scaling-") as tmp:
        folder = Path(tmp)
        if args.input:
            source = args.input
            n = sum(1 for _ in api.read_articles([str(source)], settings=settings))
            words = "?"
        else:
            source = folder / "corpus.jsonl.gz"
            stats = write_corpus(source, articles=args.articles, seed=args.seed)
            n = stats["articles"]
            words = f"{stats['words'] / n:.0f}"
        times: dict[int, list[float]] = {1: [], 2: []}
        cpu: dict[int, list[float]] = {1: [], 2: []}
        for repeat in range(args.repeats):
            for workers in (1, 2):  # interleaved, so a change in the machine's load hits both
                out = folder / f"out-{workers}-{repeat}"
                wall, used = timed_run(
                    source, out, workers=workers, partition_size=args.partition_size, settings=settings
                )
                times[workers].append(wall)
                cpu[workers].append(used)
        same = files(folder / "out-1-0") == files(folder / "out-2-0")
    rate = {w: n / statistics.median(t) for w, t in times.items()}
    print(f"input: {n} articles ({words} words per article), partitions of {args.partition_size}")
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    for workers in (1, 2):
        runs = ", ".join(f"{t:.1f}" for t in times[workers])
        label = f"dask, {workers} worker{'s' if workers > 1 else ' '}"
        used = statistics.median(cpu[workers])
        print(f"{label}: {rate[workers]:6.2f} articles/s  (runs: {runs} s; workers' CPU {used:.1f} s)")
    print(f"speedup 2 workers / 1 worker: {rate[2] / rate[1]:.2f}x (target >= 1.8x)")
    load = os.getloadavg()[0]
    if load > (os.cpu_count() or 1) - 2:
        print(
            f"warning: the machine is busy (load {load:.1f} on {os.cpu_count()} CPUs): 2 workers do not get "
            "2 free cores, so this speedup understates the engine's; compare the workers' CPU seconds"
        )
    print(f"same output files with 1 and 2 workers: {same}")
    print("excluded: cluster start-up and model loading (the model is loaded on every worker first)")
    print("reproduce: python " + shlex.join(["bench/dask_scaling.py", *(argv or sys.argv[1:])]))
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
