"""SPARQL 1.1 Protocol endpoint (minimal first cut; see issue 4)."""
from __future__ import annotations

from flask import Blueprint, Response, request

from ..stores.base import QuerySyntaxError, QueryTimeout
from .app import current_settings, current_store
from .errors import error_response

bp = Blueprint("sparql", __name__)

_MEDIA = {"json": "application/sparql-results+json", "turtle": "text/turtle"}


@bp.route("/sparql", methods=["GET", "POST"])
def sparql():
    query = request.values.get("query")
    if request.mimetype == "application/sparql-query":
        query = request.get_data(as_text=True)
    if not query:
        return error_response(400, "missing 'query' parameter")
    try:
        result = current_store().query(query, result_format="json", timeout=current_settings().query_timeout)
    except QuerySyntaxError as exc:
        return error_response(400, f"malformed query: {exc}")
    except QueryTimeout as exc:
        return error_response(503, str(exc))
    return Response(result.body, mimetype=_MEDIA.get(result.format, "application/octet-stream"))
