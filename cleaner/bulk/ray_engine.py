"""The Ray engine: ``cleaner bulk --engine ray [--ray-address ADDR]``.

Contract: :class:`RayEngine` keeps the :class:`~cleaner.bulk.engine.Engine` contract of
:class:`~cleaner.bulk.engine.LocalEngine`, so a run gives the same outputs, report and
manifest whichever engine ran it. Ray is an optional extra (``ray``; or ``pip install
'ray>=2.9'`` beside cleaner); this module imports it only when a run starts, and
:func:`require_ray` turns its absence into a one-line
:class:`~cleaner.bulk.discovery.UsageError` (exit 2).

Where Ray runs. With ``address`` (or Ray's own ``RAY_ADDRESS``) the engine connects to that
cluster (``auto``: the one ``ray start`` runs on this machine); otherwise it starts a new
local Ray with ``num_cpus=jobs``, no dashboard, worker output not forwarded and Ray's own
logging at ERROR, and shuts it down when the run ends (every process it started goes with
it). A Ray already initialised in this process (a library caller's) is used as it is and left
running.

Who does what. Only the driver touches files: it reads each page's bytes
(:func:`~cleaner.bulk.work.with_data`) and ships them with the batch, and it writes every
output (:meth:`~cleaner.bulk.work.PageWorker.commit`), the manifest, the JSONL parts and the
report. Workers run a :class:`~cleaner.bulk.work.PageWorker` built with ``deliver=True`` and
the user's rules parsed by the driver: they only clean and return outcomes. A cluster needs
no shared file system, only the same Python environment (with ``cleaner`` installed) on every
node.

Batches. One Ray task per batch of pages, not per page: ``batch_size`` pages (the first
batches of a run are smaller, 1, 2, 4, ..., so a small crawl still spreads over every
worker). At most ``2 x parallel`` batches are in flight (``parallel`` is ``jobs``, or the
CPUs Ray has), so memory stays flat on any crawl size. A batch is a streaming generator task:
it yields ``("ready", pid)`` once its worker is set up (once per worker process and run: the
set-up worker is kept in the process, keyed by the run), then one outcome per page as soon as
the page is done; the driver waits on every batch in flight (``ray.wait``) and hands each
outcome on at once.

Retries. Each batch task has ``max_retries``: Ray re-runs a batch whose worker died (a
crash, an out-of-memory kill, a lost node); outcomes already returned are not returned twice.
When the retries are spent, the page the worker was on gets ``failed`` ("worker died ...") and
the rest of the batch is sent again as a new batch. A page's error is never an exception
(``retry_exceptions`` is off): it is a ``failed`` outcome with its message, and the run goes on.

The per-page timeout, as well as Ray allows. Ray has no time limit for a task, so the driver
keeps one per page: a page's clock starts when the driver sees the item before it from the
same batch (the ready marker or the previous page's outcome); when no outcome comes within
``timeout`` seconds, the driver cancels the batch with ``ray.cancel(force=True)``, which kills
the worker process (Ray starts another), gives the page ``timeout`` and sends the rest of the
batch again. The limits: the clock runs on the driver, so it also counts the few milliseconds
an outcome takes to come back (it never fires early, only that much late); a batch still
waiting for a free CPU has no clock running; and after a crash the clock of the page in flight
also covers Ray's restart of the worker and its re-run of the pages of the batch before it.
Workers that never become ready are detected by their failure, not by a start-up clock.
"""

from __future__ import annotations

import itertools
import logging
import os
import signal
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from .discovery import UsageError
from .engine import EngineError, _usable_cores
from .tasks import Outcome, Task
from .work import PageWorker, with_data

__all__ = ["INSTALL_HINT", "RayEngine", "require_ray", "start_ray"]

#: Ray alone is what the ``ray`` extra adds (blog-cleaner is not on PyPI to ask for the extra).
INSTALL_HINT = "pip install 'ray>=2.9'"

#: Per worker process: the set-up PageWorker of the current run (key, worker), so the rules
#: are compiled and the modules imported once per process, not once per batch.
_READY: dict[str, PageWorker] = {}


