"""Where per-document work runs: worker processes on this machine, or a Ray cluster.

The pipeline keeps a bounded window of items in flight and takes results back in input order,
so the single writer sees the same sequence whatever runs the work. Per-document stages are
pure functions of one item, which is what lets them move to other machines unchanged.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Protocol

from newsgraph.model import Document, ItemError, RawItem

Work = Callable[[RawItem, Sequence[str]], Document | ItemError]


class Executor(Protocol):
    """Runs ``work(item, stages)`` somewhere and hands the result back."""

    parallelism: int

    def submit(self, item: RawItem) -> Any: ...

    def result(self, handle: Any, item: RawItem) -> Document | ItemError: ...

    def close(self) -> None: ...


class ProcessExecutor:
    """A pool of worker processes on this machine, each loading its models once."""

    def __init__(
        self,
        work: Work,
        stages: Sequence[str],
        workers: int,
        initializer: Callable[[Sequence[str]], None] | None = None,
    ) -> None:
        self.parallelism = workers
        self._work, self._stages = work, tuple(stages)
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            initializer=initializer,
            initargs=(self._stages,) if initializer else (),
        )

    def submit(self, item: RawItem) -> Future[Document | ItemError]:
        return self._pool.submit(self._work, item, self._stages)

    def result(self, handle: Future[Document | ItemError], item: RawItem) -> Document | ItemError:
        return handle.result()

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)


class RayUnavailable(RuntimeError):
    """Ray is not installed or the cluster cannot be reached."""


class RayExecutor:
    """Ray tasks, on a local Ray instance or on a cluster (``address``).

    Only per-document work goes to Ray; the store is written by this process alone, as with
    local workers. On a cluster every node needs newsgraph installed in the same version.
    """

    def __init__(
        self, work: Work, stages: Sequence[str], workers: int, address: str | None = None
    ) -> None:
        try:
            import ray
        except ImportError as exc:
            raise RayUnavailable(
                "Ray is not installed: pip install 'newsgraph[ray]' (or use local workers)"
            ) from exc
        # No usage reporting: newsgraph makes no network calls the user did not ask for.
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        self._ray = ray
        self._started = False
        if not ray.is_initialized():
            try:
                ray.init(
                    address=address,
                    num_cpus=workers if address is None else None,
                    include_dashboard=False,
                    log_to_driver=False,
                    configure_logging=False,
                )
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise RayUnavailable(f"cannot start or reach Ray at {address!r}: {exc}") from exc
            self._started = True
        cpus = int(ray.cluster_resources().get("CPU", workers))
        self.parallelism = max(1, cpus if address else workers)
        # A crashed worker (out of memory, killed) is retried elsewhere before it counts.
        self._task = ray.remote(num_cpus=1, max_retries=2)(work)
        self._stages = tuple(stages)

    def submit(self, item: RawItem) -> Any:
        return self._task.remote(item, self._stages)

    def result(self, handle: Any, item: RawItem) -> Document | ItemError:
        try:
            return self._ray.get(handle)
        except self._ray.exceptions.RayError as exc:
            return ItemError(
                input=item.input,
                locator=item.locator,
                stage="annotate",
                error="worker-failed",
                message=f"the Ray worker processing this item failed: {exc}".splitlines()[0],
            )

    def close(self) -> None:
        if self._started:
            self._ray.shutdown()
