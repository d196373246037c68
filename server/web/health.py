from flask import Blueprint, jsonify

from .. import __version__
from .app import current_store

bp = Blueprint("health", __name__)


@bp.get("/health")
def health():
    store = current_store()
    return jsonify(status="ok", store=store.name, version=__version__, dataset_version=store.version())
