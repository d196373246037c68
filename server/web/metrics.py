"""/metrics in the Prometheus text format (prometheus_client).

Under gunicorn every worker counts for itself into files of a shared folder
(PROMETHEUS_MULTIPROC_DIR, set by web/server.py before the workers start) and /metrics
adds them up, so a scrape that reaches any worker sees the whole server.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import sys
import time

from flask import Blueprint, Flask, Response, request
from prometheus_client import (CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram,
                               generate_latest, multiprocess)

from .app import current_store

bp = Blueprint("metrics", __name__)
# Its own handler on stderr: the HTTP servers configure logging each their own way.
slow_log = logging.getLogger("digikort.slow_queries")
if not slow_log.handlers:
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    slow_log.addHandler(_handler)
    slow_log.propagate = False

REQUESTS = Counter("digikort_requests_total", "HTTP requests answered", ["route", "method", "status"])
LATENCY = Histogram("digikort_request_duration_seconds", "Time to answer a request", ["route"],
                    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
QUERIES_STOPPED = Counter("digikort_queries_stopped_total",
                          "Queries and updates stopped: at the deadline (their evaluator killed), "
                          "over the row/byte limit, over the memory budget, or refused while every evaluator was busy",
                          ["reason"])
CACHE = Counter("digikort_cache_requests_total", "Answers looked up in a cache", ["cache", "result"])
STORE_QUADS = Gauge("digikort_store_quads", "Quads in the store", multiprocess_mode="max")
EVALUATORS_BUSY = Gauge("digikort_evaluators_busy", "Evaluator processes evaluating now", multiprocess_mode="livesum")


_children: dict = {}


def _child(metric, *labels):
    """metric.labels(*labels), kept: labels() takes a lock and builds a key on every call."""
    key = (metric, labels)
    child = _children.get(key)
    if child is None:
        child = _children[key] = metric.labels(*labels)
    return child


def stopped(reason: str) -> None:
    _child(QUERIES_STOPPED, reason).inc()


def cache_lookup(cache: str, hit: bool) -> None:
    _child(CACHE, cache, "hit" if hit else "miss").inc()


def slow_query(text: str, seconds: float, threshold: float, outcome: str) -> None:
    if threshold and seconds >= threshold:
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        slow_log.warning("slow query %s took %.3f s (%s): %s", digest, seconds, outcome, " ".join(text.split())[:200])


def _route() -> str:
    return request.url_rule.rule if request.url_rule is not None else "(no route)"


def register(app: Flask) -> None:
    @app.before_request
    def start_clock():
        request.environ["digikort.started"] = time.perf_counter()

    @app.after_request
    def count(resp):
        started = request.environ.get("digikort.started")
        if started is not None:
            route = _route()
            _child(REQUESTS, route, request.method, str(resp.status_code)).inc()
            _child(LATENCY, route).observe(time.perf_counter() - started)
        return resp


_PID = re.compile(r"_(\d+)\.db$")


def forget_dead_workers(folder: str) -> None:
    """A worker that died (and was replaced) leaves its files behind: its counts stay in the
    totals, as they should, but its live gauges must go. gunicorn has a hook for this
    (child_exit); granian has none, so the scrape does it."""
    for name in os.listdir(folder):
        m = _PID.search(name)
        if m is None or not name.startswith("gauge_live"):
            continue
        pid = int(m.group(1))
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            multiprocess.mark_process_dead(pid, folder)
        except PermissionError:
            pass


@bp.get("/metrics")
def metrics():
    store = current_store()
    try:
        STORE_QUADS.set(len(store))
    except Exception:  # noqa: BLE001 - a remote store may not count
        pass
    pool = getattr(store, "pool", None)
    if pool is not None:
        EVALUATORS_BUSY.set(pool.busy)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        forget_dead_workers(os.environ["PROMETHEUS_MULTIPROC_DIR"])
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY as registry
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST.split(";")[0],
                    headers={"Cache-Control": "no-store"})
