"""Run the app under gunicorn, configured from Settings (no separate gunicorn.conf)."""
from __future__ import annotations

from gunicorn.app.base import BaseApplication

from ..config import Settings


class _Gunicorn(BaseApplication):
    def __init__(self, settings: Settings):
        self.settings = settings
        super().__init__()

    def load_config(self):
        s = self.settings
        # An in-memory store lives in each worker: with writes (a token) they would diverge.
        # An on-disk Oxigraph store can be opened by one process only. Both: one worker,
        # many threads. Remote stores and read-only memory stores scale with workers.
        in_memory = s.store in ("memory", "rdflib", "")
        remote = s.store.startswith(("http://", "https://"))
        workers = s.workers if remote or (in_memory and not s.token) else 1
        self.cfg.set("bind", f"{s.host}:{s.port}")
        self.cfg.set("workers", workers)
        self.cfg.set("threads", s.threads)
        self.cfg.set("worker_class", "gthread")
        self.cfg.set("timeout", max(60, int(s.query_timeout * 2)))
        if s.access_log:
            self.cfg.set("accesslog", "-")

    def load(self):
        from .app import create_app

        return create_app(self.settings)


def run(settings: Settings) -> None:
    _Gunicorn(settings).run()