def require_ray() -> Any:
    """The ``ray`` module, or a :class:`UsageError` saying how to install it."""
    try:
        import ray
    except ImportError as exc:
        raise UsageError(
            f"--engine ray needs Ray, which cannot be imported ({exc}); "
            f"install it with: {INSTALL_HINT}"
        ) from None
    return ray


def start_ray(address: str | None = None, jobs: int | None = None) -> bool:
    """Connect to the Ray at ``address`` (or ``RAY_ADDRESS``), or start a local one with
    ``jobs`` CPUs, quietly. Returns False, doing nothing, when Ray is already initialised in
    this process; True when this call initialised it (the caller then shuts it down)."""
    ray = require_ray()
    if ray.is_initialized():
        return False
    quiet: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.ERROR}
    address = address or os.environ.get("RAY_ADDRESS") or None
    main = threading.current_thread() is threading.main_thread()
    previous = signal.getsignal(signal.SIGTERM) if main else None
    try:
        if address:
            ray.init(address=address, **quiet)
        else:
            ray.init(
                address="local",  # a new Ray, even beside one that `ray start` left running
                num_cpus=jobs or _usable_cores(),
                include_dashboard=False,
                **quiet,
            )
    except Exception as exc:  # noqa: BLE001 - Ray raises many kinds; say it in one line
        where = f"the Ray cluster at {address}" if address else "a local Ray"
        raise EngineError(f"cannot start {where}: {_first_line(exc)}") from exc
    finally:
        if main:
            # ray.init replaces SIGTERM's handler; keep the driver's (stop like Ctrl-C)
            signal.signal(signal.SIGTERM, previous)
    return True


def _first_line(exc: BaseException) -> str:
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    text = lines[0] if lines else type(exc).__name__
    text = text if len(text) <= 200 else text[:199] + "…"
    return f"{type(exc).__name__}: {text}"


def _clean_batch(key: str, box: list[Any], tasks: list[Task]) -> Iterator[tuple[str, Any]]:
    """The Ray task (a streaming generator): ready marker, then one outcome per page."""
    worker = _READY.get(key)
    if worker is None:
        try:
            import ray

            worker = ray.get(box[0])
            assert isinstance(worker, PageWorker)
            worker.setup()
        except Exception as exc:  # noqa: BLE001 - reported to the driver, which stops
            yield ("error", _first_line(exc))
            return
        _READY.clear()  # one run's worker per process
        _READY[key] = worker
    yield ("ready", os.getpid())
    for task in tasks:
        yield ("done", worker(task))


@dataclass
class _Batch:
    gen: Any  # ray.ObjectRefGenerator
    tasks: list[Task]
    done: int = 0
    ready: bool = False
    clock: float | None = None  # when the page in flight started, as the driver saw it


