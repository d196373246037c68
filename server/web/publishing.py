"""What data portals harvest: the DCAT-AP catalogue, the dumps, VoID, sitemap and robots.txt,
and the ontology documentation with its JSON-LD context."""
from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, make_response, render_template, request
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from .. import resources
from ..linkeddata import catalog, dumps
from .app import current_settings, current_store
from .errors import error_response
from .linkeddata import page_lang
from .links import local_url
from .profiles import ALT as ALT_PROFILES, ProfileNotOffered, negotiate as negotiate_profile, stamp as stamp_profile

bp = Blueprint("publishing", __name__)

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
        resp = make_response(html())
        resp.vary.add("Accept")
        return resp
    fmt = _RDF_OUT[media]
    body = g.serialize(format=fmt, **({"auto_compact": True} if fmt == "json-ld" else {}))
    resp = Response(body, mimetype=media)
    resp.mimetype_params["charset"] = "utf-8"
    resp.vary.add("Accept")
    return resp


@bp.get("/catalog")
def catalog_page():
    """The DCAT catalogue in the profile asked for (DCAT-AP 3.0.1 by default, or DCAT-AP-DK 2.0.2)."""
    profiles = list(catalog.PROFILES.values())
    url = public_base() + "/catalog"
    try:
        profile = negotiate_profile(catalog.find_profile, catalog.PROFILES[catalog.DEFAULT_PROFILE])
    except ProfileNotOffered as exc:
        resp = error_response(406, f"profile {exc} is not offered; offered: "
                              + ", ".join(f"{p.title} (_profile={p.token}, <{p.uri}>)" for p in profiles))
        return stamp_profile(resp, None, profiles, url)
    if profile == ALT_PROFILES:
        return _profile_listing(profiles, url)
    try:
        page_no = int(request.args["page"]) if request.args.get("page") else None
        per_page = int(request.args.get("per_page", catalog.PAGE_SIZE))
        if (page_no is not None and page_no < 1) or not 1 <= per_page <= 100:
            raise ValueError
    except ValueError:
        return error_response(400, "page must be a positive number and per_page between 1 and 100")
    store, base = current_store(), public_base()
    if page_no is not None and page_no > catalog.last_page(store, base, per_page):
        return error_response(404, f"the catalogue has {catalog.last_page(store, base, per_page)} page(s) of "
                                   f"{per_page} dataset(s); page {page_no} is past the last")
    g = catalog.build(store, base, page_no, per_page, profile)

    def html():
        return render_template("ld/catalog.html", datasets=catalog.datasets(store, base), lang=page_lang(),
                               profile=profile, profiles=profiles, licence=str(catalog.LICENCE))

    return stamp_profile(_rdf_response(g, html), profile, profiles, url)


def _profile_listing(profiles, url):
    """?_profile=alt: the profiles the catalogue is offered in (HTML, JSON or RDF)."""
    from rdflib.namespace import DCTERMS

    from ..linkeddata.catalog import PROF

    g = Graph()
    g.bind("prof", PROF)
    g.bind("dct", DCTERMS)
    for p in profiles:
        g.add((URIRef(p.uri), RDF.type, PROF.Profile))
        g.add((URIRef(p.uri), DCTERMS.title, Literal(p.title)))
        g.add((URIRef(p.uri), PROF.hasToken, Literal(p.token)))
        g.add((URIRef(p.uri), URIRef("http://www.w3.org/2000/01/rdf-schema#seeAlso"), URIRef(f"{url}?_profile={p.token}")))
    wants = request.accept_mimetypes.best_match(["text/html", "application/json", *_RDF_OUT], default="text/html")
    if wants == "application/json":
        resp = Response(json.dumps({"default": catalog.DEFAULT_PROFILE, "profiles": [
            {"token": p.token, "uri": p.uri, "title": p.title, "url": f"{url}?_profile={p.token}"} for p in profiles]},
            indent=2), mimetype="application/json")
    elif wants in _RDF_OUT:
        resp = _rdf_response(g)
    else:
        resp = Response(render_template("ld/profiles.html", profiles=profiles, url=url, lang=page_lang(),
                                        default=catalog.DEFAULT_PROFILE), mimetype="text/html")
    return stamp_profile(resp, None, profiles, url)


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
    from ..linkeddata import void

    return void.build(current_store(), public_base(), current_settings().canonical_base)


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

        lang = page_lang()
        key = ("digikort.ontology_docs", lang, current_store().version())
        cache = current_app.extensions.setdefault("digikort.ontology_docs", {})
        if key not in cache:  # the diagram runs Graphviz: once per language and dataset version
            cache.clear() if len(cache) > 4 else None
            cache[key] = document(g, lang, _names)
        return render_template("ld/ontology.html", lang=lang, doc=cache[key], link=local_url)

    return _rdf_response(g, html)


def _names(iri: str, lang: str) -> str:
    """The knowledge graph's name for an IRI the ontology does not label (its publisher, say)."""
    rows = json.loads(current_store().query(
        "SELECT ?x ?l WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?l }", result_format="json",
        bindings={"x": URIRef(iri)}).body)["results"]["bindings"]
    names = {r["l"].get("xml:lang", ""): r["l"]["value"] for r in rows}
    return names.get(lang) or names.get("en" if lang == "da" else "da") or next(iter(names.values()), "")


@bp.get("/def/context.jsonld")
def context():
    from ..ontology_docs import jsonld_context

    resp = Response(json.dumps(jsonld_context(ontology_graph()), indent=2, ensure_ascii=False), mimetype="application/ld+json")
    return resp
