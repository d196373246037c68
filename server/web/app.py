"""The Flask app factory: one store, one settings object, small blueprints."""
from __future__ import annotations

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
    app.extensions["digikort.store"] = store if store is not None else open_store(settings.store, data=settings.data)

    from . import api, errors, graph_store, health, http, i18n, linkeddata, pages, publishing, query_page, sparql, validate

    errors.register(app)
    i18n.register(app)
    http.register(app)
    for blueprint in (health.bp, sparql.bp, graph_store.bp, query_page.bp, api.bp, pages.bp, publishing.bp, validate.bp, linkeddata.bp):
        app.register_blueprint(blueprint)
    from . import coverage

    app.register_blueprint(coverage.bp)
    return app


def current_store():
    return current_app.extensions["digikort.store"]


def current_settings() -> Settings:
    return current_app.extensions["digikort.settings"]
