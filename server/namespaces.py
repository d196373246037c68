"""The IRIs Digikort mints and the vocabularies it reuses."""
from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

BASE = "https://w3id.org/digikort/"
DK = Namespace(BASE + "def/")
CODE = Namespace(BASE + "def/code/")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
CV = Namespace("http://data.europa.eu/m8g/")
SCHEMA = Namespace("https://schema.org/")

ONTOLOGY_GRAPH = GRAPH["ontology"]
PROVENANCE_GRAPH = GRAPH["provenance"]

PREFIXES = {
    "dk": str(DK),
    "code": str(CODE),
    "id": str(ID),
    "graph": str(GRAPH),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dct": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "foaf": str(FOAF),
    "time": str(TIME),
    "dcat": str(DCAT),
    "cv": str(CV),
    "schema": str(SCHEMA),
}


def sparql_prefixes() -> str:
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
