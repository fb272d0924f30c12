"""Engines: where the per-page work runs. The driver (:mod:`cleaner.bulk.runner`) owns
discovery, the manifest, outputs and the report; an engine only runs a
:class:`~cleaner.bulk.work.PageWorker` on tasks.

The contract every engine keeps (:class:`Engine`)::

    engine.run(tasks, worker) -> Iterator[tuple[Task, Outcome]]

- ``tasks`` is a lazy iterator; the engine pulls from it only as it has room (a bounded number
  of tasks in flight), so memory stays flat on any crawl size.
- It yields exactly one ``(task, outcome)`` pair for every task it pulled, in any order, as
  soon as the outcome is known. It never raises for a page's fault: a worker's exception is in
  the outcome (``failed``), a worker that dies gives ``failed`` with the exit code, a page that
  runs longer than the engine's timeout gives ``timeout`` and the worker running it is
  killed and replaced, so one page can never stall the run.
- ``worker`` is picklable; each worker process calls ``worker.setup()`` once, then
  ``worker(task)`` per page. Per-file outputs are written by the worker; JSONL records come
  back in ``outcome.record`` and the driver writes them. (An engine whose workers may not see
  OUT, :class:`~cleaner.bulk.ray_engine.RayEngine`, has its workers deliver the outputs and
  writes them in the driver before yielding: :meth:`~cleaner.bulk.work.PageWorker.commit`.)
- When the consumer stops iterating (an error, Ctrl-C), closing the generator stops every
  worker; tasks in flight then have no outcome and are simply redone by the next run.

:class:`LocalEngine` runs ``jobs`` worker processes on this machine.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import os
import signal
import time
from collections.abc import Iterable, Iterator
from multiprocessing.connection import Connection, wait
from typing import Any, Protocol

from ..errors import CleanerError
from .tasks import Outcome, Task
from .work import PageWorker

__all__ = ["Engine", "EngineError", "LocalEngine"]

#: Seconds a worker may take to import the cleaner and compile the rules.
STARTUP_TIMEOUT = 120.0


class EngineError(CleanerError):
    """The engine itself cannot work (e.g. workers cannot start)."""


class Engine(Protocol):
    """Runs the per-page work (see the module docstring for the contract)."""

    def run(self, tasks: Iterable[Task], worker: PageWorker) -> Iterator[tuple[Task, Outcome]]:
        """Yield one ``(task, outcome)`` for every task pulled from ``tasks``."""
        ...


def _usable_cores() -> int:
    """Cores this process may run on (the affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _worker_main(conn: Connection, worker: PageWorker) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the driver decides when workers stop
    try:
        worker.setup()
    except BaseException as exc:  # noqa: BLE001 - reported to the driver, which stops
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return  # the driver is gone
        if task is None:
            return
        outcome = worker(task)
        try:
            conn.send(("done", outcome))
        except (BrokenPipeError, OSError):
            return


class _Slot:
    def __init__(self, ctx: Any, worker: PageWorker) -> None:
        parent, child = ctx.Pipe()
        self.conn: Connection = parent
        self.proc = ctx.Process(target=_worker_main, args=(child, worker), daemon=True)
        self.proc.start()
        child.close()
        self.ready = False
        self.task: Task | None = None
        self.started = 0.0
        self.spawned = time.monotonic()

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.proc.kill()
        else:
            try:
                self.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
            self.proc.join(2)
            if self.proc.is_alive():
                self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class LocalEngine:
    """A pool of ``jobs`` worker processes on this machine, with a per-page ``timeout``.

    Each worker gets one page at a time; the clock starts when the page is sent to a worker
    that has finished starting up. A page over its time limit gets ``timeout`` and its worker
    is killed (SIGKILL) and replaced.
    """

    def __init__(self, jobs: int | None = None, timeout: float = 30.0) -> None:
        self.jobs = max(1, jobs or _usable_cores())
        self.timeout = timeout
        self._ctx = mp.get_context("spawn")  # no fork: safe beside threads (progress bar)

    def run(self, tasks: Iterable[Task], worker: PageWorker) -> Iterator[tuple[Task, Outcome]]:
        source = iter(tasks)
        first = next(source, None)
        if first is None:
            return  # nothing to do (e.g. everything finished before): start no worker
        source = itertools.chain([first], source)
        exhausted = False
        slots = [_Slot(self._ctx, worker) for _ in range(self.jobs)]
        start_failures = 0
        try:
            while True:
                for slot in slots:
                    if slot.ready and slot.task is None and not exhausted:
                        try:
                            task = next(source)
                        except StopIteration:
                            exhausted = True
                            break
                        slot.conn.send(task)
                        slot.task = task.light()
                        slot.started = time.monotonic()
                busy = [s for s in slots if s.task is not None]
                starting = [s for s in slots if not s.ready]
                if exhausted and not busy:
                    return
                now = time.monotonic()
                deadlines = [s.started + self.timeout for s in busy]
                deadlines += [s.spawned + STARTUP_TIMEOUT for s in starting]
                wait_for = max(0.0, min(deadlines) - now)
                waitables: list[Any] = [s.conn for s in busy + starting]
                waitables += [s.proc.sentinel for s in busy + starting]
                ready = set(wait(waitables, wait_for))
                for i, slot in enumerate(slots):
                    if slot.conn in ready or slot.proc.sentinel in ready:
                        msg = self._receive(slot)
                        if msg is None:  # the worker died
                            # its pipe can close before its exit status is there to read
                            slot.proc.join(timeout=2.0)
                            code = slot.proc.exitcode
                            slot.stop(kill=True)
                            if slot.task is None:
                                start_failures += 1
                                if start_failures > 3 * self.jobs:
                                    raise EngineError(
                                        "workers keep dying on start "
                                        f"(exit code {code}; see their errors above)"
                                    )
                            else:
                                task, slot.task = slot.task, None
                                yield (
                                    task,
                                    Outcome("failed", error=f"worker died (exit code {code})"),
                                )
                            slots[i] = _Slot(self._ctx, worker)
                            continue
                        kind, value = msg
                        if kind == "ready":
                            slot.ready = True
                        elif kind == "error":
                            raise EngineError(f"a worker cannot start: {value}")
                        elif kind == "done" and slot.task is not None:
                            task, slot.task = slot.task, None
                            yield task, value
                now = time.monotonic()
                for slot in slots:
                    if not slot.ready and now - slot.spawned > STARTUP_TIMEOUT:
                        raise EngineError(f"a worker did not start within {STARTUP_TIMEOUT} s")
                for i, slot in enumerate(slots):
                    if slot.task is not None and now - slot.started > self.timeout:
                        task, slot.task = slot.task, None
                        slot.stop(kill=True)
                        slots[i] = _Slot(self._ctx, worker)
                        yield (
                            task,
                            Outcome(
                                "timeout",
                                error=f"no result within {self.timeout:g} s; worker killed",
                                seconds=now - slot.started,
                            ),
                        )
        finally:
            for slot in slots:
                slot.stop(kill=slot.task is not None)

    @staticmethod
    def _receive(slot: _Slot) -> tuple[str, Any] | None:
        try:
            if slot.conn.poll():
                msg: tuple[str, Any] = slot.conn.recv()
                return msg
        except (EOFError, OSError):
            return None
        if not slot.proc.is_alive():
            return None
        return ("noop", None)
