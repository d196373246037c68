"""Documents derived from the data (pages, the catalogue, VoID, sitemap, dumps, ontology
docs, the audit) are built once per dataset version and representation, and answered with
validators: a strong ETag per representation (a hash of its bytes), Last-Modified (when
this worker first saw the dataset version) and 304 to conditional requests.

It is one hook for every GET of the site rather than a decorator per view, so a new page is
cached by default. The SPARQL endpoint keeps its own cache (sparql.py); writes, the Graph
Store, health and metrics are never cached.
"""
from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict

from flask import Flask, Response, g, request
from werkzeug.http import http_date

from . import metrics
from .app import current_store

_NEVER = {"sparql", "graph_store", "health", "metrics", "static"}
# What a representation depends on besides the URL.
_VARY_HEADERS = ("Accept", "Accept-Language", "Accept-Profile")


class DerivedCache:
    """Built responses keyed by (dataset version, request); bounded in entries and bytes."""

    def __init__(self, entries: int, max_bytes: int = 256 * 1024 * 1024):
        self.entries, self.max_bytes = entries, max_bytes
        self._items: OrderedDict = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._first_seen: dict[str, float] = {}
        self.hits = self.misses = 0

    def modified(self, version: str) -> float:
        with self._lock:
            return self._first_seen.setdefault(version, time.time())

    def get(self, key):
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
            return item

    def put(self, key, item):
        size = len(item[1])
        if self.entries <= 0 or size > self.max_bytes // 4:
            return
        with self._lock:
            if key in self._items:
                return
            version = key[0]
            if any(k[0] != version for k in self._items):  # a new version: the old ones are dead
                self._items = OrderedDict((k, v) for k, v in self._items.items() if k[0] == version)
                self._bytes = sum(len(v[1]) for v in self._items.values())
                self._first_seen = {version: self._first_seen.get(version, time.time())}
            self._items[key] = item
            self._bytes += size
            while len(self._items) > self.entries or self._bytes > self.max_bytes:
                _, old = self._items.popitem(last=False)
                self._bytes -= len(old[1])


def _cache(app: Flask) -> DerivedCache:
    return app.extensions["digikort.derived_cache"]


def _key(version: str):
    return (version, request.host_url, request.script_root, request.full_path,
            tuple(request.headers.get(h, "") for h in _VARY_HEADERS))


def _conditional(resp: Response, etag: str, modified: float) -> Response:
    resp.set_etag(etag)
    resp.headers["Last-Modified"] = http_date(int(modified))
    if request.if_none_match:
        not_modified = request.if_none_match.contains(etag)
    else:
        since = request.if_modified_since
        not_modified = since is not None and since.timestamp() >= int(modified)
    if not_modified:
        resp = Response(status=304, headers={k: v for k, v in resp.headers.items()
                                             if k in ("ETag", "Last-Modified", "Vary", "Cache-Control", "Content-Location", "Link")})
    return resp


def register(app: Flask) -> None:
    app.extensions["digikort.derived_cache"] = DerivedCache(app.extensions["digikort.settings"].result_cache)

    @app.before_request
    def answer_from_cache():
        if request.method not in ("GET", "HEAD") or request.blueprint in _NEVER or request.endpoint is None:
            return None
        version = current_store().version()
        if not version:  # a remote engine's data can change behind our back
            return None
        g.derived_key = key = _key(version)
        item = _cache(app).get(key)
        metrics.cache_lookup("documents", item is not None)
        if item is None:
            return None
        status, body, headers, etag = item
        resp = Response(body, status=status, headers=headers)
        resp.headers["X-Cache"] = "hit"
        return _conditional(resp, etag, _cache(app).modified(version))

    @app.after_request
    def keep_and_validate(resp: Response):
        key = g.pop("derived_key", None)
        if key is None or resp.status_code != 200 or resp.direct_passthrough or "X-Cache" in resp.headers:
            return resp
        body = resp.get_data()
        etag = resp.get_etag()[0] or hashlib.sha256(body).hexdigest()[:32]
        headers = [(k, v) for k, v in resp.headers.items() if k not in ("Content-Length", "ETag", "Last-Modified")]
        _cache(app).put(key, (resp.status_code, body, headers, etag))
        return _conditional(resp, etag, _cache(app).modified(key[0]))
