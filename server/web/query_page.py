"""The query page (YASGUI, bundled) at /query; GET /sparql in a browser shows it too."""
from flask import Blueprint

from .service_description import service_description

bp = Blueprint("query_page", __name__)


@bp.get("/query")
def query_page():
    return service_description("html")
