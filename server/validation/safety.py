"""Uploaded data and shapes may not make the validator reach the network or the disk."""
from __future__ import annotations

import json
import re

from rdflib import Dataset, Graph
from rdflib.namespace import OWL


FORMATS = {  # media type -> rdflib parser
    "text/turtle": "turtle", "application/x-turtle": "turtle", "application/ld+json": "json-ld",
    "application/json": "json-ld", "application/rdf+xml": "xml", "application/xml": "xml",
    "application/n-triples": "nt", "text/plain": "nt", "application/trig": "trig", "application/n-quads": "nquads",
}
_SUFFIX = {"ttl": "turtle", "jsonld": "json-ld", "json": "json-ld", "rdf": "xml", "xml": "xml", "owl": "xml",
           "nt": "nt", "trig": "trig", "nq": "nquads"}


class UnsafeInput(ValueError):
    """Refused: the message says why, in one line."""


def format_for(media_type: str | None = None, filename: str | None = None) -> str:
    if media_type and media_type.split(";")[0].strip() in FORMATS:
        return FORMATS[media_type.split(";")[0].strip()]
    if filename and filename.rsplit(".", 1)[-1].lower() in _SUFFIX:
        return _SUFFIX[filename.rsplit(".", 1)[-1].lower()]
    raise UnsafeInput(f"unknown RDF format ({media_type or filename}); send Turtle, JSON-LD, RDF/XML, N-Triples or TriG")


def _check_jsonld(text: str):
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise UnsafeInput(f"the JSON-LD is not valid JSON: {exc}") from None

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    contexts = value if isinstance(value, list) else [value]
                    if any(isinstance(c, str) for c in contexts):
                        raise UnsafeInput("remote JSON-LD @context is not allowed: inline the context")
                if key == "@import":
                    raise UnsafeInput("JSON-LD @import is not allowed")
                walk(value)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(doc)


def parse(data: bytes, fmt: str) -> Dataset:
    """Parse an upload without letting it fetch anything."""
    text = data.decode("utf-8", errors="replace")
    if fmt == "xml" and re.search(r"<!DOCTYPE|<!ENTITY", text, re.I):
        raise UnsafeInput("RDF/XML with a DOCTYPE or entities is not allowed")
    if fmt == "json-ld":
        _check_jsonld(text)
    ds = Dataset()
    try:
        if fmt in ("trig", "nquads"):
            ds.parse(data=data, format=fmt)
        else:
            ds.default_graph.parse(data=data, format=fmt)  # the default graph: no source graph known
    except UnsafeInput:
        raise
    except Exception as exc:  # rdflib raises many kinds; all mean "does not parse"
        raise UnsafeInput(f"the {fmt} data does not parse: {' '.join(str(exc).split())[:300]}") from None
    return ds


def check_shapes(shapes: Graph):
    """Refuse shapes that import others or whose SPARQL would call a service."""
    if any(True for _ in shapes.triples((None, OWL.imports, None))):
        raise UnsafeInput("owl:imports in shapes is not allowed: send one self-contained shapes file")
    from rdflib import URIRef

    sh = "http://www.w3.org/ns/shacl#"
    for prop in ("select", "ask", "construct", "update"):
        for _, _, query in shapes.triples((None, URIRef(sh + prop), None)):
            if re.search(r"\bSERVICE\b|\bLOAD\b", str(query), re.I):
                raise UnsafeInput("SHACL-SPARQL may not use SERVICE or LOAD: the validator calls nothing outside")
