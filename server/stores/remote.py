"""A remote SPARQL 1.1 engine over HTTP: the scale-out path (Oxigraph server, Fuseki,
Virtuoso, GraphDB, QLever ...). Queries and updates go through SPARQLWrapper, graphs
through the Graph Store HTTP Protocol.

The spec is the query endpoint's URL; the update and graph-store URLs default by the
engine's convention (Oxigraph: .../query, .../update, .../store; otherwise the same URL
and ...?graph= on it) and can be given. Digikort's queries expect the default graph to be
the union of the named graphs: run the engine that way (Oxigraph: --union-default-graph). The remote's data can change behind our back, so
version() is "" (unknown): nothing is cached.
"""
from __future__ import annotations

import json

import requests
from rdflib import Dataset, Graph
from SPARQLWrapper import CSV, JSON, JSONLD, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from .. import dataset
from ..sparql import guard
from ..sparql.terms import from_json
from .base import GraphNotFound, QueryResult, QuerySyntaxError, StoreError

# what we ask the engine for, in SPARQLWrapper's terms (it sets Accept and format= to match)
_WIRE = {"json": JSON, "xml": XML, "csv": CSV, "tsv": TSV, "turtle": TURTLE, "jsonld": JSONLD, "rdfxml": RDFXML}
_MEDIA = {"turtle": "text/turtle", "ntriples": "application/n-triples", "rdfxml": "application/rdf+xml",
          "jsonld": "application/ld+json", "trig": "application/trig", "nquads": "application/n-quads"}
_RDFLIB = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml", "jsonld": "json-ld", "trig": "trig", "nquads": "nquads"}


