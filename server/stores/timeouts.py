"""Run a blocking engine call with a deadline.

Neither pyoxigraph nor rdflib can cancel a running query. The call runs in a daemon
thread (pyoxigraph releases the GIL while it evaluates, rdflib yields it between
bytecodes), so the caller gets a QueryTimeout on time and the server keeps answering.
The abandoned evaluation finishes in the background; `runaway_count()` lets the web
layer recycle a worker that has collected too many of them.
"""
from __future__ import annotations

import threading
from typing import Callable, TypeVar

from .base import QueryTimeout

T = TypeVar("T")
_runaway = 0
_lock = threading.Lock()


def runaway_count() -> int:
    return _runaway


def call_with_timeout(fn: Callable[[], T], timeout: float | None) -> T:
    if not timeout:
        return fn()
    outcome: dict = {}

    def target():
        global _runaway
        try:
            outcome["value"] = fn()
        except BaseException as exc:  # handed to the caller below
            outcome["error"] = exc
        finally:
            if outcome.get("abandoned"):
                with _lock:
                    _runaway -= 1

    worker = threading.Thread(target=target, daemon=True, name="digikort-query")
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        global _runaway
        with _lock:
            outcome["abandoned"] = True
            _runaway += 1
        raise QueryTimeout(f"the query ran longer than the {timeout:g} s limit and was stopped")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
