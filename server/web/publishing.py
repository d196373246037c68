"""What data portals harvest: the DCAT-AP catalogue, the dumps, VoID, sitemap and robots.txt,
and the ontology documentation with its JSON-LD context."""
from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, request
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from .. import resources
from ..linkeddata import catalog, dumps
from .app import current_settings, current_store
from .errors import error_response
from .linkeddata import page_lang
from .links import local_url

bp = Blueprint("publishing", __name__)

VOID = Namespace("http://rdfs.org/ns/void#")
_RDF_OUT = {"text/turtle": "turtle", "application/rdf+xml": "xml", "application/ld+json": "json-ld",
            "application/n-triples": "nt"}
_SUFFIX = {"ttl": "text/turtle", "rdf": "application/rdf+xml", "jsonld": "application/ld+json", "nt": "application/n-triples"}


def public_base() -> str:
    """Where this service is reached (for absolute links in what portals harvest)."""
    configured = current_settings().public_base
    return configured.rstrip("/") if configured else request.host_url.rstrip("/") + request.script_root


def _rdf_response(g: Graph, html=None):
    """Turtle for */* (harvesters such as ckanext-dcat send Accept: */*), HTML only on request."""
    suffix = request.args.get("format")
    media = _SUFFIX.get(suffix) if suffix else None
    if media is None:
        offers = list(_RDF_OUT) + (["text/html"] if html else [])
        media = request.accept_mimetypes.best_match(offers, default="text/turtle") if request.accept_mimetypes else "text/turtle"
        if media is None:
            return error_response(406, "available as " + ", ".join(offers))
    if media == "text/html":
        return html()
    fmt = _RDF_OUT[media]
    body = g.serialize(format=fmt, **({"auto_compact": True} if fmt == "json-ld" else {}))
    resp = Response(body, mimetype=media)
    resp.mimetype_params["charset"] = "utf-8"
    resp.vary.add("Accept")
    return resp


@bp.get("/catalog")
def catalog_page():
    page = request.args.get("page")
    try:
        page_no = int(page) if page else None
        if page_no is not None and page_no < 1:
            raise ValueError
    except ValueError:
        return error_response(400, "page must be a positive number")
    g = catalog.build(current_store(), public_base(), page_no)

    def html():
        rows = json.loads(g.serialize(format="json-ld"))
        datasets = [r for r in rows if "http://www.w3.org/ns/dcat#Dataset" in r.get("@type", [])]
        return render_template("ld/catalog.html", datasets=datasets, lang=page_lang())

    return _rdf_response(g, html)


@bp.get("/dumps/")
def dump_list():
    store = current_store()
    items = [(name, dumps.get(store, name)) for name in dumps.names(store)]
    if request.accept_mimetypes.best_match(["application/json", "text/html"]) == "application/json":
        return {"dumps": [{"name": n, "url": f"{public_base()}/dumps/{n}", "bytes": len(d.body), "sha1": d.sha1,
                           "sha256": d.sha256} for n, d in items if d]}
    return render_template("ld/dumps.html", items=[(n, d) for n, d in items if d], lang=page_lang())


@bp.get("/dumps/<path:name>")
def dump(name):
    if name.startswith("shapes/"):
        path = next((p for p in resources.rdf_files("shapes") if p.name == name[len("shapes/"):]), None)
        if path is None:
            return error_response(404, f"no shapes file {name}")
        return Response(path.read_bytes(), mimetype="text/turtle")
    d = dumps.get(current_store(), name)
    if d is None:
        return error_response(404, f"no dump {name}; see {request.script_root}/dumps/")
    resp = Response(d.body, mimetype="application/gzip" if d.gzipped else d.media_type)
    resp.set_etag(d.sha1)
    resp.headers["Content-Disposition"] = f'attachment; filename="{name.rsplit("/", 1)[-1]}"'
    resp.headers["Digest"] = f"sha-256={d.sha256}"
    return resp.make_conditional(request)