class RemoteStore:
    writable = True
    #: the engine may dereference a graph IRI it does not hold (FROM <url>): the web layer
    #: refuses such queries before they reach it
    may_fetch = True

    def __init__(self, url: str, update_url: str | None = None, graph_store_url: str | None = None,
                 user: str | None = None, password: str | None = None, timeout: float = 60):
        self.name = f"remote {url}"
        self.url = url
        base = url[: -len("/query")] if url.endswith("/query") else None
        self.update_url = update_url or (base + "/update" if base else url)
        self.graph_store_url = graph_store_url or (base + "/store" if base else url)
        self.auth = (user, password) if user else None
        self.http_timeout = timeout

    def _wrapper(self, url: str) -> SPARQLWrapper:
        sw = SPARQLWrapper(url)
        sw.setMethod(POST)
        sw.setTimeout(int(self.http_timeout))
        if self.auth:
            sw.setCredentials(*self.auth)
        return sw

    # ------------------------------------------------------------ reading
    def query(self, query, *, result_format, default_graphs=None, named_graphs=None, bindings=None,
              timeout=None, base_iri=None) -> QueryResult:
        if bindings:
            # The remote engine cannot pre-bind: a VALUES clause of serialised RDF terms does.
            names = " ".join(f"?{k}" for k in bindings)
            values = " ".join(v.n3() for v in bindings.values())
            query = f"{query.rstrip()}\nVALUES ({names}) {{ ({values}) }}"
        sw = self._wrapper(self.url)
        sw.setQuery(query)
        for g in default_graphs or []:
            sw.addDefaultGraph(g)
        for g in named_graphs or []:
            sw.addNamedGraph(g)
        is_graph = sw.queryType in ("CONSTRUCT", "DESCRIBE")
        fmt = result_format
        if is_graph:
            wire = fmt if fmt in ("turtle", "jsonld", "rdfxml") else "turtle"
        else:
            wire = fmt if fmt in ("json", "xml", "csv", "tsv") else "json"
        sw.setReturnFormat(_WIRE[wire])
        try:
            body = sw.query().response.read()
        except QueryBadFormed as exc:
            raise QuerySyntaxError(_short(exc)) from None
        except (SPARQLWrapperException, OSError) as exc:
            raise StoreError(f"the remote engine at {self.url} failed: {_short(exc)}") from None
        if is_graph:
            if fmt in ("trig", "nquads", "ntriples"):
                ds = Dataset()
                ds.default_graph.parse(data=body, format=_RDFLIB[wire])
                out = ds.default_graph if fmt == "ntriples" else ds
                return QueryResult("graph", out.serialize(format=_RDFLIB[fmt], encoding="utf-8"), fmt)
            return QueryResult("graph", body, wire)
        kind = "boolean" if sw.queryType == "ASK" else "bindings"
        if kind == "boolean" and wire == "json":
            body = _standard_boolean(body)
        return QueryResult(kind, body, wire)

    def _ask(self, query: str) -> bool:
        return json.loads(self.query(query, result_format="json").body)["boolean"]

    def has_graph(self, graph) -> bool:
        return graph is None or self._ask(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")

    def named_graphs(self) -> list[str]:
        rows = json.loads(self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", result_format="json").body)
        return sorted(r["g"]["value"] for r in rows["results"]["bindings"])

    def _gsp(self, method: str, graph, **kwargs):
        params = {"default": ""} if graph is None else {"graph": graph}
        try:
            r = requests.request(method, self.graph_store_url, params=params, auth=self.auth,
                                 timeout=self.http_timeout, **kwargs)
        except requests.RequestException as exc:
            raise StoreError(f"the remote graph store at {self.graph_store_url} failed: {_short(exc)}") from None
        if r.status_code == 404:
            raise GraphNotFound(f"no graph {graph}")
        if r.status_code >= 400:
            raise StoreError(f"the remote graph store answered {r.status_code}: {r.text[:200]}")
        return r

    def get_graph(self, graph, fmt) -> bytes:
        if fmt in ("trig", "nquads"):
            g = Graph().parse(data=self.get_graph(graph, "ntriples"), format="nt")
            ds = Dataset()
            target = ds.graph(graph) if graph else ds.default_graph
            for t in g:
                target.add(t)
            return ds.serialize(format=_RDFLIB[fmt], encoding="utf-8")
        return self._gsp("GET", graph, headers={"Accept": _MEDIA[fmt]}).content

    def dump(self, fmt) -> bytes:
        rows = json.loads(self.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", result_format="json").body)
        ds = Dataset()
        for b in rows["results"]["bindings"]:
            ds.graph(from_json(b["g"])).add((from_json(b["s"]), from_json(b["p"]), from_json(b["o"])))
        return ds.serialize(format=_RDFLIB[fmt], encoding="utf-8")

    def version(self) -> str:
        return ""

    # ------------------------------------------------------------ writing
    def update(self, update, *, timeout=None, base_iri=None) -> None:
        sw = self._wrapper(self.update_url)
        # USING travels as protocol parameters: an engine with a union default graph
        # (Oxigraph --union-default-graph) refuses it in the text.
        update, using, using_named = guard.split_using(update)
        for g in using:
            sw.addParameter("using-graph-uri", g)
        for g in using_named:
            sw.addParameter("using-named-graph-uri", g)
        sw.setQuery(update)
        try:
            sw.query()
        except QueryBadFormed as exc:
            raise QuerySyntaxError(_short(exc)) from None
        except (SPARQLWrapperException, OSError) as exc:
            raise StoreError(f"the remote engine at {self.update_url} failed: {_short(exc)}") from None

    def put_graph(self, graph, data, fmt) -> bool:
        existed = graph is not None and self.has_graph(graph)
        self._gsp("PUT", graph, data=data, headers={"Content-Type": _MEDIA[fmt]})
        return not existed

    def post_graph(self, graph, data, fmt) -> bool:
        created = graph is not None and not self.has_graph(graph)
        self._gsp("POST", graph, data=data, headers={"Content-Type": _MEDIA[fmt]})
        return created

    def delete_graph(self, graph) -> None:
        self._gsp("DELETE", graph)

    def load_shipped(self) -> int:
        """Push the shipped dataset in, graph by graph (each graph replaced as a whole)."""
        ds = dataset.load_rdflib_dataset()
        total = 0
        for ctx in ds.contexts():
            if not len(ctx) or str(ctx.identifier).startswith("urn:x-rdflib:"):
                continue
            g = Graph()
            for t in ctx:
                g.add(t)
            self._gsp("PUT", str(ctx.identifier), data=g.serialize(format="nt", encoding="utf-8"),
                      headers={"Content-Type": "application/n-triples"})
            total += len(g)
        return total

    def close(self) -> None:
        pass


def _short(exc) -> str:
    return " ".join(str(exc).split())[:300]


def _standard_boolean(body: bytes) -> bytes:
    """Virtuoso answers ASK in JSON as a one-row table (?__ASK_RETVAL = 1/0): make it a boolean."""
    data = json.loads(body)
    if "boolean" in data:
        return body
    rows = data.get("results", {}).get("bindings", [])
    value = bool(rows) and next(iter(rows[0].values()), {}).get("value") in ("1", "true")
    return json.dumps({"head": {}, "boolean": value}).encode()
