"""Dereferencing: every URI minted under the canonical base is served at the same path.

Cool-URIs choice: 200 with Content-Location (no 303). /id/x answers with the
representation the client negotiated and names it in Content-Location (/id/x.ttl,
/id/x.html, ...); the suffixed URLs are the documents, and Link headers list them all.
"""
from __future__ import annotations

import re

from flask import Blueprint, Response, abort, render_template, request
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ..linkeddata.describe import PAGE_SIZE, describe
from .app import current_settings, current_store
from ..views import domain
from ..views.labels import labels_for
from .errors import error_response
from .i18n import page_lang  # noqa: F401 - other blueprints import it from here
from .links import local_url

bp = Blueprint("linkeddata", __name__)

# suffix -> (media type, rdflib serializer); html first = the default for browsers
DOCS = {
    "html": ("text/html", None),
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdf": ("application/rdf+xml", "xml"),
    "nt": ("application/n-triples", "nt"),
    "trig": ("application/trig", "trig"),
    "nq": ("application/n-quads", "nquads"),
}
_BY_MEDIA = {media: suffix for suffix, (media, _) in DOCS.items()}
_QUADS = ("trig", "nq")
LABEL_PROPS = (RDFS.label, SKOS.prefLabel)
DEFINITION_PROPS = (SKOS.definition, URIRef("http://purl.org/dc/terms/description"), RDFS.comment)


def negotiate_suffix() -> str | None:
    """The document suffix the Accept header asks for; None when nothing fits (406)."""
    accept = request.accept_mimetypes
    if not accept or not accept.values():
        return "html"
    offers = [m for m, _ in DOCS.values()] + ["application/json", "text/plain", "application/xhtml+xml"]
    best = accept.best_match(offers)
    if best is None:
        return None
    return {"application/json": "jsonld", "text/plain": "nt", "application/xhtml+xml": "html"}.get(best) or _BY_MEDIA[best]


def _split(path: str) -> tuple[str, str | None]:
    for suffix in DOCS:
        if path.endswith("." + suffix):
            return path[: -len(suffix) - 1], suffix
    return path, None


@bp.route("/id/<path:path>")
@bp.route("/graph/<path:path>")
@bp.route("/def/<path:path>")
def resource(path):
    prefix = request.path.split("/", 2)[1]  # id, graph or def
    local, suffix = _split(path)
    iri = f"{current_settings().canonical_base}{prefix}/{local}"
    return _serve(iri, suffix)


def _serve(iri: str, suffix: str | None):
    chosen = suffix or negotiate_suffix()
    if chosen is None:
        return error_response(406, "this resource comes as " + ", ".join(m for m, _ in DOCS.values()))
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        return error_response(400, "page must be a number")
    store = current_store()
    d = describe(store, iri, page)
    if not d.exists:
        return _not_found(iri, chosen)
    doc_url = local_url(iri) + "." + chosen
    if chosen == "html":
        resp = Response(_page(d), mimetype="text/html")
    else:
        media, fmt = DOCS[chosen]
        ds = d.dataset()
        if chosen in _QUADS:
            body = ds.serialize(format=fmt)
        else:
            g = _union(ds)
            body = g.serialize(format=fmt, **({"auto_compact": True} if fmt == "json-ld" else {}))
        resp = Response(body, mimetype=media)
        resp.mimetype_params["charset"] = "utf-8"
    if suffix is None:
        resp.headers["Content-Location"] = doc_url
        resp.vary.add("Accept")
    base = local_url(iri)
    links = [f'<{base}.{s}>; rel="alternate"; type="{m}"' for s, (m, _) in DOCS.items()]
    links.append(f'<{iri}>; rel="canonical"')
    if d.incoming_total > page * PAGE_SIZE:
        links.append(f'<{base}.{chosen}?page={page + 1}>; rel="next"')
    resp.headers["Link"] = ", ".join(links)
    return resp


def _union(ds):
    from rdflib import Graph

    g = Graph()
    for prefix, ns in [("dk", "https://w3id.org/digikort/def/"), ("rdfs", str(RDFS)), ("skos", str(SKOS)),
                       ("dct", "http://purl.org/dc/terms/")]:
        g.bind(prefix, ns)
    for s, p, o, _ in ds.quads():
        g.add((s, p, o))
    return g


def _not_found(iri: str, chosen: str):
    if chosen == "html":
        resp = Response(render_template("ld/not_found.html", iri=iri, lang=page_lang()), status=404, mimetype="text/html")
        return resp
    return error_response(404, f"no resource {iri} in this dataset; see {request.script_root}/ for what there is")


def _page(d) -> str:
    lang = page_lang()
    names = labels_for(current_store())

    def name(x) -> tuple[str, str | None]:
        """(label, fallback language or None)"""
        return names.get(x, lang) if x in names else (d.label(x, lang), None)

    # One value, many sources: each (property, value) once, with the graphs stating it.
    by_prop: dict = {}
    for p, o, g in d.statements:
        graphs = by_prop.setdefault(p, {}).setdefault(o, [])
        if g not in graphs:
            graphs.append(g)
    types = list(by_prop.pop(RDF.type, {}).items())
    definitions = _in_language([(o, gs) for p in DEFINITION_PROPS for o, gs in by_prop.get(p, {}).items()], lang)
    props = []
    for p, values in by_prop.items():
        items = list(values.items())
        props.append((p, [(o, gs, None) for o, gs in items] if p in LABEL_PROPS else _in_language(items, lang)))
    props.sort(key=lambda kv: name(kv[0])[0].lower())
    incoming: dict = {}
    for s_, p, g in d.incoming:
        graphs = incoming.setdefault((p, s_), [])
        if g not in graphs:
            graphs.append(g)
    incoming_rows = sorted(incoming.items(), key=lambda kv: (name(kv[0][0])[0].lower(), name(kv[0][1])[0].lower()))
    jsonld = _union(_own_statements(d)).serialize(format="json-ld", auto_compact=True)
    view = domain.build(current_store(), d.iri, d.statements, [o for o, _ in types])
    return render_template(
        "ld/resource.html", d=d, lang=lang, title=name(d.iri), types=types, definitions=definitions,
        props=props, incoming=incoming_rows, jsonld=jsonld, link=local_url, name=name, view=view,
        badge_items=lambda graphs: [(local_url(g) + "?lang=" + lang, _source_name(name(g)[0])) for g in graphs],
        slug=d.iri.rsplit("/", 1)[-1], page=d.page,
        page_size=PAGE_SIZE, formats=[s for s in DOCS if s != "html"],
    )


def _in_language(items: list, lang: str) -> list:
    """Values in the page's language (and those without a language); when a property has
    none in it, the other language's, marked as fallback: (value, graphs, fallback lang)."""
    def lang_of(o):
        return getattr(o, "language", None)
    here = [(o, gs, None) for o, gs in items if lang_of(o) in (None, lang)]
    if any(lang_of(o) == lang for o, _, _ in here) or not any(lang_of(o) for o, _ in items):
        return here
    return here + [(o, gs, lang_of(o)) for o, gs in items if lang_of(o) not in (None, lang)]


def _source_name(label: str) -> str:
    """A graph's label as a short badge: "Facts from: 2017 status report" -> "2017 status report"."""
    return re.sub(r"^(Fakta fra|Facts from):\s*", "", label)


def _own_statements(d):
    """Only the resource's own statements, for the embedded JSON-LD."""
    from rdflib import Dataset

    ds = Dataset()
    for p, o, g in d.statements:
        ds.graph(g).add((URIRef(d.iri), p, o))
    return ds
