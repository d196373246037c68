"""Validation over HTTP: GET /validate (the current dataset), POST /validate (an uploaded
document, never stored), and /audit, the completeness dashboard per strategy and plan."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request
from rdflib import Dataset

from ..stores.base import QueryTimeout
from ..stores.timeouts import call_with_timeout
from ..validation import formats, safety, validate_dataset
from .app import current_settings, current_store
from .errors import error_response
from .linkeddata import page_lang
from .links import local_url

bp = Blueprint("validate", __name__)
_OFFERS = ["text/html", "text/turtle", "application/ld+json", "application/json", "application/xml"]


def _store_dataset() -> Dataset:
    ds = Dataset()
    ds.parse(data=current_store().dump("nquads"), format="nquads")
    return ds


def _cached_report():
    """The report of the current dataset, computed once per dataset version."""
    store = current_store()
    key = ("digikort.validation", store.version())
    cache = current_app.extensions.setdefault("digikort.validation_cache", {})
    if store.version() and key in cache:
        return cache[key]
    ds = _store_dataset()  # read the store here: the worker thread has no app context
    report = call_with_timeout(lambda: validate_dataset(ds), current_settings().query_timeout)
    cache.clear()
    cache[key] = report
    return report


def _respond(report):
    fmt = request.args.get("format")
    media = {"ttl": "text/turtle", "turtle": "text/turtle", "jsonld": "application/ld+json", "json": "application/json",
             "html": "text/html", "junit": "application/xml"}.get(fmt or "")
    if media is None:
        media = request.accept_mimetypes.best_match(_OFFERS, default="text/turtle") if request.accept_mimetypes else "text/turtle"
        if media is None:
            return error_response(406, "the report comes as " + ", ".join(_OFFERS))
    filters = formats.Filters.of(request.args)
    if media == "text/html":
        return Response(formats.as_html(report, page_lang(), local_url, filters), mimetype="text/html")
    if media == "text/turtle":
        return Response(formats.as_rdf(report, "turtle"), mimetype="text/turtle")
    if media == "application/ld+json":
        return Response(formats.as_rdf(report, "json-ld"), mimetype="application/ld+json")
    if media == "application/xml":
        return Response(formats.as_junit(report), mimetype="application/xml")
    return Response(formats.as_json(report, filters), mimetype="application/json")


def _ontology():
    """The shipped ontology and code lists, the background of an uploaded document (read once)."""
    if "digikort.ontology" not in current_app.extensions:
        from ..validation.load import ontology_graph

        current_app.extensions["digikort.ontology"] = ontology_graph()
    return current_app.extensions["digikort.ontology"]


@bp.get("/validate")
def validate_current():
    try:
        return _respond(_cached_report())
    except QueryTimeout:
        return error_response(503, "validation took longer than the time limit")


@bp.post("/validate")
def validate_upload():
    data, media, name = request.get_data(), request.mimetype, None
    if media == "multipart/form-data":
        upload = next(iter(request.files.values()), None)
        if upload is None:
            return error_response(400, "the form has no file")
        data, media, name = upload.read(), upload.mimetype, upload.filename
    if not data:
        return error_response(400, "send an RDF document in the body (Turtle, JSON-LD, RDF/XML, N-Triples or TriG)")
    try:
        fmt = safety.format_for(media, name)
        ds = safety.parse(data, fmt)
        background = _ontology()
        report = call_with_timeout(lambda: validate_dataset(ds, background=background), current_settings().query_timeout)
    except safety.UnsafeInput as exc:
        status = 415 if "unknown RDF format" in str(exc) else 400
        return error_response(status, str(exc))
    except QueryTimeout:
        return error_response(503, "validation took longer than the time limit")
    return _respond(report)


@bp.get("/audit")
def audit():
    from ..validation.audit import as_json, run_audit

    lang = page_lang()
    result = run_audit(current_store())
    if request.args.get("format") == "json" or request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json":
        return as_json(result, lang)
    report = None
    try:
        report = _cached_report()
    except QueryTimeout:
        pass
    names = result["labels"]

    def name(iri):
        n = names.get(iri, {})
        return n.get(lang) or n.get("en" if lang == "da" else "da") or n.get("") or iri.rsplit("/", 1)[-1]

    return render_template("validation/audit.html", audit=result, lang=lang, link=local_url, report=report, name=name,
                           summary=formats.summary(report, lang) if report else "")
