"""The home page and the index pages per class (strategies, initiatives by focus area,
components, agencies). Every page is also JSON (?format=json)."""
from __future__ import annotations

import json

from flask import Blueprint, jsonify, render_template, request

from .app import current_store
from .linkeddata import page_lang
from .links import local_url

bp = Blueprint("pages", __name__)

_P = """PREFIX dk: <https://w3id.org/digikort/def/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX org: <http://www.w3.org/ns/org#> """

INDEXES = {
    "strategies": ("Strategier og handlingsplaner", "Strategies and action plans", _P + """
        SELECT DISTINCT ?x ?label ?group ?sort WHERE {
          ?x a ?type . VALUES ?type { dk:Strategy dk:ActionPlan }
          OPTIONAL { ?x dk:startYear ?start } BIND(COALESCE(STR(?start), "") AS ?sort)
          OPTIONAL { ?type rdfs:label ?group FILTER(lang(?group) = ?lang) }
          OPTIONAL { ?x rdfs:label ?label FILTER(lang(?label) = ?lang) } }"""),
    "initiatives": ("Initiativer efter fokusområde", "Initiatives by focus area", _P + """
        SELECT DISTINCT ?x ?label ?group ?sort WHERE {
          ?x a dk:Initiative ; dk:inPlan ?plan .
          OPTIONAL { ?x dk:initiativeNumber ?n }
          OPTIONAL { ?x dk:focusArea ?fa . ?fa dk:focusAreaNumber ?fan OPTIONAL { ?fa rdfs:label ?faLabel FILTER(lang(?faLabel) = ?lang) } }
          OPTIONAL { ?plan rdfs:label ?planLabel FILTER(lang(?planLabel) = ?lang) }
          BIND(IF(BOUND(?fan), CONCAT(STR(?fan), ". ", COALESCE(?faLabel, "")), COALESCE(?planLabel, "")) AS ?group)
          BIND(COALESCE(?n, "") AS ?sort)
          OPTIONAL { ?x rdfs:label ?l FILTER(lang(?l) = ?lang) }
          BIND(CONCAT(COALESCE(?n, ""), " ", COALESCE(?l, "")) AS ?label) }"""),
    "components": ("Infrastrukturkomponenter", "Infrastructure components", _P + """
        SELECT DISTINCT ?x ?label ?group ?sort WHERE {
          ?x a dk:InfrastructureComponent .
          OPTIONAL { ?x rdfs:label ?label FILTER(lang(?label) = ?lang) }
          OPTIONAL { ?x dk:componentKind ?k . ?k rdfs:label ?group FILTER(lang(?group) = ?lang) }
          BIND(LCASE(COALESCE(?label, STR(?x))) AS ?sort) }"""),
    "agencies": ("Myndigheder og organisationer", "Agencies and organisations", _P + """
        SELECT DISTINCT ?x ?label ?group ?sort WHERE {
          ?x a org:Organization .
          OPTIONAL { ?x rdfs:label ?label FILTER(lang(?label) = ?lang) }
          BIND(IF(EXISTS { ?x a <http://data.europa.eu/m8g/PublicOrganisation> }, ?pub, ?oth) AS ?group)
          BIND(LCASE(COALESCE(?label, STR(?x))) AS ?sort) }"""),
}


def _index_rows(name: str, lang: str) -> dict:
    from rdflib import Literal

    query = INDEXES[name][2]
    bindings = {"lang": Literal(lang)}
    if name == "agencies":
        query = query.replace("SELECT DISTINCT ?x", "SELECT DISTINCT ?pub ?oth ?lang ?x")
        bindings |= {"pub": Literal("Offentlige myndigheder" if lang == "da" else "Public authorities"),
                     "oth": Literal("Andre organisationer" if lang == "da" else "Other organisations")}
    else:
        query = query.replace("SELECT DISTINCT ?x", "SELECT DISTINCT ?lang ?x")
    body = current_store().query(query, result_format="json", bindings=bindings).body
    groups: dict[str, list] = {}
    seen = set()
    for b in json.loads(body)["results"]["bindings"]:
        iri = b["x"]["value"]
        if iri in seen:
            continue
        seen.add(iri)
        group = b.get("group", {}).get("value", "")
        groups.setdefault(group, []).append((b.get("sort", {}).get("value", ""), iri, b.get("label", {}).get("value") or iri))
    return {g: [(iri, label) for _, iri, label in sorted(items, key=_natural)] for g, items in sorted(groups.items(), key=lambda kv: _natural((kv[0],)))}


def _natural(item):
    import re

    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", item[0])]


@bp.get("/<any(strategies, initiatives, components, agencies):name>")
def index(name):
    lang = page_lang()
    groups = _index_rows(name, lang)
    if request.args.get("format") == "json" or request.accept_mimetypes.best == "application/json":
        return jsonify({g: [{"iri": i, "label": l, "url": local_url(i)} for i, l in items] for g, items in groups.items()})
    title = INDEXES[name][0 if lang == "da" else 1]
    return render_template("ld/index.html", title=title, groups=groups, lang=lang, link=local_url)


@bp.get("/")
def home():
    lang = page_lang()
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    counts = {}
    for name in INDEXES:
        counts[name] = sum(len(v) for v in _index_rows(name, lang).values())
    if best == "application/json" or request.args.get("format") == "json":
        return jsonify(name="Digikort", counts=counts, links={
            "sparql": "/sparql", "queries": "/api/queries", "catalog": "/catalog", "dumps": "/dumps/",
            "void": "/.well-known/void", "validation": "/validate", "audit": "/audit", "ontology": "/def/"})
    return render_template("ld/home.html", lang=lang, counts=counts)
