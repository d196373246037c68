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
        # An in-memory store lives in each worker; writes would diverge between workers.
        workers = 1 if (s.token and s.store in ("memory", "rdflib", "")) else s.workers
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
