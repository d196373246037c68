"""The description of one resource: its statements (with the named graph each comes
from), labels of what it links to, and incoming links (bounded, paged)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from rdflib import Dataset, Literal, URIRef

from ..sparql.terms import from_json

PAGE_SIZE = 200
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

_OUT = """SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?p ?o ?g"""
_IN = """SELECT ?o ?s ?p ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s)) } ORDER BY ?p ?s LIMIT %d OFFSET %d"""
_IN_COUNT = """SELECT ?o (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s)) } GROUP BY ?o"""
_LABELS = """SELECT ?x ?label WHERE { VALUES ?x { %s } ?x <http://www.w3.org/2000/01/rdf-schema#label> ?label }"""


def _rows(store, query, bindings=None):
    body = store.query(query, result_format="json", bindings=bindings).body
    return json.loads(body)["results"]["bindings"]


term = from_json


@dataclass
class Description:
    iri: str
    statements: list = field(default_factory=list)  # (p, o, graph)
    incoming: list = field(default_factory=list)  # (s, p, graph)
    incoming_total: int = 0
    page: int = 1
    labels: dict = field(default_factory=dict)  # iri -> {lang: label}

    @property
    def exists(self) -> bool:
        return bool(self.statements or self.incoming_total)

    def label(self, iri, lang="da") -> str:
        names = self.labels.get(str(iri), {})
        return names.get(lang) or names.get("en") or names.get("da") or names.get("") or _short(str(iri))

    def dataset(self) -> Dataset:
        """As quads: outgoing statements, incoming links (this page) and labels of linked resources."""
        ds = Dataset()
        me = URIRef(self.iri)
        for p, o, g in self.statements:
            ds.graph(g).add((me, p, o))
        for s, p, g in self.incoming:
            ds.graph(g).add((s, p, me))
        for iri, names in self.labels.items():
            if iri == self.iri:
                continue
            for lang, label in names.items():
                ds.add((URIRef(iri), URIRef(_RDFS_LABEL), Literal(label, lang=lang or None)))
        return ds


def _short(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def describe(store, iri: str, page: int = 1) -> Description:
    me = URIRef(iri)
    d = Description(iri=iri, page=page)
    for r in _rows(store, _OUT, {"s": me}):
        d.statements.append((term(r["p"]), term(r["o"]), term(r["g"])))
    counted = _rows(store, _IN_COUNT, {"o": me})  # GROUP BY: no row when nothing links here
    d.incoming_total = int(counted[0]["n"]["value"]) if counted else 0
    for r in _rows(store, _IN % (PAGE_SIZE, (page - 1) * PAGE_SIZE), {"o": me}):
        d.incoming.append((term(r["s"]), term(r["p"]), term(r["g"])))
    linked = {str(o) for _, o, _ in d.statements if isinstance(o, URIRef)}
    linked |= {str(p) for p, _, _ in d.statements} | {str(s) for s, _, _ in d.incoming}
    linked |= {str(p) for _, p, _ in d.incoming} | {str(g) for _, _, g in d.statements} | {iri}
    for chunk in _chunks(sorted(linked), 400):
        values = " ".join(URIRef(x).n3() for x in chunk)
        for r in _rows(store, _LABELS % values):
            lab = r["label"]
            d.labels.setdefault(r["x"]["value"], {})[lab.get("xml:lang", "")] = lab["value"]
    return d


def _chunks(items, n):
    for i in range(0, len(items), n):
        yield items[i:i + n]
