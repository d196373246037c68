"""Evaluation in processes that can be killed.

pyoxigraph cannot cancel a query, and rdflib cannot either: a thread that stops waiting
only abandons the evaluation, which goes on with its CPU and memory. So the web server
never evaluates a query itself. It hands it to an *evaluator*, a child process forked from
the server after the store was loaded (an in-memory graph is shared copy-on-write; an
on-disk store is read from a checkpoint of it), and waits until the deadline. Past it the
child is killed with SIGKILL, which stops the CPU and frees the memory at once, and a new
one is forked when next needed.

Inside the child the answer is streamed into a writer that counts bytes and rows and
raises past the limits, which stops a streaming evaluation early; an address-space limit
(RLIMIT_AS) stops the ones that build everything before the first row (aggregates, ORDER
BY) when they outgrow their memory budget.

Children are pooled per dataset version: a write makes the idle ones stale, and they are
replaced. Updates are first run in a one-off child on a copy (the copy-on-write image, or
a checkpoint of the on-disk store); only when that finishes in time is the update applied
to the store, so an update that timed out never commits later.
"""
from __future__ import annotations

import os
import pickle
import queue
import re
import resource
import select
import shutil
import signal
import tempfile
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, Pipe
from typing import Any, Callable

from .base import QueryResult, QuerySyntaxError, QueryTimeout, StoreError

_CHUNK = 256 * 1024
_NICE_AFTER = 0.1  # seconds
# An evaluator unused this long is retired: what it read of an in-memory store became its own
# copy (the engine writes reference counts as it reads), and that memory goes back.
_IDLE_RETIRE = 60.0  # seconds


class AnswerTooLarge(StoreError):
    """The answer passed the row or byte limit while it was produced."""


class OutOfMemory(StoreError):
    """The evaluation outgrew the memory budget of one request."""


class EvaluatorsBusy(QueryTimeout):
    """Every evaluator was busy until the deadline."""


@dataclass
class Limits:
    max_bytes: int = 64 * 1024 * 1024
    max_rows: int = 100_000
    memory_bytes: int = 512 * 1024 * 1024


# ---------------------------------------------------------------- inside a child

class _RowCounter:
    """Counts solutions in a serialised answer as it streams past (no parsing)."""

    _MARK = {"xml": b"<result>", "tsv": b"\n", "csv": b"\r\n", "json": b"},{"}

    def __init__(self, fmt: str):
        self.mark = self._MARK.get(fmt)
        self.json = fmt == "json"
        self.count = 0
        self._tail = b""
        self._seen_first = False

    def feed(self, data: bytes) -> int:
        if self.mark is None:
            return 0
        buf = self._tail + data
        self.count += buf.count(self.mark) - self._tail.count(self.mark)
        if self.json and not self._seen_first and b'"bindings":[{' in buf:
            self._seen_first = True
            self.count += 1  # separators count the gaps; the first row has none
        self._tail = buf[-(len(self.mark) + 16):]
        # The header line of CSV and TSV is not a row.
        return max(0, self.count - (1 if self.mark in (b"\n", b"\r\n") else 0))


class _BoundedWriter:
    """Where the engine writes its answer: chunks go to the parent, limits are enforced here."""

    def __init__(self, conn: Connection, fmt: str, kind: str, limits: Limits):
        self.conn = conn
        self.limits = limits
        self.rows = _RowCounter(fmt) if kind == "bindings" else None
        self.size = 0
        self.buffer = bytearray()
        self.refused: str | None = None

    def write(self, data) -> int:
        data = bytes(data)
        self.size += len(data)
        if self.size > self.limits.max_bytes:
            self.refused = f"the answer is larger than {self.limits.max_bytes:,} bytes"
            raise AnswerTooLarge(self.refused)
        if self.rows is not None and self.rows.feed(data) > self.limits.max_rows:
            self.refused = f"the answer has more than {self.limits.max_rows:,} rows"
            raise AnswerTooLarge(self.refused)
        self.buffer += data
        if len(self.buffer) >= _CHUNK:
            self.conn.send_bytes(b"D" + bytes(self.buffer))
            self.buffer.clear()
        return len(data)

    def flush(self):
        """The engine flushes at the end; the last chunk goes with the end message instead."""


