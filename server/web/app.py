"""The Flask app factory: one store, one settings object, small blueprints."""
from __future__ import annotations

import os

from flask import Flask, current_app

from ..config import Settings
from ..stores import open_store


def create_app(settings: Settings | None = None, store=None) -> Flask:
    settings = settings or Settings.load()
    # Named after the package so templates/ and static/ resolve to server/templates, server/static.
    app = Flask("digikort")
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    if settings.trust_proxy:  # behind a proxy: honour X-Forwarded-For/-Proto/-Host/-Prefix
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_prefix=1)
    app.extensions["digikort.settings"] = settings
    app.extensions["digikort.store"] = store if store is not None else isolate(open_store(settings.store, data=settings.data), settings)

    from . import api, derived, errors, graph_store, health, http, i18n, linkeddata, metrics, pages, publishing, query_page, sparql, validate

    errors.register(app)
    i18n.register(app)
    http.register(app)
    derived.register(app)  # after http: its hooks run first, so it keeps bodies before gzip
    metrics.register(app)
    for blueprint in (health.bp, metrics.bp, sparql.bp, graph_store.bp, query_page.bp, api.bp, pages.bp, publishing.bp, validate.bp, linkeddata.bp):
        app.register_blueprint(blueprint)
    from . import coverage

    app.register_blueprint(coverage.bp)
    return app


def isolate(store, settings: Settings):
    """A local store is queried through killable evaluator processes (stores/evaluators.py);
    a remote engine is another process already."""
    if settings.evaluators < 0 or not hasattr(store, "fork_lock"):
        return store
    from ..stores.evaluators import Limits
    from ..stores.isolated import IsolatedStore

    limits = Limits(max_bytes=settings.max_result_bytes, max_rows=settings.max_result_rows,
                    memory_bytes=settings.max_query_memory * 1024 * 1024)
    from .server import worker_count

    # The cores are shared by the workers: each may run as many evaluations at full priority.
    run_slots = max(1, len(os.sched_getaffinity(0)) // worker_count(settings))
    return IsolatedStore(store, evaluators=settings.evaluators or settings.threads, limits=limits,
                         timeout=settings.query_timeout, run_slots=run_slots)


def current_store():
    return current_app.extensions["digikort.store"]


def current_settings() -> Settings:
    return current_app.extensions["digikort.settings"]
