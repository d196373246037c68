"""Run the app under granian (the default) or gunicorn, configured from Settings.

Chosen on measurements (bench/sparql_service.py, same run, 2 cores): granian answers 1.7-4.7x
the requests per second of gunicorn's gthread workers for cached answers and 1.1-3x uncached
(issue 10's closing note has the figures); gunicorn stays selectable (`--server gunicorn`)."""
from __future__ import annotations

import os
import shutil
import tempfile

from gunicorn.app.base import BaseApplication

from ..config import Settings


def worker_count(s: Settings) -> int:
    """An in-memory store lives in each worker: with writes (a token) the copies would
    diverge. An on-disk Oxigraph store can be opened by one process only. Both: one worker.
    A read-only in-memory store and a remote store scale with the cores."""
    in_memory = s.store in ("memory", "rdflib", "")
    remote = s.store.startswith(("http://", "https://"))
    if not (remote or (in_memory and not s.token)):
        return 1
    return s.workers or max(1, len(os.sched_getaffinity(0)))


def _close_store(worker):
    """Evaluator processes end with their worker, at once."""
    app = getattr(worker, "wsgi", None)
    store = app.extensions.get("digikort.store") if hasattr(app, "extensions") else None
    close = getattr(getattr(store, "pool", None), "close", None)
    if close:
        close()


def _forget_worker(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


class _Gunicorn(BaseApplication):
    def __init__(self, settings: Settings):
        self.settings = settings
        super().__init__()

    def load_config(self):
        s = self.settings
        self.cfg.set("bind", f"{s.host}:{s.port}")
        self.cfg.set("workers", worker_count(s))
        self.cfg.set("threads", s.threads)
        self.cfg.set("worker_class", "gthread")
        # Queries stop at their deadline, so a worker never needs longer than that.
        self.cfg.set("timeout", max(30, int(s.query_timeout * 2)))
        self.cfg.set("graceful_timeout", max(1, round(s.graceful_timeout)))
        self.cfg.set("worker_exit", lambda server, worker: _close_store(worker))
        self.cfg.set("child_exit", _forget_worker)
        if s.access_log:
            self.cfg.set("accesslog", "-")
            if s.access_log_format == "json":
                self.cfg.set("access_log_format", '{"time":"%(t)s","remote":"%(h)s","method":"%(m)s",'
                             '"path":"%(U)s","query":"%(q)s","status":%(s)s,"duration_ms":%(M)s}')

    def load(self):
        from .app import create_app

        return create_app(self.settings)


def _granian(settings: Settings) -> None:
    """The same app under granian: its workers build it from DIGIKORT_* variables."""
    from granian import Granian
    from granian.constants import Interfaces

    os.environ.update(settings.as_environment())
    fmt = _GRANIAN_JSON_LOG if settings.access_log_format == "json" else None
    Granian("digikort.web.wsgi:create", factory=True, address=settings.host, port=settings.port,
            interface=Interfaces.WSGI, workers=worker_count(settings), blocking_threads=settings.threads,
            workers_kill_timeout=max(1, round(settings.graceful_timeout)), log_access=settings.access_log,
            log_access_format=fmt, respawn_failed_workers=True).serve()


_GRANIAN_JSON_LOG = ('{"time":"%(time)s","remote":"%(addr)s","method":"%(method)s","path":"%(path)s",'
                     '"query":"%(query_string)s","status":%(status)d,"duration_ms":%(dt_ms).3f}')


def run(settings: Settings) -> None:
    if settings.server not in ("gunicorn", "granian"):
        raise SystemExit(f"digikort: error: unknown server {settings.server!r}; use gunicorn or granian")
    # Workers count into files here and /metrics adds them up (prometheus_client's
    # multiprocess mode); it must be set before prometheus_client is first imported.
    folder = tempfile.mkdtemp(prefix="digikort-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
    try:
        if settings.server == "granian":
            _granian(settings)
        else:
            _Gunicorn(settings).run()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