def void_graph() -> Graph:
    store = current_store()
    base = public_base()
    g = Graph()
    g.bind("void", VOID)
    ds = URIRef(base + "/.well-known/void#digikort")

    def one(q):
        rows = json.loads(store.query(q, result_format="json").body)["results"]["bindings"]
        return rows

    stats = one("""SELECT (COUNT(*) AS ?t) (COUNT(DISTINCT ?s) AS ?e) (COUNT(DISTINCT ?p) AS ?p2)
                   WHERE { GRAPH ?g { ?s ?p ?o } }""")[0]
    classes = one("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH ?g { ?s a ?c } }")[0]["n"]["value"]
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, URIRef("http://purl.org/dc/terms/title"), Literal("Digikort", lang="en")))
    g.add((ds, VOID.triples, Literal(int(stats["t"]["value"]), datatype=XSD.integer)))
    g.add((ds, VOID.entities, Literal(int(stats["e"]["value"]), datatype=XSD.integer)))
    g.add((ds, VOID.properties, Literal(int(stats["p2"]["value"]), datatype=XSD.integer)))
    g.add((ds, VOID.classes, Literal(int(classes), datatype=XSD.integer)))
    g.add((ds, VOID.sparqlEndpoint, URIRef(base + "/sparql")))
    g.add((ds, VOID.uriSpace, Literal(current_settings().canonical_base)))
    for name in dumps.WHOLE:
        g.add((ds, VOID.dataDump, URIRef(f"{base}/dumps/{name}")))
    for vocab in ["https://w3id.org/digikort/def/", "http://www.w3.org/ns/org#", "http://purl.org/dc/terms/",
                  "http://www.w3.org/2004/02/skos/core#", "http://www.w3.org/ns/prov#", "http://www.w3.org/2006/time#",
                  "http://data.europa.eu/m8g/", "http://xmlns.com/foaf/0.1/", "https://schema.org/"]:
        g.add((ds, VOID.vocabulary, URIRef(vocab)))
    for example in ["id/component/nemid", "id/initiative/2016-2020/7.4", "id/strategy/2016-2020"]:
        g.add((ds, VOID.exampleResource, URIRef(current_settings().canonical_base + example)))
    return g


@bp.get("/.well-known/void")
def void():
    return _rdf_response(void_graph())


@bp.get("/robots.txt")
def robots():
    return Response(f"User-agent: *\nAllow: /\nDisallow: /sparql\nDisallow: /api/\nSitemap: {public_base()}/sitemap.xml\n",
                    mimetype="text/plain")


@bp.get("/sitemap.xml")
def sitemap():
    rows = json.loads(current_store().query(
        "SELECT DISTINCT ?base ?s WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?s), ?base)) } ORDER BY ?s",
        result_format="json", bindings={"base": Literal(current_settings().canonical_base + "id/")}).body)
    base = public_base()
    canonical = current_settings().canonical_base
    urls = [base + "/"] + [base + "/" + r["s"]["value"][len(canonical):] for r in rows["results"]["bindings"]]
    body = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    body += [f"<url><loc>{_xml(u)}</loc></url>" for u in urls]
    body.append("</urlset>")
    return Response("\n".join(body) + "\n", mimetype="application/xml")


def _xml(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------- the ontology

def ontology_graph() -> Graph:
    g = Graph()
    for path in resources.rdf_files("ontology"):
        g.parse(path, format="turtle")
    return g


@bp.get("/def/")
def ontology():
    g = ontology_graph()

    def html():
        from ..ontology_docs import document

        return render_template("ld/ontology.html", lang=page_lang(), doc=document(g, page_lang()), link=local_url)

    return _rdf_response(g, html)


@bp.get("/def/context.jsonld")
def context():
    from ..ontology_docs import jsonld_context

    resp = Response(json.dumps(jsonld_context(ontology_graph()), indent=2, ensure_ascii=False), mimetype="application/ld+json")
    return resp
