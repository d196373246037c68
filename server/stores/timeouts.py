"""Run a blocking engine call with a deadline.

Neither pyoxigraph nor rdflib can cancel a running query. The call runs on a pooled
worker thread (pyoxigraph releases the GIL while it evaluates, rdflib yields it between
bytecodes), so the caller gets a QueryTimeout on time and the server keeps answering.
The abandoned evaluation finishes in the background and keeps its pool thread until
then; `runaway_count()` tells how many there are. A pool (not a thread per call) keeps
the cost of the deadline near 20 us a query.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Callable, TypeVar

from .base import QueryTimeout

T = TypeVar("T")
_POOL_SIZE = 64
_pool = ThreadPoolExecutor(max_workers=_POOL_SIZE, thread_name_prefix="digikort-query")
_runaway = 0
_lock = threading.Lock()


def runaway_count() -> int:
    return _runaway


def _finished(_future):
    global _runaway
    with _lock:
        _runaway -= 1


def call_with_timeout(fn: Callable[[], T], timeout: float | None) -> T:
    global _runaway
    if not timeout:
        return fn()
    if _runaway >= _POOL_SIZE // 2:
        # Runaways hold half the pool: refuse rather than queue behind them.
        raise QueryTimeout("the server is busy finishing earlier queries that ran too long; try again shortly")
    future = _pool.submit(fn)
    try:
        return future.result(timeout)
    except FutureTimeout:
        with _lock:
            _runaway += 1
        future.add_done_callback(_finished)
        raise QueryTimeout(f"the query ran longer than the {timeout:g} s limit; its evaluation was abandoned") from None
