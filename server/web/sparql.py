"""The SPARQL 1.1 Protocol endpoint: query (and, with a token, update) at /sparql.

Request parsing and content negotiation live here; the safety checks in sparql/guard.py;
execution and serialisation in the store. Answers are cached per dataset version.
"""
from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections import OrderedDict

from flask import Blueprint, Response, render_template, request

from ..sparql import guard, negotiate
from ..stores.base import QuerySyntaxError, QueryTimeout, StoreError
from ..stores.evaluators import AnswerTooLarge, EvaluatorsBusy, OutOfMemory
from . import metrics
from .app import current_settings, current_store
from .auth import require_token
from .errors import error_response

bp = Blueprint("sparql", __name__)

_IRI = re.compile(r"^[^<>\"{}|^`\\\s]+$")
_FORM = "application/x-www-form-urlencoded"


# Every serialisation the stores produce is UTF-8.
_CONTENT_TYPES = {fmt: f"{negotiate.media_type(fmt)}; charset=utf-8"
                  for fmt in (*negotiate.RESULTS, *negotiate.GRAPHS)}


class BadRequest(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


class ResultCache:
    """Serialised answers keyed by (dataset version, request); bounded, least recently used out."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def put(self, key, value):
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


def _cache() -> ResultCache:
    from flask import current_app

    cache = current_app.extensions.get("digikort.result_cache")
    if cache is None:
        cache = current_app.extensions["digikort.result_cache"] = ResultCache(current_settings().result_cache)
    return cache


def _single(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise BadRequest(f"more than one '{name}' parameter")
    return values[0] if values else None


def _body_text() -> str:
    charset = (request.mimetype_params.get("charset") or "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise BadRequest(f"the body must be UTF-8, not {charset}", 415)
    try:
        return request.get_data().decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the body is not valid UTF-8", 400) from None


def _params():
    """The protocol parameters: the URL's, and a form body's (never parsed for a GET)."""
    if request.method == "POST" and request.mimetype == _FORM:
        return request.values
    return request.args


def _graph_params(params, name: str) -> list[str]:
    values = params.getlist(name)
    for v in values:
        if not _IRI.match(v):
            raise BadRequest(f"'{name}' must be an IRI, got {v[:80]!r}")
    return values


def read_operation() -> tuple[str, str]:
    """("query" | "update", text) from a GET, a form POST or a direct POST."""
    if request.method in ("GET", "HEAD"):
        if "update" in request.args:
            raise BadRequest("updates must be sent with POST", 405)
        return "query", _single(request.args.getlist("query"), "query")
    mt = request.mimetype
    if mt == _FORM:
        q, u = request.form.getlist("query"), request.form.getlist("update")
        if q and u:
            raise BadRequest("a request carries either 'query' or 'update', not both")
        if u:
            return "update", _single(u, "update")
        return "query", _single(q, "query")
    if mt == "application/sparql-query":
        return "query", _body_text()
    if mt == "application/sparql-update":
        return "update", _body_text()
    if not mt:
        raise BadRequest("a POST needs a Content-Type: application/x-www-form-urlencoded, "
                         "application/sparql-query or application/sparql-update", 415)
    raise BadRequest(f"unsupported Content-Type {mt}; use application/x-www-form-urlencoded, "
                     "application/sparql-query or application/sparql-update", 415)


@bp.route("/sparql", methods=["GET", "POST"])
@bp.route("/sparql/", methods=["GET", "POST"])
def endpoint():
    try:
        op, text = read_operation()
    except BadRequest as exc:
        return error_response(exc.status, str(exc))
    if op == "update":
        return run_update(text)
    if text is None:
        from .service_description import service_description

        return service_description()
    return run_query(text)


def run_query(text: str):
    settings = current_settings()
    try:
        info = guard.inspect(text, max_length=settings.max_query_length, max_nesting=settings.max_query_nesting,
                             allowed_services=settings.allowed_services)
        params = _params()
        default_graphs = _graph_params(params, "default-graph-uri")
        named_graphs = _graph_params(params, "named-graph-uri")
    except (guard.Refused, BadRequest) as exc:
        return error_response(exc.status, str(exc))
    store = current_store()
    # A graph named by FROM or default-graph-uri/named-graph-uri that the dataset lacks is an
    # empty graph here, never a document to fetch. A remote engine might fetch it: refused.
    if getattr(store, "may_fetch", False):
        named = default_graphs + named_graphs or info.from_graphs + info.from_named_graphs
        unknown = [g for g in named if not store.has_graph(g)]
        if unknown:
            return error_response(400, f"<{unknown[0]}> names no graph of this dataset; "
                                       "the server does not fetch documents from the web")
    kind = "graph" if info.form in ("CONSTRUCT", "DESCRIBE") else "bindings"
    fmt = negotiate.choose_for_header(kind, request.headers.get("Accept", ""),
                                      tuple(params.getlist("format") + params.getlist("output") + params.getlist("results")))
    if fmt is None:
        offers = ", ".join((negotiate.GRAPHS if kind == "graph" else negotiate.RESULTS).values())
        return error_response(406, f"none of the Accept types can be produced; offered: {offers}")
    store_fmt = "json" if fmt == "html" and kind != "graph" else ("turtle" if fmt == "html" else fmt)
    version = store.version()
    key = (version, text, store_fmt, tuple(default_graphs), tuple(named_graphs))
    # One validator per representation: the HTML page and the JSON of one query differ.
    etag = hashlib.sha256(repr((key, fmt)).encode()).hexdigest()[:32] if version else None
    if etag and "HTTP_IF_NONE_MATCH" in request.environ and request.if_none_match.contains(etag):
        resp = Response(status=304)
        resp.set_etag(etag)
        return resp
    cache = _cache()
    cached = cache.get(key) if version else None
    if version:
        metrics.cache_lookup("sparql", cached is not None)
    if cached is None:
        started = time.perf_counter()
        outcome = "answered"
        try:
            result = store.query(text, result_format=store_fmt, default_graphs=default_graphs or None,
                                 named_graphs=named_graphs or None, timeout=settings.query_timeout,
                                 base_iri=request.base_url if info.relative_iris else None)
        except QuerySyntaxError as exc:
            outcome = "malformed"
            return error_response(400, f"malformed query: {exc}")
        except AnswerTooLarge as exc:
            outcome = "too large"
            metrics.stopped("too_large")
            return error_response(400, f"{exc}; add a LIMIT or narrow the query")
        except OutOfMemory as exc:
            outcome = "out of memory"
            metrics.stopped("memory")
            return error_response(400, str(exc))
        except QueryTimeout as exc:
            outcome = "busy" if isinstance(exc, EvaluatorsBusy) else "timed out"
            metrics.stopped("busy" if isinstance(exc, EvaluatorsBusy) else "deadline")
            return unavailable(exc)
        except StoreError as exc:
            outcome = "failed"
            return error_response(400, f"the query could not be run: {exc}")
        finally:
            metrics.slow_query(text, time.perf_counter() - started, settings.slow_query_log, outcome)
        if result.kind == "bindings" and _too_many_rows(result.body, result.format, settings.max_result_rows):
            return error_response(400, f"the answer has more than {settings.max_result_rows:,} rows; "
                                       "add a LIMIT or narrow the query")
        cached = (result.kind, result.body, result.format)
        if version:
            cache.put(key, cached)
    kind, body, store_fmt = cached
    # Headers as one list: werkzeug's header properties cost more than the lookup itself.
    headers = [("Vary", "Accept")]
    if etag:
        headers.append(("ETag", f'"{etag}"'))
    if fmt == "html":
        return Response(_html(text, kind, body), mimetype="text/html", headers=headers)
    return Response(body, headers=headers, content_type=_CONTENT_TYPES.get(store_fmt) or negotiate.media_type(store_fmt))


def unavailable(exc: QueryTimeout, suffix: str = ""):
    resp = error_response(503, f"{exc}.{suffix}".replace("..", "."))
    if isinstance(exc, EvaluatorsBusy):
        resp.headers["Retry-After"] = "1"
    return resp


def _too_many_rows(body: bytes, fmt: str, limit: int) -> bool:
    if len(body) <= limit * 3:  # a row takes at least 3 bytes in every format: cheap common case
        return False
    if fmt == "json":
        return len(json.loads(body)["results"]["bindings"]) > limit
    if fmt == "xml":
        return body.count(b"<result>") > limit
    return body.count(b"\n") - 1 > limit


def _html(text: str, kind: str, body: bytes) -> str:
    """A person reads labels: an IRI of the dataset shows as its name, linked to its page."""
    from ..views.labels import labels_for
    from .i18n import page_lang
    from .links import local_url

    data = json.loads(body) if kind != "graph" else None
    labels, lang = labels_for(current_store()), page_lang()

    def name(iri: str) -> str:
        return labels.text(iri, lang) if iri in labels else iri

    return render_template("sparql/results.html", query=text, kind=kind, data=data, name=name,
                           local_url=local_url, graph=body.decode("utf-8") if kind == "graph" else None)


def run_update(text: str):
    denied = require_token()
    if denied is not None:
        return denied
    settings = current_settings()
    try:
        info = guard.inspect(text, max_length=settings.max_query_length, max_nesting=settings.max_query_nesting,
                             update=True, allowed_services=settings.allowed_services)
        params = _params()
        using = _graph_params(params, "using-graph-uri")
        using_named = _graph_params(params, "using-named-graph-uri")
    except (guard.Refused, BadRequest) as exc:
        return error_response(exc.status, str(exc))
    if (using or using_named) and info.using_clauses:
        return error_response(400, "the update names its dataset with USING/WITH and the request with "
                                   "using-graph-uri/using-named-graph-uri: use one of them")
    store = current_store()
    if using or using_named:
        text = guard.with_using(text, info, using, using_named)
    elif info.where_offsets and not info.using_clauses and not getattr(store, "may_fetch", False):
        # The WHERE of an update sees the union default graph, as queries do (and as the
        # service description says): every named graph as USING and USING NAMED.
        graphs = store.named_graphs()
        if graphs:
            text = guard.with_using(text, info, graphs, graphs)
    try:
        store.update(text, timeout=settings.query_timeout, base_iri=request.base_url)
    except QuerySyntaxError as exc:
        return error_response(400, f"malformed update: {exc}")
    except OutOfMemory as exc:
        return error_response(400, f"{exc}; nothing was changed")
    except QueryTimeout as exc:
        metrics.stopped("busy" if isinstance(exc, EvaluatorsBusy) else "deadline")
        return unavailable(exc, " Nothing was changed.")
    except StoreError as exc:
        return error_response(400, f"the update failed and changed nothing: {exc}")
    return Response(status=204)
