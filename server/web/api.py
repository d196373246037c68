"""The architects' API: named queries, outage impact and dependency maps."""
from __future__ import annotations

import json
from urllib.parse import quote

from flask import Blueprint, Response, jsonify, render_template, request

from .. import named_queries
from ..architecture import depmap
from ..architecture.dependencies import COMPONENT_BASE, graph_for
from ..architecture.impact import UnknownComponent, impact
from ..views.labels import labels_for
from ..stores.base import QuerySyntaxError, QueryTimeout, StoreError
from .app import current_settings, current_store
from .errors import error_response
from .i18n import page_lang, pick
from .links import local_url

bp = Blueprint("api", __name__, url_prefix="/api")

_HTML, _JSON, _CSV = "text/html", "application/json", "text/csv"


def _wanted(*offers: str) -> str:
    """format= wins; else Accept (a browser gets HTML, a bare client JSON)."""
    fmt = request.args.get("format")
    by_name = {"html": _HTML, "json": _JSON, "csv": _CSV}
    if fmt:
        return by_name.get(fmt, "")
    best = request.accept_mimetypes.best_match(offers, default=offers[0])
    if best == _HTML and request.accept_mimetypes[_HTML] <= request.accept_mimetypes[_JSON]:
        return _JSON
    return best


def _lang() -> str:
    return page_lang()


@bp.get("/queries")
def query_list():
    queries = [q.as_json() | {"url": f"{request.script_root}/api/queries/{q.name}"}
               for q in named_queries.all_queries().values()]
    if _wanted(_JSON, _HTML) == _HTML:
        return render_template("api/queries.html", queries=queries, lang=_lang())
    return jsonify(queries=queries)


@bp.get("/queries/<name>")
def run_query(name):
    query = named_queries.get(name)
    if query is None:
        return error_response(404, f"no named query {name!r}; see /api/queries")
    params = {k: v for k, v in request.args.items() if k not in ("format", "lang")}
    try:
        bindings = query.bindings(params)
    except named_queries.ParameterError as exc:
        return error_response(400, str(exc))
    wanted = _wanted(_JSON, _HTML, _CSV)
    if not wanted:
        return error_response(406, "format must be json, csv or html")
    try:
        result = current_store().query(query.text, result_format="csv" if wanted == _CSV else "json",
                                       bindings=bindings, timeout=current_settings().query_timeout)
    except QueryTimeout as exc:
        return error_response(503, str(exc))
    except (QuerySyntaxError, StoreError) as exc:
        return error_response(500, f"the named query {name} failed: {exc}")
    if wanted == _CSV:
        return Response(result.body, mimetype="text/csv")
    data = json.loads(result.body)
    if wanted == _JSON:
        return jsonify(query=query.as_json(), bindings={k: str(v) for k, v in bindings.items()}, results=data)
    editor = f"{request.script_root}/query#query={quote(query.text_with_values(bindings))}"
    lang = _lang()
    return render_template("api/query_result.html", query=query.as_json(), lang=lang,
                           table=_table_for_people(query, data, lang), editor=editor)


def _table_for_people(query, data: dict, lang: str) -> dict:
    """Column headers from the query's metadata; IRIs as linked labels; a column ?xLabel
    beside ?x is folded into it (the label lookup names ?x in the page language)."""
    names = labels_for(current_store())
    variables = data["head"].get("vars", [])
    shown = [v for v in variables if not (v.endswith("Label") and v[:-5] in variables)]
    headers = []
    for v in shown:
        text, alt = pick(query.columns.get(v, {}), lang)
        headers.append((v, text or v, alt))
    rows = []
    for b in data["results"]["bindings"]:
        row = []
        for v in shown:
            term = b.get(v)
            if term is None:
                row.append(None)
            elif term["type"] == "uri":
                text, alt = names.get(term["value"], lang)
                row.append({"href": local_url(term["value"]), "text": text, "alt": alt})
            else:
                value = term["value"]
                row.append({"text": value, "alt": None, "lang": term.get("xml:lang"), "long": len(value) > 80})
        rows.append(row)
    return {"headers": headers, "rows": rows}


@bp.get("/impact/<path:component>")
def outage_impact(component):
    lang = _lang()
    try:
        result = impact(current_store(), component, lang=lang)
    except UnknownComponent as exc:
        return error_response(404, f"{exc}; components are listed at /api/maps/components.svg")
    except QueryTimeout as exc:
        return error_response(503, str(exc))
    result.pop("parents")
    if _wanted(_JSON, _HTML) == _HTML:
        names = labels_for(current_store())
        return render_template("api/impact.html", r=result, lang=lang, link=local_url,
                               name=lambda iri: names.get(iri, lang),
                               slug=result["component"]["iri"][len(COMPONENT_BASE):])
    return jsonify(result)


@bp.get("/maps/components.<fmt>")
def whole_map(fmt):
    return _map(fmt, None)


@bp.get("/maps/component/<slug>.<fmt>")
def component_map(slug, fmt):
    return _map(fmt, COMPONENT_BASE + slug)


def _map(fmt: str, focus: str | None):
    if fmt not in depmap.FORMATS:
        return error_response(404, f"maps come as {', '.join(sorted(depmap.FORMATS))}")
    g = graph_for(current_store())
    if focus and focus not in g.labels:
        return error_response(404, f"no component {focus[len(COMPONENT_BASE):]!r}")
    lang = _lang()
    link = lambda iri: local_url(iri)  # noqa: E731 - node links lead to the resource pages
    if fmt == "graphml":
        body = depmap.to_graphml(g, link, focus, lang)
    elif fmt == "mmd":
        body = depmap.to_mermaid(g, link, focus, lang)
    else:
        body = depmap.to_dot(g, link, focus, lang)
        if fmt == "svg":
            try:
                body = depmap.to_svg(body)
            except depmap.MapError as exc:
                return error_response(503, str(exc))
    return Response(body, mimetype=depmap.FORMATS[fmt])