class RayEngine:
    """Runs the pages on Ray in batches (see the module docstring)."""

    def __init__(
        self,
        jobs: int | None = None,
        timeout: float = 30.0,
        *,
        address: str | None = None,
        batch_size: int = 32,
        max_retries: int = 3,
    ) -> None:
        self.jobs = jobs
        self.timeout = timeout
        self.address = address
        self.batch_size = max(1, batch_size)
        self.max_retries = max(0, max_retries)

    def run(self, tasks: Iterable[Task], worker: PageWorker) -> Iterator[tuple[Task, Outcome]]:
        source = iter(tasks)
        first = next(source, None)
        if first is None:
            return  # nothing to do: start no Ray
        ray = require_ray()
        owned = start_ray(self.address, self.jobs)
        running: list[_Batch] = []
        try:
            yield from self._run(ray, itertools.chain([first], source), worker, running)
        finally:
            for batch in running:
                try:
                    ray.cancel(batch.gen, force=True)
                except Exception:  # noqa: BLE001, S110 - stopping anyway
                    pass
            if owned:
                ray.shutdown()

    def _run(
        self, ray: Any, source: Iterator[Task], worker: PageWorker, running: list[_Batch]
    ) -> Iterator[tuple[Task, Outcome]]:
        parallel = self.jobs or max(1, int(ray.cluster_resources().get("CPU", 1)))
        in_flight = 2 * parallel
        remote = ray.remote(_clean_batch).options(
            num_returns="streaming",
            num_cpus=1,
            max_retries=self.max_retries,
            retry_exceptions=False,
        )
        ruleset = None
        if worker.rules:
            from ..ruleset import RuleSet

            ruleset = RuleSet.load(worker.rules)  # the driver reads the rule files
        delivering = replace(worker, deliver=True, ruleset=ruleset)
        box = [ray.put(delivering)]
        key = uuid.uuid4().hex
        redo: deque[list[Task]] = deque()  # the rest of batches cut short
        exhausted = False
        formed = 0
        while True:
            # send batches while there is room
            while len(running) < in_flight:
                if redo:
                    pages = redo.popleft()
                elif exhausted:
                    break
                else:
                    size = min(self.batch_size, 1 << min(formed, 30))
                    pages = []
                    while len(pages) < size:
                        task = next(source, None)
                        if task is None:
                            exhausted = True
                            break
                        loaded = with_data(task)
                        if isinstance(loaded, Outcome):
                            yield task, loaded  # unreadable: no worker needed
                        else:
                            pages.append(loaded)
                    if not pages:
                        continue
                    formed += 1
                running.append(_Batch(remote.remote(key, box, pages), pages))
            if not running:
                return
            # wait for the next outcome, or the next page's time limit
            now = time.monotonic()
            clocks = [b.clock + self.timeout for b in running if b.clock is not None]
            wait_for = max(0.0, min(clocks) - now) if clocks else None
            gens = [b.gen for b in running]
            if ray.wait(gens, num_returns=1, timeout=wait_for)[0]:
                arrived = {id(g) for g in ray.wait(gens, num_returns=len(gens), timeout=0)[0]}
                for batch in [b for b in running if id(b.gen) in arrived]:
                    yield from self._drain(ray, batch, delivering, running, redo)
            now = time.monotonic()
            for batch in list(running):
                if batch.clock is None or now - batch.clock <= self.timeout:
                    continue
                if ray.wait([batch.gen], timeout=0)[0]:
                    continue  # its outcome came just now: taken on the next round
                ray.cancel(batch.gen, force=True)
                running.remove(batch)
                task = batch.tasks[batch.done]
                if batch.done + 1 < len(batch.tasks):
                    redo.append(batch.tasks[batch.done + 1 :])
                error = f"no result within {self.timeout:g} s; Ray worker killed"
                yield task.light(), Outcome("timeout", error=error, seconds=now - batch.clock)

    def _drain(
        self,
        ray: Any,
        batch: _Batch,
        worker: PageWorker,
        running: list[_Batch],
        redo: deque[list[Task]],
    ) -> Iterator[tuple[Task, Outcome]]:
        """Hand on every item of ``batch`` that has arrived."""
        while ray.wait([batch.gen], timeout=0)[0]:
            try:
                kind, value = ray.get(next(batch.gen))
            except StopIteration:
                running.remove(batch)
                return
            except Exception as exc:  # noqa: BLE001 - the batch's worker died for good
                running.remove(batch)
                if batch.done == len(batch.tasks):
                    return  # it died after its last page: nothing is lost
                if not batch.ready:
                    raise EngineError(
                        f"Ray workers cannot start: {_first_line(exc)} "
                        "(is cleaner installed on every node?)"
                    ) from exc
                task = batch.tasks[batch.done]
                if batch.done + 1 < len(batch.tasks):
                    redo.append(batch.tasks[batch.done + 1 :])
                tries = f" after {self.max_retries} retries" if self.max_retries else ""
                error = f"worker died{tries} ({_first_line(exc)})"
                yield task.light(), Outcome("failed", error=error)
                return
            if kind == "error":
                raise EngineError(f"a Ray worker cannot start: {value}")
            if kind == "ready":
                batch.ready = True
            else:
                task = batch.tasks[batch.done]
                batch.done += 1
                yield task.light(), worker.commit(task, value)
            more = batch.done < len(batch.tasks)
            batch.clock = time.monotonic() if more else None
