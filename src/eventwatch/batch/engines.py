"""Engines run ``PartitionJob`` over a stream of partitions: in this process, or on Dask.

Both hand each finished partition's ``PartitionResult`` to ``on_done`` and stop at the first
failure with a ``BatchError`` naming the partition and its articles; partitions already finished
stay finished (their files and markers are written by the job itself), so a re-run resumes.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from eventwatch.batch.manifest import PartitionResult
from eventwatch.batch.partitions import Partition
from eventwatch.batch.worker import PartitionJob
from eventwatch.errors import BatchError, ConfigError, EventwatchError

OnDone = Callable[[PartitionResult], None]
ENGINES = ("local", "dask")


class Engine(Protocol):
    name: str

    @property
    def workers(self) -> int: ...

    def run(self, partitions: Iterable[Partition], job: PartitionJob, on_done: OnDone) -> None: ...


@dataclass
class LocalEngine:
    """Partitions one after the other, in this process, with one extractor."""

    name: str = "local"

    @property
    def workers(self) -> int:
        return 1

    def run(self, partitions: Iterable[Partition], job: PartitionJob, on_done: OnDone) -> None:
        for partition in partitions:
            try:
                result = job(partition)
            except EventwatchError as exc:
                raise BatchError(f"{partition.describe()} failed: {exc}") from exc
            except Exception as exc:
                raise BatchError(f"{partition.describe()} failed: {type(exc).__name__}: {exc}") from exc
            on_done(result)


@dataclass
class DaskEngine:
    """Partitions on a Dask cluster: a ``LocalCluster`` of ``n_workers`` single-threaded worker
    processes when no scheduler address is given, else the cluster at ``scheduler``. At most
    ``2 x threads`` partitions are in flight, so the client's memory stays bounded however large
    the input; workers write their own files (the output folder must be reachable from every
    worker) and send back counts only. A worker process holds one model and extracts one partition
    at a time: on a cluster, start workers with one thread each and as many processes as cores."""

    n_workers: int = 2
    scheduler: str | None = None
    connect_timeout_s: float = 20.0
    name: str = "dask"
    _workers_seen: int = 0

    @property
    def workers(self) -> int:
        return self._workers_seen or self.n_workers

    def run(self, partitions: Iterable[Partition], job: PartitionJob, on_done: OnDone) -> None:
        todo = iter(partitions)
        first = next(todo, None)
        if first is None:  # everything done by an earlier run: no cluster to start
            return
        client, close = self._connect()
        try:
            self._run(client, itertools.chain([first], todo), job, on_done)
        finally:
            close()

    def _connect(self) -> tuple[Any, Callable[[], None]]:
        import logging

        distributed = _distributed()
        Client, LocalCluster = distributed.Client, distributed.LocalCluster

        if self.scheduler is None:
            if self.n_workers < 1:
                raise ConfigError(f"--workers must be 1 or more, not {self.n_workers}")
            cluster = LocalCluster(
                n_workers=self.n_workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address="127.0.0.1:0",
                silence_logs=logging.ERROR,  # not "worker still alive after 4 s" on a busy machine
            )
            client = Client(cluster)

            def close_local() -> None:
                client.close()
                cluster.close()

            return client, close_local
        try:
            client = Client(self.scheduler, timeout=self.connect_timeout_s)
        except (OSError, TimeoutError) as exc:
            raise ConfigError(
                f"cannot reach the Dask scheduler at {self.scheduler} within {self.connect_timeout_s:g} s "
                f"({type(exc).__name__}: {exc}); check the address and that the scheduler is running"
            ) from exc
        return client, client.close

    def _run(self, client: Any, partitions: Iterable[Partition], job: PartitionJob, on_done: OnDone) -> None:
        try:
            client.wait_for_workers(1, timeout=self.connect_timeout_s)
        except TimeoutError as exc:
            where = self.scheduler or "the local cluster"
            raise ConfigError(
                f"the Dask cluster at {where} has no workers after {self.connect_timeout_s:g} s"
            ) from exc
        threads = sum(client.nthreads().values())
        self._workers_seen = len(client.nthreads())
        limit = 2 * threads
        pending: dict[Any, Partition] = {}  # distributed.Future -> its partition
        queue = _distributed().as_completed()

        def settle(future: Any) -> None:
            partition = pending.pop(future)
            if future.status != "finished":
                problem = "was cancelled (its worker was lost?)"
                if future.status == "error":
                    error = future.exception()
                    problem = f"failed on a Dask worker: {type(error).__name__}: {error}"
                for other in pending:
                    other.cancel()
                raise BatchError(f"{partition.describe()} {problem}")
            on_done(future.result())
            future.release()

        try:
            for partition in partitions:
                while len(pending) >= limit:
                    settle(next(queue))
                key = f"eventwatch-{partition.name}-{uuid.uuid4().hex[:12]}"
                future = client.submit(job, partition, key=key, pure=False)
                pending[future] = partition
                queue.add(future)
        except EventwatchError as exc:
            if isinstance(exc, BatchError):
                raise
            # Bad input further on: keep the partitions already in flight, then report it.
            for future in queue:
                settle(future)
            raise
        for future in queue:
            settle(future)


def _distributed() -> Any:
    """``dask.distributed``, imported when the engine runs (it is heavy), typed loosely: its own
    annotations are partial and would need an ignore on every call."""
    import importlib

    return importlib.import_module("distributed")