def _send_end(conn: Connection, **meta):
    conn.send_bytes(b"E" + pickle.dumps(meta))


def _die_with(parent: int):
    """End this child when the server process that forked it is gone, even in the middle of
    an evaluation. (PR_SET_PDEATHSIG would follow the forking *thread*, and servers retire
    idle threads.)"""
    def watch():
        while os.getppid() == parent:
            time.sleep(0.25)
        os._exit(1)

    threading.stack_size(256 * 1024)
    threading.Thread(target=watch, daemon=True).start()


def _become_child(conn: Connection, memory_bytes: int, parent: int):
    """The first thing a forked child does: no inherited signal handlers or sockets, die
    with the parent, and a ceiling on the memory it may add."""
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1,
                signal.SIGUSR2, signal.SIGCHLD, signal.SIGWINCH, signal.SIGTTIN, signal.SIGTTOU):
        try:
            signal.signal(sig, signal.SIG_DFL)
        except (OSError, ValueError):
            pass
    _die_with(parent)
    # Client sockets inherited from the web server would stay open as long as we live.
    keep = conn.fileno()
    os.closerange(3, keep)
    os.closerange(keep + 1, 65536)
    if memory_bytes:
        status = open("/proc/self/status").read()
        vm = int(re.search(r"VmSize:\s+(\d+)", status).group(1)) * 1024
        resource.setrlimit(resource.RLIMIT_AS, (vm + memory_bytes, vm + memory_bytes))


def _answer_query(conn: Connection, store, request: dict, limits: Limits):
    fmt = request["result_format"]
    writer = None

    def output(kind: str, out_fmt: str):
        nonlocal writer
        writer = _BoundedWriter(conn, out_fmt, kind, limits)
        return writer

    try:
        result = store.query(request["text"], result_format=fmt, default_graphs=request["default_graphs"],
                             named_graphs=request["named_graphs"], bindings=request["bindings"],
                             base_iri=request["base_iri"], output=output)
        # The last chunk and the end travel in one message (most answers are one chunk), after
        # a header line "F<kind> <format>" (plain text: cheaper than a pickle both ways).
        writer.buffer[:0] = f"F{result.kind} {result.format}\n".encode()
        conn.send_bytes(writer.buffer)
    except Exception as exc:  # noqa: BLE001 - every failure becomes a message for the parent
        if writer is not None and writer.refused:
            _send_end(conn, error="too_large", message=writer.refused)
        elif isinstance(exc, MemoryError):
            _send_end(conn, error="memory", message="the query needed more memory than one request may use")
        else:
            _send_end(conn, error="syntax" if isinstance(exc, QuerySyntaxError) else "store", message=str(exc))


def _serve(conn: Connection, store, limits: Limits):
    while True:
        try:
            op, request = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return
        if op == "query":
            _answer_query(conn, store, request, limits)
        else:
            _send_end(conn, error="store", message=f"unknown operation {op}")


# ---------------------------------------------------------------- in the server

@dataclass
class _Child:
    pid: int
    conn: Connection
    version: str
    snapshot: str | None = None
    status: int | None = None
    niced: bool = False
    poller: Any = None
    idle_since: float = 0.0

    def __post_init__(self):
        # One poll object for the child's life: Connection.poll() builds a selector per call.
        self.poller = select.poll()
        self.poller.register(self.conn.fileno(), select.POLLIN)

    def ready(self, timeout: float) -> bool:
        return bool(self.poller.poll(max(0, timeout) * 1000))

    def kill(self):
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.reap()
        self.conn.close()

    def reap(self) -> int:
        if self.status is None:
            try:
                _, self.status = os.waitpid(self.pid, 0)
            except ChildProcessError:
                self.status = 0
        return self.status


