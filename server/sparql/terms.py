"""RDF terms from SPARQL JSON results."""
from __future__ import annotations

from rdflib import BNode, Literal, URIRef


def from_json(b: dict | None):
    if b is None:
        return None
    if b["type"] == "uri":
        return URIRef(b["value"])
    if b["type"] == "bnode":
        return BNode(b["value"])
    return Literal(b["value"], lang=b.get("xml:lang"), datatype=b.get("datatype"))
