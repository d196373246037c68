from flask import Blueprint, jsonify

from .. import __version__
from .app import current_store

bp = Blueprint("health", __name__)


@bp.get("/health")
def health():
    """"ok", or "degraded" (503) while every query evaluator of this worker is busy."""
    store = current_store()
    pool = getattr(store, "pool", None)
    status = "degraded" if pool is not None and pool.exhausted() else "ok"
    body = dict(status=status, store=store.name, version=__version__, dataset_version=store.version())
    if pool is not None:
        body["evaluators"] = {"size": pool.size, "busy": pool.busy,
                              "killed_at_deadline": pool.stats.killed_at_deadline}
    resp = jsonify(body)
    resp.status_code = 200 if status == "ok" else 503
    return resp
