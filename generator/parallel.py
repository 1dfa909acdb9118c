"""Work shared across the computer's cores, for big builds.

The workers are forked, so they see the build's data in memory as it is: nothing
is copied to them, only their results come back. Small jobs, computers with one
core, systems without fork, and processes running other threads (the dev server)
do the work in this process instead: forking while other threads hold locks is
not safe.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.pool import Pool
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")
MOST_WORKERS = 8
WORKERS_VARIABLE = "PLAYBOOK_WORKERS"  # set to a number to use at most that many processes (1: no workers)
BATCH = 400

# What the forked workers run and read. It is set only while a pool runs and is the one
# way to hand a forked child data without copying it; the children inherit it.
_job: tuple[Callable[[Any, Any], Any], Any] | None = None


def map_across_cores(
    function: Callable[[Any, T], R], items: Sequence[T], shared: Any, *, smallest: int = 200
) -> list[R]:
    """`[function(shared, item) for item in items]`, in order, on every core when it is worth it."""
    workers = _workers()
    if len(items) < smallest or workers < 2 or not _can_fork():
        return [function(shared, item) for item in items]
    global _job
    _job = (function, shared)
    gc.freeze()  # see `_forked_pool`
    try:
        with _forked_pool(workers) as pool:
            return pool.map(_run, items, chunksize=max(1, len(items) // (workers * 4)))
    finally:
        _job = None
        gc.unfreeze()


def stream_across_cores(
    function: Callable[[Any, T], R], items: Sequence[T], shared: Any, *, smallest: int = 200
) -> Iterator[R]:
    """Like `map_across_cores`, but each result is handed on as soon as it and those before it are done."""
    workers = _workers()
    if len(items) < smallest or workers < 2 or not _can_fork():
        yield from (function(shared, item) for item in items)
        return
    global _job
    _job = (function, shared)
    chunk = max(1, min(50, len(items) // (workers * 8)))
    gc.freeze()
    try:
        with _forked_pool(workers) as pool:
            # In batches, so that results waiting for a slow reader never pile up beyond one batch.
            for start in range(0, len(items), BATCH):
                yield from pool.imap(_run, items[start : start + BATCH], chunksize=chunk)
    finally:
        _job = None
        gc.unfreeze()


def _forked_pool(workers: int) -> Pool:
    """A pool of forked workers. The caller has frozen the collector's view of the objects the
    workers inherit, so that a worker's collections do not touch (and so copy) every page of the
    parent's memory."""
    return multiprocessing.get_context("fork").Pool(workers)


def _run(item: Any) -> Any:
    assert _job is not None
    function, shared = _job
    return function(shared, item)


def _workers() -> int:
    """How many processes to use: one per core, up to MOST_WORKERS, or what PLAYBOOK_WORKERS says."""
    cores = min(os.cpu_count() or 1, MOST_WORKERS)
    wanted = os.environ.get(WORKERS_VARIABLE, "").strip()
    if wanted.isdigit() and int(wanted) >= 1:
        return min(int(wanted), cores)
    return cores


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
