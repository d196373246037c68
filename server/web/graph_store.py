"""SPARQL 1.1 Graph Store HTTP Protocol at /gsp: indirect (?graph=IRI, ?default) and
direct identification (/gsp/... names the graph by its own URL). Writes need the token."""
from __future__ import annotations

import uuid

from flask import Blueprint, Response, request

from ..sparql import negotiate
from ..stores.base import GraphNotFound, QuerySyntaxError, StoreError
from .auth import require_token
from .errors import error_response
from .sparql import _IRI
from .app import current_store

bp = Blueprint("graph_store", __name__)

# request Content-Type -> store format
_READ = {"text/turtle": "turtle", "application/x-turtle": "turtle", "application/n-triples": "ntriples",
         "text/plain": "ntriples", "application/rdf+xml": "rdfxml", "application/ld+json": "jsonld",
         "application/trig": "trig", "application/n-quads": "nquads"}


def _target():
    """(graph IRI or None for the default graph) from the request; raises ValueError."""
    if request.view_args and request.view_args.get("path"):
        return request.base_url
    if "default" in request.args and "graph" in request.args:
        raise ValueError("use either ?graph=IRI or ?default, not both")
    if "default" in request.args:
        return None
    graph = request.args.get("graph")
    if graph is None:
        raise LookupError
    if not _IRI.match(graph):
        raise ValueError(f"?graph= must be an IRI, got {graph[:80]!r}")
    return graph


def _body():
    """(data, format) of the request body; multipart bodies carry the data in their parts."""
    if request.mimetype == "multipart/form-data":
        parts = list(request.files.values())
        if not parts:
            raise ValueError("the multipart body has no parts")
        fmt = _READ.get(parts[0].mimetype or "text/turtle")
        if fmt is None:
            raise TypeError(parts[0].mimetype)
        return b"\n".join(p.read() for p in parts), fmt
    fmt = _READ.get(request.mimetype)
    if fmt is None:
        raise TypeError(request.mimetype or "(none)")
    return request.get_data(), fmt


@bp.route("/gsp", methods=["GET", "PUT", "POST", "DELETE"])
@bp.route("/gsp/<path:path>", methods=["GET", "PUT", "POST", "DELETE"])
def graph_store(path=None):
    store = current_store()
    try:
        graph = _target()
    except LookupError:
        if request.method == "POST" and path is None:
            return _create_new(store)
        return error_response(400, "name the graph with ?graph=IRI or ?default")
    except ValueError as exc:
        return error_response(400, str(exc))
    if request.method in ("GET", "HEAD"):  # Flask drops the body of HEAD
        fmt = negotiate.choose("graph", request.accept_mimetypes, request.args.getlist("format"))
        if fmt is None:
            return error_response(406, "graphs come as Turtle, N-Triples, JSON-LD, RDF/XML, TriG or N-Quads")
        fmt = "turtle" if fmt == "html" else fmt
        try:
            body = store.get_graph(graph, fmt)
        except GraphNotFound:
            return error_response(404, f"no graph {graph}")
        resp = Response(body, mimetype=negotiate.media_type(fmt))
        resp.mimetype_params["charset"] = "utf-8"
        resp.vary.add("Accept")
        return resp
    denied = require_token()
    if denied is not None:
        return denied
    try:
        if request.method == "DELETE":
            store.delete_graph(graph)
            return Response(status=204)
        data, fmt = _body()
        created = (store.put_graph if request.method == "PUT" else store.post_graph)(graph, data, fmt)
    except GraphNotFound:
        return error_response(404, f"no graph {graph}")
    except TypeError as exc:
        return error_response(415, f"unsupported Content-Type {exc}; send Turtle, N-Triples, RDF/XML, JSON-LD, TriG or N-Quads")
    except (ValueError, QuerySyntaxError) as exc:
        return error_response(400, str(exc))
    except StoreError as exc:
        return error_response(400, f"the graph could not be stored; nothing changed: {exc}")
    return Response(status=201 if created else 204)


def _create_new(store):
    denied = require_token()
    if denied is not None:
        return denied
    graph = f"{request.host_url.rstrip('/')}{request.script_root}/gsp/{uuid.uuid4().hex}"
    try:
        data, fmt = _body()
        store.put_graph(graph, data, fmt)
    except TypeError as exc:
        return error_response(415, f"unsupported Content-Type {exc}")
    except (ValueError, QuerySyntaxError, StoreError) as exc:
        return error_response(400, str(exc))
    resp = Response(status=201)
    resp.headers["Location"] = graph
    return resp
