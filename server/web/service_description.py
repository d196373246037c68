"""The SPARQL 1.1 Service Description, answered by GET /sparql without a query."""
from __future__ import annotations

from flask import Response, render_template, request
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from .. import named_queries
from ..sparql import negotiate
from .app import current_settings, current_store
from .errors import error_response
from .i18n import page_lang

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
_FORMAT_IRIS = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
                "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "ntriples": "N-Triples", "jsonld": "JSON-LD",
                "rdfxml": "RDF_XML", "trig": "TriG", "nquads": "N-Quads"}
_RDF = {"turtle": "turtle", "jsonld": "json-ld", "rdfxml": "xml", "ntriples": "nt", "trig": "trig", "nquads": "nquads"}


def endpoint_url() -> str:
    """The URL this request really reached /sparql at (host, port and prefix)."""
    return request.host_url.rstrip("/") + request.script_root + "/sparql"


def build() -> Graph:
    g = Graph()
    g.bind("sd", SD)
    service = BNode("service")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint_url())))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if current_settings().token:
        g.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    for name in _FORMAT_IRIS.values():
        g.add((service, SD.resultFormat, FORMATS[name]))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    if current_settings().allowed_services:
        g.add((service, SD.feature, SD.BasicFederatedQuery))
    dataset = BNode("dataset")
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    default = BNode("default")
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    store = current_store()
    for name in getattr(store, "named_graphs", lambda: [])():
        ng = BNode()
        g.add((dataset, SD.namedGraph, ng))
        g.add((ng, RDF.type, SD.NamedGraph))
        g.add((ng, SD.name, URIRef(name)))
    g.add((service, URIRef("http://purl.org/dc/terms/title"), Literal("Digikort SPARQL endpoint", lang="en")))
    return g


def service_description(fmt: str | None = None):
    fmt = fmt or negotiate.choose("graph", request.accept_mimetypes, request.args.getlist("format"))
    if fmt is None:
        return error_response(406, "the service description comes as Turtle, JSON-LD, RDF/XML, N-Triples or HTML")
    if fmt == "html":
        lang = page_lang()
        named = [{"name": q.name, "title": q.title.get(lang) or q.title.get("en", q.name), "text": q.text_with_values(q.bindings({}))}
                 for q in named_queries.all_queries().values()]
        return render_template("sparql/query_page.html", named=named, endpoint=endpoint_url())
    if fmt not in _RDF:
        fmt = "turtle"
    body = build().serialize(format=_RDF[fmt])
    resp = Response(body, mimetype=negotiate.media_type(fmt))
    resp.vary.add("Accept")
    return resp
