"""/coverage: which seed sentences the served dataset represents (HTML or JSON).

The report is computed from the store's own quads, so a store with an imported report or
a curator's additions shows its own coverage; it is cached per dataset version.
"""
from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from ..coverage import formats
from ..coverage.report import STATUSES, build
from ..validation.load import nquads_dataset
from .app import current_store
from .errors import error_response
from .linkeddata import page_lang
from .links import local_url

bp = Blueprint("coverage", __name__)


def _report():
    store = current_store()
    version = store.version()
    cache = current_app.extensions.setdefault("digikort.coverage_cache", {})
    if version and version in cache:
        return cache[version]
    report = build(nquads_dataset(store.dump("nquads")))
    cache.clear()
    cache[version] = report
    return report


@bp.get("/coverage")
def coverage():
    fmt = request.args.get("format")
    if fmt not in (None, "html", "json"):
        return error_response(400, f"format must be html or json, not {fmt!r}")
    status = request.args.get("status")
    if status is not None and status not in STATUSES:
        return error_response(400, f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    if fmt is None:
        best = request.accept_mimetypes.best_match(["text/html", "application/json"], default="text/html")
        fmt = "json" if best == "application/json" else "html"
    report = _report()
    if fmt == "json":
        return Response(formats.as_json(report), mimetype="application/json")
    return Response(formats.as_html(report, page_lang(), local_url, {status} if status else None), mimetype="text/html")