def _wait(child: _Child, timeout: float, slow_at: float | None = None, on_slow: Callable[[], None] | None = None) -> bool:
    """Wait for the child's next message, until `timeout` seconds from now. Work still going
    at `slow_at` (monotonic) yields the CPU to everything else (nice 19): a slow query must
    not starve cheap ones; `on_slow` is told. Afterwards the child gets its priority back, or,
    where the server may not raise priorities, is retired."""
    now = time.monotonic()
    if not child.niced and slow_at is not None:
        first = min(timeout, slow_at - now)
        if first > 0 and child.ready(first):
            return True
        timeout -= max(0.0, first)
        if timeout <= 0:
            return False
        try:
            os.setpriority(os.PRIO_PROCESS, child.pid, 19)
            child.niced = True
        except OSError:
            pass
        if on_slow is not None:
            on_slow()
    return child.ready(timeout)


def _fork(target: Callable[[Connection], None], memory_bytes: int) -> tuple[int, Connection]:
    parent_end, child_end = Pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the web server's code
        code = 0
        try:
            parent_end.close()
            _become_child(child_end, memory_bytes, parent)
            target(child_end)
        except BaseException:  # noqa: BLE001
            code = 1
        finally:
            os._exit(code)
    child_end.close()
    return pid, parent_end


def _death(child: _Child) -> StoreError:
    status = child.reap()
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS, signal.SIGKILL):
        return OutOfMemory("the query needed more memory than one request may use; narrow it or add a LIMIT")
    return StoreError(f"the evaluator stopped unexpectedly (status {status})")


@dataclass
class PoolStats:
    spawned: int = 0
    killed_at_deadline: int = 0
    died: int = 0
    busy_refusals: int = 0


