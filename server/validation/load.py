"""Read RDF into an rdflib Dataset through Oxigraph's parser.

pyshacl needs rdflib graphs, but rdflib's TriG parser is the slowest step of a CLI run on the
shipped graph (~0.25 s); Oxigraph parses the same files in a few milliseconds and the terms
convert cheaply, which keeps `digikort validate` under a second of wall time.
"""
from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef

_FORMATS = {"trig": ox.RdfFormat.TRIG, "turtle": ox.RdfFormat.TURTLE, "nquads": ox.RdfFormat.N_QUADS,
            "ntriples": ox.RdfFormat.N_TRIPLES}


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _term(t):
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if t.language:
        return Literal(t.value, lang=t.language)
    if t.datatype.value == _XSD_STRING:  # rdflib writes simple literals without a datatype
        return Literal(t.value)
    return Literal(t.value, datatype=URIRef(t.datatype.value))


def add_quads(ds: Dataset, quads, graph: str | None = None) -> None:
    target = URIRef(graph) if graph else None
    for q in quads:
        g = target if target is not None else (URIRef(q.graph_name.value) if isinstance(q.graph_name, ox.NamedNode) else None)
        ds.add((_term(q.subject), _term(q.predicate), _term(q.object), g))


def shipped_dataset() -> Dataset:
    """The shipped dataset, as digikort.dataset.load_rdflib_dataset() gives it, only faster."""
    from ..dataset import shipped_files

    ds = Dataset()
    for f in shipped_files():
        add_quads(ds, ox.parse(path=str(f.path), format=_FORMATS[f.format]), f.graph)
    return ds


def nquads_dataset(data: bytes) -> Dataset:
    ds = Dataset()
    add_quads(ds, ox.parse(data, format=ox.RdfFormat.N_QUADS))
    return ds


def ontology_graph():
    """The shipped ontology and code lists as one rdflib Graph: the background an uploaded
    document is validated with, so it may use Digikort's classes and codes without defining them."""
    from rdflib import Graph

    from .. import resources

    g = Graph()
    for f in resources.rdf_files("ontology"):
        for q in ox.parse(path=str(f), format=_FORMATS["turtle"] if f.suffix == ".ttl" else _FORMATS["trig"]):
            g.add((_term(q.subject), _term(q.predicate), _term(q.object)))
    return g
