"""A local store served through killable evaluators (evaluators.py).

Reads go to pooled child processes; writes are made here, one at a time, after an
update that has to evaluate a pattern was first run to the end on a copy in a child
within the deadline. Everything else (Graph Store reads, dumps, the version) is asked of
the store directly: those costs are bounded by the size of the data, not by a query.
"""
from __future__ import annotations

import threading
import time

from ..sparql import guard
from .base import QueryResult
from .evaluators import EvaluatorPool, Limits

# What a query may cost here, in the server, before it is handed to an evaluator instead.
_HERE_MAX_BYTES = 256 * 1024
_HERE_MAX_SECONDS = 0.02


class _OverBudget(Exception):
    pass


class _BudgetWriter:
    """Takes the answer of a query run in the server; raising stops the engine."""

    def __init__(self):
        self.body = bytearray()
        self.until = time.monotonic() + _HERE_MAX_SECONDS
        self.over = False

    def write(self, data) -> int:
        self.body += data
        if len(self.body) > _HERE_MAX_BYTES or time.monotonic() > self.until:
            self.over = True  # the engine may hand the exception back wrapped
            raise _OverBudget()
        return len(data)

    def flush(self):
        pass


def _apply_update(store, text: str, base_iri: str | None) -> bool:
    store.update(text, base_iri=base_iri)
    return True


class IsolatedStore:
    may_fetch = False  # a local store: FROM names graphs of the dataset, never documents

    def __init__(self, inner, *, evaluators: int, limits: Limits, timeout: float, run_slots: int = 0):
        self.inner = inner
        self.name = inner.name
        self.writable = inner.writable
        self.timeout = timeout or 30.0
        self.pool = EvaluatorPool(inner, size=evaluators, limits=limits, run_slots=run_slots)
        self._writes = threading.Lock()  # the dry run and the commit see the same data
        self._streams = getattr(inner, "streams", False)

    def __getattr__(self, name):  # path, named_graphs, load_files ... of the inner store
        return getattr(self.inner, name)

    def query(self, query, *, result_format, default_graphs=None, named_graphs=None, bindings=None,
              timeout=None, base_iri=None) -> QueryResult:
        if (self._streams and not (default_graphs or named_graphs or bindings)
                and guard.reads_only_its_answer(query)):
            answer = self._answer_here(query, result_format, base_iri)
            if answer is not None:
                return answer
        return self.pool.query(query, result_format=result_format, default_graphs=default_graphs,
                               named_graphs=named_graphs, bindings=bindings, base_iri=base_iri,
                               timeout=timeout or self.timeout)

    def _answer_here(self, query, result_format, base_iri) -> QueryResult | None:
        """A one-pattern query reads only what it answers (guard.reads_only_its_answer), so
        it is run here, without the round trip to an evaluator (about 0.1 ms of CPU, most of
        a lookup's cost), while its answer stays small and quick. Past that it is handed to
        an evaluator, under the full limits. The lock keeps forks out while the engine runs."""
        writer = _BudgetWriter()
        try:
            with self.inner.fork_lock:
                result = self.inner.query(query, result_format=result_format, base_iri=base_iri,
                                          output=lambda kind, fmt: writer)
        except Exception:
            if writer.over:
                return None
            raise
        return QueryResult(result.kind, bytes(writer.body), result.format)

    def run(self, fn, *args, timeout: float | None = None):
        """fn(*args) in a one-off child process, stopped at the deadline (validation)."""
        return self.pool.run_once(fn, *args, timeout=timeout or self.timeout)

    def update(self, update, *, timeout=None, base_iri=None) -> None:
        with self._writes:
            if guard.evaluates_pattern(update):
                # Proves on a copy that the update ends in time; only then is it applied.
                self.pool.run_once(_apply_update, update, base_iri, timeout=timeout or self.timeout, on_copy=True)
            self.inner.update(update, base_iri=base_iri)

    def put_graph(self, graph, data, fmt) -> bool:
        with self._writes:
            return self.inner.put_graph(graph, data, fmt)

    def post_graph(self, graph, data, fmt) -> bool:
        with self._writes:
            return self.inner.post_graph(graph, data, fmt)

    def delete_graph(self, graph) -> None:
        with self._writes:
            self.inner.delete_graph(graph)

    def get_graph(self, graph, fmt) -> bytes:
        return self.inner.get_graph(graph, fmt)

    def has_graph(self, graph) -> bool:
        return self.inner.has_graph(graph)

    def load_shipped(self) -> int:
        with self._writes:
            return self.inner.load_shipped()

    def dump(self, fmt: str) -> bytes:
        return self.inner.dump(fmt)

    def version(self) -> str:
        return self.inner.version()

    def __len__(self) -> int:
        return len(self.inner)

    def close(self) -> None:
        self.pool.close()
        self.inner.close()