class EvaluatorPool:
    """Up to `size` pooled evaluator processes over one local store.

    The store must offer `fork_lock` (held while forking so that no thread of ours is inside
    the engine) and, for an on-disk store, `checkpoint(path)` and `open_checkpoint(path)`.
    """

    def __init__(self, store, *, size: int, limits: Limits, queue_timeout: float = 5.0, run_slots: int = 0,
                 idle_retire: float = _IDLE_RETIRE):
        self.store = store
        self.idle_retire = idle_retire
        self.size = max(1, size)
        # Evaluations at full priority at once. Every evaluator reads its own copy-on-write
        # copy of the pages it touched: more of them running than there are cores only makes
        # them evict each other from the caches (measured: an aggregate cost 7.6 ms instead of
        # 4.8). A query still running after _NICE_AFTER gives its slot up and goes on niced.
        # (Tokens in a SimpleQueue: C code, several times cheaper per query than a Semaphore.)
        self._run_slots: queue.SimpleQueue = queue.SimpleQueue()
        for _ in range(run_slots or self.size):
            self._run_slots.put(True)
        self.limits = limits
        self.queue_timeout = queue_timeout
        self.stats = PoolStats()
        self._idle: list[_Child] = []
        self._live: list[_Child] = []
        self._starting = 0
        self._cond = threading.Condition()
        self._snapshots: dict[str, str] = {}  # version -> checkpoint directory (on-disk stores)
        self._closed = False
        # Checkpoints of an on-disk store go beside it (hard links need the same file system).
        self._scratch = store.path.parent / f".{store.path.name}.digikort-checkpoints" if getattr(store, "path", None) else None
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)  # left behind by a server that was killed

    # ------------------------------------------------------------ state
    @property
    def busy(self) -> int:
        with self._cond:
            return len(self._live) + self._starting - len(self._idle)

    def exhausted(self) -> bool:
        with self._cond:
            return not self._idle and len(self._live) + self._starting >= self.size

    # ------------------------------------------------------------ children
    def _reader_for(self, version: str):
        """What a child reads: the inherited store, or a checkpoint of an on-disk one."""
        if not getattr(self.store, "path", None):
            return None
        path = self._snapshots.get(version)
        if path is None:
            self._scratch.mkdir(exist_ok=True)
            path = str(self._scratch / version)
            self.store.checkpoint(path)
            self._snapshots[version] = path
        return path

    def _spawn(self) -> _Child:
        with self.store.fork_lock:
            version = self.store.version()
            snapshot = self._reader_for(version)
            store, limits = self.store, self.limits

            def main(conn):
                if snapshot:
                    reader = type(store).open_checkpoint(snapshot)
                else:
                    reader = store
                    reader.after_fork()
                _serve(conn, reader, limits)

            pid, conn = _fork(main, limits.memory_bytes)
        self.stats.spawned += 1
        return _Child(pid, conn, version, snapshot)

    def _checkout(self, deadline: float) -> _Child:
        version = self.store.version()
        stale: list[_Child] = []
        try:
            with self._cond:
                while True:
                    if self._closed:
                        raise StoreError("the server is shutting down")
                    now = time.monotonic()
                    for c in [c for c in self._idle if c.version != version or now - c.idle_since > self.idle_retire]:
                        self._idle.remove(c)
                        self._live.remove(c)
                        stale.append(c)
                    if self._idle:
                        return self._idle.pop()
                    if len(self._live) + self._starting < self.size:
                        self._starting += 1
                        break
                    remaining = min(deadline, time.monotonic() + self.queue_timeout) - time.monotonic()
                    if remaining <= 0:
                        self.stats.busy_refusals += 1
                        raise EvaluatorsBusy("every query evaluator is busy; try again shortly")
                    self._cond.wait(remaining)
        finally:
            for c in stale:
                c.kill()
            if stale:
                self._drop_unused_snapshots()
        try:
            child = self._spawn()
        except BaseException:
            with self._cond:
                self._starting -= 1
                self._cond.notify()
            raise
        with self._cond:
            self._starting -= 1
            self._live.append(child)
        return child

    def _checkin(self, child: _Child, healthy: bool):
        if child.niced and healthy:
            try:  # back to normal priority (needs CAP_SYS_NICE; without it the child is retired)
                os.setpriority(os.PRIO_PROCESS, child.pid, 0)
                child.niced = False
            except OSError:
                pass
        with self._cond:
            if healthy and not child.niced and not self._closed and child.version == self.store.version():
                child.idle_since = time.monotonic()
                self._idle.append(child)
                self._cond.notify()
                return
            if child in self._live:
                self._live.remove(child)
            self._cond.notify()
        child.kill()
        self._drop_unused_snapshots()

    def _drop_unused_snapshots(self):
        with self._cond:
            used = {c.version for c in self._live}
            current = self.store.version()
            gone = [v for v in self._snapshots if v not in used and v != current]
            paths = [self._snapshots.pop(v) for v in gone]
        for p in paths:
            shutil.rmtree(p, ignore_errors=True)

    # ------------------------------------------------------------ work
    def query(self, text: str, *, result_format: str, default_graphs=None, named_graphs=None,
              bindings=None, base_iri=None, timeout: float) -> QueryResult:
        deadline = time.monotonic() + timeout
        # A query that finds no slot free within a moment goes on without one: the queries in
        # the slots are about to be slow ones then, and waiting longer would make the slots a
        # queue (it is niced after the same moment as any other).
        try:
            self._run_slots.get(timeout=min(timeout, _NICE_AFTER))
            slot = [True]
        except queue.Empty:
            slot = [False]

        def give_slot_up():
            if slot[0]:
                slot[0] = False
                self._run_slots.put(True)

        try:
            return self._evaluate(text, result_format, default_graphs, named_graphs, bindings, base_iri,
                                  timeout, deadline, give_slot_up)
        finally:
            give_slot_up()

    def _evaluate(self, text, result_format, default_graphs, named_graphs, bindings, base_iri,
                  timeout, deadline, give_slot_up) -> QueryResult:
        child = self._checkout(deadline)
        slow_at = time.monotonic() + _NICE_AFTER
        healthy = False
        try:
            child.conn.send_bytes(pickle.dumps(("query", {
                "text": text, "result_format": result_format, "default_graphs": default_graphs,
                "named_graphs": named_graphs, "bindings": bindings, "base_iri": base_iri})))
            chunks: list[bytes] = []
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not _wait(child, remaining, slow_at, give_slot_up):
                    self.stats.killed_at_deadline += 1
                    raise QueryTimeout(f"the query ran longer than the {timeout:g} s limit and was stopped")
                try:
                    message = child.conn.recv_bytes()
                except (EOFError, OSError):
                    self.stats.died += 1
                    raise _death(child) from None
                if message[:1] == b"D":
                    chunks.append(message[1:])
                    continue
                if message[:1] == b"F":  # the last chunk with the end
                    end = message.index(b"\n")
                    kind, fmt = message[1:end].decode().split(" ")
                    chunks.append(message[end + 1:])
                    healthy = True
                    return QueryResult(kind, b"".join(chunks), fmt)
                meta = pickle.loads(message[1:])
                healthy = True
                error = meta.get("error")
                if error == "too_large":
                    raise AnswerTooLarge(meta["message"])
                if error == "syntax":
                    raise QuerySyntaxError(meta["message"])
                if error == "memory":
                    healthy = False
                    raise OutOfMemory(meta["message"])
                if error:
                    raise StoreError(meta["message"])
                return QueryResult(meta["kind"], b"".join(chunks), meta["format"])
        finally:
            self._checkin(child, healthy)

    def run_once(self, fn: Callable[..., Any], *args, timeout: float, on_copy: bool = False) -> Any:
        """fn(*args) in a one-off child; with on_copy, fn(store_copy, *args), where store_copy is
        the child's copy-on-write image of the store, or a fresh checkpoint of an on-disk one.
        Its result comes back pickled; past the deadline the child is killed."""
        checkpoint = None
        with self.store.fork_lock:
            store = self.store
            if on_copy and self._scratch is not None:
                self._scratch.mkdir(exist_ok=True)
                checkpoint = tempfile.mkdtemp(prefix="dry-run-", dir=self._scratch)
                shutil.rmtree(checkpoint)  # the checkpoint must create its folder itself
                store.checkpoint(checkpoint)

            def main(conn):
                try:
                    if on_copy:
                        if checkpoint:
                            copy = type(store).open_checkpoint(checkpoint, writable=True)
                        else:
                            copy = store
                            copy.after_fork()
                        value = fn(copy, *args)
                    else:
                        value = fn(*args)
                    conn.send_bytes(b"R" + pickle.dumps(value))
                except MemoryError:
                    _send_end(conn, error="memory", message="the work needed more memory than one request may use")
                except BaseException as exc:  # noqa: BLE001
                    _send_end(conn, error=type(exc).__name__, message=str(exc), exc=_picklable(exc))

            pid, conn = _fork(main, self.limits.memory_bytes)
        child = _Child(pid, conn, "once")
        try:
            if not _wait(child, timeout, time.monotonic() + _NICE_AFTER):
                self.stats.killed_at_deadline += 1
                raise QueryTimeout(f"the work ran longer than the {timeout:g} s limit and was stopped")
            try:
                message = conn.recv_bytes()
            except (EOFError, OSError):
                self.stats.died += 1
                raise _death(child) from None
            if message[:1] == b"R":
                return pickle.loads(message[1:])
            meta = pickle.loads(message[1:])
            if meta.get("exc") is not None:
                raise meta["exc"]
            if meta["error"] == "memory":
                raise OutOfMemory(meta["message"])
            raise StoreError(meta["message"])
        finally:
            child.kill()
            if checkpoint:
                shutil.rmtree(checkpoint, ignore_errors=True)

    def close(self):
        with self._cond:
            self._closed = True
            children, self._live, self._idle = list(self._live), [], []
            self._cond.notify_all()
        for c in children:
            c.kill()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._snapshots.clear()


def _picklable(exc: BaseException):
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001
        return None
