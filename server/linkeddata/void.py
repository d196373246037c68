"""The VoID description of the dataset: distinct triples (a triple stated by several
sources counts once), and one void:subset per named graph with its own counts, its source
document and its dump, so a client can see what each graph holds before downloading it."""
from __future__ import annotations

import json

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from . import dumps

VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOCABULARIES = ["https://w3id.org/digikort/def/", "http://www.w3.org/ns/org#", "http://purl.org/dc/terms/",
                "http://www.w3.org/2004/02/skos/core#", "http://www.w3.org/ns/prov#", "http://www.w3.org/2006/time#",
                "http://data.europa.eu/m8g/", "http://xmlns.com/foaf/0.1/", "https://schema.org/"]
EXAMPLES = ["id/component/nemid", "id/initiative/2016-2020/7.4", "id/strategy/2016-2020"]


def _rows(store, q: str) -> list[dict]:
    return json.loads(store.query(q, result_format="json").body)["results"]["bindings"]


def _int(row, key) -> Literal:
    return Literal(int(row[key]["value"]), datatype=XSD.integer)


def build(store, base: str, canonical_base: str) -> Graph:
    g = Graph()
    g.bind("void", VOID)
    g.bind("sd", SD)
    g.bind("dct", DCTERMS)
    ds = URIRef(base + "/.well-known/void#digikort")
    whole = _rows(store, """SELECT (COUNT(*) AS ?t) (COUNT(DISTINCT ?s) AS ?e) (COUNT(DISTINCT ?p) AS ?props)
        (COUNT(DISTINCT ?o) AS ?objects) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }""")[0]
    quads = _rows(store, "SELECT (COUNT(*) AS ?q) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]
    classes = _rows(store, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH ?g { ?s a ?c } }")[0]
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, DCTERMS.title, Literal("Digikort", lang="en")))
    g.add((ds, DCTERMS.title, Literal("Digikort", lang="da")))
    g.add((ds, DCTERMS.description, Literal(
        f"{whole['t']['value']} distinct triples in {quads['q']['value']} statements (quads): a fact stated by several "
        "source documents sits in each of their named graphs but counts once here; the subsets count per graph.", lang="en")))
    g.add((ds, VOID.triples, _int(whole, "t")))
    g.add((ds, VOID.entities, _int(whole, "e")))
    g.add((ds, VOID.properties, _int(whole, "props")))
    g.add((ds, VOID.distinctObjects, _int(whole, "objects")))
    g.add((ds, VOID.classes, _int(classes, "n")))
    g.add((ds, VOID.sparqlEndpoint, URIRef(base + "/sparql")))
    g.add((ds, VOID.uriSpace, Literal(canonical_base)))
    for name in dumps.WHOLE:
        g.add((ds, VOID.dataDump, URIRef(f"{base}/dumps/{name}")))
    for vocab in VOCABULARIES:
        g.add((ds, VOID.vocabulary, URIRef(vocab)))
    for example in EXAMPLES:
        g.add((ds, VOID.exampleResource, URIRef(canonical_base + example)))
    per_graph = _rows(store, """PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?g (COUNT(*) AS ?t) (COUNT(DISTINCT ?s) AS ?e) (COUNT(DISTINCT ?p) AS ?props)
               (SAMPLE(?doc) AS ?source) (SAMPLE(?da) AS ?labelDa) (SAMPLE(?en) AS ?labelEn)
        WHERE { GRAPH ?g { ?s ?p ?o }
                OPTIONAL { ?g prov:wasDerivedFrom ?doc }
                OPTIONAL { ?g rdfs:label ?da FILTER(lang(?da) = "da") }
                OPTIONAL { ?g rdfs:label ?en FILTER(lang(?en) = "en") } }
        GROUP BY ?g ORDER BY ?g""")
    for row in per_graph:
        graph = row["g"]["value"]
        slug = dumps.graph_slug(graph) or graph.rsplit("/", 1)[-1]
        sub = URIRef(f"{base}/.well-known/void#graph-{slug.replace('/', '-')}")
        g.add((ds, VOID.subset, sub))
        g.add((sub, RDF.type, VOID.Dataset))
        g.add((sub, SD.name, URIRef(graph)))
        g.add((sub, VOID.triples, _int(row, "t")))
        g.add((sub, VOID.entities, _int(row, "e")))
        g.add((sub, VOID.properties, _int(row, "props")))
        if "source" in row:
            g.add((sub, DCTERMS.source, URIRef(row["source"]["value"])))
        for key, lang in (("labelDa", "da"), ("labelEn", "en")):
            if key in row:
                g.add((sub, DCTERMS.title, Literal(row[key]["value"], lang=lang)))
        if dumps.graph_slug(graph):
            g.add((sub, VOID.dataDump, URIRef(f"{base}/dumps/graphs/{slug}.ttl")))
    return g
