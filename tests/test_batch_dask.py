"""The Dask engine on a real LocalCluster of 2 worker processes: the same files as the local
engine, the model loaded once per worker, a failing worker named with its partition, an
unreachable scheduler named with its address."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eventwatch import api
from eventwatch.batch import BatchError, DaskEngine
from eventwatch.batch.manifest import MARKERS
from eventwatch.batch.partitions import Partition, digest_of
from eventwatch.batch.worker import PartitionJob, model_loads
from eventwatch.config import Settings
from eventwatch.errors import ConfigError
from eventwatch.model import Article
from test_batch import files, make_inputs

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address="127.0.0.1:0",
            silence_logs=40,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return make_inputs(tmp_path_factory.mktemp("inputs"), n=12)


@pytest.fixture(scope="module")
def local(inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("local") / "out"
    api.batch(inputs, out=out, settings=Settings(), partition_size=2)
    return out


def test_dask_writes_what_the_local_engine_writes_and_loads_the_model_once_per_worker(
    client: Any, inputs: list[str], local: Path, tmp_path: Path
) -> None:
    address = client.scheduler.address
    for run in ("first", "second"):
        out = tmp_path / run
        result = api.batch(
            inputs, out=out, settings=Settings(), engine="dask", scheduler=address, partition_size=2
        )
        assert (result.engine, result.workers, result.partitions) == ("dask", 2, 6)
        assert files(out) == files(local)  # byte for byte
    stats = client.run(model_loads)
    assert len(stats) == 2
    assert sum(done for _, done in stats.values()) == 12  # both runs' partitions
    for loads, done in stats.values():
        assert loads == (1 if done else 0), stats  # once per worker, not once per partition


def test_the_cli_starts_its_own_local_cluster(inputs: list[str], local: Path, tmp_path: Path) -> None:
    out = tmp_path / "cli"
    env = {k: v for k, v in os.environ.items() if k != "EVENTWATCH_DB"}
    args = [
        "batch",
        *inputs,
        "--out",
        str(out),
        "--engine",
        "dask",
        "--workers",
        "2",
        "--partition-size",
        "2",
    ]
    done = subprocess.run(
        [sys.executable, "-m", "eventwatch.cli", *args], capture_output=True, text=True, env=env, timeout=180
    )
    assert done.returncode == 0, done.stderr
    assert "in 6 partitions;" in done.stdout and "(engine dask, 2 workers)" in done.stdout
    assert files(out) == files(local)


def test_a_failing_worker_stops_the_batch_naming_the_partition(
    client: Any, inputs: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    broken = Settings(spacy_model="no_such_spacy_model")
    with pytest.raises(
        BatchError, match=r"partition \d+ \(2 articles: b-0.*\) failed on a Dask worker: ModelError"
    ):
        api.batch(
            inputs,
            out=out,
            settings=broken,
            engine="dask",
            scheduler=client.scheduler.address,
            partition_size=2,
        )
    assert not list((out / MARKERS).iterdir())


def test_a_partition_failing_mid_batch_keeps_the_others_and_a_rerun_completes(
    client: Any, inputs: list[str], local: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    shutil.copytree(local, out)
    for number in (3, 4, 5):  # as if a run had stopped after partition 2
        (out / MARKERS / f"part-{number:05d}.json").unlink()
    blocker = out / "events" / "part-00003.parquet"
    blocker.unlink()
    blocker.mkdir()  # the worker's rename onto it fails
    run = dict(settings=Settings(), engine="dask", scheduler=client.scheduler.address, partition_size=2)
    with pytest.raises(
        BatchError, match=r"partition 3 \(2 articles: .*\) failed on a Dask worker: IsADirectoryError"
    ):
        api.batch(inputs, out=out, **run)
    assert (out / MARKERS / "part-00002.json").exists()
    assert not (out / MARKERS / "part-00003.json").exists()
    blocker.rmdir()
    result = api.batch(inputs, out=out, **run)
    assert result.partitions_resumed >= 3
    assert files(out) == files(local)


def test_an_unreachable_scheduler_is_named(inputs: list[str], tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    engine = DaskEngine(scheduler=address, connect_timeout_s=2)
    article = Article(article_id="a", text="Rebels shelled a village.")
    partition = Partition(0, (article,), digest_of([article]))
    job = PartitionJob(out=str(tmp_path), settings=Settings())
    with pytest.raises(ConfigError, match=rf"cannot reach the Dask scheduler at {address} within 2 s"):
        engine.run([partition], job, print)
    assert not (tmp_path / "articles").exists()
